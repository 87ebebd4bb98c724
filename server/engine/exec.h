// Statement execution inside the engine: one function per statement family,
// sharing the helpers below. Every Exec* function answers through the sink
// exactly once (OK, error, or a result set) and leaves the session's
// transaction state consistent.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/like.h"
#include "engine/response.h"
#include "engine/server_state.h"
#include "sql/parser.h"
#include "sql/statement.h"

struct sqlite3_stmt;

namespace reptut::engine {

// The context of one statement.
struct Exec {
  SessionState& s;
  ResponseSink& sink;
  uint16_t extra_status = 0;  // kStatusMoreResultsExist when more follow
  std::string_view text;      // the statement as the client sent it

  uint16_t StatusFlags() const;
  void Ok(uint64_t affected = 0, uint64_t insert_id = 0, std::string info = {});
  void Fail(const Error& e);
  // A result set built in memory: each column is a name with a type.
  struct Col {
    std::string name;
    mysql::FieldType type = mysql::kTypeVarString;
    uint32_t length = 64;
  };
  void Rows(const std::vector<Col>& cols, const std::vector<Row>& rows);
};

// The value the next AUTO_INCREMENT insert into db.table gets (the table's
// database attached): SHOW CREATE TABLE's AUTO_INCREMENT=N, SHOW TABLE STATUS.
int64_t NextAutoIncrementValue(SessionState& s, const std::string& db, const std::string& table);

// SHOW VARIABLES / SHOW STATUS and their information_schema tables
// (exec_show.cc): name and value, in SHOW's order.
std::vector<std::pair<std::string, std::string>> VariableValues(SessionState& s, bool global);
std::vector<std::pair<std::string, std::string>> StatusValues(ServerState& srv);

// ---- helpers (session.cc) ----
std::string Lower(std::string_view s);
// A table's database, the current one when not written; 1046 when none.
Result<std::string> DbOf(SessionState& s, const sql::TableName& t);
// SQLite attaches at most 10 databases: outside transactions, detaches all
// but the current one and `mysql` when the limit is near.
void MakeRoomToAttach(SessionState& s);
// Attaches database `db` (1049 if it does not exist).
Status AttachDb(SessionState& s, const std::string& db);
// Keeps the current database first among the attached ones and drops
// attachments of files that changed (outside transactions only).
Status PrepareConnection(SessionState& s);
// db.table's definition, or 1146.
Result<Catalog::DefPtr> ResolveTable(SessionState& s, const sql::TableName& t);

// Result column i of a prepared SQLite statement, when SQLite says it is a
// table's column: its name and the definition's metadata (type, flags,
// length), the definition kept alive in `table` and the column's definition
// in `column` (either may be null). False for an expression: only the name
// is filled in.
bool DescribeTableColumn(SessionState& s, sqlite3_stmt* st, int i, ColumnInfo* c,
                         Catalog::DefPtr* table, const sql::ColumnDef** column);
// Privilege check on a table (1142) / database (1044) / global (1227).
Status CheckTablePriv(SessionState& s, const std::string& db, const std::string& table,
                      PrivSet priv, std::string_view command);
Status CheckDbPriv(SessionState& s, const std::string& db, PrivSet priv);
Status CheckGlobalPriv(SessionState& s, PrivSet priv, std::string_view name);
// Transactions.
bool InTxnMode(const SessionState& s);  // BEGIN seen or autocommit off
// Takes the gate and opens a write transaction on the writer connection.
Status BeginWrite(SessionState& s);
// The write gate alone (group_commit.cc), and its release (which also
// takes the session off the writer connection). The wait is bounded by
// `timeout`, by default lock_wait_timeout.
Status TakeGate(SessionState& s, std::optional<std::chrono::milliseconds> timeout = std::nullopt);
// SELECT ... FOR UPDATE / LOCK IN SHARE MODE: the row locks are the write
// gate, waited for up to `timeout` (by default innodb_lock_wait_timeout;
// 1205 after it, the transaction left as it was). In a transaction the gate
// is then kept until COMMIT/ROLLBACK and the session reads on the writer
// connection; in an autocommitted statement the caller releases it after
// the statement (ReleaseGate).
Status BeginLockingRead(SessionState& s,
                        std::optional<std::chrono::milliseconds> timeout = std::nullopt);
std::chrono::milliseconds RowLockTimeout(const SessionState& s);
// How long a row change (INSERT/UPDATE/DELETE, LOAD DATA) waits for the
// write gate: held by another session's write transaction, the gate stands
// for InnoDB's row locks, so innodb_lock_wait_timeout (then 1205); held by
// FLUSH TABLES WITH READ LOCK, lock_wait_timeout, as MySQL's metadata lock.
std::chrono::milliseconds RowChangeTimeout(const SessionState& s);
// The writer connection (no transaction open on it) gets `mysql` and the
// databases a statement uses attached, giving up others if it must.
Status PrepareWriterFor(SessionState& s, const std::vector<std::string>& dbs);
void ReleaseGate(SessionState& s);
// During start-up recovery: the commit log event being replayed is already
// in `db` (recovery.cc). Always false outside recovery.
bool AlreadyApplied(SessionState& s, const std::string& db);
// The replica's SQL thread, before its write transaction commits: records
// s.apply.record in mysql._reptut_replica_state and each changed database
// (applier.cc).
Status RecordApplyState(SessionState& s);
Status BeginRead(SessionState& s);  // open a read snapshot inside a transaction
Status CommitTxn(SessionState& s);
void RollbackTxn(SessionState& s);
// The implicit commit before DDL and account statements.
Status ImplicitCommit(SessionState& s);
// Runs `fn` as one autocommitted write (DDL, account changes); when it
// succeeds and `log_text` is given, the statement is binlogged as a group
// of its own, recorded in database `log_db` ("" = the current one).
Status RunDdl(SessionState& s, const std::function<Status()>& fn, std::string_view log_text = {},
              const std::string& log_db = {}, bool suppress_use = false);
// SQLite failures worded as MySQL would.
Error MapSqliteError(SessionState& s, const storage::SqliteError& e, const std::string& db = {},
                     const sql::TableDef* def = nullptr);
// Binds the user variables a statement reads.
void BindUserVars(SessionState& s, sqlite3_stmt* st, const std::vector<std::string>& names);
// Evaluates a SQLite expression (SET values) to a user value.
Result<UserValue> Evaluate(SessionState& s, const std::string& expr,
                           const std::vector<std::string>& user_vars);
std::string ValueText(const UserValue& v);

// How statements of this session are parsed: table references qualified
// with their database (`db`.`t` AS `t`), since every database is an
// ATTACHed SQLite schema.
sql::ParseOptions ParseOptionsFor(const SessionState& s);

// ---- statement families ----
void ExecDml(Exec& x, const sql::Statement& st);      // exec_dml.cc
void ExecSchema(Exec& x, const sql::Statement& st);   // exec_schema.cc
void ExecShow(Exec& x, const sql::Statement& st);     // exec_show.cc
void ExecSet(Exec& x, const sql::Statement& st);      // exec_set.cc
void ExecAccount(Exec& x, const sql::Statement& st);  // exec_account.cc
void ExecAdmin(Exec& x, const sql::Statement& st);    // exec_admin.cc
void ExecExplain(Exec& x, const sql::Statement& st);  // exec_explain.cc
// CHECK / ANALYZE / OPTIMIZE / REPAIR / CHECKSUM TABLE (exec_maintenance.cc).
void ExecTableMaintenance(Exec& x, const sql::Statement& st);
// LOAD DATA INFILE (exec_load.cc).
void ExecLoadData(Exec& x, const sql::Statement& st);
// SELECT ... INTO OUTFILE / DUMPFILE: RunSelect hands over the statement
// after its first step (rc: SQLITE_ROW or SQLITE_DONE); exec_load.cc writes
// the rows to the file and answers.
void SelectIntoFile(Exec& x, const sql::DmlInfo& dml, storage::SqliteStmt& st, int rc);
void ExecUse(Exec& x, const std::string& db);  // exec_schema.cc
// CHANGE MASTER, START/STOP/RESET SLAVE, FLUSH RELAY LOGS and the SHOWs of
// the replica and its master (exec_replication.cc).
void ExecReplication(Exec& x, const sql::Statement& st);
void ShowSlaveStatus(Exec& x);
void ShowSlaveHosts(Exec& x);
void ShowRelaylogEvents(Exec& x, const sql::Statement& st);
Status FlushRelayLogs(Exec& x);

}  // namespace reptut::engine
