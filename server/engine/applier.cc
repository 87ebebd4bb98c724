// The engine half of the replica's SQL thread: see applier.h.
#include "engine/applier.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <variant>

#include "binlog/event_info.h"
#include "binlog/load_events.h"
#include "common/errors.h"
#include "common/log.h"
#include "engine/binlogging.h"
#include "engine/exec.h"
#include "engine/group_commit.h"
#include "engine/server_state.h"
#include "sql/sql_mode.h"

namespace reptut::engine {
namespace {

using storage::SqliteConn;
constexpr const char* kStateTable = "_reptut_replica_state";  // in `mysql`
constexpr const char* kDbPosTable = "_reptut_replica_pos";    // in each database

// The sequence number of "stem.000123", or nullopt without a numeric extension.
std::optional<uint64_t> SequenceOf(const std::string& file) {
  size_t dot = file.rfind('.');
  if (dot == std::string::npos || dot + 1 == file.size()) return std::nullopt;
  uint64_t n = 0;
  for (size_t i = dot + 1; i < file.size(); ++i) {
    if (file[i] < '0' || file[i] > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(file[i] - '0');
  }
  return n;
}

// Keeps the error a statement answered with.
class ErrorSink : public ResponseSink {
 public:
  void SendOk(const OkInfo&, uint16_t) override {}
  void SendError(const Error& e) override { error = e; }
  void SendColumns(const std::vector<ColumnInfo>&) override {}
  bool SendRow(const Row&) override { return true; }
  void SendEof(uint16_t, uint16_t) override {}
  std::optional<Error> error;
};

storage::SqliteError Upsert(SqliteConn& c, const std::string& sql, const std::string& create,
                            const std::function<void(storage::SqliteStmt&)>& bind) {
  auto run = [&]() -> storage::SqliteError {
    storage::SqliteStmt st;
    storage::SqliteError e = c.PrepareCached(sql, &st);
    if (!e.ok()) return e;
    bind(st);
    if (st.Step() != SQLITE_DONE) return c.LastError();
    return {};
  };
  storage::SqliteError e = run();
  if (!e.ok()) {
    e = c.Exec(create);
    if (e.ok()) e = run();
  }
  return e;
}

std::string JoinDbs(const std::map<std::string, binlog::LogPosition>& dbs) {
  std::string out;
  for (const auto& [db, pos] : dbs) {
    if (!out.empty()) out += '/';  // '/' is never part of a database name
    out += db;
  }
  return out;
}

// The user variable an event sets, as the session keeps it.
UserValue UserValueOf(const binlog::UserVarEvent& u) {
  UserValue v;
  if (u.is_null) return v;
  switch (u.value_type) {
    case binlog::kIntResult: {
      uint64_t raw = 0;
      std::memcpy(&raw, u.value.data(), std::min<size_t>(8, u.value.size()));
      v.type = UserValue::Type::kInt;
      v.i = static_cast<int64_t>(raw);
      v.is_unsigned = u.flags && (*u.flags & binlog::kUserVarUnsignedFlag);
      break;
    }
    case binlog::kRealResult: {
      double d = 0;
      if (u.value.size() >= 8) std::memcpy(&d, u.value.data(), 8);
      v.type = UserValue::Type::kReal;
      v.d = d;
      break;
    }
    case binlog::kDecimalResult: {
      std::string text;
      if (u.value.size() >= 2 &&
          binlog::DecimalToString(static_cast<uint8_t>(u.value[0]),
                                  static_cast<uint8_t>(u.value[1]), u.value.substr(2), &text)) {
        v.type = UserValue::Type::kString;
        v.s = text;
      }
      break;
    }
    default: {
      v.type = UserValue::Type::kString;
      v.s = u.value;
      std::string charset, collation;
      if (binlog::CollationNames(u.charset, binlog::InfoStyle::kMysql57, &charset, &collation)) {
        v.charset = charset;
      }
      break;
    }
  }
  return v;
}

}  // namespace

int CompareLogPositions(const binlog::LogPosition& a, const binlog::LogPosition& b) {
  if (a.file != b.file) {
    std::optional<uint64_t> sa = SequenceOf(a.file), sb = SequenceOf(b.file);
    if (sa && sb && *sa != *sb) return *sa < *sb ? -1 : 1;
    if (!sa || !sb || *sa == *sb) return a.file < b.file ? -1 : 1;
  }
  if (a.pos == b.pos) return 0;
  return a.pos < b.pos ? -1 : 1;
}

// ---------------------------------------------------------------------------
// What the data files record.

Status RecordApplyState(SessionState& s) {
  if (!s.apply.record) return Status::Ok();
  const ReplicaPosition p = *s.apply.record;
  SqliteConn& c = s.Conn();
  for (const auto& entry : s.apply.batch_dbs) {
    // Not a structured binding: clang 14 cannot capture one in the lambda.
    const auto& db = entry.first;
    const auto& pos = entry.second;
    if (!c.IsAttached(db)) continue;
    std::string q = SqliteConn::Quote(db);
    storage::SqliteError e = Upsert(
        c,
        "INSERT OR REPLACE INTO " + q + "." + kDbPosTable +
            " (id, master_file, master_pos) VALUES (1, ?1, ?2)",
        "CREATE TABLE IF NOT EXISTS " + q + "." + kDbPosTable +
            " (id INTEGER PRIMARY KEY, master_file TEXT NOT NULL, master_pos INTEGER NOT NULL)",
        [&](storage::SqliteStmt& st) {
          st.BindText(1, pos.file);
          st.BindInt(2, static_cast<int64_t>(pos.pos));
        });
    if (!e.ok()) {
      return MakeErrorMsg(ER_UNKNOWN_ERROR,
                          "Can't record the replica's position in '" + db + "': " + e.message);
    }
  }
  std::string dbs = JoinDbs(s.apply.batch_dbs);
  storage::SqliteError e = Upsert(
      c,
      std::string("INSERT OR REPLACE INTO mysql.") + kStateTable +
          " (id, relay_file, relay_pos, master_file, master_pos, batch_start_file,"
          " batch_start_pos, batch_dbs) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      std::string("CREATE TABLE IF NOT EXISTS mysql.") + kStateTable +
          " (id INTEGER PRIMARY KEY, relay_file TEXT NOT NULL, relay_pos INTEGER NOT NULL,"
          " master_file TEXT NOT NULL, master_pos INTEGER NOT NULL, batch_start_file TEXT NOT"
          " NULL, batch_start_pos INTEGER NOT NULL, batch_dbs TEXT NOT NULL)",
      [&](storage::SqliteStmt& st) {
        st.BindText(1, p.relay.file);
        st.BindInt(2, static_cast<int64_t>(p.relay.pos));
        st.BindText(3, p.master.file);
        st.BindInt(4, static_cast<int64_t>(p.master.pos));
        st.BindText(5, s.apply.batch_start.file);
        st.BindInt(6, static_cast<int64_t>(s.apply.batch_start.pos));
        st.BindText(7, dbs);
      });
  if (!e.ok()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Can't record the replica's position: " + e.message);
  }
  s.apply.batch_dbs.clear();
  s.apply.batch_start = p.master;
  s.apply.record.reset();
  return Status::Ok();
}

Result<SavedReplicaState> ReadReplicaState(Server& server) {
  Result<std::unique_ptr<Session>> made = server.NewSession();
  if (!made.ok()) return made.error();
  SessionState& s = *(*made)->state_;
  SeeCommitted(s);  // statements deferred at start-up reach the files first
  SavedReplicaState out;
  SqliteConn& c = s.own.conn;
  if (!c.IsAttached("mysql") && !c.Attach("mysql", s.server->datadir.DatabaseFile("mysql")).ok()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Can't open the mysql database");
  }
  std::string batch_dbs;
  {
    storage::SqliteStmt st;
    if (!c.Prepare(std::string("SELECT relay_file, relay_pos, master_file, master_pos,"
                               " batch_start_file, batch_start_pos, batch_dbs FROM mysql.") +
                       kStateTable + " WHERE id = 1",
                   &st)
             .ok() ||
        st.Step() != SQLITE_ROW) {
      return out;  // never a replica (or RESET SLAVE)
    }
    out.present = true;
    out.position.relay = {st.Text(0), static_cast<uint64_t>(st.Int(1))};
    out.position.master = {st.Text(2), static_cast<uint64_t>(st.Int(3))};
    out.batch_start = {st.Text(4), static_cast<uint64_t>(st.Int(5))};
    batch_dbs = st.Text(6);
  }
  size_t start = 0;
  while (start < batch_dbs.size()) {
    size_t slash = batch_dbs.find('/', start);
    if (slash == std::string::npos) slash = batch_dbs.size();
    std::string db = batch_dbs.substr(start, slash - start);
    start = slash + 1;
    if (db.empty() || !s.server->datadir.DatabaseExists(db)) continue;
    if (!c.IsAttached(db) && !c.Attach(db, s.server->datadir.DatabaseFile(db)).ok()) continue;
    binlog::LogPosition pos;
    storage::SqliteStmt st;
    if (c.Prepare("SELECT master_file, master_pos FROM " + SqliteConn::Quote(db) + "." +
                      kDbPosTable + " WHERE id = 1",
                  &st)
            .ok() &&
        st.Step() == SQLITE_ROW) {
      pos = {st.Text(0), static_cast<uint64_t>(st.Int(1))};
    }
    out.db_positions[db] = pos;
    // Each database of the batch recorded the end of a group of it, which
    // is past the batch's start: one that did not lacks the batch.
    if (pos.file.empty() || CompareLogPositions(pos, out.batch_start) <= 0) out.torn = true;
  }
  return out;
}

// ---------------------------------------------------------------------------
// The Applier.

Result<std::unique_ptr<Applier>> Applier::Create(Server& server, Options options) {
  Result<std::unique_ptr<Session>> made = server.NewSession();
  if (!made.ok()) return made.error();
  (*made)->SetSystemUser("system user", "");
  (*made)->SetCommand("Connect");
  // The events say where transactions begin and end; SET GLOBAL
  // autocommit=0 is for client sessions.
  SessionState& st = *(*made)->state_;
  st.autocommit = true;
  st.vars["autocommit"] = "1";
  return std::unique_ptr<Applier>(new Applier(std::move(*made), std::move(options)));
}

Applier::Applier(std::unique_ptr<Session> session, Options options)
    : session_(std::move(session)), s_(*session_->state_), options_(std::move(options)) {
  s_.apply.active = true;
  s_.apply.log_updates = options_.log_updates;
  if (options_.filter) s_.apply.filter = &options_.filter;
}

Applier::~Applier() {
  if (in_batch()) Rollback();
}

bool Applier::in_batch() const {
  return s_.sqlite_txn && s_.on_writer;
}

void Applier::SkipAppliedUntil(const SavedReplicaState& saved) {
  skip_positions_ = saved.db_positions;
  s_.apply.skip_positions = &skip_positions_;
  s_.apply.skip_until = saved.position.master;
  reapply_end_ = saved.position.master;
  reapply_start_ = saved.batch_start;
}

bool Applier::reapplying() const {
  return !reapply_end_.file.empty() && CompareLogPositions(applied_.master, reapply_end_) < 0;
}

void Applier::SetPosition(const ReplicaPosition& position) {
  committed_ = applied_ = position;
  s_.apply.batch_start = position.master;
}

Status Applier::BeginBatch() {
  SessionState& s = s_;
  if (in_batch()) return Status::Ok();
  s.apply.batch_start = committed_.master;
  s.apply.batch_dbs.clear();
  s.apply.log_groups.clear();
  batch_groups_ = 0;
  s.explicit_txn = true;
  Status b = BeginWrite(s);
  if (!b.ok()) s.explicit_txn = false;
  return b;
}

Status Applier::ApplyGroup(const EventGroup& g) {
  SessionState& s = s_;
  s.apply.group_end = g.end;
  s.apply.group_dbs.clear();
  // A commit inside the group (a DDL's implicit one) records the groups before it.
  s.apply.record = applied_;
  REPTUT_RETURN_IF_ERROR(BeginBatch());
  bool savepoint = s.Conn().ExecCached("SAVEPOINT reptut_group").ok();
  Status failed;
  bool ended = false;
  for (const binlog::Event& e : g.events) {
    failed = ApplyEvent(e, g.master_file, &ended);
    if (!failed.ok()) break;
  }
  s.insert_id_for_next = 0;
  if (!failed.ok()) {
    if (in_batch() && savepoint) {
      (void)s.Conn().ExecCached("ROLLBACK TO reptut_group");
      (void)s.Conn().ExecCached("RELEASE reptut_group");
    }
    s.binlog_cache.clear();
    s.binlog_dbs.clear();
    s.binlog_standalone = false;
    s.apply.group_dbs.clear();
    if (!in_batch()) {
      // A statement that commits by itself (DDL) failed after committing
      // the batch before it.
      s.explicit_txn = false;
      committed_ = applied_;
      batch_groups_ = 0;
    }
    return failed;
  }
  if (in_batch()) {
    if (savepoint) (void)s.Conn().ExecCached("RELEASE reptut_group");
    for (const std::string& db : s.apply.group_dbs) s.apply.batch_dbs[db] = g.end.master;
    if (!s.binlog_cache.empty()) (void)TakeLogGroup(s, &s.apply.log_groups);
    ++batch_groups_;
    applied_ = g.end;
  } else {
    // A DDL group: it committed the batch before it, and itself.
    s.explicit_txn = false;
    applied_ = committed_ = g.end;
    batch_groups_ = 0;
  }
  if (!reapply_end_.file.empty() && CompareLogPositions(applied_.master, reapply_end_) >= 0) {
    reapply_end_ = {};  // the torn batch is whole again
  }
  return Status::Ok();
}

Status Applier::ApplyEvent(const binlog::Event& e, const std::string& master_file, bool* ended) {
  SessionState& s = s_;
  if (const auto* q = std::get_if<binlog::QueryEvent>(&e.body)) {
    if (q->query == "BEGIN") return Status::Ok();
    if (q->query == "COMMIT") {
      *ended = true;
      return Status::Ok();
    }
    if (q->query == "ROLLBACK") {
      // The master rolled back what it had to log (non-transactional changes).
      if (in_batch()) (void)s.Conn().ExecCached("ROLLBACK TO reptut_group");
      s.binlog_cache.clear();
      s.apply.group_dbs.clear();
      *ended = true;
      return Status::Ok();
    }
    s.apply.event_end = {master_file, e.header.end_log_pos};
    return RunStatement(e, *q);
  }
  if (std::holds_alternative<binlog::XidEvent>(e.body)) {
    *ended = true;
    return Status::Ok();
  }
  if (const auto* iv = std::get_if<binlog::IntvarEvent>(&e.body)) {
    if (iv->kind == binlog::kInsertIdEvent) {
      s.insert_id_for_next = iv->value;
    } else {
      s.last_insert_id = iv->value;
    }
    return Status::Ok();
  }
  if (const auto* r = std::get_if<binlog::RandEvent>(&e.body)) {
    s.rand_seed1 = static_cast<uint32_t>(r->seed1);
    s.rand_seed2 = static_cast<uint32_t>(r->seed2);
    return Status::Ok();
  }
  if (const auto* u = std::get_if<binlog::UserVarEvent>(&e.body)) {
    s.user_vars[sql::ToLower(u->name)] = UserValueOf(*u);
    return Status::Ok();
  }
  if (e.header.type == binlog::kBeginLoadQueryEvent || e.header.type == binlog::kAppendBlockEvent ||
      e.header.type == binlog::kExecuteLoadQueryEvent) {
    return ApplyLoadEvent(e, master_file);
  }
  return Status::Ok();  // Gtid, Annotate_rows and the like carry nothing to apply
}

// LOAD DATA as the master logged it: the blocks go to a file of this
// server (SQL_LOAD-<server id>-<file id>.data in the data directory, as
// MySQL's SQL_LOAD-* files in slave_load_tmpdir), which Execute_load_query
// loads and removes. A group that fails is applied again from its first
// block, so a file left behind is rewritten, never appended to.
std::string Applier::LoadFilePath(uint32_t server_id, uint32_t file_id) const {
  return s_.server->datadir.path() + "/SQL_LOAD-" + std::to_string(server_id) + "-" +
         std::to_string(file_id) + ".data";
}

Status Applier::ApplyLoadEvent(const binlog::Event& e, const std::string& master_file) {
  SessionState& s = s_;
  if (e.header.type != binlog::kExecuteLoadQueryEvent) {
    std::optional<binlog::LoadBlock> b = binlog::DecodeLoadBlock(e);
    if (!b)
      return MakeErrorMsg(ER_SLAVE_FATAL_ERROR, "Malformed Begin_load_query/Append_block event");
    std::string path = LoadFilePath(e.header.server_id, b->file_id);
    bool begin = e.header.type == binlog::kBeginLoadQueryEvent;
    std::FILE* f = std::fopen(path.c_str(), begin ? "wb" : "ab");
    if (!f) {
      return MakeErrorMsg(ER_SLAVE_FATAL_ERROR,
                          "Can't write the LOAD DATA file '" + path + "': " + std::strerror(errno));
    }
    size_t written = b->data.empty() ? 0 : std::fwrite(b->data.data(), 1, b->data.size(), f);
    bool ok = written == b->data.size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok)
      return MakeErrorMsg(ER_SLAVE_FATAL_ERROR, "Can't write the LOAD DATA file '" + path + "'");
    return Status::Ok();
  }
  std::optional<binlog::ExecuteLoadQuery> x = binlog::DecodeExecuteLoadQuery(e);
  if (!x) return MakeErrorMsg(ER_SLAVE_FATAL_ERROR, "Malformed Execute_load_query event");
  std::string path = LoadFilePath(e.header.server_id, x->file_id);
  binlog::QueryEvent q = x->query;
  q.query = binlog::RewriteLoadQuery(*x, path);
  if (q.query.empty()) {
    return MakeErrorMsg(ER_SLAVE_FATAL_ERROR, "Malformed Execute_load_query event");
  }
  s.apply.event_end = {master_file, e.header.end_log_pos};
  Status r = RunStatement(e, q);
  (void)std::remove(path.c_str());
  return r;
}

void Applier::ApplyQueryContext(const binlog::Event& e, const binlog::QueryEvent& q) {
  SessionState& s = s_;
  s.apply.server_id = e.header.server_id;
  s.apply.thread_id = q.thread_id;
  if (!(e.header.flags & binlog::kFlagSuppressUse)) s.db = q.db;
  bool changed = false;
  auto set = [&](const char* name, std::string value) {
    auto it = s.vars.find(name);
    if (it != s.vars.end() && it->second == value) return;
    s.vars[name] = std::move(value);
    changed = true;
  };
  if (e.header.timestamp != timestamp_) {
    timestamp_ = e.header.timestamp;
    set("timestamp", std::to_string(timestamp_));
  }
  if (q.sql_mode && q.sql_mode != sql_mode_) {
    sql_mode_ = q.sql_mode;
    set("sql_mode", sql::SqlModeText(*q.sql_mode));
  }
  uint32_t flags2 = q.flags2.value_or(0);
  if (flags2 != flags2_) {
    flags2_ = flags2;
    set("foreign_key_checks", flags2 & binlog::kFlags2NoForeignKeyChecks ? "0" : "1");
    set("unique_checks", flags2 & binlog::kFlags2RelaxedUniqueChecks ? "0" : "1");
    set("sql_auto_is_null", flags2 & binlog::kFlags2AutoIsNull ? "1" : "0");
  }
  binlog::QueryEvent::AutoIncrement ai =
      q.auto_increment.value_or(binlog::QueryEvent::AutoIncrement{});
  uint32_t auto_inc = static_cast<uint32_t>(ai.increment) << 16 | ai.offset;
  if (auto_inc != auto_inc_) {
    auto_inc_ = auto_inc;
    set("auto_increment_increment", std::to_string(ai.increment));
    set("auto_increment_offset", std::to_string(ai.offset));
  }
  if (q.charset) {
    uint64_t cs = static_cast<uint64_t>(q.charset->client) << 32 |
                  static_cast<uint64_t>(q.charset->connection) << 16 | q.charset->server;
    if (cs != charset_) {
      charset_ = cs;
      std::string charset, collation;
      if (binlog::CollationNames(q.charset->client, binlog::InfoStyle::kMysql57, &charset,
                                 &collation)) {
        set("character_set_client", charset);
      }
      if (binlog::CollationNames(q.charset->connection, binlog::InfoStyle::kMysql57, &charset,
                                 &collation)) {
        set("character_set_connection", charset);
        set("collation_connection", collation);
      }
      if (binlog::CollationNames(q.charset->server, binlog::InfoStyle::kMysql57, &charset,
                                 &collation)) {
        set("character_set_server", charset);
        set("collation_server", collation);
      }
    }
  }
  if (q.time_zone != time_zone_ && q.time_zone) {
    time_zone_ = q.time_zone;
    set("time_zone", *q.time_zone);
  }
  if (changed) ++s.vars_generation;
}

Status Applier::RunStatement(const binlog::Event& e, const binlog::QueryEvent& q) {
  SessionState& s = s_;
  ApplyQueryContext(e, q);
  ErrorSink sink;
  session_->Query(q.query, sink);
  if (!sink.error) return Status::Ok();
  const Error& err = *sink.error;
  // A statement the master logged with the same error (a non-transactional
  // change it could not undo) did what it did here too.
  if (q.error_code != 0 && q.error_code == err.code) return Status::Ok();
  return MakeErrorMsg(err.code, "Error '" + err.message + "' on query. Default database: '" + s.db +
                                    "'. Query: '" + q.query + "'");
}

Status Applier::Commit() {
  SessionState& s = s_;
  if (!in_batch()) {
    s.explicit_txn = false;
    return Status::Ok();
  }
  s.apply.record = applied_;
  Status c = CommitTxn(s);
  s.explicit_txn = false;
  batch_groups_ = 0;
  if (!c.ok()) {
    applied_ = committed_;
    return c;
  }
  committed_ = applied_;
  return Status::Ok();
}

void Applier::Rollback() {
  SessionState& s = s_;
  RollbackTxn(s);
  s.apply.batch_dbs.clear();
  s.apply.log_groups.clear();
  s.apply.record.reset();
  batch_groups_ = 0;
  applied_ = committed_;
}

Status Applier::StoreState(const std::optional<ReplicaPosition>& position) {
  SessionState& s = s_;
  if (in_batch()) return MakeErrorMsg(ER_UNKNOWN_ERROR, "The SQL thread is applying a batch");
  // CHANGE MASTER TO that keeps the position keeps a torn batch still to
  // be applied again, in memory and in the files (which say it is torn).
  if (position && !reapply_end_.file.empty() && position->master == reapply_start_) {
    committed_ = applied_ = *position;
    return Status::Ok();
  }
  // A new position (CHANGE MASTER TO with one, RESET SLAVE): no torn batch
  // to finish.
  reapply_end_ = {};
  s.apply.skip_until = {};
  s.explicit_txn = true;
  Status b = BeginWrite(s);
  if (!b.ok()) {
    s.explicit_txn = false;
    return b;
  }
  s.apply.batch_dbs.clear();
  if (position) {
    s.apply.batch_start = position->master;
    s.apply.record = *position;
  } else {
    (void)s.Conn().Exec(std::string("DELETE FROM mysql.") + kStateTable);
    s.apply.record.reset();
  }
  Status c = CommitTxn(s);
  s.explicit_txn = false;
  if (c.ok() && position) committed_ = applied_ = *position;
  return c;
}

}  // namespace reptut::engine
