// TableDef -> SQLite CREATE TABLE / CREATE INDEX.
#include <cstdlib>

#include "common/errors.h"
#include "sql/lexer.h"
#include "sql/table_def.h"

namespace reptut::sql {

namespace {

std::string Q(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

std::string SqlString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

bool IsIntegerType(std::string_view t) {
  return t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint";
}

std::string Affinity(const ColumnDef& c) {
  const std::string& t = c.type;
  if (IsIntegerType(t) || t == "bit" || t == "year") return "INTEGER";
  if (t == "decimal") return "NUMERIC";
  if (t == "float" || t == "double") return "REAL";
  if (t == "binary" || t == "varbinary" || t == "tinyblob" || t == "blob" || t == "mediumblob" ||
      t == "longblob")
    return "BLOB";
  return "TEXT";
}

bool IsCaseInsensitiveText(const ColumnDef& c, const TableDef& def) {
  const std::string& t = c.type;
  bool text = t == "char" || t == "varchar" || t == "tinytext" || t == "text" ||
              t == "mediumtext" || t == "longtext" || t == "enum" || t == "set";
  if (!text) return false;
  std::string coll = c.collation;
  if (coll.empty() && c.charset.empty()) coll = def.collation;
  if (coll.empty()) return c.charset != "binary";
  return !(coll == "binary" || (coll.size() > 4 && coll.compare(coll.size() - 4, 4, "_bin") == 0));
}

std::string DefaultSql(const ColumnDef& c) {
  switch (c.default_kind) {
    case ColumnDef::Default::kNone:
      return "";
    case ColumnDef::Default::kNull:
      return " DEFAULT NULL";
    case ColumnDef::Default::kCurrentTimestamp:
      return c.default_fsp ? " DEFAULT (NOW(" + std::to_string(*c.default_fsp) + "))"
                           : " DEFAULT (NOW())";
    case ColumnDef::Default::kLiteral:
      break;
  }
  const std::string& t = c.type;
  const std::string& v = c.default_value;
  if (t == "bit") {
    // b'101'
    uint64_t n = 0;
    for (char ch : v)
      if (ch == '0' || ch == '1') n = (n << 1) | static_cast<uint64_t>(ch - '0');
    return " DEFAULT " + std::to_string(n);
  }
  if (IsIntegerType(t) || t == "decimal" || t == "float" || t == "double" || t == "year") {
    char* end = nullptr;
    std::strtod(v.c_str(), &end);
    if (!v.empty() && end && *end == '\0') {
      if (v[0] == '-') return " DEFAULT (" + v + ")";
      return " DEFAULT " + v;
    }
  }
  return " DEFAULT " + SqlString(v);
}

}  // namespace

std::string SqliteIndexName(std::string_view sqlite_table_name, std::string_view index_name) {
  return std::string(sqlite_table_name) + "__" + std::string(index_name);
}

Result<SqliteDdl> ToSqliteDdl(const TableDef& def, std::string_view sqlite_table_name,
                              std::string_view sqlite_schema) {
  SqliteDdl out;
  std::string prefix = sqlite_schema.empty() ? "" : Q(sqlite_schema) + ".";
  const IndexDef* pk = nullptr;
  for (const auto& idx : def.indexes)
    if (idx.kind == IndexDef::Kind::kPrimary) pk = &idx;
  std::string sql = std::string("CREATE ") + (def.temporary ? "TEMP " : "") + "TABLE " + prefix +
                    Q(sqlite_table_name) + " (";
  bool rowid_pk = false;
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const ColumnDef& c = def.columns[i];
    if (i) sql += ", ";
    sql += Q(c.name) + " " + Affinity(c);
    if (c.auto_increment) {
      if (!pk || pk->parts.size() != 1 || !EqualsIgnoreCase(pk->parts[0].column, c.name)) {
        return MakeError(ER_NOT_SUPPORTED_YET,
                         {"AUTO_INCREMENT on a column that is not the single-column PRIMARY KEY"});
      }
      if (!IsIntegerType(c.type)) {
        return MakeError(ER_NOT_SUPPORTED_YET, {"AUTO_INCREMENT on a non-integer column"});
      }
      sql += " PRIMARY KEY AUTOINCREMENT";
      rowid_pk = true;
    }
    if (c.not_null) sql += " NOT NULL";
    if (!c.auto_increment) sql += DefaultSql(c);
    if (IsCaseInsensitiveText(c, def)) sql += " COLLATE NOCASE";
    if (c.default_kind == ColumnDef::Default::kCurrentTimestamp) {
      out.now_default_columns.push_back(c.name);
    }
    if (c.on_update_current_timestamp) out.on_update_now_columns.push_back(c.name);
    if (c.type == "char") out.char_columns.push_back(c.name);
  }
  if (pk && !rowid_pk) {
    sql += ", PRIMARY KEY (";
    for (size_t i = 0; i < pk->parts.size(); ++i) {
      if (i) sql += ", ";
      sql += Q(pk->parts[i].column);
    }
    sql += ")";
  }
  sql += ")";
  out.statements.push_back(std::move(sql));
  for (const auto& idx : def.indexes) {
    if (idx.kind == IndexDef::Kind::kPrimary) continue;
    std::string s = idx.kind == IndexDef::Kind::kUnique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    s += prefix + Q(SqliteIndexName(sqlite_table_name, idx.name)) + " ON " + Q(sqlite_table_name) +
         " (";
    for (size_t i = 0; i < idx.parts.size(); ++i) {
      if (i) s += ", ";
      s += Q(idx.parts[i].column);
    }
    s += ")";
    out.statements.push_back(std::move(s));
  }
  return out;
}

Result<SqliteDdl> ToSqliteDdl(const TableDef& def, std::string_view sqlite_table_name) {
  return ToSqliteDdl(def, sqlite_table_name, "");
}

Result<SqliteDdl> ToSqliteDdl(const TableDef& def) {
  return ToSqliteDdl(def, def.name, "");
}

}  // namespace reptut::sql
