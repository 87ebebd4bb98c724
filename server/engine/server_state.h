// Engine internals shared by the server and its sessions. Not a public
// header: the network layer sees only server.h and session.h.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/binlog_writer.h"
#include "binlog/events.h"
#include "binlog/statement_events.h"
#include "config/server_options.h"
#include "engine/accounts.h"
#include "engine/applier.h"
#include "engine/catalog.h"
#include "engine/group_commit.h"
#include "engine/interrupts.h"
#include "engine/locks.h"
#include "engine/replica_service.h"
#include "engine/slave_registry.h"
#include "engine/variables.h"
#include "storage/datadir.h"
#include "storage/sqlite_conn.h"

namespace reptut::engine {

// A few names (databases), each once, in the order first inserted; clear()
// keeps the storage, so a statement that logs adds no allocation.
class NameSet {
 public:
  void insert(std::string_view name) {
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.emplace_back(name);
  }
  bool empty() const { return names_.empty(); }
  void clear() { names_.clear(); }
  std::vector<std::string>::const_iterator begin() const { return names_.begin(); }
  std::vector<std::string>::const_iterator end() const { return names_.end(); }

 private:
  std::vector<std::string> names_;
};

class AutoIncSequence;
struct ColumnChecks;
class SessionState;

// The Com_* counters of SHOW STATUS (MySQL 5.7's names), one per kind of
// statement or command counted; kComNames gives each its name.
enum class ComCounter : uint8_t {
  kAdminCommands,
  kAlterDb,
  kAlterTable,
  kAnalyze,
  kBegin,
  kBinlog,
  kChangeDb,
  kChangeMaster,
  kCheck,
  kChecksum,
  kCommit,
  kCreateDb,
  kCreateIndex,
  kCreateTable,
  kCreateUser,
  kDelete,
  kDo,
  kDropDb,
  kDropIndex,
  kDropTable,
  kDropUser,
  kFlush,
  kGrant,
  kInsert,
  kInsertSelect,
  kKill,
  kLoad,
  kLockTables,
  kOptimize,
  kPurge,
  kReleaseSavepoint,
  kRenameTable,
  kRenameUser,
  kRepair,
  kReplace,
  kReset,
  kRevoke,
  kRollback,
  kRollbackToSavepoint,
  kSavepoint,
  kSelect,
  kSetOption,
  kShowBinlogEvents,
  kShowBinlogs,
  kShowCharsets,
  kShowCollations,
  kShowCreateDb,
  kShowCreateTable,
  kShowCreateUser,
  kShowDatabases,
  kShowErrors,
  kShowEvents,
  kShowFields,
  kShowGrants,
  kShowKeys,
  kShowMasterStatus,
  kShowPlugins,
  kShowPrivileges,
  kShowProcesslist,
  kShowRelaylogEvents,
  kShowSlaveHosts,
  kShowSlaveStatus,
  kShowStatus,
  kShowStorageEngines,
  kShowTableStatus,
  kShowTables,
  kShowTriggers,
  kShowVariables,
  kShowWarnings,
  kShutdown,
  kSlaveStart,
  kSlaveStop,
  kStmtClose,
  kStmtExecute,
  kStmtPrepare,
  kStmtReset,
  kStmtSendLongData,
  kTruncate,
  kUnlockTables,
  kUpdate,
  kCount
};
inline constexpr std::string_view kComNames[] = {"Com_admin_commands",
                                                 "Com_alter_db",
                                                 "Com_alter_table",
                                                 "Com_analyze",
                                                 "Com_begin",
                                                 "Com_binlog",
                                                 "Com_change_db",
                                                 "Com_change_master",
                                                 "Com_check",
                                                 "Com_checksum",
                                                 "Com_commit",
                                                 "Com_create_db",
                                                 "Com_create_index",
                                                 "Com_create_table",
                                                 "Com_create_user",
                                                 "Com_delete",
                                                 "Com_do",
                                                 "Com_drop_db",
                                                 "Com_drop_index",
                                                 "Com_drop_table",
                                                 "Com_drop_user",
                                                 "Com_flush",
                                                 "Com_grant",
                                                 "Com_insert",
                                                 "Com_insert_select",
                                                 "Com_kill",
                                                 "Com_load",
                                                 "Com_lock_tables",
                                                 "Com_optimize",
                                                 "Com_purge",
                                                 "Com_release_savepoint",
                                                 "Com_rename_table",
                                                 "Com_rename_user",
                                                 "Com_repair",
                                                 "Com_replace",
                                                 "Com_reset",
                                                 "Com_revoke",
                                                 "Com_rollback",
                                                 "Com_rollback_to_savepoint",
                                                 "Com_savepoint",
                                                 "Com_select",
                                                 "Com_set_option",
                                                 "Com_show_binlog_events",
                                                 "Com_show_binlogs",
                                                 "Com_show_charsets",
                                                 "Com_show_collations",
                                                 "Com_show_create_db",
                                                 "Com_show_create_table",
                                                 "Com_show_create_user",
                                                 "Com_show_databases",
                                                 "Com_show_errors",
                                                 "Com_show_events",
                                                 "Com_show_fields",
                                                 "Com_show_grants",
                                                 "Com_show_keys",
                                                 "Com_show_master_status",
                                                 "Com_show_plugins",
                                                 "Com_show_privileges",
                                                 "Com_show_processlist",
                                                 "Com_show_relaylog_events",
                                                 "Com_show_slave_hosts",
                                                 "Com_show_slave_status",
                                                 "Com_show_status",
                                                 "Com_show_storage_engines",
                                                 "Com_show_table_status",
                                                 "Com_show_tables",
                                                 "Com_show_triggers",
                                                 "Com_show_variables",
                                                 "Com_show_warnings",
                                                 "Com_shutdown",
                                                 "Com_slave_start",
                                                 "Com_slave_stop",
                                                 "Com_stmt_close",
                                                 "Com_stmt_execute",
                                                 "Com_stmt_prepare",
                                                 "Com_stmt_reset",
                                                 "Com_stmt_send_long_data",
                                                 "Com_truncate",
                                                 "Com_unlock_tables",
                                                 "Com_update"};
static_assert(std::size(kComNames) == static_cast<size_t>(ComCounter::kCount));
inline constexpr size_t kComCount = static_cast<size_t>(ComCounter::kCount);

// Counters SHOW STATUS shows for a session and (summed) for the server.
// A session's are written by its own thread only; the server's are atomic.
template <class N>
struct StatusCounters {
  std::array<N, kComCount> com{};
  N questions{0};
  N bytes_received{0};
  N bytes_sent{0};
  N slow_queries{0};
};
class StatementCache;

// A user variable's value with the type MySQL gives it.
struct UserValue {
  enum class Type { kNull, kInt, kReal, kString } type = Type::kNull;
  int64_t i = 0;
  double d = 0;
  std::string s;
  std::string charset = "latin1";
  bool is_unsigned = false;
};

struct Warning {
  std::string level;  // "Note", "Warning", "Error"
  uint16_t code = 0;
  std::string message;
};

// What SHOW PROCESSLIST shows of a session.
struct ProcessInfo {
  uint32_t id = 0;
  std::string user, host, db, command, state, info;
  int64_t time = 0;
};

// A SQLite connection and what the engine keeps about it: which schema
// epoch its attachments reflect, and the session its SQL functions
// (LAST_INSERT_ID(), user variables, ...) act for.
struct EngineConn {
  storage::SqliteConn conn;
  uint64_t seen_schema_epoch = 0;
  uint64_t attached_all_epoch = UINT64_MAX;
  SessionState* acting = nullptr;
  // A statement that writes may be stopped now (interrupts.h).
  bool write_may_stop = false;
};

class ServerState {
 public:
  explicit ServerState(const config::ServerOptions& o)
      : options(o), datadir(o.datadir), globals(o) {}

  config::ServerOptions options;
  storage::DataDir datadir;
  storage::DataDirLock datadir_lock;
  GlobalVariables globals;
  Accounts accounts;
  Catalog catalog;
  WriteGate gate;
  TableLockRegistry table_locks;  // LOCK TABLES (table_locks.cc)
  // The connection every write transaction runs on, owned by the holder of
  // the write gate (see writer.h).
  EngineConn writer;
  GroupCommit group_commit;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  // Bumped when a database file is dropped or created, so sessions re-attach.
  std::atomic<uint64_t> schema_epoch{0};
  std::atomic<uint64_t> questions{0};
  std::atomic<uint32_t> next_session_id{1};
  // SHOW GLOBAL STATUS (exec_show.cc StatusValues): the sums of every
  // session's counters, and what only the server counts.
  StatusCounters<std::atomic<uint64_t>> status;
  std::atomic<uint64_t> aborted_clients{0};
  std::atomic<uint64_t> aborted_connects{0};
  // Seconds from start-up to the last FLUSH STATUS (Uptime_since_flush_status).
  std::atomic<int64_t> status_flushed_at{0};
  // A Com_* counter goes up for the session and the server.
  void Count(SessionState& s, ComCounter c);

  // Sessions connected now.
  std::mutex sessions_mu;
  std::map<uint32_t, SessionState*> sessions;

  // The binary log (null when --log-bin is off) and the next Xid.
  std::unique_ptr<binlog::BinlogWriter> binlog;
  std::atomic<uint64_t> next_xid{1};
  // Without --log-bin, the same events go to a private redo log in the data
  // directory (reptut-redo.NNNNNN): the commit log is whichever of the two
  // is open. A statement is durable once it is in the commit log (see
  // group_commit.h); start-up replays what SQLite had not committed.
  std::unique_ptr<binlog::BinlogWriter> redo;
  uint32_t redo_purged_seq = 0;  // the redo log file purged up to (0: none yet)
  binlog::BinlogWriter* commit_log() const { return binlog ? binlog.get() : redo.get(); }

  // The writer connection's open transaction (the holder of the gate owns
  // these): whether one is open with statements that are already in the
  // commit log and answered (deferred), the databases they changed, and
  // the commit log position they reach, recorded in each of those
  // databases when the transaction commits.
  bool writer_txn_open = false;
  std::atomic<bool> uncommitted{false};
  size_t deferred_statements = 0;
  NameSet writer_log_dbs;
  binlog::LogPosition writer_log_end;
  // At start-up: the commit log position each database has recorded, and
  // where recovery cuts the last log (a replica's uncommitted batch).
  std::map<std::string, binlog::LogPosition> recorded_positions;
  std::optional<binlog::LogPosition> commit_log_cut;

  std::mutex shutdown_mu;
  std::condition_variable shutdown_cv;
  bool shutdown = false;
  // The same, for the checks of running statements (interrupts.h).
  std::atomic<bool> stopping{false};

  // Replication: the replicas registered here (master side), and the
  // replica side, when main.cc set one.
  SlaveRegistry slaves;
  ReplicaService* replica = nullptr;

  std::vector<ProcessInfo> ProcessList();
  int64_t UptimeSeconds() const;
  size_t SessionCount();
  // Kills session `id` (its statement and connection); false if none.
  bool KillSession(uint32_t id, bool query_only);
};

class SessionState {
 public:
  SessionState(ServerState* s, uint32_t session_id);
  ~SessionState();

  ServerState* server;
  uint32_t id;
  bool logged_in = false;
  std::string user;          // as the client sent it
  std::string client_host;   // "localhost" or the peer address
  uint16_t client_port = 0;  // TCP: SHOW PROCESSLIST shows host:port
  Account account;           // the account matched at login
  std::string db;            // current database, "" if none
  uint32_t capabilities = 0;
  bool multi_statements = false;

  // The session's own connection, for reads outside write transactions;
  // while it holds the write gate it works on the server's writer instead.
  EngineConn own;
  bool on_writer = false;
  // Start-up recovery replays the commit log through a session: the end
  // of the event it runs now (a database that recorded it is left alone).
  bool replaying = false;
  binlog::LogPosition replay_end;
  size_t replay_applied = 0;
  bool replay_foreign = false;  // the event replayed now came from another server
  NameSet replay_foreign_dbs;   // databases such events were applied to
  EngineConn& Ec() { return on_writer ? server->writer : own; }
  storage::SqliteConn& Conn() { return Ec().conn; }

  std::map<std::string, UserValue> user_vars;
  std::map<std::string, std::string> vars;              // session system variables
  uint64_t vars_generation = 0;                         // bumped by every SET
  std::optional<binlog::SessionContext> context_cache;  // binlogging.cc
  uint64_t context_cache_generation = 0;
  // Variables every statement reads, as values: read again from `vars` and
  // the globals after a SET (vars_generation) or a SET GLOBAL.
  struct HotVars {
    uint64_t vars_generation = ~uint64_t{0};
    uint64_t globals_generation = ~uint64_t{0};
    uint32_t timestamp = 0;  // SET TIMESTAMP; 0: the clock
    bool sql_log_bin = true;
    bool read_only = false;
    std::chrono::milliseconds lock_wait_timeout{0};
    // auto_increment_increment / _offset (1..65535): an increment above 1
    // makes INSERTs hand out their AUTO_INCREMENT values themselves
    // (exec_dml.cc, auto_increment.h).
    uint32_t auto_increment_increment = 1;
    uint32_t auto_increment_offset = 1;
    bool super_read_only = false;
    double long_query_time = 10;         // Slow_queries counts statements slower than this
    uint64_t max_execution_time_ms = 0;  // 0: no limit (SELECT only)
    double max_statement_time = 0;       // seconds; 0: no limit
    bool no_backslash_escapes = false;   // sql_mode NO_BACKSLASH_ESCAPES
    bool strict_mode = false;            // STRICT_TRANS_TABLES or STRICT_ALL_TABLES
    bool no_zero_date = false;           // NO_ZERO_DATE
    bool no_zero_in_date = false;        // NO_ZERO_IN_DATE
  };
  const HotVars& Hot();

  // Transactions.
  bool autocommit = true;
  bool explicit_txn = false;  // BEGIN seen, COMMIT/ROLLBACK not yet
  bool sqlite_txn = false;    // a SQLite transaction is open
  bool holds_gate = false;    // the write gate is ours (write txn or FTWRL)
  // The writer's transaction holds a change or a savepoint of this session
  // (a write then may no longer be stopped: interrupts.h).
  bool txn_wrote = false;
  bool read_lock = false;  // FLUSH TABLES WITH READ LOCK held
  // LOCK TABLES held (also in server->table_locks): each table as named,
  // lowercased, with its alias ("" if none).
  struct TableLock {
    TableLockRegistry::Lock lock;
    std::string alias;
  };
  std::vector<TableLock> table_locks;

  // Statement context.
  time_t statement_time = 0;
  uint64_t last_insert_id = 0;  // LAST_INSERT_ID()
  bool last_insert_id_set = false;
  uint64_t insert_id_for_next = 0;  // SET INSERT_ID (replication)
  // The AUTO_INCREMENT values of the INSERT running now when the session's
  // auto_increment_increment is above 1: the SQL function reptut_autoinc()
  // that the statement calls for each row takes them from here.
  AutoIncSequence* auto_inc_sequence = nullptr;
  // The column checks of the INSERT/UPDATE running now (column_checks.h),
  // which the SQL function reptut_cv() applies to each value it stores.
  ColumnChecks* column_checks = nullptr;
  uint32_t rand_seed1 = 0, rand_seed2 = 0;
  bool rand_used = false;
  uint32_t rand_used_seed1 = 0, rand_used_seed2 = 0;
  std::vector<Warning> warnings;
  int64_t last_row_count = -1;            // ROW_COUNT()
  int64_t last_found_rows = 0;            // FOUND_ROWS()
  std::vector<Warning> pending_warnings;  // of the statement running now
  // The binary log group of the open transaction (see binlogging.h).
  std::vector<binlog::Event> binlog_cache;
  NameSet binlog_dbs;
  bool binlog_standalone = false;
  bool binlog_pending = false;
  std::string pending_dup_value;
  HotVars hot_;
  // Statements by shape (statement_cache.h): the cache, and the literal
  // values of the statement running now when it came from there.
  std::unique_ptr<StatementCache> statement_cache;
  std::vector<UserValue> stmt_literals;
  bool shaped = false;  // the key value of a duplicate-key error

  // Process list.
  std::mutex info_mu;
  std::string command = "Sleep";
  std::string state;
  std::string info;
  std::chrono::steady_clock::time_point command_since = std::chrono::steady_clock::now();

  // The replica's SQL thread applies a master's events through this
  // session (applier.h): what the engine does differently for it.
  struct Apply {
    bool active = false;
    bool log_updates = false;       // log-slave-updates (with the binary log on)
    uint32_t server_id = 0;         // the originating server of the event running now
    uint32_t thread_id = 0;         // its thread id on that server
    binlog::LogPosition event_end;  // master coordinates of the end of that event
    // Re-applying a torn batch: up to skip_until, a database whose recorded
    // position (skip_positions) reaches the event already has it.
    binlog::LogPosition skip_until;
    const std::map<std::string, binlog::LogPosition>* skip_positions = nullptr;
    const std::function<bool(const sql::Statement&, std::string_view)>* filter = nullptr;
    NameSet group_dbs;  // databases the group running now changed
    // Each database the open batch changed: the end of its last group there.
    std::map<std::string, binlog::LogPosition> batch_dbs;
    binlog::LogPosition batch_start;        // the master position before the batch
    std::vector<binlog::Event> log_groups;  // the batch's groups for the binary log
    ReplicaPosition group_end;              // where the group running now ends
    // What the next commit of this session's write transaction records
    // (nullopt: nothing; see RecordApplyState).
    std::optional<ReplicaPosition> record;
  } apply;

  std::atomic<bool> killed{false};
  std::atomic<bool> query_killed{false};
  // The statement running now (interrupts.h): why it was stopped, when it
  // must stop by itself, and whether its client is still there.
  StopReason stop_reason = StopReason::kNone;
  StopReason deadline_reason = StopReason::kNone;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point next_client_check{};
  std::function<bool()> client_gone;  // set by the network layer
  std::atomic<bool> listed{true};     // SHOW PROCESSLIST shows it
  std::mutex interrupt_mu;
  std::function<void()> interrupt;
  // KILL QUERY of a server thread that stops on it (the replica's SQL
  // thread, as in MariaDB); client sessions have none.
  std::function<void()> query_interrupt;

  // SHOW SESSION STATUS; FLUSH STATUS zeroes them.
  StatusCounters<uint64_t> status;

  std::string SessionVar(const std::string& name) const;
  void AddWarning(std::string level, uint16_t code, std::string message);
};

// SHOW STATUS (exec_show.cc): name and value, sorted; the counters of
// `session` (SESSION scope) or, when null, the server's (GLOBAL).
std::vector<std::pair<std::string, std::string>> StatusValues(ServerState& srv,
                                                              const SessionState* session);

}  // namespace reptut::engine
