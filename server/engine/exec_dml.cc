// SELECT, INSERT, REPLACE, UPDATE, DELETE and DO: the translated statement
// runs on the session's SQLite connection; the engine adds what SQLite does
// not know (MySQL's AUTO_INCREMENT rules, privileges, column metadata, the
// text form of values).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

#include "common/errors.h"
#include "engine/auto_increment.h"
#include "engine/binlogging.h"
#include "engine/column_checks.h"
#include "engine/exec.h"
#include "engine/group_commit.h"
#include "engine/information_schema.h"
#include "engine/statement_cache.h"
#include "engine/table_locks.h"
#include "sql/lexer.h"
#include "sql/parser.h"

namespace reptut::engine {
namespace {

using K = sql::StatementKind;

// The values of a translated INSERT ... VALUES: rows[r][c] is the byte range
// [first, second) of value c of row r in the SQLite text. A plain scan over
// SQLite's syntax (quotes, backticks, parentheses): no second parse.
using ValueRanges = std::vector<std::vector<std::pair<size_t, size_t>>>;

bool FindValueRanges(std::string_view sql, ValueRanges* out) {
  size_t i = 0, n = sql.size();
  int depth = 0;
  auto skip_quoted = [&](char q) {
    for (++i; i < n; ++i) {
      if (sql[i] == q) {
        if (i + 1 < n && sql[i + 1] == q) {
          ++i;
          continue;
        }
        ++i;
        return;
      }
    }
  };
  // Find VALUES at depth 0.
  for (; i < n;) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      skip_quoted(c);
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == 'V' || c == 'v') && i > 0 && sql[i - 1] == ' ' &&
        sql.substr(i, 7).size() == 7 && sql::EqualsIgnoreCase(sql.substr(i, 6), "VALUES") &&
        (sql[i + 6] == ' ' || sql[i + 6] == '(')) {
      i += 6;
      break;
    }
    ++i;
  }
  if (i >= n) return false;
  while (i < n) {
    while (i < n && sql[i] == ' ') ++i;
    if (i >= n || sql[i] != '(') break;
    ++i;
    std::vector<std::pair<size_t, size_t>> row;
    row.reserve(16);
    size_t start = i;
    int d = 0;
    while (i < n) {
      char c = sql[i];
      if (c == '\'' || c == '"' || c == '`') {
        skip_quoted(c);
        continue;
      }
      if (c == '(') ++d;
      if (c == ')') {
        if (d == 0) break;
        --d;
      }
      if (c == ',' && d == 0) {
        row.push_back({start, i});
        start = i + 1;
      }
      ++i;
    }
    if (i >= n) return false;
    row.push_back({start, i});
    for (auto& [a, b] : row) {
      while (a < b && sql[a] == ' ') ++a;
      while (b > a && sql[b - 1] == ' ') --b;
    }
    out->push_back(std::move(row));
    ++i;  // ')'
    while (i < n && sql[i] == ' ') ++i;
    if (i < n && sql[i] == ',') {
      ++i;
      continue;
    }
    break;
  }
  return !out->empty();
}

// The literal a "@reptut_lit_<n>" parameter of a cached shape stands for.
UserValue* LiteralOf(SessionState& s, std::string_view value) {
  if (!s.shaped || value.size() < 2 || value[0] != '@') return nullptr;
  std::string_view name = value.substr(1);
  if (!IsLiteralVar(name)) return nullptr;
  size_t n = 0;
  for (char c : name.substr(kLiteralVarPrefix.size())) {
    if (c < '0' || c > '9') return nullptr;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  return n < s.stmt_literals.size() ? &s.stmt_literals[n] : nullptr;
}

// Position of the AUTO_INCREMENT column in the INSERT's value rows, or -1.
int AutoIncPosition(const sql::TableDef& def, const sql::DmlInfo& dml, int* column) {
  *column = -1;
  for (size_t c = 0; c < def.columns.size(); ++c) {
    if (def.columns[c].auto_increment) *column = static_cast<int>(c);
  }
  if (*column < 0) return -1;
  if (dml.insert_columns.empty()) return *column;
  for (size_t i = 0; i < dml.insert_columns.size(); ++i) {
    if (sql::EqualsIgnoreCase(dml.insert_columns[i], def.columns[*column].name)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  std::string s = buf;
  // MySQL writes exponents without '+' and leading zeros: 1e20, 1.5e-7.
  size_t e = s.find('e');
  if (e != std::string::npos) {
    std::string mant = s.substr(0, e), exp = s.substr(e + 1);
    bool neg = !exp.empty() && exp[0] == '-';
    size_t k = (exp[0] == '-' || exp[0] == '+') ? 1 : 0;
    while (k + 1 < exp.size() && exp[k] == '0') ++k;
    s = mant + "e" + (neg ? "-" : "") + exp.substr(k);
  }
  return s;
}

std::string FormatFixed(double d, uint32_t scale) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(scale), d);
  return buf;
}

struct ColumnOut {
  ColumnInfo info;
  Catalog::DefPtr table;  // keeps `def` alive
  const sql::ColumnDef* def = nullptr;
};

std::optional<std::string> FormatValue(sqlite3_stmt* st, int i, const ColumnOut& col) {
  int type = sqlite3_column_type(st, i);
  if (type == SQLITE_NULL) return std::nullopt;
  if (type == SQLITE_INTEGER) {
    if (col.def && col.def->type == "decimal" && col.def->scale && *col.def->scale > 0) {
      return FormatFixed(static_cast<double>(sqlite3_column_int64(st, i)), *col.def->scale);
    }
    if (col.def && col.def->type == "year" && sqlite3_column_int64(st, i) == 0) return "0000";
    return std::to_string(sqlite3_column_int64(st, i));
  }
  if (type == SQLITE_FLOAT) {
    double d = sqlite3_column_double(st, i);
    if (col.def && col.def->type == "decimal") return FormatFixed(d, col.def->scale.value_or(0));
    if (col.def && (col.def->type == "float" || col.def->type == "double") && col.def->scale) {
      return FormatFixed(d, *col.def->scale);
    }
    if (col.def && col.def->type == "float") {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", d);
      return std::string(buf);
    }
    return FormatDouble(d);
  }
  const char* p = static_cast<const char*>(sqlite3_column_blob(st, i));
  int n = sqlite3_column_bytes(st, i);
  std::string v(p ? p : "", static_cast<size_t>(n));
  if (col.def && col.def->type == "char") {
    while (!v.empty() && v.back() == ' ') v.pop_back();
  }
  return v;
}

ColumnOut DescribeColumn(SessionState& s, sqlite3_stmt* st, int i) {
  ColumnOut out;
  ColumnInfo& c = out.info;
  if (DescribeTableColumn(s, st, i, &c, &out.table, &out.def)) return out;
  c.org_name = c.name;
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
      c.type = mysql::kTypeLongLong;
      c.length = 21;
      c.charset = mysql::kBinary;
      c.flags = mysql::kNumFlag;
      break;
    case SQLITE_FLOAT:
      c.type = mysql::kTypeDouble;
      c.length = 23;
      c.decimals = 31;
      c.charset = mysql::kBinary;
      c.flags = mysql::kNumFlag;
      break;
    case SQLITE_NULL:
      c.type = mysql::kTypeNull;
      c.charset = mysql::kBinary;
      c.length = 0;
      c.flags = mysql::kBinaryFlag;
      break;
    case SQLITE_BLOB:
      c.type = mysql::kTypeBlob;
      c.length = 65535;
      c.charset = mysql::kBinary;
      c.flags = mysql::kBinaryFlag | mysql::kBlobFlag;
      break;
    default:
      c.type = mysql::kTypeVarString;
      c.length = static_cast<uint32_t>(std::max(sqlite3_column_bytes(st, i), 1)) * 3;
      c.charset = s.SessionVar("character_set_results") == "latin1" ? mysql::kLatin1SwedishCi
                                                                    : mysql::kUtf8GeneralCi;
      break;
  }
  return out;
}

// SELECT SQL_CALC_FOUND_ROWS ... LIMIT: the parser marks both (see
// parse_dml.cc); FOUND_ROWS() then is the count of the rows without the
// LIMIT. Nothing for any other SELECT (FOUND_ROWS() is the rows sent).
std::optional<int64_t> CountWithoutLimit(SessionState& s, const sql::DmlInfo& dml) {
  constexpr std::string_view kCalcMark = "SELECT /*reptut_calc_found_rows*/ ";
  constexpr std::string_view kLimitMark = " /*reptut_found_rows_limit*/ LIMIT ";
  const std::string& sql = dml.sqlite_sql;
  if (!sql.starts_with(kCalcMark)) return std::nullopt;
  size_t limit = sql.rfind(kLimitMark);
  if (limit == std::string::npos) return std::nullopt;
  storage::SqliteStmt st;
  if (!s.Conn().Prepare("SELECT count(*) FROM (" + sql.substr(0, limit) + ")", &st).ok()) {
    return std::nullopt;
  }
  BindUserVars(s, st.get(), dml.user_vars_read);
  if (st.Step() != SQLITE_ROW) return std::nullopt;
  return st.Int(0);
}

void RunSelect(Exec& x, const sql::DmlInfo& dml, bool discard) {
  SessionState& s = x.s;
  storage::SqliteStmt st;
  storage::SqliteError e = s.shaped ? s.Conn().PrepareCached(dml.sqlite_sql, &st)
                                    : s.Conn().Prepare(dml.sqlite_sql, &st);
  if (!e.ok()) return x.Fail(MapSqliteError(s, e));
  BindUserVars(s, st.get(), dml.user_vars_read);
  int rc = st.Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return x.Fail(MapSqliteError(s, s.Conn().LastError()));
  if (dml.into_file) return SelectIntoFile(x, dml, st, rc);
  if (discard) {
    while (rc == SQLITE_ROW) rc = st.Step();
    if (rc != SQLITE_DONE) return x.Fail(MapSqliteError(s, s.Conn().LastError()));
    return x.Ok();
  }
  if (!dml.into_vars.empty()) {
    if (rc == SQLITE_ROW) {
      for (size_t i = 0; i < dml.into_vars.size() && i < static_cast<size_t>(st.ColumnCount());
           ++i) {
        UserValue v;
        switch (st.ColumnType(static_cast<int>(i))) {
          case SQLITE_NULL:
            break;
          case SQLITE_INTEGER:
            v.type = UserValue::Type::kInt;
            v.i = st.Int(static_cast<int>(i));
            break;
          case SQLITE_FLOAT:
            v.type = UserValue::Type::kReal;
            v.d = st.Double(static_cast<int>(i));
            break;
          default:
            v.type = UserValue::Type::kString;
            v.s = st.Text(static_cast<int>(i));
            break;
        }
        s.user_vars[dml.into_vars[i]] = v;
      }
    } else {
      s.AddWarning("Warning", 1329, "No data - zero rows fetched, selected, or processed");
    }
    return x.Ok(1);
  }
  int n = st.ColumnCount();
  std::vector<ColumnOut> cols;
  std::vector<ColumnInfo> infos;
  for (int i = 0; i < n; ++i) {
    cols.push_back(DescribeColumn(s, st.get(), i));
    infos.push_back(cols.back().info);
  }
  x.sink.SendColumns(infos);
  Row row(n);
  s.last_row_count = -1;
  s.last_found_rows = 0;
  while (rc == SQLITE_ROW) {
    ++s.last_found_rows;
    if (s.query_killed || s.killed) {
      return x.sink.SendError(MakeError(ER_QUERY_INTERRUPTED));
    }
    for (int i = 0; i < n; ++i) row[i] = FormatValue(st.get(), i, cols[i]);
    if (!x.sink.SendRow(row)) return;
    rc = st.Step();
  }
  if (rc != SQLITE_DONE) return x.sink.SendError(MapSqliteError(s, s.Conn().LastError()));
  if (std::optional<int64_t> found = CountWithoutLimit(s, dml)) s.last_found_rows = *found;
  x.sink.SendEof(static_cast<uint16_t>(s.pending_warnings.size()), x.StatusFlags());
}

// SELECT ... FOR UPDATE / LOCK IN SHARE MODE. The engine has no row locks:
// a locking read takes the write gate, as a write would, so a
// read-modify-write through it cannot lose an update (another transaction's
// locking read or write waits for this one's COMMIT/ROLLBACK). Outside a
// transaction the gate is held for the statement only. Shared locks are
// exclusive here (the simplest correct reading of LOCK IN SHARE MODE).
void RunLockingSelect(Exec& x, const sql::DmlInfo& dml) {
  SessionState& s = x.s;
  std::optional<std::chrono::milliseconds> timeout;
  if (dml.lock_wait_seconds >= 0) {
    timeout = std::chrono::seconds(std::min(dml.lock_wait_seconds, 1073741824ll));
  }
  bool statement_only = !InTxnMode(s) && !s.holds_gate;
  Status b = BeginLockingRead(s, timeout);
  if (!b.ok()) return x.Fail(b.error());
  RunSelect(x, dml, false);
  if (statement_only) ReleaseGate(s);
}

// Reads the next AUTO_INCREMENT value SQLite will hand out for db.table.
int64_t NextAutoValue(SessionState& s, const std::string& db, const std::string& table) {
  storage::SqliteStmt st;
  std::string q = storage::SqliteConn::Quote(db);
  std::string sql = "SELECT max(coalesce((SELECT seq FROM " + q +
                    ".sqlite_sequence WHERE name = ?1), 0), coalesce((SELECT max(rowid) FROM " + q +
                    "." + storage::SqliteConn::Quote(table) + "), 0)) + 1";
  // Cached: with auto_increment_increment above 1 every INSERT asks.
  if (!s.Conn().PrepareCached(sql, &st).ok()) return 1;
  st.BindText(1, table);
  if (st.Step() != SQLITE_ROW) return 1;
  return st.Int(0);
}

void SetNextAutoValue(SessionState& s, const std::string& db, const std::string& table,
                      int64_t next) {
  std::string q = storage::SqliteConn::Quote(db);
  storage::SqliteConn& c = s.Conn();
  // Cached and bound: a replica applying INSERTs with INSERT_ID runs this
  // once per statement.
  auto run = [&](const std::string& sql) {
    storage::SqliteStmt st;
    if (!c.PrepareCached(sql, &st).ok()) return false;
    st.BindText(1, table);
    st.BindInt(2, next - 1);
    return st.Step() == SQLITE_DONE;
  };
  bool updated =
      run("UPDATE " + q + ".sqlite_sequence SET seq = ?2 WHERE name = ?1") && c.Changes() > 0;
  if (!updated) run("INSERT INTO " + q + ".sqlite_sequence (name, seq) VALUES (?1, ?2)");
}

// A row's AUTO_INCREMENT value as the SQLite text of an INSERT ... VALUES
// has it: NULL or 0 (MySQL generates a value for both, without
// NO_AUTO_VALUE_ON_ZERO; SQLite only for NULL), an integer given, or an
// expression known only once it runs.
enum class AutoValue { kGenerated, kZero, kExplicit, kUnknown };

AutoValue ClassifyAutoValue(SessionState& s, std::string_view v, int64_t* value) {
  auto integer = [&](std::string_view t) {
    if (t.size() >= 2 && t.front() == '\'' && t.back() == '\'') t = t.substr(1, t.size() - 2);
    if (t.empty() || t.size() > 19) return false;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), *value);
    return ec == std::errc() && end == t.data() + t.size();
  };
  if (UserValue* lit = LiteralOf(s, v)) {
    // A literal of a cached statement shape: its value decides.
    switch (lit->type) {
      case UserValue::Type::kNull:
        return AutoValue::kGenerated;
      case UserValue::Type::kInt:
        *value = lit->i;
        return lit->i == 0 ? AutoValue::kZero : AutoValue::kExplicit;
      case UserValue::Type::kString:
        if (!integer(lit->s)) return AutoValue::kUnknown;
        return *value == 0 ? AutoValue::kZero : AutoValue::kExplicit;
      default:
        return AutoValue::kUnknown;
    }
  }
  if (sql::EqualsIgnoreCase(v, "NULL")) return AutoValue::kGenerated;
  if (!integer(v)) return AutoValue::kUnknown;
  return *value == 0 ? AutoValue::kZero : AutoValue::kExplicit;
}

// INSERT ... SELECT with each selected value checked against its column's
// type (column_checks.h) and, when auto_col >= 0, the AUTO_INCREMENT
// column's value taken through reptut_autoinc() (WrapAutoIncrement):
//   INSERT INTO t (a) SELECT ...
//     -> WITH reptut_src(reptut_c0) AS (SELECT ...)
//        INSERT INTO t (a) SELECT reptut_cv(reptut_c0, 0) FROM reptut_src
// False when the statement's pieces are not where DmlInfo says.
bool InsertSelectChecked(const sql::TableDef& def, const sql::DmlInfo& dml, int auto_col,
                         int auto_pos, std::string* out) {
  const std::string& sql = dml.sqlite_sql;
  size_t target_end = dml.insert_target_end;
  size_t tail = dml.insert_tail_begin;
  size_t select = dml.insert_select_begin;
  if (target_end == 0 || target_end > tail || tail > sql.size() || select < target_end ||
      select >= tail) {
    return false;
  }
  size_t n = dml.insert_columns.empty() ? def.columns.size() : dml.insert_columns.size();
  std::string names, columns, values;
  for (size_t i = 0; i < n; ++i) {
    std::string c = "reptut_c" + std::to_string(i);
    const std::string& name =
        dml.insert_columns.empty() ? def.columns[i].name : dml.insert_columns[i];
    names += (i ? ", " : "") + c;
    columns += (i ? ", " : "") + storage::SqliteConn::Quote(name);
    values += i ? ", " : "";
    std::string checked = "reptut_cv(" + c + ", " + std::to_string(i) + ")";
    values +=
        auto_col >= 0 && static_cast<int>(i) == auto_pos ? "reptut_autoinc(" + c + ")" : checked;
  }
  if (auto_col >= 0 && auto_pos < 0) {
    columns += ", " + storage::SqliteConn::Quote(def.columns[auto_col].name);
    values += ", reptut_autoinc(NULL)";
  }
  *out = "WITH reptut_src(" + names + ") AS (" + sql.substr(select, tail - select) + ") " +
         sql.substr(0, target_end) + " (" + columns + ") SELECT " + values + " FROM reptut_src" +
         (dml.on_duplicate_update ? " WHERE true" : "") + sql.substr(tail);
  return true;
}

// auto_increment_increment above 1: `sql` with the AUTO_INCREMENT column's
// value of each row wrapped in reptut_autoinc() (functions.cc), which hands
// out the values of the session's AutoIncSequence; a statement that does not
// name the column gets it with reptut_autoinc(NULL). False for a form this
// does not know (the statement then runs as it is).
//   INSERT INTO t (a, id) VALUES (1, NULL), (2, 7)
//     -> INSERT INTO t (a, id) VALUES (1, reptut_autoinc(NULL)), (2, reptut_autoinc(7))
//   INSERT INTO t (a) SELECT ...
//     -> WITH reptut_src(reptut_c0) AS (SELECT ...)
//        INSERT INTO t (a, id) SELECT reptut_c0, reptut_autoinc(NULL) FROM reptut_src
bool WrapAutoIncrement(const sql::TableDef& def, const sql::DmlInfo& dml, int auto_col,
                       int auto_pos, std::string* out) {
  const std::string& sql = dml.sqlite_sql;
  std::string column = storage::SqliteConn::Quote(def.columns[auto_col].name);
  size_t target_end = dml.insert_target_end;
  size_t tail = dml.insert_tail_begin;
  if (target_end == 0 || target_end > tail || tail > sql.size()) return false;
  if (dml.insert_select) return InsertSelectChecked(def, dml, auto_col, auto_pos, out);
  if (dml.values_rows == 0) return false;
  if (std::string_view(sql).substr(target_end, tail - target_end) == " DEFAULT VALUES") {
    // INSERT INTO t () VALUES ()
    *out = sql.substr(0, target_end) + " (" + column + ") VALUES (reptut_autoinc(NULL))" +
           sql.substr(tail);
    return true;
  }
  ValueRanges ranges;
  if (!FindValueRanges(sql, &ranges)) return false;
  constexpr std::string_view kListEnd = ") VALUES ";
  const std::string& head = dml.insert_sql_head;
  if (auto_pos < 0 && (dml.insert_columns.empty() || head.size() < kListEnd.size() ||
                       sql.compare(0, head.size(), head) != 0 ||
                       std::string_view(head).substr(head.size() - kListEnd.size()) != kListEnd)) {
    return false;
  }
  *out = sql;
  // Back to front: the offsets before each change stay valid.
  for (size_t r = ranges.size(); r-- > 0;) {
    const auto& row = ranges[r];
    if (auto_pos < 0) {
      out->insert(row.back().second, ", reptut_autoinc(NULL)");
      continue;
    }
    if (static_cast<size_t>(auto_pos) >= row.size()) return false;  // SQLite says what is wrong
    auto [a, b] = row[auto_pos];
    if (sql::EqualsIgnoreCase(std::string_view(sql).substr(a, b - a), "DEFAULT")) {
      out->replace(a, b - a, "reptut_autoinc(NULL)");
    } else {
      out->insert(b, ")");
      out->insert(a, "reptut_autoinc(");
    }
  }
  if (auto_pos < 0) out->insert(head.size() - kListEnd.size(), ", " + column);
  return true;
}

// The value MySQL names in "Duplicate entry" when an INSERT of several rows
// (VALUES or SELECT) failed on a unique key (`message`, SQLite's "UNIQUE
// constraint failed: t.a, t.b"): the key of the first row that the table
// has already or that an earlier row of the statement has, its parts joined
// by '-'. Runs once SQLite has undone the statement. Empty if not found.
std::string FirstDuplicateKey(SessionState& s, const std::string& db, const sql::TableDef& def,
                              const sql::DmlInfo& dml, const std::string& message) {
  const std::string& sql = dml.sqlite_sql;
  size_t tail = dml.insert_tail_begin ? dml.insert_tail_begin : sql.size();
  std::string source;
  if (dml.insert_select) {
    if (dml.insert_select_begin == 0 || dml.insert_select_begin >= tail) return {};
    source = sql.substr(dml.insert_select_begin, tail - dml.insert_select_begin);
  } else {
    constexpr std::string_view kValues = "VALUES ";
    const std::string& head = dml.insert_sql_head;
    if (dml.has_default_values || !head.ends_with(kValues) || !sql.starts_with(head) ||
        head.size() > tail) {
      return {};
    }
    source = sql.substr(head.size() - kValues.size(), tail - (head.size() - kValues.size()));
  }
  // The key's columns and where each is in the source's rows.
  size_t colon = message.find(": ");
  if (colon == std::string::npos) return {};
  std::vector<int> positions;
  std::string where;
  for (size_t start = colon + 2; start <= message.size();) {
    size_t comma = message.find(", ", start);
    if (comma == std::string::npos) comma = message.size();
    std::string item = message.substr(start, comma - start);
    std::string name = item.substr(item.rfind('.') + 1);
    int pos = dml.insert_columns.empty() ? def.FindColumn(name) : -1;
    for (size_t i = 0; i < dml.insert_columns.size(); ++i) {
      if (sql::EqualsIgnoreCase(dml.insert_columns[i], name)) pos = static_cast<int>(i);
    }
    if (pos < 0) return {};
    positions.push_back(pos);
    where += (where.empty() ? " WHERE " : " AND ") + storage::SqliteConn::Quote(name) + " = ?" +
             std::to_string(positions.size());
    start = comma + 2;
  }
  storage::SqliteStmt rows, exists;
  if (!s.Conn().Prepare(source, &rows).ok() ||
      !s.Conn()
           .Prepare("SELECT 1 FROM " + storage::SqliteConn::Quote(db) + "." +
                        storage::SqliteConn::Quote(def.name) + where + " LIMIT 1",
                    &exists)
           .ok()) {
    return {};
  }
  BindUserVars(s, rows.get(), dml.user_vars_read);
  std::vector<std::vector<std::string>> seen;
  while (rows.Step() == SQLITE_ROW) {
    std::vector<std::string> key;
    sqlite3_reset(exists.get());
    for (size_t k = 0; k < positions.size(); ++k) {
      int pos = positions[k];
      if (pos >= rows.ColumnCount() || rows.ColumnType(pos) == SQLITE_NULL) break;
      key.push_back(rows.Text(pos));
      sqlite3_bind_value(exists.get(), static_cast<int>(k + 1),
                         sqlite3_column_value(rows.get(), pos));
    }
    if (key.size() != positions.size()) continue;  // NULL never repeats a key
    if (exists.Step() == SQLITE_ROW || std::find(seen.begin(), seen.end(), key) != seen.end()) {
      std::string text;
      for (const std::string& part : key) text += (text.empty() ? "" : "-") + part;
      return text;
    }
    seen.push_back(std::move(key));
  }
  return {};
}

// The user variables a statement both reads and assigns (INSERT ... SELECT
// @n := @n + 1 ...) are logged with their values from before it ran: the
// replica runs the statement from there. Others are logged as they are.
class VarsBeforeStatement {
 public:
  VarsBeforeStatement(SessionState& s, const sql::DmlInfo& dml) : s_(s) {
    if (dml.sqlite_sql.find("reptut_setvar(") == std::string::npos) return;
    for (const std::string& name : dml.user_vars_read) {
      auto it = s.user_vars.find(name);
      before_.emplace_back(name, it == s.user_vars.end() ? UserValue{} : it->second);
    }
  }
  void Log(std::string_view text, const StatementLog& log) {
    for (auto& [name, value] : before_) std::swap(s_.user_vars[name], value);
    LogStatement(s_, text, log);
    for (auto& [name, value] : before_) std::swap(s_.user_vars[name], value);
  }

 private:
  SessionState& s_;
  std::vector<std::pair<std::string, UserValue>> before_;
};

void RunWrite(Exec& x, const sql::Statement& stmt) {
  SessionState& s = x.s;
  const sql::DmlInfo* dml = &stmt.dml;
  VarsBeforeStatement vars_before(s, *dml);
  std::string db;
  Catalog::DefPtr target;
  if (dml->target) {
    Result<std::string> d = DbOf(s, *dml->target);
    if (!d.ok()) return x.Fail(d.error());
    db = *d;
    Result<Catalog::DefPtr> def = ResolveTable(s, *dml->target);
    if (!def.ok()) return x.Fail(def.error());
    target = *def;
  }
  if (AlreadyApplied(s, db.empty() ? s.db : db)) {
    if (s.apply.active) {
      // A torn batch applied again (applier.h): the database has the
      // statement, but the binary log (log-slave-updates) was cut before
      // it and takes it again.
      StatementLog log;
      log.db = db;
      if (s.insert_id_for_next) log.insert_id = s.insert_id_for_next;
      log.user_vars = &stmt.dml.user_vars_read;
      LogStatement(s, x.text, log);
    }
    s.insert_id_for_next = 0;  // the event's SET INSERT_ID was for this statement
    return x.Ok();
  }
  bool is_insert = stmt.kind == K::kInsert || stmt.kind == K::kReplace;
  // The stored values' checks against the columns' types (column_checks.h):
  // the plain literals now, the rest as SQLite writes the rows.
  std::optional<ColumnChecks> checks;
  std::optional<sql::DmlInfo> rebuilt_dml;
  if (target && (is_insert || stmt.kind == K::kUpdate)) {
    checks.emplace(s, *target, db.empty() ? s.db : db, stmt.dml);
    if (is_insert && !dml->insert_values.empty()) {
      std::optional<std::string> rebuilt;
      Status st = CheckLiteralValues(*checks, &rebuilt);
      if (!st.ok()) return x.Fail(st.error());
      if (rebuilt) {
        rebuilt_dml = *dml;
        rebuilt_dml->sqlite_sql = std::move(*rebuilt);
        rebuilt_dml->insert_tail_begin =
            rebuilt_dml->sqlite_sql.size() - rebuilt_dml->insert_sql_tail.size();
        dml = &*rebuilt_dml;
      }
    }
  }
  int auto_col = -1;
  int auto_pos = -1;
  ValueRanges ranges;
  // The statement as SQLite runs it; a copy only once a value is rewritten.
  std::string rewritten;
  const std::string* sqlite_sql = &dml->sqlite_sql;
  // How many rows will get a generated AUTO_INCREMENT value: -1 unknown.
  long generated_rows = -1;
  // Rows of INSERT ... VALUES that give their AUTO_INCREMENT value as an
  // integer (only counted while every row's value is known).
  long explicit_rows = 0;
  // auto_increment_increment above 1: the values come from an
  // AutoIncSequence through reptut_autoinc() (WrapAutoIncrement).
  bool stepped = false;
  uint32_t increment = 1, offset = 1;
  if (is_insert && target) {
    auto_pos = AutoIncPosition(*target, *dml, &auto_col);
    // SET INSERT_ID (a replica applying an Intvar event) takes the same
    // path: the value must be used as given, even below the table's counter
    // (a duplicate key then, as in MySQL), which SQLite's own sequence
    // would not do.
    if (auto_col >= 0 && (s.Hot().auto_increment_increment > 1 || s.insert_id_for_next != 0)) {
      increment = s.Hot().auto_increment_increment;
      offset = s.Hot().auto_increment_offset;
      stepped = WrapAutoIncrement(*target, *dml, auto_col, auto_pos, &rewritten);
      if (stepped) sqlite_sql = &rewritten;
    }
    if (!stepped && auto_col >= 0 && dml->values_rows > 0 &&
        FindValueRanges(*sqlite_sql, &ranges)) {
      if (auto_pos < 0) {
        generated_rows = static_cast<long>(ranges.size());
      } else {
        generated_rows = 0;
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
          if (static_cast<size_t>(auto_pos) >= it->size()) continue;
          auto [a, b] = (*it)[auto_pos];
          std::string_view v = std::string_view(*sqlite_sql).substr(a, b - a);
          int64_t value = 0;
          AutoValue kind = ClassifyAutoValue(s, v, &value);
          if (kind == AutoValue::kZero) {
            // MySQL generates a value for 0 as for NULL; SQLite only for NULL.
            if (UserValue* lit = LiteralOf(s, v)) {
              lit->type = UserValue::Type::kNull;
            } else {
              if (sqlite_sql != &rewritten) {
                rewritten = *sqlite_sql;
                sqlite_sql = &rewritten;
              }
              rewritten.replace(a, b - a, "NULL");
            }
            kind = AutoValue::kGenerated;
          }
          if (kind == AutoValue::kGenerated) {
            ++generated_rows;
          } else if (kind == AutoValue::kExplicit && !dml->on_duplicate_update) {
            ++explicit_rows;
          } else {
            generated_rows = -1;  // values known only to SQLite: ask it below
            explicit_rows = 0;
            break;
          }
        }
        if (generated_rows < 0) {
          ranges.clear();
          sqlite_sql = &dml->sqlite_sql;
          (void)FindValueRanges(*sqlite_sql, &ranges);
        } else if (explicit_rows > 0 && generated_rows > 0) {
          ranges.clear();  // of the text before the rewriting: found again below
        }
      }
    }
  }
  if (checks && is_insert && dml->insert_select && !stepped &&
      InsertSelectChecked(*target, *dml, -1, -1, &rewritten)) {
    sqlite_sql = &rewritten;
  }
  uint64_t last_insert_id_before = s.last_insert_id;
  uint64_t affected = 0;
  uint64_t insert_id = 0;     // the first generated value: LAST_INSERT_ID, the log's INSERT_ID
  uint64_t ok_insert_id = 0;  // the OK packet's: insert_id, else the last row's own value
  // The statement on the writer connection, inside a transaction whose
  // owner undoes it alone if it fails (a savepoint).
  auto body = [&]() -> Status {
    int64_t next_auto = 0;
    std::optional<AutoIncSequence> sequence;
    if (stepped) {
      next_auto = NextAutoValue(s, db, target->name);
      sequence.emplace(static_cast<uint64_t>(next_auto), increment, offset, s.insert_id_for_next,
                       dml->values_rows);
      s.insert_id_for_next = 0;
    } else if (is_insert && auto_col >= 0) {
      if (s.insert_id_for_next) {
        SetNextAutoValue(s, db, target->name, static_cast<int64_t>(s.insert_id_for_next));
        s.insert_id_for_next = 0;
      }
      if (generated_rows < 0 || dml->on_duplicate_update || stmt.kind == K::kReplace ||
          (generated_rows > 0 && explicit_rows > 0)) {
        next_auto = NextAutoValue(s, db, target->name);
      }
    }
    storage::SqliteStmt ps;
    storage::SqliteError e =
        s.shaped ? s.Conn().PrepareCached(*sqlite_sql, &ps) : s.Conn().Prepare(*sqlite_sql, &ps);
    int rc = SQLITE_ERROR;
    // INSERT INTO t VALUES (), (): SQLite's DEFAULT VALUES is one row, run
    // once per row.
    size_t runs = 1;
    if (is_insert && dml->values_rows > 1 && dml->insert_tail_begin >= dml->insert_target_end &&
        std::string_view(dml->sqlite_sql)
                .substr(dml->insert_target_end, dml->insert_tail_begin - dml->insert_target_end) ==
            " DEFAULT VALUES") {
      runs = dml->values_rows;
    }
    uint64_t changes = 0;
    if (e.ok()) {
      BindUserVars(s, ps.get(), dml->user_vars_read);
      s.auto_inc_sequence = sequence ? &*sequence : nullptr;
      s.column_checks = checks ? &*checks : nullptr;
      for (size_t run = 0; run < runs; ++run) {
        if (run > 0) sqlite3_reset(ps.get());
        rc = ps.Step();
        while (rc == SQLITE_ROW) rc = ps.Step();
        if (rc != SQLITE_DONE) break;
        changes += static_cast<uint64_t>(s.Conn().Changes());
      }
      s.auto_inc_sequence = nullptr;
      s.column_checks = nullptr;
      if (rc != SQLITE_DONE) e = s.Conn().LastError();
    }
    // Reset now: the writer connection is no longer ours once the gate goes.
    ps = storage::SqliteStmt();
    if (!e.ok() && checks && checks->failure) return *checks->failure;
    if (!e.ok()) {
      // The value MySQL names in "Duplicate entry": from a one-row VALUES
      // (as the client wrote it, not as reptut_autoinc() wraps it).
      if (stepped) {
        sqlite_sql = &dml->sqlite_sql;
        ranges.clear();
      }
      if ((e.code == SQLITE_CONSTRAINT_UNIQUE || e.code == SQLITE_CONSTRAINT_PRIMARYKEY) &&
          ranges.empty() && dml->values_rows == 1) {
        (void)FindValueRanges(*sqlite_sql, &ranges);
      }
      if ((e.code == SQLITE_CONSTRAINT_UNIQUE || e.code == SQLITE_CONSTRAINT_PRIMARYKEY) &&
          ranges.size() == 1 && target) {
        std::string cols = e.message.substr(e.message.find(": ") + 2);
        std::string first = cols.substr(0, cols.find(", "));
        first = first.substr(first.rfind('.') + 1);
        int c = target->FindColumn(first);
        int pos = -1;
        if (c >= 0 && dml->insert_columns.empty()) pos = c;
        for (size_t i = 0; i < dml->insert_columns.size(); ++i) {
          if (sql::EqualsIgnoreCase(dml->insert_columns[i], first)) pos = static_cast<int>(i);
        }
        if (c >= 0 && c == auto_col && auto_pos < 0 && stepped && sequence &&
            sequence->first_generated()) {
          // The statement does not name the column: its value was generated.
          s.pending_dup_value = std::to_string(sequence->first_generated());
        } else if (pos >= 0 && static_cast<size_t>(pos) < ranges[0].size()) {
          std::string v = sqlite_sql->substr(ranges[0][pos].first,
                                             ranges[0][pos].second - ranges[0][pos].first);
          if (UserValue* lit = LiteralOf(s, v)) v = ValueText(*lit);
          if (stepped && pos == auto_pos && sequence && sequence->first_generated() &&
              (v == "0" || v == "'0'" || sql::EqualsIgnoreCase(v, "NULL"))) {
            v = std::to_string(sequence->first_generated());
          }
          if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
            std::string unquoted;
            for (size_t k = 1; k + 1 < v.size(); ++k) {
              unquoted += v[k];
              if (v[k] == '\'' && v[k + 1] == '\'') ++k;
            }
            v = unquoted;
          }
          s.pending_dup_value = v;
        }
      }
      if ((e.code == SQLITE_CONSTRAINT_UNIQUE || e.code == SQLITE_CONSTRAINT_PRIMARYKEY) &&
          s.pending_dup_value.empty() && target && (dml->values_rows > 1 || dml->insert_select)) {
        s.pending_dup_value = FirstDuplicateKey(s, db, *target, *dml, e.message);
      }
      return MapSqliteError(s, e, db, target.get());
    }
    affected = changes;
    s.last_row_count = static_cast<int64_t>(affected);
    if (sequence) {
      // The table keeps the counter as MySQL's InnoDB leaves it (past the
      // values reserved), for the next statement whatever its increment.
      uint64_t counter = sequence->counter();
      if (counter > static_cast<uint64_t>(next_auto) &&
          counter <= static_cast<uint64_t>(INT64_MAX)) {
        SetNextAutoValue(s, db, target->name, static_cast<int64_t>(counter));
      }
      if (affected > 0) {
        insert_id = sequence->first_generated();
        if (insert_id) {
          s.last_insert_id = insert_id;
          ok_insert_id = insert_id;
        } else if (!dml->on_duplicate_update) {
          ok_insert_id = static_cast<uint64_t>(s.Conn().LastRowId());
        }
      }
    } else if (is_insert && auto_col >= 0 && affected > 0) {
      int64_t last = s.Conn().LastRowId();
      if (explicit_rows > 0 && generated_rows == 0) {
        // Every row gave its value: LAST_INSERT_ID stays, the OK packet
        // carries the last row's (MySQL's autoinc_value_of_last_inserted_row).
        ok_insert_id = static_cast<uint64_t>(last);
      } else if (explicit_rows > 0 && generated_rows > 0) {
        // The first generated value follows the values given before it.
        int64_t next = next_auto;
        ValueRanges rows;
        if (FindValueRanges(*sqlite_sql, &rows)) {
          for (const auto& row : rows) {
            if (static_cast<size_t>(auto_pos) >= row.size()) continue;
            auto [a, b] = row[auto_pos];
            int64_t value = 0;
            AutoValue kind =
                ClassifyAutoValue(s, std::string_view(*sqlite_sql).substr(a, b - a), &value);
            if (kind == AutoValue::kExplicit) {
              if (value >= next) next = value + 1;
            } else {
              insert_id = static_cast<uint64_t>(next);
              break;
            }
          }
        }
      } else if (next_auto == 0 && generated_rows > 0) {
        // One writer at a time: the generated values are consecutive.
        insert_id = static_cast<uint64_t>(last - generated_rows + 1);
      } else if (next_auto > 0 && last >= next_auto) {
        insert_id = static_cast<uint64_t>(next_auto);
      }
      if (insert_id) {
        s.last_insert_id = insert_id;
        ok_insert_id = insert_id;
      }
    }
    StatementLog log;
    log.db = db;
    if (insert_id) log.insert_id = insert_id;
    if (dml->uses_last_insert_id) log.last_insert_id = last_insert_id_before;
    log.user_vars = &dml->user_vars_read;
    vars_before.Log(x.text, log);
    return Status::Ok();
  };
  Status done;
  if (InTxnMode(s)) {
    done = TakeGate(s, RowChangeTimeout(s));
    if (done.ok()) done = BeginWrite(s);
    if (done.ok()) {
      s.explicit_txn = s.explicit_txn || !s.autocommit;
      s.Conn().ExecCached("SAVEPOINT reptut_stmt");
      {
        // The first write of the transaction may be stopped: the rollback
        // SQLite does then loses nothing else (interrupts.h).
        WriteMayStop may(s.Ec(), !s.txn_wrote);
        done = body();
      }
      if (s.sqlite_txn && !s.Conn().InTransaction()) {
        s.sqlite_txn = false;  // stopped: SQLite rolled the transaction back
        s.server->writer_txn_open = false;
      } else {
        if (!done.ok()) s.Conn().ExecCached("ROLLBACK TO reptut_stmt");
        s.Conn().ExecCached("RELEASE reptut_stmt");
        if (done.ok()) s.txn_wrote = true;
      }
    }
  } else {
    std::vector<std::string> dbs;
    for (const sql::TableName& t : dml->tables) {
      Result<std::string> d = DbOf(s, t);
      if (d.ok() && std::find(dbs.begin(), dbs.end(), *d) == dbs.end()) dbs.push_back(*d);
    }
    // (A reference: the closure is too big for std::function to hold inline.)
    done = RunAutocommitWrite(s, dbs, std::function<Status()>(std::ref(body)));
  }
  if (!done.ok()) return x.Fail(done.error());
  std::string info;
  if (is_insert && (dml->values_rows > 1 || dml->insert_select)) {
    info = "Records: " + std::to_string(affected) +
           "  Duplicates: 0  Warnings: " + std::to_string(s.pending_warnings.size());
  } else if (stmt.kind == K::kUpdate) {
    info = "Rows matched: " + std::to_string(affected) + "  Changed: " + std::to_string(affected) +
           "  Warnings: " + std::to_string(s.pending_warnings.size());
  }
  x.Ok(affected, ok_insert_id, info);
}

}  // namespace

int64_t NextAutoIncrementValue(SessionState& s, const std::string& db, const std::string& table) {
  return NextAutoValue(s, db, table);
}

bool DescribeTableColumn(SessionState& s, sqlite3_stmt* st, int i, ColumnInfo* c,
                         Catalog::DefPtr* table, const sql::ColumnDef** column) {
  c->name = sqlite3_column_name(st, i) ? sqlite3_column_name(st, i) : "";
  const char* db = sqlite3_column_database_name(st, i);
  const char* tname = sqlite3_column_table_name(st, i);
  const char* origin = sqlite3_column_origin_name(st, i);
  if (!db || !tname || !origin) return false;
  if (std::strcmp(db, "main") == 0 || std::strcmp(db, "temp") == 0) {
    // information_schema (main holds nothing else)
    c->schema = std::string(kInformationSchema);
    c->table = c->org_table = std::string(InformationSchemaTableOf(tname));
    c->org_name = origin;
    return false;
  }
  Result<Catalog::DefPtr> def = s.server->catalog.Get(s.Conn(), db, tname);
  if (!def.ok() || !*def) return false;
  int idx = (*def)->FindColumn(origin);
  if (idx < 0) return false;
  sql::ColumnMeta m = sql::ColumnMetadata(**def, idx, (*def)->charset);
  c->schema = db;
  c->table = c->org_table = tname;
  c->org_name = (*def)->columns[idx].name;
  c->type = m.type;
  c->flags = m.flags;
  c->length = m.length;
  c->decimals = m.decimals;
  c->charset = m.charsetnr;
  if (column) *column = &(*def)->columns[idx];
  if (table) *table = *def;
  return true;
}

void ExecDml(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const sql::DmlInfo& dml = st.dml;
  // Every table must exist and be allowed.
  for (const sql::TableName& t : dml.tables) {
    Result<std::string> db = DbOf(s, t);
    if (!db.ok()) return x.Fail(db.error());
    if (IsInformationSchema(*db)) {
      // Everyone reads it (the rows are what the user may see); nobody writes it.
      if (dml.target && *dml.target == t) {
        return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR,
                                {s.user, s.client_host, std::string(kInformationSchema)}));
      }
      Status known = CheckInformationSchemaTable(t.name);
      if (!known.ok()) return x.Fail(known.error());
      continue;
    }
    Result<Catalog::DefPtr> def = ResolveTable(s, t);
    if (!def.ok()) return x.Fail(def.error());
    bool is_target = dml.target && *dml.target == t;
    PrivSet need = sql::kPrivSelect;
    std::string_view cmd = "SELECT";
    if (is_target) {
      switch (st.kind) {
        case K::kInsert:
          need = sql::kPrivInsert;
          cmd = "INSERT";
          break;
        case K::kReplace:
          need = sql::kPrivInsert | sql::kPrivDelete;
          cmd = "INSERT";
          break;
        case K::kUpdate:
          need = sql::kPrivUpdate;
          cmd = "UPDATE";
          break;
        case K::kDelete:
          need = sql::kPrivDelete;
          cmd = "DELETE";
          break;
        default:
          break;
      }
    }
    Status p = CheckTablePriv(s, *db, t.name, need, cmd);
    if (!p.ok()) return x.Fail(p.error());
  }
  Status locked = CheckTableLocks(s, st);
  if (!locked.ok()) return x.Fail(locked.error());
  if (st.kind == K::kSelect && dml.for_update) return RunLockingSelect(x, dml);
  if (st.kind == K::kSelect || st.kind == K::kDo) {
    SeeCommitted(s);
    Status b = BeginRead(s);
    if (!b.ok()) return x.Fail(b.error());
    return RunSelect(x, dml, st.kind == K::kDo);
  }
  if (s.Hot().read_only && !Accounts::HasGlobal(s.account, sql::kPrivSuper)) {
    return x.Fail(MakeError(ER_OPTION_PREVENTS_STATEMENT, {"--read-only"}));
  }
  RunWrite(x, st);
}

}  // namespace reptut::engine
