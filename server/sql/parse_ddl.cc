// CREATE / DROP / ALTER / RENAME for databases, tables and indexes.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sql/parser_internal.h"
#include "sql/table_ops.h"

namespace reptut::sql::internal {

namespace {

bool IsIntegerType(std::string_view t) {
  return t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint";
}

bool IsTextLike(std::string_view t) {
  return t == "char" || t == "varchar" || t == "tinytext" || t == "text" || t == "mediumtext" ||
         t == "longtext" || t == "enum" || t == "set";
}

std::string EngineName(std::string_view e) {
  std::string l = ToLower(e);
  if (l == "innodb") return "InnoDB";
  if (l == "myisam") return "MyISAM";
  if (l == "memory" || l == "heap") return "MEMORY";
  if (l == "csv") return "CSV";
  if (l == "archive") return "ARCHIVE";
  if (l == "blackhole") return "BLACKHOLE";
  if (l == "mrg_myisam" || l == "merge") return "MRG_MYISAM";
  return "InnoDB";
}

// Formats a numeric default for the column's type as MySQL stores it.
bool NormalizeNumericDefault(const ColumnDef& c, const std::string& text, std::string* out) {
  char* end = nullptr;
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(trimmed.begin());
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
  if (trimmed.empty()) return false;
  double v = std::strtod(trimmed.c_str(), &end);
  if (end == nullptr || *end != '\0') return false;
  if (IsIntegerType(c.type) || c.type == "year") {
    long double r = std::llround(static_cast<double>(v));
    if (c.is_unsigned && r < 0) return false;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(r));
    // Keep big integers exactly as written.
    bool plain = true;
    for (size_t i = 0; i < trimmed.size(); ++i)
      if (!(std::isdigit(static_cast<unsigned char>(trimmed[i])) || (i == 0 && trimmed[i] == '-')))
        plain = false;
    *out = plain ? (trimmed == "-0" ? "0" : trimmed) : buf;
    if (plain) {
      // strip leading zeros
      std::string s = *out;
      bool neg = !s.empty() && s[0] == '-';
      std::string digits = neg ? s.substr(1) : s;
      size_t nz = digits.find_first_not_of('0');
      digits = nz == std::string::npos ? "0" : digits.substr(nz);
      *out = (neg && digits != "0" ? "-" : "") + digits;
    }
    return true;
  }
  if (c.type == "decimal") {
    uint32_t scale = c.scale.value_or(0);
    char buf[128];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(scale), v);
    *out = buf;
    return true;
  }
  // float / double: keep the shortest form.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  *out = buf;
  return true;
}

}  // namespace

void Parser::SkipParenthesized() {
  ExpectOp("(");
  int depth = 1;
  while (depth > 0) {
    const Token& t = Cur();
    if (t.kind == TokenKind::kEnd) Fail();
    if (t.IsOp("(")) ++depth;
    if (t.IsOp(")")) --depth;
    Advance();
  }
}

void Parser::ParseCharsetName(std::string* out) {
  AcceptOp("=");
  if (Accept("DEFAULT")) {
    *out = "";
    return;
  }
  if (Accept("BINARY")) {
    *out = "binary";
    return;
  }
  *out = ToLower(IdentOrString());
}

void Parser::ParseCreate(Statement& st) {
  Expect("CREATE");
  if (Accept("TEMPORARY")) {
    Expect("TABLE");
    ParseCreateTable(st, true);
    return;
  }
  if (Accept("TABLE")) {
    ParseCreateTable(st, false);
    return;
  }
  if (Accept("DATABASE") || Accept("SCHEMA")) {
    ParseCreateDatabase(st);
    return;
  }
  if (Accept("UNIQUE")) {
    Expect("INDEX");
    ParseCreateIndex(st, IndexDef::Kind::kUnique);
    return;
  }
  if (Accept("FULLTEXT")) {
    Expect("INDEX");
    ParseCreateIndex(st, IndexDef::Kind::kFulltext);
    return;
  }
  if (Accept("INDEX")) {
    ParseCreateIndex(st, IndexDef::Kind::kKey);
    return;
  }
  if (Accept("USER")) {
    ParseCreateUser(st);
    return;
  }
  if (MaybeCreateTrigger(st)) return;
  if (Cur().Is("SPATIAL")) Unsupported("SPATIAL indexes");
  if (Cur().Is("VIEW") || Cur().Is("OR") || Cur().Is("ALGORITHM") || Cur().Is("DEFINER") ||
      Cur().Is("SQL")) {
    Unsupported("CREATE VIEW");
  }
  if (Cur().Is("PROCEDURE") || Cur().Is("FUNCTION") || Cur().Is("TRIGGER") || Cur().Is("EVENT") ||
      Cur().Is("SERVER") || Cur().Is("TABLESPACE") || Cur().Is("LOGFILE") ||
      Cur().Is("AGGREGATE") || Cur().Is("ROLE")) {
    Unsupported("CREATE " + ToUpper(Cur().text));
  }
  Fail();
}

void Parser::ParseCreateDatabase(Statement& st) {
  st.kind = StatementKind::kCreateDatabase;
  if (AcceptSeq({"IF", "NOT", "EXISTS"})) st.db.if_not_exists = true;
  st.db.name = Ident();
  while (!AtEnd()) {
    Accept("DEFAULT");
    if (AcceptSeq({"CHARACTER", "SET"}) || Accept("CHARSET")) {
      ParseCharsetName(&st.db.charset);
      st.db.charset = NormalizeCharset(st.db.charset);
    } else if (Accept("COLLATE")) {
      ParseCharsetName(&st.db.collation);
    } else {
      Fail();
    }
  }
  ExpectEnd();
}

void Parser::ParseCreateIndex(Statement& st, IndexDef::Kind kind) {
  st.kind = StatementKind::kCreateIndex;
  st.table.index.kind = kind;
  st.table.index.name = Ident();
  if (Accept("USING")) Ident();
  Expect("ON");
  st.table.tables.push_back(ParseTableName());
  st.table.index.parts = ParseIndexParts();
  SkipIndexOptions(&st.table.index);
  while (Cur().Is("ALGORITHM") || Cur().Is("LOCK")) {
    Advance();
    AcceptOp("=");
    Advance();
  }
  ExpectEnd();
}

std::vector<IndexPart> Parser::ParseIndexParts() {
  std::vector<IndexPart> parts;
  ExpectOp("(");
  do {
    IndexPart p;
    p.column = Ident();
    if (AcceptOp("(")) {
      p.prefix_length = static_cast<uint32_t>(UInt());
      ExpectOp(")");
    }
    if (!Accept("ASC")) Accept("DESC");
    parts.push_back(std::move(p));
  } while (AcceptOp(","));
  ExpectOp(")");
  return parts;
}

void Parser::SkipIndexOptions(IndexDef* index) {
  while (true) {
    if (Accept("USING")) {
      if (!Accept("BTREE") && !Accept("HASH") && !Accept("RTREE")) Fail();
    } else if (Accept("KEY_BLOCK_SIZE")) {
      AcceptOp("=");
      UInt();
    } else if (Accept("COMMENT")) {
      std::string c = StringLit();
      if (index) index->comment = c;
    } else if (AcceptSeq({"WITH", "PARSER"})) {
      Ident();
    } else {
      return;
    }
  }
}

void Parser::ParseDataType(ColumnDef& c) {
  if (Cur().kind != TokenKind::kIdent) Fail();
  const Token& tt = Cur();
  std::string w = ToLower(tt.text);
  Advance();
  auto opt_len = [&]() -> std::optional<uint32_t> {
    if (AcceptOp("(")) {
      uint32_t n = static_cast<uint32_t>(UInt());
      ExpectOp(")");
      return n;
    }
    return std::nullopt;
  };
  auto numeric_attrs = [&]() {
    while (true) {
      if (Accept("UNSIGNED")) {
        c.is_unsigned = true;
      } else if (Accept("SIGNED")) {
      } else if (Accept("ZEROFILL")) {
        c.zerofill = true;
        c.is_unsigned = true;
      } else {
        break;
      }
    }
  };
  auto string_attrs = [&]() {
    while (true) {
      if (Accept("BINARY")) {
        c.collation = "_bin";
      } else if (AcceptSeq({"CHARACTER", "SET"}) || Accept("CHARSET")) {
        std::string cs;
        ParseCharsetName(&cs);
        c.charset = NormalizeCharset(cs);
      } else if (Accept("ASCII")) {
        c.charset = "latin1";
      } else if (Accept("UNICODE")) {
        c.charset = "ucs2";
      } else if (Cur().Is("COLLATE")) {
        Advance();
        std::string co;
        ParseCharsetName(&co);
        c.collation = co;
      } else {
        break;
      }
    }
  };
  if (w == "int1") w = "tinyint";
  if (w == "int2") w = "smallint";
  if (w == "int3" || w == "middleint") w = "mediumint";
  if (w == "int4" || w == "integer") w = "int";
  if (w == "int8") w = "bigint";
  if (IsIntegerType(w)) {
    c.type = w;
    c.length = opt_len();
    numeric_attrs();
    if (!c.length) {
      uint32_t def = w == "tinyint"     ? 4
                     : w == "smallint"  ? 6
                     : w == "mediumint" ? 9
                     : w == "int"       ? 11
                                        : 20;
      if (c.is_unsigned && w != "bigint") def -= 1;
      c.length = def;
    }
    return;
  }
  if (w == "bool" || w == "boolean") {
    c.type = "tinyint";
    c.length = 1;
    return;
  }
  if (w == "serial") Unsupported("SERIAL");
  if (w == "decimal" || w == "dec" || w == "numeric" || w == "fixed") {
    c.type = "decimal";
    c.length = 10;
    c.scale = 0;
    if (AcceptOp("(")) {
      c.length = static_cast<uint32_t>(UInt());
      if (AcceptOp(",")) c.scale = static_cast<uint32_t>(UInt());
      ExpectOp(")");
    }
    numeric_attrs();
    return;
  }
  if (w == "float" || w == "double" || w == "real") {
    c.type = w == "float" ? "float" : "double";
    if (w == "double") Accept("PRECISION");
    if (AcceptOp("(")) {
      uint32_t m = static_cast<uint32_t>(UInt());
      if (AcceptOp(",")) {
        c.length = m;
        c.scale = static_cast<uint32_t>(UInt());
      } else if (c.type == "float") {
        if (m > 24) c.type = "double";
      } else {
        Fail();
      }
      ExpectOp(")");
    }
    numeric_attrs();
    return;
  }
  if (w == "bit") {
    c.type = "bit";
    c.length = opt_len().value_or(1);
    return;
  }
  if (w == "national" || w == "nchar" || w == "nvarchar") {
    if (w == "national") {
      if (Accept("VARCHAR")) {
        w = "varchar";
      } else if (Accept("CHAR") || Accept("CHARACTER")) {
        w = Accept("VARYING") ? "varchar" : "char";
      } else {
        Fail();
      }
    } else {
      w = w == "nchar" ? (Accept("VARYING") ? "varchar" : "char") : "varchar";
    }
    c.charset = "utf8";
  } else if (w == "character" || w == "char") {
    if (Accept("VARYING"))
      w = "varchar";
    else
      w = "char";
  } else if (w == "long") {
    if (Accept("VARBINARY")) {
      w = "mediumblob";
    } else {
      Accept("VARCHAR");
      w = "mediumtext";
    }
  }
  if (w == "char" || w == "varchar" || w == "binary" || w == "varbinary") {
    c.type = w;
    c.length = opt_len();
    if (!c.length) {
      if (w == "varchar" || w == "varbinary") Fail();
      c.length = 1;
    }
    if (w == "char" || w == "varchar") string_attrs();
    return;
  }
  if (w == "tinytext" || w == "text" || w == "mediumtext" || w == "longtext") {
    c.type = w;
    if (w == "text") {
      auto n = opt_len();
      if (n) {
        c.type = *n < 256        ? "tinytext"
                 : *n < 65536    ? "text"
                 : *n < 16777216 ? "mediumtext"
                                 : "longtext";
      }
    }
    string_attrs();
    return;
  }
  if (w == "tinyblob" || w == "blob" || w == "mediumblob" || w == "longblob") {
    c.type = w;
    if (w == "blob") {
      auto n = opt_len();
      if (n) {
        c.type = *n < 256        ? "tinyblob"
                 : *n < 65536    ? "blob"
                 : *n < 16777216 ? "mediumblob"
                                 : "longblob";
      }
    }
    return;
  }
  if (w == "enum" || w == "set") {
    c.type = w;
    ExpectOp("(");
    do {
      c.values.push_back(StringLit());
    } while (AcceptOp(","));
    ExpectOp(")");
    string_attrs();
    return;
  }
  if (w == "date") {
    c.type = w;
    return;
  }
  if (w == "time" || w == "datetime" || w == "timestamp") {
    c.type = w;
    c.length = opt_len();
    if (c.length && *c.length == 0) c.length.reset();
    if (c.length && *c.length > 6) FailAt(tt);
    return;
  }
  if (w == "year") {
    c.type = w;
    auto n = opt_len();
    c.length = 4;
    if (n && *n != 4 && *n != 2) FailAt(tt);
    return;
  }
  if (w == "json") {
    c.type = "longtext";
    return;
  }
  if (w == "geometry" || w == "point" || w == "linestring" || w == "polygon" || w == "multipoint" ||
      w == "multilinestring" || w == "multipolygon" || w == "geometrycollection") {
    Unsupported("spatial types");
  }
  FailAt(tt);
}

ColumnDef Parser::ParseColumnDef(const std::string& name, std::vector<IndexDef>* column_indexes) {
  ColumnDef c;
  c.name = name;
  ParseDataType(c);
  bool text_like = IsTextLike(c.type);
  while (true) {
    const Token& t = Cur();
    if (t.Is("NOT")) {
      Advance();
      Expect("NULL");
      c.not_null = true;
    } else if (t.Is("NULL")) {
      Advance();
      c.not_null = false;
      c.default_fsp.reset();
      explicit_null_ = true;
    } else if (t.Is("DEFAULT")) {
      Advance();
      const Token& v = Cur();
      if (v.Is("NULL")) {
        Advance();
        c.default_kind = ColumnDef::Default::kNull;
        c.default_value.clear();
      } else if (v.Is("CURRENT_TIMESTAMP") || v.Is("NOW") || v.Is("LOCALTIME") ||
                 v.Is("LOCALTIMESTAMP")) {
        bool needs_parens = v.Is("NOW");
        Advance();
        c.default_kind = ColumnDef::Default::kCurrentTimestamp;
        c.default_fsp.reset();
        if (AcceptOp("(")) {
          if (!Cur().IsOp(")")) {
            uint32_t n = static_cast<uint32_t>(UInt());
            if (n) c.default_fsp = n;
          }
          ExpectOp(")");
        } else if (needs_parens) {
          Fail();
        }
        if (c.type != "timestamp" && c.type != "datetime") {
          Raise(MakeError(ER_INVALID_DEFAULT, {c.name}));
        }
      } else if (v.Is("TRUE") || v.Is("FALSE")) {
        c.default_kind = ColumnDef::Default::kLiteral;
        c.default_value = v.Is("TRUE") ? "1" : "0";
        Advance();
      } else if (v.kind == TokenKind::kBitString || v.kind == TokenKind::kHexString) {
        Token tok = Advance();
        c.default_kind = ColumnDef::Default::kLiteral;
        if (c.type == "bit" || IsIntegerType(c.type)) {
          uint64_t n = 0;
          for (unsigned char ch : tok.text) n = (n << 8) | ch;
          if (c.type == "bit") {
            std::string bits;
            while (n) {
              bits.insert(bits.begin(), static_cast<char>('0' + (n & 1)));
              n >>= 1;
            }
            c.default_value = "b'" + (bits.empty() ? std::string("0") : bits) + "'";
          } else {
            c.default_value = std::to_string(n);
          }
        } else {
          c.default_value = tok.text;
        }
      } else if (v.kind == TokenKind::kString || v.kind == TokenKind::kInteger ||
                 v.kind == TokenKind::kDecimal || v.kind == TokenKind::kFloat || v.IsOp("-") ||
                 v.IsOp("+")) {
        bool is_string = v.kind == TokenKind::kString;
        std::string text;
        if (v.IsOp("-") || v.IsOp("+")) {
          bool neg = v.IsOp("-");
          Advance();
          if (Cur().kind != TokenKind::kInteger && Cur().kind != TokenKind::kDecimal &&
              Cur().kind != TokenKind::kFloat)
            Fail();
          text = (neg ? "-" : "") + Advance().text;
        } else {
          text = Advance().text;
        }
        c.default_kind = ColumnDef::Default::kLiteral;
        bool numeric_type = IsIntegerType(c.type) || c.type == "decimal" || c.type == "float" ||
                            c.type == "double" || c.type == "year";
        if (numeric_type) {
          std::string norm;
          if (!NormalizeNumericDefault(c, text, &norm)) {
            Raise(MakeError(ER_INVALID_DEFAULT, {c.name}));
          }
          c.default_value = norm;
        } else if (c.type == "bit") {
          if (is_string) Raise(MakeError(ER_INVALID_DEFAULT, {c.name}));
          uint64_t n = std::strtoull(text.c_str(), nullptr, 10);
          std::string bits;
          while (n) {
            bits.insert(bits.begin(), static_cast<char>('0' + (n & 1)));
            n >>= 1;
          }
          c.default_value = "b'" + (bits.empty() ? std::string("0") : bits) + "'";
        } else {
          c.default_value = text;
          if (c.type == "char") {
            while (!c.default_value.empty() && c.default_value.back() == ' ')
              c.default_value.pop_back();
          }
        }
      } else if (v.IsOp("(")) {
        Unsupported("expression defaults");
      } else {
        Fail();
      }
    } else if (t.Is("ON") && Peek(1).Is("UPDATE")) {
      Advance();
      Advance();
      if (!(Cur().Is("CURRENT_TIMESTAMP") || Cur().Is("NOW") || Cur().Is("LOCALTIME") ||
            Cur().Is("LOCALTIMESTAMP")))
        Fail();
      bool needs_parens = Cur().Is("NOW");
      Advance();
      c.on_update_current_timestamp = true;
      if (AcceptOp("(")) {
        if (!Cur().IsOp(")")) {
          uint32_t n = static_cast<uint32_t>(UInt());
          if (n) c.on_update_fsp = n;
        }
        ExpectOp(")");
      } else if (needs_parens) {
        Fail();
      }
      if (c.type != "timestamp" && c.type != "datetime") FailAt(t);
    } else if (t.Is("AUTO_INCREMENT")) {
      Advance();
      c.auto_increment = true;
    } else if (t.Is("UNIQUE")) {
      Advance();
      Accept("KEY");
      IndexDef idx;
      idx.kind = IndexDef::Kind::kUnique;
      idx.parts.push_back({c.name, std::nullopt});
      column_indexes->push_back(idx);
    } else if (t.Is("PRIMARY") || t.Is("KEY")) {
      if (Accept("PRIMARY")) {
        Expect("KEY");
      } else {
        Advance();
      }
      IndexDef idx;
      idx.kind = IndexDef::Kind::kPrimary;
      idx.name = "PRIMARY";
      idx.parts.push_back({c.name, std::nullopt});
      column_indexes->push_back(idx);
    } else if (t.Is("COMMENT")) {
      Advance();
      c.comment = StringLit();
    } else if (t.Is("COLLATE")) {
      Advance();
      std::string co;
      ParseCharsetName(&co);
      c.collation = co;
    } else if ((t.Is("CHARACTER") && Peek(1).Is("SET")) || t.Is("CHARSET")) {
      if (!text_like) Fail();
      if (Accept("CHARSET")) {
      } else {
        Advance();
        Advance();
      }
      std::string cs;
      ParseCharsetName(&cs);
      c.charset = NormalizeCharset(cs);
    } else if (t.Is("COLUMN_FORMAT") || t.Is("STORAGE")) {
      Advance();
      Advance();
    } else if (t.Is("REFERENCES")) {
      Advance();
      ParseTableName();
      if (Cur().IsOp("(")) SkipParenthesized();
      while (true) {
        if (Accept("MATCH")) {
          Advance();
        } else if (Cur().Is("ON") && (Peek(1).Is("DELETE") || Peek(1).Is("UPDATE"))) {
          Advance();
          Advance();
          if (AcceptSeq({"SET", "NULL"}) || AcceptSeq({"NO", "ACTION"}) ||
              AcceptSeq({"SET", "DEFAULT"}) || Accept("RESTRICT") || Accept("CASCADE")) {
          } else {
            Fail();
          }
        } else {
          break;
        }
      }
    } else if (t.Is("CHECK")) {
      Advance();
      SkipParenthesized();
    } else if (t.Is("GENERATED") || t.Is("AS")) {
      Unsupported("generated columns");
    } else if (t.Is("SERIAL")) {
      Unsupported("SERIAL DEFAULT VALUE");
    } else {
      break;
    }
  }
  if (c.auto_increment) c.not_null = true;
  if (c.default_kind == ColumnDef::Default::kNull) {
    // DEFAULT NULL is what a nullable column has anyway; NOT NULL DEFAULT
    // NULL is an error (TIMESTAMP excepted: it becomes nullable-less
    // NOT NULL with the 5.7 rules).
    if (c.not_null && c.type != "timestamp") Raise(MakeError(ER_INVALID_DEFAULT, {c.name}));
    c.default_kind = ColumnDef::Default::kNone;
  }
  return c;
}

bool Parser::ParseTableOption(TableDef& def, AlterOp* op) {
  const Token& t = Cur();
  if (t.Is("ENGINE") || t.Is("TYPE")) {
    Advance();
    AcceptOp("=");
    def.engine = EngineName(IdentOrString());
    if (op) op->set_engine = true;
    return true;
  }
  if (t.Is("DEFAULT") &&
      (Peek(1).Is("CHARSET") || Peek(1).Is("CHARACTER") || Peek(1).Is("COLLATE"))) {
    Advance();
  }
  if (Cur().Is("CHARSET") || (Cur().Is("CHARACTER") && Peek(1).Is("SET"))) {
    if (!Accept("CHARSET")) {
      Advance();
      Advance();
    }
    std::string cs;
    ParseCharsetName(&cs);
    def.charset = NormalizeCharset(cs);
    if (op) op->set_charset = true;
    return true;
  }
  if (Cur().Is("COLLATE")) {
    Advance();
    std::string co;
    ParseCharsetName(&co);
    def.collation = co;
    if (op) op->set_collation = true;
    return true;
  }
  if (Cur().Is("AUTO_INCREMENT")) {
    Advance();
    AcceptOp("=");
    def.auto_increment = UInt();
    if (op) op->set_auto_increment = true;
    return true;
  }
  if (Cur().Is("COMMENT")) {
    Advance();
    AcceptOp("=");
    def.comment = StringLit();
    if (op) op->set_comment = true;
    return true;
  }
  if (Cur().Is("ROW_FORMAT")) {
    Advance();
    AcceptOp("=");
    if (Accept("DEFAULT")) {
      def.row_format.clear();
    } else {
      def.row_format = ToUpper(Ident());
    }
    if (op) op->set_row_format = true;
    return true;
  }
  static const char* const kIgnored[] = {
      "AVG_ROW_LENGTH",   "CHECKSUM",           "DELAY_KEY_WRITE", "KEY_BLOCK_SIZE",
      "MAX_ROWS",         "MIN_ROWS",           "PACK_KEYS",       "STATS_AUTO_RECALC",
      "STATS_PERSISTENT", "STATS_SAMPLE_PAGES", "CONNECTION",      "INSERT_METHOD",
      "PASSWORD",         "COMPRESSION",        "ENCRYPTION",      "TABLE_CHECKSUM",
      "PAGE_CHECKSUM",    "TRANSACTIONAL"};
  for (auto w : kIgnored) {
    if (Cur().Is(w)) {
      Advance();
      AcceptOp("=");
      if (!Accept("DEFAULT")) {
        const Token& v = Cur();
        if (v.kind == TokenKind::kEnd || v.IsOp(",") || v.IsOp(";")) Fail();
        Advance();
      }
      return true;
    }
  }
  if ((Cur().Is("DATA") || Cur().Is("INDEX")) && Peek(1).Is("DIRECTORY")) {
    Advance();
    Advance();
    AcceptOp("=");
    StringLit();
    return true;
  }
  if (Cur().Is("TABLESPACE")) {
    Advance();
    Ident();
    if (Accept("STORAGE")) Advance();
    return true;
  }
  if (Cur().Is("UNION")) Unsupported("UNION table option");
  return false;
}

void Parser::ParseCreateTable(Statement& st, bool temporary) {
  st.kind = StatementKind::kCreateTable;
  TableInfo& ti = st.table;
  ti.temporary = temporary;
  if (AcceptSeq({"IF", "NOT", "EXISTS"})) ti.if_not_exists = true;
  TableName name = ParseTableName();
  ti.tables.push_back(name);
  TableDef& def = ti.def;
  def.name = name.name;
  def.temporary = temporary;
  if (Accept("LIKE")) {
    ti.like = ParseTableName();
    ExpectEnd();
    return;
  }
  if (Cur().IsOp("(") && Peek(1).Is("LIKE")) {
    Advance();
    Advance();
    ti.like = ParseTableName();
    ExpectOp(")");
    ExpectEnd();
    return;
  }
  std::vector<IndexDef> pending;  // in written order
  std::vector<bool> explicit_null;
  bool has_body = false;
  if (Cur().IsOp("(") && !(Peek(1).Is("SELECT"))) {
    has_body = true;
    Advance();
    do {
      const Token& t = Cur();
      bool constraint = false;
      std::string constraint_name;
      if (t.Is("CONSTRAINT")) {
        Advance();
        constraint = true;
        if (IsIdentToken(Cur()) && !Cur().Is("PRIMARY") && !Cur().Is("UNIQUE") &&
            !Cur().Is("FOREIGN") && !Cur().Is("CHECK")) {
          constraint_name = Ident();
        }
      }
      if (Cur().Is("PRIMARY")) {
        Advance();
        Expect("KEY");
        IndexDef idx;
        idx.kind = IndexDef::Kind::kPrimary;
        idx.name = "PRIMARY";
        if (Accept("USING")) Advance();
        idx.parts = ParseIndexParts();
        SkipIndexOptions(&idx);
        pending.push_back(std::move(idx));
      } else if (Cur().Is("UNIQUE")) {
        Advance();
        if (!Accept("INDEX")) Accept("KEY");
        IndexDef idx;
        idx.kind = IndexDef::Kind::kUnique;
        if (IsIdentToken(Cur()) && !Cur().Is("USING")) idx.name = Ident();
        if (idx.name.empty()) idx.name = constraint_name;
        if (Accept("USING")) Advance();
        idx.parts = ParseIndexParts();
        SkipIndexOptions(&idx);
        pending.push_back(std::move(idx));
      } else if (Cur().Is("FOREIGN")) {
        Advance();
        Expect("KEY");
        if (IsIdentToken(Cur())) Ident();
        SkipParenthesized();
        Expect("REFERENCES");
        ParseTableName();
        SkipParenthesized();
        while (true) {
          if (Accept("MATCH")) {
            Advance();
          } else if (Cur().Is("ON") && (Peek(1).Is("DELETE") || Peek(1).Is("UPDATE"))) {
            Advance();
            Advance();
            if (AcceptSeq({"SET", "NULL"}) || AcceptSeq({"NO", "ACTION"}) ||
                AcceptSeq({"SET", "DEFAULT"}) || Accept("RESTRICT") || Accept("CASCADE")) {
            } else {
              Fail();
            }
          } else {
            break;
          }
        }
      } else if (Cur().Is("CHECK")) {
        Advance();
        SkipParenthesized();
      } else if (constraint) {
        Fail();
      } else if (Cur().Is("INDEX") || Cur().Is("KEY") || Cur().Is("FULLTEXT") ||
                 Cur().Is("SPATIAL")) {
        IndexDef idx;
        idx.kind = IndexDef::Kind::kKey;
        if (Accept("FULLTEXT")) {
          idx.kind = IndexDef::Kind::kFulltext;
          if (!Accept("INDEX")) Accept("KEY");
        } else if (Cur().Is("SPATIAL")) {
          Unsupported("SPATIAL indexes");
        } else {
          Advance();
        }
        if (IsIdentToken(Cur()) && !Cur().Is("USING")) idx.name = Ident();
        if (Accept("USING")) Advance();
        idx.parts = ParseIndexParts();
        SkipIndexOptions(&idx);
        pending.push_back(std::move(idx));
      } else {
        std::string col = Ident();
        explicit_null_ = false;
        std::vector<IndexDef> col_idx;
        ColumnDef c = ParseColumnDef(col, &col_idx);
        if (def.FindColumn(c.name) >= 0) Raise(MakeError(ER_DUP_FIELDNAME, {c.name}));
        def.columns.push_back(std::move(c));
        explicit_null.push_back(explicit_null_);
        for (auto& i : col_idx) pending.push_back(std::move(i));
      }
    } while (AcceptOp(","));
    ExpectOp(")");
  }
  // Table options (comma-separated or not).
  while (true) {
    if (ParseTableOption(def, nullptr)) {
      AcceptOp(",");
      continue;
    }
    break;
  }
  if (Cur().Is("PARTITION")) Unsupported("PARTITION BY");
  if (Accept("IGNORE") || Accept("REPLACE")) {
  }
  Accept("AS");
  if (Cur().Is("SELECT") || Cur().IsOp("(")) {
    DmlInfo sel;
    set_info(&sel);
    sel.sqlite_sql = ParseSelectSql(false);
    ti.select = std::move(sel);
  } else if (!has_body) {
    Fail();
  }
  ExpectEnd();

  // MySQL 5.7 TIMESTAMP rules (explicit_defaults_for_timestamp=OFF).
  bool first_ts = true;
  for (size_t i = 0; i < def.columns.size(); ++i) {
    ColumnDef& c = def.columns[i];
    if (c.type != "timestamp") continue;
    if (!explicit_null[i]) c.not_null = true;
    if (first_ts && !explicit_null[i] && c.default_kind == ColumnDef::Default::kNone &&
        !c.on_update_current_timestamp) {
      c.default_kind = ColumnDef::Default::kCurrentTimestamp;
      c.on_update_current_timestamp = true;
      c.default_fsp = c.length;
      c.on_update_fsp = c.length;
    } else if (c.not_null && c.default_kind == ColumnDef::Default::kNone) {
      c.default_kind = ColumnDef::Default::kLiteral;
      c.default_value = "0000-00-00 00:00:00";
      if (c.length) c.default_value += "." + std::string(*c.length, '0');
    }
    first_ts = false;
  }
  for (auto& idx : pending) {
    Status s = AddIndexTo(def, idx);
    if (!s.ok()) Raise(s.error());
  }
  Status s = FinishTable(def);
  if (!s.ok()) Raise(s.error());
}

void Parser::ParseDrop(Statement& st) {
  Expect("DROP");
  if (Accept("TEMPORARY")) {
    if (!Accept("TABLES")) Expect("TABLE");
    st.table.temporary = true;
    st.kind = StatementKind::kDropTable;
  } else if (Accept("TABLE") || Accept("TABLES")) {
    st.kind = StatementKind::kDropTable;
  } else if (Accept("DATABASE") || Accept("SCHEMA")) {
    st.kind = StatementKind::kDropDatabase;
    if (AcceptSeq({"IF", "EXISTS"})) st.db.if_exists = true;
    st.db.name = Ident();
    ExpectEnd();
    return;
  } else if (Accept("INDEX")) {
    st.kind = StatementKind::kDropIndex;
    if (Cur().Is("PRIMARY")) {
      Advance();
      st.table.index_name = "PRIMARY";
    } else {
      st.table.index_name = Ident();
    }
    Expect("ON");
    st.table.tables.push_back(ParseTableName());
    while (Cur().Is("ALGORITHM") || Cur().Is("LOCK")) {
      Advance();
      AcceptOp("=");
      Advance();
    }
    ExpectEnd();
    return;
  } else if (Accept("USER")) {
    ParseDropUser(st);
    return;
  } else if (Cur().Is("TRIGGER")) {
    ParseDropTrigger(st);
    return;
  } else if (Cur().Is("VIEW") || Cur().Is("PROCEDURE") || Cur().Is("FUNCTION") ||
             Cur().Is("EVENT") || Cur().Is("SERVER") || Cur().Is("TABLESPACE") ||
             Cur().Is("ROLE")) {
    Unsupported("DROP " + ToUpper(Cur().text));
  } else {
    Fail();
  }
  if (AcceptSeq({"IF", "EXISTS"})) st.table.if_exists = true;
  do {
    st.table.tables.push_back(ParseTableName());
  } while (AcceptOp(","));
  if (!Accept("RESTRICT")) Accept("CASCADE");
  ExpectEnd();
}

void Parser::ParseRenameTable(Statement& st) {
  Expect("RENAME");
  if (!Accept("TABLE")) Expect("TABLES");
  st.kind = StatementKind::kRenameTable;
  do {
    TableName from = ParseTableName();
    Expect("TO");
    TableName to = ParseTableName();
    st.table.renames.emplace_back(from, to);
  } while (AcceptOp(","));
  ExpectEnd();
}

void Parser::ParseAlter(Statement& st) {
  Expect("ALTER");
  if (Accept("DATABASE") || Accept("SCHEMA")) {
    st.kind = StatementKind::kAlterDatabase;
    if (IsIdentToken(Cur()) && !Cur().Is("CHARACTER") && !Cur().Is("CHARSET") &&
        !Cur().Is("COLLATE") && !Cur().Is("DEFAULT")) {
      st.db.name = Ident();
    }
    bool any = false;
    while (!AtEnd()) {
      Accept("DEFAULT");
      if (AcceptSeq({"CHARACTER", "SET"}) || Accept("CHARSET")) {
        ParseCharsetName(&st.db.charset);
        st.db.charset = NormalizeCharset(st.db.charset);
      } else if (Accept("COLLATE")) {
        ParseCharsetName(&st.db.collation);
      } else {
        Fail();
      }
      any = true;
    }
    if (!any) Fail();
    ExpectEnd();
    return;
  }
  Accept("ONLINE");
  Accept("IGNORE");
  if (Accept("USER")) {
    ParseAlterUser(st);
    return;
  }
  if (!Accept("TABLE")) {
    if (Cur().Is("VIEW") || Cur().Is("PROCEDURE") || Cur().Is("FUNCTION") || Cur().Is("EVENT") ||
        Cur().Is("SERVER") || Cur().Is("TABLESPACE") || Cur().Is("INSTANCE") ||
        Cur().Is("LOGFILE")) {
      Unsupported("ALTER " + ToUpper(Cur().text));
    }
    Fail();
  }
  st.kind = StatementKind::kAlterTable;
  AlterSpec& spec = st.alter;
  spec.table = ParseTableName();
  if (AtEnd()) {
    ExpectEnd();
    return;
  }
  auto position = [&](AlterOp& op) {
    if (Accept("FIRST")) {
      op.first = true;
    } else if (Accept("AFTER")) {
      op.after = Ident();
    }
  };
  auto parse_index_def = [&](AlterOp& op, bool constraint, const std::string& constraint_name) {
    IndexDef idx;
    if (Accept("PRIMARY")) {
      Expect("KEY");
      idx.kind = IndexDef::Kind::kPrimary;
      idx.name = "PRIMARY";
      if (Accept("USING")) Advance();
    } else if (Accept("UNIQUE")) {
      if (!Accept("INDEX")) Accept("KEY");
      idx.kind = IndexDef::Kind::kUnique;
      if (IsIdentToken(Cur()) && !Cur().Is("USING")) idx.name = Ident();
      if (idx.name.empty()) idx.name = constraint_name;
      if (Accept("USING")) Advance();
    } else if (!constraint && Accept("FULLTEXT")) {
      if (!Accept("INDEX")) Accept("KEY");
      idx.kind = IndexDef::Kind::kFulltext;
      if (IsIdentToken(Cur())) idx.name = Ident();
    } else if (!constraint && (Accept("INDEX") || Accept("KEY"))) {
      idx.kind = IndexDef::Kind::kKey;
      if (IsIdentToken(Cur()) && !Cur().Is("USING")) idx.name = Ident();
      if (Accept("USING")) Advance();
    } else {
      Fail();
    }
    idx.parts = ParseIndexParts();
    SkipIndexOptions(&idx);
    op.type = AlterOp::Type::kAddIndex;
    op.index = std::move(idx);
  };
  do {
    AlterOp op;
    if (Accept("ADD")) {
      if (Cur().Is("CONSTRAINT")) {
        Advance();
        std::string cname;
        if (IsIdentToken(Cur()) && !Cur().Is("PRIMARY") && !Cur().Is("UNIQUE") &&
            !Cur().Is("FOREIGN") && !Cur().Is("CHECK"))
          cname = Ident();
        if (Cur().Is("FOREIGN") || Cur().Is("CHECK")) {
          // Skip the rest of this clause.
          while (!AtEnd() && !Cur().IsOp(",")) {
            if (Cur().IsOp("(")) {
              SkipParenthesized();
            } else {
              Advance();
            }
          }
          op.type = AlterOp::Type::kNoOp;
        } else {
          parse_index_def(op, true, cname);
        }
      } else if (Cur().Is("PRIMARY") || Cur().Is("UNIQUE") || Cur().Is("INDEX") ||
                 Cur().Is("KEY") || Cur().Is("FULLTEXT")) {
        parse_index_def(op, false, "");
      } else if (Cur().Is("FOREIGN") || Cur().Is("CHECK")) {
        while (!AtEnd() && !Cur().IsOp(",")) {
          if (Cur().IsOp("(")) {
            SkipParenthesized();
          } else {
            Advance();
          }
        }
        op.type = AlterOp::Type::kNoOp;
      } else if (Cur().Is("SPATIAL")) {
        Unsupported("SPATIAL indexes");
      } else {
        Accept("COLUMN");
        if (AcceptOp("(")) {
          // ADD (c1 def, c2 def)
          do {
            AlterOp col_op;
            col_op.type = AlterOp::Type::kAddColumn;
            std::string name = Ident();
            col_op.column = ParseColumnDef(name, &col_op.column_indexes);
            col_op.name = name;
            spec.ops.push_back(std::move(col_op));
          } while (AcceptOp(","));
          ExpectOp(")");
          continue;
        }
        op.type = AlterOp::Type::kAddColumn;
        std::string name = Ident();
        op.name = name;
        op.column = ParseColumnDef(name, &op.column_indexes);
        position(op);
      }
    } else if (Accept("DROP")) {
      if (AcceptSeq({"PRIMARY", "KEY"})) {
        op.type = AlterOp::Type::kDropPrimaryKey;
      } else if (Accept("INDEX") || Accept("KEY")) {
        op.type = AlterOp::Type::kDropIndex;
        op.name = Ident();
      } else if (AcceptSeq({"FOREIGN", "KEY"})) {
        Ident();
        op.type = AlterOp::Type::kNoOp;
      } else {
        Accept("COLUMN");
        op.type = AlterOp::Type::kDropColumn;
        op.name = Ident();
        if (!Accept("RESTRICT")) Accept("CASCADE");
      }
    } else if (Accept("MODIFY")) {
      Accept("COLUMN");
      op.type = AlterOp::Type::kChangeColumn;
      op.name = Ident();
      op.column = ParseColumnDef(op.name, &op.column_indexes);
      position(op);
    } else if (Accept("CHANGE")) {
      Accept("COLUMN");
      op.type = AlterOp::Type::kChangeColumn;
      op.name = Ident();
      std::string new_name = Ident();
      op.column = ParseColumnDef(new_name, &op.column_indexes);
      position(op);
    } else if (Accept("ALTER")) {
      Accept("COLUMN");
      op.type = AlterOp::Type::kAlterColumnDefault;
      op.name = Ident();
      if (AcceptSeq({"SET", "DEFAULT"})) {
        const Token& v = Cur();
        op.column.default_kind = ColumnDef::Default::kLiteral;
        if (v.Is("NULL")) {
          Advance();
          op.column.default_kind = ColumnDef::Default::kNull;
        } else if (v.IsOp("-")) {
          Advance();
          op.column.default_value = "-" + NumberOrStringText();
        } else {
          op.column.default_value = NumberOrStringText();
        }
      } else if (AcceptSeq({"DROP", "DEFAULT"})) {
        op.column.default_kind = ColumnDef::Default::kNone;
      } else {
        Fail();
      }
    } else if (Accept("RENAME")) {
      if (Accept("INDEX") || Accept("KEY")) {
        op.type = AlterOp::Type::kRenameIndex;
        op.name = Ident();
        Expect("TO");
        op.new_index_name = Ident();
      } else if (Cur().Is("COLUMN")) {
        Unsupported("RENAME COLUMN");
      } else {
        if (!Accept("TO")) Accept("AS");
        op.type = AlterOp::Type::kRenameTable;
        op.new_name = ParseTableName();
      }
    } else if (Accept("CONVERT")) {
      Expect("TO");
      if (!Accept("CHARSET")) {
        Expect("CHARACTER");
        Expect("SET");
      }
      op.type = AlterOp::Type::kConvertCharset;
      ParseCharsetName(&op.charset);
      op.charset = NormalizeCharset(op.charset);
      if (Accept("COLLATE")) ParseCharsetName(&op.collation);
    } else if (Accept("ENABLE") || Accept("DISABLE")) {
      Expect("KEYS");
      op.type = AlterOp::Type::kNoOp;
    } else if (Accept("FORCE")) {
      op.type = AlterOp::Type::kNoOp;
    } else if (Accept("ALGORITHM") || Accept("LOCK")) {
      AcceptOp("=");
      Advance();
      op.type = AlterOp::Type::kNoOp;
    } else if (AcceptSeq({"ORDER", "BY"})) {
      do {
        Ident();
        if (!Accept("ASC")) Accept("DESC");
      } while (AcceptOp(","));
      op.type = AlterOp::Type::kNoOp;
    } else if (Cur().Is("PARTITION") || Cur().Is("DISCARD") || Cur().Is("IMPORT")) {
      Unsupported("ALTER TABLE " + ToUpper(Cur().text));
    } else {
      op.type = AlterOp::Type::kTableOptions;
      if (!ParseTableOption(op.options, &op)) Fail();
      while (!AtEnd() && !Cur().IsOp(",") && ParseTableOption(op.options, &op)) {
      }
    }
    spec.ops.push_back(std::move(op));
  } while (AcceptOp(","));
  ExpectEnd();
}

}  // namespace reptut::sql::internal
