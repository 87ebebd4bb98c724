#include "sql/lexer.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/errors.h"

namespace reptut::sql {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Characters of an unquoted identifier (MySQL: letters, digits, _, $ and
// any byte >= 0x80).
bool IsIdentChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '$' ||
         u >= 0x80;
}
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Charset names accepted as introducers (_latin1 'x').
constexpr std::array<std::string_view, 20> kCharsets = {
    "latin1", "utf8",   "utf8mb3", "utf8mb4", "binary", "ascii", "ucs2", "utf16", "utf32", "cp1251",
    "cp1252", "latin2", "greek",   "hebrew",  "koi8r",  "gbk",   "big5", "sjis",  "ujis",  "euckr"};

bool IsCharsetName(std::string_view s) {
  for (auto cs : kCharsets)
    if (EqualsIgnoreCase(cs, s)) return true;
  return false;
}

std::string DecodeHexDigits(std::string_view digits) {
  std::string out;
  size_t i = 0;
  if (digits.size() % 2 == 1) {
    out.push_back(static_cast<char>(HexValue(digits[0])));
    i = 1;
  }
  for (; i + 1 < digits.size() + 1 && i < digits.size(); i += 2)
    out.push_back(static_cast<char>(HexValue(digits[i]) * 16 + HexValue(digits[i + 1])));
  return out;
}

std::string DecodeBitDigits(std::string_view digits) {
  std::string out;
  size_t nbytes = (digits.size() + 7) / 8;
  out.assign(nbytes, '\0');
  // Right-align the bits.
  size_t total = nbytes * 8;
  size_t pad = total - digits.size();
  for (size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] == '1') {
      size_t bit = pad + i;
      out[bit / 8] = static_cast<char>(out[bit / 8] | (0x80 >> (bit % 8)));
    }
  }
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view sql, bool no_backslash_escapes)
      : s_(sql), escapes_(!no_backslash_escapes) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      auto st = SkipSpaceAndComments();
      if (!st.ok()) return st.error();
      if (pos_ >= s_.size()) break;
      auto tok = Next();
      if (!tok.ok()) return tok.error();
      Token t = std::move(tok.value());
      // Adjacent string literals concatenate: 'a' 'b' -> 'ab'.
      if (t.kind == TokenKind::kString && !out.empty() && out.back().kind == TokenKind::kString &&
          t.charset.empty()) {
        Token& prev = out.back();
        prev.text += t.text;
        prev.length = t.offset + t.length - prev.offset;
        continue;
      }
      out.push_back(std::move(t));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.offset = s_.size();
    end.line = LineAt(s_.size());
    out.push_back(std::move(end));
    return out;
  }

 private:
  uint32_t LineAt(size_t off) {
    // Incremental line counting.
    while (line_pos_ < off && line_pos_ < s_.size()) {
      if (s_[line_pos_] == '\n') ++line_;
      ++line_pos_;
    }
    return line_;
  }

  char At(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  Error ErrorAt(size_t off) {
    return MakeError(ER_PARSE_ERROR, {NearText(s_, off), static_cast<int>(LineAt(off))});
  }

  Status SkipSpaceAndComments() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (IsSpace(c)) {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '-' && At(pos_ + 1) == '-' &&
                 (pos_ + 2 >= s_.size() || IsSpace(s_[pos_ + 2]) ||
                  static_cast<unsigned char>(s_[pos_ + 2]) < 32)) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '*' && At(pos_ + 1) == '/' && in_versioned_) {
        in_versioned_ = false;
        pos_ += 2;
      } else if (c == '/' && At(pos_ + 1) == '*') {
        size_t start = pos_;
        bool mariadb = At(pos_ + 2) == 'M' && At(pos_ + 3) == '!';
        if ((At(pos_ + 2) == '!' || mariadb) && !in_versioned_) {
          size_t p = pos_ + (mariadb ? 4 : 3);
          size_t max_digits = mariadb ? 6 : 5;
          size_t d = 0;
          while (d < max_digits && IsDigit(At(p + d))) ++d;
          uint32_t version = 0;
          bool has_version = false;
          if (d >= 5) {
            has_version = true;
            for (size_t i = 0; i < d; ++i) version = version * 10 + (s_[p + i] - '0');
          } else {
            d = 0;
          }
          bool include = !has_version || version <= kLexerServerVersion;
          if (include) {
            in_versioned_ = true;
            pos_ = p + d;
            continue;
          }
        }
        // Ordinary (or excluded) comment: skip to */.
        size_t end = s_.find("*/", pos_ + 2);
        // An unterminated comment runs to the end of the input (as the
        // server accepts it).
        pos_ = end == std::string_view::npos ? s_.size() : end + 2;
        (void)start;
      } else {
        break;
      }
    }
    return Status::Ok();
  }

  Token Make(TokenKind kind, size_t start, std::string text) {
    Token t;
    t.kind = kind;
    t.text = std::move(text);
    t.offset = start;
    t.length = pos_ - start;
    t.line = LineAt(start);
    return t;
  }

  // Reads a quoted string starting at pos_ (the quote); returns the decoded
  // text. Backslash escapes apply for ' and " strings, not for backticks.
  Result<std::string> ReadQuoted(char quote, bool escapes) {
    size_t start = pos_;
    ++pos_;
    std::string out;
    while (true) {
      // A run of plain characters in one copy.
      size_t run = pos_;
      while (run < s_.size() && s_[run] != quote && s_[run] != '\\') ++run;
      out.append(s_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= s_.size()) return ErrorAt(start);
      char c = s_[pos_];
      if (c == quote) {
        if (At(pos_ + 1) == quote) {
          out.push_back(quote);
          pos_ += 2;
          continue;
        }
        ++pos_;
        return out;
      }
      if (c == '\\' && escapes && pos_ + 1 < s_.size()) {
        char e = s_[pos_ + 1];
        switch (e) {
          case '0':
            out.push_back('\0');
            break;
          case '\'':
            out.push_back('\'');
            break;
          case '"':
            out.push_back('"');
            break;
          case 'b':
            out.push_back('\b');
            break;
          case 'n':
            out.push_back('\n');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'Z':
            out.push_back('\032');
            break;
          case '\\':
            out.push_back('\\');
            break;
          case '%':
            out += "\\%";
            break;
          case '_':
            out += "\\_";
            break;
          default:
            out.push_back(e);
            break;
        }
        pos_ += 2;
        continue;
      }
      out.push_back(c);
      ++pos_;
    }
  }

  Result<Token> Next() {
    size_t start = pos_;
    char c = s_[pos_];

    // X'..' B'..' N'..'
    if ((c == 'x' || c == 'X') && At(pos_ + 1) == '\'') {
      size_t p = pos_ + 2;
      while (p < s_.size() && IsHexDigit(s_[p])) ++p;
      if (At(p) != '\'' || (p - pos_ - 2) % 2 != 0) return ErrorAt(start);
      std::string digits(s_.substr(pos_ + 2, p - pos_ - 2));
      pos_ = p + 1;
      return Make(TokenKind::kHexString, start, DecodeHexDigits(digits));
    }
    if ((c == 'b' || c == 'B') && At(pos_ + 1) == '\'') {
      size_t p = pos_ + 2;
      while (p < s_.size() && (s_[p] == '0' || s_[p] == '1')) ++p;
      if (At(p) != '\'') return ErrorAt(start);
      std::string digits(s_.substr(pos_ + 2, p - pos_ - 2));
      pos_ = p + 1;
      return Make(TokenKind::kBitString, start, DecodeBitDigits(digits));
    }
    if ((c == 'n' || c == 'N') && At(pos_ + 1) == '\'') {
      ++pos_;
      auto text = ReadQuoted('\'', escapes_);
      if (!text.ok()) return text.error();
      Token t = Make(TokenKind::kString, start, std::move(text.value()));
      t.charset = "utf8";
      return t;
    }
    if (c == '\'' || c == '"') {
      auto text = ReadQuoted(c, escapes_);
      if (!text.ok()) return text.error();
      Token t = Make(TokenKind::kString, start, std::move(text.value()));
      t.double_quoted = c == '"';
      return t;
    }
    if (c == '`') {
      auto text = ReadQuoted('`', false);
      if (!text.ok()) return text.error();
      return Make(TokenKind::kQuotedIdent, start, std::move(text.value()));
    }
    if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)) && !PrevIsIdentLike())) {
      return Number(start);
    }
    if (c == '@') return Variable(start);
    if (c == '?') {
      ++pos_;
      return Make(TokenKind::kParam, start, "?");
    }
    if (IsIdentChar(c)) {
      size_t p = pos_;
      while (p < s_.size() && IsIdentChar(s_[p])) ++p;
      std::string_view word = s_.substr(pos_, p - pos_);
      // _charset introducer.
      if (word.size() > 1 && word[0] == '_' && IsCharsetName(word.substr(1))) {
        size_t q = p;
        while (q < s_.size() && IsSpace(s_[q])) ++q;
        char n = At(q);
        bool hex_lit = (n == 'x' || n == 'X') && At(q + 1) == '\'';
        bool bit_lit = (n == 'b' || n == 'B') && At(q + 1) == '\'';
        bool zero_x = n == '0' && (At(q + 1) == 'x' || At(q + 1) == 'b');
        if (n == '\'' || n == '"' || hex_lit || bit_lit || zero_x) {
          pos_ = q;
          auto inner = Next();
          if (!inner.ok()) return inner.error();
          Token t = std::move(inner.value());
          if (t.kind == TokenKind::kString || t.kind == TokenKind::kHexString ||
              t.kind == TokenKind::kBitString) {
            t.charset = ToLower(word.substr(1));
            t.length = pos_ - start;
            t.offset = start;
            t.line = LineAt(start);
            return t;
          }
          pos_ = p;
        }
      }
      pos_ = p;
      return Make(TokenKind::kIdent, start, std::string(word));
    }
    return Operator(start);
  }

  bool PrevIsIdentLike() const {
    // A '.' right after an identifier is a qualifier, not a decimal point.
    if (s_.empty() || pos_ == 0) return false;
    char p = s_[pos_ - 1];
    return IsIdentChar(p) || p == '`';
  }

  Result<Token> Number(size_t start) {
    char c = s_[pos_];
    if (c == '0' && (At(pos_ + 1) == 'x' || At(pos_ + 1) == 'X') && IsHexDigit(At(pos_ + 2))) {
      size_t p = pos_ + 2;
      while (p < s_.size() && IsHexDigit(s_[p])) ++p;
      if (!(p < s_.size() && IsIdentChar(s_[p]))) {
        std::string digits(s_.substr(pos_ + 2, p - pos_ - 2));
        pos_ = p;
        return Make(TokenKind::kHexString, start, DecodeHexDigits(digits));
      }
    }
    if (c == '0' && At(pos_ + 1) == 'b' && (At(pos_ + 2) == '0' || At(pos_ + 2) == '1')) {
      size_t p = pos_ + 2;
      while (p < s_.size() && (s_[p] == '0' || s_[p] == '1')) ++p;
      if (!(p < s_.size() && IsIdentChar(s_[p]))) {
        std::string digits(s_.substr(pos_ + 2, p - pos_ - 2));
        pos_ = p;
        return Make(TokenKind::kBitString, start, DecodeBitDigits(digits));
      }
    }
    size_t p = pos_;
    TokenKind kind = TokenKind::kInteger;
    while (p < s_.size() && IsDigit(s_[p])) ++p;
    if (At(p) == '.') {
      kind = TokenKind::kDecimal;
      ++p;
      while (p < s_.size() && IsDigit(s_[p])) ++p;
    }
    if ((At(p) == 'e' || At(p) == 'E') &&
        (IsDigit(At(p + 1)) || ((At(p + 1) == '+' || At(p + 1) == '-') && IsDigit(At(p + 2))))) {
      kind = TokenKind::kFloat;
      p += 2;
      while (p < s_.size() && IsDigit(s_[p])) ++p;
    }
    if (kind == TokenKind::kInteger && p < s_.size() && IsIdentChar(s_[p])) {
      // 123abc is an identifier in MySQL.
      while (p < s_.size() && IsIdentChar(s_[p])) ++p;
      std::string word(s_.substr(pos_, p - pos_));
      pos_ = p;
      return Make(TokenKind::kIdent, start, std::move(word));
    }
    std::string text(s_.substr(pos_, p - pos_));
    pos_ = p;
    return Make(kind, start, std::move(text));
  }

  Result<Token> Variable(size_t start) {
    if (At(pos_ + 1) == '@') {
      pos_ += 2;
      SysVarScope scope = SysVarScope::kNone;
      auto try_scope = [&](std::string_view word, SysVarScope sc) {
        if (pos_ + word.size() < s_.size() &&
            EqualsIgnoreCase(s_.substr(pos_, word.size()), word) && s_[pos_ + word.size()] == '.') {
          pos_ += word.size() + 1;
          scope = sc;
          return true;
        }
        return false;
      };
      try_scope("global", SysVarScope::kGlobal) || try_scope("session", SysVarScope::kSession) ||
          try_scope("local", SysVarScope::kLocal);
      std::string name;
      if (At(pos_) == '`') {
        auto q = ReadQuoted('`', false);
        if (!q.ok()) return q.error();
        name = std::move(q.value());
      } else {
        size_t p = pos_;
        while (p < s_.size() && (IsIdentChar(s_[p]) || s_[p] == '.')) ++p;
        name = std::string(s_.substr(pos_, p - pos_));
        pos_ = p;
      }
      if (name.empty()) return ErrorAt(start);
      Token t = Make(TokenKind::kSysVar, start, std::move(name));
      t.sysvar_scope = scope;
      return t;
    }
    char n = At(pos_ + 1);
    if (n == '\'' || n == '"' || n == '`') {
      ++pos_;
      auto q = ReadQuoted(n, n != '`' && escapes_);
      if (!q.ok()) return q.error();
      return Make(TokenKind::kUserVar, start, std::move(q.value()));
    }
    size_t p = pos_ + 1;
    while (p < s_.size() && (IsIdentChar(s_[p]) || s_[p] == '.')) ++p;
    if (p == pos_ + 1) {
      ++pos_;
      return Make(TokenKind::kOperator, start, "@");
    }
    std::string name(s_.substr(pos_ + 1, p - pos_ - 1));
    pos_ = p;
    return Make(TokenKind::kUserVar, start, std::move(name));
  }

  Result<Token> Operator(size_t start) {
    // The punctuation of every statement (and of a dump's rows) first: no
    // longer operator starts with these.
    char first = s_[pos_];
    if (first == '(' || first == ')' || first == ',' || first == ';') {
      ++pos_;
      return Make(TokenKind::kOperator, start, std::string(1, first));
    }
    static constexpr std::array<std::string_view, 14> kLong = {
        "<=>", "->>", "<=", ">=", "<>", "!=", ":=", "||", "&&", "<<", ">>", "->", "==", ".."};
    for (auto op : kLong) {
      if (op == ".." || op == "==") continue;
      if (s_.substr(pos_, op.size()) == op) {
        pos_ += op.size();
        return Make(TokenKind::kOperator, start, std::string(op));
      }
    }
    static constexpr std::string_view kSingle = "=<>!~^&|+-*/%(),;.{}:";
    char c = s_[pos_];
    if (kSingle.find(c) != std::string_view::npos) {
      ++pos_;
      return Make(TokenKind::kOperator, start, std::string(1, c));
    }
    return ErrorAt(start);
  }

  std::string_view s_;
  bool escapes_;  // backslash escapes in strings (off: sql_mode NO_BACKSLASH_ESCAPES)
  size_t pos_ = 0;
  bool in_versioned_ = false;
  size_t line_pos_ = 0;
  uint32_t line_ = 1;
};

}  // namespace

bool Token::Is(std::string_view word) const {
  return kind == TokenKind::kIdent && EqualsIgnoreCase(text, word);
}
bool Token::IsOp(std::string_view op) const {
  return kind == TokenKind::kOperator && text == op;
}

Result<std::vector<Token>> Tokenize(std::string_view sql, bool no_backslash_escapes) {
  return Lexer(sql, no_backslash_escapes).Run();
}

std::vector<std::string_view> SplitStatements(std::string_view sql, bool no_backslash_escapes) {
  std::vector<std::string_view> out;
  size_t start = 0;
  size_t i = 0;
  auto push = [&](size_t end) {
    std::string_view piece = sql.substr(start, end - start);
    while (!piece.empty() && IsSpace(piece.front())) piece.remove_prefix(1);
    while (!piece.empty() && IsSpace(piece.back())) piece.remove_suffix(1);
    if (!piece.empty()) out.push_back(piece);
  };
  bool in_versioned = false;
  size_t words = 0;       // words seen in the current statement
  bool create = false;    // it starts with CREATE
  bool compound = false;  // CREATE ... TRIGGER: BEGIN ... END may hold ';'
  int depth = 0;          // open BEGIN / CASE
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      ++i;
      while (i < sql.size()) {
        if (sql[i] == '\\' && c != '`' && !no_backslash_escapes) {
          i += 2;
          continue;
        }
        if (sql[i] == c) {
          if (i + 1 < sql.size() && sql[i + 1] == c) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      ++i;
    } else if (c == '#' || (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-' &&
                            (i + 2 >= sql.size() || IsSpace(sql[i + 2])))) {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      bool versioned =
          i + 2 < sql.size() &&
          (sql[i + 2] == '!' || (sql[i + 2] == 'M' && i + 3 < sql.size() && sql[i + 3] == '!'));
      if (versioned && !in_versioned) {
        in_versioned = true;
        i += 3;
      } else {
        size_t end = sql.find("*/", i + 2);
        i = end == std::string_view::npos ? sql.size() : end + 2;
      }
    } else if (c == '*' && in_versioned && i + 1 < sql.size() && sql[i + 1] == '/') {
      in_versioned = false;
      i += 2;
    } else if (c == ';' && depth <= 0) {
      push(i);
      ++i;
      start = i;
      words = 0;
      create = compound = false;
      depth = 0;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      // CREATE TRIGGER ... BEGIN ...; ...; END is one statement: its ';'
      // inside BEGIN ... END (and CASE ... END) do not split.
      size_t j = i;
      auto word_char = [&](size_t k) {
        return k < sql.size() &&
               (std::isalnum(static_cast<unsigned char>(sql[k])) || sql[k] == '_' || sql[k] == '$');
      };
      while (word_char(j)) ++j;
      std::string_view w = sql.substr(i, j - i);
      if (words++ == 0) create = EqualsIgnoreCase(w, "CREATE");
      if (create && !compound && EqualsIgnoreCase(w, "TRIGGER")) compound = true;
      if (compound) {
        if (EqualsIgnoreCase(w, "BEGIN") || EqualsIgnoreCase(w, "CASE")) ++depth;
        if (EqualsIgnoreCase(w, "END")) {
          size_t k = j;
          while (k < sql.size() && IsSpace(sql[k])) ++k;
          size_t e = k;
          while (word_char(e)) ++e;
          std::string_view next = sql.substr(k, e - k);
          if (!EqualsIgnoreCase(next, "IF") && !EqualsIgnoreCase(next, "LOOP") &&
              !EqualsIgnoreCase(next, "WHILE") && !EqualsIgnoreCase(next, "REPEAT")) {
            --depth;
          }
        }
      }
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < sql.size() &&
             (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' || sql[i] == '$'))
        ++i;
    } else {
      ++i;
    }
  }
  push(sql.size());
  return out;
}

std::string NearText(std::string_view sql, size_t offset) {
  if (offset >= sql.size()) return "";
  std::string_view rest = sql.substr(offset);
  if (rest.size() <= 80) return std::string(rest);
  size_t n = 80;
  // Do not cut a UTF-8 sequence.
  while (n > 0 && (static_cast<unsigned char>(rest[n]) & 0xC0) == 0x80) --n;
  return std::string(rest.substr(0, n));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string ToLower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return r;
}

std::string ToUpper(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return r;
}

bool IsReservedWord(std::string_view word) {
  static constexpr std::string_view kReserved[] = {"ADD",
                                                   "ALL",
                                                   "ALTER",
                                                   "ANALYZE",
                                                   "AND",
                                                   "AS",
                                                   "ASC",
                                                   "BEFORE",
                                                   "BETWEEN",
                                                   "BIGINT",
                                                   "BINARY",
                                                   "BLOB",
                                                   "BOTH",
                                                   "BY",
                                                   "CALL",
                                                   "CASCADE",
                                                   "CASE",
                                                   "CHANGE",
                                                   "CHAR",
                                                   "CHARACTER",
                                                   "CHECK",
                                                   "COLLATE",
                                                   "COLUMN",
                                                   "CONSTRAINT",
                                                   "CONVERT",
                                                   "CREATE",
                                                   "CROSS",
                                                   "CURRENT_DATE",
                                                   "CURRENT_TIME",
                                                   "CURRENT_TIMESTAMP",
                                                   "CURRENT_USER",
                                                   "DATABASE",
                                                   "DATABASES",
                                                   "DECIMAL",
                                                   "DEFAULT",
                                                   "DELETE",
                                                   "DESC",
                                                   "DESCRIBE",
                                                   "DISTINCT",
                                                   "DISTINCTROW",
                                                   "DIV",
                                                   "DOUBLE",
                                                   "DROP",
                                                   "DUAL",
                                                   "ELSE",
                                                   "EXISTS",
                                                   "EXPLAIN",
                                                   "FALSE",
                                                   "FLOAT",
                                                   "FOR",
                                                   "FORCE",
                                                   "FOREIGN",
                                                   "FROM",
                                                   "FULLTEXT",
                                                   "GRANT",
                                                   "GROUP",
                                                   "HAVING",
                                                   "IF",
                                                   "IGNORE",
                                                   "IN",
                                                   "INDEX",
                                                   "INNER",
                                                   "INSERT",
                                                   "INT",
                                                   "INTEGER",
                                                   "INTERVAL",
                                                   "INTO",
                                                   "IS",
                                                   "JOIN",
                                                   "KEY",
                                                   "KEYS",
                                                   "KILL",
                                                   "LEFT",
                                                   "LIKE",
                                                   "LIMIT",
                                                   "LOCK",
                                                   "MOD",
                                                   "NATURAL",
                                                   "NOT",
                                                   "NULL",
                                                   "ON",
                                                   "OR",
                                                   "ORDER",
                                                   "OUTER",
                                                   "PRIMARY",
                                                   "PROCEDURE",
                                                   "PURGE",
                                                   "READ",
                                                   "REFERENCES",
                                                   "REGEXP",
                                                   "RENAME",
                                                   "REPLACE",
                                                   "REVOKE",
                                                   "RIGHT",
                                                   "RLIKE",
                                                   "SCHEMA",
                                                   "SCHEMAS",
                                                   "SELECT",
                                                   "SET",
                                                   "SHOW",
                                                   "SMALLINT",
                                                   "TABLE",
                                                   "THEN",
                                                   "TINYINT",
                                                   "TO",
                                                   "TRUE",
                                                   "UNION",
                                                   "UNIQUE",
                                                   "UNLOCK",
                                                   "UNSIGNED",
                                                   "UPDATE",
                                                   "USE",
                                                   "USING",
                                                   "VALUES",
                                                   "VARCHAR",
                                                   "WHEN",
                                                   "WHERE",
                                                   "WITH",
                                                   "STRAIGHT_JOIN",
                                                   "HIGH_PRIORITY",
                                                   "LOW_PRIORITY",
                                                   "DELAYED",
                                                   "SQL_CALC_FOUND_ROWS",
                                                   "SQL_SMALL_RESULT",
                                                   "SQL_BIG_RESULT",
                                                   "WRITE",
                                                   "XOR",
                                                   "OPTIMIZE",
                                                   "LOAD",
                                                   "MATCH",
                                                   "RANGE",
                                                   "LINES",
                                                   "OUTFILE",
                                                   "REQUIRE",
                                                   "RESTRICT",
                                                   "TRAILING",
                                                   "LEADING",
                                                   "SEPARATOR",
                                                   "SPATIAL",
                                                   "SSL",
                                                   "STARTING",
                                                   "TERMINATED",
                                                   "UNDO",
                                                   "USAGE",
                                                   "VARYING",
                                                   "ZEROFILL",
                                                   "REPEAT",
                                                   "RETURN",
                                                   "LOOP",
                                                   "LEAVE",
                                                   "ITERATE",
                                                   "WHILE",
                                                   "ELSEIF",
                                                   "EXIT",
                                                   "CONTINUE",
                                                   "CURSOR",
                                                   "DECLARE",
                                                   "FETCH",
                                                   "INOUT",
                                                   "OUT",
                                                   "SIGNAL",
                                                   "RESIGNAL",
                                                   "SENSITIVE",
                                                   "INSENSITIVE",
                                                   "ACCESSIBLE",
                                                   "SQL",
                                                   "SQLEXCEPTION",
                                                   "SQLSTATE",
                                                   "SQLWARNING",
                                                   "SPECIFIC",
                                                   "TINYBLOB",
                                                   "TINYTEXT",
                                                   "MEDIUMBLOB",
                                                   "MEDIUMTEXT",
                                                   "MEDIUMINT",
                                                   "LONGBLOB",
                                                   "LONGTEXT",
                                                   "LONG",
                                                   "VARBINARY",
                                                   "NUMERIC",
                                                   "REAL",
                                                   "PRECISION",
                                                   "INT1",
                                                   "INT2",
                                                   "INT3",
                                                   "INT4",
                                                   "INT8",
                                                   "FLOAT4",
                                                   "FLOAT8",
                                                   "MIDDLEINT",
                                                   "CONDITION",
                                                   "DAY_HOUR",
                                                   "DAY_MINUTE",
                                                   "DAY_SECOND",
                                                   "DAY_MICROSECOND",
                                                   "HOUR_MINUTE",
                                                   "HOUR_SECOND",
                                                   "HOUR_MICROSECOND",
                                                   "MINUTE_SECOND",
                                                   "MINUTE_MICROSECOND",
                                                   "SECOND_MICROSECOND",
                                                   "YEAR_MONTH",
                                                   "UTC_DATE",
                                                   "UTC_TIME",
                                                   "UTC_TIMESTAMP",
                                                   "LOCALTIME",
                                                   "LOCALTIMESTAMP",
                                                   "CURRENT_USER",
                                                   "NO_WRITE_TO_BINLOG",
                                                   "MASTER_SSL_VERIFY_SERVER_CERT",
                                                   "PARTITION",
                                                   "GENERATED",
                                                   "STORED",
                                                   "VIRTUAL",
                                                   "OPTIMIZER_COSTS",
                                                   "ANALYZE",
                                                   "CHANGE",
                                                   "ELSE",
                                                   "ENCLOSED",
                                                   "ESCAPED",
                                                   "EACH",
                                                   "IO_AFTER_GTIDS",
                                                   "IO_BEFORE_GTIDS",
                                                   "KEYS",
                                                   "LINEAR",
                                                   "MODIFIES",
                                                   "READS",
                                                   "READ_WRITE",
                                                   "RELEASE",
                                                   "SCHEMAS",
                                                   "UNLOCK",
                                                   "UPDATE",
                                                   "UNSIGNED"};
  for (auto w : kReserved)
    if (EqualsIgnoreCase(w, word)) return true;
  return false;
}

}  // namespace reptut::sql
