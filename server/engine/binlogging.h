// The engine's side of the binary log.
//
// What gets logged: a statement that changes data or schema, once it has
// succeeded, with the context a replica needs to replay it (Intvar
// INSERT_ID / LAST_INSERT_ID, Rand seeds, User_var values, the statement
// time in the event header). Transactional DML collects in the session's
// cache and is written as BEGIN ... Xid at commit; DDL and account
// statements are a group of their own.
//
// Crash consistency (the binlog and the data files agree after kill -9):
//   1. the group is appended to the binlog, unpublished (written, and
//      synced when sync_binlog says so) while the write gate is held;
//   2. the same SQLite transaction records the group's end position in
//      each database it changed (_reptut_binlog_pos), then commits;
//   3. the group is published (readers and SHOW MASTER STATUS see it).
// A crash before 2 commits leaves a binlog group no database recorded:
// recovery at start-up truncates the last binlog file to the last position
// any database recorded. A crash after leaves both in agreement.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "engine/exec.h"

namespace reptut::engine {

// Opens the commit log: the binary log when --log-bin is on, the redo log
// (kRedoLogName in the data directory) otherwise. Reads the position each
// database recorded (ServerState::recorded_positions) first.
Status OpenBinlog(ServerState& server);
void CloseBinlog(ServerState& server);
inline constexpr const char* kRedoLogName = "reptut-redo";
binlog::BinlogOptions CommitLogOptions(const config::ServerOptions& o);
// Before the writer connection's COMMIT: each database changed in its
// transaction records the commit log position the transaction reaches.
Status RecordWriterPositions(ServerState& server);
// Reads the position each database recorded into server.recorded_positions
// (for the replay at start-up).
void ReadRecordedPositions(ServerState& server);
// Removes redo log files older than the current one: once the log has
// rotated they are all in SQLite.
void PurgeRedo(ServerState& server);

// What a logged statement needs besides its text.
struct StatementLog {
  std::string db;                     // the database the statement changed ("" = the current one)
  std::optional<uint64_t> insert_id;  // first AUTO_INCREMENT value generated
  std::optional<uint64_t> last_insert_id;               // LAST_INSERT_ID() as the statement read it
  const std::vector<std::string>* user_vars = nullptr;  // user variables it read
  bool transactional = true;                            // DML (BEGIN ... Xid) or a group of its own
  bool suppress_use = false;  // CREATE/DROP DATABASE: no `use db` on replay
};

// Functions whose value a replay cannot compute again: USER() (and
// SESSION_USER(), SYSTEM_USER()), CURRENT_USER(), UUID(), UUID_SHORT(),
// SYSDATE(). A statement that runs on the writer connection records what
// each call returned; LogStatement writes the values before the statement's
// Query, as User_var events @`reptut_<function>_<n>` (n counts the calls of
// the statement from 1; USER() and CURRENT_USER() give one value per
// statement: n is 1), which a MariaDB replica or mariadb-binlog take as
// ordinary user variables. Replaying (start-up recovery, or a replica's
// SQL thread applying a reptutd master) the functions return those values,
// in order, and take them out of the session's user variables.
// CONNECTION_ID() needs none: the Query event carries the thread id
// (pseudo_thread_id).
// With the binary log on and binlog_format STATEMENT, such a statement
// gets MariaDB's Note 1592 (CONNECTION_ID() is safe there, as on MariaDB).
enum class LoggedFunction { kUser, kCurrentUser, kUuid, kUuidShort, kSysdate };
inline constexpr size_t kLoggedFunctions = 5;
// The value of `fn` for the statement `s` runs now: the one it recorded
// (replaying), or compute(s), recorded when `on_writer`.
UserValue LoggedFunctionValue(SessionState& s, bool on_writer, LoggedFunction fn,
                              UserValue (*compute)(SessionState&));
// Recovery: the values a replayed statement was given are gone after it.
void ForgetLoggedValues(SessionState& s);
// CONNECTION_ID(): pseudo_thread_id when set (a replay, a mariadb-binlog
// script), the master's thread id on a replica's SQL thread, else the id.
uint32_t PseudoThreadId(SessionState& s);

// Queues the statement for the binary log (if this session logs it).
void LogStatement(SessionState& s, std::string_view text, const StatementLog& log);
// LOAD DATA (exec_load.cc). Whether this session's statements go to the
// binary log now (binlog on, sql_log_bin, binlog-do/ignore-db, a replica's
// log-slave-updates): then LOAD DATA runs its rows unlogged and logs
// itself with LogLoadData; otherwise (no binary log: the redo log) its row
// INSERTs are logged as they run.
bool BinlogTakesLoadData(SessionState& s);
struct LoadDataLog {
  std::string db;             // the database the statement changed ("" = the current one)
  std::string query;          // the statement text as logged
  uint32_t fn_pos_start = 0;  // [start, end) of " [LOCAL] INFILE 'f' [IGNORE|REPLACE] INTO"
  uint32_t fn_pos_end = 0;
  uint8_t dup_handling = 0;  // binlog::LoadDupHandling
  std::string_view data;     // the file's contents
};
// Queues Begin_load_query, Append_block..., Execute_load_query.
void LogLoadData(SessionState& s, const LoadDataLog& log);
// Replaying a binary log through a session (start-up recovery): the
// statements of a LOAD DATA event. Begin_load_query / Append_block write
// (append) their block to dir/SQL_LOAD-<server id>-<file id>.data and give
// none; Execute_load_query gives the LOAD DATA INFILE statement that loads
// that file (the caller removes it afterwards: *file_to_remove). Other
// events give none.
std::vector<std::string> LoadEventStatements(const binlog::Event& e, const std::string& dir,
                                             std::string* file_to_remove);
// Called by CommitTxn before the SQLite COMMIT / after it / on rollback.
Status BinlogBeforeCommit(SessionState& s);
// The first half of BinlogBeforeCommit, for a group commit that appends
// many sessions' groups in one write: moves the session's events into
// `group` (BEGIN ... Xid around DML) and notes its databases for the
// writer's COMMIT. False when the session has nothing to log.
bool TakeLogGroup(SessionState& s, std::vector<binlog::Event>* group);
void BinlogAfterCommit(SessionState& s, bool committed);

// Statements.
void ShowMasterStatus(Exec& x);
void ShowBinaryLogs(Exec& x);
void ShowBinlogEvents(Exec& x, const sql::Statement& st);
Status FlushLogs(Exec& x);
void PurgeBinaryLogs(Exec& x, const sql::Statement& st);
void ResetMaster(Exec& x);

}  // namespace reptut::engine
