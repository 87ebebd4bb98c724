// Databases and tables: CREATE/DROP DATABASE, USE, CREATE/DROP/TRUNCATE/
// RENAME/ALTER TABLE, CREATE/DROP INDEX. Every change of a table rebuilds
// it in SQLite from the new definition (SQLite's own ALTER is too small for
// MySQL's), inside one transaction under the write gate, and records the
// MySQL definition in the database's _reptut_tables.
#include "common/errors.h"
#include "engine/accounts.h"
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
  for (const sql::ColumnDef& c : new_def.columns) {
    std::string from = c.name;
    for (const auto& [o, n] : renames) {
      if (sql::EqualsIgnoreCase(n, c.name)) from = o;
    }
    if (old_def.FindColumn(from) < 0) continue;
    dst += (dst.empty() ? "" : ", ") + SqliteConn::Quote(c.name);
    src += (src.empty() ? "" : ", ") +
           SqliteConn::Quote(old_def.columns[old_def.FindColumn(from)].name);
  }
  if (!dst.empty()) {
    REPTUT_RETURN_IF_ERROR(ExecSql(s,
                                   "INSERT INTO " + q + "." + kRebuildName + " (" + dst +
                                       ") SELECT " + src + " FROM " + q + "." +
                                       SqliteConn::Quote(old_def.name),
                                   db));
  }
  REPTUT_RETURN_IF_ERROR(ExecSql(s, "DROP TABLE " + q + "." + SqliteConn::Quote(old_def.name), db));
  REPTUT_RETURN_IF_ERROR(ExecSql(
      s, "ALTER TABLE " + q + "." + kRebuildName + " RENAME TO " + SqliteConn::Quote(new_def.name),
      db));
  REPTUT_RETURN_IF_ERROR(CreateIndexes(s, db, new_def));
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
        REPTUT_RETURN_IF_ERROR(
            ExecSql(s, "DELETE FROM " + q + "." + SqliteConn::Quote(t.name), *db));
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
    case K::kRenameTable: {
      for (const auto& [from, to] : st.table.renames) {
        sql::AlterSpec spec;
        spec.table = from;
        sql::AlterOp op;
        op.type = sql::AlterOp::Type::kRenameTable;
        op.new_name = to;
        spec.ops.push_back(op);
        // Each rename answers on its own only when it fails.
        struct Quiet : ResponseSink {
          std::optional<Error> err;
          void SendOk(const OkInfo&, uint16_t) override {}
          void SendError(const Error& e) override { err = e; }
          void SendColumns(const std::vector<ColumnInfo>&) override {}
          bool SendRow(const Row&) override { return true; }
          void SendEof(uint16_t, uint16_t) override {}
        } quiet;
        Exec inner{x.s, quiet, 0, {}};
        AlterTo(inner, from, spec);
        if (quiet.err) return x.Fail(*quiet.err);
      }
      {
        Status logged = RunDdl(
            x.s, [] { return Status::Ok(); }, x.text);
        if (!logged.ok()) return x.Fail(logged.error());
      }
      return x.Ok();
    }
    default:
      return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {sql::StatementKindName(st.kind)}));
  }
}

}  // namespace reptut::engine
