// Parser core: token helpers, names and literals, and the statement
// dispatch. The statement families live in parse_*.cc.
#include "sql/parser.h"
#include "common/sql_text.h"

#include "sql/parser_internal.h"

namespace reptut::sql {

namespace internal {

void ParseLoadData(Parser& p, Statement& st);  // parse_load.cc

namespace {
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}
}  // namespace

std::string SqliteString(std::string_view text) {
  if (text.find('\0') != std::string_view::npos || !ValidUtf8(text)) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out = "CAST(X'";
    for (unsigned char c : text) {
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
    return out + "' AS TEXT)";
  }
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('\'');
  // Runs without a quote in one copy; each quote doubled.
  for (size_t q; (q = text.find('\'')) != std::string_view::npos; text.remove_prefix(q + 1)) {
    out.append(text.data(), q + 1);
    out.push_back('\'');
  }
  out.append(text.data(), text.size());
  out.push_back('\'');
  return out;
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

std::string QuoteAlias(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string MysqlQuote(std::string_view text) {
  return QuoteMysqlString(text);
}

Parser::Parser(std::string_view sql, std::vector<Token> tokens, const ParseOptions& options)
    : sql_(sql), toks_(std::move(tokens)), options_(options) {
  info_ = &scratch_;
}

const Token& Parser::Peek(size_t n) const {
  size_t i = pos_ + n;
  if (i >= toks_.size()) return toks_.back();
  return toks_[i];
}

const Token& Parser::Advance() {
  const Token& t = toks_[pos_];
  if (pos_ + 1 < toks_.size()) ++pos_;
  return t;
}

bool Parser::Accept(std::string_view keyword) {
  if (Cur().Is(keyword)) {
    Advance();
    return true;
  }
  return false;
}

bool Parser::AcceptSeq(std::initializer_list<std::string_view> keywords) {
  size_t i = 0;
  for (auto k : keywords) {
    if (!Peek(i).Is(k)) return false;
    ++i;
  }
  pos_ += i;
  return true;
}

bool Parser::AcceptOp(std::string_view op) {
  if (Cur().IsOp(op)) {
    Advance();
    return true;
  }
  return false;
}

void Parser::Expect(std::string_view keyword) {
  if (!Accept(keyword)) Fail();
}

void Parser::ExpectOp(std::string_view op) {
  if (!AcceptOp(op)) Fail();
}

bool Parser::AtEnd() const {
  if (Cur().kind == TokenKind::kEnd) return true;
  return Cur().IsOp(";") && Peek(1).kind == TokenKind::kEnd;
}

void Parser::ExpectEnd() {
  if (!AtEnd()) Fail();
}

void Parser::Fail() const {
  FailAt(Cur());
}

void Parser::FailAt(const Token& t) const {
  throw ParseFailure{
      MakeError(ER_PARSE_ERROR, {NearText(sql_, t.offset), static_cast<int>(t.line)})};
}

void Parser::Unsupported(std::string_view what) const {
  throw ParseFailure{MakeError(ER_NOT_SUPPORTED_YET, {what})};
}

void Parser::Raise(Error e) const {
  throw ParseFailure{std::move(e)};
}

bool Parser::IsIdentToken(const Token& t) const {
  if (t.kind == TokenKind::kQuotedIdent) return true;
  return t.kind == TokenKind::kIdent && !IsReservedWord(t.text);
}

std::string Parser::Ident() {
  if (!IsIdentToken(Cur())) Fail();
  return Advance().text;
}

std::string Parser::IdentOrString() {
  if (Cur().kind == TokenKind::kString) return Advance().text;
  return Ident();
}

TableName Parser::ParseTableName() {
  TableName t;
  t.name = Ident();
  if (Cur().IsOp(".")) {
    Advance();
    t.db = std::move(t.name);
    // After a '.', MySQL accepts reserved words as names.
    if (Cur().kind == TokenKind::kIdent || Cur().kind == TokenKind::kQuotedIdent) {
      t.name = Advance().text;
    } else {
      Fail();
    }
  }
  return t;
}

std::string Parser::StringLit() {
  if (Cur().kind != TokenKind::kString) Fail();
  return Advance().text;
}

uint64_t Parser::UInt() {
  if (Cur().kind != TokenKind::kInteger) Fail();
  const std::string& text = Cur().text;
  uint64_t v = 0;
  for (char c : text) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) Fail();
    v = v * 10 + d;
  }
  Advance();
  return v;
}

std::string Parser::NumberOrStringText() {
  const Token& t = Cur();
  if (t.kind == TokenKind::kString || t.kind == TokenKind::kInteger ||
      t.kind == TokenKind::kDecimal || t.kind == TokenKind::kFloat) {
    return Advance().text;
  }
  if (t.IsOp("-") && (Peek(1).kind == TokenKind::kInteger || Peek(1).kind == TokenKind::kDecimal)) {
    Advance();
    return "-" + Advance().text;
  }
  Fail();
}

UserName Parser::ParseUser() {
  UserName u;
  if (Cur().Is("CURRENT_USER")) {
    Advance();
    if (AcceptOp("(")) ExpectOp(")");
    u.current_user = true;
    u.host.clear();
    return u;
  }
  const Token& t = Cur();
  if (t.kind == TokenKind::kString || t.kind == TokenKind::kQuotedIdent ||
      (t.kind == TokenKind::kIdent)) {
    u.user = Advance().text;
  } else {
    Fail();
  }
  if (Cur().kind == TokenKind::kUserVar) {
    u.host = ToLower(Advance().text);
  } else if (Cur().IsOp("@")) {
    Advance();
    const Token& h = Cur();
    if (h.kind == TokenKind::kString || h.kind == TokenKind::kQuotedIdent ||
        h.kind == TokenKind::kIdent) {
      u.host = ToLower(Advance().text);
    } else {
      Fail();
    }
  }
  return u;
}

std::string Parser::SourceText(size_t begin, size_t end) const {
  if (end <= begin || begin >= sql_.size()) return "";
  return std::string(sql_.substr(begin, end - begin));
}

size_t Parser::PrevEnd() const {
  if (pos_ == 0) return 0;
  const Token& t = toks_[pos_ - 1];
  return t.offset + t.length;
}

Statement Parser::ParseStatement() {
  Statement st;
  const Token& t = Cur();
  if (AtEnd()) {
    st.kind = StatementKind::kEmpty;
    return st;
  }
  if (ParseDml(st)) {
  } else if (t.Is("DO")) {
    ParseDo(st);
  } else if (t.Is("SET")) {
    ParseSet(st);
  } else if (t.Is("SHOW")) {
    ParseShow(st);
  } else if (t.Is("DESCRIBE") || t.Is("DESC") || t.Is("EXPLAIN")) {
    ParseDescribe(st);
  } else if (t.Is("CREATE")) {
    ParseCreate(st);
  } else if (t.Is("DROP")) {
    ParseDrop(st);
  } else if (t.Is("ALTER")) {
    ParseAlter(st);
  } else if (t.Is("RENAME")) {
    if (Peek(1).Is("USER")) {
      ParseRenameUser(st);
    } else {
      ParseRenameTable(st);
    }
  } else if (t.Is("TRUNCATE")) {
    Advance();
    Accept("TABLE");
    st.kind = StatementKind::kTruncate;
    st.table.tables.push_back(ParseTableName());
    ExpectEnd();
  } else if (t.Is("USE")) {
    Advance();
    st.kind = StatementKind::kUse;
    st.db.name = Ident();
    ExpectEnd();
  } else if (t.Is("BEGIN") || t.Is("START") || t.Is("COMMIT") || t.Is("ROLLBACK") ||
             t.Is("SAVEPOINT") || t.Is("RELEASE") || t.Is("XA")) {
    if (t.Is("START") && (Peek(1).Is("SLAVE") || Peek(1).Is("REPLICA"))) {
      ParseStartSlave(st, false);
    } else {
      ParseBegin(st);
    }
  } else if (t.Is("STOP")) {
    ParseStopSlave(st);
  } else if (t.Is("SLAVE")) {
    ParseStartSlave(st, true);
  } else if (t.Is("GRANT")) {
    ParseGrant(st);
  } else if (t.Is("REVOKE")) {
    ParseRevoke(st);
  } else if (t.Is("FLUSH")) {
    ParseFlush(st);
  } else if (t.Is("LOCK")) {
    ParseLockTables(st);
  } else if (t.Is("UNLOCK")) {
    Advance();
    if (!Accept("TABLES")) Expect("TABLE");
    st.kind = StatementKind::kUnlockTables;
    ExpectEnd();
  } else if (t.Is("KILL")) {
    Advance();
    st.kind = StatementKind::kKill;
    if (Accept("QUERY")) {
      st.admin.kill_query = true;
    } else {
      Accept("CONNECTION");
    }
    st.admin.kill_id = UInt();
    ExpectEnd();
  } else if (t.Is("SHUTDOWN")) {
    Advance();
    st.kind = StatementKind::kShutdown;
    ExpectEnd();
  } else if (t.Is("PURGE")) {
    ParsePurge(st);
  } else if (t.Is("RESET")) {
    Advance();
    if (Accept("MASTER")) {
      st.kind = StatementKind::kResetMaster;
    } else if (Accept("SLAVE") || Accept("REPLICA")) {
      st.kind = StatementKind::kResetSlave;
      if (Accept("ALL")) st.repl.reset_all = true;
    } else if (Accept("QUERY")) {
      Expect("CACHE");
      Unsupported("RESET QUERY CACHE");
    } else {
      Fail();
    }
    ExpectEnd();
  } else if (t.Is("CHANGE")) {
    ParseChangeMaster(st);
  } else if (t.Is("CHECK") || t.Is("ANALYZE") || t.Is("OPTIMIZE") || t.Is("REPAIR") ||
             t.Is("CHECKSUM")) {
    ParseTableMaintenance(st);
  } else if (t.Is("BINLOG")) {
    Advance();
    st.kind = StatementKind::kBinlog;
    st.repl.base64 = StringLit();
    ExpectEnd();
  } else if (t.Is("LOAD") && (Peek(1).Is("DATA") || Peek(1).Is("XML"))) {
    ParseLoadData(*this, st);
  } else if (t.Is("HANDLER") || t.Is("CALL") || t.Is("PREPARE") || t.Is("EXECUTE") ||
             t.Is("DEALLOCATE") || t.Is("LOAD") || t.Is("INSTALL") || t.Is("UNINSTALL") ||
             t.Is("CACHE") || t.Is("HELP") || t.Is("SIGNAL") || t.Is("RESIGNAL") || t.Is("GET")) {
    Unsupported(ToUpper(t.text));
  } else {
    Fail();
  }
  return st;
}

}  // namespace internal

using internal::ParseFailure;
using internal::Parser;

Result<Statement> Parse(std::string_view sql, const ParseOptions& options) {
  std::string_view trimmed = sql;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n' ||
                              trimmed.front() == '\t' || trimmed.front() == '\r'))
    trimmed.remove_prefix(1);
  if (trimmed.empty()) return MakeError(ER_EMPTY_QUERY);
  auto toks = Tokenize(sql, options.no_backslash_escapes);
  if (!toks.ok()) return toks.error();
  try {
    Parser p(sql, std::move(toks.value()), options);
    return p.ParseStatement();
  } catch (ParseFailure& f) {
    return std::move(f.error);
  }
}

Result<Statement> Parse(std::string_view sql) {
  static const ParseOptions kDefault;
  return Parse(sql, kDefault);
}

Result<std::string> TranslateExpression(std::string_view mysql_expr,
                                        std::vector<std::string>* user_vars) {
  auto toks = Tokenize(mysql_expr);
  if (!toks.ok()) return toks.error();
  static const ParseOptions kDefault;
  try {
    Parser p(mysql_expr, std::move(toks.value()), kDefault);
    DmlInfo info;
    p.set_info(&info);
    internal::Expr e = p.ParseExpr();
    p.ExpectEnd();
    if (user_vars) *user_vars = info.user_vars_read;
    return e.sql;
  } catch (ParseFailure& f) {
    return std::move(f.error);
  }
}

}  // namespace reptut::sql
