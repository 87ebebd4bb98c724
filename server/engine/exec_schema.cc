// Databases and tables: CREATE/DROP DATABASE, USE, CREATE/DROP/TRUNCATE/
// RENAME/ALTER TABLE, CREATE/DROP INDEX. Every change of a table rebuilds
// it in SQLite from the new definition (SQLite's own ALTER is too small for
// MySQL's), inside one transaction under the write gate, and records the
// MySQL definition in the database's _reptut_tables.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include "common/errors.h"
#include "engine/accounts.h"
#include "engine/column_checks.h"
#include "engine/exec.h"
#include "engine/information_schema.h"
#include "engine/table_locks.h"
#include "sql/parser.h"

namespace reptut::engine {
namespace {

using K = sql::StatementKind;
using storage::SqliteConn;

constexpr const char* kRebuildName = "_reptut_rebuild";

bool ValidDbName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  if (name.back() == ' ') return false;
  return name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
         name.find('.') == std::string::npos;
}

// Qualifies "CREATE [UNIQUE] INDEX|TABLE `x`" with the schema.
std::string Qualify(const std::string& ddl, const std::string& db) {
  for (const char* prefix : {"CREATE TABLE ", "CREATE UNIQUE INDEX ", "CREATE INDEX "}) {
    std::string p = prefix;
    if (ddl.compare(0, p.size(), p) == 0) {
      return p + SqliteConn::Quote(db) + "." + ddl.substr(p.size());
    }
  }
  return ddl;
}

Status ExecSql(SessionState& s, const std::string& sql, const std::string& db = {}) {
  storage::SqliteError e = s.Conn().Exec(sql);
  if (!e.ok()) return MapSqliteError(s, e, db);
  return Status::Ok();
}

Status SaveDefinition(SessionState& s, const std::string& db, const sql::TableDef& def) {
  storage::SqliteStmt st;
  auto e = s.Conn().Prepare("INSERT OR REPLACE INTO " + SqliteConn::Quote(db) + "." +
                                kCatalogTable + " (name, definition) VALUES (?1, ?2)",
                            &st);
  if (!e.ok()) return MapSqliteError(s, e, db);
  st.BindText(1, def.name);
  st.BindText(2, sql::ToShowCreate(def));
  if (st.Step() != SQLITE_DONE) return MapSqliteError(s, s.Conn().LastError(), db);
  return Status::Ok();
}

Status DeleteDefinition(SessionState& s, const std::string& db, const std::string& table) {
  return ExecSql(s,
                 "DELETE FROM " + SqliteConn::Quote(db) + "." + kCatalogTable +
                     " WHERE name = " + SqliteConn::Literal(table),
                 db);
}

// ---- triggers ----

std::string Backticked(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

const TriggerRow* FindTrigger(const std::vector<TriggerRow>& all, const std::string& name) {
  for (const TriggerRow& t : all)
    if (sql::EqualsIgnoreCase(t.name, name)) return &t;
  return nullptr;
}

// The triggers of db.table (their native SQLite triggers dropped with it)
// follow the table, renamed to `new_name`, after a rebuild.
Status RecreateTriggers(SessionState& s, const std::string& db, const std::string& old_name,
                        const std::string& new_name) {
  for (TriggerRow t : ReadTriggers(s.Conn(), db)) {
    if (t.table != old_name) continue;
    t.table = new_name;
    REPTUT_RETURN_IF_ERROR(ExecSql(s, NativeTriggerSql(db, t), db));
    if (old_name != new_name) {
      REPTUT_RETURN_IF_ERROR(ExecSql(s,
                                     "UPDATE " + SqliteConn::Quote(db) + "." + kTriggersTable +
                                         " SET table_name = " + SqliteConn::Literal(new_name) +
                                         " WHERE name = " + SqliteConn::Literal(t.name),
                                     db));
    }
  }
  return Status::Ok();
}

Status DeleteTriggersOf(SessionState& s, const std::string& db, const std::string& table) {
  if (ReadTriggers(s.Conn(), db).empty()) return Status::Ok();
  return ExecSql(s,
                 "DELETE FROM " + SqliteConn::Quote(db) + "." + kTriggersTable +
                     " WHERE table_name = " + SqliteConn::Literal(table),
                 db);
}

std::string NowWithCentiseconds() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto cs = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
            1000 / 10;
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(cs));
  return buf;
}

std::string DbCharset(SessionState& s, const std::string& db) {
  storage::SqliteStmt st;
  if (s.Conn()
          .Prepare("SELECT value FROM " + SqliteConn::Quote(db) + "." + kOptionsTable +
                       " WHERE key = 'charset'",
                   &st)
          .ok() &&
      st.Step() == SQLITE_ROW) {
    return st.Text(0);
  }
  return s.server->options.character_set_server.empty() ? "latin1"
                                                        : s.server->options.character_set_server;
}

// Creates `def` in SQLite as db.<name> (with its indexes).
Status CreateStorage(SessionState& s, const std::string& db, const sql::TableDef& def,
                     const std::string& sqlite_name, bool with_indexes) {
  Result<sql::SqliteDdl> ddl = sql::ToSqliteDdl(def, sqlite_name);
  if (!ddl.ok()) return ddl.error();
  for (size_t i = 0; i < ddl->statements.size(); ++i) {
    if (i > 0 && !with_indexes) break;
    REPTUT_RETURN_IF_ERROR(ExecSql(s, Qualify(ddl->statements[i], db), db));
  }
  return Status::Ok();
}

Status CreateIndexes(SessionState& s, const std::string& db, const sql::TableDef& def) {
  Result<sql::SqliteDdl> ddl = sql::ToSqliteDdl(def, def.name);
  if (!ddl.ok()) return ddl.error();
  for (size_t i = 1; i < ddl->statements.size(); ++i) {
    REPTUT_RETURN_IF_ERROR(ExecSql(s, Qualify(ddl->statements[i], db), db));
  }
  return Status::Ok();
}

// Rebuilds db.old_def as new_def: a new table, the rows copied column by
// column (renamed columns follow `renames`), the old one dropped.
Status Rebuild(SessionState& s, const std::string& db, const sql::TableDef& old_def,
               const sql::TableDef& new_def,
               const std::vector<std::pair<std::string, std::string>>& renames) {
  std::string q = SqliteConn::Quote(db);
  REPTUT_RETURN_IF_ERROR(ExecSql(s, "DROP TABLE IF EXISTS " + q + "." + kRebuildName, db));
  REPTUT_RETURN_IF_ERROR(CreateStorage(s, db, new_def, kRebuildName, false));
  std::string dst, src;
  // A column whose type changes has its values checked against the new
  // type as they are copied (column_checks.h), as MySQL's ALTER converts
  // them: an error in strict mode, cut with a warning otherwise.
  sql::DmlInfo copy;
  bool checked = false;
  for (const sql::ColumnDef& c : new_def.columns) {
    std::string from = c.name;
    for (const auto& [o, n] : renames) {
      if (sql::EqualsIgnoreCase(n, c.name)) from = o;
    }
    int old_index = old_def.FindColumn(from);
    if (old_index < 0) continue;
    const sql::ColumnDef& old_column = old_def.columns[static_cast<size_t>(old_index)];
    dst += (dst.empty() ? "" : ", ") + SqliteConn::Quote(c.name);
    std::string value = SqliteConn::Quote(old_column.name);
    if (sql::ColumnTypeText(old_column) != sql::ColumnTypeText(c)) {
      value = "reptut_cv(" + value + ", " + std::to_string(copy.insert_columns.size()) + ")";
      checked = true;
    }
    copy.insert_columns.push_back(c.name);
    src += (src.empty() ? "" : ", ") + value;
  }
  if (!dst.empty()) {
    std::optional<ColumnChecks> checks;
    if (checked) {
      checks.emplace(s, new_def, db, copy);
      checks->alter_copy = true;
      s.column_checks = &*checks;
    }
    Status copied = ExecSql(s,
                            "INSERT INTO " + q + "." + kRebuildName + " (" + dst + ") SELECT " +
                                src + " FROM " + q + "." + SqliteConn::Quote(old_def.name),
                            db);
    s.column_checks = nullptr;
    if (checks && checks->failure) return *checks->failure;
    REPTUT_RETURN_IF_ERROR(copied);
  }
  REPTUT_RETURN_IF_ERROR(ExecSql(s, "DROP TABLE " + q + "." + SqliteConn::Quote(old_def.name), db));
  // Legacy renaming: SQLite neither checks nor rewrites the bodies of the
  // database's triggers (MySQL resolves their table names when they fire).
  (void)s.Conn().Exec("PRAGMA legacy_alter_table = ON");
  Status renamed = ExecSql(
      s, "ALTER TABLE " + q + "." + kRebuildName + " RENAME TO " + SqliteConn::Quote(new_def.name),
      db);
  (void)s.Conn().Exec("PRAGMA legacy_alter_table = OFF");
  REPTUT_RETURN_IF_ERROR(renamed);
  REPTUT_RETURN_IF_ERROR(CreateIndexes(s, db, new_def));
  REPTUT_RETURN_IF_ERROR(RecreateTriggers(s, db, old_def.name, new_def.name));
  if (new_def.auto_increment && *new_def.auto_increment > 1) {
    (void)ExecSql(s, "DELETE FROM " + q +
                         ".sqlite_sequence WHERE name = " + SqliteConn::Literal(new_def.name));
    (void)ExecSql(s, "INSERT INTO " + q + ".sqlite_sequence (name, seq) VALUES (" +
                         SqliteConn::Literal(new_def.name) + ", " +
                         std::to_string(*new_def.auto_increment - 1) + ")");
  }
  if (!sql::EqualsIgnoreCase(old_def.name, new_def.name)) {
    REPTUT_RETURN_IF_ERROR(DeleteDefinition(s, db, old_def.name));
  }
  return SaveDefinition(s, db, new_def);
}

void CreateDatabase(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const std::string& name = st.db.name;
  if (!ValidDbName(name))
    return x.Fail(MakeErrorMsg(1102, "Incorrect database name '" + name + "'"));
  Status p = CheckDbPriv(s, name, sql::kPrivCreate);
  if (!p.ok()) return x.Fail(p.error());
  if (s.server->datadir.DatabaseExists(name)) {
    if (st.db.if_not_exists) {
      s.AddWarning("Note", ER_DB_CREATE_EXISTS, MakeError(ER_DB_CREATE_EXISTS, {name}).message);
      return x.Ok();
    }
    return x.Fail(MakeError(ER_DB_CREATE_EXISTS, {name}));
  }
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  // ATTACH cannot run inside a transaction: create the file first.
  MakeRoomToAttach(s);
  storage::SqliteError e = s.Conn().Attach(name, s.server->datadir.DatabaseFile(name));
  if (!e.ok()) return x.Fail(MakeError(ER_CANT_CREATE_DB, {name, e.message}));
  Status made = RunDdl(
      s,
      [&]() -> Status {
        std::string q = SqliteConn::Quote(name);
        REPTUT_RETURN_IF_ERROR(ExecSql(s, Catalog::DatabaseSchemaSql(name)));
        if (!st.db.charset.empty()) {
          REPTUT_RETURN_IF_ERROR(ExecSql(s, "INSERT OR REPLACE INTO " + q + "." + kOptionsTable +
                                                " VALUES ('charset', " +
                                                SqliteConn::Literal(st.db.charset) + ")"));
        }
        return Status::Ok();
      },
      x.text, name, /*suppress_use=*/true);
  if (!made.ok()) return x.Fail(made.error());
  s.server->catalog.Forget(name);
  x.Ok(1);
}

void DropDatabase(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const std::string& name = st.db.name;
  Status p = CheckDbPriv(s, name, sql::kPrivDrop);
  if (!p.ok()) return x.Fail(p.error());
  if (!s.server->datadir.DatabaseExists(name)) {
    if (st.db.if_exists) {
      s.AddWarning("Note", ER_DB_DROP_EXISTS, MakeError(ER_DB_DROP_EXISTS, {name}).message);
      return x.Ok();
    }
    return x.Fail(MakeError(ER_DB_DROP_EXISTS, {name}));
  }
  if (AlreadyApplied(s, "mysql")) return x.Ok();
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  Status g = BeginWrite(s);  // no other session writes meanwhile
  if (!g.ok()) return x.Fail(g.error());
  uint64_t tables = 0;
  if (s.Conn().IsAttached(name)) {
    Result<std::vector<std::string>> names = s.server->catalog.TableNames(s.Conn(), name);
    if (names.ok()) tables = names->size();
  }
  // Close the (empty) transaction but keep the gate while the files go, so
  // that no writer opens them meanwhile.
  (void)s.Conn().ExecCached("ROLLBACK");
  s.sqlite_txn = false;
  s.server->writer_txn_open = false;
  (void)s.Conn().Detach(name);  // the writer connection
  (void)s.own.conn.Detach(name);
  Status r = s.server->datadir.RemoveDatabaseFiles(name);
  s.server->catalog.Forget(name);
  s.server->schema_epoch++;
  RollbackTxn(s);  // releases the gate
  if (!r.ok()) return x.Fail(r.error());
  if (s.db == name) s.db.clear();
  Status logged = RunDdl(
      s, [] { return Status::Ok(); }, x.text, "mysql", /*suppress_use=*/true);
  if (!logged.ok()) return x.Fail(logged.error());
  x.Ok(tables);
}

// mysql.user, mysql.db, mysql.tables_priv: reptutd's own layout, which the
// server needs to start. DROP TABLE keeps them (their rows with them); a
// CREATE TABLE of one with reptutd's definition (a dump of a reptutd being
// restored: DROP, CREATE, INSERT) empties it for the rows that follow; any
// other definition (another server's dump) is refused and changes nothing.
bool IsGrantTable(const std::string& db, const std::string& table) {
  if (db != "mysql") return false;
  for (const auto& [name, def] : Accounts::TableDefinitions())
    if (sql::EqualsIgnoreCase(name, table)) return true;
  return false;
}

void CreateTable(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const sql::TableName& tn = st.table.tables.at(0);
  Result<std::string> dbr = DbOf(s, tn);
  if (!dbr.ok()) return x.Fail(dbr.error());
  std::string db = *dbr;
  if (st.table.temporary)
    return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"CREATE TEMPORARY TABLE"}));
  if (st.table.select) return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"CREATE TABLE ... SELECT"}));
  Status a = AttachDb(s, db);
  if (!a.ok()) return x.Fail(a.error());
  Status p = CheckTablePriv(s, db, tn.name, sql::kPrivCreate, "CREATE");
  if (!p.ok()) return x.Fail(p.error());
  if (st.table.like) {
    // The copy shows the source's schema: SELECT on it (1142), as MySQL.
    Result<std::string> src_db = DbOf(s, *st.table.like);
    if (!src_db.ok()) return x.Fail(src_db.error());
    p = CheckTablePriv(s, *src_db, st.table.like->name, sql::kPrivSelect, "SELECT");
    if (!p.ok()) return x.Fail(p.error());
  }
  Result<Catalog::DefPtr> existing = s.server->catalog.Get(s.Conn(), db, tn.name);
  if (!existing.ok()) return x.Fail(existing.error());
  if (*existing) {
    if (st.table.if_not_exists) {
      s.AddWarning("Note", ER_TABLE_EXISTS_ERROR,
                   MakeError(ER_TABLE_EXISTS_ERROR, {tn.name}).message);
      return x.Ok();
    }
    if (IsGrantTable(db, tn.name)) {
      sql::TableDef mine = st.table.def;
      mine.name = (*existing)->name;
      if (mine.charset.empty()) mine.charset = (*existing)->charset;
      sql::NormalizeTableDef(mine);
      if (sql::ToShowCreate(mine) != sql::ToShowCreate(**existing)) {
        return x.Fail(MakeErrorMsg(
            ER_CANT_CREATE_TABLE,
            "Can't create table `mysql`.`" + tn.name +
                "` (it is a grant table of reptutd and keeps its own definition: restore "
                "another server's dump without its mysql database)"));
      }
      Status emptied = RunDdl(
          s,
          [&]() -> Status {
            return ExecSql(
                s,
                "DELETE FROM " + SqliteConn::Quote(db) + "." + SqliteConn::Quote((*existing)->name),
                db);
          },
          x.text, db);
      if (!emptied.ok()) return x.Fail(emptied.error());
      return x.Ok();
    }
    return x.Fail(MakeError(ER_TABLE_EXISTS_ERROR, {tn.name}));
  }
  sql::TableDef def = st.table.def;
  if (st.table.like) {
    Result<Catalog::DefPtr> src = ResolveTable(s, *st.table.like);
    if (!src.ok()) return x.Fail(src.error());
    def = **src;
    def.auto_increment.reset();
  }
  def.name = tn.name;
  if (def.charset.empty()) def.charset = DbCharset(s, db);
  sql::NormalizeTableDef(def);
  Status done = RunDdl(
      s,
      [&]() -> Status {
        REPTUT_RETURN_IF_ERROR(CreateStorage(s, db, def, def.name, true));
        if (def.auto_increment && *def.auto_increment > 1) {
          (void)ExecSql(s, "INSERT INTO " + SqliteConn::Quote(db) +
                               ".sqlite_sequence (name, seq) VALUES (" +
                               SqliteConn::Literal(def.name) + ", " +
                               std::to_string(*def.auto_increment - 1) + ")");
        }
        return SaveDefinition(s, db, def);
      },
      x.text, db);
  if (!done.ok()) return x.Fail(done.error());
  s.server->catalog.Put(db, def);
  x.Ok();
}

void DropTable(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  std::vector<std::pair<std::string, std::string>> found;
  std::string missing;
  for (const sql::TableName& t : st.table.tables) {
    Result<std::string> db = DbOf(s, t);
    if (!db.ok()) return x.Fail(db.error());
    Status p = CheckTablePriv(s, *db, t.name, sql::kPrivDrop, "DROP");
    if (!p.ok()) return x.Fail(p.error());
    Result<Catalog::DefPtr> def = ResolveTable(s, t);
    if (def.ok() && IsGrantTable(*db, t.name)) {
      s.AddWarning("Note", ER_UNKNOWN_ERROR,
                   "Grant table 'mysql." + t.name + "' kept: the server needs it");
    } else if (def.ok()) {
      found.push_back({*db, t.name});
    } else {
      missing += (missing.empty() ? "" : ",") + *db + "." + t.name;
      if (st.table.if_exists) {
        s.AddWarning("Note", ER_BAD_TABLE_ERROR,
                     MakeError(ER_BAD_TABLE_ERROR, {*db + "." + t.name}).message);
      }
    }
  }
  if (!missing.empty() && !st.table.if_exists)
    return x.Fail(MakeError(ER_BAD_TABLE_ERROR, {missing}));
  Status done = RunDdl(
      s,
      [&]() -> Status {
        for (const auto& [db, name] : found) {
          REPTUT_RETURN_IF_ERROR(ExecSql(
              s, "DROP TABLE " + SqliteConn::Quote(db) + "." + SqliteConn::Quote(name), db));
          REPTUT_RETURN_IF_ERROR(DeleteDefinition(s, db, name));
          REPTUT_RETURN_IF_ERROR(DeleteTriggersOf(s, db, name));
        }
        return Status::Ok();
      },
      x.text, found.empty() ? std::string() : found.front().first);
  if (!done.ok()) return x.Fail(done.error());
  for (const auto& [db, name] : found) s.server->catalog.Remove(db, name);
  x.Ok();
}

void Truncate(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const sql::TableName& t = st.table.tables.at(0);
  Result<std::string> db = DbOf(s, t);
  if (!db.ok()) return x.Fail(db.error());
  Result<Catalog::DefPtr> def = ResolveTable(s, t);
  if (!def.ok()) return x.Fail(def.error());
  Status p = CheckTablePriv(s, *db, t.name, sql::kPrivDrop, "DROP");
  if (!p.ok()) return x.Fail(p.error());
  std::string q = SqliteConn::Quote(*db);
  Status done = RunDdl(
      s,
      [&]() -> Status {
        // TRUNCATE fires no DELETE trigger: the native ones step aside.
        std::vector<TriggerRow> triggers;
        for (TriggerRow& tr : ReadTriggers(s.Conn(), *db))
          if (tr.table == (*def)->name) triggers.push_back(std::move(tr));
        for (const TriggerRow& tr : triggers) {
          REPTUT_RETURN_IF_ERROR(
              ExecSql(s, "DROP TRIGGER " + q + "." + SqliteConn::Quote(tr.name), *db));
        }
        REPTUT_RETURN_IF_ERROR(
            ExecSql(s, "DELETE FROM " + q + "." + SqliteConn::Quote(t.name), *db));
        for (const TriggerRow& tr : triggers) {
          REPTUT_RETURN_IF_ERROR(ExecSql(s, NativeTriggerSql(*db, tr), *db));
        }
        (void)ExecSql(
            s, "DELETE FROM " + q + ".sqlite_sequence WHERE name = " + SqliteConn::Literal(t.name));
        return Status::Ok();
      },
      x.text, *db);
  if (!done.ok()) return x.Fail(done.error());
  x.Ok();
}

// ALTER TABLE, CREATE/DROP INDEX and RENAME TABLE all end here.
void AlterTo(Exec& x, const sql::TableName& t, const sql::AlterSpec& spec) {
  SessionState& s = x.s;
  Result<std::string> dbr = DbOf(s, t);
  if (!dbr.ok()) return x.Fail(dbr.error());
  std::string db = *dbr;
  Result<Catalog::DefPtr> def = ResolveTable(s, t);
  if (!def.ok()) return x.Fail(def.error());
  Status p = CheckTablePriv(s, db, t.name, sql::kPrivAlter, "ALTER");
  if (!p.ok()) return x.Fail(p.error());
  sql::TableDef next = **def;
  Status applied = sql::ApplyAlter(next, spec);
  if (!applied.ok()) return x.Fail(applied.error());
  std::vector<std::pair<std::string, std::string>> renames;
  for (const sql::AlterOp& op : spec.ops) {
    if (op.type == sql::AlterOp::Type::kChangeColumn &&
        !sql::EqualsIgnoreCase(op.name, op.column.name)) {
      renames.push_back({op.name, op.column.name});
    }
    if (op.type == sql::AlterOp::Type::kRenameTable && !op.new_name.db.empty() &&
        op.new_name.db != db) {
      return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"RENAME TABLE across databases"}));
    }
  }
  if (!sql::EqualsIgnoreCase(next.name, (*def)->name)) {
    Result<Catalog::DefPtr> clash = s.server->catalog.Get(s.Conn(), db, next.name);
    if (clash.ok() && *clash) return x.Fail(MakeError(ER_TABLE_EXISTS_ERROR, {next.name}));
  }
  Status done = RunDdl(
      s, [&]() { return Rebuild(s, db, **def, next, renames); }, x.text, db);
  if (!done.ok()) return x.Fail(done.error());
  s.server->catalog.Remove(db, (*def)->name);
  s.server->catalog.Put(db, next);
  x.Ok();
}

// RENAME TABLE a TO b, c TO d, ...: all the renames in one transaction
// (pt-online-schema-change swaps tables this way while others write: they
// never see a table missing). Each rename sees the ones before it.
void RenameTables(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  struct Step {
    std::string db;
    Catalog::DefPtr old_def;
    sql::TableDef new_def;
  };
  std::vector<Step> steps;
  // The tables as the renames so far leave them (null: renamed away).
  std::map<std::pair<std::string, std::string>, Catalog::DefPtr> overlay;
  auto lookup = [&](const std::string& db, const std::string& name) -> Result<Catalog::DefPtr> {
    auto it = overlay.find({db, name});
    if (it != overlay.end()) return it->second;
    return s.server->catalog.Get(s.Conn(), db, name);
  };
  for (const auto& [from, to] : st.table.renames) {
    Result<std::string> dbr = DbOf(s, from);
    if (!dbr.ok()) return x.Fail(dbr.error());
    std::string db = *dbr;
    Result<std::string> to_db = DbOf(s, to);
    if (!to_db.ok()) return x.Fail(to_db.error());
    if (*to_db != db) {
      return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"RENAME TABLE across databases"}));
    }
    if (!s.server->datadir.DatabaseExists(db))
      return x.Fail(MakeError(ER_NO_SUCH_TABLE, {db, from.name}));
    Status a = AttachDb(s, db);
    if (!a.ok()) return x.Fail(a.error());
    Status p = CheckTablePriv(s, db, from.name, sql::kPrivAlter, "ALTER");
    if (!p.ok()) return x.Fail(p.error());
    Result<Catalog::DefPtr> def = lookup(db, from.name);
    if (!def.ok()) return x.Fail(def.error());
    if (!*def) return x.Fail(MakeError(ER_NO_SUCH_TABLE, {db, from.name}));
    sql::AlterSpec spec;
    spec.table = from;
    sql::AlterOp op;
    op.type = sql::AlterOp::Type::kRenameTable;
    op.new_name = to;
    spec.ops.push_back(op);
    sql::TableDef next = **def;
    Status applied = sql::ApplyAlter(next, spec);
    if (!applied.ok()) return x.Fail(applied.error());
    if (!sql::EqualsIgnoreCase(next.name, (*def)->name)) {
      Result<Catalog::DefPtr> clash = lookup(db, next.name);
      if (clash.ok() && *clash) return x.Fail(MakeError(ER_TABLE_EXISTS_ERROR, {next.name}));
    }
    overlay[{db, (*def)->name}] = nullptr;
    overlay[{db, next.name}] = std::make_shared<const sql::TableDef>(next);
    steps.push_back({db, *def, std::move(next)});
  }
  Status done = RunDdl(
      s,
      [&]() -> Status {
        for (const Step& step : steps) {
          REPTUT_RETURN_IF_ERROR(Rebuild(s, step.db, *step.old_def, step.new_def, {}));
        }
        return Status::Ok();
      },
      x.text);
  if (!done.ok()) {
    for (const Step& step : steps) s.server->catalog.Forget(step.db);
    return x.Fail(done.error());
  }
  for (const auto& [key, def] : overlay) {
    if (!def) s.server->catalog.Remove(key.first, key.second);
  }
  for (const auto& [key, def] : overlay) {
    if (def) s.server->catalog.Put(key.first, *def);
  }
  x.Ok();
}

void CreateTrigger(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const sql::TriggerInfo& ti = st.trigger;
  std::string db = !ti.name.db.empty() ? ti.name.db : !ti.table.db.empty() ? ti.table.db : s.db;
  if (db.empty()) return x.Fail(MakeError(ER_NO_DB_ERROR));
  if (!ti.table.db.empty() && ti.table.db != db) {
    return x.Fail(MakeErrorMsg(1435, "Trigger in wrong schema"));
  }
  if (ti.name.name.size() > 64) {
    return x.Fail(MakeErrorMsg(1059, "Identifier name '" + ti.name.name + "' is too long"));
  }
  Status a = AttachDb(s, db);
  if (!a.ok()) return x.Fail(a.error());
  Result<Catalog::DefPtr> def = ResolveTable(s, sql::TableName{db, ti.table.name});
  if (!def.ok()) return x.Fail(def.error());
  Status p = CheckTablePriv(s, db, ti.table.name, sql::kPrivTrigger, "TRIGGER");
  if (!p.ok()) return x.Fail(p.error());
  if (ti.definer && !ti.definer->current_user &&
      !(ti.definer->user == s.account.user && ti.definer->host == s.account.host)) {
    Status sp = CheckGlobalPriv(s, sql::kPrivSuper, "SUPER");
    if (!sp.ok()) return x.Fail(sp.error());
  }
  std::vector<TriggerRow> all = ReadTriggers(s.Conn(), db);
  const TriggerRow* existing = FindTrigger(all, ti.name.name);
  if (existing && !ti.or_replace) {
    if (ti.if_not_exists) {
      s.AddWarning("Note", 1359, "Trigger '" + db + "." + ti.name.name + "' already exists");
      return x.Ok();
    }
    return x.Fail(MakeErrorMsg(1359, "Trigger '" + db + "." + ti.name.name + "' already exists"));
  }
  Result<std::string> body = sql::TranslateTriggerBody(ti, db, s.Hot().no_backslash_escapes);
  if (!body.ok()) return x.Fail(body.error());
  // NEW.col / OLD.col name columns of the table (1054 at CREATE, as MySQL).
  if (auto toks = sql::Tokenize(ti.body, s.Hot().no_backslash_escapes); toks.ok()) {
    const std::vector<sql::Token>& tk = *toks;
    for (size_t i = 0; i + 2 < tk.size(); ++i) {
      if (!(tk[i].Is("NEW") || tk[i].Is("OLD")) || !tk[i + 1].IsOp(".")) continue;
      if (i > 0 && tk[i - 1].IsOp(".")) continue;
      const sql::Token& col = tk[i + 2];
      if (col.kind != sql::TokenKind::kIdent && col.kind != sql::TokenKind::kQuotedIdent) continue;
      if ((*def)->FindColumn(col.text) < 0) {
        return x.Fail(MakeErrorMsg(ER_BAD_FIELD_ERROR, "Unknown column '" + col.text + "' in '" +
                                                           sql::ToUpper(tk[i].text) + "'"));
      }
    }
  }
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  TriggerRow t;
  t.name = ti.name.name;
  t.table = (*def)->name;
  t.timing = ti.timing;
  t.event = ti.event;
  if (ti.definer && !ti.definer->current_user) {
    t.definer_user = ti.definer->user;
    t.definer_host = ti.definer->host;
  } else {
    t.definer_user = s.account.user;
    t.definer_host = s.account.host;
  }
  t.sql_mode = s.SessionVar("sql_mode");
  t.charset_client = s.SessionVar("character_set_client");
  t.collation_connection = s.SessionVar("collation_connection");
  t.db_collation = sql::DefaultCollationFor(DbCharset(s, db));
  t.created = NowWithCentiseconds();
  t.body = ti.body;
  t.sqlite_body = *body;
  std::string log = "CREATE " + std::string(ti.or_replace ? "OR REPLACE " : "") +
                    "DEFINER=" + Backticked(t.definer_user) + "@" + Backticked(t.definer_host) +
                    " TRIGGER " + Backticked(db) + "." + Backticked(t.name) + " " + t.timing + " " +
                    t.event + " ON " + Backticked(db) + "." + Backticked(t.table) +
                    " FOR EACH ROW " + t.body;
  std::string q = SqliteConn::Quote(db);
  Status done = RunDdl(
      s,
      [&]() -> Status {
        REPTUT_RETURN_IF_ERROR(ExecSql(s, TriggersTableSql(db), db));
        if (existing) {
          REPTUT_RETURN_IF_ERROR(
              ExecSql(s, "DROP TRIGGER IF EXISTS " + q + "." + SqliteConn::Quote(existing->name)));
          REPTUT_RETURN_IF_ERROR(
              ExecSql(s, "DELETE FROM " + q + "." + kTriggersTable +
                             " WHERE name = " + SqliteConn::Literal(existing->name)));
        }
        storage::SqliteError e = s.Conn().Exec(NativeTriggerSql(db, t));
        if (!e.ok()) {
          return MakeErrorMsg(ER_NOT_SUPPORTED_YET,
                              "This version of MySQL doesn't yet support 'this trigger body "
                              "in SQLite: " +
                                  e.message + "'");
        }
        storage::SqliteStmt ins;
        auto pe = s.Conn().Prepare(
            "INSERT INTO " + q + "." + kTriggersTable +
                " (name, table_name, timing, event, definer_user, definer_host, sql_mode, "
                "charset_client, collation_connection, db_collation, created, body, sqlite_body) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            &ins);
        if (!pe.ok()) return MapSqliteError(s, pe, db);
        const std::string* vals[] = {&t.name,         &t.table,          &t.timing,
                                     &t.event,        &t.definer_user,   &t.definer_host,
                                     &t.sql_mode,     &t.charset_client, &t.collation_connection,
                                     &t.db_collation, &t.created,        &t.body,
                                     &t.sqlite_body};
        for (int i = 0; i < 13; ++i) ins.BindText(i + 1, *vals[i]);
        if (ins.Step() != SQLITE_DONE) return MapSqliteError(s, s.Conn().LastError(), db);
        return Status::Ok();
      },
      log, db);
  if (!done.ok()) return x.Fail(done.error());
  x.Ok();
}

void DropTrigger(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const sql::TriggerInfo& ti = st.trigger;
  std::string db = ti.name.db.empty() ? s.db : ti.name.db;
  if (db.empty()) return x.Fail(MakeError(ER_NO_DB_ERROR));
  const TriggerRow* found = nullptr;
  std::vector<TriggerRow> all;
  if (s.server->datadir.DatabaseExists(db) && AttachDb(s, db).ok()) {
    all = ReadTriggers(s.Conn(), db);
    found = FindTrigger(all, ti.name.name);
  }
  if (!found) {
    if (ti.if_exists) {
      s.AddWarning("Note", 1360, "Trigger does not exist");
      return x.Ok();
    }
    return x.Fail(MakeErrorMsg(1360, "Trigger does not exist"));
  }
  Status p = CheckTablePriv(s, db, found->table, sql::kPrivTrigger, "TRIGGER");
  if (!p.ok()) return x.Fail(p.error());
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  std::string q = SqliteConn::Quote(db);
  std::string log = std::string("DROP TRIGGER ") + (ti.if_exists ? "IF EXISTS " : "") +
                    Backticked(db) + "." + Backticked(found->name);
  Status done = RunDdl(
      s,
      [&]() -> Status {
        REPTUT_RETURN_IF_ERROR(
            ExecSql(s, "DROP TRIGGER IF EXISTS " + q + "." + SqliteConn::Quote(found->name), db));
        return ExecSql(s,
                       "DELETE FROM " + q + "." + kTriggersTable +
                           " WHERE name = " + SqliteConn::Literal(found->name),
                       db);
      },
      log, db);
  if (!done.ok()) return x.Fail(done.error());
  x.Ok();
}

}  // namespace

void ExecUse(Exec& x, const std::string& db) {
  SessionState& s = x.s;
  if (IsInformationSchema(db)) {
    s.db = std::string(kInformationSchema);
    return x.Ok();
  }
  if (!s.server->datadir.DatabaseExists(db)) return x.Fail(MakeError(ER_BAD_DB_ERROR, {db}));
  if (!Accounts::CanSeeDb(s.account, db)) {
    return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, db}));
  }
  s.db = db;
  Status prep = PrepareConnection(s);
  if (!prep.ok()) return x.Fail(prep.error());
  x.Ok();
}

void ExecSchema(Exec& x, const sql::Statement& st) {
  // Under LOCK TABLES (this session's or another's), DDL on a table is a
  // write of it (CREATE TABLE is not checked: MariaDB allows it).
  {
    std::vector<TableUse> uses;
    switch (st.kind) {
      case K::kDropTable:
      case K::kTruncate:
      case K::kCreateIndex:
      case K::kDropIndex:
        for (const sql::TableName& t : st.table.tables) uses.push_back({t, true});
        break;
      case K::kAlterTable:
        uses.push_back({st.alter.table, true});
        break;
      case K::kRenameTable:
        for (const auto& r : st.table.renames) uses.push_back({r.first, true});
        break;
      default:
        break;
    }
    if (!uses.empty()) {
      Status locked = CheckTableUses(x.s, uses);
      if (!locked.ok()) return x.Fail(locked.error());
    }
  }
  switch (st.kind) {
    case K::kCreateDatabase:
      return CreateDatabase(x, st);
    case K::kDropDatabase:
      return DropDatabase(x, st);
    case K::kAlterDatabase:
      return x.Ok(1);
    case K::kCreateTable:
      return CreateTable(x, st);
    case K::kCreateTrigger:
      return CreateTrigger(x, st);
    case K::kDropTrigger:
      return DropTrigger(x, st);
    case K::kDropTable:
      return DropTable(x, st);
    case K::kTruncate:
      return Truncate(x, st);
    case K::kAlterTable:
      return AlterTo(x, st.alter.table, st.alter);
    case K::kCreateIndex: {
      sql::AlterSpec spec;
      spec.table = st.table.tables.at(0);
      sql::AlterOp op;
      op.type = sql::AlterOp::Type::kAddIndex;
      op.index = st.table.index;
      spec.ops.push_back(op);
      return AlterTo(x, spec.table, spec);
    }
    case K::kDropIndex: {
      sql::AlterSpec spec;
      spec.table = st.table.tables.at(0);
      sql::AlterOp op;
      op.type = sql::EqualsIgnoreCase(st.table.index_name, "PRIMARY")
                    ? sql::AlterOp::Type::kDropPrimaryKey
                    : sql::AlterOp::Type::kDropIndex;
      op.name = st.table.index_name;
      spec.ops.push_back(op);
      return AlterTo(x, spec.table, spec);
    }
    case K::kRenameTable:
      return RenameTables(x, st);
    default:
      return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {sql::StatementKindName(st.kind)}));
  }
}

}  // namespace reptut::engine
