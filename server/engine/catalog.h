// The table definitions of every database, as MySQL sees them. Each
// database file keeps its definitions in the table `_reptut_tables`
// (name, definition) where definition is the SHOW CREATE TABLE text; this
// cache holds them parsed, loaded the first time a database is used and kept
// current by the engine's own DDL (which runs under the write gate).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/table_def.h"
#include "storage/sqlite_conn.h"

namespace reptut::engine {

inline constexpr const char* kCatalogTable = "_reptut_tables";
inline constexpr const char* kOptionsTable = "_reptut_options";  // database options (charset)

// Triggers: each database file keeps them in `_reptut_triggers` (made by
// the first CREATE TRIGGER), one row per trigger with its MySQL text, and
// as native SQLite triggers (which SQLite drops with their table).
inline constexpr const char* kTriggersTable = "_reptut_triggers";

struct TriggerRow {
  std::string name;
  std::string table;
  std::string timing;  // BEFORE / AFTER
  std::string event;   // INSERT / UPDATE / DELETE
  std::string definer_user, definer_host;
  std::string sql_mode;
  std::string charset_client, collation_connection, db_collation;
  std::string created;       // YYYY-MM-DD HH:MM:SS.cc
  std::string body;          // the MySQL statement after FOR EACH ROW
  std::string sqlite_body;   // BEGIN ... END, SQLite's dialect
  int64_t action_order = 0;  // 1-based among the table's triggers of this timing and event
};

// CREATE TABLE IF NOT EXISTS db._reptut_triggers.
std::string TriggersTableSql(const std::string& db);
// The triggers of `db` (attached to `conn`), in creation order; empty when
// the database has none.
std::vector<TriggerRow> ReadTriggers(storage::SqliteConn& conn, const std::string& db);
// "CREATE DEFINER=`u`@`h` TRIGGER `name` AFTER INSERT ON `t` FOR EACH ROW body".
std::string TriggerCreateText(const TriggerRow& t);
// "u@h", as information_schema.TRIGGERS and SHOW TRIGGERS print it.
std::string TriggerDefiner(const TriggerRow& t);
// CREATE TRIGGER `db`.`name` ... ON `table` FOR EACH ROW BEGIN ... END.
std::string NativeTriggerSql(const std::string& db, const TriggerRow& t);

class Catalog {
 public:
  using DefPtr = std::shared_ptr<const sql::TableDef>;

  // The definition of db.table, loading db's definitions through `conn`
  // (which must have db attached) on first use; nullptr when no such table.
  Result<DefPtr> Get(storage::SqliteConn& conn, const std::string& db, const std::string& table);
  Result<std::vector<std::string>> TableNames(storage::SqliteConn& conn, const std::string& db);
  // True when db's definitions are in the cache (Get/TableNames then do
  // not use their connection).
  bool Loaded(const std::string& db);

  // The SQL that makes a new database file (attached as `db`) a database:
  // the definitions table and the options table.
  static std::string DatabaseSchemaSql(const std::string& db);

  void Put(const std::string& db, sql::TableDef def);
  void Remove(const std::string& db, const std::string& table);
  void Forget(const std::string& db);  // DROP DATABASE, or a file replaced

 private:
  Status LoadLocked(storage::SqliteConn& conn, const std::string& db);
  std::mutex mu_;
  std::map<std::string, std::map<std::string, DefPtr>> dbs_;
};

}  // namespace reptut::engine
