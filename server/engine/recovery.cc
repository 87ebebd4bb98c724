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
// A cleanly closed last file (no in-use flag) needs nothing. After the
// replay this file is cut back to its last complete group and its in-use
// flag cleared (binlog::FinishRecovery), before the log writer opens.
//
// Damage (binlog_recovery.h) against a torn tail:
//   - "In the data files" is everything up to the furthest position any
//     database recorded in this file: the writer commits in log order, so
//     the commit that recorded it had every group before it. What lies past
//     it is only in the log, and was acknowledged once it was written.
//   - A torn tail (the last event incomplete, nothing valid after it) was a
//     write the crash interrupted; its group was never acknowledged: cut
//     off with a [Note], as always.
//   - Damage whose cut loses complete groups past that position loses
//     acknowledged statements: start-up stops with an [ERROR] that names
//     the file, the position and what would be lost, unless
//     --recovery-accept-loss is on (then a [Warning], and the log is cut
//     there). Damage with nothing past that position loses nothing from the
//     data files: a [Warning], and the log is cut there.
#include <algorithm>
#include <cstdio>
#include <variant>

#include "binlog/binlog_index.h"
#include "binlog/binlog_reader.h"
#include "binlog/binlog_recovery.h"
#include "binlog/event_info.h"
#include "binlog/load_events.h"
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

// "3 statements in 2 transactions (positions 120-260, 260-400)".
std::string DescribeGroups(const std::vector<binlog::RecoveredGroup>& groups) {
  size_t statements = 0;
  for (const auto& g : groups) statements += g.statements;
  std::string out = std::to_string(statements) + (statements == 1 ? " statement" : " statements") +
                    " in " + std::to_string(groups.size()) +
                    (groups.size() == 1 ? " transaction" : " transactions") + " (positions ";
  for (size_t i = 0; i < groups.size() && i < 5; ++i) {
    if (i) out += ", ";
    out += std::to_string(groups[i].start) + "-" + std::to_string(groups[i].end);
    if (groups[i].xid) out += " Xid " + std::to_string(*groups[i].xid);
  }
  if (groups.size() > 5) out += ", ...";
  return out + ")";
}

// Judges damage the scan found in the last log file (see the notes above):
// an error to refuse the start with, or OK (after a [Warning]).
Status JudgeDamage(const ServerState& srv, const binlog::RecoveryInfo& info,
                   const std::string& kind, uint64_t keep) {
  if (!info.damaged) return Status::Ok();
  uint64_t in_data = 0;  // the end of what the data files have of this file
  for (const auto& [db, pos] : srv.recorded_positions) {
    if (pos.file == info.file) in_data = std::max(in_data, pos.pos);
  }
  // A replica's uncommitted batch is cut anyway and fetched again.
  if (srv.commit_log_cut && srv.commit_log_cut->file == info.file) {
    in_data = std::max(in_data, info.data_end);
  }
  std::vector<binlog::RecoveredGroup> lost;
  for (const auto& g : info.after_damage) {
    if (g.end > in_data) lost.push_back(g);
  }
  // Unreadable bytes past what the data files have: statements too.
  uint64_t unreadable_from = std::max(info.damage_pos, in_data);
  bool unreadable_lost = info.unreadable_end > unreadable_from;
  std::string where = "The " + kind + " file '" + info.path + "' is damaged at position " +
                      std::to_string(info.damage_pos) + " (" + info.damage_what + ")";
  if (lost.empty() && !unreadable_lost) {
    log::Warning("Recovery: " + where + "; everything from there on is in the data files already" +
                 " (up to position " + std::to_string(in_data) + "), so they lose nothing: the " +
                 kind + " is cut at position " + std::to_string(keep) +
                 (kind == "binary log" ? " (a replica that has not read that far does not get "
                                         "what followed it)"
                                       : ""));
    return Status::Ok();
  }
  std::string what;
  if (!lost.empty()) what = DescribeGroups(lost);
  if (unreadable_lost) {
    if (!what.empty()) what += ", and ";
    what += "the damaged transaction (the unreadable bytes " + std::to_string(unreadable_from) +
            " to " + std::to_string(info.unreadable_end) + ")";
  }
  const char* verb = srv.options.recovery_accept_loss ? "are" : "would be";
  std::string loss = std::string("acknowledged statements that the data files do not have ") +
                     verb + " lost: " + what + "; cutting the " + kind + " at position " +
                     std::to_string(keep) + " removes " + std::to_string(info.data_end - keep) +
                     " bytes";
  if (srv.options.recovery_accept_loss) {
    log::Warning("Recovery: " + where + "; " + loss +
                 ". recovery_accept_loss is set: the log is cut there and they are lost");
    return Status::Ok();
  }
  return MakeErrorMsg(ER_UNKNOWN_ERROR,
                      "Recovery: " + where + ".\nRecovery: " + loss +
                          ".\nRecovery: start-up stopped. To start anyway, cutting the " + kind +
                          " at position " + std::to_string(keep) +
                          " and losing them, start once with --recovery-accept-loss "
                          "(recovery_accept_loss=1 in the [mysqld] group of my.cnf)");
}

// After a crash: SQLite's quick_check of every data file. A damaged file is
// named in the error log with its damaged tables; start-up goes on (the
// statements that meet the damage fail with 1034 naming the table, and
// CHECK TABLE lists it), as the other tables are whole.
void CheckDataFilesAfterCrash(ServerState& srv) {
  for (const std::string& db : srv.datadir.ListDatabases()) {
    std::string file = srv.datadir.DatabaseFile(db);
    storage::SqliteConn conn;
    if (!conn.Open("NORMAL").ok() || !conn.Attach("d", file).ok()) continue;
    std::vector<std::string> problems;
    storage::SqliteStmt st;
    if (conn.Prepare("PRAGMA d.quick_check(20)", &st).ok()) {
      while (st.Step() == SQLITE_ROW) {
        // A row may hold several lines; "*** in database d ***" heads them.
        std::string text = st.Text(0);
        size_t start = 0;
        while (start <= text.size()) {
          size_t nl = text.find('\n', start);
          std::string line = text.substr(start, nl == std::string::npos ? nl : nl - start);
          if (!line.empty() && line != "ok" && line.rfind("*** in database", 0) != 0) {
            problems.push_back(line);
          }
          if (nl == std::string::npos) break;
          start = nl + 1;
        }
      }
    } else {
      problems.push_back(conn.LastError().message);
    }
    st = storage::SqliteStmt();
    if (problems.empty()) continue;
    // "Tree 7 page 12 ..." or "Page 7: ...": a b-tree's root page names
    // its table.
    std::vector<std::string> tables;
    storage::SqliteStmt roots;
    if (conn.Prepare("SELECT tbl_name, rootpage FROM d.sqlite_master WHERE rootpage > 0", &roots)
            .ok()) {
      while (roots.Step() == SQLITE_ROW) {
        std::string name = roots.Text(0);
        std::string tree = "Tree " + std::to_string(roots.Int(1)) + " ";
        std::string root = "Page " + std::to_string(roots.Int(1)) + ":";
        if (name.rfind("_reptut", 0) == 0) continue;
        for (const std::string& p : problems) {
          if ((p.find(tree) != std::string::npos || p.rfind(root, 0) == 0) &&
              std::find(tables.begin(), tables.end(), name) == tables.end()) {
            tables.push_back(name);
          }
        }
      }
    }
    std::string which;
    for (const std::string& t : tables) which += (which.empty() ? "" : ", ") + db + "." + t;
    log::ErrorLine("Data file " + file + " is damaged" +
                   (which.empty() ? "" : " (tables " + which + ")") + ": " + problems.front() +
                   (problems.size() > 1
                        ? " (and " + std::to_string(problems.size() - 1) + " more problems)"
                        : "") +
                   "; CHECK TABLE shows the damaged tables; restore them from a backup");
  }
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
  const bool redo = !srv.options.log_bin_enabled;
  const std::string kind = redo ? "redo log" : "binary log";
  log::Note("Recovering after a crash using " + index->back());
  CheckDataFilesAfterCrash(srv);
  Result<binlog::RecoveryInfo> scanned = binlog::ScanForRecovery(path, file);
  if (!scanned.ok()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Recovery: the " + kind + " file '" + path +
                                              "' cannot be read: " + scanned.error().message);
  }
  binlog::RecoveryInfo& info = *scanned;

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
  uint64_t keep = info.scanned_end;
  if (srv.commit_log_cut) {
    for (uint64_t b : info.boundaries) {
      if (b == srv.commit_log_cut->pos) keep = b;
    }
  }
  REPTUT_RETURN_IF_ERROR(JudgeDamage(srv, info, kind, keep));

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
  // Each replayed statement commits as the client's did, whatever SET
  // GLOBAL autocommit says to new client sessions.
  s.autocommit = true;
  s.vars["autocommit"] = "1";

  ErrorSink sink;
  size_t failed = 0;
  for (;;) {
    auto next = (*reader)->Next();
    if (!next.ok() || !*next) break;  // a partial last event: cut off when the log opens
    if ((*next)->pos >= cut) break;
    const binlog::Event& e = (*next)->event;
    s.replay_end = {file, e.header.end_log_pos};
    s.replay_foreign = e.header.server_id != srv.options.server_id;
    // LOAD DATA: its blocks go to a file, and its statement loads that file.
    std::string load_file;
    const auto* query = std::get_if<binlog::QueryEvent>(&e.body);
    std::optional<binlog::ExecuteLoadQuery> load;
    if (!query && e.header.type == binlog::kExecuteLoadQueryEvent) {
      load = binlog::DecodeExecuteLoadQuery(e);
      if (load) query = &load->query;
    }
    if (query) {
      // CONNECTION_ID() gives the thread id the statement had
      // (pseudo_thread_id, as mariadb-binlog's output sets it).
      std::string id = std::to_string(query->thread_id);
      auto [it, added] = s.vars.try_emplace("pseudo_thread_id", id);
      if (added || it->second != id) {
        it->second = id;
        ++s.vars_generation;
      }
    }
    std::vector<std::string> statements = StatementsOf(e);
    if (statements.empty()) statements = LoadEventStatements(e, srv.datadir.path(), &load_file);
    for (const std::string& sql : statements) {
      sink.error.reset();
      session.Query(sql, sink);
      if (sink.error) {
        ++failed;
        log::Warning("Recovery: '" + sql.substr(0, 200) + "' (" + file + " at " +
                     std::to_string((*next)->pos) + ") failed: " + sink.error->message);
      }
    }
    if (!load_file.empty()) std::remove(load_file.c_str());
    // The values the statement's functions had (User_var events before it,
    // LoggedFunction in binlogging.h) are for it alone (one already in the
    // data files took none).
    if (query) ForgetLoggedValues(s);
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
  // What was replayed is in SQLite before the file stops saying it needs
  // recovery; then the file is cut back and closed.
  REPTUT_RETURN_IF_ERROR(CommitWriterTxn(srv));
  std::vector<std::string> lines;
  REPTUT_RETURN_IF_ERROR(
      binlog::FinishRecovery(info, keep, index->back(), &lines, redo ? "Redo log" : "Binlog"));
  for (const std::string& l : lines) {
    if (info.damaged) {
      log::Warning(l);
    } else {
      log::Note(l);
    }
  }
  log::Note("Crash recovery finished.");
  return Status::Ok();
}

}  // namespace reptut::engine
