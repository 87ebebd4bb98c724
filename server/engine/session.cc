// Sessions: login, the statement loop, transactions and the helpers every
// statement family shares.
//
// Transaction states of a session (see exec.h for who calls what):
//   idle            no SQLite transaction, gate not held
//   reading         SQLite read transaction (BEGIN seen, only reads so far)   BeginRead
//   writing         gate held, SQLite write transaction                       BeginWrite
//   read-locked     gate held in read-lock mode (FLUSH TABLES WITH READ LOCK)  ExecAdmin
// writing/reading -> idle by CommitTxn / RollbackTxn; an autocommitted
// statement goes idle -> writing -> idle within the statement. DDL first
// commits what is open (ImplicitCommit), as MySQL does.
#include "engine/session.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/errors.h"
#include "common/log.h"
#include "engine/auto_increment.h"
#include "engine/binlogging.h"
#include "engine/exec.h"
#include "engine/functions.h"
#include "engine/group_commit.h"
#include "engine/information_schema.h"
#include "engine/query_log.h"
#include "engine/statement_cache.h"
#include "engine/table_locks.h"
#include "sql/lexer.h"
#include "sql/parser.h"
#include "sql/sql_mode.h"

namespace reptut::engine {

// ---------------------------------------------------------------------------
// SessionState / ServerState

SessionState::SessionState(ServerState* s, uint32_t session_id)
    : server(s), id(session_id), statement_cache(std::make_unique<StatementCache>()) {
  vars = s->globals.SessionDefaults();
  autocommit = vars["autocommit"] != "0";  // SET GLOBAL autocommit=0
  uint64_t seed = static_cast<uint64_t>(::time(nullptr)) * 0x10001 + session_id * 55555555ull;
  rand_seed1 = static_cast<uint32_t>(seed % 0x3FFFFFFF);
  rand_seed2 = static_cast<uint32_t>((seed * 3 + 12345) % 0x3FFFFFFF);
}

SessionState::~SessionState() = default;

std::string SessionState::SessionVar(const std::string& name) const {
  auto it = vars.find(name);
  if (it != vars.end()) return it->second;
  return server->globals.Get(name).value_or("");
}

const SessionState::HotVars& SessionState::Hot() {
  uint64_t globals = server->globals.generation();
  if (hot_.vars_generation == vars_generation && hot_.globals_generation == globals) return hot_;
  hot_.vars_generation = vars_generation;
  hot_.globals_generation = globals;
  std::string ts = SessionVar("timestamp");
  hot_.timestamp = ts.empty() ? 0 : static_cast<uint32_t>(std::strtoull(ts.c_str(), nullptr, 10));
  hot_.sql_log_bin = SessionVar("sql_log_bin") != "0";
  hot_.read_only = SessionVar("read_only") == "1";
  long long secs = std::strtoll(SessionVar("lock_wait_timeout").c_str(), nullptr, 10);
  if (secs <= 0) secs = 31536000;
  hot_.lock_wait_timeout = std::chrono::milliseconds(secs * 1000);
  auto in_range = [](const std::string& v) {
    unsigned long n = std::strtoul(v.c_str(), nullptr, 10);
    return static_cast<uint32_t>(std::clamp(n, 1ul, 65535ul));
  };
  hot_.auto_increment_increment = in_range(SessionVar("auto_increment_increment"));
  hot_.auto_increment_offset = in_range(SessionVar("auto_increment_offset"));
  hot_.super_read_only = SessionVar("super_read_only") == "1";
  hot_.long_query_time = std::strtod(SessionVar("long_query_time").c_str(), nullptr);
  uint64_t mode = sql::SqlModeBits(SessionVar("sql_mode"));
  hot_.no_backslash_escapes = (mode & sql::SqlModeBits("NO_BACKSLASH_ESCAPES")) != 0;
  hot_.strict_mode = (mode & sql::SqlModeBits("STRICT_TRANS_TABLES,STRICT_ALL_TABLES")) != 0;
  hot_.no_zero_date = (mode & sql::SqlModeBits("NO_ZERO_DATE")) != 0;
  hot_.no_zero_in_date = (mode & sql::SqlModeBits("NO_ZERO_IN_DATE")) != 0;
  long long max_ms = std::strtoll(SessionVar("max_execution_time").c_str(), nullptr, 10);
  hot_.max_execution_time_ms = max_ms > 0 ? static_cast<uint64_t>(max_ms) : 0;
  hot_.max_statement_time =
      std::max(0.0, std::strtod(SessionVar("max_statement_time").c_str(), nullptr));
  return hot_;
}

void SessionState::AddWarning(std::string level, uint16_t code, std::string message) {
  pending_warnings.push_back({std::move(level), code, std::move(message)});
}

std::vector<ProcessInfo> ServerState::ProcessList() {
  std::vector<ProcessInfo> out;
  std::lock_guard<std::mutex> lock(sessions_mu);
  auto now = std::chrono::steady_clock::now();
  for (auto& [id, s] : sessions) {
    if (!s->listed.load()) continue;
    ProcessInfo p;
    p.id = id;
    p.user = s->logged_in ? s->user : "unauthenticated user";
    p.host = s->client_host;
    if (s->client_port != 0 && s->logged_in) p.host += ":" + std::to_string(s->client_port);
    p.db = s->db;
    std::lock_guard<std::mutex> l2(s->info_mu);
    p.command = s->command;
    p.state = s->state;
    p.info = s->info;
    p.time = std::chrono::duration_cast<std::chrono::seconds>(now - s->command_since).count();
    out.push_back(std::move(p));
  }
  return out;
}

void ServerState::Count(SessionState& s, ComCounter c) {
  ++s.status.com[static_cast<size_t>(c)];
  status.com[static_cast<size_t>(c)].fetch_add(1, std::memory_order_relaxed);
}

int64_t ServerState::UptimeSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                          started)
      .count();
}

size_t ServerState::SessionCount() {
  std::lock_guard<std::mutex> lock(sessions_mu);
  return sessions.size();
}

bool ServerState::KillSession(uint32_t id, bool query_only) {
  std::lock_guard<std::mutex> lock(sessions_mu);
  auto it = sessions.find(id);
  if (it == sessions.end()) return false;
  SessionState* s = it->second;
  s->query_killed = true;
  if (!query_only) s->killed = true;
  // Called under the locks: the session (and whatever its handler reaches,
  // a replica thread) cannot go away meanwhile, and SetInterruptHandler(
  // nullptr) waits for a call in progress. Handlers only shut sockets and
  // wake threads; none takes sessions_mu.
  std::lock_guard<std::mutex> l2(s->interrupt_mu);
  std::function<void()>& handler = query_only ? s->query_interrupt : s->interrupt;
  if (handler) handler();
  return true;
}

// ---------------------------------------------------------------------------
// Helpers shared by the statement families.

std::string Lower(std::string_view s) {
  return sql::ToLower(s);
}

uint16_t Exec::StatusFlags() const {
  uint16_t f = extra_status;
  if (s.autocommit) f |= mysql::kStatusAutocommit;
  if (s.explicit_txn || s.sqlite_txn) f |= mysql::kStatusInTrans;
  // Clients escape strings by it (mysql_real_escape_string).
  if (s.Hot().no_backslash_escapes) f |= mysql::kStatusNoBackslashEscapes;
  return f;
}

void Exec::Ok(uint64_t affected, uint64_t insert_id, std::string info) {
  OkInfo ok;
  ok.affected_rows = affected;
  ok.last_insert_id = insert_id;
  ok.warnings = static_cast<uint16_t>(s.pending_warnings.size());
  ok.info = std::move(info);
  sink.SendOk(ok, StatusFlags());
}

void Exec::Fail(const Error& e) {
  s.pending_warnings.push_back({"Error", e.code, e.message});
  sink.SendError(e);
}

void Exec::Rows(const std::vector<Col>& cols, const std::vector<Row>& rows) {
  std::vector<ColumnInfo> infos;
  for (const Col& c : cols) {
    ColumnInfo ci;
    ci.name = ci.org_name = c.name;
    ci.type = c.type;
    ci.length = c.length;
    if (c.type == mysql::kTypeLongLong || c.type == mysql::kTypeLong) {
      ci.charset = mysql::kBinary;
      ci.flags = mysql::kNumFlag;
    }
    infos.push_back(std::move(ci));
  }
  sink.SendColumns(infos);
  for (const Row& r : rows) {
    if (!sink.SendRow(r)) return;
  }
  sink.SendEof(static_cast<uint16_t>(s.pending_warnings.size()), StatusFlags());
}

Result<std::string> DbOf(SessionState& s, const sql::TableName& t) {
  if (!t.db.empty()) return t.db;
  if (s.db.empty()) return MakeError(ER_NO_DB_ERROR);
  return s.db;
}

void MakeRoomToAttach(SessionState& s) {
  if (s.Conn().attached().size() < 9 || s.sqlite_txn) return;
  std::vector<std::string> names = s.Conn().attached();
  for (const std::string& n : names) {
    if (n != s.db && n != "mysql") (void)s.Conn().Detach(n);
  }
}

Status AttachDb(SessionState& s, const std::string& db) {
  if (s.Conn().IsAttached(db)) return Status::Ok();
  if (!s.server->datadir.DatabaseExists(db)) return MakeError(ER_BAD_DB_ERROR, {db});
  MakeRoomToAttach(s);
  storage::SqliteError e = s.Conn().Attach(db, s.server->datadir.DatabaseFile(db));
  if (!e.ok()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Can't open database '" + db + "': " + e.message);
  }
  return Status::Ok();
}

sql::ParseOptions ParseOptionsFor(const SessionState& s) {
  sql::ParseOptions o;
  o.current_db = s.db;
  o.no_backslash_escapes = s.hot_.no_backslash_escapes;
  o.sqlite_table = [in_is = IsInformationSchema(s.db)](const sql::TableName& t) {
    if (IsInformationSchema(t.db) || (t.db.empty() && in_is))
      return InformationSchemaSqliteName(t.name);
    if (t.db.empty()) return storage::SqliteConn::Quote(t.name);
    return storage::SqliteConn::Quote(t.db) + "." + storage::SqliteConn::Quote(t.name);
  };
  return o;
}

Status PrepareConnection(SessionState& s) {
  if (s.sqlite_txn) return Status::Ok();
  EngineConn& ec = s.Ec();
  uint64_t epoch = s.server->schema_epoch.load();
  const auto& att = ec.conn.attached();
  // The session's own connection keeps its current database first.
  bool reorder = !s.on_writer && !s.db.empty() && (att.empty() || att.front() != s.db);
  if (epoch != ec.seen_schema_epoch || reorder) {
    std::vector<std::string> names = att;
    for (const std::string& n : names) ec.conn.Detach(n);
    ec.seen_schema_epoch = epoch;
  }
  if (!s.db.empty() && !ec.conn.IsAttached(s.db) && s.server->datadir.DatabaseExists(s.db)) {
    REPTUT_RETURN_IF_ERROR(AttachDb(s, s.db));
  }
  // The writer always has `mysql`: DDL records its commit log position
  // there (recovery.cc).
  if (s.on_writer && !ec.conn.IsAttached("mysql")) {
    REPTUT_RETURN_IF_ERROR(AttachDb(s, "mysql"));
  }
  // SQLite cannot attach inside a transaction: attach every database now
  // (as far as its limit allows) so a transaction may use any of them.
  if (epoch != ec.attached_all_epoch) {
    for (const std::string& db : s.server->datadir.ListDatabases()) {
      if (ec.conn.attached().size() >= 9) break;
      if (!ec.conn.IsAttached(db)) (void)AttachDb(s, db);
    }
    ec.attached_all_epoch = epoch;
  }
  if (s.on_writer) {
    // Whatever the statement resolved on the session's own connection.
    for (const std::string& db : s.own.conn.attached()) {
      if (!ec.conn.IsAttached(db)) REPTUT_RETURN_IF_ERROR(AttachDb(s, db));
    }
  }
  return Status::Ok();
}

Status PrepareWriterFor(SessionState& s, const std::vector<std::string>& dbs) {
  EngineConn& w = s.server->writer;
  uint64_t epoch = s.server->schema_epoch.load();
  if (epoch != w.seen_schema_epoch) {
    std::vector<std::string> names = w.conn.attached();
    for (const std::string& n : names) w.conn.Detach(n);
    w.seen_schema_epoch = epoch;
  }
  if (!w.conn.IsAttached("mysql")) REPTUT_RETURN_IF_ERROR(AttachDb(s, "mysql"));
  for (const std::string& db : dbs) {
    if (w.conn.IsAttached(db)) continue;
    if (!s.server->datadir.DatabaseExists(db)) continue;  // the statement reports it
    if (w.conn.attached().size() >= 10) {
      // Room for one more: the writer gives up the database it had first.
      for (const std::string& n : w.conn.attached()) {
        if (n != "mysql" && std::find(dbs.begin(), dbs.end(), n) == dbs.end()) {
          (void)w.conn.Detach(n);
          break;
        }
      }
    }
    storage::SqliteError e = w.conn.Attach(db, s.server->datadir.DatabaseFile(db));
    if (!e.ok()) {
      return MakeErrorMsg(ER_UNKNOWN_ERROR, "Can't open database '" + db + "': " + e.message);
    }
  }
  return Status::Ok();
}

Result<Catalog::DefPtr> ResolveTable(SessionState& s, const sql::TableName& t) {
  Result<std::string> db = DbOf(s, t);
  if (!db.ok()) return db.error();
  if (!s.Conn().IsAttached(*db)) {
    if (!s.server->datadir.DatabaseExists(*db)) {
      return MakeError(ER_NO_SUCH_TABLE, {*db, t.name});
    }
    REPTUT_RETURN_IF_ERROR(AttachDb(s, *db));
  }
  Result<Catalog::DefPtr> def = s.server->catalog.Get(s.Conn(), *db, t.name);
  if (!def.ok()) return def.error();
  if (!*def) return MakeError(ER_NO_SUCH_TABLE, {*db, t.name});
  return def;
}

Status CheckTablePriv(SessionState& s, const std::string& db, const std::string& table,
                      PrivSet priv, std::string_view command) {
  if (Accounts::HasTable(s.account, db, table, priv)) return Status::Ok();
  return MakeError(ER_TABLEACCESS_DENIED_ERROR, {command, s.user, s.client_host, table});
}

Status CheckDbPriv(SessionState& s, const std::string& db, PrivSet priv) {
  if (Accounts::HasDb(s.account, db, priv)) return Status::Ok();
  return MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, db});
}

Status CheckGlobalPriv(SessionState& s, PrivSet priv, std::string_view name) {
  if (Accounts::HasGlobal(s.account, priv)) return Status::Ok();
  return MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {name});
}

bool InTxnMode(const SessionState& s) {
  return s.explicit_txn || !s.autocommit;
}

static std::chrono::milliseconds LockTimeout(SessionState& s) {
  return s.Hot().lock_wait_timeout;
}

Status TakeGate(SessionState& s, std::optional<std::chrono::milliseconds> timeout) {
  if (s.read_lock) return MakeError(ER_CANT_UPDATE_WITH_READLOCK);
  if (s.holds_gate) return Status::Ok();
  {
    std::lock_guard<std::mutex> l(s.info_mu);
    if (s.server->gate.ReadLocked()) s.state = "Waiting for global read lock";
  }
  Status st = s.server->gate.Acquire(s.id, WriteGate::Mode::kWrite,
                                     timeout ? *timeout : LockTimeout(s), s.killed);
  {
    std::lock_guard<std::mutex> l(s.info_mu);
    s.state.clear();
  }
  if (!st.ok()) return st;
  s.holds_gate = true;
  return Status::Ok();
}

Status BeginWrite(SessionState& s) {
  REPTUT_RETURN_IF_ERROR(TakeGate(s));
  if (!s.on_writer) {
    // From here on the session works on the writer connection and reads
    // what it writes; a read transaction on its own connection ends.
    if (s.sqlite_txn) {
      (void)s.own.conn.ExecCached("ROLLBACK");
      s.sqlite_txn = false;
    }
    s.on_writer = true;
    s.server->writer.acting = &s;
    // Deferred autocommitted statements commit before anything else runs
    // on the writer (group_commit.h).
    if (s.server->writer_txn_open) {
      Status c = CommitWriterTxn(*s.server);
      if (!c.ok()) log::ErrorLine("Committing deferred statements: " + c.message());
    }
    Status prep = PrepareConnection(s);
    if (!prep.ok()) {
      ReleaseGate(s);
      return prep;
    }
  }
  if (!s.sqlite_txn) {
    // Deferred: the gate already keeps other writers out, and an IMMEDIATE
    // transaction would take the write lock of every attached database.
    storage::SqliteError e = s.Conn().ExecCached("BEGIN");
    if (!e.ok()) return MapSqliteError(s, e);
    s.sqlite_txn = true;
    s.txn_wrote = false;
    s.server->writer_txn_open = true;
  }
  return Status::Ok();
}

std::chrono::milliseconds RowLockTimeout(const SessionState& s) {
  // innodb_lock_wait_timeout: seconds, 0 = do not wait (as MariaDB).
  long long secs = std::strtoll(s.SessionVar("innodb_lock_wait_timeout").c_str(), nullptr, 10);
  if (secs < 0) secs = 0;
  secs = std::min(secs, 1073741824ll);
  return std::chrono::milliseconds(secs * 1000);
}

std::chrono::milliseconds RowChangeTimeout(const SessionState& s) {
  if (s.server->gate.ReadLocked()) return s.hot_.lock_wait_timeout;
  return RowLockTimeout(s);
}

Status BeginLockingRead(SessionState& s, std::optional<std::chrono::milliseconds> timeout) {
  // The session holding FLUSH TABLES WITH READ LOCK already keeps every
  // writer out.
  if (s.read_lock) return Status::Ok();
  REPTUT_RETURN_IF_ERROR(TakeGate(s, timeout ? *timeout : RowLockTimeout(s)));
  if (InTxnMode(s)) {
    // Held until COMMIT/ROLLBACK, as a write of the transaction would hold
    // it; reads go to the writer connection (the newest committed rows, as
    // an InnoDB locking read sees).
    Status b = BeginWrite(s);
    if (!b.ok()) return b;
    s.explicit_txn = s.explicit_txn || !s.autocommit;
    return Status::Ok();
  }
  // One autocommitted statement: what clients were told is committed
  // becomes visible, then the statement reads on its own connection; the
  // caller gives the gate back after it.
  if (s.server->uncommitted.load()) {
    Status c = CommitWriterTxn(*s.server);
    if (!c.ok()) log::ErrorLine("Committing deferred statements: " + c.message());
  }
  return Status::Ok();
}

Status BeginRead(SessionState& s) {
  if (!InTxnMode(s) || s.sqlite_txn) return Status::Ok();
  storage::SqliteError e = s.Conn().ExecCached("BEGIN");
  if (!e.ok()) return MapSqliteError(s, e);
  s.sqlite_txn = true;
  return Status::Ok();
}

void ReleaseGate(SessionState& s) {
  if (s.on_writer) {
    s.server->writer.acting = nullptr;
    s.on_writer = false;
  }
  if (s.holds_gate && !s.read_lock) {
    s.server->gate.Release(s.id);
    s.holds_gate = false;
  }
}

Status CommitTxn(SessionState& s) {
  if (s.sqlite_txn) {
    Status logged = BinlogBeforeCommit(s);
    if (!logged.ok()) {
      BinlogAfterCommit(s, false);
      RollbackTxn(s);
      return logged;
    }
    if (s.on_writer && s.apply.record) {
      // The replica's SQL thread: where it stands, in the same transaction.
      Status r = RecordApplyState(s);
      if (!r.ok()) {
        BinlogAfterCommit(s, false);
        RollbackTxn(s);
        return r;
      }
    }
    if (s.on_writer) {
      Status c = CommitWriterTxn(*s.server);
      if (!c.ok()) {
        BinlogAfterCommit(s, false);
        RollbackTxn(s);
        return c;
      }
    } else if (storage::SqliteError e = s.Conn().ExecCached("COMMIT"); !e.ok()) {
      BinlogAfterCommit(s, false);
      RollbackTxn(s);
      return MapSqliteError(s, e);
    }
    BinlogAfterCommit(s, true);
    s.sqlite_txn = false;
  }
  s.explicit_txn = false;
  ReleaseGate(s);
  return Status::Ok();
}

void RollbackTxn(SessionState& s) {
  BinlogAfterCommit(s, false);
  if (s.sqlite_txn) {
    s.Conn().ExecCached("ROLLBACK");
    s.sqlite_txn = false;
    if (s.on_writer) {
      s.server->writer_txn_open = false;
      s.server->writer_log_dbs.clear();
    }
  }
  s.explicit_txn = false;
  ReleaseGate(s);
}

bool AlreadyApplied(SessionState& s, const std::string& db) {
  if (s.apply.active) {
    // Re-applying a torn batch (applier.h): up to where it ended, a database
    // that recorded the event's group already has it.
    if (s.apply.skip_until.file.empty() || !s.apply.skip_positions) return false;
    if (CompareLogPositions(s.apply.event_end, s.apply.skip_until) > 0) {
      s.apply.skip_until = {};
      return false;
    }
    auto it = s.apply.skip_positions->find(db);
    return it != s.apply.skip_positions->end() &&
           CompareLogPositions(it->second, s.apply.event_end) >= 0;
  }
  if (!s.replaying) return false;
  auto it = s.server->recorded_positions.find(db);
  if (it == s.server->recorded_positions.end()) return false;
  const binlog::LogPosition& r = it->second;
  const binlog::LogPosition& e = s.replay_end;
  bool applied = r.file > e.file || (r.file == e.file && r.pos >= e.pos);
  if (!applied) ++s.replay_applied;
  if (!applied && s.replay_foreign) s.replay_foreign_dbs.insert(db);
  return applied;
}

Status ImplicitCommit(SessionState& s) {
  if (s.sqlite_txn || s.explicit_txn) return CommitTxn(s);
  return Status::Ok();
}

Status RunDdl(SessionState& s, const std::function<Status()>& fn, std::string_view log_text,
              const std::string& log_db, bool suppress_use) {
  // Every DDL group records its position in `mysql` too: that is where
  // recovery looks to know whether it was applied.
  if (AlreadyApplied(s, "mysql")) return Status::Ok();
  REPTUT_RETURN_IF_ERROR(ImplicitCommit(s));
  // The database that records the binlog position must be attached before
  // the transaction starts (SQLite cannot attach inside one).
  if (!log_db.empty() && s.server->datadir.DatabaseExists(log_db)) {
    REPTUT_RETURN_IF_ERROR(AttachDb(s, log_db));
  }
  REPTUT_RETURN_IF_ERROR(BeginWrite(s));
  Status st = fn();
  if (!st.ok()) {
    RollbackTxn(s);
    return st;
  }
  if (!log_text.empty()) {
    StatementLog log;
    log.db = log_db;
    log.transactional = false;
    log.suppress_use = suppress_use;
    LogStatement(s, log_text, log);
    if (!s.binlog_dbs.empty() && s.Conn().IsAttached("mysql")) s.binlog_dbs.insert("mysql");
  }
  if (s.apply.active) {
    // A replicated DDL statement is a group of its own: its commit records
    // the group's end (its implicit commit recorded the batch before it).
    s.apply.group_dbs.insert("mysql");
    for (const std::string& db : s.apply.group_dbs) {
      if (s.Conn().IsAttached(db)) s.apply.batch_dbs[db] = s.apply.group_end.master;
    }
    s.apply.record = s.apply.group_end;
  }
  return CommitTxn(s);
}

static std::string AfterPrefix(const std::string& msg, std::string_view prefix) {
  size_t p = msg.find(prefix);
  return p == std::string::npos ? std::string() : msg.substr(p + prefix.size());
}

Error MapSqliteError(SessionState& s, const storage::SqliteError& e, const std::string& db,
                     const sql::TableDef* def) {
  int primary = e.code & 0xff;
  if (e.code == SQLITE_CONSTRAINT_UNIQUE || e.code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    // "UNIQUE constraint failed: t.a, t.b": find the index with those columns.
    std::string cols = AfterPrefix(e.message, "failed: ");
    std::vector<std::string> names;
    size_t start = 0;
    while (start < cols.size()) {
      size_t comma = cols.find(", ", start);
      std::string item =
          cols.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      size_t dot = item.rfind('.');
      names.push_back(dot == std::string::npos ? item : item.substr(dot + 1));
      if (comma == std::string::npos) break;
      start = comma + 2;
    }
    std::string key = "PRIMARY";
    if (def) {
      for (const sql::IndexDef& idx : def->indexes) {
        if (idx.kind == sql::IndexDef::Kind::kKey || idx.parts.size() != names.size()) continue;
        bool same = true;
        for (size_t i = 0; i < names.size(); ++i) {
          if (!sql::EqualsIgnoreCase(idx.parts[i].column, names[i])) same = false;
        }
        if (same) {
          key = idx.name;
          break;
        }
      }
    }
    return MakeError(ER_DUP_ENTRY, {s.pending_dup_value.empty() ? "?" : s.pending_dup_value, key});
  }
  if (e.code == SQLITE_CONSTRAINT_NOTNULL) {
    std::string col = AfterPrefix(e.message, "failed: ");
    size_t dot = col.rfind('.');
    return MakeError(ER_BAD_NULL_ERROR, {dot == std::string::npos ? col : col.substr(dot + 1)});
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    if (e.code == SQLITE_BUSY_SNAPSHOT) return MakeError(ER_LOCK_DEADLOCK);
    return MakeError(ER_LOCK_WAIT_TIMEOUT);
  }
  if (primary == SQLITE_INTERRUPT) return StopError(s);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    // A damaged data file: the error log names the file, the client the
    // table (when the statement's table is known) or the file.
    std::string in_db = db.empty() ? s.db : db;
    std::string file =
        in_db.empty() ? s.server->datadir.path() : s.server->datadir.DatabaseFile(in_db);
    std::string table = def && !in_db.empty() ? in_db + "." + def->name : "";
    log::ErrorLine("Data file " + file + (table.empty() ? "" : " (table " + table + ")") +
                   " is corrupt: " + e.message +
                   "; CHECK TABLE shows the damaged tables; restore them from a backup");
    if (!table.empty()) return MakeError(ER_NOT_KEYFILE, {table});
    return MakeErrorMsg(ER_UNKNOWN_ERROR,
                        "Data file '" + file + "' is corrupt (" + e.message + ")");
  }
  std::string col = AfterPrefix(e.message, "no such column: ");
  if (!col.empty()) return MakeError(ER_BAD_FIELD_ERROR, {col, "field list"});
  if (size_t at = e.message.find(" has no column named ");
      at != std::string::npos && e.message.rfind("table ", 0) == 0) {
    // INSERT INTO t (zz) ...: "table t has no column named zz".
    return MakeError(
        ER_BAD_FIELD_ERROR,
        {e.message.substr(at + std::string_view(" has no column named ").size()), "INSERT INTO"});
  }
  col = AfterPrefix(e.message, "ambiguous column name: ");
  if (!col.empty()) return MakeError(ER_NON_UNIQ_ERROR, {col, "field list"});
  std::string fn = AfterPrefix(e.message, "no such function: ");
  if (!fn.empty()) {
    // The translator's helpers carry the MySQL name after "reptut_".
    if (fn.rfind("reptut_", 0) == 0) fn = sql::ToUpper(fn.substr(7));
    return MakeError(ER_NOT_SUPPORTED_YET, {"function " + fn + "()"});
  }
  std::string table = AfterPrefix(e.message, "no such table: ");
  if (!table.empty()) {
    size_t dot = table.find('.');
    if (dot != std::string::npos)
      return MakeError(ER_NO_SUCH_TABLE, {table.substr(0, dot), table.substr(dot + 1)});
    return MakeError(ER_NO_SUCH_TABLE, {db.empty() ? s.db : db, table});
  }
  if (e.message.find(" values for ") != std::string::npos ||
      e.message.find(" values were supplied") != std::string::npos) {
    // "table t has 2 columns but 3 values were supplied", "2 values for 1 columns"
    return MakeError(ER_WRONG_VALUE_COUNT_ON_ROW, {"1"});
  }
  if (e.message == kAutoIncReadFailed) return MakeErrorMsg(kErAutoIncReadFailed, e.message);
  std::string unknown = AfterPrefix(e.message, "Unknown system variable");
  if (!unknown.empty()) return MakeErrorMsg(ER_UNKNOWN_SYSTEM_VARIABLE, e.message);
  if (e.message.find("syntax error") != std::string::npos) {
    return MakeErrorMsg(
        ER_NOT_SUPPORTED_YET,
        "This version of MySQL doesn't yet support this statement (" + e.message + ")");
  }
  return MakeErrorMsg(ER_UNKNOWN_ERROR, e.message);
}

static void BindValue(sqlite3_stmt* st, int idx, const UserValue& v);

void BindUserVars(SessionState& s, sqlite3_stmt* st, const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    if (IsLiteralVar(n)) {
      // A literal of a cached statement shape ("@reptut_lit_<k>"). Its value
      // stays in s.stmt_literals, unchanged, until the statement is reset:
      // SQLite need not copy it.
      char param[64];
      if (n.size() + 2 > sizeof param) continue;
      param[0] = '@';
      memcpy(param + 1, n.data(), n.size());
      param[n.size() + 1] = '\0';
      int idx = sqlite3_bind_parameter_index(st, param);
      size_t lit = std::strtoul(n.c_str() + kLiteralVarPrefix.size(), nullptr, 10);
      if (idx == 0 || lit >= s.stmt_literals.size()) continue;
      const UserValue& v = s.stmt_literals[lit];
      if (v.type == UserValue::Type::kString) {
        sqlite3_bind_text64(st, idx, v.s.data(), v.s.size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        BindValue(st, idx, v);
      }
      continue;
    }
    std::string param = sql::UserVarParam(n);
    int idx = sqlite3_bind_parameter_index(st, param.c_str());
    if (idx == 0) continue;
    auto it = s.user_vars.find(n);
    if (it == s.user_vars.end()) {
      sqlite3_bind_null(st, idx);
      continue;
    }
    BindValue(st, idx, it->second);
  }
}

static void BindValue(sqlite3_stmt* st, int idx, const UserValue& v) {
  {
    switch (v.type) {
      case UserValue::Type::kNull:
        sqlite3_bind_null(st, idx);
        break;
      case UserValue::Type::kInt:
        sqlite3_bind_int64(st, idx, v.i);
        break;
      case UserValue::Type::kReal:
        sqlite3_bind_double(st, idx, v.d);
        break;
      case UserValue::Type::kString:
        sqlite3_bind_text64(st, idx, v.s.data(), v.s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
    }
  }
}

Result<UserValue> Evaluate(SessionState& s, const std::string& expr,
                           const std::vector<std::string>& user_vars) {
  SeeCommitted(s);  // the expression may read tables
  storage::SqliteStmt st;
  storage::SqliteError e = s.Conn().Prepare("SELECT " + expr, &st);
  if (!e.ok()) return MapSqliteError(s, e);
  BindUserVars(s, st.get(), user_vars);
  int rc = st.Step();
  if (rc != SQLITE_ROW) return MapSqliteError(s, s.Conn().LastError());
  UserValue v;
  switch (st.ColumnType(0)) {
    case SQLITE_NULL:
      v.type = UserValue::Type::kNull;
      break;
    case SQLITE_INTEGER:
      v.type = UserValue::Type::kInt;
      v.i = st.Int(0);
      break;
    case SQLITE_FLOAT:
      v.type = UserValue::Type::kReal;
      v.d = st.Double(0);
      break;
    default:
      v.type = UserValue::Type::kString;
      v.s = st.Text(0);
      v.charset = s.SessionVar("character_set_connection");
      break;
  }
  return v;
}

std::string ValueText(const UserValue& v) {
  switch (v.type) {
    case UserValue::Type::kNull:
      return "";
    case UserValue::Type::kInt:
      return std::to_string(v.i);
    case UserValue::Type::kReal: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.15g", v.d);
      return buf;
    }
    case UserValue::Type::kString:
      return v.s;
  }
  return "";
}

// ---------------------------------------------------------------------------
// The statement loop.

// read_only / super_read_only: statements that change data or the schema
// are refused (1290) before anything else is checked, as mysqld does; with
// super_read_only even for SUPER. The replica's SQL thread and start-up
// recovery are exempt.
static bool RefusedByReadOnly(Exec& x, const sql::Statement& st) {
  using K = sql::StatementKind;
  SessionState& s = x.s;
  if (s.apply.active || s.replaying) return false;
  const SessionState::HotVars& hot = s.Hot();
  if (!hot.read_only && !hot.super_read_only) return false;
  switch (st.kind) {
    case K::kInsert:
    case K::kReplace:
    case K::kUpdate:
    case K::kDelete:
    case K::kLoadData:
    case K::kCreateDatabase:
    case K::kDropDatabase:
    case K::kAlterDatabase:
    case K::kCreateTable:
    case K::kDropTable:
    case K::kTruncate:
    case K::kRenameTable:
    case K::kAlterTable:
    case K::kCreateIndex:
    case K::kDropIndex:
    case K::kCreateTrigger:
    case K::kDropTrigger:
    case K::kCreateUser:
    case K::kDropUser:
    case K::kGrant:
    case K::kRevoke:
    case K::kRenameUser:
    case K::kSetPassword:
      break;
    default:
      return false;
  }
  if (hot.super_read_only) {
    x.Fail(MakeError(ER_OPTION_PREVENTS_STATEMENT, {"--super-read-only"}));
    return true;
  }
  if (Accounts::HasGlobal(s.account, sql::kPrivSuper)) return false;
  x.Fail(MakeError(ER_OPTION_PREVENTS_STATEMENT, {"--read-only"}));
  return true;
}

// An answer that goes nowhere unless it is an error.
class ErrorsOnlySink : public ResponseSink {
 public:
  explicit ErrorsOnlySink(ResponseSink& to) : to_(to) {}
  bool failed() const { return failed_; }
  void SendOk(const OkInfo&, uint16_t) override {}
  void SendError(const Error& error) override {
    failed_ = true;
    to_.SendError(error);
  }
  void SendColumns(const std::vector<ColumnInfo>&) override {}
  bool SendRow(const Row&) override { return true; }
  void SendEof(uint16_t, uint16_t) override {}

 private:
  ResponseSink& to_;
  bool failed_ = false;
};

// SET PASSWORD = '...', sql_log_off = 0 (what mariadb-admin password
// sends): the password, then the other assignments, one answer.
static void SetPasswordAndVariables(Exec& x, const sql::Statement& st) {
  ErrorsOnlySink password_sink(x.sink);
  Exec px{x.s, password_sink, x.extra_status, x.text};
  ExecAccount(px, st);
  if (password_sink.failed()) return;
  sql::Statement set = st;
  set.kind = sql::StatementKind::kSet;
  ExecSet(x, set);
}

static void Dispatch(Exec& x, const sql::Statement& st) {
  using K = sql::StatementKind;
  if (RefusedByReadOnly(x, st)) return;
  switch (st.kind) {
    case K::kSelect:
    case K::kInsert:
    case K::kReplace:
    case K::kUpdate:
    case K::kDelete:
    case K::kDo:
      return ExecDml(x, st);
    case K::kLoadData:
      return ExecLoadData(x, st);
    case K::kSet:
    case K::kSetTransaction:
      return ExecSet(x, st);
    case K::kCreateDatabase:
    case K::kDropDatabase:
    case K::kAlterDatabase:
    case K::kCreateTable:
    case K::kDropTable:
    case K::kTruncate:
    case K::kRenameTable:
    case K::kAlterTable:
    case K::kCreateIndex:
    case K::kDropIndex:
    case K::kCreateTrigger:
    case K::kDropTrigger:
      // Recovery: DDL groups record their position in `mysql` too.
      if (AlreadyApplied(x.s, "mysql")) return x.Ok();
      return ExecSchema(x, st);
    case K::kUse:
      return ExecUse(x, st.db.name);
    case K::kShowDatabases:
    case K::kShowTables:
    case K::kShowColumns:
    case K::kShowCreateTable:
    case K::kShowCreateDatabase:
    case K::kShowIndex:
    case K::kShowTableStatus:
    case K::kShowVariables:
    case K::kShowStatus:
    case K::kShowProcesslist:
    case K::kShowGrants:
    case K::kShowWarnings:
    case K::kShowErrors:
    case K::kShowEngines:
    case K::kShowCharset:
    case K::kShowCollation:
    case K::kShowMasterStatus:
    case K::kShowSlaveStatus:
    case K::kShowBinaryLogs:
    case K::kShowBinlogEvents:
    case K::kShowRelaylogEvents:
    case K::kShowSlaveHosts:
    case K::kShowCreateUser:
    case K::kShowPrivileges:
    case K::kShowTriggers:
    case K::kShowEvents:
    case K::kShowRoutineStatus:
    case K::kShowPlugins:
    case K::kShowCountWarnings:
    case K::kShowCountErrors:
    case K::kShowCreateTrigger:
      return ExecShow(x, st);
    case K::kCreateUser:
    case K::kDropUser:
    case K::kGrant:
    case K::kRevoke:
    case K::kRenameUser:
    case K::kSetPassword:
      if (AlreadyApplied(x.s, "mysql")) return x.Ok();
      if (!st.set.items.empty()) return SetPasswordAndVariables(x, st);
      return ExecAccount(x, st);
    case K::kExplain:
      return ExecExplain(x, st);
    case K::kCheckTable:
    case K::kAnalyzeTable:
    case K::kOptimizeTable:
    case K::kRepairTable:
    case K::kChecksumTable:
      return ExecTableMaintenance(x, st);
    default:
      return ExecAdmin(x, st);
  }
}

// The Com_* counter of a statement (nullopt: none counts it).
static std::optional<ComCounter> ComCounterOf(const sql::Statement& st) {
  using K = sql::StatementKind;
  using C = ComCounter;
  switch (st.kind) {
    case K::kSelect:
    case K::kExplain:
      return C::kSelect;
    case K::kInsert:
      return st.dml.insert_select ? C::kInsertSelect : C::kInsert;
    case K::kLoadData:
      return C::kLoad;
    case K::kReplace:
      return C::kReplace;
    case K::kUpdate:
      return C::kUpdate;
    case K::kDelete:
      return C::kDelete;
    case K::kDo:
      return C::kDo;
    case K::kSet:
    case K::kSetTransaction:
    case K::kSetPassword:
      return C::kSetOption;
    case K::kBegin:
      return C::kBegin;
    case K::kCommit:
      return C::kCommit;
    case K::kRollback:
      return C::kRollback;
    case K::kSavepoint:
      return C::kSavepoint;
    case K::kRollbackToSavepoint:
      return C::kRollbackToSavepoint;
    case K::kReleaseSavepoint:
      return C::kReleaseSavepoint;
    case K::kCreateDatabase:
      return C::kCreateDb;
    case K::kDropDatabase:
      return C::kDropDb;
    case K::kAlterDatabase:
      return C::kAlterDb;
    case K::kUse:
      return C::kChangeDb;
    case K::kCreateTable:
      return C::kCreateTable;
    case K::kDropTable:
      return C::kDropTable;
    case K::kTruncate:
      return C::kTruncate;
    case K::kRenameTable:
      return C::kRenameTable;
    case K::kAlterTable:
      return C::kAlterTable;
    case K::kCreateIndex:
      return C::kCreateIndex;
    case K::kDropIndex:
      return C::kDropIndex;
    case K::kShowDatabases:
      return C::kShowDatabases;
    case K::kShowTables:
      return C::kShowTables;
    case K::kShowColumns:
      return C::kShowFields;
    case K::kShowCreateTable:
      return C::kShowCreateTable;
    case K::kShowCreateDatabase:
      return C::kShowCreateDb;
    case K::kShowIndex:
      return C::kShowKeys;
    case K::kShowTableStatus:
      return C::kShowTableStatus;
    case K::kShowVariables:
      return C::kShowVariables;
    case K::kShowStatus:
      return C::kShowStatus;
    case K::kShowProcesslist:
      return C::kShowProcesslist;
    case K::kShowGrants:
      return C::kShowGrants;
    case K::kShowWarnings:
    case K::kShowCountWarnings:
      return C::kShowWarnings;
    case K::kShowErrors:
    case K::kShowCountErrors:
      return C::kShowErrors;
    case K::kShowEngines:
      return C::kShowStorageEngines;
    case K::kShowCharset:
      return C::kShowCharsets;
    case K::kShowCollation:
      return C::kShowCollations;
    case K::kShowMasterStatus:
      return C::kShowMasterStatus;
    case K::kShowSlaveStatus:
      return C::kShowSlaveStatus;
    case K::kShowBinaryLogs:
      return C::kShowBinlogs;
    case K::kShowBinlogEvents:
      return C::kShowBinlogEvents;
    case K::kShowRelaylogEvents:
      return C::kShowRelaylogEvents;
    case K::kShowSlaveHosts:
      return C::kShowSlaveHosts;
    case K::kShowCreateUser:
      return C::kShowCreateUser;
    case K::kShowPrivileges:
      return C::kShowPrivileges;
    case K::kShowTriggers:
      return C::kShowTriggers;
    case K::kShowEvents:
      return C::kShowEvents;
    case K::kShowPlugins:
      return C::kShowPlugins;
    case K::kCreateUser:
      return C::kCreateUser;
    case K::kDropUser:
      return C::kDropUser;
    case K::kGrant:
      return C::kGrant;
    case K::kRevoke:
      return C::kRevoke;
    case K::kRenameUser:
      return C::kRenameUser;
    case K::kFlush:
      return C::kFlush;
    case K::kLockTables:
      return C::kLockTables;
    case K::kUnlockTables:
      return C::kUnlockTables;
    case K::kKill:
      return C::kKill;
    case K::kShutdown:
      return C::kShutdown;
    case K::kPurgeBinaryLogs:
      return C::kPurge;
    case K::kResetMaster:
    case K::kResetSlave:
      return C::kReset;
    case K::kChangeMaster:
      return C::kChangeMaster;
    case K::kStartSlave:
      return C::kSlaveStart;
    case K::kStopSlave:
      return C::kSlaveStop;
    case K::kBinlog:
      return C::kBinlog;
    case K::kCheckTable:
      return C::kCheck;
    case K::kAnalyzeTable:
      return C::kAnalyze;
    case K::kOptimizeTable:
      return C::kOptimize;
    case K::kRepairTable:
      return C::kRepair;
    case K::kChecksumTable:
      return C::kChecksum;
    default:
      return std::nullopt;
  }
}

// FLUSH STATUS: the session's counters start again from 0 (RELOAD is
// checked by ExecAdmin, which answers the statement).
static void FlushStatusIfAsked(SessionState& s, const sql::Statement& st) {
  if (st.kind != sql::StatementKind::kFlush || st.admin.flush_read_lock) return;
  if (!Accounts::HasGlobal(s.account, sql::kPrivReload)) return;
  for (const std::string& what : st.admin.flush_what) {
    if (what != "status") continue;
    s.status = StatusCounters<uint64_t>{};
    s.server->status_flushed_at = s.server->UptimeSeconds();
  }
}

static void RunOne(SessionState& s, std::string_view text, ResponseSink& sink, bool more) {
  Exec x{s, sink, static_cast<uint16_t>(more ? mysql::kStatusMoreResultsExist : 0), text};
  s.server->questions++;
  ++s.status.questions;
  s.statement_time = ::time(nullptr);
  s.rand_used = false;
  s.pending_dup_value.clear();
  // Statements of a known shape skip the parser (statement_cache.h); its
  // scanner reads strings with backslash escapes.
  const bool escapes = !s.Hot().no_backslash_escapes;
  const StatementCache::Entry* cached =
      s.server->options.statement_cache && escapes
          ? s.statement_cache->Lookup(text, ParseOptionsFor(s), &s.stmt_literals)
          : nullptr;
  s.shaped = cached != nullptr;
  std::optional<Result<sql::Statement>> parsed_here;
  if (!cached) {
    s.stmt_literals.clear();
    parsed_here.emplace(sql::Parse(text, ParseOptionsFor(s)));
  }
  const Error* parse_error = parsed_here && !parsed_here->ok() ? &parsed_here->error() : nullptr;
  const sql::Statement* stmt = cached        ? &cached->statement
                               : parse_error ? nullptr
                                             : &parsed_here->value();
  bool is_diag = stmt && (stmt->kind == sql::StatementKind::kShowWarnings ||
                          stmt->kind == sql::StatementKind::kShowErrors ||
                          stmt->kind == sql::StatementKind::kShowCountWarnings ||
                          stmt->kind == sql::StatementKind::kShowCountErrors);
  if (!is_diag) s.pending_warnings.clear();
  BeginStatement(s, stmt && stmt->kind == sql::StatementKind::kSelect);
  if (stmt) {
    if (std::optional<ComCounter> c = ComCounterOf(*stmt)) s.server->Count(s, *c);
    FlushStatusIfAsked(s, *stmt);
  }
  if (parse_error) {
    x.Fail(*parse_error);
  } else if (s.apply.filter && !(*s.apply.filter)(*stmt, s.db)) {
    // The replica's replicate-* rules leave this statement out.
    x.Ok();
  } else if (stmt->kind == sql::StatementKind::kEmpty) {
    // Only comments (e.g. the "/*!*/" mariadb-binlog ends statements with):
    // nothing to do. Truly empty text was already 1065 from the parser.
    x.Ok();
  } else {
    Status prep = PrepareConnection(s);
    if (!prep.ok()) {
      x.Fail(prep.error());
    } else {
      // A fault in one statement must not take the server down: it becomes
      // that statement's error (and a line in the error log).
      try {
        Dispatch(x, *stmt);
      } catch (const std::exception& e) {
        log::ErrorLine("Internal error in statement '" + std::string(text.substr(0, 200)) +
                       "': " + e.what());
        RollbackTxn(s);
        x.Fail(MakeErrorMsg(ER_UNKNOWN_ERROR, std::string("Internal error: ") + e.what()));
      }
    }
  }
  if (!is_diag) s.warnings = s.pending_warnings;
}

Session::Session(std::unique_ptr<SessionState> state) : state_(std::move(state)) {}

Session::~Session() {
  SessionState& s = *state_;
  s.server->slaves.Forget(s.id);
  if (s.logged_in) LogGeneral(s, "Quit", "");
  ReleaseNamedLocks(s.id);
  ReleaseTableLocks(s);
  RollbackTxn(s);
  if (s.read_lock) {
    s.read_lock = false;
    s.server->gate.Release(s.id);
    s.holds_gate = false;
  }
  std::lock_guard<std::mutex> lock(s.server->sessions_mu);
  s.server->sessions.erase(s.id);
}

uint32_t Session::id() const {
  return state_->id;
}

Status Session::Login(const LoginRequest& r) {
  SessionState& s = *state_;
  s.user = r.user;
  s.client_host = r.over_socket ? "localhost" : r.client_host;
  s.client_port = r.over_socket ? 0 : r.client_port;
  s.capabilities = r.client_capabilities;
  s.multi_statements = (r.client_capabilities & mysql::kClientMultiStatements) != 0;
  std::string shown_host = s.client_host;
  if (shown_host == "127.0.0.1" || shown_host == "::1") shown_host = "localhost";
  std::optional<Account> acct = s.server->accounts.Match(r.user, s.client_host);
  if (s.server->options.skip_grant_tables) {
    Account all;
    all.user = r.user;
    all.host = "%";
    all.global = sql::kPrivAllGlobal | sql::kPrivGrantOption;
    acct = all;
  } else if (!acct || !CheckNativePassword(r.scramble, r.auth_response, acct->password_hash)) {
    return MakeError(ER_ACCESS_DENIED_ERROR,
                     {r.user, shown_host, r.auth_response.empty() ? "NO" : "YES"});
  }
  s.account = *acct;
  s.client_host = shown_host;
  if (!r.database.empty()) {
    if (!s.server->datadir.DatabaseExists(r.database)) {
      return MakeError(ER_BAD_DB_ERROR, {r.database});
    }
    if (!Accounts::CanSeeDb(s.account, r.database)) {
      return MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, r.database});
    }
    s.db = r.database;
  }
  s.logged_in = true;
  LogGeneral(s, "Connect",
             s.user + "@" + s.client_host + " on " + s.db +
                 (r.over_socket ? " using Socket" : " using TCP/IP"));
  return Status::Ok();
}

void Session::Query(std::string_view text, ResponseSink& client) {
  SessionState& s = *state_;
  auto started = std::chrono::steady_clock::now();
  LogGeneral(s, "Query", text);
  SlowLogScope slow(s, text, client);
  ResponseSink& sink = slow.sink();
  {
    std::lock_guard<std::mutex> l(s.info_mu);
    s.info = std::string(text.substr(0, 1024));
    s.command_since = std::chrono::steady_clock::now();
  }
  if (s.multi_statements && text.find(';') == std::string_view::npos) {
    // One statement (what SplitStatements would give, without the scan).
    auto space = [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    RunOne(s, text, sink, false);
  } else if (s.multi_statements) {
    std::vector<std::string_view> parts = sql::SplitStatements(text, s.Hot().no_backslash_escapes);
    if (parts.empty()) {
      Exec x{s, sink, 0, text};
      x.Fail(MakeError(ER_EMPTY_QUERY));
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      bool more = i + 1 < parts.size();
      RunOne(s, parts[i], sink, more);
      if (!s.warnings.empty() && s.warnings.back().level == "Error" && more) break;
    }
  } else {
    RunOne(s, text, sink, false);
  }
  // Slow_queries counts what took longer than long_query_time, whether
  // the slow log is on or not, as MySQL does.
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  if (took.count() > s.Hot().long_query_time) {
    ++s.status.slow_queries;
    s.server->status.slow_queries.fetch_add(1, std::memory_order_relaxed);
  }
  std::lock_guard<std::mutex> l(s.info_mu);
  s.info.clear();
}

void Session::InitDb(std::string_view db, ResponseSink& sink) {
  Exec x{*state_, sink, 0, db};
  LogGeneral(*state_, "Init DB", db);
  state_->pending_warnings.clear();
  ExecUse(x, std::string(db));
}

void Session::FieldList(std::string_view table, std::string_view, ResponseSink& sink) {
  SessionState& s = *state_;
  Exec x{s, sink, 0, table};
  Status prep = PrepareConnection(s);
  if (!prep.ok()) return x.Fail(prep.error());
  Result<Catalog::DefPtr> def = ResolveTable(s, sql::TableName{"", std::string(table)});
  if (!def.ok()) return x.Fail(def.error());
  std::vector<ColumnInfo> cols;
  for (size_t i = 0; i < (*def)->columns.size(); ++i) {
    sql::ColumnMeta m = sql::ColumnMetadata(**def, i, (*def)->charset);
    ColumnInfo c;
    c.schema = s.db;
    c.table = c.org_table = (*def)->name;
    c.name = c.org_name = (*def)->columns[i].name;
    c.type = m.type;
    c.flags = m.flags;
    c.length = m.length;
    c.decimals = m.decimals;
    c.charset = m.charsetnr;
    cols.push_back(std::move(c));
  }
  sink.SendColumns(cols);
  sink.SendEof(0, x.StatusFlags());
}

std::string Session::Statistics() {
  ServerState& srv = *state_->server;
  int64_t up = srv.UptimeSeconds();
  size_t threads = srv.SessionCount();
  return "Uptime: " + std::to_string(up) + "  Threads: " + std::to_string(threads) +
         "  Questions: " + std::to_string(srv.questions.load()) +
         "  Slow queries: 0  Opens: 0  Flush tables: 1  Open tables: 0  Queries per second avg: " +
         std::to_string(up ? srv.questions.load() / static_cast<uint64_t>(up) : 0);
}

void Session::Kill(uint32_t thread_id, ResponseSink& sink) {
  sql::Statement st;
  st.kind = sql::StatementKind::kKill;
  st.admin.kill_id = thread_id;
  Exec x{*state_, sink, 0, "KILL"};
  state_->pending_warnings.clear();
  ExecAdmin(x, st);
}

void Session::Shutdown(ResponseSink& sink) {
  sql::Statement st;
  st.kind = sql::StatementKind::kShutdown;
  Exec x{*state_, sink, 0, "SHUTDOWN"};
  state_->pending_warnings.clear();
  ExecAdmin(x, st);
}

void Session::SetMultiStatements(bool on) {
  state_->multi_statements = on;
}

// What COM_RESET_CONNECTION and COM_CHANGE_USER end: the transaction, the
// locks, user variables and the session's own variable values.
static void ResetSessionState(SessionState& s) {
  ReleaseNamedLocks(s.id);
  ReleaseTableLocks(s);
  RollbackTxn(s);
  if (s.read_lock) {
    s.read_lock = false;
    s.server->gate.Release(s.id);
    s.holds_gate = false;
  }
  s.user_vars.clear();
  s.vars = s.server->globals.SessionDefaults();
  s.autocommit = s.vars["autocommit"] != "0";
  ++s.vars_generation;
  s.context_cache.reset();
  s.last_insert_id = 0;
  s.last_insert_id_set = false;
  s.insert_id_for_next = 0;
  s.last_row_count = -1;
  s.last_found_rows = 0;
  s.warnings.clear();
  s.pending_warnings.clear();
}

void Session::ResetConnection() {
  ResetSessionState(*state_);
}

Status Session::ChangeUser(const LoginRequest& request) {
  SessionState& s = *state_;
  ResetSessionState(s);
  LogGeneral(s, "Change user",
             request.user + "@" + request.client_host + " on " + request.database);
  s.logged_in = false;
  s.db.clear();
  s.account = Account{};
  return Login(request);
}

void Session::Refresh(uint32_t options, ResponseSink& sink) {
  // REFRESH_* bits of mysql_refresh() and the FLUSH each one is.
  static constexpr std::pair<uint32_t, const char*> kFlushes[] = {
      {1, "privileges"}, {2, "logs"}, {4, "tables"}, {8, "hosts"}, {16, "status"},
  };
  sql::Statement st;
  st.kind = sql::StatementKind::kFlush;
  for (const auto& [bit, what] : kFlushes) {
    if (options & bit) st.admin.flush_what.push_back(what);
  }
  SessionState& s = *state_;
  Exec x{s, sink, 0, "REFRESH"};
  s.pending_warnings.clear();
  s.server->Count(s, ComCounter::kFlush);
  FlushStatusIfAsked(s, st);
  ExecAdmin(x, st);
}

void Session::Debug(ResponseSink& sink) {
  SessionState& s = *state_;
  Exec x{s, sink, 0, "DEBUG"};
  s.pending_warnings.clear();
  Status p = CheckGlobalPriv(s, sql::kPrivSuper, "SUPER");
  if (!p.ok()) return x.Fail(p.error());
  x.Ok();
}

void Session::CountCommand(uint8_t command) {
  SessionState& s = *state_;
  switch (command) {
    case mysql::kComStmtPrepare:
      return s.server->Count(s, ComCounter::kStmtPrepare);
    case mysql::kComStmtExecute:
      return s.server->Count(s, ComCounter::kStmtExecute);
    case mysql::kComStmtClose:
      return s.server->Count(s, ComCounter::kStmtClose);
    case mysql::kComStmtReset:
      return s.server->Count(s, ComCounter::kStmtReset);
    case mysql::kComStmtSendLongData:
      return s.server->Count(s, ComCounter::kStmtSendLongData);
    case mysql::kComPing:
    case mysql::kComDebug:
    case mysql::kComChangeUser:
    case mysql::kComResetConnection:
    case mysql::kComRegisterSlave:
    case mysql::kComBinlogDump:
      return s.server->Count(s, ComCounter::kAdminCommands);
    case mysql::kComInitDb:
      return s.server->Count(s, ComCounter::kChangeDb);
    case mysql::kComProcessKill:
      return s.server->Count(s, ComCounter::kKill);
    case mysql::kComShutdown:
      return s.server->Count(s, ComCounter::kShutdown);
    case mysql::kComSetOption:
      return s.server->Count(s, ComCounter::kSetOption);
    default:
      return;
  }
}

void Session::CountTraffic(uint64_t received, uint64_t sent) {
  SessionState& s = *state_;
  s.status.bytes_received += received;
  s.status.bytes_sent += sent;
  s.server->status.bytes_received.fetch_add(received, std::memory_order_relaxed);
  s.server->status.bytes_sent.fetch_add(sent, std::memory_order_relaxed);
}

void Session::CountAbortedClient() {
  state_->server->aborted_clients.fetch_add(1, std::memory_order_relaxed);
}

void Session::CountAbortedConnect() {
  state_->server->aborted_connects.fetch_add(1, std::memory_order_relaxed);
}

void Session::SetCommand(std::string_view command) {
  std::lock_guard<std::mutex> l(state_->info_mu);
  state_->command = std::string(command);
  state_->command_since = std::chrono::steady_clock::now();
}

void Session::SetInterruptHandler(std::function<void()> handler) {
  std::lock_guard<std::mutex> l(state_->interrupt_mu);
  state_->interrupt = std::move(handler);
}

void Session::SetQueryInterruptHandler(std::function<void()> handler) {
  std::lock_guard<std::mutex> l(state_->interrupt_mu);
  state_->query_interrupt = std::move(handler);
}

void Session::SetClientGoneCheck(std::function<bool()> gone) {
  state_->client_gone = std::move(gone);
}

bool Session::killed() const {
  return state_->killed.load();
}

const std::atomic<bool>& Session::killed_flag() const {
  return state_->killed;
}

bool Session::HasGlobalPrivilege(uint64_t privileges) const {
  return (state_->account.global & privileges) != 0;
}

std::optional<std::string> Session::UserVariable(std::string_view name) const {
  auto it = state_->user_vars.find(Lower(name));
  if (it == state_->user_vars.end() || it->second.type == UserValue::Type::kNull) {
    return std::nullopt;
  }
  return ValueText(it->second);
}

void Session::SetState(std::string_view state) {
  std::lock_guard<std::mutex> l(state_->info_mu);
  state_->state = std::string(state);
}

void Session::SetSystemUser(std::string_view user, std::string_view host) {
  SessionState& s = *state_;
  s.user = std::string(user);
  s.client_host = std::string(host);
  s.account.user = s.user;
  s.account.host = "localhost";
  s.account.global = sql::kPrivAllGlobal | sql::kPrivGrantOption;
  s.logged_in = true;
}

void Session::SetListed(bool listed) {
  state_->listed = listed;
}

const std::string& Session::user() const {
  return state_->user;
}

const std::string& Session::host() const {
  return state_->client_host;
}

}  // namespace reptut::engine
