// A parsed MySQL statement: its kind plus the fields that kind uses.
//
// Statement is one flat struct: `kind` says which of the member groups
// (dml, set, table, show, account, repl, ...) is filled; the others stay
// default. Each member below says for which kinds it is used.
//
// SQLite translation conventions (for every `*_sql` string in here):
//  - identifiers keep backticks; strings become '...' literals;
//  - a user variable @Name becomes the SQLite named parameter given by
//    UserVarParam("name") (e.g. "@name"); the engine binds the variable's
//    value (NULL when unset) to every parameter listed in user_vars_read;
//  - @@x becomes reptut_sysvar('x', 'session'|'global'|'') ('' = no scope
//    written: the session value if there is one, else the global);
//  - MySQL functions SQLite lacks are called by their MySQL names (NOW(),
//    CONCAT(...)) or by reptut_* helper names; EngineFunctions() lists
//    every name the engine must register.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/lexer.h"
#include "sql/table_def.h"

namespace reptut::sql {

enum class StatementKind : uint16_t {
  // Only comments / skipped versioned comments. MySQL (and MariaDB) answer
  // OK: an empty statement is 1065 "Query was empty" only when it had no
  // comment at all, and Parse() itself returns 1065 for those.
  kEmpty,

  // ---- DML (dml) ----
  kSelect,
  kInsert,
  kReplace,
  kUpdate,
  kDelete,
  kDo,        // DO expr[, expr]: dml.sqlite_sql is "SELECT expr, expr" (discard the row)
  kLoadData,  // LOAD DATA [LOCAL] INFILE ... INTO TABLE (load)

  // ---- SET (set) ----
  kSet,             // assignments: user vars, system vars, NAMES, CHARACTER SET
  kSetPassword,     // account: users[0] (current_user if no FOR), password; also
                    // ALTER USER u IDENTIFIED BY 'pw' (account.if_exists for IF EXISTS)
  kSetTransaction,  // SET [GLOBAL|SESSION] TRANSACTION ...: accepted, ignored

  // ---- transactions (txn) ----
  kBegin,  // BEGIN [WORK], START TRANSACTION [...]
  kCommit,
  kRollback,
  kSavepoint,            // txn.savepoint
  kRollbackToSavepoint,  // txn.savepoint
  kReleaseSavepoint,     // txn.savepoint

  // ---- databases (db) ----
  kCreateDatabase,
  kDropDatabase,
  kUse,
  kAlterDatabase,  // ALTER DATABASE d CHARACTER SET ...: db.name, db.charset

  // ---- tables (table / alter) ----
  kCreateTable,  // table.def (or table.like / table.select)
  kDropTable,    // table.tables
  kTruncate,     // table.tables[0]
  kRenameTable,  // table.renames
  kAlterTable,   // alter
  kCreateIndex,  // table.tables[0], table.index
  kDropIndex,    // table.tables[0], table.index_name

  // ---- SHOW / DESCRIBE (show) ----
  kShowDatabases,
  kShowTables,
  kShowColumns,  // also DESCRIBE / DESC / EXPLAIN t [col]
  kShowCreateTable,
  kShowCreateDatabase,
  kShowIndex,
  kShowTableStatus,
  kShowVariables,
  kShowStatus,
  kShowProcesslist,
  kShowGrants,
  kShowWarnings,
  kShowErrors,
  kShowEngines,
  kShowCharset,
  kShowCollation,
  kShowMasterStatus,
  kShowSlaveStatus,
  kShowBinaryLogs,  // SHOW BINARY LOGS / SHOW MASTER LOGS
  kShowBinlogEvents,
  kShowSlaveHosts,
  kShowCreateUser,
  kShowPrivileges,
  kShowCountWarnings,  // SHOW COUNT(*) WARNINGS
  kShowCountErrors,    // SHOW COUNT(*) ERRORS

  // ---- accounts (account) ----
  kCreateUser,
  kDropUser,
  kGrant,
  kRevoke,  // account.revoke_all = REVOKE ALL PRIVILEGES, GRANT OPTION FROM ...
  kRenameUser,

  // ---- server control (admin) ----
  kFlush,
  kLockTables,  // parsed (admin.lock_tables); the engine may answer 1235
  kUnlockTables,
  kKill,
  kShutdown,

  // ---- binlog / replication (repl) ----
  kPurgeBinaryLogs,
  kResetMaster,
  kResetSlave,
  kChangeMaster,
  kStartSlave,
  kStopSlave,
  kBinlog,  // BINLOG 'base64': repl.base64

  // ---- added after the first version ----
  kShowRelaylogEvents,  // SHOW RELAYLOG EVENTS [IN 'f'] [FROM n] [LIMIT [o,] n]: show
  // SHOW TRIGGERS / EVENTS [FROM db] [LIKE|WHERE], SHOW {PROCEDURE | FUNCTION
  // | PACKAGE [BODY]} STATUS [LIKE|WHERE], SHOW PLUGINS: the server has
  // no stored programs but triggers, so all but SHOW TRIGGERS answer with
  // their columns and no rows.
  kShowTriggers,
  kShowEvents,
  kShowRoutineStatus,
  kShowPlugins,
  // EXPLAIN [EXTENDED|PARTITIONS|FORMAT=...] SELECT/INSERT/UPDATE/DELETE/
  // REPLACE ...: the explained statement is parsed into dml (explained_kind).
  kExplain,
  // CHECK / ANALYZE / OPTIMIZE / REPAIR TABLE t, ...; CHECKSUM TABLE t, ...
  // [QUICK | EXTENDED]: admin.maintenance_tables, admin.maintenance_options.
  kCheckTable,
  kAnalyzeTable,
  kOptimizeTable,
  kRepairTable,
  kChecksumTable,
  // ---- triggers (trigger) ----
  kCreateTrigger,      // CREATE [DEFINER=u] TRIGGER [IF NOT EXISTS] ... (trigger)
  kDropTrigger,        // DROP TRIGGER [IF EXISTS] [db.]name (trigger.name)
  kShowCreateTrigger,  // SHOW CREATE TRIGGER [db.]name (trigger.name)
};

// The statement kind's name for messages ("SELECT", "CREATE TABLE").
std::string_view StatementKindName(StatementKind kind);

// db empty = the session's current database.
struct TableName {
  std::string db;
  std::string name;
  bool operator==(const TableName&) const = default;
};

// A MySQL account name. User names are case-sensitive and kept as written;
// host names are lowercased; a missing host is "%".
struct UserName {
  std::string user;
  std::string host = "%";
  bool current_user = false;  // CURRENT_USER / CURRENT_USER(): user/host empty
  bool operator==(const UserName&) const = default;
};

enum class VarScope : uint8_t {
  kDefault,  // nothing written (SET x = / @@x): session if the variable has one
  kSession,  // SESSION / @@session.
  kLocal,    // LOCAL / @@local. (same as session)
  kGlobal,   // GLOBAL / @@global.
};

// The SQLite named parameter that stands for user variable `name`
// (lowercased). Names of letters/digits/_/$ only give "@name"; other names
// are hex-encoded: "@_x" + hex(name) (so "@`my var`" is "@_x6d7920766172").
std::string UserVarParam(std::string_view lowercase_name);

// ---------------------------------------------------------------------------
// DML: kSelect kInsert kReplace kUpdate kDelete kDo

// FIELDS / LINES options of LOAD DATA and SELECT ... INTO OUTFILE, decoded
// (escapes of the string literals already applied). MySQL's defaults.
struct FileFormat {
  std::string fields_terminated = "\t";
  std::string enclosed;  // one character or empty
  bool optionally_enclosed = false;
  std::string escaped = "\\";  // one character or empty
  std::string lines_starting;
  std::string lines_terminated = "\n";
  // Which clauses were written (the binary log writes them all anyway).
  bool fields_written = false;
  bool lines_written = false;
};

// SELECT ... INTO OUTFILE 'file' [CHARACTER SET cs] [FIELDS ...] [LINES ...]
// / INTO DUMPFILE 'file' (exec_load.cc writes the file).
struct IntoFileInfo {
  std::string file;
  bool dumpfile = false;
  std::string charset;  // lowercased, empty if not written
  FileFormat format;
};

// LOAD DATA [LOW_PRIORITY|CONCURRENT] [LOCAL] INFILE 'file' [REPLACE|IGNORE]
// INTO TABLE t [CHARACTER SET cs] [FIELDS ...] [LINES ...] [IGNORE n
// {LINES|ROWS}] [(col_or_@var, ...)] [SET col = expr, ...] (exec_load.cc).
struct LoadDataInfo {
  std::string file;
  bool local = false;
  bool low_priority = false;
  bool concurrent = false;
  enum class Dup : uint8_t { kError, kIgnore, kReplace };
  Dup dup = Dup::kError;
  TableName table;
  std::string charset;  // lowercased, empty if not written
  FileFormat format;
  uint64_t ignore_lines = 0;
  // The column list: a column name as written, or a user variable
  // (name lowercased, without the @) that takes the field. Empty: all columns.
  struct Target {
    std::string name;
    bool user_var = false;
  };
  std::vector<Target> targets;
  // SET col = expr: the column and the expression as written (MySQL text).
  struct Assignment {
    std::string column;
    std::string expr_text;
  };
  std::vector<Assignment> assignments;
  // Byte offsets in the statement text: [after_load, into_end) is from just after
  // "LOAD DATA" up to and including "INTO" (what the binary log's
  // Execute_load_query event marks as the file name part).
  size_t after_load = 0;
  size_t into_end = 0;
};

struct DmlInfo {
  // The statement in SQLite's dialect, ready for sqlite3_prepare. INSERT
  // IGNORE -> INSERT OR IGNORE; REPLACE -> REPLACE; ON DUPLICATE KEY UPDATE
  // -> ON CONFLICT DO UPDATE SET ... with VALUES(c) -> excluded.c. The
  // table references are written `name` or `db`.`name` exactly as MySQL had
  // them (see tables) unless ParseOptions::sqlite_table maps them (parser.h):
  // with one ATTACHed schema per database, unqualified names would resolve
  // to the first schema having the table, not the current database, so pass
  // current_db and a mapper.
  std::string sqlite_sql;
  // INSERT/REPLACE/UPDATE/DELETE: the table written to.
  std::optional<TableName> target;
  // Every table referenced (FROM, JOIN, subqueries, INSERT ... SELECT
  // source, the target), deduplicated, in order of appearance. Aliases are
  // not included.
  std::vector<TableName> tables;
  // User variables read, lowercased, deduplicated (bind UserVarParam(name)).
  std::vector<std::string> user_vars_read;
  // SELECT ... INTO @a, @b: the variables (lowercased) receiving the single
  // row; the engine runs sqlite_sql (without the INTO) and assigns.
  std::vector<std::string> into_vars;
  // SELECT ... INTO OUTFILE / DUMPFILE (exec_load.cc writes the file).
  std::optional<IntoFileInfo> into_file;
  // System variables read (name lowercased) with their scope.
  std::vector<std::pair<std::string, VarScope>> sysvars_read;

  bool uses_rand = false;             // RAND()
  bool uses_uuid = false;             // UUID(), UUID_SHORT()
  bool uses_now = false;              // NOW() family, CURDATE, UNIX_TIMESTAMP() ...
  bool uses_last_insert_id = false;   // LAST_INSERT_ID() read
  bool sets_last_insert_id = false;   // LAST_INSERT_ID(expr)
  bool uses_sleep = false;            // SLEEP()
  bool uses_master_pos_wait = false;  // MASTER_POS_WAIT()
  bool for_update = false;            // FOR UPDATE / LOCK IN SHARE MODE (engine locks)
  // FOR UPDATE ... WAIT n (n) / NOWAIT (0); -1: innodb_lock_wait_timeout.
  long long lock_wait_seconds = -1;
  bool ignore = false;               // INSERT/UPDATE/DELETE IGNORE
  bool on_duplicate_update = false;  // INSERT ... ON DUPLICATE KEY UPDATE
  bool insert_select = false;        // INSERT ... SELECT
  bool insert_set = false;           // INSERT ... SET a=1 (translated to a column list)
  // INSERT/REPLACE: the explicit column list (as written), empty if none.
  std::vector<std::string> insert_columns;
  // INSERT/REPLACE ... VALUES: the number of rows (0 for INSERT ... SELECT).
  size_t values_rows = 0;
  // INSERT/REPLACE ... VALUES (and INSERT ... SET, as one row): each row's
  // values as SQLite expressions, with the source byte range [begin, end)
  // of each value in the statement text. A DEFAULT value is kept as the
  // word "DEFAULT" (has_default_values is set and sqlite_sql then is NOT
  // valid SQLite: the engine substitutes the column's default and rebuilds
  // the statement as insert_sql_head + "(v, ...), (...)" + insert_sql_tail).
  std::vector<std::vector<std::string>> insert_values;
  std::vector<std::vector<std::pair<size_t, size_t>>> insert_value_ranges;
  std::string insert_sql_head;  // sqlite_sql up to and including "VALUES "
  std::string insert_sql_tail;  // after the rows (" ON CONFLICT ..."), may be empty
  // INSERT/REPLACE: sqlite_sql's pieces by offset, for an engine that
  // rewrites the statement (AUTO_INCREMENT with auto_increment_increment):
  // [0, insert_target_end) is the verb and the table ("INSERT INTO `t`"),
  // then the column list if any and VALUES or the SELECT; the SELECT of
  // INSERT ... SELECT (a whole SQLite SELECT) is [insert_select_begin,
  // insert_tail_begin); [insert_tail_begin, end) is " ON CONFLICT ..." or
  // empty.
  size_t insert_target_end = 0;
  size_t insert_select_begin = 0;
  size_t insert_tail_begin = 0;
  bool has_default_values = false;
  // What INSERT/REPLACE/UPDATE store is checked against the columns' types
  // (engine/column_checks.h). The parser wraps each stored value that is not
  // a plain literal in reptut_cv(value, slot); the engine checks the plain
  // literals of insert_values itself before the statement runs. Slot k below
  // kAssignedSlotBase is position k of an INSERT's rows; slot
  // kAssignedSlotBase + j is assigned_columns[j] (UPDATE ... SET, ON
  // DUPLICATE KEY UPDATE).
  static constexpr int kAssignedSlotBase = 1 << 20;
  std::vector<std::string> assigned_columns;
  // SELECT: MySQL's names of the result columns that are known from the
  // text ("*" and t.* are not expanded: those entries are empty). The
  // sqlite_sql already carries AS "name" aliases for expressions.
  std::vector<std::string> column_names;
  // Number of ? placeholders.
  size_t param_count = 0;
  // UPDATE/DELETE with ORDER BY / LIMIT: translated as
  // "... WHERE rowid IN (SELECT rowid FROM t WHERE ... ORDER BY ... LIMIT n)".
  bool uses_rowid_subquery = false;
};

// ---------------------------------------------------------------------------
// SET: kSet kSetPassword kSetTransaction

struct SetItem {
  enum class Type : uint8_t {
    kUserVar,       // @x = expr / @x := expr
    kSysVar,        // [GLOBAL|SESSION|LOCAL] x = v, @@[scope.]x = v
    kNames,         // SET NAMES 'cs' [COLLATE 'co'] | SET NAMES DEFAULT
    kCharacterSet,  // SET CHARACTER SET cs | SET CHARSET cs | DEFAULT
  };
  Type type = Type::kSysVar;
  std::string name;  // variable name, lowercased (user var without '@')
  VarScope scope = VarScope::kDefault;
  // The value as a SQLite expression (evaluate with "SELECT <value_sql>",
  // binding user_vars_read). Empty for kNames/kCharacterSet and when
  // value_word is set.
  std::string value_sql;
  // Set when the value is a bare word (ON, OFF, DEFAULT, utf8mb3, a
  // `quoted` word, or a keyword): the word as written, for system variables
  // (where MySQL takes it as the string). For user variables a bare word is
  // a column reference, which MySQL rejects (1054); the parser gives 1054.
  std::string value_word;
  bool is_default = false;  // value is DEFAULT
  // kNames / kCharacterSet: lowercased; charset "default" if DEFAULT.
  std::string charset;
  std::string collation;
  std::vector<std::string> user_vars_read;  // lowercased
  std::vector<std::pair<std::string, VarScope>> sysvars_read;
  // Tables a subquery in the value reads (SET @x = (SELECT ... FROM t)).
  std::vector<TableName> tables;
  bool uses_now = false;
  bool uses_rand = false;
  // The value as written in the statement (for messages like 1231
  // "Variable 'x' can't be set to the value of 'y'").
  std::string value_text;
};

struct SetInfo {
  std::vector<SetItem> items;
  // kSetTransaction: the scope written (the statement is ignored).
  VarScope scope = VarScope::kDefault;
};

// ---------------------------------------------------------------------------
// transactions

struct TxnInfo {
  bool read_only = false;            // START TRANSACTION READ ONLY
  bool consistent_snapshot = false;  // WITH CONSISTENT SNAPSHOT
  bool chain = false;                // COMMIT AND CHAIN
  bool release = false;              // COMMIT RELEASE
  std::string savepoint;             // SAVEPOINT / ROLLBACK TO / RELEASE SAVEPOINT
};

// ---------------------------------------------------------------------------
// databases: kCreateDatabase kDropDatabase kUse kAlterDatabase

struct DbInfo {
  std::string name;
  bool if_not_exists = false;  // CREATE
  bool if_exists = false;      // DROP
  std::string charset;         // lowercased, empty if not written
  std::string collation;       // lowercased, empty if not written
};

// ---------------------------------------------------------------------------
// tables: kCreateTable kDropTable kTruncate kRenameTable kCreateIndex kDropIndex

struct TableInfo {
  // kCreateTable: table name (tables[0]); kDropTable: all; kTruncate,
  // kCreateIndex, kDropIndex: tables[0].
  std::vector<TableName> tables;
  bool temporary = false;
  bool if_not_exists = false;
  bool if_exists = false;
  // kCreateTable: the definition (def.name = tables[0].name). Indexes and
  // column keys are normalised as MySQL does (column PRIMARY KEY / UNIQUE /
  // KEY become entries of def.indexes).
  TableDef def;
  // CREATE TABLE t LIKE other.
  std::optional<TableName> like;
  // CREATE TABLE t [(...)] [AS] SELECT ...: the SELECT, translated (its
  // DmlInfo); nullopt when not present. The engine may answer 1235.
  std::optional<DmlInfo> select;
  // kRenameTable: (from, to) pairs.
  std::vector<std::pair<TableName, TableName>> renames;
  // kCreateIndex: the index (kind kUnique/kKey/kFulltext, name, parts).
  IndexDef index;
  // kDropIndex: the index name (case as written; "PRIMARY" for the key).
  std::string index_name;
};

// ---------------------------------------------------------------------------
// ALTER TABLE: kAlterTable

struct AlterOp {
  enum class Type : uint8_t {
    kAddColumn,           // column, first / after
    kDropColumn,          // name
    kChangeColumn,        // name (old) -> column (new def; CHANGE/MODIFY), first / after
    kAlterColumnDefault,  // name, column.default_* (SET DEFAULT v / DROP DEFAULT)
    kAddIndex,            // index (PRIMARY/UNIQUE/KEY/FULLTEXT)
    kDropIndex,           // name
    kDropPrimaryKey,
    kRenameTable,     // new_name
    kRenameIndex,     // name -> new_index_name
    kTableOptions,    // options: ENGINE=, AUTO_INCREMENT=, [DEFAULT] CHARSET=,
                      // COLLATE=, COMMENT=, ROW_FORMAT= (in TableDef form:
                      // options_def fields with options_set flags)
    kConvertCharset,  // CONVERT TO CHARACTER SET cs [COLLATE co]: charset/collation
    kNoOp,            // ALGORITHM=, LOCK=, FORCE, ORDER BY, ENABLE/DISABLE KEYS
  };
  Type type = Type::kNoOp;
  std::string name;  // column or index name the op refers to
  ColumnDef column;
  // Column keys written in an ADD/CHANGE/MODIFY column definition
  // (`ADD c INT PRIMARY KEY`) become these extra indexes.
  std::vector<IndexDef> column_indexes;
  bool first = false;
  std::string after;  // AFTER column
  IndexDef index;
  TableName new_name;
  std::string new_index_name;
  // kTableOptions: which options were written, with their values.
  bool set_engine = false, set_charset = false, set_collation = false, set_auto_increment = false,
       set_comment = false, set_row_format = false;
  TableDef options;  // engine / charset / collation / auto_increment / comment / row_format
  std::string charset, collation;  // kConvertCharset
};

struct AlterSpec {
  TableName table;
  std::vector<AlterOp> ops;
};

// Applies the ops of `spec` to `def` in order, as MySQL would: errors are
// ER_DUP_FIELDNAME (1060), ER_BAD_FIELD_ERROR (1054: "Unknown column 'x'
// in 'tbl'"), ER_CANT_DROP_FIELD_OR_KEY (1091), ER_DUP_KEYNAME (1061),
// ER_MULTIPLE_PRI_KEY (1068), ER_WRONG_AUTO_KEY (1075). A rename sets
// def.name (the engine renames its storage). On error `def` may be
// partially changed: apply to a copy.
Status ApplyAlter(TableDef& def, const AlterSpec& spec);

// ---------------------------------------------------------------------------
// SHOW

struct ShowInfo {
  bool full = false;                    // FULL TABLES / FULL COLUMNS / FULL PROCESSLIST
  VarScope scope = VarScope::kDefault;  // VARIABLES / STATUS
  std::optional<std::string> like;      // LIKE 'pattern' (decoded)
  // WHERE expr: translated to SQLite over the result's column names
  // (e.g. `Variable_name` = 'x'); where_text is the original text.
  std::string where_sql;
  std::string where_text;
  std::vector<std::string> where_user_vars;  // lowercased
  // Tables a subquery in the WHERE reads (they need SELECT).
  std::vector<TableName> where_tables;
  // COLUMNS / CREATE TABLE / INDEX / DESCRIBE: the table (db from FROM db
  // or db.t). TABLES / TABLE STATUS: db (empty = current).
  TableName table;
  std::string db;              // SHOW TABLES FROM db, SHOW CREATE DATABASE db, TABLE STATUS FROM
  bool if_not_exists = false;  // SHOW CREATE DATABASE IF NOT EXISTS
  std::string column;          // DESCRIBE t col (a name or a LIKE-style wildcard)
  // GRANTS FOR u / CREATE USER u: the user (nullopt = current user).
  std::optional<UserName> user;
  // BINLOG EVENTS [IN 'file'] [FROM pos] [LIMIT [offset,] count]; also
  // SHOW WARNINGS/ERRORS LIMIT.
  std::string log_file;
  std::optional<uint64_t> from_pos;
  std::optional<uint64_t> limit_offset;
  std::optional<uint64_t> limit_count;
};

// ---------------------------------------------------------------------------
// accounts: kCreateUser kDropUser kGrant kRevoke kRenameUser kSetPassword

// Privilege bits, in the order SHOW GRANTS lists them.
enum Privilege : uint64_t {
  kPrivSelect = 1ull << 0,
  kPrivInsert = 1ull << 1,
  kPrivUpdate = 1ull << 2,
  kPrivDelete = 1ull << 3,
  kPrivCreate = 1ull << 4,
  kPrivDrop = 1ull << 5,
  kPrivReload = 1ull << 6,
  kPrivShutdown = 1ull << 7,
  kPrivProcess = 1ull << 8,
  kPrivFile = 1ull << 9,
  kPrivReferences = 1ull << 10,
  kPrivIndex = 1ull << 11,
  kPrivAlter = 1ull << 12,
  kPrivShowDatabases = 1ull << 13,
  kPrivSuper = 1ull << 14,
  kPrivCreateTemporaryTables = 1ull << 15,
  kPrivLockTables = 1ull << 16,
  kPrivExecute = 1ull << 17,
  kPrivReplicationSlave = 1ull << 18,
  kPrivReplicationClient = 1ull << 19,
  kPrivCreateView = 1ull << 20,
  kPrivShowView = 1ull << 21,
  kPrivCreateRoutine = 1ull << 22,
  kPrivAlterRoutine = 1ull << 23,
  kPrivCreateUser = 1ull << 24,
  kPrivEvent = 1ull << 25,
  kPrivTrigger = 1ull << 26,
  kPrivCreateTablespace = 1ull << 27,
  kPrivGrantOption = 1ull << 28,  // GRANT OPTION (printed as WITH GRANT OPTION)
};
// Everything ALL [PRIVILEGES] grants at the global level (all bits above
// except GRANT OPTION).
inline constexpr uint64_t kPrivAllGlobal = (1ull << 28) - 1;
// What ALL grants at database level (no RELOAD, SHUTDOWN, PROCESS, FILE,
// SHOW DATABASES, SUPER, REPLICATION *, CREATE USER, CREATE TABLESPACE).
uint64_t PrivAllForLevel(bool database_level, bool table_level);
// "SELECT", "REPLICATION SLAVE", "GRANT OPTION" ...; empty for 0 or >1 bits.
std::string_view PrivilegeName(uint64_t bit);
// The privileges of `mask` joined as SHOW GRANTS prints them ("SELECT,
// INSERT" / "ALL PRIVILEGES" when mask covers ALL for the level / "USAGE"
// when empty). GRANT OPTION is never included.
std::string PrivilegeList(uint64_t mask, bool database_level, bool table_level);

struct GrantLevel {
  enum class Kind : uint8_t {
    kGlobal,    // *.*
    kDatabase,  // db.* or * (db empty = current database)
    kTable,     // db.t or t (db empty = current database)
  };
  Kind kind = Kind::kGlobal;
  std::string db;
  std::string table;
  bool operator==(const GrantLevel&) const = default;
};

struct UserSpec {
  UserName user;
  enum class Auth : uint8_t {
    kNone,      // no IDENTIFIED clause
    kPassword,  // IDENTIFIED BY 'pw' / WITH plugin BY 'pw': auth = plaintext
    kHash,      // IDENTIFIED BY PASSWORD '*hash' / WITH plugin AS '*hash': auth = hash
  };
  Auth auth_kind = Auth::kNone;
  std::string auth;
  std::string plugin;  // IDENTIFIED WITH plugin (lowercase), empty if not written
};

struct AccountInfo {
  bool if_exists = false;      // DROP USER IF EXISTS
  bool if_not_exists = false;  // CREATE USER IF NOT EXISTS
  // CREATE USER / DROP USER / GRANT ... TO / REVOKE ... FROM: the users.
  // kSetPassword: users[0] (user.current_user when no FOR), auth_kind and
  // auth (PASSWORD('pw') / 'pw' -> kPassword; OLD: hashes given as
  // '*...' 41 chars in SET PASSWORD = '*...' are taken as kHash).
  std::vector<UserSpec> users;
  // GRANT / REVOKE.
  uint64_t privileges = 0;      // Privilege bits (GRANT OPTION included if listed)
  bool all_privileges = false;  // ALL [PRIVILEGES] written
  GrantLevel level;
  bool with_grant_option = false;
  // REVOKE ALL [PRIVILEGES], GRANT OPTION FROM users.
  bool revoke_all = false;
  // kRenameUser: (from, to).
  std::vector<std::pair<UserName, UserName>> renames;
};

// ---------------------------------------------------------------------------
// server control: kFlush kLockTables kUnlockTables kKill kShutdown

struct AdminInfo {
  // FLUSH: what to flush, each lowercased: "tables", "logs", "privileges",
  // "binary logs", "relay logs", "status", "hosts", "error logs",
  // "engine logs", "general logs", "slow logs", "query cache",
  // "user_resources", "des_key_file".
  std::vector<std::string> flush_what;
  bool flush_local = false;             // LOCAL / NO_WRITE_TO_BINLOG
  bool flush_read_lock = false;         // FLUSH TABLES [t...] WITH READ LOCK
  std::vector<TableName> flush_tables;  // FLUSH TABLES t1, t2
  // KILL [CONNECTION | QUERY] id.
  bool kill_query = false;
  uint64_t kill_id = 0;
  // CHECK / ANALYZE / OPTIMIZE / REPAIR / CHECKSUM TABLE: the tables, and
  // the options written after them, uppercase (QUICK, EXTENDED, FAST,
  // MEDIUM, CHANGED, FOR UPGRADE, USE_FRM, NO_WRITE_TO_BINLOG / LOCAL).
  std::vector<TableName> maintenance_tables;
  std::vector<std::string> maintenance_options;
  // LOCK TABLES t [AS a] READ|WRITE, ...
  struct LockedTable {
    TableName table;
    std::string alias;
    bool write = false;
  };
  std::vector<LockedTable> lock_tables;
};

// ---------------------------------------------------------------------------
// replication

struct ChangeMasterOptions {
  // Each option as written, name uppercased, value decoded (strings without
  // quotes, numbers as written), in order.
  std::vector<std::pair<std::string, std::string>> raw;
  std::optional<std::string> host;  // MASTER_HOST
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<uint64_t> port;
  std::optional<std::string> log_file;  // MASTER_LOG_FILE
  std::optional<uint64_t> log_pos;      // MASTER_LOG_POS
  std::optional<uint64_t> connect_retry;
  std::optional<std::string> relay_log_file;
  std::optional<uint64_t> relay_log_pos;
  std::optional<std::string> use_gtid;  // no / slave_pos / current_pos (lowercase)
  std::optional<bool> ssl;              // MASTER_SSL
  std::optional<double> heartbeat_period;
};

struct ReplInfo {
  // PURGE BINARY|MASTER LOGS TO 'file' | BEFORE expr.
  std::string purge_to;
  std::string purge_before_sql;  // SQLite expression (evaluate with SELECT); empty if TO
  std::string purge_before_text;
  // RESET SLAVE ALL.
  bool reset_all = false;
  // CHANGE MASTER TO.
  ChangeMasterOptions master;
  // START/STOP SLAVE [IO_THREAD] [, SQL_THREAD]; both false = both threads.
  bool io_thread = false;
  bool sql_thread = false;
  // START SLAVE UNTIL.
  enum class Until : uint8_t { kNone, kMasterLog, kRelayLog };
  Until until = Until::kNone;
  std::string until_file;
  uint64_t until_pos = 0;
  // BINLOG 'base64' (whitespace inside kept as written).
  std::string base64;
  // START SLAVE USER='u' PASSWORD='p' ... options are accepted and ignored.
};

// ---------------------------------------------------------------------------
// triggers: kCreateTrigger kDropTrigger kShowCreateTrigger

struct TriggerInfo {
  TableName name;                   // the trigger (db empty: the table's, else the current one)
  TableName table;                  // CREATE: ON table
  std::string timing;               // "BEFORE" / "AFTER"
  std::string event;                // "INSERT" / "UPDATE" / "DELETE"
  std::optional<UserName> definer;  // DEFINER = u (current_user for CURRENT_USER)
  bool if_not_exists = false;
  bool if_exists = false;  // DROP
  bool or_replace = false;
  std::string body;  // the MySQL text after FOR EACH ROW [FOLLOWS|PRECEDES x]
};

// The body of a trigger on `table` of database `db` in SQLite's dialect
// ("BEGIN stmt; ...; END"), for CREATE TRIGGER db.x ... ON table. Errors:
// 1235 for what SQLite triggers cannot do (SET NEW.col, user variables,
// other databases, DECLARE ...), 1363 for OLD in an INSERT trigger / NEW in
// a DELETE trigger, 1415 for a SELECT returning rows, 1064 syntax.
Result<std::string> TranslateTriggerBody(const TriggerInfo& trigger, const std::string& db,
                                         bool no_backslash_escapes);

// ---------------------------------------------------------------------------

struct Statement {
  StatementKind kind = StatementKind::kEmpty;
  DmlInfo dml;        // kSelect kInsert kReplace kUpdate kDelete kDo (and kExplain's)
  LoadDataInfo load;  // kLoadData
  // kExplain: the kind of the statement explained (kSelect, kInsert, ...).
  StatementKind explained_kind = StatementKind::kSelect;
  SetInfo set;          // kSet kSetTransaction
  TxnInfo txn;          // kBegin kCommit kRollback k*Savepoint
  DbInfo db;            // kCreateDatabase kDropDatabase kUse kAlterDatabase
  TableInfo table;      // kCreateTable kDropTable kTruncate kRenameTable kCreateIndex kDropIndex
  AlterSpec alter;      // kAlterTable
  ShowInfo show;        // kShow*
  AccountInfo account;  // kCreateUser kDropUser kGrant kRevoke kRenameUser kSetPassword
  AdminInfo admin;      // kFlush kLockTables kKill kCheckTable ... kChecksumTable
  ReplInfo repl;        // kPurgeBinaryLogs kResetSlave kChangeMaster kStart/StopSlave kBinlog
  TriggerInfo trigger;  // kCreateTrigger kDropTrigger kShowCreateTrigger
};

// How the binary log treats a statement.
struct Classification {
  // Written to the binary log (as a Query event) when it succeeds:
  // INSERT/REPLACE/UPDATE/DELETE, DDL, account statements (CREATE USER,
  // GRANT, SET PASSWORD...), FLUSH without LOCAL/NO_WRITE_TO_BINLOG except
  // FLUSH LOGS / BINARY LOGS / TABLES WITH READ LOCK (as MySQL 5.7).
  // Not logged: SELECT, SHOW, SET (user variables travel as User_var events
  // with the statements that read them; SET of system variables is never
  // logged), USE, transaction control (BEGIN/COMMIT are written by the
  // engine around logged DML), DO, KILL, replication statements, BINLOG.
  bool logged = false;
  // INSERT/REPLACE/UPDATE/DELETE: part of the current transaction.
  bool transactional_dml = false;
  // DDL and account statements commit the open transaction first (implicit
  // commit), as MySQL does; also BEGIN, LOCK/UNLOCK TABLES, FLUSH...
  bool implicit_commit = false;
  // Changes schema (tables, databases, indexes).
  bool ddl = false;
  // Only reads (SELECT without INTO/DO/SHOW...).
  bool read_only = false;
};
Classification Classify(const Statement& stmt);

// Every SQLite function name (and its argument counts) that translated SQL
// may call and that SQLite does not provide itself, with its semantics: the
// engine must register these on every connection. See the implementation
// (translate_expr.cc) for the list text.
struct EngineFunction {
  std::string name;  // as called in sqlite_sql, e.g. "NOW", "reptut_sysvar"
  int min_args = 0;
  int max_args = 0;  // -1 = variadic
  std::string semantics;
};
const std::vector<EngineFunction>& EngineFunctions();

}  // namespace reptut::sql
