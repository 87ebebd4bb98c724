// EXPLAIN: MySQL 5.7's plan columns for a SELECT/INSERT/REPLACE/UPDATE/DELETE.
//
// The explained statement is translated as if it ran; SQLite's EXPLAIN QUERY
// PLAN of the translation says, for each table, whether it is scanned or
// searched and through which index. Each SCAN/SEARCH line becomes one row:
// `table` is the name SQLite shows (the alias, as MySQL shows it), `key` the
// MySQL name of the index (the rowid or the primary key's autoindex is
// PRIMARY; an index `t__name` is `name`), `key_len` the whole index's length
// in MySQL's bytes, `rows` an estimate: 1 for an equality on a whole unique
// key, the rows the conditions select for one table read through an
// index, else the table's row count (what a sandbox needs: tools size
// chunks with it). A FORCE INDEX hint SQLite did not follow is shown as MySQL
// follows it: a range over the forced index.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "common/errors.h"
#include "engine/exec.h"
#include "engine/group_commit.h"
#include "engine/information_schema.h"
#include "engine/table_locks.h"
#include "sql/lexer.h"

namespace reptut::engine {

namespace {

using K = sql::StatementKind;

struct PlanLine {
  int id = 0;
  int parent = 0;
  std::string detail;
};

// One SCAN/SEARCH line, taken apart.
struct Access {
  std::string table;    // as SQLite shows it (alias or name)
  bool search = false;  // SEARCH (constrained) rather than SCAN
  bool covering = false;
  bool rowid = false;       // INTEGER PRIMARY KEY / PRIMARY KEY
  std::string index;        // SQLite index name ("" = none)
  std::string constraints;  // inside (...)
};

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

std::optional<Access> ParseAccess(std::string_view d) {
  Access a;
  if (StartsWith(d, "SEARCH ")) {
    a.search = true;
    d.remove_prefix(7);
  } else if (StartsWith(d, "SCAN ")) {
    d.remove_prefix(5);
  } else {
    return std::nullopt;
  }
  if (StartsWith(d, "TABLE ")) d.remove_prefix(6);  // older SQLite wording
  size_t sp = d.find(' ');
  a.table = std::string(d.substr(0, sp));
  if (a.table == "CONSTANT" || a.table == "SUBQUERY") return std::nullopt;
  if (sp == std::string_view::npos) return a;
  d.remove_prefix(sp + 1);
  if (StartsWith(d, "AS ")) {  // "SCAN t AS a" in some SQLite versions
    d.remove_prefix(3);
    sp = d.find(' ');
    a.table = std::string(d.substr(0, sp));
    if (sp == std::string_view::npos) return a;
    d.remove_prefix(sp + 1);
  }
  size_t paren = d.find('(');
  if (paren != std::string_view::npos) {
    size_t close = d.rfind(')');
    if (close != std::string_view::npos && close > paren)
      a.constraints = std::string(d.substr(paren + 1, close - paren - 1));
  }
  if (StartsWith(d, "USING INTEGER PRIMARY KEY") || StartsWith(d, "USING PRIMARY KEY") ||
      StartsWith(d, "USING ROWID")) {
    a.rowid = true;
    return a;
  }
  if (StartsWith(d, "USING COVERING INDEX ")) {
    a.covering = true;
    d.remove_prefix(21);
  } else if (StartsWith(d, "USING INDEX ")) {
    d.remove_prefix(12);
  } else {
    return a;  // USING AUTOMATIC ... INDEX: no index of the table's
  }
  a.index = std::string(d.substr(0, d.find(' ')));
  return a;
}

uint32_t MaxBytesPerChar(std::string_view charset) {
  if (charset == "utf8mb4") return 4;
  if (charset == "utf8" || charset == "utf8mb3") return 3;
  if (charset == "ucs2") return 2;
  if (charset == "utf16" || charset == "utf32") return 4;
  return 1;
}

uint32_t DecimalBytes(uint32_t m, uint32_t d) {
  static const uint32_t kDigBytes[] = {0, 1, 1, 2, 2, 3, 3, 4, 4};
  uint32_t intg = m > d ? m - d : 0;
  return intg / 9 * 4 + kDigBytes[intg % 9] + d / 9 * 4 + kDigBytes[d % 9];
}

// MySQL's key part length of a column (prefix: the prefix length in characters).
uint32_t KeyPartLength(const sql::TableDef& def, const sql::ColumnDef& c,
                       std::optional<uint32_t> prefix) {
  const std::string& t = c.type;
  uint32_t n = 0;
  uint32_t fsp_bytes = (c.length.value_or(0) + 1) / 2;
  uint32_t mb = MaxBytesPerChar(c.charset.empty() ? def.charset : c.charset);
  uint32_t len = c.length.value_or(1);
  if (t == "tinyint" || t == "year") {
    n = 1;
  } else if (t == "smallint") {
    n = 2;
  } else if (t == "mediumint" || t == "date") {
    n = 3;
  } else if (t == "int" || t == "float") {
    n = 4;
  } else if (t == "bigint" || t == "double") {
    n = 8;
  } else if (t == "decimal") {
    n = DecimalBytes(c.length.value_or(10), c.scale.value_or(0));
  } else if (t == "time") {
    n = 3 + fsp_bytes;
  } else if (t == "datetime") {
    n = 5 + fsp_bytes;
  } else if (t == "timestamp") {
    n = 4 + fsp_bytes;
  } else if (t == "bit") {
    n = (len + 7) / 8;
  } else if (t == "enum") {
    n = c.values.size() > 255 ? 2 : 1;
  } else if (t == "set") {
    uint32_t b = static_cast<uint32_t>((c.values.size() + 7) / 8);
    n = b > 4 ? 8 : b == 3 ? 3 : b;
  } else if (t == "char") {
    n = prefix.value_or(len) * mb;
  } else if (t == "binary") {
    n = prefix.value_or(len);
  } else if (t == "varchar") {
    n = prefix.value_or(len) * mb + 2;
  } else if (t == "varbinary") {
    n = prefix.value_or(len) + 2;
  } else if (t.find("text") != std::string::npos) {
    n = prefix.value_or(255) * mb + 2;
  } else {  // blobs
    n = prefix.value_or(255) + 2;
  }
  return n + (c.not_null ? 0 : 1);
}

const sql::IndexDef* FindIndex(const sql::TableDef& def, std::string_view name) {
  for (const sql::IndexDef& idx : def.indexes)
    if (sql::EqualsIgnoreCase(idx.name, name)) return &idx;
  return nullptr;
}

uint32_t IndexLength(const sql::TableDef& def, const sql::IndexDef& idx) {
  uint32_t n = 0;
  for (const sql::IndexPart& p : idx.parts) {
    int col = def.FindColumn(p.column);
    if (col >= 0) n += KeyPartLength(def, def.columns[static_cast<size_t>(col)], p.prefix_length);
  }
  return n;
}

// The MySQL index an access uses ("" = none).
std::string MysqlIndexName(const Access& a, const std::string& table_name) {
  if (a.rowid) return "PRIMARY";
  if (a.index.empty()) return "";
  if (StartsWith(a.index, "sqlite_autoindex_")) return "PRIMARY";
  std::string prefix = table_name + "__";
  if (StartsWith(a.index, prefix)) return a.index.substr(prefix.size());
  size_t sep = a.index.find("__");
  return sep == std::string::npos ? a.index : a.index.substr(sep + 2);
}

// Equality on every part of a unique index (or the rowid)?
bool UniqueLookup(const Access& a, const sql::IndexDef* idx) {
  if (!a.search || a.constraints.empty()) return false;
  if (a.constraints.find('>') != std::string::npos || a.constraints.find('<') != std::string::npos)
    return false;
  if (a.rowid)
    return a.constraints.find("rowid=") != std::string::npos || (idx && idx->parts.size() == 1);
  if (!idx || idx->kind == sql::IndexDef::Kind::kKey) return false;
  size_t eqs = static_cast<size_t>(std::count(a.constraints.begin(), a.constraints.end(), '='));
  return eqs >= idx->parts.size();
}

// The table an alias or name of the plan stands for: a table of the
// statement with that name, else `table [AS] alias` in the text.
std::optional<sql::TableName> TableFor(const std::string& shown, const sql::DmlInfo& dml,
                                       std::string_view text) {
  for (const sql::TableName& t : dml.tables)
    if (sql::EqualsIgnoreCase(t.name, shown)) return t;
  auto toks = sql::Tokenize(text);
  if (!toks.ok()) return std::nullopt;
  const std::vector<sql::Token>& v = *toks;
  for (size_t j = 1; j < v.size(); ++j) {
    if (!v[j].IsIdentLike() || !sql::EqualsIgnoreCase(v[j].text, shown)) continue;
    size_t k = v[j - 1].Is("AS") && j >= 2 ? j - 2 : j - 1;
    if (!v[k].IsIdentLike()) continue;
    for (const sql::TableName& t : dml.tables)
      if (sql::EqualsIgnoreCase(t.name, v[k].text)) return t;
  }
  return std::nullopt;
}

// FORCE INDEX (name) hints of the text: the name the table is shown by
// (its alias or its name, lowercased) -> the index. The translation drops
// hints; MySQL then scans the table only when the index cannot be used at
// all, so EXPLAIN shows the forced index where SQLite did not use it and
// the text names the index's first column after the hint.
struct ForcedIndex {
  std::string index;
  std::set<std::string> names_after;  // identifiers after the hint, lowercased
};

std::map<std::string, ForcedIndex> ForcedIndexes(std::string_view text) {
  std::map<std::string, ForcedIndex> out;
  auto toks = sql::Tokenize(text);
  if (!toks.ok()) return out;
  const std::vector<sql::Token>& v = *toks;
  for (size_t i = 1; i + 3 < v.size(); ++i) {
    if (!v[i].Is("FORCE") || !(v[i + 1].Is("INDEX") || v[i + 1].Is("KEY")) || !v[i + 2].IsOp("(") ||
        !v[i + 3].IsIdentLike() || !v[i - 1].IsIdentLike()) {
      continue;
    }
    ForcedIndex& f = out[Lower(v[i - 1].text)];
    f.index = v[i + 3].text;
    for (size_t j = i + 4; j < v.size(); ++j)
      if (v[j].IsIdentLike()) f.names_after.insert(Lower(v[j].text));
  }
  return out;
}

// "SELECT count(*) FROM ... [WHERE ...]" of a translated single SELECT:
// the rows its FROM and WHERE give (the clauses after them, and the select
// list, cut off at parenthesis depth 0). Empty if the text has no FROM or
// is a UNION.
std::string CountQuery(const std::string& sql) {
  size_t from = std::string::npos, end = sql.size();
  int depth = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      i = j;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth != 0 || c != ' ') continue;
    std::string_view rest = std::string_view(sql).substr(i);
    if (from == std::string::npos && StartsWith(rest, " FROM ")) {
      from = i;
    } else if (StartsWith(rest, " UNION ")) {
      return "";
    } else if (from != std::string::npos &&
               (StartsWith(rest, " GROUP BY ") || StartsWith(rest, " HAVING ") ||
                StartsWith(rest, " ORDER BY ") || StartsWith(rest, " LIMIT "))) {
      end = std::min(end, i);
    }
  }
  if (from == std::string::npos) return "";
  return "SELECT count(*)" + sql.substr(from, end - from);
}

std::string SelectTypeFor(K explained) {
  switch (explained) {
    case K::kInsert:
      return "INSERT";
    case K::kReplace:
      return "REPLACE";
    case K::kUpdate:
      return "UPDATE";
    case K::kDelete:
      return "DELETE";
    default:
      return "SIMPLE";
  }
}

}  // namespace

void ExecExplain(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const sql::DmlInfo& dml = st.dml;
  // Every table must exist and be readable (as ExecDml checks a SELECT).
  std::map<std::string, Catalog::DefPtr> defs;  // lowercased "db.table"
  for (const sql::TableName& t : dml.tables) {
    Result<std::string> db = DbOf(s, t);
    if (!db.ok()) return x.Fail(db.error());
    if (IsInformationSchema(*db)) {
      Status known = CheckInformationSchemaTable(t.name);
      if (!known.ok()) return x.Fail(known.error());
      continue;
    }
    Result<Catalog::DefPtr> def = ResolveTable(s, t);
    if (!def.ok()) return x.Fail(def.error());
    Status p = CheckTablePriv(s, *db, t.name, sql::kPrivSelect, "SELECT");
    if (!p.ok()) return x.Fail(p.error());
    defs[Lower(*db) + "." + Lower(t.name)] = *def;
  }
  Status locked = CheckTableLocks(s, st);
  if (!locked.ok()) return x.Fail(locked.error());
  SeeCommitted(s);
  Status b = BeginRead(s);
  if (!b.ok()) return x.Fail(b.error());

  std::vector<PlanLine> plan;
  {
    storage::SqliteStmt q;
    storage::SqliteError e = s.Conn().Prepare("EXPLAIN QUERY PLAN " + dml.sqlite_sql, &q);
    if (!e.ok()) return x.Fail(MapSqliteError(s, e));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      plan.push_back({static_cast<int>(q.Int(0)), static_cast<int>(q.Int(1)), q.Text(3)});
    }
    if (rc != SQLITE_DONE) return x.Fail(MapSqliteError(s, s.Conn().LastError()));
  }

  // Subqueries get their own select id and type, as MySQL numbers them.
  std::map<int, std::pair<int, std::string>> select_of;  // plan id -> (select id, type)
  int next_select = 1;
  auto select_for = [&](const PlanLine& line) -> std::pair<int, std::string> {
    int parent = line.parent;
    while (parent != 0) {
      auto it = select_of.find(parent);
      if (it != select_of.end()) return it->second;
      auto p =
          std::find_if(plan.begin(), plan.end(), [&](const PlanLine& l) { return l.id == parent; });
      if (p == plan.end()) break;
      parent = p->parent;
    }
    return {1, SelectTypeFor(st.explained_kind)};
  };
  for (const PlanLine& line : plan) {
    const std::string& d = line.detail;
    std::string type;
    if (d.find("CORRELATED") != std::string::npos) {
      type = "DEPENDENT SUBQUERY";
    } else if (d.find("SUBQUERY") != std::string::npos && !StartsWith(d, "SCAN") &&
               !StartsWith(d, "SEARCH")) {
      type = "SUBQUERY";
    } else if (StartsWith(d, "MATERIALIZE") || StartsWith(d, "CO-ROUTINE")) {
      type = "DERIVED";
    }
    if (!type.empty()) select_of[line.id] = {++next_select, type};
  }

  std::map<std::string, ForcedIndex> forced_indexes = ForcedIndexes(x.text);
  std::vector<Row> rows;
  std::map<int, size_t> first_row_of_select;
  std::map<int, size_t> or_rows;  // MULTI-INDEX OR plan id -> its row
  for (const PlanLine& line : plan) {
    if (StartsWith(line.detail, "USE TEMP B-TREE")) {
      auto [sel, type] = select_for(line);
      auto it = first_row_of_select.find(sel);
      if (it == first_row_of_select.end()) continue;
      std::optional<std::string>& extra = rows[it->second][11];
      std::string add =
          line.detail.find("ORDER BY") != std::string::npos ? "Using filesort" : "Using temporary";
      if (!extra) {
        extra = add;
      } else if (extra->find(add) == std::string::npos) {
        *extra += "; " + add;
      }
      continue;
    }
    std::optional<Access> a = ParseAccess(line.detail);
    if (!a) continue;
    // The searches of a MULTI-INDEX OR are one row (MySQL: a range, or an
    // index_merge of several indexes).
    int multi_or = 0;
    for (int parent = line.parent; parent != 0 && multi_or == 0;) {
      auto p =
          std::find_if(plan.begin(), plan.end(), [&](const PlanLine& l) { return l.id == parent; });
      if (p == plan.end()) break;
      if (p->detail == "MULTI-INDEX OR") multi_or = p->id;
      parent = p->parent;
    }
    if (auto m = or_rows.find(multi_or); multi_or != 0 && m != or_rows.end()) {
      Row& merged = rows[m->second];
      std::string key = MysqlIndexName(*a, merged[2].value_or(""));
      if (!key.empty() && merged[6] &&
          ("," + *merged[6] + ",").find("," + key + ",") == std::string::npos) {
        *merged[5] += "," + key;
        *merged[6] += "," + key;
        merged[4] = "index_merge";
        merged[7] = std::nullopt;
        merged[11] = "Using union(" + *merged[6] + "); Using where";
      }
      continue;
    }
    auto [sel, sel_type] = select_for(line);
    std::optional<sql::TableName> table = TableFor(a->table, dml, x.text);
    Catalog::DefPtr def;
    std::string db;
    if (table) {
      Result<std::string> r = DbOf(s, *table);
      if (r.ok()) {
        db = *r;
        auto it = defs.find(Lower(db) + "." + Lower(table->name));
        if (it != defs.end()) def = it->second;
      }
    }
    std::string key = MysqlIndexName(*a, table ? table->name : a->table);
    const sql::IndexDef* idx = def && !key.empty() ? FindIndex(*def, key) : nullptr;
    bool forced = false;
    if (auto f = forced_indexes.find(Lower(a->table)); f != forced_indexes.end() && def) {
      // Usable when the conditions name its first column.
      const sql::IndexDef* want = FindIndex(*def, f->second.index);
      if (want && !want->parts.empty() && !sql::EqualsIgnoreCase(key, want->name) &&
          f->second.names_after.count(Lower(want->parts[0].column))) {
        key = want->name;
        idx = want;
        forced = true;
      }
    }
    bool first_table = first_row_of_select.find(sel) == first_row_of_select.end();
    bool unique = !forced && multi_or == 0 && UniqueLookup(*a, idx);
    std::string access;
    if (forced || multi_or != 0) {
      access = "range";
    } else if (!a->search) {
      access = key.empty() ? "ALL" : "index";
    } else if (unique) {
      access = first_table ? "const" : "eq_ref";
    } else if (a->constraints.find('>') != std::string::npos ||
               a->constraints.find('<') != std::string::npos) {
      access = "range";
    } else if (!key.empty()) {
      access = "ref";
    } else {
      access = "ALL";
    }
    std::optional<std::string> count;
    std::string matching = access == "range" || access == "ref"
                               ? CountQuery(st.explained_kind == K::kSelect ? dml.sqlite_sql : "")
                               : "";
    if (unique) {
      count = "1";
    } else if (!matching.empty() && dml.tables.size() == 1) {
      // One table read through an index: the rows the conditions select.
      storage::SqliteStmt c;
      if (s.Conn().Prepare(matching, &c).ok()) {
        BindUserVars(s, c.get(), dml.user_vars_read);
        // MySQL estimates an empty range as one row.
        if (c.Step() == SQLITE_ROW) count = std::to_string(std::max<int64_t>(c.Int(0), 1));
      }
    }
    if (!count && !unique && def) {
      storage::SqliteStmt c;
      storage::SqliteError e =
          s.Conn().Prepare("SELECT count(*) FROM " + storage::SqliteConn::Quote(db) + "." +
                               storage::SqliteConn::Quote(table->name),
                           &c);
      if (e.ok() && c.Step() == SQLITE_ROW) count = std::to_string(c.Int(0));
    }
    std::optional<std::string> extra;
    if (forced) {
      extra = "Using where";
    } else if (a->covering) {
      extra = access == "range" || access == "ref" ? "Using where; Using index" : "Using index";
    } else if (access == "range") {
      extra = "Using where";
    }
    Row row(12);
    row[0] = std::to_string(sel);
    row[1] = sel_type;
    row[2] = a->table;
    row[4] = access;
    if (!key.empty()) {
      row[5] = key;
      row[6] = key;
      if (def && idx) row[7] = std::to_string(IndexLength(*def, *idx));
      if (unique || access == "ref") row[8] = "const";
    }
    row[9] = count;
    row[10] = "100.00";
    row[11] = extra;
    if (first_table) first_row_of_select[sel] = rows.size();
    if (multi_or != 0) or_rows[multi_or] = rows.size();
    rows.push_back(std::move(row));
  }
  if (rows.empty()) {
    Row row(12);
    row[0] = "1";
    row[1] = SelectTypeFor(st.explained_kind);
    if (dml.target) {
      row[2] = dml.target->name;
      row[4] = "ALL";
    } else {
      row[11] = "No tables used";
    }
    rows.push_back(std::move(row));
  }
  using mysql::kTypeLongLong;
  using mysql::kTypeVarString;
  std::vector<Exec::Col> cols = {
      {"id", kTypeLongLong, 3},           {"select_type", kTypeVarString, 19},
      {"table", kTypeVarString, 64},      {"partitions", kTypeVarString, 255},
      {"type", kTypeVarString, 10},       {"possible_keys", kTypeVarString, 4096},
      {"key", kTypeVarString, 64},        {"key_len", kTypeVarString, 4096},
      {"ref", kTypeVarString, 1024},      {"rows", kTypeLongLong, 10},
      {"filtered", mysql::kTypeFloat, 4}, {"Extra", kTypeVarString, 255},
  };
  x.Rows(cols, rows);
}

}  // namespace reptut::engine
