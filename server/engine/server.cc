#include "engine/server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/errors.h"
#include "common/log.h"
#include "engine/binlogging.h"
#include "engine/functions.h"
#include "engine/group_commit.h"
#include "engine/information_schema.h"
#include "engine/server_state.h"
#include "sql/parser.h"
#include "sql/table_def.h"

namespace reptut::engine {
namespace {

using storage::SqliteConn;

Error Fatal(const std::string& message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, message);
}

Status MakeDirs(const std::string& path) {
  std::string cur;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (!cur.empty() && ::mkdir(cur.c_str(), 0750) != 0 && errno != EEXIST) {
        return Fatal("Can't create directory '" + cur + "' (Errcode: " + std::to_string(errno) +
                     " \"" + std::strerror(errno) + "\")");
      }
    }
    if (i < path.size()) cur += path[i];
  }
  return Status::Ok();
}

Status CreateDatabaseFile(SqliteConn& conn, const storage::DataDir& dd, const std::string& name) {
  storage::SqliteError e = conn.Attach(name, dd.DatabaseFile(name));
  if (!e.ok()) return Fatal("Can't create database '" + name + "': " + e.message);
  e = conn.Exec(Catalog::DatabaseSchemaSql(name));
  if (!e.ok()) return Fatal("Can't create database '" + name + "': " + e.message);
  return Status::Ok();
}

// mysql.general_log and mysql.slow_log with MySQL 5.7's columns: tools
// read their structure (mariadb-dump --all-databases dumps it). A data
// directory made before they existed gets them at start-up.
Status EnsureLogTables(SqliteConn& conn) {
  static const char* const kTables[][2] = {
      {"general_log",
       "CREATE TABLE `general_log` (\n"
       "  `event_time` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
       "  `user_host` mediumtext NOT NULL,\n"
       "  `thread_id` bigint(21) unsigned NOT NULL,\n"
       "  `server_id` int(10) unsigned NOT NULL,\n"
       "  `command_type` varchar(64) NOT NULL,\n"
       "  `argument` mediumblob NOT NULL\n"
       ") ENGINE=CSV DEFAULT CHARSET=utf8 COMMENT='General log'"},
      {"slow_log",
       "CREATE TABLE `slow_log` (\n"
       "  `start_time` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
       "  `user_host` mediumtext NOT NULL,\n"
       "  `query_time` time(6) NOT NULL,\n"
       "  `lock_time` time(6) NOT NULL,\n"
       "  `rows_sent` int(11) NOT NULL,\n"
       "  `rows_examined` int(11) NOT NULL,\n"
       "  `db` varchar(512) NOT NULL,\n"
       "  `last_insert_id` int(11) NOT NULL,\n"
       "  `insert_id` int(11) NOT NULL,\n"
       "  `server_id` int(10) unsigned NOT NULL,\n"
       "  `sql_text` mediumblob NOT NULL,\n"
       "  `thread_id` bigint(21) unsigned NOT NULL\n"
       ") ENGINE=CSV DEFAULT CHARSET=utf8 COMMENT='Slow log'"},
  };
  for (const auto& [name, text] : kTables) {
    storage::SqliteStmt has;
    if (auto e = conn.Prepare("SELECT 1 FROM mysql._reptut_tables WHERE name = ?1", &has);
        !e.ok()) {
      return Fatal("Can't read the mysql database: " + e.message);
    }
    has.BindText(1, name);
    if (has.Step() == SQLITE_ROW) continue;
    Result<sql::Statement> parsed = sql::Parse(text);
    if (!parsed.ok()) return Fatal(std::string("Can't define mysql.") + name);
    sql::TableDef def = parsed->table.def;
    def.name = name;
    sql::NormalizeTableDef(def);
    Result<sql::SqliteDdl> ddl = sql::ToSqliteDdl(def, name, "mysql");
    if (!ddl.ok()) return Fatal(std::string("Can't create mysql.") + name);
    for (const std::string& stmt : ddl->statements) {
      if (auto e = conn.Exec(stmt); !e.ok())
        return Fatal(std::string("Can't create mysql.") + name + ": " + e.message);
    }
    storage::SqliteStmt ins;
    conn.Prepare("INSERT INTO mysql._reptut_tables (name, definition) VALUES (?1, ?2)", &ins);
    ins.BindText(1, name);
    ins.BindText(2, sql::ToShowCreate(def));
    if (ins.Step() != SQLITE_DONE) return Fatal(std::string("Can't create mysql.") + name);
  }
  return Status::Ok();
}

}  // namespace

Status Server::Initialize(const config::ServerOptions& o) {
  struct stat st;
  if (::stat(o.datadir.c_str(), &st) == 0) {
    storage::DataDir existing(o.datadir);
    if (!existing.ListDatabases().empty()) {
      return Fatal("--initialize specified but the data directory has files in it. Aborting.");
    }
  }
  REPTUT_RETURN_IF_ERROR(MakeDirs(o.datadir));
  storage::DataDir dd(o.datadir);
  SqliteConn conn;
  if (auto e = conn.Open("FULL"); !e.ok()) return Fatal(e.message);
  REPTUT_RETURN_IF_ERROR(CreateDatabaseFile(conn, dd, "mysql"));
  for (const std::string& sql : Accounts::SchemaSql()) {
    if (auto e = conn.Exec(sql); !e.ok())
      return Fatal("Can't create the grant tables: " + e.message);
  }
  for (const auto& [name, def] : Accounts::TableDefinitions()) {
    storage::SqliteStmt ins;
    conn.Prepare("INSERT OR REPLACE INTO mysql._reptut_tables (name, definition) VALUES (?1, ?2)",
                 &ins);
    ins.BindText(1, name);
    ins.BindText(2, def);
    if (ins.Step() != SQLITE_DONE) return Fatal("Can't create the grant tables");
  }
  REPTUT_RETURN_IF_ERROR(EnsureLogTables(conn));
  std::string all = PrivilegeNames(sql::kPrivAllGlobal | sql::kPrivGrantOption);
  if (auto e = conn.Exec("INSERT OR REPLACE INTO mysql.user (Host, User, Password, Privileges) "
                         "VALUES ('localhost', 'root', '', " +
                         SqliteConn::Literal(all) + ")");
      !e.ok()) {
    return Fatal("Can't create root@localhost: " + e.message);
  }
  REPTUT_RETURN_IF_ERROR(CreateDatabaseFile(conn, dd, "test"));
  log::Warning(
      "root@localhost is created with an empty password ! Please consider switching off "
      "the --initialize-insecure option.");
  return Status::Ok();
}

Result<std::unique_ptr<Server>> Server::Open(const config::ServerOptions& o) {
  auto state = std::make_unique<ServerState>(o);
  struct stat st;
  if (::stat(o.datadir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Fatal("Can't change dir to '" + o.datadir +
                 "' (Errcode: 2 \"No such file or directory\")");
  }
  if (!state->datadir.DatabaseExists("mysql")) {
    return Fatal(
        "Can't open and lock privilege tables: Table 'mysql.user' doesn't exist (run "
        "reptutd --initialize-insecure --datadir=" +
        o.datadir + " first)");
  }
  if (Status locked = state->datadir_lock.Acquire(o.datadir); !locked.ok()) {
    return Fatal(locked.error().message);
  }
  SqliteConn conn;
  if (auto e = conn.Open(o.sqlite_synchronous); !e.ok()) return Fatal(e.message);
  if (auto e = conn.Attach("mysql", state->datadir.DatabaseFile("mysql")); !e.ok()) {
    return Fatal("Can't open the mysql database: " + e.message);
  }
  REPTUT_RETURN_IF_ERROR(EnsureLogTables(conn));
  // A grant table a restore or a hand edit removed comes back empty; one
  // that cannot be read stops start-up unless --skip-grant-tables, which
  // lets a DBA in to repair it.
  for (const std::string& sql : Accounts::SchemaSql()) (void)conn.Exec(sql);
  for (const auto& [name, def] : Accounts::TableDefinitions()) {
    storage::SqliteStmt ins;
    conn.Prepare("INSERT OR IGNORE INTO mysql._reptut_tables (name, definition) VALUES (?1, ?2)",
                 &ins);
    ins.BindText(1, name);
    ins.BindText(2, def);
    (void)ins.Step();
  }
  if (Status loaded = state->accounts.Load(conn); !loaded.ok()) {
    if (!o.skip_grant_tables) {
      return Fatal(loaded.error().message +
                   "; start the server with --skip-grant-tables to repair the grant tables "
                   "(mysql.user, mysql.db, mysql.tables_priv)");
    }
    log::ErrorLine(loaded.error().message + "; running with --skip-grant-tables");
  }
  if (auto e = state->writer.conn.Open(o.sqlite_synchronous); !e.ok()) return Fatal(e.message);
  // Every write runs here: a larger page cache than a session's.
  state->writer.conn.set_cache_kib(16 * 1024);
  RegisterFunctions(state->writer);
  InstallInterruptCheck(state->writer);
  RegisterInformationSchema(state->writer);
  ServerState* raw = state.get();
  std::unique_ptr<Server> server(new Server(std::move(state)));
  ReadRecordedPositions(*raw);
  REPTUT_RETURN_IF_ERROR(server->ReplayCommitLog());
  REPTUT_RETURN_IF_ERROR(OpenBinlog(*raw));
  StartFlusher(*raw);
  return server;
}

Server::Server(std::unique_ptr<ServerState> state) : state_(std::move(state)) {}
Server::~Server() {
  StopFlusher(*state_);
}

const config::ServerOptions& Server::options() const {
  return state_->options;
}

Result<std::unique_ptr<Session>> Server::NewSession() {
  ServerState& srv = *state_;
  // max_connections counts client connections, checked by the network
  // layer (net/connection.cc) before the handshake and at the login: the
  // server's own sessions (recovery, a replica's threads) are not refused.
  uint32_t id = srv.next_session_id++;
  auto state = std::make_unique<SessionState>(&srv, id);
  if (auto e = state->own.conn.Open(srv.options.sqlite_synchronous); !e.ok()) {
    return Fatal("Can't open a session: " + e.message);
  }
  state->own.acting = state.get();
  RegisterFunctions(state->own);
  InstallInterruptCheck(state->own);
  RegisterInformationSchema(state->own);
  SessionState* raw = state.get();
  {
    std::lock_guard<std::mutex> lock(srv.sessions_mu);
    srv.sessions[id] = raw;
  }
  return std::unique_ptr<Session>(new Session(std::move(state)));
}

void Server::RequestShutdown() {
  {
    std::lock_guard<std::mutex> l(state_->shutdown_mu);
    state_->shutdown = true;
    state_->stopping = true;
  }
  state_->shutdown_cv.notify_all();
}

bool Server::shutdown_requested() const {
  std::lock_guard<std::mutex> l(state_->shutdown_mu);
  return state_->shutdown;
}

void Server::WaitForShutdown() {
  std::unique_lock<std::mutex> l(state_->shutdown_mu);
  state_->shutdown_cv.wait(l, [&] { return state_->shutdown; });
}

binlog::BinlogWriter* Server::binlog() const {
  return state_->binlog.get();
}

uint32_t Server::server_id() const {
  return state_->options.server_id;
}

SlaveRegistry& Server::slaves() {
  return state_->slaves;
}

void Server::SetReplicaService(ReplicaService* replica) {
  state_->replica = replica;
}

std::optional<std::string> Server::GlobalVariable(const std::string& name) const {
  return state_->globals.Get(name);
}

void Server::SetGlobalVariable(const std::string& name, const std::string& value) {
  state_->globals.SetInternal(name, value);
}

void Server::Close() {
  std::vector<uint32_t> ids;
  {
    std::lock_guard<std::mutex> lock(state_->sessions_mu);
    for (auto& [id, s] : state_->sessions) ids.push_back(id);
  }
  for (uint32_t id : ids) state_->KillSession(id, false);
  StopFlusher(*state_);  // commits what is deferred
  CloseBinlog(*state_);
}

}  // namespace reptut::engine
