// TableDef helpers: charsets, column type text, SHOW CREATE TABLE, column
// metadata, DESCRIBE and SHOW INDEX rows, value coercion.
#include "sql/table_def.h"
#include "common/sql_text.h"

#include <cstdlib>

#include "common/errors.h"
#include "sql/lexer.h"

namespace reptut::sql {

namespace {

struct CollationInfo {
  const char* name;
  const char* charset;
  uint16_t id;
  bool primary;
};

const CollationInfo kCollations[] = {
    {"latin1_swedish_ci", "latin1", 8, true},
    {"latin1_bin", "latin1", 47, false},
    {"latin1_general_ci", "latin1", 48, false},
    {"latin1_general_cs", "latin1", 49, false},
    {"utf8_general_ci", "utf8", 33, true},
    {"utf8_bin", "utf8", 83, false},
    {"utf8_unicode_ci", "utf8", 192, false},
    {"utf8mb4_general_ci", "utf8mb4", 45, true},
    {"utf8mb4_bin", "utf8mb4", 46, false},
    {"utf8mb4_unicode_ci", "utf8mb4", 224, false},
    {"binary", "binary", 63, true},
    {"ascii_general_ci", "ascii", 11, true},
    {"ascii_bin", "ascii", 65, false},
    {"ucs2_general_ci", "ucs2", 35, true},
    {"utf16_general_ci", "utf16", 54, true},
    {"utf32_general_ci", "utf32", 60, true},
    {"cp1251_general_ci", "cp1251", 51, true},
    {"cp1252_general_ci", "cp1252", 8, false},
    {"latin2_general_ci", "latin2", 9, true},
    {"greek_general_ci", "greek", 25, true},
    {"hebrew_general_ci", "hebrew", 16, true},
    {"koi8r_general_ci", "koi8r", 7, true},
    {"gbk_chinese_ci", "gbk", 28, true},
    {"big5_chinese_ci", "big5", 1, true},
    {"sjis_japanese_ci", "sjis", 13, true},
    {"ujis_japanese_ci", "ujis", 12, true},
    {"euckr_korean_ci", "euckr", 19, true},
};

std::string NormalizeCollation(std::string_view c) {
  std::string l = ToLower(c);
  if (l.rfind("utf8mb3_", 0) == 0) l = "utf8_" + l.substr(8);
  return l;
}

bool IsIntegerType(std::string_view t) {
  return t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint";
}
bool IsTextType(std::string_view t) {
  return t == "char" || t == "varchar" || t == "tinytext" || t == "text" || t == "mediumtext" ||
         t == "longtext" || t == "enum" || t == "set";
}
bool IsBlobLike(std::string_view t) {
  return t == "tinytext" || t == "text" || t == "mediumtext" || t == "longtext" ||
         t == "tinyblob" || t == "blob" || t == "mediumblob" || t == "longblob";
}
bool IsBinaryStringType(std::string_view t) {
  return t == "binary" || t == "varbinary" || t == "tinyblob" || t == "blob" || t == "mediumblob" ||
         t == "longblob";
}

std::string Quote(std::string_view text) {
  return QuoteMysqlString(text);
}

std::string Backtick(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

std::string EffectiveCharset(const ColumnDef& c, std::string_view table_cs) {
  if (!c.charset.empty()) return c.charset;
  if (!c.collation.empty()) {
    std::string cs = CharsetOfCollation(c.collation);
    if (!cs.empty()) return cs;
  }
  return table_cs.empty() ? "latin1" : std::string(table_cs);
}

std::string EffectiveCollation(const ColumnDef& c, const TableDef& def) {
  if (!c.collation.empty()) return c.collation;
  std::string table_cs = def.charset.empty() ? "latin1" : def.charset;
  std::string cs = EffectiveCharset(c, table_cs);
  if (cs == table_cs && !def.collation.empty()) return def.collation;
  return DefaultCollationFor(cs);
}

// Index of the key InnoDB treats as primary: PRIMARY, else the first
// UNIQUE key whose columns are all NOT NULL (without prefixes).
int PrimaryIndex(const TableDef& def) {
  for (size_t i = 0; i < def.indexes.size(); ++i)
    if (def.indexes[i].kind == IndexDef::Kind::kPrimary) return static_cast<int>(i);
  for (size_t i = 0; i < def.indexes.size(); ++i) {
    const auto& idx = def.indexes[i];
    if (idx.kind != IndexDef::Kind::kUnique) continue;
    bool ok = true;
    for (const auto& p : idx.parts) {
      int c = def.FindColumn(p.column);
      if (c < 0 || !def.columns[static_cast<size_t>(c)].not_null || p.prefix_length) ok = false;
    }
    if (ok) return static_cast<int>(i);
  }
  return -1;
}

uint16_t KeyFlags(const TableDef& def, const ColumnDef& c) {
  uint16_t flags = 0;
  int pk = PrimaryIndex(def);
  for (size_t i = 0; i < def.indexes.size(); ++i) {
    const auto& idx = def.indexes[i];
    for (size_t k = 0; k < idx.parts.size(); ++k) {
      if (!EqualsIgnoreCase(idx.parts[k].column, c.name)) continue;
      if (static_cast<int>(i) == pk) {
        flags |= mysql::kPriKeyFlag;
      } else if (k == 0) {
        bool unique = idx.kind == IndexDef::Kind::kUnique || idx.kind == IndexDef::Kind::kPrimary;
        flags |=
            (unique && idx.parts.size() == 1) ? mysql::kUniqueKeyFlag : mysql::kMultipleKeyFlag;
      }
    }
  }
  return flags;
}

}  // namespace

int TableDef::FindColumn(std::string_view n) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (EqualsIgnoreCase(columns[i].name, n)) return static_cast<int>(i);
  return -1;
}

int TableDef::FindIndex(std::string_view n) const {
  for (size_t i = 0; i < indexes.size(); ++i)
    if (EqualsIgnoreCase(indexes[i].name, n)) return static_cast<int>(i);
  return -1;
}

std::string NormalizeCharset(std::string_view charset) {
  std::string l = ToLower(charset);
  if (l == "utf8mb3") return "utf8";
  return l;
}

std::string DefaultCollationFor(std::string_view charset) {
  std::string cs = NormalizeCharset(charset);
  for (const auto& c : kCollations)
    if (c.primary && cs == c.charset) return c.name;
  return "";
}

std::string CharsetOfCollation(std::string_view collation) {
  std::string co = NormalizeCollation(collation);
  for (const auto& c : kCollations)
    if (co == c.name) return c.charset;
  size_t u = co.find('_');
  if (u != std::string::npos) return co.substr(0, u);
  return "";
}

uint16_t CollationId(std::string_view collation) {
  std::string co = NormalizeCollation(collation);
  for (const auto& c : kCollations)
    if (co == c.name) return c.id;
  return 0;
}

uint32_t MaxBytesPerChar(std::string_view charset) {
  std::string cs = NormalizeCharset(charset);
  if (cs == "utf8") return 3;
  if (cs == "utf8mb4" || cs == "utf16" || cs == "utf32") return 4;
  if (cs == "ucs2") return 2;
  if (cs == "gbk" || cs == "big5" || cs == "sjis" || cs == "euckr") return 2;
  if (cs == "ujis") return 3;
  return 1;
}

std::string ColumnTypeText(const ColumnDef& c) {
  std::string out = c.type;
  const std::string& t = c.type;
  if (IsIntegerType(t)) {
    uint32_t def = t == "tinyint"     ? 4
                   : t == "smallint"  ? 6
                   : t == "mediumint" ? 9
                   : t == "int"       ? 11
                                      : 20;
    if (c.is_unsigned && t != "bigint") def -= 1;
    out += "(" + std::to_string(c.length.value_or(def)) + ")";
  } else if (t == "decimal") {
    out += "(" + std::to_string(c.length.value_or(10)) + "," + std::to_string(c.scale.value_or(0)) +
           ")";
  } else if (t == "float" || t == "double") {
    if (c.length && c.scale) {
      out += "(" + std::to_string(*c.length) + "," + std::to_string(*c.scale) + ")";
    }
  } else if (t == "bit" || t == "char" || t == "binary") {
    out += "(" + std::to_string(c.length.value_or(1)) + ")";
  } else if (t == "varchar" || t == "varbinary") {
    out += "(" + std::to_string(c.length.value_or(0)) + ")";
  } else if (t == "enum" || t == "set") {
    out += "(";
    for (size_t i = 0; i < c.values.size(); ++i) {
      if (i) out += ",";
      out += Quote(c.values[i]);
    }
    out += ")";
  } else if (t == "time" || t == "datetime" || t == "timestamp") {
    if (c.length && *c.length > 0) out += "(" + std::to_string(*c.length) + ")";
  } else if (t == "year") {
    out += "(" + std::to_string(c.length.value_or(4)) + ")";
  }
  if (c.is_unsigned && (IsIntegerType(t) || t == "decimal" || t == "float" || t == "double")) {
    out += " unsigned";
  }
  if (c.zerofill) out += " zerofill";
  return out;
}

std::string ToShowCreate(const TableDef& def) {
  std::string table_cs = def.charset.empty() ? "latin1" : def.charset;
  std::string table_coll = def.collation.empty() ? DefaultCollationFor(table_cs) : def.collation;
  std::string out = def.temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ";
  out += Backtick(def.name) + " (\n";
  std::vector<std::string> lines;
  for (const auto& c : def.columns) {
    std::string line = "  " + Backtick(c.name) + " " + ColumnTypeText(c);
    if (IsTextType(c.type)) {
      std::string coll = EffectiveCollation(c, def);
      std::string cs = CharsetOfCollation(coll);
      if (coll != table_coll) line += " CHARACTER SET " + cs;
      if (coll != DefaultCollationFor(cs)) line += " COLLATE " + coll;
    }
    if (c.not_null) {
      line += " NOT NULL";
    } else if (c.type == "timestamp") {
      line += " NULL";
    }
    bool blob = IsBlobLike(c.type);
    if (!blob && !c.auto_increment) {
      switch (c.default_kind) {
        case ColumnDef::Default::kNone:
        case ColumnDef::Default::kNull:
          if (!c.not_null) line += " DEFAULT NULL";
          break;
        case ColumnDef::Default::kLiteral:
          if (c.type == "bit") {
            line += " DEFAULT " + c.default_value;
          } else {
            line += " DEFAULT " + Quote(c.default_value);
          }
          break;
        case ColumnDef::Default::kCurrentTimestamp:
          line += " DEFAULT CURRENT_TIMESTAMP";
          if (c.default_fsp) line += "(" + std::to_string(*c.default_fsp) + ")";
          break;
      }
    }
    if (c.on_update_current_timestamp) {
      line += " ON UPDATE CURRENT_TIMESTAMP";
      if (c.on_update_fsp) line += "(" + std::to_string(*c.on_update_fsp) + ")";
    }
    if (c.auto_increment) line += " AUTO_INCREMENT";
    if (!c.comment.empty()) line += " COMMENT " + Quote(c.comment);
    lines.push_back(std::move(line));
  }
  for (const auto& idx : def.indexes) {
    std::string line = "  ";
    switch (idx.kind) {
      case IndexDef::Kind::kPrimary:
        line += "PRIMARY KEY ";
        break;
      case IndexDef::Kind::kUnique:
        line += "UNIQUE KEY " + Backtick(idx.name) + " ";
        break;
      case IndexDef::Kind::kKey:
        line += "KEY " + Backtick(idx.name) + " ";
        break;
      case IndexDef::Kind::kFulltext:
        line += "FULLTEXT KEY " + Backtick(idx.name) + " ";
        break;
    }
    line += "(";
    for (size_t i = 0; i < idx.parts.size(); ++i) {
      if (i) line += ",";
      line += Backtick(idx.parts[i].column);
      if (idx.parts[i].prefix_length)
        line += "(" + std::to_string(*idx.parts[i].prefix_length) + ")";
    }
    line += ")";
    if (!idx.comment.empty()) line += " COMMENT " + Quote(idx.comment);
    lines.push_back(std::move(line));
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size()) out += ",";
    out += "\n";
  }
  out += ") ENGINE=" + def.engine;
  if (def.auto_increment && *def.auto_increment > 1) {
    out += " AUTO_INCREMENT=" + std::to_string(*def.auto_increment);
  }
  out += " DEFAULT CHARSET=" + table_cs;
  if (table_coll != DefaultCollationFor(table_cs)) out += " COLLATE=" + table_coll;
  if (!def.row_format.empty()) out += " ROW_FORMAT=" + def.row_format;
  if (!def.comment.empty()) out += " COMMENT=" + Quote(def.comment);
  return out;
}

ColumnMeta ColumnMetadata(const TableDef& def, size_t index, std::string_view table_charset) {
  ColumnMeta m;
  const ColumnDef& c = def.columns[index];
  const std::string& t = c.type;
  std::string tcs = def.charset.empty() ? std::string(table_charset) : def.charset;
  uint32_t mb = 1;
  m.charsetnr = mysql::kBinary;
  if (IsTextType(t)) {
    std::string cs = EffectiveCharset(c, tcs);
    mb = MaxBytesPerChar(cs);
    std::string coll =
        c.collation.empty()
            ? (cs == tcs && !def.collation.empty() ? def.collation : DefaultCollationFor(cs))
            : c.collation;
    m.charsetnr = CollationId(coll);
    if (coll.size() > 4 && coll.compare(coll.size() - 4, 4, "_bin") == 0) {
      m.flags |= mysql::kBinaryFlag;
    }
  }
  if (c.not_null) m.flags |= mysql::kNotNullFlag;
  m.flags |= KeyFlags(def, c);
  if (c.is_unsigned) m.flags |= mysql::kUnsignedFlag;
  if (c.zerofill) m.flags |= mysql::kZerofillFlag;
  if (c.auto_increment) m.flags |= mysql::kAutoIncrementFlag;
  if (c.not_null && c.default_kind == ColumnDef::Default::kNone && !c.auto_increment) {
    m.flags |= mysql::kNoDefaultValueFlag;
  }
  if (IsIntegerType(t)) {
    m.type = t == "tinyint"     ? mysql::kTypeTiny
             : t == "smallint"  ? mysql::kTypeShort
             : t == "mediumint" ? mysql::kTypeInt24
             : t == "int"       ? mysql::kTypeLong
                                : mysql::kTypeLongLong;
    m.length = c.length.value_or(11);
    m.flags |= mysql::kNumFlag;
  } else if (t == "decimal") {
    m.type = mysql::kTypeNewDecimal;
    uint32_t p = c.length.value_or(10), s = c.scale.value_or(0);
    m.length = p + (s > 0 ? 1 : 0) + (c.is_unsigned ? 0 : 1);
    m.decimals = static_cast<uint8_t>(s);
    m.flags |= mysql::kNumFlag;
  } else if (t == "float" || t == "double") {
    m.type = t == "float" ? mysql::kTypeFloat : mysql::kTypeDouble;
    if (c.length && c.scale) {
      m.length = *c.length;
      m.decimals = static_cast<uint8_t>(*c.scale);
    } else {
      m.length = t == "float" ? 12 : 22;
      m.decimals = 31;
    }
    m.flags |= mysql::kNumFlag;
  } else if (t == "bit") {
    m.type = mysql::kTypeBit;
    m.length = c.length.value_or(1);
    m.flags |= mysql::kUnsignedFlag;
  } else if (t == "char" || t == "binary") {
    m.type = mysql::kTypeString;
    m.length = c.length.value_or(1) * mb;
    if (t == "binary") m.flags |= mysql::kBinaryFlag;
  } else if (t == "varchar" || t == "varbinary") {
    m.type = mysql::kTypeVarString;
    m.length = c.length.value_or(0) * mb;
    if (t == "varbinary") m.flags |= mysql::kBinaryFlag;
  } else if (IsBlobLike(t)) {
    m.type = mysql::kTypeBlob;
    uint64_t len = (t == "tinytext" || t == "tinyblob")       ? 255
                   : (t == "text" || t == "blob")             ? 65535
                   : (t == "mediumtext" || t == "mediumblob") ? 16777215
                                                              : 4294967295ull;
    len *= mb;
    if (len > 4294967295ull) len = 4294967295ull;
    m.length = static_cast<uint32_t>(len);
    m.flags |= mysql::kBlobFlag;
    if (IsBinaryStringType(t)) m.flags |= mysql::kBinaryFlag;
  } else if (t == "enum" || t == "set") {
    m.type = mysql::kTypeString;
    uint32_t len = 0;
    for (const auto& v : c.values) {
      if (t == "enum") {
        len = std::max<uint32_t>(len, static_cast<uint32_t>(v.size()));
      } else {
        len += static_cast<uint32_t>(v.size());
      }
    }
    if (t == "set" && !c.values.empty()) len += static_cast<uint32_t>(c.values.size() - 1);
    m.length = len * mb;
    m.flags |= t == "enum" ? mysql::kEnumFlag : mysql::kSetFlag;
  } else if (t == "date") {
    m.type = mysql::kTypeDate;
    m.length = 10;
    m.flags |= mysql::kBinaryFlag;
  } else if (t == "time" || t == "datetime" || t == "timestamp") {
    m.type = t == "time"       ? mysql::kTypeTime
             : t == "datetime" ? mysql::kTypeDateTime
                               : mysql::kTypeTimestamp;
    uint32_t fsp = c.length.value_or(0);
    m.length = (t == "time" ? 10 : 19) + (fsp ? fsp + 1 : 0);
    m.decimals = static_cast<uint8_t>(fsp);
    m.flags |= mysql::kBinaryFlag;
    if (t == "timestamp") m.flags |= mysql::kTimestampFlag;
    if (c.on_update_current_timestamp) m.flags |= mysql::kOnUpdateNowFlag;
  } else if (t == "year") {
    m.type = mysql::kTypeYear;
    m.length = 4;
    m.flags |= mysql::kUnsignedFlag | mysql::kZerofillFlag | mysql::kNumFlag;
  }
  return m;
}

std::vector<DescribeRow> DescribeRows(const TableDef& def, std::string_view table_charset) {
  std::vector<DescribeRow> rows;
  TableDef copy;
  const TableDef* d = &def;
  if (def.charset.empty()) {
    copy = def;
    copy.charset = std::string(table_charset);
    d = &copy;
  }
  for (size_t i = 0; i < d->columns.size(); ++i) {
    const ColumnDef& c = d->columns[i];
    DescribeRow r;
    r.field = c.name;
    r.type = ColumnTypeText(c);
    if (IsTextType(c.type)) r.collation = EffectiveCollation(c, *d);
    r.null = c.not_null ? "NO" : "YES";
    uint16_t f = KeyFlags(*d, c);
    r.key = (f & mysql::kPriKeyFlag)        ? "PRI"
            : (f & mysql::kUniqueKeyFlag)   ? "UNI"
            : (f & mysql::kMultipleKeyFlag) ? "MUL"
                                            : "";
    switch (c.default_kind) {
      case ColumnDef::Default::kLiteral:
        r.default_value = c.default_value;
        break;
      case ColumnDef::Default::kCurrentTimestamp:
        r.default_value = "CURRENT_TIMESTAMP";
        if (c.default_fsp) *r.default_value += "(" + std::to_string(*c.default_fsp) + ")";
        break;
      default:
        break;
    }
    if (c.auto_increment) r.extra = "auto_increment";
    if (c.on_update_current_timestamp) {
      r.extra = "on update CURRENT_TIMESTAMP";
      if (c.on_update_fsp) r.extra += "(" + std::to_string(*c.on_update_fsp) + ")";
    }
    r.comment = c.comment;
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<ShowIndexRow> ShowIndexRows(const TableDef& def) {
  std::vector<ShowIndexRow> rows;
  for (const auto& idx : def.indexes) {
    int seq = 1;
    for (const auto& p : idx.parts) {
      ShowIndexRow r;
      r.table = def.name;
      r.non_unique =
          (idx.kind == IndexDef::Kind::kPrimary || idx.kind == IndexDef::Kind::kUnique) ? 0 : 1;
      r.key_name = idx.name;
      r.seq_in_index = seq++;
      int c = def.FindColumn(p.column);
      r.column_name = c >= 0 ? def.columns[static_cast<size_t>(c)].name : p.column;
      r.sub_part = p.prefix_length;
      r.null = (c >= 0 && !def.columns[static_cast<size_t>(c)].not_null) ? "YES" : "";
      if (idx.kind == IndexDef::Kind::kFulltext) {
        r.collation.clear();
        r.index_type = "FULLTEXT";
      }
      r.index_comment = idx.comment;
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

}  // namespace reptut::sql
