#include "engine/catalog.h"

#include "common/errors.h"
#include "sql/parser.h"

namespace reptut::engine {

Status Catalog::LoadLocked(storage::SqliteConn& conn, const std::string& db) {
  std::map<std::string, DefPtr> defs;
  storage::SqliteStmt st;
  auto e = conn.Prepare(
      "SELECT name, definition FROM " + storage::SqliteConn::Quote(db) + "." + kCatalogTable, &st);
  if (!e.ok()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR,
                        "Incorrect information in database '" + db + "': " + e.message);
  }
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    std::string name = st.Text(0);
    Result<sql::Statement> parsed = sql::Parse(st.Text(1));
    if (!parsed.ok() || parsed->kind != sql::StatementKind::kCreateTable) {
      return MakeErrorMsg(ER_UNKNOWN_ERROR,
                          "Incorrect definition of table '" + db + "." + name +
                              "': " + (parsed.ok() ? "not a table" : parsed.error().message));
    }
    sql::TableDef def = std::move(parsed->table.def);
    def.name = name;
    defs[name] = std::make_shared<const sql::TableDef>(std::move(def));
  }
  if (rc != SQLITE_DONE) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR,
                        "Can't read database '" + db + "': " + conn.LastError().message);
  }
  dbs_[db] = std::move(defs);
  return Status::Ok();
}

Result<Catalog::DefPtr> Catalog::Get(storage::SqliteConn& conn, const std::string& db,
                                     const std::string& table) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = dbs_.find(db);
  if (it == dbs_.end()) {
    REPTUT_RETURN_IF_ERROR(LoadLocked(conn, db));
    it = dbs_.find(db);
  }
  auto jt = it->second.find(table);
  if (jt == it->second.end()) return DefPtr();
  return jt->second;
}

Result<std::vector<std::string>> Catalog::TableNames(storage::SqliteConn& conn,
                                                     const std::string& db) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = dbs_.find(db);
  if (it == dbs_.end()) {
    REPTUT_RETURN_IF_ERROR(LoadLocked(conn, db));
    it = dbs_.find(db);
  }
  std::vector<std::string> names;
  for (const auto& [name, def] : it->second) names.push_back(name);
  return names;
}

bool Catalog::Loaded(const std::string& db) {
  std::lock_guard<std::mutex> lock(mu_);
  return dbs_.count(db) != 0;
}

std::string Catalog::DatabaseSchemaSql(const std::string& db) {
  std::string q = storage::SqliteConn::Quote(db);
  return "CREATE TABLE IF NOT EXISTS " + q + "." + kCatalogTable +
         " (name TEXT PRIMARY KEY, definition TEXT NOT NULL); CREATE TABLE IF NOT EXISTS " + q +
         "." + kOptionsTable + " (key TEXT PRIMARY KEY, value TEXT)";
}

void Catalog::Put(const std::string& db, sql::TableDef def) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = dbs_.find(db);
  if (it == dbs_.end()) return;  // loaded from the file on next use
  std::string name = def.name;
  it->second[name] = std::make_shared<const sql::TableDef>(std::move(def));
}

void Catalog::Remove(const std::string& db, const std::string& table) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = dbs_.find(db);
  if (it != dbs_.end()) it->second.erase(table);
}

void Catalog::Forget(const std::string& db) {
  std::lock_guard<std::mutex> lock(mu_);
  dbs_.erase(db);
}

namespace {
std::string Backtick(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}
}  // namespace

std::string TriggersTableSql(const std::string& db) {
  return "CREATE TABLE IF NOT EXISTS " + storage::SqliteConn::Quote(db) + "." + kTriggersTable +
         " (name TEXT PRIMARY KEY COLLATE NOCASE, table_name TEXT NOT NULL, timing TEXT, event "
         "TEXT, definer_user TEXT, definer_host TEXT, sql_mode TEXT, charset_client TEXT, "
         "collation_connection TEXT, db_collation TEXT, created TEXT, body TEXT, sqlite_body "
         "TEXT)";
}

std::vector<TriggerRow> ReadTriggers(storage::SqliteConn& conn, const std::string& db) {
  std::vector<TriggerRow> out;
  storage::SqliteStmt st;
  if (!conn.Prepare("SELECT name, table_name, timing, event, definer_user, definer_host, "
                    "sql_mode, charset_client, collation_connection, db_collation, created, "
                    "body, sqlite_body FROM " +
                        storage::SqliteConn::Quote(db) + "." + kTriggersTable + " ORDER BY rowid",
                    &st)
           .ok()) {
    return out;
  }
  std::map<std::string, int64_t> order;
  while (st.Step() == SQLITE_ROW) {
    TriggerRow t;
    t.name = st.Text(0);
    t.table = st.Text(1);
    t.timing = st.Text(2);
    t.event = st.Text(3);
    t.definer_user = st.Text(4);
    t.definer_host = st.Text(5);
    t.sql_mode = st.Text(6);
    t.charset_client = st.Text(7);
    t.collation_connection = st.Text(8);
    t.db_collation = st.Text(9);
    t.created = st.Text(10);
    t.body = st.Text(11);
    t.sqlite_body = st.Text(12);
    t.action_order = ++order[t.table + "\n" + t.timing + "\n" + t.event];
    out.push_back(std::move(t));
  }
  return out;
}

std::string TriggerCreateText(const TriggerRow& t) {
  return "CREATE DEFINER=" + Backtick(t.definer_user) + "@" + Backtick(t.definer_host) +
         " TRIGGER " + Backtick(t.name) + " " + t.timing + " " + t.event + " ON " +
         Backtick(t.table) + " FOR EACH ROW " + t.body;
}

std::string TriggerDefiner(const TriggerRow& t) {
  return t.definer_user + "@" + t.definer_host;
}

std::string NativeTriggerSql(const std::string& db, const TriggerRow& t) {
  return "CREATE TRIGGER " + storage::SqliteConn::Quote(db) + "." +
         storage::SqliteConn::Quote(t.name) + " " + t.timing + " " + t.event + " ON " +
         storage::SqliteConn::Quote(t.table) + " FOR EACH ROW " + t.sqlite_body;
}

}  // namespace reptut::engine
