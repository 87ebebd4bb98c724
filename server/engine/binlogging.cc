#include "engine/binlogging.h"

#include <atomic>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "binlog/binlog_reader.h"
#include "binlog/binlog_writer.h"
#include "binlog/event_info.h"
#include "binlog/load_events.h"
#include "binlog/statement_events.h"
#include "common/errors.h"
#include "common/log.h"
#include "engine/group_commit.h"
#include "engine/statement_cache.h"
#include "sql/sql_mode.h"
#include "sql/table_def.h"

namespace reptut::engine {
namespace {

using storage::SqliteConn;
constexpr const char* kPosTable = "_reptut_binlog_pos";

uint16_t CollationOf(const std::string& charset_or_collation) {
  uint16_t id = sql::CollationId(charset_or_collation);
  if (id) return id;
  id = sql::CollationId(sql::DefaultCollationFor(charset_or_collation));
  return id ? id : 8;
}

binlog::SessionContext ContextOf(SessionState& s) {
  // The variables change only by SET: computed again after one.
  if (s.context_cache && s.context_cache_generation == s.vars_generation) {
    binlog::SessionContext c = *s.context_cache;
    c.db = s.db;
    c.autocommit = s.autocommit;
    if (s.apply.active) c.thread_id = s.apply.thread_id;
    return c;
  }
  binlog::SessionContext c;
  // A replica logs what it applies with the master's thread id (log-slave-updates).
  c.thread_id = PseudoThreadId(s);
  c.db = s.db;
  c.sql_mode = sql::SqlModeBits(s.SessionVar("sql_mode"));
  c.autocommit = s.autocommit;
  c.foreign_key_checks = s.SessionVar("foreign_key_checks") != "0";
  c.unique_checks = s.SessionVar("unique_checks") != "0";
  c.sql_auto_is_null = s.SessionVar("sql_auto_is_null") == "1";
  c.auto_increment_increment = static_cast<uint16_t>(
      std::strtoul(s.SessionVar("auto_increment_increment").c_str(), nullptr, 10));
  c.auto_increment_offset = static_cast<uint16_t>(
      std::strtoul(s.SessionVar("auto_increment_offset").c_str(), nullptr, 10));
  c.character_set_client = CollationOf(s.SessionVar("character_set_client"));
  c.collation_connection = CollationOf(s.SessionVar("collation_connection"));
  c.collation_server = CollationOf(s.SessionVar("collation_server"));
  s.context_cache = c;
  s.context_cache_generation = s.vars_generation;
  return c;
}

uint32_t Timestamp(SessionState& s) {
  if (uint32_t ts = s.Hot().timestamp) return ts;
  return static_cast<uint32_t>(s.statement_time ? s.statement_time : ::time(nullptr));
}

bool Logs(SessionState& s) {
  ServerState& srv = *s.server;
  if (s.apply.active) {
    // The replica's SQL thread: the relay log is its redo log (applier.h);
    // the binary log only with log-slave-updates.
    if (!srv.binlog || !s.apply.log_updates) return false;
  } else if (!srv.binlog) {
    return srv.redo != nullptr;  // the redo log takes every change
  }
  if (!s.Hot().sql_log_bin) return false;
  const auto& o = srv.options;
  if (!o.binlog_do_db.empty()) {
    bool found = false;
    for (const auto& d : o.binlog_do_db) found = found || d == s.db;
    if (!found) return false;
  }
  for (const auto& d : o.binlog_ignore_db) {
    if (d == s.db) return false;
  }
  return true;
}

// What the statement a thread runs now got from the functions of
// LoggedFunction (binlogging.h). Both the functions and LogStatement run on
// the thread that runs the statement (the session's own, or the group
// commit leader's for its batch), so the record is the thread's; it belongs
// to one statement of one session (the session's count of statements
// tells them apart) and starts again at the next.
struct StatementValues {
  const SessionState* session = nullptr;
  uint32_t session_id = 0;
  uint64_t question = 0;
  time_t statement_time = 0;
  uint32_t calls[kLoggedFunctions] = {};
  std::optional<UserValue> once[2];  // USER(), CURRENT_USER(): one value a statement
  std::vector<std::pair<std::string, UserValue>> logged;  // to log, in call order
  bool unsafe = false;  // MariaDB calls the statement unsafe for statement-based logging
};
thread_local StatementValues t_values;

StatementValues& ValuesOf(SessionState& s) {
  StatementValues& v = t_values;
  if (v.session != &s || v.session_id != s.id || v.question != s.status.questions ||
      v.statement_time != s.statement_time) {
    v.session = &s;
    v.session_id = s.id;
    v.question = s.status.questions;
    v.statement_time = s.statement_time;
    for (uint32_t& c : v.calls) c = 0;
    v.once[0].reset();
    v.once[1].reset();
    if (v.logged.capacity() > 4096) {
      std::vector<std::pair<std::string, UserValue>>().swap(v.logged);  // a big statement's
    }
    v.logged.clear();
    v.unsafe = false;
  }
  return v;
}

const char* LoggedName(LoggedFunction fn) {
  switch (fn) {
    case LoggedFunction::kUser:
      return "user";
    case LoggedFunction::kCurrentUser:
      return "current_user";
    case LoggedFunction::kUuid:
      return "uuid";
    case LoggedFunction::kUuidShort:
      return "uuid_short";
    case LoggedFunction::kSysdate:
      return "sysdate";
  }
  return "value";
}

constexpr std::string_view kLoggedPrefix = "reptut_";

// The session's values for this statement, as User_var events.
void LogStatementValues(SessionState& s, uint32_t ts) {
  StatementValues& v = t_values;
  if (v.session != &s || v.session_id != s.id || v.question != s.status.questions ||
      v.statement_time != s.statement_time) {
    return;
  }
  for (auto& [name, value] : v.logged) {
    switch (value.type) {
      case UserValue::Type::kNull:
        s.binlog_cache.push_back(binlog::MakeUserVarNull(ts, name));
        break;
      case UserValue::Type::kInt:
        s.binlog_cache.push_back(binlog::MakeUserVarInt(ts, name, value.i, value.is_unsigned));
        break;
      case UserValue::Type::kReal:
        s.binlog_cache.push_back(binlog::MakeUserVarReal(ts, name, value.d));
        break;
      case UserValue::Type::kString:
        s.binlog_cache.push_back(
            binlog::MakeUserVarString(ts, name, value.s, CollationOf(value.charset)));
        break;
    }
  }
  // Values after this belong to the next logged statement (LOAD DATA
  // without the binary log logs its rows as INSERTs, one after another),
  // which a replay runs on its own: numbered from 1 again.
  v.logged.clear();
  for (uint32_t& c : v.calls) c = 0;
  v.once[0].reset();
  v.once[1].reset();
  if (v.unsafe && s.server->binlog && !s.apply.active) {
    v.unsafe = false;
    std::string format = s.SessionVar("binlog_format");
    for (char& c : format) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (format == "STATEMENT") {
      // MariaDB 10.11's text (MySQL 5.7 ends it with a period).
      s.AddWarning("Note", 1592,
                   "Unsafe statement written to the binary log using statement format since "
                   "BINLOG_FORMAT = STATEMENT. Statement is unsafe because it uses a system "
                   "function that may return a different value on the slave");
    }
  }
}

}  // namespace

uint32_t PseudoThreadId(SessionState& s) {
  if (s.apply.active) return s.apply.thread_id;
  auto it = s.vars.find("pseudo_thread_id");
  if (it != s.vars.end()) {
    uint64_t id = std::strtoull(it->second.c_str(), nullptr, 10);
    if (id != 0) return static_cast<uint32_t>(id);
  }
  return s.id;
}

UserValue LoggedFunctionValue(SessionState& s, bool on_writer, LoggedFunction fn,
                              UserValue (*compute)(SessionState&)) {
  const bool replay = s.replaying || s.apply.active;
  if (!on_writer && !replay) return compute(s);
  StatementValues& v = ValuesOf(s);
  const size_t k = static_cast<size_t>(fn);
  const bool once = fn == LoggedFunction::kUser || fn == LoggedFunction::kCurrentUser;
  if (once && v.once[k]) return *v.once[k];
  uint32_t n = once ? 1 : ++v.calls[k];
  std::string name = std::string(kLoggedPrefix) + LoggedName(fn) + "_" + std::to_string(n);
  std::optional<UserValue> value;
  if (replay) {
    auto it = s.user_vars.find(name);
    if (it != s.user_vars.end()) {
      value = std::move(it->second);
      s.user_vars.erase(it);
    }
  }
  if (!value) value = compute(s);
  if (once) v.once[k] = *value;
  v.unsafe = true;
  // A replica that logs what it applies (log-slave-updates) logs them again.
  if (on_writer && !s.replaying && s.server->commit_log()) v.logged.emplace_back(name, *value);
  return *value;
}

void ForgetLoggedValues(SessionState& s) {
  for (auto it = s.user_vars.lower_bound(std::string(kLoggedPrefix));
       it != s.user_vars.end() && it->first.compare(0, kLoggedPrefix.size(), kLoggedPrefix) == 0;) {
    it = s.user_vars.erase(it);
  }
}

// The commit log position each database's last commit reached.
void ReadRecordedPositions(ServerState& srv) {
  SqliteConn conn;
  if (!conn.Open("NORMAL").ok()) return;
  for (const std::string& db : srv.datadir.ListDatabases()) {
    if (!conn.Attach(db, srv.datadir.DatabaseFile(db)).ok()) continue;
    storage::SqliteStmt st;
    if (conn.Prepare("SELECT file, pos FROM " + SqliteConn::Quote(db) + "." + kPosTable, &st)
            .ok() &&
        st.Step() == SQLITE_ROW) {
      srv.recorded_positions[db] = {st.Text(0), static_cast<uint64_t>(st.Int(1))};
    }
    st = storage::SqliteStmt();
    (void)conn.Detach(db);
  }
}

namespace {

storage::SqliteError RecordPosition(SqliteConn& conn, const std::string& db,
                                    const binlog::LogPosition& p) {
  std::string q = SqliteConn::Quote(db);
  // Runs at every commit of the writer: prepared once per database.
  std::string ins =
      "INSERT OR REPLACE INTO " + q + "." + kPosTable + " (id, file, pos) VALUES (1, ?1, ?2)";
  auto run = [&]() -> storage::SqliteError {
    storage::SqliteStmt st;
    storage::SqliteError e = conn.PrepareCached(ins, &st);
    if (!e.ok()) return e;
    st.BindText(1, p.file);
    st.BindInt(2, static_cast<int64_t>(p.pos));
    if (st.Step() != SQLITE_DONE) return conn.LastError();
    return {};
  };
  storage::SqliteError e = run();
  if (!e.ok()) {
    e = conn.Exec("CREATE TABLE IF NOT EXISTS " + q + "." + kPosTable +
                  " (id INTEGER PRIMARY KEY, file TEXT NOT NULL, pos INTEGER NOT NULL)");
    if (e.ok()) e = run();
  }
  return e;
}

Error CommandError(const std::string& command, const std::string& why) {
  return MakeError(ER_ERROR_WHEN_EXECUTING_COMMAND, {command, why});
}

Status NeedPriv(Exec& x, PrivSet any_of, const char* names) {
  if ((x.s.account.global & any_of) != 0) return Status::Ok();
  return MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {names});
}

}  // namespace

Status OpenBinlog(ServerState& srv) {
  binlog::OpenReport report;
  binlog::BinlogOptions options = CommitLogOptions(srv.options);
  if (srv.commit_log_cut) {
    binlog::LogPosition cut = *srv.commit_log_cut;
    options.recovery_decider = [cut](const binlog::RecoveryInfo& info) {
      if (info.file != cut.file) return info.scanned_end;
      for (uint64_t b : info.boundaries) {
        if (b == cut.pos) return b;
      }
      return info.scanned_end;
    };
  }
  Result<std::unique_ptr<binlog::BinlogWriter>> w = binlog::BinlogWriter::Open(options, &report);
  for (const std::string& n : report.notes) log::Note(n);
  for (const std::string& n : report.warnings) log::Warning(n);
  if (!w.ok()) return w.error();
  if (!srv.options.log_bin_enabled) {
    srv.redo = std::move(*w);
    PurgeRedo(srv);  // everything is in SQLite now
    return Status::Ok();
  }
  srv.binlog = std::move(*w);
  const binlog::BinlogNames& names = srv.binlog->names();
  srv.globals.SetInternal("log_bin_basename", names.dir + "/" + names.stem);
  srv.globals.SetInternal("log_bin_index", names.index_path);
  return Status::Ok();
}

binlog::BinlogOptions CommitLogOptions(const config::ServerOptions& o) {
  binlog::BinlogOptions bo = binlog::BinlogOptionsFrom(o);
  if (!o.log_bin_enabled) {
    // Every complete group is kept at a crash: start-up replays into SQLite
    // what it had not committed (recovery.h).
    bo.log_bin = kRedoLogName;
    bo.log_bin_index.clear();
    bo.max_binlog_size = 16ull * 1024 * 1024;
    bo.checksum = true;
    bo.sync_binlog = o.innodb_flush_log_at_trx_commit == 1 ? 1 : 0;
    bo.expire_logs_days = 0;
    bo.preallocate_and_map = true;  // nobody reads it while it grows
  }
  return bo;
}

void CloseBinlog(ServerState& srv) {
  for (auto* w : {&srv.binlog, &srv.redo}) {
    if (!*w) continue;
    Status st = (*w)->Close();
    if (!st.ok())
      log::ErrorLine("Closing the " + std::string(w == &srv.redo ? "redo" : "binary") +
                     " log: " + st.message());
    w->reset();
  }
}

void PurgeRedo(ServerState& srv) {
  if (!srv.redo) return;
  uint32_t seq = srv.redo->ActiveSequence();
  if (seq == srv.redo_purged_seq) return;
  binlog::LogPosition at = srv.redo->Position();
  auto r = srv.redo->PurgeTo(at.file, [](const std::string&) { return false; });
  if (!r.ok()) log::Warning("Purging the redo log: " + r.error().message);
  srv.redo_purged_seq = seq;
}

Status RecordWriterPositions(ServerState& srv) {
  storage::SqliteConn& w = srv.writer.conn;
  for (const std::string& db : srv.writer_log_dbs) {
    if (!w.IsAttached(db)) continue;
    storage::SqliteError e = RecordPosition(w, db, srv.writer_log_end);
    if (!e.ok()) {
      return MakeErrorMsg(ER_UNKNOWN_ERROR,
                          "Can't record the commit log position in '" + db + "': " + e.message);
    }
  }
  srv.writer_log_dbs.clear();
  return Status::Ok();
}

void LogStatement(SessionState& s, std::string_view text, const StatementLog& l) {
  if (s.replaying) {
    // Already in the commit log: only note which database now has it.
    s.binlog_dbs.insert(l.db.empty() ? (s.db.empty() ? std::string("mysql") : s.db) : l.db);
    return;
  }
  if (s.apply.active) {
    // The databases a replicated group changes record where the SQL thread is.
    s.apply.group_dbs.insert(l.db.empty() ? (s.db.empty() ? std::string("mysql") : s.db) : l.db);
  }
  if (!Logs(s)) return;
  uint32_t ts = Timestamp(s);
  if (l.last_insert_id) {
    s.binlog_cache.push_back(
        binlog::MakeIntvarEvent(ts, binlog::kLastInsertIdEvent, *l.last_insert_id));
  }
  if (l.insert_id) {
    s.binlog_cache.push_back(binlog::MakeIntvarEvent(ts, binlog::kInsertIdEvent, *l.insert_id));
  }
  if (s.rand_used) {
    s.binlog_cache.push_back(binlog::MakeRandEvent(ts, s.rand_used_seed1, s.rand_used_seed2));
  }
  static const std::vector<std::string> kNone;
  for (const std::string& name : l.user_vars ? *l.user_vars : kNone) {
    if (IsLiteralVar(name)) continue;  // a literal of a cached statement shape
    auto it = s.user_vars.find(name);
    if (it == s.user_vars.end() || it->second.type == UserValue::Type::kNull) {
      s.binlog_cache.push_back(binlog::MakeUserVarNull(ts, name));
      continue;
    }
    const UserValue& v = it->second;
    switch (v.type) {
      case UserValue::Type::kInt:
        s.binlog_cache.push_back(binlog::MakeUserVarInt(ts, name, v.i, v.is_unsigned));
        break;
      case UserValue::Type::kReal:
        s.binlog_cache.push_back(binlog::MakeUserVarReal(ts, name, v.d));
        break;
      default:
        s.binlog_cache.push_back(binlog::MakeUserVarString(ts, name, v.s, CollationOf(v.charset)));
        break;
    }
  }
  LogStatementValues(s, ts);
  binlog::Event query = binlog::MakeQueryEvent(ContextOf(s), ts, std::string(text));
  if (l.suppress_use) query.header.flags |= binlog::kFlagSuppressUse;
  s.binlog_cache.push_back(std::move(query));
  if (!l.transactional) s.binlog_standalone = true;
  s.binlog_dbs.insert(l.db.empty() ? (s.db.empty() ? std::string("mysql") : s.db) : l.db);
}

bool BinlogTakesLoadData(SessionState& s) {
  if (s.replaying || !s.server->binlog) return false;
  return Logs(s);
}

void LogLoadData(SessionState& s, const LoadDataLog& l) {
  const std::string db = l.db.empty() ? (s.db.empty() ? std::string("mysql") : s.db) : l.db;
  if (s.apply.active) s.apply.group_dbs.insert(db);
  if (!BinlogTakesLoadData(s)) return;
  // MySQL numbers the loads of a server (its binary log's file ids).
  static std::atomic<uint32_t> next_file_id{1};
  uint32_t file_id = next_file_id.fetch_add(1);
  uint32_t ts = Timestamp(s);
  for (binlog::Event& e : binlog::MakeLoadBlockEvents(ts, file_id, l.data)) {
    s.binlog_cache.push_back(std::move(e));
  }
  LogStatementValues(s, ts);  // UUID() ... in its SET clause
  binlog::ExecuteLoadQuery x;
  binlog::Event q = binlog::MakeQueryEvent(ContextOf(s), ts, l.query);
  x.query = std::get<binlog::QueryEvent>(q.body);
  x.file_id = file_id;
  x.fn_pos_start = l.fn_pos_start;
  x.fn_pos_end = l.fn_pos_end;
  x.dup_handling = l.dup_handling;
  s.binlog_cache.push_back(binlog::MakeExecuteLoadQueryEvent(ts, x));
  s.binlog_dbs.insert(db);
}

std::vector<std::string> LoadEventStatements(const binlog::Event& e, const std::string& dir,
                                             std::string* file_to_remove) {
  auto path_of = [&](uint32_t file_id) {
    return dir + "/SQL_LOAD-" + std::to_string(e.header.server_id) + "-" + std::to_string(file_id) +
           ".data";
  };
  if (std::optional<binlog::LoadBlock> b = binlog::DecodeLoadBlock(e)) {
    std::string path = path_of(b->file_id);
    std::FILE* f =
        std::fopen(path.c_str(), e.header.type == binlog::kBeginLoadQueryEvent ? "wb" : "ab");
    if (f) {
      if (!b->data.empty()) (void)std::fwrite(b->data.data(), 1, b->data.size(), f);
      std::fclose(f);
    }
    return {};
  }
  std::optional<binlog::ExecuteLoadQuery> x = binlog::DecodeExecuteLoadQuery(e);
  if (!x) return {};
  std::string path = path_of(x->file_id);
  if (file_to_remove) *file_to_remove = path;
  std::vector<std::string> out;
  if (!x->query.db.empty() && !(e.header.flags & binlog::kFlagSuppressUse)) {
    std::string quoted;
    for (char c : x->query.db) quoted += c == '`' ? std::string("``") : std::string(1, c);
    out.push_back("USE `" + quoted + "`");
  }
  out.push_back("SET TIMESTAMP=" + std::to_string(e.header.timestamp));
  out.push_back(binlog::RewriteLoadQuery(*x, path));
  return out;
}

bool TakeLogGroup(SessionState& s, std::vector<binlog::Event>* group) {
  ServerState& srv = *s.server;
  if (!srv.commit_log() || s.binlog_cache.empty()) return false;
  size_t first = group->size();
  uint32_t ts = Timestamp(s);
  if (!s.binlog_standalone) {
    binlog::SessionContext begin = ContextOf(s);
    begin.db.clear();  // MySQL shows a bare BEGIN
    group->push_back(binlog::MakeQueryEvent(begin, ts, "BEGIN"));
  }
  for (auto& e : s.binlog_cache) group->push_back(std::move(e));
  if (!s.binlog_standalone) group->push_back(binlog::MakeXidEvent(ts, srv.next_xid++));
  s.binlog_cache.clear();
  // Recorded in each database by the writer's COMMIT (RecordWriterPositions).
  for (const std::string& db : s.binlog_dbs) srv.writer_log_dbs.insert(db);
  if (s.apply.active) {
    // log-slave-updates: the group keeps its originating server's id, and
    // `mysql` records how far the binary log has the SQL thread's groups
    // (recovery cuts what it did not record).
    for (size_t i = first; i < group->size(); ++i) {
      (*group)[i].header.server_id = s.apply.server_id;
    }
    srv.writer_log_dbs.insert("mysql");
  }
  s.binlog_dbs.clear();
  return true;
}

Status BinlogBeforeCommit(SessionState& s) {
  ServerState& srv = *s.server;
  if (s.replaying) {
    for (const std::string& db : s.binlog_dbs) srv.writer_log_dbs.insert(db);
    if (!s.binlog_dbs.empty()) srv.writer_log_end = s.replay_end;
    s.binlog_dbs.clear();
    return Status::Ok();
  }
  std::vector<binlog::Event> group;
  if (s.apply.active) {
    // The batch's groups, each framed when it ended, then a DDL's own.
    group = std::move(s.apply.log_groups);
    s.apply.log_groups.clear();
    (void)TakeLogGroup(s, &group);
    if (group.empty()) return Status::Ok();
  } else if (!TakeLogGroup(s, &group)) {
    return Status::Ok();
  }
  binlog::BinlogWriter* log = srv.commit_log();
  Result<binlog::LogPosition> end = log->Append(group, /*publish=*/false);
  if (!end.ok()) return end.error();
  s.binlog_pending = true;
  srv.writer_log_end = log->AppendedPosition();
  return Status::Ok();
}

void BinlogAfterCommit(SessionState& s, bool committed) {
  ServerState& srv = *s.server;
  if (s.binlog_pending && srv.commit_log()) {
    binlog::BinlogWriter* log = srv.commit_log();
    Status st = committed ? log->Publish() : log->DiscardUnpublished();
    PurgeRedo(srv);
    if (!st.ok()) log::ErrorLine("Binary log: " + st.message());
  }
  s.binlog_pending = false;
  s.binlog_cache.clear();
  s.binlog_dbs.clear();
  s.binlog_standalone = false;
}

void ShowMasterStatus(Exec& x) {
  Status p =
      NeedPriv(x, sql::kPrivSuper | sql::kPrivReplicationClient, "SUPER, REPLICATION CLIENT");
  if (!p.ok()) return x.Fail(p.error());
  std::vector<Exec::Col> cols{
      {"File"}, {"Position", mysql::kTypeLongLong}, {"Binlog_Do_DB"}, {"Binlog_Ignore_DB"}};
  ServerState& srv = *x.s.server;
  if (!srv.binlog) return x.Rows(cols, {});
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& d : v) out += (out.empty() ? "" : ",") + d;
    return out;
  };
  binlog::LogPosition pos = srv.binlog->Position();
  x.Rows(cols, {{pos.file, std::to_string(pos.pos), join(srv.options.binlog_do_db),
                 join(srv.options.binlog_ignore_db)}});
}

void ShowBinaryLogs(Exec& x) {
  Status p =
      NeedPriv(x, sql::kPrivSuper | sql::kPrivReplicationClient, "SUPER, REPLICATION CLIENT");
  if (!p.ok()) return x.Fail(p.error());
  ServerState& srv = *x.s.server;
  if (!srv.binlog) return x.Fail(MakeErrorMsg(1381, "You are not using binary logging"));
  Result<std::vector<binlog::LogFileInfo>> logs = srv.binlog->ListLogs();
  if (!logs.ok()) return x.Fail(logs.error());
  std::vector<Row> rows;
  for (const auto& l : *logs) rows.push_back({l.name, std::to_string(l.size)});
  x.Rows({{"Log_name"}, {"File_size", mysql::kTypeLongLong}}, rows);
}

void ShowBinlogEvents(Exec& x, const sql::Statement& st) {
  Status p = NeedPriv(x, sql::kPrivReplicationSlave | sql::kPrivSuper, "REPLICATION SLAVE");
  if (!p.ok()) return x.Fail(p.error());
  ServerState& srv = *x.s.server;
  std::vector<Exec::Col> cols{{"Log_name"},
                              {"Pos", mysql::kTypeLongLong},
                              {"Event_type"},
                              {"Server_id", mysql::kTypeLongLong},
                              {"End_log_pos", mysql::kTypeLongLong},
                              {"Info", mysql::kTypeVarString, 1024}};
  if (!srv.binlog) return x.Rows(cols, {});
  Result<std::vector<binlog::LogFileInfo>> logs = srv.binlog->ListLogs();
  if (!logs.ok()) return x.Fail(logs.error());
  std::string file = st.show.log_file;
  if (file.empty() && !logs->empty()) file = logs->front().name;
  bool known = false;
  for (const auto& l : *logs) known = known || l.name == file;
  if (!known) return x.Fail(CommandError("SHOW BINLOG EVENTS", "Could not find target log"));
  binlog::LogPosition active = srv.binlog->Position();
  Result<std::unique_ptr<binlog::BinlogReader>> reader =
      binlog::BinlogReader::Open(srv.binlog->PathOf(file), {}, file);
  if (!reader.ok()) return x.Fail(CommandError("SHOW BINLOG EVENTS", reader.error().message));
  if (file == active.file) (*reader)->SetLimit(active.pos);
  uint64_t from = st.show.from_pos.value_or(4);
  (*reader)->Seek(from);
  uint64_t skip = st.show.limit_offset.value_or(0);
  uint64_t count = st.show.limit_count.value_or(UINT64_MAX);
  std::vector<Row> rows;
  while (rows.size() < count) {
    Result<std::optional<binlog::ReadEvent>> ev = (*reader)->Next();
    if (!ev.ok()) {
      if (from != 4 && rows.empty() && skip == st.show.limit_offset.value_or(0)) {
        return x.Fail(CommandError("SHOW BINLOG EVENTS", "Wrong offset or I/O error"));
      }
      return x.Fail(CommandError("SHOW BINLOG EVENTS", ev.error().message));
    }
    if (!*ev) break;
    if (skip > 0) {
      --skip;
      continue;
    }
    const binlog::Event& e = (*ev)->event;
    rows.push_back({file, std::to_string((*ev)->pos),
                    std::string(binlog::EventTypeName(e.header.type)),
                    std::to_string(e.header.server_id), std::to_string(e.header.end_log_pos),
                    binlog::EventInfo(e)});
  }
  x.Rows(cols, rows);
}

Status FlushLogs(Exec& x) {
  ServerState& srv = *x.s.server;
  if (!srv.binlog) return Status::Ok();
  // What is not in SQLite yet must be in the last log file (recovery.cc),
  // so the log rotates only once they are committed. (A session that holds
  // the gate already had them committed when it took it.)
  bool took = false;
  if (!x.s.holds_gate) {
    REPTUT_RETURN_IF_ERROR(TakeGate(x.s));
    took = true;
  }
  Status c = took ? CommitWriterTxn(srv) : Status::Ok();
  if (c.ok()) {
    Status r = srv.binlog->Rotate();
    if (!r.ok()) log::ErrorLine("FLUSH LOGS: " + r.message());
  }
  if (took) ReleaseGate(x.s);
  return c;
}

void PurgeBinaryLogs(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  Status p = NeedPriv(x, sql::kPrivSuper | sql::kPrivReload, "SUPER, BINLOG ADMIN");
  if (!p.ok()) return x.Fail(p.error());
  ServerState& srv = *s.server;
  if (!srv.binlog) return x.Ok();
  // A log a binlog dump thread still reads is kept (ER_LOG_IN_USE warning).
  auto in_use = [&srv](const std::string& f) { return srv.slaves.InUse(f); };
  Result<binlog::PurgeResult> r = binlog::PurgeResult{};
  if (!st.repl.purge_to.empty()) {
    r = srv.binlog->PurgeTo(st.repl.purge_to, in_use);
  } else {
    Result<UserValue> v = Evaluate(s, st.repl.purge_before_sql, {});
    if (!v.ok()) return x.Fail(v.error());
    struct tm tm = {};
    std::string text = ValueText(*v);
    if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) < 3) {
      return x.Fail(MakeError(ER_WRONG_ARGUMENTS, {"PURGE LOGS BEFORE"}));
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    // A log last written in the very second named is purged too, so that
    // BEFORE NOW() leaves only the active log, as the tutorial shows.
    r = srv.binlog->PurgeBefore(mktime(&tm) + 1, in_use);
  }
  if (!r.ok()) return x.Fail(r.error());
  for (const Error& w : r->warnings) s.AddWarning("Warning", w.code, w.message);
  x.Ok();
}

void ResetMaster(Exec& x) {
  Status p = NeedPriv(x, sql::kPrivSuper | sql::kPrivReload, "RELOAD");
  if (!p.ok()) return x.Fail(p.error());
  ServerState& srv = *x.s.server;
  if (!srv.binlog) return x.Fail(MakeError(ER_FLUSH_MASTER_BINLOG_CLOSED));
  // No other session commits while the logs and the recorded positions
  // start over.
  SessionState& s = x.s;
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  for (const std::string& db : srv.datadir.ListDatabases()) {
    Status a = AttachDb(s, db);
    if (!a.ok()) return x.Fail(a.error());
  }
  Status g = BeginWrite(s);
  if (!g.ok()) return x.Fail(g.error());
  Status r = srv.binlog->Reset();
  if (!r.ok()) {
    RollbackTxn(s);
    return x.Fail(r.error());
  }
  for (const std::string& db : s.Conn().attached()) {
    (void)s.Conn().Exec("DELETE FROM " + SqliteConn::Quote(db) + "." + kPosTable);
  }
  Status done = CommitTxn(s);
  if (!done.ok()) return x.Fail(done.error());
  x.Ok();
}

}  // namespace reptut::engine
