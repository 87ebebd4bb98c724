// information_schema as SQLite eponymous virtual tables (see the header).
//
// Life of a scan: SQLite calls BestIndex with the query's constraints; the
// equality constraints on the table's schema column and table-name column
// become arguments of Filter (bits 1 and 2 of idxNum) and the columns the
// query reads travel in idxStr. Filter builds every row of the scan into the
// cursor (a vector of text/NULL cells), Column hands them out, as integers
// for the columns declared INTEGER. Nothing is cached between scans: each
// statement sees the catalog as it is when it runs.
#include "engine/information_schema.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <optional>

#include "common/errors.h"
#include "common/mysql_types.h"
#include "engine/accounts.h"
#include "engine/catalog.h"
#include "engine/exec.h"
#include "engine/privileges.h"
#include "engine/variables.h"
#include "sql/table_def.h"

namespace reptut::engine {
namespace {

using Cell = std::optional<std::string>;
using Cells = std::vector<Cell>;

Cell S(std::string v) {
  return Cell(std::move(v));
}
Cell N(int64_t v) {
  return Cell(std::to_string(v));
}

std::string Upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

// What a scan asks for: the pushed-down constraints and the columns used.
struct Scan {
  SessionState* s = nullptr;
  std::optional<std::string> schema;  // equality on the schema column
  std::optional<std::string> table;   // equality on the table-name column
  uint64_t used = ~0ull;              // columns read (bit 63: 63 and above)
  std::vector<Cells>* rows = nullptr;

  bool Uses(int col) const { return (used >> std::min(col, 63)) & 1; }
  bool WantSchema(const std::string& db) const { return !schema || *schema == db; }
  bool WantTable(const std::string& t) const { return !table || *table == t; }
  void Add(Cells r) { rows->push_back(std::move(r)); }
};

struct TableSpec {
  const char* name;
  // "NAME" for text, "NAME INTEGER" for numbers.
  std::vector<const char*> columns;
  int schema_col;  // -1: no schema column to push down
  int table_col;   // -1: no table-name column to push down
  std::function<void(Scan&)> fill;
};

bool IsIntegerColumn(const char* decl) {
  return std::strstr(decl, " INTEGER") != nullptr;
}
std::string ColumnName(const char* decl) {
  const char* sp = std::strchr(decl, ' ');
  return sp ? std::string(decl, sp) : std::string(decl);
}

// ---- where the rows come from ---------------------------------------------

// The databases the session may see, after the pushed-down schema filter.
std::vector<std::string> VisibleDatabases(const Scan& sc) {
  std::vector<std::string> out;
  for (const std::string& db : sc.s->server->datadir.ListDatabases()) {
    if (!sc.WantSchema(db)) continue;
    if (!Accounts::CanSeeDb(sc.s->account, db)) continue;
    out.push_back(db);
  }
  return out;
}

bool CanSeeTable(const Account& a, const std::string& db, const std::string& table) {
  PrivSet all = AllTablePrivileges() & ~static_cast<PrivSet>(sql::kPrivGrantOption);
  for (int b = 0; b < 64; ++b) {
    PrivSet bit = 1ull << b;
    if ((all & bit) && Accounts::HasTable(a, db, table, bit)) return true;
  }
  return false;
}

// A connection of the scan's own on one database file: the session's
// connection is inside the statement being run, and may not have the
// database attached.
// Opened on first use: a scan that needs only the catalog (loaded once per
// database) opens no file.
class DbReader {
 public:
  DbReader(SessionState& s, const std::string& db) : s_(s), db_(db) {}
  bool ok() { return Open(); }
  storage::SqliteConn& conn() {
    Open();
    return conn_;
  }
  // The catalog's definitions of the database, read through this reader
  // only when the catalog has not loaded them yet.
  Result<std::vector<std::string>> TableNames() {
    if (s_.server->catalog.Loaded(db_)) return s_.server->catalog.TableNames(conn_, db_);
    if (!Open()) return MakeError(ER_BAD_DB_ERROR, {db_});
    return s_.server->catalog.TableNames(conn_, db_);
  }

  Result<Catalog::DefPtr> Definition(const std::string& table) {
    if (!s_.server->catalog.Loaded(db_) && !Open()) return Catalog::DefPtr();
    return s_.server->catalog.Get(conn_, db_, table);
  }

  // Bytes of each table's b-tree (SQLite's dbstat), read once per database.
  int64_t TableBytes(const std::string& table) {
    if (!sizes_read_) {
      sizes_read_ = true;
      storage::SqliteStmt st;
      if (Open() && conn_
                        .Prepare("SELECT name, sum(pgsize) FROM dbstat(" +
                                     storage::SqliteConn::Literal(db_) + ") GROUP BY name",
                                 &st)
                        .ok()) {
        while (st.Step() == SQLITE_ROW) sizes_[st.Text(0)] = st.Int(1);
      }
    }
    auto it = sizes_.find(table);
    return it == sizes_.end() ? 0 : it->second;
  }

  std::optional<int64_t> Int(const std::string& sql) {
    storage::SqliteStmt st;
    if (!Open() || !conn_.Prepare(sql, &st).ok() || st.Step() != SQLITE_ROW) return std::nullopt;
    if (st.ColumnType(0) == SQLITE_NULL) return std::nullopt;
    return st.Int(0);
  }
  std::string Charset(const std::string& fallback) {
    storage::SqliteStmt st;
    if (Open() &&
        conn_
            .Prepare("SELECT value FROM " + storage::SqliteConn::Quote(db_) + "." + kOptionsTable +
                         " WHERE key = 'charset'",
                     &st)
            .ok() &&
        st.Step() == SQLITE_ROW) {
      return st.Text(0);
    }
    return fallback;
  }

 private:
  bool Open() {
    if (tried_) return ok_;
    tried_ = true;
    if (!conn_.Open("NORMAL").ok()) return false;
    ok_ = conn_.Attach(db_, s_.server->datadir.DatabaseFile(db_)).ok();
    return ok_;
  }
  SessionState& s_;
  std::string db_;
  storage::SqliteConn conn_;
  std::map<std::string, int64_t> sizes_;
  bool sizes_read_ = false;
  bool tried_ = false;
  bool ok_ = false;
};

std::string ServerCharset(SessionState& s) {
  return s.server->options.character_set_server.empty() ? "latin1"
                                                        : s.server->options.character_set_server;
}

// Every visible table of every visible database, with its definition.
void ForEachTable(Scan& sc, const std::function<void(const std::string& db, DbReader& reader,
                                                     const sql::TableDef& def)>& fn) {
  SessionState& s = *sc.s;
  for (const std::string& db : VisibleDatabases(sc)) {
    DbReader reader(s, db);
    Result<std::vector<std::string>> names = reader.TableNames();
    if (!names.ok()) continue;
    for (const std::string& n : *names) {
      if (!sc.WantTable(n) || !CanSeeTable(s.account, db, n)) continue;
      Result<Catalog::DefPtr> def = reader.Definition(n);
      if (!def.ok() || !*def) continue;
      fn(db, reader, **def);
    }
  }
}

std::string TableCollation(const sql::TableDef& def) {
  return def.collation.empty() ? sql::DefaultCollationFor(def.charset) : def.collation;
}

std::string Grantee(const Account& a) {
  return "'" + a.user + "'@'" + a.host + "'";
}

// The accounts whose privileges the session may list: all of them with
// SELECT on `mysql`, else its own.
std::vector<Account> VisibleAccounts(SessionState& s) {
  std::vector<Account> out;
  bool all = Accounts::HasDb(s.account, "mysql", sql::kPrivSelect);
  for (const Account& a : s.server->accounts.All()) {
    if (all || (a.user == s.account.user && a.host == s.account.host)) out.push_back(a);
  }
  return out;
}

void PrivilegeRows(PrivSet set, const std::function<void(std::string_view, bool)>& fn) {
  bool grantable = set & sql::kPrivGrantOption;
  for (int b = 0; b < 28; ++b) {
    PrivSet bit = 1ull << b;
    if (set & bit) fn(sql::PrivilegeName(bit), grantable);
  }
}

// Type details of a column as information_schema.COLUMNS shows them.
struct TypeInfo {
  std::string data_type;
  Cell char_max, char_octets, num_precision, num_scale, dt_precision, charset, collation;
};

TypeInfo TypeOf(const sql::ColumnDef& c, const std::string& column_type, const std::string& cs,
                const std::optional<std::string>& collation) {
  TypeInfo t;
  t.data_type = c.type;
  const std::string& ty = c.type;
  auto is = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (ty == n) return true;
    return false;
  };
  int bytes_per_char = cs == "utf8mb4" ? 4 : (cs == "utf8" || cs == "utf8mb3") ? 3 : 1;
  if (is({"char", "varchar"})) {
    int64_t len = c.length.value_or(1);
    t.char_max = N(len);
    t.char_octets = N(len * bytes_per_char);
  } else if (is({"binary", "varbinary"})) {
    int64_t len = c.length.value_or(1);
    t.char_max = N(len);
    t.char_octets = N(len);
  } else if (is({"tinytext", "tinyblob"})) {
    t.char_max = N(ty == "tinyblob" ? 255 : 255 / bytes_per_char);
    t.char_octets = N(255);
  } else if (is({"text", "blob"})) {
    t.char_max = N(ty == "blob" ? 65535 : 65535 / bytes_per_char);
    t.char_octets = N(65535);
  } else if (is({"mediumtext", "mediumblob"})) {
    t.char_max = N(ty == "mediumblob" ? 16777215 : 16777215 / bytes_per_char);
    t.char_octets = N(16777215);
  } else if (is({"longtext", "longblob"})) {
    t.char_max = N(4294967295ll / (ty == "longblob" ? 1 : bytes_per_char));
    t.char_octets = N(4294967295ll);
  } else if (is({"enum", "set"})) {
    size_t longest = 0, total = 0;
    for (const auto& v : c.values) {
      longest = std::max(longest, v.size());
      total += v.size() + 1;
    }
    int64_t len =
        ty == "enum" ? static_cast<int64_t>(longest) : static_cast<int64_t>(total ? total - 1 : 0);
    t.char_max = N(len);
    t.char_octets = N(len * bytes_per_char);
  }
  bool text = is({"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set"});
  if (text) {
    t.charset = S(cs);
    t.collation = collation ? collation : S(sql::DefaultCollationFor(cs));
  }
  static const std::map<std::string, int> kIntPrecision = {
      {"tinyint", 3}, {"smallint", 5}, {"mediumint", 7}, {"int", 10}, {"bigint", 19}};
  if (auto it = kIntPrecision.find(ty); it != kIntPrecision.end()) {
    int p = it->second;
    if (ty == "bigint" && c.is_unsigned) p = 20;
    if (ty == "mediumint" && c.is_unsigned) p = 8;
    t.num_precision = N(p);
    t.num_scale = N(0);
  } else if (ty == "decimal") {
    t.num_precision = N(c.length.value_or(10));
    t.num_scale = N(c.scale.value_or(0));
  } else if (ty == "float" || ty == "double") {
    t.num_precision = N(c.length.value_or(ty == "float" ? 12 : 22));
    t.num_scale = c.scale ? N(*c.scale) : std::nullopt;
  } else if (ty == "bit") {
    t.num_precision = N(c.length.value_or(1));
  } else if (is({"datetime", "timestamp", "time"})) {
    t.dt_precision = N(c.length.value_or(0));
  } else if (ty == "date") {
    t.dt_precision = std::nullopt;
  }
  (void)column_type;
  return t;
}

// ---- the tables -------------------------------------------------------------

std::vector<TableSpec> MakeSpecs();

const std::vector<TableSpec>& Specs() {
  static const std::vector<TableSpec> specs = MakeSpecs();
  return specs;
}

const TableSpec* FindSpec(std::string_view name) {
  std::string u = Upper(name);
  for (const TableSpec& t : Specs())
    if (u == t.name) return &t;
  return nullptr;
}

void FillSchemata(Scan& sc) {
  SessionState& s = *sc.s;
  if (sc.WantSchema("information_schema")) {
    sc.Add({S("def"), S("information_schema"), S("utf8"), S("utf8_general_ci"), std::nullopt});
  }
  for (const std::string& db : VisibleDatabases(sc)) {
    std::string cs = DbReader(s, db).Charset(ServerCharset(s));
    sc.Add({S("def"), S(db), S(cs), S(sql::DefaultCollationFor(cs)), std::nullopt});
  }
}

void FillTables(Scan& sc) {
  if (sc.WantSchema("information_schema")) {
    for (const TableSpec& t : Specs()) {
      if (!sc.WantTable(t.name)) continue;
      sc.Add({S("def"),     S("information_schema"),
              S(t.name),    S("SYSTEM VIEW"),
              S("MEMORY"),  N(10),
              S("Fixed"),   std::nullopt,
              N(0),         N(0),
              N(0),         N(0),
              N(0),         std::nullopt,
              std::nullopt, std::nullopt,
              std::nullopt, S("utf8_general_ci"),
              std::nullopt, S(""),
              S("")});
    }
  }
  // Counting rows costs a scan of each table: only when asked for.
  bool want_rows = sc.Uses(7) || sc.Uses(8) || sc.Uses(9);
  bool want_auto = sc.Uses(13);
  ForEachTable(sc, [&](const std::string& db, DbReader& r, const sql::TableDef& def) {
    std::string qt = storage::SqliteConn::Quote(db) + "." + storage::SqliteConn::Quote(def.name);
    Cell rows, avg, data;
    if (want_rows) {
      int64_t n = r.Int("SELECT count(*) FROM " + qt).value_or(0);
      int64_t bytes = std::max<int64_t>(r.TableBytes(def.name), 16384);
      rows = N(n);
      data = N(bytes);
      avg = N(n ? bytes / n : 0);
    }
    Cell autoinc;
    bool has_auto = false;
    for (const auto& c : def.columns) has_auto = has_auto || c.auto_increment;
    if (want_auto && has_auto) {
      int64_t seq = r.Int("SELECT seq FROM " + storage::SqliteConn::Quote(db) +
                          ".sqlite_sequence WHERE name = " + storage::SqliteConn::Literal(def.name))
                        .value_or(0);
      int64_t top = r.Int("SELECT max(rowid) FROM " + qt).value_or(0);
      int64_t next = std::max(seq, top) + 1;
      if (def.auto_increment) next = std::max<int64_t>(next, *def.auto_increment);
      autoinc = N(next);
    }
    sc.Add({S("def"),
            S(db),
            S(def.name),
            S("BASE TABLE"),
            S(def.engine),
            N(10),
            S(def.row_format.empty()
                  ? "Dynamic"
                  : std::string(1, def.row_format[0]) + sql::ToLower(def.row_format.substr(1))),
            rows,
            avg,
            data,
            N(0),
            N(0),
            N(0),
            autoinc,
            std::nullopt,
            std::nullopt,
            std::nullopt,
            S(TableCollation(def)),
            std::nullopt,
            S(""),
            S(def.comment)});
  });
}

void FillColumns(Scan& sc) {
  if (sc.WantSchema("information_schema")) {
    for (const TableSpec& t : Specs()) {
      if (!sc.WantTable(t.name)) continue;
      int pos = 0;
      for (const char* decl : t.columns) {
        bool num = IsIntegerColumn(decl);
        sc.Add({S("def"),
                S("information_schema"),
                S(t.name),
                S(ColumnName(decl)),
                N(++pos),
                num ? S("0") : S(""),
                S("NO"),
                S(num ? "bigint" : "varchar"),
                num ? std::nullopt : N(64),
                num ? std::nullopt : N(192),
                num ? N(19) : std::nullopt,
                num ? N(0) : std::nullopt,
                std::nullopt,
                num ? std::nullopt : S("utf8"),
                num ? std::nullopt : S("utf8_general_ci"),
                S(num ? "bigint(21) unsigned" : "varchar(64)"),
                S(""),
                S(""),
                S("select"),
                S(""),
                S("")});
      }
    }
  }
  ForEachTable(sc, [&](const std::string& db, DbReader&, const sql::TableDef& def) {
    std::vector<sql::DescribeRow> desc = sql::DescribeRows(def, def.charset);
    for (size_t i = 0; i < desc.size() && i < def.columns.size(); ++i) {
      const sql::DescribeRow& d = desc[i];
      const sql::ColumnDef& c = def.columns[i];
      std::string cs = c.charset.empty() ? def.charset : c.charset;
      TypeInfo t = TypeOf(c, d.type, cs, d.collation);
      sc.Add({S("def"),
              S(db),
              S(def.name),
              S(d.field),
              N(static_cast<int64_t>(i + 1)),
              d.default_value,
              S(d.null),
              S(t.data_type),
              t.char_max,
              t.char_octets,
              t.num_precision,
              t.num_scale,
              t.dt_precision,
              t.charset,
              t.collation,
              S(d.type),
              S(d.key),
              S(d.extra),
              S(d.privileges),
              S(d.comment),
              S("")});
    }
  });
}

void FillStatistics(Scan& sc) {
  ForEachTable(sc, [&](const std::string& db, DbReader&, const sql::TableDef& def) {
    for (const sql::ShowIndexRow& r : sql::ShowIndexRows(def)) {
      sc.Add({S("def"), S(db), S(def.name), N(r.non_unique), S(db), S(r.key_name),
              N(r.seq_in_index), S(r.column_name),
              r.collation.empty() ? std::nullopt : S(r.collation),
              r.cardinality ? N(static_cast<int64_t>(*r.cardinality)) : std::nullopt,
              r.sub_part ? N(*r.sub_part) : std::nullopt, std::nullopt, S(r.null), S(r.index_type),
              S(r.comment), S(r.index_comment)});
    }
  });
}

void FillKeyColumnUsage(Scan& sc) {
  ForEachTable(sc, [&](const std::string& db, DbReader&, const sql::TableDef& def) {
    for (const sql::IndexDef& idx : def.indexes) {
      if (idx.kind != sql::IndexDef::Kind::kPrimary && idx.kind != sql::IndexDef::Kind::kUnique)
        continue;
      int pos = 0;
      for (const auto& part : idx.parts) {
        sc.Add({S("def"), S(db), S(idx.name), S("def"), S(db), S(def.name), S(part.column),
                N(++pos), std::nullopt, std::nullopt, std::nullopt, std::nullopt});
      }
    }
  });
}

void FillTableConstraints(Scan& sc) {
  ForEachTable(sc, [&](const std::string& db, DbReader&, const sql::TableDef& def) {
    for (const sql::IndexDef& idx : def.indexes) {
      if (idx.kind == sql::IndexDef::Kind::kPrimary) {
        sc.Add({S("def"), S(db), S("PRIMARY"), S(db), S(def.name), S("PRIMARY KEY")});
      } else if (idx.kind == sql::IndexDef::Kind::kUnique) {
        sc.Add({S("def"), S(db), S(idx.name), S(db), S(def.name), S("UNIQUE")});
      }
    }
  });
}

void FillPartitions(Scan& sc) {
  ForEachTable(sc, [&](const std::string& db, DbReader&, const sql::TableDef& def) {
    Cells r(25);
    r[0] = S("def");
    r[1] = S(db);
    r[2] = S(def.name);
    r[21] = S("");  // PARTITION_COMMENT
    r[23] = std::nullopt;
    sc.Add(std::move(r));
  });
}

void FillEngines(Scan& sc) {
  for (const EngineRow& e : Engines())
    sc.Add({S(e.engine), S(e.support), S(e.comment), S(e.transactions), S(e.xa), S(e.savepoints)});
}

void FillCharsets(Scan& sc) {
  for (const CharsetRow& c : Charsets())
    sc.Add({S(c.charset), S(c.default_collation), S(c.description), N(c.maxlen)});
}

void FillCollations(Scan& sc) {
  for (const CollationRow& c : Collations())
    sc.Add({S(c.collation), S(c.charset), N(c.id), S(c.is_default), S(c.compiled), N(c.sortlen)});
}

void FillCollationApplicability(Scan& sc) {
  for (const CollationRow& c : Collations()) sc.Add({S(c.collation), S(c.charset)});
}

void FillProcesslist(Scan& sc) {
  SessionState& s = *sc.s;
  bool all = Accounts::HasGlobal(s.account, sql::kPrivProcess);
  for (const ProcessInfo& p : s.server->ProcessList()) {
    if (!all && p.user != s.user) continue;
    sc.Add({N(p.id), S(p.user), S(p.host), p.db.empty() ? std::nullopt : S(p.db), S(p.command),
            N(p.time), S(p.state), p.info.empty() ? std::nullopt : S(p.info)});
  }
}

void FillVariables(Scan& sc, bool global) {
  for (const auto& [name, value] : VariableValues(*sc.s, global))
    sc.Add({S(Upper(name)), S(value)});
}

void FillStatus(Scan& sc, bool global) {
  for (const auto& [name, value] : StatusValues(*sc.s->server, global ? nullptr : sc.s))
    sc.Add({S(Upper(name)), S(value)});
}

void FillUserPrivileges(Scan& sc) {
  for (const Account& a : VisibleAccounts(*sc.s)) {
    bool any = false;
    PrivilegeRows(a.global, [&](std::string_view p, bool g) {
      any = true;
      sc.Add({S(Grantee(a)), S("def"), S(std::string(p)), S(g ? "YES" : "NO")});
    });
    if (!any) sc.Add({S(Grantee(a)), S("def"), S("USAGE"), S("NO")});
  }
}

void FillSchemaPrivileges(Scan& sc) {
  for (const Account& a : VisibleAccounts(*sc.s)) {
    for (const auto& [db, set] : a.db) {
      if (!sc.WantSchema(db)) continue;
      PrivilegeRows(set, [&](std::string_view p, bool g) {
        sc.Add({S(Grantee(a)), S("def"), S(db), S(std::string(p)), S(g ? "YES" : "NO")});
      });
    }
  }
}

void FillTablePrivileges(Scan& sc) {
  for (const Account& a : VisibleAccounts(*sc.s)) {
    for (const auto& [key, set] : a.table) {
      if (!sc.WantSchema(key.first) || !sc.WantTable(key.second)) continue;
      PrivilegeRows(set, [&](std::string_view p, bool g) {
        sc.Add({S(Grantee(a)), S("def"), S(key.first), S(key.second), S(std::string(p)),
                S(g ? "YES" : "NO")});
      });
    }
  }
}

void FillPlugins(Scan& sc) {
  struct P {
    const char *name, *version, *type, *type_version, *author, *description, *license;
  };
  static const P kPlugins[] = {
      {"binlog", "1.0", "STORAGE ENGINE", "50799.0", "Reptut", "The binary log", "GPL"},
      {"mysql_native_password", "1.0", "AUTHENTICATION", "1.1", "R.J.Silk, Sergei Golubchik",
       "Native MySQL authentication", "GPL"},
      {"InnoDB", "5.7", "STORAGE ENGINE", "50799.0", "Reptut",
       "Tables stored in SQLite, one file per database", "GPL"},
      {"MEMORY", "1.0", "STORAGE ENGINE", "50799.0", "MySQL AB",
       "Hash based, stored in memory, useful for temporary tables", "GPL"},
  };
  for (const P& p : kPlugins) {
    sc.Add({S(p.name), S(p.version), S("ACTIVE"), S(p.type), S(p.type_version), std::nullopt,
            std::nullopt, S(p.author), S(p.description), S(p.license), S("ON")});
  }
}

void FillTriggers(Scan& sc) {
  SessionState& s = *sc.s;
  for (const std::string& db : VisibleDatabases(sc)) {
    DbReader reader(s, db);
    if (!reader.ok()) continue;
    for (const TriggerRow& t : ReadTriggers(reader.conn(), db)) {
      if (!sc.WantTable(t.table)) continue;
      if (!Accounts::HasTable(s.account, db, t.table, sql::kPrivTrigger)) continue;
      sc.Add({S("def"),
              S(db),
              S(t.name),
              S(t.event),
              S("def"),
              S(db),
              S(t.table),
              N(t.action_order),
              std::nullopt,
              S(t.body),
              S("ROW"),
              S(t.timing),
              std::nullopt,
              std::nullopt,
              S("OLD"),
              S("NEW"),
              S(t.created),
              S(t.sql_mode),
              S(TriggerDefiner(t)),
              S(t.charset_client),
              S(t.collation_connection),
              S(t.db_collation)});
    }
  }
}

void FillNothing(Scan&) {}

std::vector<TableSpec> MakeSpecs() {
  std::vector<TableSpec> t;
  t.push_back({"CHARACTER_SETS",
               {"CHARACTER_SET_NAME", "DEFAULT_COLLATE_NAME", "DESCRIPTION", "MAXLEN INTEGER"},
               -1,
               -1,
               FillCharsets});
  t.push_back({"COLLATIONS",
               {"COLLATION_NAME", "CHARACTER_SET_NAME", "ID INTEGER", "IS_DEFAULT", "IS_COMPILED",
                "SORTLEN INTEGER"},
               -1,
               -1,
               FillCollations});
  t.push_back({"COLLATION_CHARACTER_SET_APPLICABILITY",
               {"COLLATION_NAME", "CHARACTER_SET_NAME"},
               -1,
               -1,
               FillCollationApplicability});
  t.push_back({"COLUMNS",
               {"TABLE_CATALOG",
                "TABLE_SCHEMA",
                "TABLE_NAME",
                "COLUMN_NAME",
                "ORDINAL_POSITION INTEGER",
                "COLUMN_DEFAULT",
                "IS_NULLABLE",
                "DATA_TYPE",
                "CHARACTER_MAXIMUM_LENGTH INTEGER",
                "CHARACTER_OCTET_LENGTH INTEGER",
                "NUMERIC_PRECISION INTEGER",
                "NUMERIC_SCALE INTEGER",
                "DATETIME_PRECISION INTEGER",
                "CHARACTER_SET_NAME",
                "COLLATION_NAME",
                "COLUMN_TYPE",
                "COLUMN_KEY",
                "EXTRA",
                "PRIVILEGES",
                "COLUMN_COMMENT",
                "GENERATION_EXPRESSION"},
               1,
               2,
               FillColumns});
  t.push_back({"COLUMN_PRIVILEGES",
               {"GRANTEE", "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME",
                "PRIVILEGE_TYPE", "IS_GRANTABLE"},
               2,
               3,
               FillNothing});
  t.push_back({"ENGINES",
               {"ENGINE", "SUPPORT", "COMMENT", "TRANSACTIONS", "XA", "SAVEPOINTS"},
               -1,
               -1,
               FillEngines});
  t.push_back({"EVENTS",
               {"EVENT_CATALOG",
                "EVENT_SCHEMA",
                "EVENT_NAME",
                "DEFINER",
                "TIME_ZONE",
                "EVENT_BODY",
                "EVENT_DEFINITION",
                "EVENT_TYPE",
                "EXECUTE_AT",
                "INTERVAL_VALUE",
                "INTERVAL_FIELD",
                "SQL_MODE",
                "STARTS",
                "ENDS",
                "STATUS",
                "ON_COMPLETION",
                "CREATED",
                "LAST_ALTERED",
                "LAST_EXECUTED",
                "EVENT_COMMENT",
                "ORIGINATOR INTEGER",
                "CHARACTER_SET_CLIENT",
                "COLLATION_CONNECTION",
                "DATABASE_COLLATION"},
               1,
               2,
               FillNothing});
  t.push_back({"FILES",
               {"FILE_ID INTEGER",
                "FILE_NAME",
                "FILE_TYPE",
                "TABLESPACE_NAME",
                "TABLE_CATALOG",
                "TABLE_SCHEMA",
                "TABLE_NAME",
                "LOGFILE_GROUP_NAME",
                "LOGFILE_GROUP_NUMBER INTEGER",
                "ENGINE",
                "FULLTEXT_KEYS",
                "DELETED_ROWS INTEGER",
                "UPDATE_COUNT INTEGER",
                "FREE_EXTENTS INTEGER",
                "TOTAL_EXTENTS INTEGER",
                "EXTENT_SIZE INTEGER",
                "INITIAL_SIZE INTEGER",
                "MAXIMUM_SIZE INTEGER",
                "AUTOEXTEND_SIZE INTEGER",
                "CREATION_TIME",
                "LAST_UPDATE_TIME",
                "LAST_ACCESS_TIME",
                "RECOVER_TIME INTEGER",
                "TRANSACTION_COUNTER INTEGER",
                "VERSION INTEGER",
                "ROW_FORMAT",
                "TABLE_ROWS INTEGER",
                "AVG_ROW_LENGTH INTEGER",
                "DATA_LENGTH INTEGER",
                "MAX_DATA_LENGTH INTEGER",
                "INDEX_LENGTH INTEGER",
                "DATA_FREE INTEGER",
                "CREATE_TIME",
                "UPDATE_TIME",
                "CHECK_TIME",
                "CHECKSUM INTEGER",
                "STATUS",
                "EXTRA"},
               5,
               6,
               FillNothing});
  t.push_back({"GLOBAL_STATUS", {"VARIABLE_NAME", "VARIABLE_VALUE"}, -1, -1, [](Scan& sc) {
                 FillStatus(sc, true);
               }});
  t.push_back({"GLOBAL_VARIABLES", {"VARIABLE_NAME", "VARIABLE_VALUE"}, -1, -1, [](Scan& sc) {
                 FillVariables(sc, true);
               }});
  t.push_back({"KEY_COLUMN_USAGE",
               {"CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "TABLE_CATALOG",
                "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION INTEGER",
                "POSITION_IN_UNIQUE_CONSTRAINT INTEGER", "REFERENCED_TABLE_SCHEMA",
                "REFERENCED_TABLE_NAME", "REFERENCED_COLUMN_NAME"},
               4,
               5,
               FillKeyColumnUsage});
  t.push_back({"PARAMETERS",
               {"SPECIFIC_CATALOG", "SPECIFIC_SCHEMA", "SPECIFIC_NAME", "ORDINAL_POSITION INTEGER",
                "PARAMETER_MODE", "PARAMETER_NAME", "DATA_TYPE", "CHARACTER_MAXIMUM_LENGTH INTEGER",
                "CHARACTER_OCTET_LENGTH INTEGER", "NUMERIC_PRECISION INTEGER",
                "NUMERIC_SCALE INTEGER", "DATETIME_PRECISION INTEGER", "CHARACTER_SET_NAME",
                "COLLATION_NAME", "DTD_IDENTIFIER", "ROUTINE_TYPE"},
               1,
               2,
               FillNothing});
  t.push_back({"PARTITIONS",
               {"TABLE_CATALOG",
                "TABLE_SCHEMA",
                "TABLE_NAME",
                "PARTITION_NAME",
                "SUBPARTITION_NAME",
                "PARTITION_ORDINAL_POSITION INTEGER",
                "SUBPARTITION_ORDINAL_POSITION INTEGER",
                "PARTITION_METHOD",
                "SUBPARTITION_METHOD",
                "PARTITION_EXPRESSION",
                "SUBPARTITION_EXPRESSION",
                "PARTITION_DESCRIPTION",
                "TABLE_ROWS INTEGER",
                "AVG_ROW_LENGTH INTEGER",
                "DATA_LENGTH INTEGER",
                "MAX_DATA_LENGTH INTEGER",
                "INDEX_LENGTH INTEGER",
                "DATA_FREE INTEGER",
                "CREATE_TIME",
                "UPDATE_TIME",
                "CHECK_TIME",
                "CHECKSUM INTEGER",
                "PARTITION_COMMENT",
                "NODEGROUP",
                "TABLESPACE_NAME"},
               1,
               2,
               FillPartitions});
  t.push_back({"PLUGINS",
               {"PLUGIN_NAME", "PLUGIN_VERSION", "PLUGIN_STATUS", "PLUGIN_TYPE",
                "PLUGIN_TYPE_VERSION", "PLUGIN_LIBRARY", "PLUGIN_LIBRARY_VERSION", "PLUGIN_AUTHOR",
                "PLUGIN_DESCRIPTION", "PLUGIN_LICENSE", "LOAD_OPTION"},
               -1,
               -1,
               FillPlugins});
  t.push_back({"PROCESSLIST",
               {"ID INTEGER", "USER", "HOST", "DB", "COMMAND", "TIME INTEGER", "STATE", "INFO"},
               -1,
               -1,
               FillProcesslist});
  t.push_back(
      {"REFERENTIAL_CONSTRAINTS",
       {"CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "UNIQUE_CONSTRAINT_CATALOG",
        "UNIQUE_CONSTRAINT_SCHEMA", "UNIQUE_CONSTRAINT_NAME", "MATCH_OPTION", "UPDATE_RULE",
        "DELETE_RULE", "TABLE_NAME", "REFERENCED_TABLE_NAME"},
       1,
       9,
       FillNothing});
  t.push_back({"ROUTINES",
               {"SPECIFIC_NAME",
                "ROUTINE_CATALOG",
                "ROUTINE_SCHEMA",
                "ROUTINE_NAME",
                "ROUTINE_TYPE",
                "DATA_TYPE",
                "CHARACTER_MAXIMUM_LENGTH INTEGER",
                "CHARACTER_OCTET_LENGTH INTEGER",
                "NUMERIC_PRECISION INTEGER",
                "NUMERIC_SCALE INTEGER",
                "DATETIME_PRECISION INTEGER",
                "CHARACTER_SET_NAME",
                "COLLATION_NAME",
                "DTD_IDENTIFIER",
                "ROUTINE_BODY",
                "ROUTINE_DEFINITION",
                "EXTERNAL_NAME",
                "EXTERNAL_LANGUAGE",
                "PARAMETER_STYLE",
                "IS_DETERMINISTIC",
                "SQL_DATA_ACCESS",
                "SQL_PATH",
                "SECURITY_TYPE",
                "CREATED",
                "LAST_ALTERED",
                "SQL_MODE",
                "ROUTINE_COMMENT",
                "DEFINER",
                "CHARACTER_SET_CLIENT",
                "COLLATION_CONNECTION",
                "DATABASE_COLLATION"},
               2,
               3,
               FillNothing});
  t.push_back({"SCHEMATA",
               {"CATALOG_NAME", "SCHEMA_NAME", "DEFAULT_CHARACTER_SET_NAME",
                "DEFAULT_COLLATION_NAME", "SQL_PATH"},
               1,
               -1,
               FillSchemata});
  t.push_back({"SCHEMA_PRIVILEGES",
               {"GRANTEE", "TABLE_CATALOG", "TABLE_SCHEMA", "PRIVILEGE_TYPE", "IS_GRANTABLE"},
               2,
               -1,
               FillSchemaPrivileges});
  t.push_back({"SESSION_STATUS", {"VARIABLE_NAME", "VARIABLE_VALUE"}, -1, -1, [](Scan& sc) {
                 FillStatus(sc, false);
               }});
  t.push_back({"SESSION_VARIABLES", {"VARIABLE_NAME", "VARIABLE_VALUE"}, -1, -1, [](Scan& sc) {
                 FillVariables(sc, false);
               }});
  t.push_back(
      {"STATISTICS",
       {"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "NON_UNIQUE INTEGER", "INDEX_SCHEMA",
        "INDEX_NAME", "SEQ_IN_INDEX INTEGER", "COLUMN_NAME", "COLLATION", "CARDINALITY INTEGER",
        "SUB_PART INTEGER", "PACKED", "NULLABLE", "INDEX_TYPE", "COMMENT", "INDEX_COMMENT"},
       1,
       2,
       FillStatistics});
  t.push_back({"TABLES",
               {"TABLE_CATALOG",
                "TABLE_SCHEMA",
                "TABLE_NAME",
                "TABLE_TYPE",
                "ENGINE",
                "VERSION INTEGER",
                "ROW_FORMAT",
                "TABLE_ROWS INTEGER",
                "AVG_ROW_LENGTH INTEGER",
                "DATA_LENGTH INTEGER",
                "MAX_DATA_LENGTH INTEGER",
                "INDEX_LENGTH INTEGER",
                "DATA_FREE INTEGER",
                "AUTO_INCREMENT INTEGER",
                "CREATE_TIME",
                "UPDATE_TIME",
                "CHECK_TIME",
                "TABLE_COLLATION",
                "CHECKSUM INTEGER",
                "CREATE_OPTIONS",
                "TABLE_COMMENT"},
               1,
               2,
               FillTables});
  t.push_back({"TABLE_CONSTRAINTS",
               {"CONSTRAINT_CATALOG", "CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "TABLE_SCHEMA",
                "TABLE_NAME", "CONSTRAINT_TYPE"},
               3,
               4,
               FillTableConstraints});
  t.push_back(
      {"TABLE_PRIVILEGES",
       {"GRANTEE", "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "PRIVILEGE_TYPE", "IS_GRANTABLE"},
       2,
       3,
       FillTablePrivileges});
  t.push_back({"TRIGGERS",
               {"TRIGGER_CATALOG",
                "TRIGGER_SCHEMA",
                "TRIGGER_NAME",
                "EVENT_MANIPULATION",
                "EVENT_OBJECT_CATALOG",
                "EVENT_OBJECT_SCHEMA",
                "EVENT_OBJECT_TABLE",
                "ACTION_ORDER INTEGER",
                "ACTION_CONDITION",
                "ACTION_STATEMENT",
                "ACTION_ORIENTATION",
                "ACTION_TIMING",
                "ACTION_REFERENCE_OLD_TABLE",
                "ACTION_REFERENCE_NEW_TABLE",
                "ACTION_REFERENCE_OLD_ROW",
                "ACTION_REFERENCE_NEW_ROW",
                "CREATED",
                "SQL_MODE",
                "DEFINER",
                "CHARACTER_SET_CLIENT",
                "COLLATION_CONNECTION",
                "DATABASE_COLLATION"},
               5,
               6,
               FillTriggers});
  t.push_back({"USER_PRIVILEGES",
               {"GRANTEE", "TABLE_CATALOG", "PRIVILEGE_TYPE", "IS_GRANTABLE"},
               -1,
               -1,
               FillUserPrivileges});
  t.push_back(
      {"VIEWS",
       {"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "VIEW_DEFINITION", "CHECK_OPTION",
        "IS_UPDATABLE", "DEFINER", "SECURITY_TYPE", "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION"},
       1,
       2,
       FillNothing});
  return t;
}

// ---- the virtual table module -------------------------------------------------

struct ModuleAux {
  EngineConn* ec;
  const TableSpec* spec;
};

struct VTab {
  sqlite3_vtab base;
  ModuleAux* aux;
};

struct Cursor {
  sqlite3_vtab_cursor base;
  std::vector<Cells> rows;
  size_t at = 0;
};

int Connect(sqlite3* db, void* paux, int, const char* const*, sqlite3_vtab** out, char**) {
  auto* aux = static_cast<ModuleAux*>(paux);
  std::string ddl = "CREATE TABLE x(";
  for (size_t i = 0; i < aux->spec->columns.size(); ++i) {
    ddl += (i ? ", " : "") + std::string(aux->spec->columns[i]);
  }
  ddl += ")";
  int rc = sqlite3_declare_vtab(db, ddl.c_str());
  if (rc != SQLITE_OK) return rc;
  auto* v = new VTab{};
  v->aux = aux;
  *out = &v->base;
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* v) {
  delete reinterpret_cast<VTab*>(v);
  return SQLITE_OK;
}

int BestIndex(sqlite3_vtab* vt, sqlite3_index_info* info) {
  const TableSpec* spec = reinterpret_cast<VTab*>(vt)->aux->spec;
  int schema_arg = -1, table_arg = -1;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (!c.usable || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (c.iColumn == spec->schema_col && spec->schema_col >= 0 && schema_arg < 0) schema_arg = i;
    if (c.iColumn == spec->table_col && spec->table_col >= 0 && table_arg < 0) table_arg = i;
  }
  int idx = 0, next = 1;
  double cost = 100000;
  if (schema_arg >= 0) {
    idx |= 1;
    info->aConstraintUsage[schema_arg].argvIndex = next++;
    cost /= 100;
  }
  if (table_arg >= 0) {
    idx |= 2;
    info->aConstraintUsage[table_arg].argvIndex = next++;
    cost /= 100;
  }
  info->idxNum = idx;
  info->estimatedCost = cost;
  info->estimatedRows = static_cast<sqlite3_int64>(cost);
  info->idxStr = sqlite3_mprintf("%llu", static_cast<unsigned long long>(info->colUsed));
  info->needToFreeIdxStr = 1;
  return SQLITE_OK;
}

int Open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  auto* c = new Cursor{};
  *out = &c->base;
  return SQLITE_OK;
}

int Close(sqlite3_vtab_cursor* c) {
  delete reinterpret_cast<Cursor*>(c);
  return SQLITE_OK;
}

std::optional<std::string> ArgText(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return std::nullopt;
  const unsigned char* t = sqlite3_value_text(v);
  return std::string(t ? reinterpret_cast<const char*>(t) : "",
                     static_cast<size_t>(sqlite3_value_bytes(v)));
}

int Filter(sqlite3_vtab_cursor* cur, int idx, const char* idx_str, int argc, sqlite3_value** argv) {
  auto* c = reinterpret_cast<Cursor*>(cur);
  auto* vt = reinterpret_cast<VTab*>(cur->pVtab);
  c->rows.clear();
  c->at = 0;
  SessionState* s = vt->aux->ec->acting;
  if (s == nullptr) return SQLITE_OK;  // no session: an empty table
  Scan sc;
  sc.s = s;
  sc.rows = &c->rows;
  if (idx_str) sc.used = std::strtoull(idx_str, nullptr, 10);
  int a = 0;
  if ((idx & 1) && a < argc) {
    sc.schema = ArgText(argv[a++]);
    if (!sc.schema) return SQLITE_OK;  // = NULL matches nothing
  }
  if ((idx & 2) && a < argc) {
    sc.table = ArgText(argv[a++]);
    if (!sc.table) return SQLITE_OK;
  }
  vt->aux->spec->fill(sc);
  return SQLITE_OK;
}

int Next(sqlite3_vtab_cursor* cur) {
  ++reinterpret_cast<Cursor*>(cur)->at;
  return SQLITE_OK;
}

int Eof(sqlite3_vtab_cursor* cur) {
  auto* c = reinterpret_cast<Cursor*>(cur);
  return c->at >= c->rows.size();
}

int Column(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int i) {
  auto* c = reinterpret_cast<Cursor*>(cur);
  const TableSpec* spec = reinterpret_cast<VTab*>(cur->pVtab)->aux->spec;
  const Cells& row = c->rows[c->at];
  if (i < 0 || static_cast<size_t>(i) >= row.size() || !row[i]) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  const std::string& v = *row[i];
  if (IsIntegerColumn(spec->columns[i])) {
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (end && *end == '\0' && !v.empty()) {
      sqlite3_result_int64(ctx, n);
      return SQLITE_OK;
    }
  }
  sqlite3_result_text(ctx, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* out) {
  *out = static_cast<sqlite3_int64>(reinterpret_cast<Cursor*>(cur)->at);
  return SQLITE_OK;
}

sqlite3_module MakeModule() {
  sqlite3_module m{};
  m.xCreate = nullptr;  // eponymous only: no CREATE VIRTUAL TABLE
  m.xConnect = Connect;
  m.xBestIndex = BestIndex;
  m.xDisconnect = Disconnect;
  m.xOpen = Open;
  m.xClose = Close;
  m.xFilter = Filter;
  m.xNext = Next;
  m.xEof = Eof;
  m.xColumn = Column;
  m.xRowid = Rowid;
  return m;
}

const sqlite3_module kModule = MakeModule();

}  // namespace

bool IsInformationSchema(std::string_view db) {
  if (db.size() != kInformationSchema.size()) return false;
  for (size_t i = 0; i < db.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(db[i])) != kInformationSchema[i]) return false;
  }
  return true;
}

// The modules carry a prefix: SQLite falls back to an eponymous virtual
// table of a name it does not find in the schema it has cached, so a module
// named EVENTS would answer for a user's table `db`.`events` that another
// connection has just created.
constexpr std::string_view kModulePrefix = "reptut_is_";

std::string InformationSchemaSqliteName(std::string_view table) {
  return "main." + storage::SqliteConn::Quote(std::string(kModulePrefix) + Upper(table));
}

std::string_view InformationSchemaTableOf(std::string_view sqlite_name) {
  if (sqlite_name.size() > kModulePrefix.size() &&
      sql::EqualsIgnoreCase(sqlite_name.substr(0, kModulePrefix.size()), kModulePrefix)) {
    return sqlite_name.substr(kModulePrefix.size());
  }
  return sqlite_name;
}

void RegisterInformationSchema(EngineConn& ec) {
  for (const TableSpec& t : Specs()) {
    auto* aux = new ModuleAux{&ec, &t};
    sqlite3_create_module_v2(ec.conn.db(), (std::string(kModulePrefix) + t.name).c_str(), &kModule,
                             aux, [](void* p) { delete static_cast<ModuleAux*>(p); });
  }
}

std::vector<std::string> InformationSchemaTables() {
  std::vector<std::string> names;
  for (const TableSpec& t : Specs()) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  return names;
}

Status CheckInformationSchemaTable(std::string_view table) {
  if (FindSpec(table)) return Status::Ok();
  return MakeError(ER_UNKNOWN_TABLE, {std::string(table), "information_schema"});
}

std::vector<std::string> InformationSchemaColumns(std::string_view table) {
  std::vector<std::string> out;
  if (const TableSpec* t = FindSpec(table))
    for (const char* c : t->columns) out.push_back(ColumnName(c));
  return out;
}

const std::vector<EngineRow>& Engines() {
  static const std::vector<EngineRow> rows = {
      {"InnoDB", "DEFAULT", "Tables stored in SQLite, one file per database", "YES", "NO", "YES"},
  };
  return rows;
}

const std::vector<CharsetRow>& Charsets() {
  static const std::vector<CharsetRow> rows = {
      {"ascii", "US ASCII", "ascii_general_ci", 1},
      {"binary", "Binary pseudo charset", "binary", 1},
      {"latin1", "cp1252 West European", "latin1_swedish_ci", 1},
      {"utf8", "UTF-8 Unicode", "utf8_general_ci", 3},
      {"utf8mb4", "UTF-8 Unicode", "utf8mb4_general_ci", 4},
  };
  return rows;
}

const std::vector<CollationRow>& Collations() {
  static const std::vector<CollationRow> rows = {
      {"ascii_general_ci", "ascii", 11, "Yes", "Yes", 1},
      {"binary", "binary", 63, "Yes", "Yes", 1},
      {"latin1_swedish_ci", "latin1", 8, "Yes", "Yes", 1},
      {"utf8_general_ci", "utf8", 33, "Yes", "Yes", 1},
      {"utf8mb4_general_ci", "utf8mb4", 45, "Yes", "Yes", 1},
  };
  return rows;
}

}  // namespace reptut::engine
