// SHOW and DESCRIBE: result sets built from the catalog, the variables, the
// accounts and the sessions, with LIKE and WHERE filters as MySQL applies
// them.
#include <algorithm>

#include "common/errors.h"
#include "common/mysql_types.h"
#include "engine/binlogging.h"
#include "engine/exec.h"
#include "engine/information_schema.h"
#include "sql/lexer.h"

namespace reptut::engine {
namespace {

using K = sql::StatementKind;
using Col = Exec::Col;
using storage::SqliteConn;

std::optional<std::string> S(std::string v) {
  return std::optional<std::string>(std::move(v));
}

// Applies SHOW's LIKE (to the first column) and WHERE (over the columns).
Status Filter(SessionState& s, const sql::ShowInfo& show, const std::vector<Col>& cols,
              std::vector<Row>* rows) {
  // A subquery in the WHERE reads its tables as a SELECT would: SELECT
  // privilege (1142), and the table must exist (1146, which also attaches
  // its database).
  for (const sql::TableName& t : show.where_tables) {
    Result<std::string> db = DbOf(s, t);
    if (!db.ok()) return db.error();
    REPTUT_RETURN_IF_ERROR(CheckTablePriv(s, *db, t.name, sql::kPrivSelect, "SELECT"));
    Result<Catalog::DefPtr> def = ResolveTable(s, t);
    if (!def.ok()) return def.error();
  }
  if (show.like) {
    std::vector<Row> kept;
    for (Row& r : *rows) {
      if (r[0] && LikeMatch(*show.like, *r[0])) kept.push_back(std::move(r));
    }
    *rows = std::move(kept);
  }
  if (!show.where_sql.empty() && !rows->empty()) {
    std::string sql = "WITH r(";
    for (size_t i = 0; i < cols.size(); ++i) {
      sql += (i ? ", " : "") + SqliteConn::Quote(cols[i].name);
    }
    sql += ", reptut_rowno) AS (VALUES ";
    for (size_t r = 0; r < rows->size(); ++r) {
      sql += r ? ", (" : "(";
      for (size_t i = 0; i < cols.size(); ++i) {
        const auto& v = (*rows)[r][i];
        sql += (i ? ", " : "") + (v ? SqliteConn::Literal(*v) : std::string("NULL"));
      }
      sql += ", " + std::to_string(r) + ")";
    }
    sql += ") SELECT reptut_rowno FROM r WHERE " + show.where_sql;
    storage::SqliteStmt st;
    storage::SqliteError e = s.Conn().Prepare(sql, &st);
    if (!e.ok()) return MapSqliteError(s, e);
    BindUserVars(s, st.get(), show.where_user_vars);
    std::vector<Row> kept;
    while (st.Step() == SQLITE_ROW) kept.push_back(std::move((*rows)[st.Int(0)]));
    *rows = std::move(kept);
  }
  return Status::Ok();
}

// Any privilege on the table (at any level) lets a user see its schema;
// with none, MariaDB answers 1142 naming `command` ("SELECT" for SHOW
// COLUMNS / DESCRIBE / SHOW INDEX, "SHOW" for SHOW CREATE TABLE), before
// it looks whether the table exists.
bool HasAnyTablePriv(const Account& a, const std::string& db, const std::string& table) {
  PrivSet all = AllTablePrivileges() & ~static_cast<PrivSet>(sql::kPrivGrantOption);
  for (int b = 0; b < 64; ++b) {
    PrivSet bit = 1ull << b;
    if ((all & bit) && Accounts::HasTable(a, db, table, bit)) return true;
  }
  return false;
}

Status CheckSchemaVisible(SessionState& s, const sql::TableName& t, std::string_view command) {
  Result<std::string> db = DbOf(s, t);
  if (!db.ok()) return db.error();
  if (HasAnyTablePriv(s.account, *db, t.name)) return Status::Ok();
  return MakeError(ER_TABLEACCESS_DENIED_ERROR, {command, s.user, s.client_host, t.name});
}

void Send(Exec& x, const sql::ShowInfo& show, const std::vector<Col>& cols, std::vector<Row> rows) {
  Status f = Filter(x.s, show, cols, &rows);
  if (!f.ok()) return x.Fail(f.error());
  x.Rows(cols, rows);
}

void ShowDatabases(Exec& x, const sql::Statement& st) {
  std::vector<Row> rows;
  rows.push_back({S("information_schema")});
  for (const std::string& db : x.s.server->datadir.ListDatabases()) {
    if (Accounts::CanSeeDb(x.s.account, db)) rows.push_back({S(db)});
  }
  std::string title = "Database";
  if (st.show.like) title += " (" + *st.show.like + ")";
  Send(x, st.show, {{title}}, std::move(rows));
}

void ShowTables(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  std::string db = st.show.db.empty() ? s.db : st.show.db;
  if (db.empty()) return x.Fail(MakeError(ER_NO_DB_ERROR));
  bool is = IsInformationSchema(db);
  if (is) db = std::string(kInformationSchema);
  Status a = is ? Status::Ok() : AttachDb(s, db);
  if (!a.ok()) return x.Fail(a.error());
  if (!is && !Accounts::CanSeeDb(s.account, db)) {
    return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, db}));
  }
  Result<std::vector<std::string>> names =
      is ? InformationSchemaTables() : s.server->catalog.TableNames(s.Conn(), db);
  if (!names.ok()) return x.Fail(names.error());
  std::vector<Row> rows;
  for (const std::string& n : *names) {
    if (is) {
      rows.push_back(st.show.full ? Row{S(n), S("SYSTEM VIEW")} : Row{S(n)});
      continue;
    }
    if (!HasAnyTablePriv(s.account, db, n)) continue;  // only the tables it may see
    if (st.show.full)
      rows.push_back({S(n), S("BASE TABLE")});
    else
      rows.push_back({S(n)});
  }
  std::string title = "Tables_in_" + db;
  if (st.show.like) title += " (" + *st.show.like + ")";
  std::vector<Col> cols{{title}};
  if (st.show.full) cols.push_back({"Table_type"});
  Send(x, st.show, cols, std::move(rows));
}

void ShowColumns(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  Result<std::string> in_db = DbOf(s, st.show.table);
  if (in_db.ok() && IsInformationSchema(*in_db)) {
    Status known = CheckInformationSchemaTable(st.show.table.name);
    if (!known.ok()) return x.Fail(known.error());
    std::vector<Row> rows;
    for (const std::string& c : InformationSchemaColumns(st.show.table.name)) {
      if (!st.show.column.empty() && !LikeMatch(st.show.column, c)) continue;
      rows.push_back({S(c), S("varchar(64)"), S("NO"), S(""), S(""), S("")});
    }
    return Send(x, st.show, {{"Field"}, {"Type"}, {"Null"}, {"Key"}, {"Default"}, {"Extra"}},
                std::move(rows));
  }
  Status p = CheckSchemaVisible(s, st.show.table, "SELECT");
  if (!p.ok()) return x.Fail(p.error());
  Result<Catalog::DefPtr> def = ResolveTable(s, st.show.table);
  if (!def.ok()) return x.Fail(def.error());
  std::vector<Row> rows;
  for (const sql::DescribeRow& d : sql::DescribeRows(**def, (*def)->charset)) {
    if (!st.show.column.empty() && !LikeMatch(st.show.column, d.field)) continue;
    if (st.show.full) {
      rows.push_back({S(d.field), S(d.type), d.collation, S(d.null), S(d.key), d.default_value,
                      S(d.extra), S(d.privileges), S(d.comment)});
    } else {
      rows.push_back({S(d.field), S(d.type), S(d.null), S(d.key), d.default_value, S(d.extra)});
    }
  }
  std::vector<Col> cols;
  if (st.show.full) {
    cols = {{"Field"},   {"Type"},  {"Collation"},  {"Null"},   {"Key"},
            {"Default"}, {"Extra"}, {"Privileges"}, {"Comment"}};
  } else {
    cols = {{"Field"}, {"Type"}, {"Null"}, {"Key"}, {"Default"}, {"Extra"}};
  }
  Send(x, st.show, cols, std::move(rows));
}

void ShowIndex(Exec& x, const sql::Statement& st) {
  Status p = CheckSchemaVisible(x.s, st.show.table, "SELECT");
  if (!p.ok()) return x.Fail(p.error());
  Result<Catalog::DefPtr> def = ResolveTable(x.s, st.show.table);
  if (!def.ok()) return x.Fail(def.error());
  std::vector<Row> rows;
  for (const sql::ShowIndexRow& r : sql::ShowIndexRows(**def)) {
    rows.push_back({S(r.table), S(std::to_string(r.non_unique)), S(r.key_name),
                    S(std::to_string(r.seq_in_index)), S(r.column_name),
                    r.collation.empty() ? std::nullopt : S(r.collation),
                    r.cardinality ? S(std::to_string(*r.cardinality)) : std::nullopt,
                    r.sub_part ? S(std::to_string(*r.sub_part)) : std::nullopt, std::nullopt,
                    S(r.null), S(r.index_type), S(r.comment), S(r.index_comment)});
  }
  Send(x, st.show,
       {{"Table"},
        {"Non_unique", mysql::kTypeLongLong},
        {"Key_name"},
        {"Seq_in_index", mysql::kTypeLongLong},
        {"Column_name"},
        {"Collation"},
        {"Cardinality", mysql::kTypeLongLong},
        {"Sub_part", mysql::kTypeLongLong},
        {"Packed"},
        {"Null"},
        {"Index_type"},
        {"Comment"},
        {"Index_comment"}},
       std::move(rows));
}

void ShowVariables(Exec& x, const sql::Statement& st) {
  bool global = st.show.scope == sql::VarScope::kGlobal;
  std::vector<Row> rows;
  for (auto& [name, value] : VariableValues(x.s, global)) rows.push_back({S(name), S(value)});
  Send(x, st.show, {{"Variable_name"}, {"Value"}}, std::move(rows));
}

void ShowStatus(Exec& x, const sql::Statement& st) {
  std::vector<Row> rows;
  // SHOW [SESSION] STATUS: the session's own counters; GLOBAL: the server's.
  const SessionState* session = st.show.scope == sql::VarScope::kGlobal ? nullptr : &x.s;
  for (auto& [name, value] : StatusValues(*x.s.server, session)) {
    rows.push_back({S(name), S(value)});
  }
  Send(x, st.show, {{"Variable_name"}, {"Value"}}, std::move(rows));
}

void ShowProcesslist(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  bool all = Accounts::HasGlobal(s.account, sql::kPrivProcess);
  std::vector<Row> rows;
  for (const ProcessInfo& p : s.server->ProcessList()) {
    if (!all && p.user != s.user) continue;
    std::string info = st.show.full ? p.info : p.info.substr(0, 100);
    rows.push_back({S(std::to_string(p.id)), S(p.user), S(p.host),
                    p.db.empty() ? std::nullopt : S(p.db), S(p.command), S(std::to_string(p.time)),
                    S(p.state), info.empty() ? std::nullopt : S(info)});
  }
  x.Rows({{"Id", mysql::kTypeLongLong},
          {"User"},
          {"Host"},
          {"db"},
          {"Command"},
          {"Time", mysql::kTypeLong},
          {"State"},
          {"Info"}},
         rows);
}

void ShowGrants(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  Account who = s.account;
  std::string title_user = s.account.user, title_host = s.account.host;
  if (st.show.user && !st.show.user->current_user) {
    bool self = st.show.user->user == s.account.user && st.show.user->host == s.account.host;
    if (!self && !Accounts::HasDb(s.account, "mysql", sql::kPrivSelect)) {
      return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, "mysql"}));
    }
    std::optional<Account> a = s.server->accounts.Find(st.show.user->user, st.show.user->host);
    if (!a)
      return x.Fail(MakeError(ER_NONEXISTING_GRANT, {st.show.user->user, st.show.user->host}));
    who = *a;
    title_user = a->user;
    title_host = a->host;
  }
  std::vector<Row> rows;
  for (const std::string& line : s.server->accounts.ShowGrants(who)) rows.push_back({S(line)});
  x.Rows({{"Grants for " + title_user + "@" + title_host, mysql::kTypeVarString, 1024}}, rows);
}

// SHOW CREATE USER: one row, as MySQL 5.7 (the user's privileges are in
// SHOW GRANTS). Needs SELECT on mysql unless it names the session's account.
void ShowCreateUser(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  std::string user = s.account.user, host = s.account.host;
  if (st.show.user && !st.show.user->current_user) {
    user = st.show.user->user;
    host = st.show.user->host;
  }
  bool self = user == s.account.user && host == s.account.host;
  if (!self && !Accounts::HasDb(s.account, "mysql", sql::kPrivSelect)) {
    return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, "mysql"}));
  }
  std::optional<Account> a = s.server->accounts.Find(user, host);
  if (!a)
    return x.Fail(MakeError(ER_CANNOT_USER, {"SHOW CREATE USER", "'" + user + "'@'" + host + "'"}));
  x.Rows({{"CREATE USER for " + a->user + "@" + a->host, mysql::kTypeVarString, 1024}},
         {{S(Accounts::ShowCreateUser(*a))}});
}

void ShowWarnings(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  bool errors_only = st.kind == K::kShowErrors || st.kind == K::kShowCountErrors;
  std::vector<Row> rows;
  size_t count = 0;
  for (const Warning& w : s.warnings) {
    if (errors_only && w.level != "Error") continue;
    ++count;
    rows.push_back({S(w.level), S(std::to_string(w.code)), S(w.message)});
  }
  if (st.kind == K::kShowCountWarnings || st.kind == K::kShowCountErrors) {
    std::string name = errors_only ? "@@session.error_count" : "@@session.warning_count";
    return x.Rows({{name, mysql::kTypeLongLong}}, {{S(std::to_string(count))}});
  }
  if (st.show.limit_count) {
    size_t off = st.show.limit_offset.value_or(0);
    std::vector<Row> page;
    for (size_t i = off; i < rows.size() && page.size() < *st.show.limit_count; ++i) {
      page.push_back(rows[i]);
    }
    rows = std::move(page);
  }
  x.Rows({{"Level"}, {"Code", mysql::kTypeLong}, {"Message"}}, rows);
}

void ShowCreateTable(Exec& x, const sql::Statement& st) {
  Status p = CheckSchemaVisible(x.s, st.show.table, "SHOW");
  if (!p.ok()) return x.Fail(p.error());
  Result<Catalog::DefPtr> def = ResolveTable(x.s, st.show.table);
  if (!def.ok()) return x.Fail(def.error());
  sql::TableDef shown = **def;
  // AUTO_INCREMENT=N: the next value, once the counter has moved (MySQL).
  bool has_auto = false;
  for (const auto& c : shown.columns) has_auto = has_auto || c.auto_increment;
  Result<std::string> db = DbOf(x.s, st.show.table);
  if (has_auto && db.ok()) {
    int64_t next = NextAutoIncrementValue(x.s, *db, shown.name);
    if (next > 1 && (!shown.auto_increment || static_cast<uint64_t>(next) > *shown.auto_increment))
      shown.auto_increment = static_cast<uint64_t>(next);
  }
  x.Rows({{"Table"}, {"Create Table", mysql::kTypeVarString, 1024}},
         {{S(shown.name), S(sql::ToShowCreate(shown))}});
}

void ShowCreateDatabase(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  if (!s.server->datadir.DatabaseExists(st.show.db)) {
    return x.Fail(MakeError(ER_BAD_DB_ERROR, {st.show.db}));
  }
  std::string cs = s.server->options.character_set_server.empty()
                       ? "latin1"
                       : s.server->options.character_set_server;
  if (AttachDb(s, st.show.db).ok()) {
    storage::SqliteStmt q;
    if (s.Conn()
            .Prepare("SELECT value FROM " + SqliteConn::Quote(st.show.db) + "." + kOptionsTable +
                         " WHERE key = 'charset'",
                     &q)
            .ok() &&
        q.Step() == SQLITE_ROW)
      cs = q.Text(0);
  }
  x.Rows({{"Database"}, {"Create Database", mysql::kTypeVarString, 1024}},
         {{S(st.show.db), S(std::string("CREATE DATABASE ") +
                            (st.show.if_not_exists ? "/*!32312 IF NOT EXISTS*/ " : "") + "`" +
                            st.show.db + "` /*!40100 DEFAULT CHARACTER SET " + cs + " */")}});
}

// SHOW TRIGGERS [FROM db] [LIKE 'table' | WHERE ...]: the triggers of the
// tables the user has the TRIGGER privilege on; LIKE matches the table.
void ShowTriggers(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  std::string db = st.show.db.empty() ? s.db : st.show.db;
  if (db.empty()) return x.Fail(MakeError(ER_NO_DB_ERROR));
  std::vector<Col> cols{{"Trigger"},
                        {"Event"},
                        {"Table"},
                        {"Statement", mysql::kTypeVarString, 1024},
                        {"Timing"},
                        {"Created"},
                        {"sql_mode"},
                        {"Definer"},
                        {"character_set_client"},
                        {"collation_connection"},
                        {"Database Collation"}};
  if (IsInformationSchema(db)) return Send(x, st.show, cols, {});
  Status a = AttachDb(s, db);
  if (!a.ok()) return x.Fail(a.error());
  if (!Accounts::CanSeeDb(s.account, db)) {
    return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, db}));
  }
  std::vector<Row> rows;
  for (const TriggerRow& t : ReadTriggers(s.Conn(), db)) {
    if (!Accounts::HasTable(s.account, db, t.table, sql::kPrivTrigger)) continue;
    if (st.show.like && !LikeMatch(*st.show.like, t.table)) continue;
    rows.push_back({S(t.name), S(t.event), S(t.table), S(t.body), S(t.timing), S(t.created),
                    S(t.sql_mode), S(TriggerDefiner(t)), S(t.charset_client),
                    S(t.collation_connection), S(t.db_collation)});
  }
  sql::ShowInfo show = st.show;
  show.like.reset();
  Send(x, show, cols, std::move(rows));
}

void ShowCreateTrigger(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  std::string db = st.trigger.name.db.empty() ? s.db : st.trigger.name.db;
  if (db.empty()) return x.Fail(MakeError(ER_NO_DB_ERROR));
  const TriggerRow* found = nullptr;
  std::vector<TriggerRow> all;
  if (!IsInformationSchema(db) && s.server->datadir.DatabaseExists(db) && AttachDb(s, db).ok()) {
    all = ReadTriggers(s.Conn(), db);
    for (const TriggerRow& t : all)
      if (sql::EqualsIgnoreCase(t.name, st.trigger.name.name)) found = &t;
  }
  if (!found) return x.Fail(MakeErrorMsg(1360, "Trigger does not exist"));
  if (!Accounts::HasTable(s.account, db, found->table, sql::kPrivTrigger)) {
    return x.Fail(
        MakeError(ER_TABLEACCESS_DENIED_ERROR, {"TRIGGER", s.user, s.client_host, found->table}));
  }
  x.Rows(
      {{"Trigger"},
       {"sql_mode"},
       {"SQL Original Statement", mysql::kTypeVarString, 1024},
       {"character_set_client"},
       {"collation_connection"},
       {"Database Collation"},
       {"Created"}},
      {{S(found->name), S(found->sql_mode), S(TriggerCreateText(*found)), S(found->charset_client),
        S(found->collation_connection), S(found->db_collation), S(found->created)}});
}

void ShowTableStatus(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  std::string db = st.show.db.empty() ? s.db : st.show.db;
  if (db.empty()) return x.Fail(MakeError(ER_NO_DB_ERROR));
  Status a = AttachDb(s, db);
  if (!a.ok()) return x.Fail(a.error());
  if (!Accounts::CanSeeDb(s.account, db)) {
    return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, db}));
  }
  Result<std::vector<std::string>> names = s.server->catalog.TableNames(s.Conn(), db);
  if (!names.ok()) return x.Fail(names.error());
  std::vector<Row> rows;
  for (const std::string& n : *names) {
    if (!HasAnyTablePriv(s.account, db, n)) continue;  // only the tables it may see
    Result<Catalog::DefPtr> def = s.server->catalog.Get(s.Conn(), db, n);
    if (!def.ok() || !*def) continue;
    std::string coll =
        (*def)->collation.empty() ? sql::DefaultCollationFor((*def)->charset) : (*def)->collation;
    int64_t count = 0;
    {
      storage::SqliteStmt cs;
      if (s.Conn()
              .Prepare("SELECT count(*) FROM " + SqliteConn::Quote(db) + "." + SqliteConn::Quote(n),
                       &cs)
              .ok() &&
          cs.Step() == SQLITE_ROW)
        count = cs.Int(0);
    }
    bool has_auto = false;
    for (const auto& c : (*def)->columns) has_auto = has_auto || c.auto_increment;
    std::optional<std::string> autoinc;
    if (has_auto) autoinc = std::to_string(NextAutoIncrementValue(s, db, n));
    rows.push_back({S(n), S((*def)->engine), S("10"), S("Dynamic"), S(std::to_string(count)),
                    S(count ? std::to_string(16384 / count) : "0"), S("16384"), S("0"), S("0"),
                    S("0"), autoinc, std::nullopt, std::nullopt, std::nullopt, S(coll),
                    std::nullopt, S(""), S((*def)->comment)});
  }
  Send(x, st.show,
       {{"Name"},
        {"Engine"},
        {"Version"},
        {"Row_format"},
        {"Rows"},
        {"Avg_row_length"},
        {"Data_length"},
        {"Max_data_length"},
        {"Index_length"},
        {"Data_free"},
        {"Auto_increment"},
        {"Create_time"},
        {"Update_time"},
        {"Check_time"},
        {"Collation"},
        {"Checksum"},
        {"Create_options"},
        {"Comment"}},
       std::move(rows));
}

void ShowEngines(Exec& x, const sql::Statement& st) {
  std::vector<Row> rows;
  for (const EngineRow& e : Engines())
    rows.push_back(
        {S(e.engine), S(e.support), S(e.comment), S(e.transactions), S(e.xa), S(e.savepoints)});
  Send(x, st.show, {{"Engine"}, {"Support"}, {"Comment"}, {"Transactions"}, {"XA"}, {"Savepoints"}},
       std::move(rows));
}

void ShowCharset(Exec& x, const sql::Statement& st) {
  std::vector<Row> rows;
  for (const CharsetRow& c : Charsets())
    rows.push_back(
        {S(c.charset), S(c.description), S(c.default_collation), S(std::to_string(c.maxlen))});
  Send(x, st.show,
       {{"Charset"}, {"Description"}, {"Default collation"}, {"Maxlen", mysql::kTypeLongLong}},
       std::move(rows));
}

void ShowCollation(Exec& x, const sql::Statement& st) {
  std::vector<Row> rows;
  for (const CollationRow& c : Collations())
    rows.push_back({S(c.collation), S(c.charset), S(std::to_string(c.id)), S(c.is_default),
                    S(c.compiled), S(std::to_string(c.sortlen))});
  Send(x, st.show,
       {{"Collation"},
        {"Charset"},
        {"Id", mysql::kTypeLongLong},
        {"Default"},
        {"Compiled"},
        {"Sortlen", mysql::kTypeLongLong}},
       std::move(rows));
}

void ShowPlugins(Exec& x) {
  x.Rows({{"Name"}, {"Status"}, {"Type"}, {"Library"}, {"License"}},
         {{S("binlog"), S("ACTIVE"), S("STORAGE ENGINE"), std::nullopt, S("GPL")},
          {S("mysql_native_password"), S("ACTIVE"), S("AUTHENTICATION"), std::nullopt, S("GPL")},
          {S("InnoDB"), S("ACTIVE"), S("STORAGE ENGINE"), std::nullopt, S("GPL")},
          {S("MEMORY"), S("ACTIVE"), S("STORAGE ENGINE"), std::nullopt, S("GPL")}});
}

void ShowPrivileges(Exec& x) {
  std::vector<Row> rows;
  for (int b = 0; b < 29; ++b) {
    std::string_view n = sql::PrivilegeName(1ull << b);
    if (!n.empty()) rows.push_back({S(std::string(n)), S("Server Admin"), S("")});
  }
  x.Rows({{"Privilege"}, {"Context"}, {"Comment"}}, rows);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> VariableValues(SessionState& s, bool global) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, gv] : s.server->globals.All()) {
    const VarDef* def = s.server->globals.Find(name);
    std::string v = gv;
    if (!global) {
      auto it = s.vars.find(name);
      if (it != s.vars.end()) v = it->second;
    } else if (def && def->scope == VarScope::kSession) {
      continue;
    }
    if (name == "timestamp" && (v.empty() || v == "0")) v = std::to_string(::time(nullptr));
    if (name == "last_insert_id" || name == "identity") v = std::to_string(s.last_insert_id);
    if (name == "autocommit") v = s.autocommit ? "1" : "0";
    out.emplace_back(name, def ? GlobalVariables::Display(*def, v) : v);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> StatusValues(ServerState& srv) {
  return StatusValues(srv, nullptr);
}

std::vector<std::pair<std::string, std::string>> StatusValues(ServerState& srv,
                                                              const SessionState* session) {
  int64_t up = srv.UptimeSeconds();
  size_t threads = srv.SessionCount();
  size_t running = 0;
  for (const ProcessInfo& p : srv.ProcessList()) running += p.command != "Sleep";
  uint64_t connections = srv.next_session_id.load() - 1;
  auto n = [](uint64_t v) { return std::to_string(v); };
  // The counters of the scope: the session's own, or the server's sums.
  auto pick = [&](uint64_t StatusCounters<uint64_t>::*mine,
                  std::atomic<uint64_t> StatusCounters<std::atomic<uint64_t>>::*all) {
    return n(session ? session->status.*mine : (srv.status.*all).load());
  };
  std::string questions = n(session ? session->status.questions : srv.questions.load());
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Aborted_clients", n(srv.aborted_clients.load())},
      {"Aborted_connects", n(srv.aborted_connects.load())},
      {"Binlog_cache_disk_use", "0"},
      {"Binlog_cache_use", "0"},
      {"Binlog_stmt_cache_disk_use", "0"},
      {"Binlog_stmt_cache_use", "0"},
      {"Bytes_received", pick(&StatusCounters<uint64_t>::bytes_received,
                              &StatusCounters<std::atomic<uint64_t>>::bytes_received)},
      {"Bytes_sent", pick(&StatusCounters<uint64_t>::bytes_sent,
                          &StatusCounters<std::atomic<uint64_t>>::bytes_sent)},
      {"Connections", n(connections)},
      {"Queries", questions},
      {"Questions", questions},
      {"Slow_queries", pick(&StatusCounters<uint64_t>::slow_queries,
                            &StatusCounters<std::atomic<uint64_t>>::slow_queries)},
      {"Threads_cached", "0"},
      {"Threads_connected", n(threads)},
      {"Threads_created", n(connections)},
      {"Threads_running", n(std::max<size_t>(running, 1))},
      {"Uptime", n(static_cast<uint64_t>(up))},
      {"Uptime_since_flush_status", n(static_cast<uint64_t>(up - srv.status_flushed_at.load()))},
  };
  for (size_t i = 0; i < kComCount; ++i) {
    rows.emplace_back(std::string(kComNames[i]),
                      n(session ? session->status.com[i] : srv.status.com[i].load()));
  }
  // Counters of features reptutd does not have (SQL PREPARE, XA, the query
  // cache, MyISAM's key cache, SSL, NDB): zero, as a server that never used
  // them shows. Monitoring tools (pt-mysql-summary) read them as numbers.
  static constexpr std::string_view kZeros[] = {
      "Com_prepare_sql",   "Com_xa_start",        "Delayed_writes", "Key_blocks_not_flushed",
      "Key_blocks_unused", "Ndb_cluster_node_id", "Open_tables",    "Qcache_free_memory",
      "Qcache_hits",       "Qcache_inserts",      "Ssl_accepts"};
  for (std::string_view name : kZeros) {
    bool listed =
        std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.first == name; });
    if (!listed) rows.emplace_back(std::string(name), "0");
  }
  if (srv.replica != nullptr) {
    for (auto& [name, value] : srv.replica->StatusVariables()) rows.emplace_back(name, value);
  } else {
    rows.emplace_back("Slave_running", "OFF");
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

void ExecShow(Exec& x, const sql::Statement& st) {
  switch (st.kind) {
    case K::kShowDatabases:
      return ShowDatabases(x, st);
    case K::kShowTables:
      return ShowTables(x, st);
    case K::kShowColumns:
      return ShowColumns(x, st);
    case K::kShowIndex:
      return ShowIndex(x, st);
    case K::kShowCreateTable:
      return ShowCreateTable(x, st);
    case K::kShowCreateDatabase:
      return ShowCreateDatabase(x, st);
    case K::kShowTableStatus:
      return ShowTableStatus(x, st);
    case K::kShowVariables:
      return ShowVariables(x, st);
    case K::kShowStatus:
      return ShowStatus(x, st);
    case K::kShowProcesslist:
      return ShowProcesslist(x, st);
    case K::kShowGrants:
      return ShowGrants(x, st);
    case K::kShowCreateUser:
      return ShowCreateUser(x, st);
    case K::kShowWarnings:
    case K::kShowErrors:
    case K::kShowCountWarnings:
    case K::kShowCountErrors:
      return ShowWarnings(x, st);
    case K::kShowEngines:
      return ShowEngines(x, st);
    case K::kShowCharset:
      return ShowCharset(x, st);
    case K::kShowCollation:
      return ShowCollation(x, st);
    case K::kShowTriggers:
      return ShowTriggers(x, st);
    case K::kShowCreateTrigger:
      return ShowCreateTrigger(x, st);
    case K::kShowEvents:
      return Send(x, st.show,
                  {{"Db"},
                   {"Name"},
                   {"Definer"},
                   {"Time zone"},
                   {"Type"},
                   {"Execute at"},
                   {"Interval value"},
                   {"Interval field"},
                   {"Starts"},
                   {"Ends"},
                   {"Status"},
                   {"Originator", mysql::kTypeLong},
                   {"character_set_client"},
                   {"collation_connection"},
                   {"Database Collation"}},
                  {});
    case K::kShowRoutineStatus:
      return Send(x, st.show,
                  {{"Db"},
                   {"Name"},
                   {"Type"},
                   {"Definer"},
                   {"Modified"},
                   {"Created"},
                   {"Security_type"},
                   {"Comment"},
                   {"character_set_client"},
                   {"collation_connection"},
                   {"Database Collation"}},
                  {});
    case K::kShowPlugins:
      return ShowPlugins(x);
    case K::kShowPrivileges:
      return ShowPrivileges(x);
    case K::kShowSlaveStatus:
      return ShowSlaveStatus(x);
    case K::kShowSlaveHosts:
      return ShowSlaveHosts(x);
    case K::kShowRelaylogEvents:
      return ShowRelaylogEvents(x, st);
    case K::kShowMasterStatus:
      return ShowMasterStatus(x);
    case K::kShowBinaryLogs:
      return ShowBinaryLogs(x);
    case K::kShowBinlogEvents:
      return ShowBinlogEvents(x, st);
    default:
      return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {sql::StatementKindName(st.kind)}));
  }
}

}  // namespace reptut::engine
