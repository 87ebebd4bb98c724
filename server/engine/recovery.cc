// Start-up recovery: the commit log has what SQLite may not.
//
// A statement is durable once its group is in the commit log (the binary
// log, or the redo log without --log-bin); SQLite commits later, in batches
// (group_commit.h). After kill -9, the last log file may hold groups that
// no data file has. This replays them, before the log writer opens (and
// truncates a partial last event, and starts a new file).
//
// Invariants this relies on:
//   - Everything before the last log file is in SQLite: the engine commits
//     the writer's transaction before any rotation (Publish past
//     max_binlog_size, FLUSH LOGS, shutdown), and a new file is started only
//     after this replay.
//   - Each database records, in the same SQLite transaction as the changes,
//     the log position its last committed group reaches; DDL groups record
//     it in `mysql` too. An event is applied to the database it changes only
//     if that database's recorded position is before the event's end
//     (AlreadyApplied), so replaying twice (a crash during recovery) applies
//     nothing twice.
//   - The replay runs the events' statements through an ordinary session
//     with the events' context (USE, SET TIMESTAMP, INSERT_ID, user
//     variables, RAND seeds), as a replica's SQL thread would; the session
//     writes nothing to the log (the events are there already).
// A cleanly closed last file (no in-use flag) needs nothing.
#include <variant>

#include "binlog/binlog_index.h"
#include "binlog/binlog_reader.h"
#include "binlog/event_info.h"
#include "common/log.h"
#include "engine/binlogging.h"
#include "engine/exec.h"
#include "engine/group_commit.h"
#include "engine/server.h"
#include "engine/server_state.h"

namespace reptut::engine {
namespace {

// Keeps the last error a statement answered with.
class ErrorSink : public ResponseSink {
 public:
  void SendOk(const OkInfo&, uint16_t) override {}
  void SendError(const Error& e) override { error = e; }
  void SendColumns(const std::vector<ColumnInfo>&) override {}
  bool SendRow(const Row&) override { return true; }
  void SendEof(uint16_t, uint16_t) override {}
  std::optional<Error> error;
};

// The statements that put a session in the event's context and run it.
std::vector<std::string> StatementsOf(const binlog::Event& e) {
  if (const auto* q = std::get_if<binlog::QueryEvent>(&e.body)) {
    if (q->query == "BEGIN" || q->query == "COMMIT" || q->query == "ROLLBACK") return {q->query};
    std::vector<std::string> out;
    if (!q->db.empty() && !(e.header.flags & binlog::kFlagSuppressUse)) {
      std::string quoted;
      for (char c : q->db) quoted += c == '`' ? std::string("``") : std::string(1, c);
      out.push_back("USE `" + quoted + "`");
    }
    out.push_back("SET TIMESTAMP=" + std::to_string(e.header.timestamp));
    out.push_back(q->query);
    return out;
  }
  if (std::holds_alternative<binlog::XidEvent>(e.body)) return {"COMMIT"};
  if (const auto* iv = std::get_if<binlog::IntvarEvent>(&e.body)) {
    return {(iv->kind == binlog::kInsertIdEvent ? "SET INSERT_ID=" : "SET LAST_INSERT_ID=") +
            std::to_string(iv->value)};
  }
  if (const auto* r = std::get_if<binlog::RandEvent>(&e.body)) {
    return {"SET @@RAND_SEED1=" + std::to_string(r->seed1) +
            ", @@RAND_SEED2=" + std::to_string(r->seed2)};
  }
  if (std::holds_alternative<binlog::UserVarEvent>(e.body)) {
    return {"SET " + binlog::EventInfo(e)};
  }
  return {};
}

}  // namespace

Status Server::ReplayCommitLog() {
  ServerState& srv = *state_;
  binlog::BinlogOptions bo = CommitLogOptions(srv.options);
  Result<binlog::BinlogNames> names =
      binlog::ResolveBinlogNames(bo.datadir, bo.log_bin, bo.log_bin_index, bo.hostname);
  if (!names.ok()) return Status::Ok();  // the log writer reports it
  Result<std::vector<std::string>> index = binlog::ReadIndexFile(names->index_path);
  if (!index.ok() || index->empty()) return Status::Ok();
  std::string path = binlog::ResolveIndexEntry(bo.datadir, index->back());
  std::string file = binlog::BaseName(index->back());
  auto reader = binlog::BinlogReader::Open(path, {}, file);
  if (!reader.ok() || !(*reader)->in_use_flag()) return Status::Ok();

  // A replica's binary log (log-slave-updates) holds the SQL thread's
  // groups, with their originating server's id. Its batch is appended
  // before `mysql` records it; one that `mysql` did not record never
  // committed everywhere: the log is cut there (the SQL thread applies and
  // logs it again, applier.h), and nothing after it is replayed.
  uint64_t cut = UINT64_MAX;
  if (srv.options.log_bin_enabled) {
    binlog::LogPosition mysql_pos;
    if (auto it = srv.recorded_positions.find("mysql"); it != srv.recorded_positions.end()) {
      mysql_pos = it->second;
    }
    auto scan = binlog::BinlogReader::Open(path, {}, file);
    if (scan.ok()) {
      uint64_t group_start = (*scan)->position();
      bool foreign = false, in_txn = false;
      for (;;) {
        auto next = (*scan)->Next();
        if (!next.ok() || !*next) break;
        const binlog::Event& e = (*next)->event;
        uint8_t type = e.header.type;
        if (type == binlog::kFormatDescriptionEvent || type == binlog::kRotateEvent ||
            type == binlog::kStopEvent) {
          group_start = (*scan)->position();
          continue;
        }
        if (e.header.server_id != srv.options.server_id) foreign = true;
        const auto* q = std::get_if<binlog::QueryEvent>(&e.body);
        bool end = false;
        if (q && q->query == "BEGIN") {
          in_txn = true;
        } else if (std::holds_alternative<binlog::XidEvent>(e.body) ||
                   (q && (q->query == "COMMIT" || q->query == "ROLLBACK"))) {
          end = true;
        } else if (q) {
          end = !in_txn;
        }
        if (!end) continue;
        binlog::LogPosition group_end{file, e.header.end_log_pos};
        bool recorded = mysql_pos.file == file && mysql_pos.pos >= group_end.pos;
        if (foreign && !recorded && !(mysql_pos.file > file)) {
          cut = group_start;
          break;
        }
        foreign = in_txn = false;
        group_start = (*scan)->position();
      }
    }
    if (cut != UINT64_MAX) {
      srv.commit_log_cut = binlog::LogPosition{file, cut};
      log::Note("Recovery: the replica's transactions from " + file + " position " +
                std::to_string(cut) +
                " on did not commit; they are cut from the binary log and the SQL thread "
                "applies them again");
    }
  }

  Result<std::unique_ptr<Session>> made = NewSession();
  if (!made.ok()) return made.error();
  Session& session = **made;
  SessionState& s = *session.state_;
  s.logged_in = true;
  s.user = "reptut-recovery";
  s.client_host = "localhost";
  s.account.user = s.user;
  s.account.host = "localhost";
  s.account.global = sql::kPrivAllGlobal | sql::kPrivGrantOption;
  s.replaying = true;

  ErrorSink sink;
  size_t failed = 0;
  for (;;) {
    auto next = (*reader)->Next();
    if (!next.ok() || !*next) break;  // a partial last event: cut off when the log opens
    if ((*next)->pos >= cut) break;
    const binlog::Event& e = (*next)->event;
    s.replay_end = {file, e.header.end_log_pos};
    s.replay_foreign = e.header.server_id != srv.options.server_id;
    for (const std::string& sql : StatementsOf(e)) {
      sink.error.reset();
      session.Query(sql, sink);
      if (sink.error) {
        ++failed;
        log::Warning("Recovery: '" + sql.substr(0, 200) + "' (" + file + " at " +
                     std::to_string((*next)->pos) + ") failed: " + sink.error->message);
      }
    }
  }
  // A group the log ends in the middle of was never committed.
  if (s.sqlite_txn || s.explicit_txn) RollbackTxn(s);
  s.replaying = false;
  if (!s.replay_foreign_dbs.empty()) {
    // The SQL thread's groups that `mysql` recorded but these databases
    // lacked are in them now: they record the position `mysql` has, so the
    // SQL thread does not apply them once more (applier.h).
    Status c = CommitWriterTxn(srv);
    if (!c.ok()) return c;
    storage::SqliteConn conn;
    if (conn.Open("FULL").ok() && conn.Attach("mysql", srv.datadir.DatabaseFile("mysql")).ok()) {
      storage::SqliteStmt st;
      std::string master_file;
      int64_t master_pos = 0;
      if (conn.Prepare("SELECT master_file, master_pos FROM mysql._reptut_replica_state", &st)
              .ok() &&
          st.Step() == SQLITE_ROW) {
        master_file = st.Text(0);
        master_pos = st.Int(1);
      }
      st = storage::SqliteStmt();
      for (const std::string& db : s.replay_foreign_dbs) {
        if (master_file.empty() || db == "mysql" || !srv.datadir.DatabaseExists(db)) continue;
        if (!conn.Attach(db, srv.datadir.DatabaseFile(db)).ok()) continue;
        std::string q = storage::SqliteConn::Quote(db);
        (void)conn.Exec("CREATE TABLE IF NOT EXISTS " + q +
                        "._reptut_replica_pos (id INTEGER PRIMARY KEY, master_file TEXT NOT NULL,"
                        " master_pos INTEGER NOT NULL)");
        (void)conn.Exec("INSERT OR REPLACE INTO " + q +
                        "._reptut_replica_pos (id, master_file, master_pos) VALUES (1, " +
                        storage::SqliteConn::Literal(master_file) + ", " +
                        std::to_string(master_pos) + ")");
        (void)conn.Detach(db);
      }
    }
  }
  if (s.replay_applied > 0 || failed > 0) {
    log::Note("Recovery: applied " + std::to_string(s.replay_applied) + " statements from " + file +
              " that the data files did not have" +
              (failed ? " (" + std::to_string(failed) + " failed)" : ""));
  }
  return Status::Ok();
}

}  // namespace reptut::engine
