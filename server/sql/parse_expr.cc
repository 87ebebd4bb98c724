// MySQL expressions -> SQLite expression text.
#include <cstring>

#include "sql/parser_internal.h"

namespace reptut::sql::internal {

namespace {

std::string Wrap(const Expr& e, int min_prec) {
  if (e.prec < min_prec) return "(" + e.sql + ")";
  return e.sql;
}

Expr Make(std::string sql, int prec, size_t begin, size_t end) {
  Expr e;
  e.sql = std::move(sql);
  e.prec = prec;
  e.begin = begin;
  e.end = end;
  return e;
}

// `left op right` of a left-associative operator, made in left's own
// string: a chain of n operators (1+1+...+1) costs its length, not n times
// its length.
void Chain(Expr& left, int left_min, std::string_view op, const Expr& right, int right_min,
           int prec) {
  std::string sql = std::move(left.sql);
  if (left.prec < left_min) sql = "(" + sql + ")";
  sql += op;
  if (right.prec < right_min) {
    sql += '(';
    sql += right.sql;
    sql += ')';
  } else {
    sql += right.sql;
  }
  size_t begin = left.begin;
  left = Make(std::move(sql), prec, begin, right.end);
}

std::string Join(const std::vector<Expr>& args, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    out += args[i].sql;
  }
  return out;
}

const char* const kIntervalUnits[] = {"MICROSECOND",
                                      "SECOND",
                                      "MINUTE",
                                      "HOUR",
                                      "DAY",
                                      "WEEK",
                                      "MONTH",
                                      "QUARTER",
                                      "YEAR",
                                      "SECOND_MICROSECOND",
                                      "MINUTE_MICROSECOND",
                                      "MINUTE_SECOND",
                                      "HOUR_MICROSECOND",
                                      "HOUR_SECOND",
                                      "HOUR_MINUTE",
                                      "DAY_MICROSECOND",
                                      "DAY_SECOND",
                                      "DAY_MINUTE",
                                      "DAY_HOUR",
                                      "YEAR_MONTH"};

// Functions passed through under their MySQL name (canonical spelling).
// Those that are SQLite built-ins with close-enough semantics work even if
// the engine does not register them; the others are engine functions (see
// EngineFunctions()).
const char* const kPassThrough[] = {
    // SQLite built-ins (same name)
    "ABS", "COALESCE", "IFNULL", "NULLIF", "REPLACE", "LTRIM", "RTRIM", "INSTR", "ROUND", "SQRT",
    "EXP", "LN", "LOG", "LOG10", "LOG2", "PI", "SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "ATAN2",
    "COT", "DEGREES", "RADIANS", "SIGN", "CEIL", "FLOOR", "COUNT", "SUM", "AVG", "HEX", "DATE",
    "TIME", "CHAR",
    // engine functions (MySQL semantics)
    "NOW", "SYSDATE", "CURDATE", "CURTIME", "UTC_TIMESTAMP", "UTC_DATE", "UTC_TIME",
    "UNIX_TIMESTAMP", "FROM_UNIXTIME", "DATE_FORMAT", "TIME_FORMAT", "STR_TO_DATE", "YEAR", "MONTH",
    "DAYOFMONTH", "HOUR", "MINUTE", "SECOND", "MICROSECOND", "DAYOFWEEK", "DAYOFYEAR", "WEEKDAY",
    "WEEK", "YEARWEEK", "QUARTER", "MONTHNAME", "DAYNAME", "LAST_DAY", "DATEDIFF", "TIMEDIFF",
    "TO_DAYS", "FROM_DAYS", "TO_SECONDS", "TIME_TO_SEC", "SEC_TO_TIME", "MAKEDATE", "MAKETIME",
    "CONVERT_TZ", "CONCAT", "CONCAT_WS", "REPEAT", "LPAD", "RPAD", "SPACE", "REVERSE", "LOCATE",
    "FIELD", "ELT", "FIND_IN_SET", "STRCMP", "ASCII", "ORD", "MD5", "SHA1", "SHA2", "PASSWORD",
    "RAND", "UUID", "UUID_SHORT", "SLEEP", "DATABASE", "USER", "CURRENT_USER", "VERSION",
    "CONNECTION_ID", "LAST_INSERT_ID", "ROW_COUNT", "FOUND_ROWS", "MASTER_POS_WAIT", "GET_LOCK",
    "RELEASE_LOCK", "IS_FREE_LOCK", "IS_USED_LOCK", "TRUNCATE", "CONV", "BIN", "OCT", "UNHEX",
    "INET_ATON", "INET_NTOA", "BIT_COUNT", "CRC32", "TO_BASE64", "FROM_BASE64", "QUOTE", "INSERT",
    "SUBSTRING_INDEX", "BIT_LENGTH", "STD", "STDDEV", "VARIANCE", "BIT_AND", "BIT_OR", "BIT_XOR",
    "BENCHMARK", "CHARSET", "COLLATION", "COERCIBILITY", "SOUNDEX", "ENCRYPT"};

// MySQL synonyms -> canonical name (then looked up again).
struct Alias {
  const char* from;
  const char* to;
};
const Alias kAliases[] = {
    {"CEILING", "CEIL"},
    {"POWER", "POW"},
    {"UCASE", "UPPER"},
    {"LCASE", "LOWER"},
    {"SCHEMA", "DATABASE"},
    {"SESSION_USER", "USER"},
    {"SYSTEM_USER", "USER"},
    {"SHA", "SHA1"},
    {"SOURCE_POS_WAIT", "MASTER_POS_WAIT"},
    {"DAY", "DAYOFMONTH"},
    {"CURRENT_TIMESTAMP", "NOW"},
    {"LOCALTIME", "NOW"},
    {"LOCALTIMESTAMP", "NOW"},
    {"CURRENT_DATE", "CURDATE"},
    {"CURRENT_TIME", "CURTIME"},
    {"CHARACTER_LENGTH", "CHAR_LENGTH"},
    {"OCTET_LENGTH", "LENGTH"},
    {"MID", "SUBSTRING"},
    {"SUBSTR", "SUBSTRING"},
    {"STDDEV_POP", "STD"},
    {"VAR_POP", "VARIANCE"},
    {"RLIKE", "REGEXP"},
};

bool InList(const char* const* list, size_t n, std::string_view name) {
  for (size_t i = 0; i < n; ++i)
    if (EqualsIgnoreCase(list[i], name)) return true;
  return false;
}

bool IsNowFamily(std::string_view n) {
  static const char* const k[] = {"NOW",           "SYSDATE",  "CURDATE",  "CURTIME",
                                  "UTC_TIMESTAMP", "UTC_DATE", "UTC_TIME", "UNIX_TIMESTAMP"};
  return InList(k, std::size(k), n);
}

// Keywords that denote a value without parentheses.
bool IsNiladicKeyword(std::string_view w) {
  static const char* const k[] = {"CURRENT_TIMESTAMP", "CURRENT_DATE",   "CURRENT_TIME",
                                  "LOCALTIME",         "LOCALTIMESTAMP", "CURRENT_USER",
                                  "UTC_TIMESTAMP",     "UTC_DATE",       "UTC_TIME"};
  return InList(k, std::size(k), w);
}

}  // namespace

std::string Parser::UserVarRef(const std::string& name) {
  std::string lower = ToLower(name);
  AddUnique(info_->user_vars_read, lower);
  return UserVarParam(lower);
}

std::string Parser::SysVarRef(const std::string& name, SysVarScope scope) {
  std::string lower = ToLower(name);
  VarScope vs = scope == SysVarScope::kGlobal    ? VarScope::kGlobal
                : scope == SysVarScope::kSession ? VarScope::kSession
                : scope == SysVarScope::kLocal   ? VarScope::kLocal
                                                 : VarScope::kDefault;
  AddUnique(info_->sysvars_read, std::make_pair(lower, vs));
  const char* sc = vs == VarScope::kGlobal                                ? "global"
                   : (vs == VarScope::kSession || vs == VarScope::kLocal) ? "session"
                                                                          : "";
  return "reptut_sysvar(" + SqliteString(lower) + ", '" + sc + "')";
}

std::string Parser::Literal(const Token& t) {
  switch (t.kind) {
    case TokenKind::kString:
      if (t.charset == "binary") {
        std::string hex;
        static const char* kHex = "0123456789ABCDEF";
        for (unsigned char c : t.text) {
          hex.push_back(kHex[c >> 4]);
          hex.push_back(kHex[c & 15]);
        }
        return "X'" + hex + "'";
      }
      return SqliteString(t.text);
    case TokenKind::kHexString:
    case TokenKind::kBitString: {
      if (t.charset.empty() || t.charset == "binary") {
        if (t.kind == TokenKind::kBitString || t.charset == "binary") {
          // b'..' and _binary 0x..: a blob.
          std::string hex;
          static const char* kHex = "0123456789ABCDEF";
          for (unsigned char c : t.text) {
            hex.push_back(kHex[c >> 4]);
            hex.push_back(kHex[c & 15]);
          }
          if (t.kind == TokenKind::kBitString) {
            // Bit literals are mostly used as numbers.
            uint64_t v = 0;
            for (unsigned char c : t.text) v = (v << 8) | c;
            return std::to_string(v);
          }
          return "X'" + hex + "'";
        }
        return SqliteString(t.text);
      }
      if (t.charset == "latin1") {
        // Re-encode latin1 bytes as UTF-8 (SQLite text is UTF-8).
        std::string utf8;
        for (unsigned char c : t.text) {
          if (c < 0x80) {
            utf8.push_back(static_cast<char>(c));
          } else {
            utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
            utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
          }
        }
        return SqliteString(utf8);
      }
      return SqliteString(t.text);
    }
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kFloat:
      return t.text;
    default:
      FailAt(t);
  }
}

Expr Parser::ParseExpr() {
  return ParseOr();
}

Expr Parser::ParseOr() {
  Expr left = ParseXor();
  while (Cur().Is("OR") || Cur().IsOp("||")) {
    Advance();
    Expr right = ParseXor();
    Chain(left, kPrecOr, " OR ", right, kPrecOr + 1, kPrecOr);
  }
  return left;
}

Expr Parser::ParseXor() {
  Expr left = ParseAnd();
  while (Cur().Is("XOR")) {
    Advance();
    Expr right = ParseAnd();
    left = Make("((" + left.sql + ") <> 0) <> ((" + right.sql + ") <> 0)", kPrecCmp, left.begin,
                right.end);
  }
  return left;
}

Expr Parser::ParseAnd() {
  Expr left = ParseNot();
  while (Cur().Is("AND") || Cur().IsOp("&&")) {
    Advance();
    Expr right = ParseNot();
    Chain(left, kPrecAnd, " AND ", right, kPrecAnd + 1, kPrecAnd);
  }
  return left;
}

Expr Parser::ParseNot() {
  DepthGuard guard(*this);
  if (Cur().Is("NOT")) {
    size_t begin = Cur().offset;
    Advance();
    Expr e = ParseNot();
    return Make("NOT " + Wrap(e, kPrecNot), kPrecNot, begin, e.end);
  }
  return ParsePredicate();
}

Expr Parser::ParsePredicate() {
  Expr left = ParseBitOr();
  while (true) {
    const Token& t = Cur();
    static const char* const kCmp[] = {"=", "<=>", "<", "<=", ">", ">=", "<>", "!="};
    bool is_cmp = false;
    if (t.kind == TokenKind::kOperator)
      for (auto op : kCmp)
        if (t.text == op) is_cmp = true;
    if (is_cmp) {
      std::string op = Advance().text;
      if (Cur().Is("ANY") || Cur().Is("SOME") || Cur().Is("ALL")) {
        Unsupported("comparison with ANY/SOME/ALL subquery");
      }
      Expr right = ParseBitOr();
      if (op == "<=>") op = "IS";
      if (op == "!=") op = "<>";
      // MySQL's default collations are case-insensitive. A column compares
      // with its own collation (NOCASE unless _bin), but SQLite compares
      // other text (literals, variables, function results) with BINARY: give
      // a string literal compared with a non-column NOCASE.
      auto ci = [](Expr& lit, const Expr& other) {
        if (lit.string_literal && !other.column_ref &&
            lit.sql.find(" COLLATE ") == std::string::npos &&
            other.sql.find(" COLLATE ") == std::string::npos) {
          lit.sql += " COLLATE NOCASE";
          lit.prec = kPrecUnary;
          return true;
        }
        return false;
      };
      if (!ci(right, left)) ci(left, right);
      left = Make(Wrap(left, kPrecCmp + 1) + " " + op + " " + Wrap(right, kPrecCmp + 1), kPrecCmp,
                  left.begin, right.end);
      continue;
    }
    if (t.Is("IS")) {
      Advance();
      bool neg = Accept("NOT");
      std::string what;
      if (Accept("NULL")) {
        what = "NULL";
      } else if (Accept("TRUE")) {
        what = "TRUE";
      } else if (Accept("FALSE")) {
        what = "FALSE";
      } else if (Accept("UNKNOWN")) {
        what = "NULL";
      } else {
        Fail();
      }
      left = Make(Wrap(left, kPrecCmp + 1) + (neg ? " IS NOT " : " IS ") + what, kPrecCmp,
                  left.begin, PrevEnd());
      continue;
    }
    size_t save = pos_;
    bool neg = false;
    if (t.Is("NOT") && (Peek(1).Is("IN") || Peek(1).Is("BETWEEN") || Peek(1).Is("LIKE") ||
                        Peek(1).Is("REGEXP") || Peek(1).Is("RLIKE"))) {
      Advance();
      neg = true;
    }
    const Token& k = Cur();
    std::string not_str = neg ? "NOT " : "";
    if (k.Is("IN")) {
      Advance();
      ExpectOp("(");
      std::string inner;
      if (Cur().Is("SELECT") || (Cur().IsOp("(") && Peek(1).Is("SELECT"))) {
        inner = ParseSelectSql(false);
      } else {
        std::vector<Expr> items;
        items.push_back(ParseExpr());
        while (AcceptOp(",")) items.push_back(ParseExpr());
        inner = Join(items);
      }
      ExpectOp(")");
      left = Make(Wrap(left, kPrecCmp + 1) + " " + not_str + "IN (" + inner + ")", kPrecCmp,
                  left.begin, PrevEnd());
      continue;
    }
    if (k.Is("BETWEEN")) {
      Advance();
      Expr lo = ParseBitOr();
      Expect("AND");
      Expr hi = ParsePredicate();
      left = Make(Wrap(left, kPrecCmp + 1) + " " + not_str + "BETWEEN " + Wrap(lo, kPrecCmp + 1) +
                      " AND " + Wrap(hi, kPrecCmp + 1),
                  kPrecCmp, left.begin, hi.end);
      continue;
    }
    if (k.Is("LIKE")) {
      Advance();
      Expr pat = ParseBitOr();
      std::string esc;
      if (Accept("ESCAPE")) {
        Expr e = ParseBitOr();
        esc = " ESCAPE " + e.sql;
      } else if (!pat.string_literal || pat.literal_value.find('\\') != std::string::npos) {
        esc = " ESCAPE '\\'";
      }
      left =
          Make(Wrap(left, kPrecCmp + 1) + " " + not_str + "LIKE " + Wrap(pat, kPrecCmp + 1) + esc,
               kPrecCmp, left.begin, PrevEnd());
      continue;
    }
    if (k.Is("REGEXP") || k.Is("RLIKE")) {
      Advance();
      Expr pat = ParseBitOr();
      left = Make(Wrap(left, kPrecCmp + 1) + " " + not_str + "REGEXP " + Wrap(pat, kPrecCmp + 1),
                  kPrecCmp, left.begin, pat.end);
      continue;
    }
    if (k.Is("SOUNDS")) Unsupported("SOUNDS LIKE");
    pos_ = save;
    break;
  }
  return left;
}

Expr Parser::ParseBitOr() {
  Expr left = ParseBitAnd();
  while (Cur().IsOp("|")) {
    Advance();
    Expr right = ParseBitAnd();
    Chain(left, kPrecAdd, " | ", right, kPrecAdd, kPrecBitOr);
  }
  return left;
}

Expr Parser::ParseBitAnd() {
  Expr left = ParseShift();
  while (Cur().IsOp("&")) {
    Advance();
    Expr right = ParseShift();
    Chain(left, kPrecAdd, " & ", right, kPrecAdd, kPrecBitAnd);
  }
  return left;
}

Expr Parser::ParseShift() {
  Expr left = ParseAdd();
  while (Cur().IsOp("<<") || Cur().IsOp(">>")) {
    std::string op = Advance().text;
    Expr right = ParseAdd();
    Chain(left, kPrecAdd, " " + op + " ", right, kPrecAdd, kPrecShift);
  }
  return left;
}

Expr Parser::ParseAdd() {
  Expr left = ParseMul();
  while (Cur().IsOp("+") || Cur().IsOp("-")) {
    std::string op = Advance().text;
    if (Cur().Is("INTERVAL")) {
      Advance();
      left = ParseInterval(left.sql, op == "-", left.begin);
      continue;
    }
    Expr right = ParseMul();
    Chain(left, kPrecAdd, " " + op + " ", right, kPrecAdd + 1, kPrecAdd);
  }
  return left;
}

Expr Parser::ParseMul() {
  Expr left = ParseBitXor();
  while (true) {
    const Token& t = Cur();
    if (t.IsOp("*") || t.IsOp("%") || t.Is("MOD")) {
      std::string op = t.IsOp("*") ? "*" : "%";
      Advance();
      Expr right = ParseBitXor();
      Chain(left, kPrecMul, " " + op + " ", right, kPrecMul + 1, kPrecMul);
    } else if (t.IsOp("/")) {
      Advance();
      Expr right = ParseBitXor();
      // MySQL's / is never integer division.
      Chain(left, kPrecMul, " * 1.0 / ", right, kPrecMul + 1, kPrecMul);
    } else if (t.Is("DIV")) {
      Advance();
      Expr right = ParseBitXor();
      left =
          Make("CAST(" + Wrap(left, kPrecMul) + " / " + Wrap(right, kPrecMul + 1) + " AS INTEGER)",
               kPrecAtom, left.begin, right.end);
    } else {
      break;
    }
  }
  return left;
}

Expr Parser::ParseBitXor() {
  Expr left = ParseUnary();
  while (Cur().IsOp("^")) {
    Advance();
    Expr right = ParseUnary();
    std::string l = "(" + left.sql + ")", r = "(" + right.sql + ")";
    left = Make("((" + l + " | " + r + ") - (" + l + " & " + r + "))", kPrecAtom, left.begin,
                right.end);
  }
  return left;
}

Expr Parser::ParseUnary() {
  DepthGuard guard(*this);
  const Token& t = Cur();
  size_t begin = t.offset;
  if (t.IsOp("-")) {
    Advance();
    Expr e = ParseUnary();
    Expr r = Make("-" + Wrap(e, kPrecUnary), kPrecUnary, begin, e.end);
    return r;
  }
  if (t.IsOp("+")) {
    Advance();
    Expr e = ParseUnary();
    e.begin = begin;
    e.column_ref = false;
    e.string_literal = false;
    return e;
  }
  if (t.IsOp("~")) {
    Advance();
    Expr e = ParseUnary();
    return Make("~" + Wrap(e, kPrecUnary), kPrecUnary, begin, e.end);
  }
  if (t.IsOp("!")) {
    Advance();
    Expr e = ParseUnary();
    return Make("(NOT " + Wrap(e, kPrecUnary) + ")", kPrecAtom, begin, e.end);
  }
  if (t.Is("BINARY") && !Peek(1).IsOp("(") && !Peek(1).IsOp(",") && !Peek(1).IsOp(")") &&
      Peek(1).kind != TokenKind::kEnd) {
    Advance();
    Expr e = ParseUnary();
    return Make(Wrap(e, kPrecAtom) + " COLLATE BINARY", kPrecUnary, begin, e.end);
  }
  return ParseCollate();
}

Expr Parser::ParseCollate() {
  Expr e = ParseAtom();
  while (Cur().Is("COLLATE")) {
    Advance();
    std::string coll = IdentOrString();
    std::string lower = ToLower(coll);
    bool binary =
        lower == "binary" || (lower.size() > 4 && lower.compare(lower.size() - 4, 4, "_bin") == 0);
    Expr r = Make(Wrap(e, kPrecAtom) + (binary ? " COLLATE BINARY" : " COLLATE NOCASE"), kPrecUnary,
                  e.begin, PrevEnd());
    r.string_literal = e.string_literal;
    r.literal_value = e.literal_value;
    e = r;
  }
  return e;
}

std::string Parser::ParseIntervalUnit() {
  const Token& t = Cur();
  if (t.kind == TokenKind::kIdent) {
    for (auto u : kIntervalUnits) {
      if (t.Is(u)) {
        Advance();
        return u;
      }
    }
  }
  Fail();
}

Expr Parser::ParseInterval(const std::string& date_sql, bool subtract, size_t begin) {
  // After INTERVAL: expr unit.
  Expr amount = ParseExpr();
  std::string unit = ParseIntervalUnit();
  return Make(std::string(subtract ? "reptut_date_sub(" : "reptut_date_add(") + date_sql + ", " +
                  amount.sql + ", '" + unit + "')",
              kPrecAtom, begin, PrevEnd());
}

std::vector<Expr> Parser::ParseArgs() {
  std::vector<Expr> args;
  if (AcceptOp(")")) return args;
  args.push_back(ParseExpr());
  while (AcceptOp(",")) args.push_back(ParseExpr());
  ExpectOp(")");
  return args;
}

Expr Parser::ParseAtom() {
  const Token& t = Cur();
  size_t begin = t.offset;
  switch (t.kind) {
    case TokenKind::kString: {
      Token tok = Advance();
      Expr e = Make(Literal(tok), kPrecAtom, begin, PrevEnd());
      e.string_literal = true;
      e.literal_value = tok.text;
      return e;
    }
    case TokenKind::kHexString:
    case TokenKind::kBitString:
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kFloat: {
      Token tok = Advance();
      return Make(Literal(tok), kPrecAtom, begin, PrevEnd());
    }
    case TokenKind::kUserVar: {
      Token tok = Advance();
      if (AcceptOp(":=")) {
        // @x := expr (the loosest operator): reptut_setvar sets it and
        // gives the value; the statement's reads of @x then become
        // reptut_getvar (see LiveAssignedVars in parse_dml.cc).
        Expr value = ParseExpr();
        return Make("reptut_setvar(" + SqliteString(ToLower(tok.text)) + ", " + value.sql + ")",
                    kPrecAtom, begin, PrevEnd());
      }
      return Make(UserVarRef(tok.text), kPrecAtom, begin, PrevEnd());
    }
    case TokenKind::kSysVar: {
      Token tok = Advance();
      return Make(SysVarRef(tok.text, tok.sysvar_scope), kPrecAtom, begin, PrevEnd());
    }
    case TokenKind::kParam:
      Advance();
      ++info_->param_count;
      return Make("?", kPrecAtom, begin, PrevEnd());
    case TokenKind::kOperator:
      if (t.IsOp("(")) {
        Advance();
        if (Cur().Is("SELECT") || (Cur().IsOp("(") && Peek(1).Is("SELECT"))) {
          std::string sub = ParseSelectSql(false);
          ExpectOp(")");
          return Make("(" + sub + ")", kPrecAtom, begin, PrevEnd());
        }
        std::vector<Expr> items;
        items.push_back(ParseExpr());
        while (AcceptOp(",")) items.push_back(ParseExpr());
        ExpectOp(")");
        if (items.size() == 1) {
          Expr e = items[0];
          e.sql = "(" + e.sql + ")";
          e.prec = kPrecAtom;
          e.begin = begin;
          e.end = PrevEnd();
          e.column_ref = false;
          e.word = false;
          return e;
        }
        return Make("(" + Join(items) + ")", kPrecAtom, begin, PrevEnd());
      }
      if (t.IsOp("{")) Unsupported("ODBC escape syntax");
      Fail();
    case TokenKind::kQuotedIdent:
    case TokenKind::kIdent:
      break;
    case TokenKind::kEnd:
      Fail();
  }

  // Identifiers, keywords, functions.
  if (t.kind == TokenKind::kIdent) {
    if (t.Is("NULL")) {
      Advance();
      Expr e = Make("NULL", kPrecAtom, begin, PrevEnd());
      e.is_null = true;
      return e;
    }
    if (t.Is("TRUE") || t.Is("FALSE")) {
      bool v = t.Is("TRUE");
      Advance();
      Expr e = Make(v ? "1" : "0", kPrecAtom, begin, PrevEnd());
      e.word = true;
      e.word_text = v ? "TRUE" : "FALSE";
      return e;
    }
    if (t.Is("DEFAULT") && !Peek(1).IsOp("(")) {
      Advance();
      Expr e = Make("DEFAULT", kPrecAtom, begin, PrevEnd());
      e.is_default = true;
      e.word = true;
      e.word_text = "DEFAULT";
      return e;
    }
    if (t.Is("EXISTS") && Peek(1).IsOp("(")) {
      Advance();
      ExpectOp("(");
      std::string sub = ParseSelectSql(false);
      ExpectOp(")");
      return Make("EXISTS (" + sub + ")", kPrecAtom, begin, PrevEnd());
    }
    if (t.Is("NOT")) {
      // NOT inside an operand position (e.g. "a = NOT b") binds loosely.
      Advance();
      Expr e = ParseUnary();
      return Make("(NOT " + Wrap(e, kPrecUnary) + ")", kPrecAtom, begin, e.end);
    }
    if (t.Is("CASE")) {
      Advance();
      std::string out = "CASE";
      if (!Cur().Is("WHEN")) out += " " + ParseExpr().sql;
      bool any = false;
      while (Accept("WHEN")) {
        any = true;
        out += " WHEN " + ParseExpr().sql;
        Expect("THEN");
        out += " THEN " + ParseExpr().sql;
      }
      if (!any) Fail();
      if (Accept("ELSE")) out += " ELSE " + ParseExpr().sql;
      Expect("END");
      return Make(out + " END", kPrecAtom, begin, PrevEnd());
    }
    if (t.Is("INTERVAL") && !Peek(1).IsOp("(")) {
      Advance();
      Expr amount = ParseExpr();
      std::string unit = ParseIntervalUnit();
      ExpectOp("+");
      Expr date = ParseMul();
      return Make("reptut_date_add(" + date.sql + ", " + amount.sql + ", '" + unit + "')",
                  kPrecAtom, begin, date.end);
    }
    if (t.Is("MATCH") && Peek(1).IsOp("(")) Unsupported("MATCH ... AGAINST");
    if (t.Is("ROW") && Peek(1).IsOp("(")) {
      Advance();
      ExpectOp("(");
      auto args = ParseArgs();
      return Make("(" + Join(args) + ")", kPrecAtom, begin, PrevEnd());
    }
    if (IsNiladicKeyword(t.text) && !Peek(1).IsOp("(")) {
      Token tok = Advance();
      std::string name = ToUpper(tok.text);
      for (const auto& a : kAliases)
        if (name == a.from) name = a.to;
      if (IsNowFamily(name)) info_->uses_now = true;
      return Make(name + "()", kPrecAtom, begin, PrevEnd());
    }
    if (Peek(1).IsOp("(")) {
      Token name_tok = Advance();
      return ParseFunction(name_tok);
    }
  }

  // Column reference: a [. b [. c]] (after a '.', any word is a name).
  if (!IsIdentToken(t)) Fail();
  std::vector<std::string> parts;
  parts.push_back(Advance().text);
  while (Cur().IsOp(".") &&
         (Peek(1).kind == TokenKind::kIdent || Peek(1).kind == TokenKind::kQuotedIdent)) {
    Advance();
    parts.push_back(Advance().text);
  }
  if (parts.size() > 3) Fail();
  std::string sql;
  // db.t.c -> t.c (the engine maps tables; aliases are the table names).
  size_t first = parts.size() == 3 ? 1 : 0;
  for (size_t i = first; i < parts.size(); ++i) {
    if (i > first) sql += ".";
    sql += QuoteIdent(parts[i]);
  }
  Expr e = Make(sql, kPrecAtom, begin, PrevEnd());
  e.column_ref = true;
  if (parts.size() == 1) {
    e.word = true;
    e.word_text = parts[0];
  }
  return e;
}

Expr Parser::ParseFunction(const Token& name_tok) {
  size_t begin = name_tok.offset;
  ExpectOp("(");
  std::string name = ToUpper(name_tok.text);
  for (const auto& a : kAliases)
    if (name == a.from) name = a.to;
  auto done = [&](std::string sql) { return Make(std::move(sql), kPrecAtom, begin, PrevEnd()); };

  // Functions with special syntax first.
  if (name == "CAST" || name == "CONVERT") {
    Expr x = ParseExpr();
    if (name == "CONVERT" && Accept("USING")) {
      Ident();
      ExpectOp(")");
      return done(x.sql);
    }
    if (name == "CAST") {
      Expect("AS");
    } else {
      ExpectOp(",");
    }
    std::string out;
    if (Accept("SIGNED") || Accept("UNSIGNED")) {
      Accept("INTEGER") || Accept("INT");
      out = "CAST(" + x.sql + " AS INTEGER)";
    } else if (Accept("CHAR") || Accept("NCHAR") || Accept("VARCHAR")) {
      std::optional<uint64_t> len;
      if (AcceptOp("(")) {
        len = UInt();
        ExpectOp(")");
      }
      if (Accept("CHARACTER")) {
        Expect("SET");
        Ident();
      } else if (Accept("CHARSET")) {
        Ident();
      }
      out = "CAST(" + x.sql + " AS TEXT)";
      if (len) out = "substr(" + out + ", 1, " + std::to_string(*len) + ")";
    } else if (Accept("BINARY")) {
      if (AcceptOp("(")) {
        UInt();
        ExpectOp(")");
      }
      out = "CAST(" + x.sql + " AS BLOB)";
    } else if (Accept("DECIMAL")) {
      uint64_t scale = 0;
      if (AcceptOp("(")) {
        UInt();
        if (AcceptOp(",")) scale = UInt();
        ExpectOp(")");
      }
      out = "ROUND(CAST(" + x.sql + " AS REAL), " + std::to_string(scale) + ")";
    } else if (Accept("DATE")) {
      out = "DATE(" + x.sql + ")";
    } else if (Accept("DATETIME")) {
      if (AcceptOp("(")) {
        UInt();
        ExpectOp(")");
      }
      out = "reptut_datetime(" + x.sql + ")";
    } else if (Accept("TIME")) {
      if (AcceptOp("(")) {
        UInt();
        ExpectOp(")");
      }
      out = "TIME(" + x.sql + ")";
    } else if (Cur().Is("JSON")) {
      Unsupported("CAST AS JSON");
    } else {
      Fail();
    }
    ExpectOp(")");
    return done(out);
  }
  if (name == "SUBSTRING") {
    Expr s = ParseExpr();
    std::vector<Expr> rest;
    if (Accept("FROM")) {
      rest.push_back(ParseExpr());
      if (Accept("FOR")) rest.push_back(ParseExpr());
    } else {
      ExpectOp(",");
      rest.push_back(ParseExpr());
      if (AcceptOp(",")) rest.push_back(ParseExpr());
    }
    ExpectOp(")");
    std::string out = "substr(" + s.sql;
    for (auto& r : rest) out += ", " + r.sql;
    return done(out + ")");
  }
  if (name == "TRIM") {
    std::string mode = "trim";
    if (Accept("BOTH")) {
    } else if (Accept("LEADING")) {
      mode = "ltrim";
    } else if (Accept("TRAILING")) {
      mode = "rtrim";
    }
    std::optional<Expr> rem;
    if (Accept("FROM")) {
      Expr s = ParseExpr();
      ExpectOp(")");
      return done(mode + "(" + s.sql + ", ' ')");
    }
    Expr first = ParseExpr();
    if (Accept("FROM")) {
      Expr s = ParseExpr();
      ExpectOp(")");
      return done(mode + "(" + s.sql + ", " + first.sql + ")");
    }
    ExpectOp(")");
    return done(mode + "(" + first.sql + ", ' ')");
  }
  if (name == "POSITION") {
    Expr sub = ParseBitOr();
    Expect("IN");
    Expr s = ParseExpr();
    ExpectOp(")");
    return done("instr(" + s.sql + ", " + sub.sql + ")");
  }
  if (name == "EXTRACT") {
    std::string unit = ParseIntervalUnit();
    Expect("FROM");
    Expr d = ParseExpr();
    ExpectOp(")");
    return done("reptut_extract('" + unit + "', " + d.sql + ")");
  }
  if (name == "DATE_ADD" || name == "DATE_SUB" || name == "ADDDATE" || name == "SUBDATE") {
    bool sub = name == "DATE_SUB" || name == "SUBDATE";
    Expr d = ParseExpr();
    ExpectOp(",");
    if (Accept("INTERVAL")) {
      Expr r = ParseInterval(d.sql, sub, begin);
      ExpectOp(")");
      r.end = PrevEnd();
      return r;
    }
    if (name == "DATE_ADD" || name == "DATE_SUB") Fail();
    Expr n = ParseExpr();
    ExpectOp(")");
    return done(std::string(sub ? "reptut_date_sub(" : "reptut_date_add(") + d.sql + ", " + n.sql +
                ", 'DAY')");
  }
  if (name == "TIMESTAMPADD" || name == "TIMESTAMPDIFF") {
    std::string unit = ParseIntervalUnit();
    ExpectOp(",");
    Expr a = ParseExpr();
    ExpectOp(",");
    Expr b = ParseExpr();
    ExpectOp(")");
    if (name == "TIMESTAMPADD")
      return done("reptut_date_add(" + b.sql + ", " + a.sql + ", '" + unit + "')");
    return done("reptut_timestampdiff('" + unit + "', " + a.sql + ", " + b.sql + ")");
  }
  if (name == "GROUP_CONCAT") {
    bool distinct = Accept("DISTINCT");
    std::vector<Expr> items;
    items.push_back(ParseExpr());
    while (AcceptOp(",")) items.push_back(ParseExpr());
    if (AcceptSeq({"ORDER", "BY"})) Unsupported("GROUP_CONCAT with ORDER BY");
    std::string sep;
    if (Accept("SEPARATOR")) sep = SqliteString(StringLit());
    ExpectOp(")");
    std::string arg = items.size() == 1 ? items[0].sql : "CONCAT(" + Join(items) + ")";
    if (distinct) {
      if (!sep.empty() && sep != "','") Unsupported("GROUP_CONCAT(DISTINCT ... SEPARATOR)");
      return done("group_concat(DISTINCT " + arg + ")");
    }
    return done("group_concat(" + arg + (sep.empty() ? "" : ", " + sep) + ")");
  }
  if (name == "COUNT") {
    if (AcceptOp("*")) {
      ExpectOp(")");
      return done("COUNT(*)");
    }
    bool distinct = Accept("DISTINCT");
    auto args = ParseArgs();
    if (args.empty()) Fail();
    if (distinct && args.size() > 1) Unsupported("COUNT(DISTINCT) with several expressions");
    if (args.size() > 1) Fail();
    return done(std::string("COUNT(") + (distinct ? "DISTINCT " : "") + args[0].sql + ")");
  }
  if (name == "SUM" || name == "AVG" || name == "MIN" || name == "MAX" || name == "BIT_AND" ||
      name == "BIT_OR" || name == "BIT_XOR" || name == "STD" || name == "VARIANCE") {
    bool has_distinct = Accept("DISTINCT");
    if (!has_distinct) Accept("ALL");
    auto args = ParseArgs();
    if (args.size() != 1) Fail();
    std::string fn = name == "MIN" ? "min" : name == "MAX" ? "max" : name;
    return done(fn + "(" + (has_distinct ? "DISTINCT " : "") + args[0].sql + ")");
  }
  if (name == "CHAR") {
    std::vector<Expr> args;
    args.push_back(ParseExpr());
    while (AcceptOp(",")) args.push_back(ParseExpr());
    if (Accept("USING")) Ident();
    ExpectOp(")");
    return done("CHAR(" + Join(args) + ")");
  }
  if (name == "VALUES") {
    if (!in_on_duplicate_) Unsupported("VALUES() outside ON DUPLICATE KEY UPDATE");
    std::string col = Ident();
    ExpectOp(")");
    return done("excluded." + QuoteIdent(col));
  }
  if (name == "DEFAULT") Unsupported("DEFAULT()");
  if (name == "WEIGHT_STRING" || name == "MATCH" || name.rfind("JSON_", 0) == 0 ||
      name.rfind("ST_", 0) == 0) {
    Unsupported(name);
  }

  auto args = ParseArgs();
  size_t n = args.size();
  auto need = [&](size_t lo, size_t hi) {
    if (n < lo || n > hi) {
      Raise(MakeErrorMsg(1582, "Incorrect parameter count in the call to native function '" +
                                   std::string(name_tok.text) + "'"));
    }
  };

  if (IsNowFamily(name)) info_->uses_now = true;
  if (name == "RAND") info_->uses_rand = true;
  if (name == "UUID" || name == "UUID_SHORT") info_->uses_uuid = true;
  if (name == "SLEEP") info_->uses_sleep = true;
  if (name == "MASTER_POS_WAIT") info_->uses_master_pos_wait = true;
  if (name == "LAST_INSERT_ID") {
    if (n == 0)
      info_->uses_last_insert_id = true;
    else
      info_->sets_last_insert_id = true;
  }

  if (name == "IF") {
    need(3, 3);
    return done("iif(" + Join(args) + ")");
  }
  if (name == "COALESCE" && n == 1) {
    // SQLite's coalesce() wants two arguments.
    return done("(" + args[0].sql + ")");
  }
  if (name == "ISNULL") {
    need(1, 1);
    return done("(" + args[0].sql + " IS NULL)");
  }
  if (name == "LENGTH") {
    need(1, 1);
    return done("length(CAST(" + args[0].sql + " AS BLOB))");
  }
  if (name == "CHAR_LENGTH") {
    need(1, 1);
    return done("length(" + args[0].sql + ")");
  }
  if (name == "UPPER" || name == "LOWER") {
    need(1, 1);
    return done(ToLower(name) + "(" + args[0].sql + ")");
  }
  if (name == "LEFT") {
    need(2, 2);
    return done("substr(" + args[0].sql + ", 1, " + args[1].sql + ")");
  }
  if (name == "RIGHT") {
    need(2, 2);
    return done("substr(" + args[0].sql + ", max(length(" + args[0].sql + ") - (" + args[1].sql +
                ") + 1, 1))");
  }
  if (name == "GREATEST" || name == "LEAST") {
    if (n < 2) need(2, 1000);
    return done(std::string(name == "GREATEST" ? "max(" : "min(") + Join(args) + ")");
  }
  if (name == "LOCATE" && n == 2) {
    return done("instr(" + args[1].sql + ", " + args[0].sql + ")");
  }
  if (name == "MOD") {
    need(2, 2);
    return done("(" + Wrap(args[0], kPrecMul) + " % " + Wrap(args[1], kPrecMul + 1) + ")");
  }
  if (name == "POW") {
    need(2, 2);
    return done("pow(" + Join(args) + ")");
  }
  if (name == "FORMAT") {
    need(2, 3);
    return done("reptut_format(" + Join(args) + ")");
  }
  if (name == "REGEXP") {
    need(2, 2);
    return done("regexp(" + args[1].sql + ", " + args[0].sql + ")");
  }
  if (name == "CONCAT" || name == "CONCAT_WS" || name == "COALESCE" || name == "FIELD" ||
      name == "ELT") {
    if (n == 0) need(1, 1000);
  }
  if (InList(kPassThrough, std::size(kPassThrough), name)) {
    return done(name + "(" + Join(args) + ")");
  }
  std::string db = options_.current_db;
  Raise(MakeError(ER_SP_DOES_NOT_EXIST, {"FUNCTION", (db.empty() ? std::string() : db + ".") +
                                                         std::string(name_tok.text)}));
}

}  // namespace reptut::sql::internal
