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

}  // namespace reptut::engine
