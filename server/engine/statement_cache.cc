#include "engine/statement_cache.h"

#include <cerrno>
#include <cstdlib>

#include "sql/lexer.h"
#include "sql/parser.h"

namespace reptut::engine {
namespace {

using sql::TokenKind;

bool StartsShape(const sql::Token& t) {
  return t.Is("SELECT") || t.Is("INSERT") || t.Is("REPLACE") || t.Is("UPDATE") || t.Is("DELETE");
}

UserValue LiteralValue(const sql::Token& t) {
  UserValue v;
  switch (t.kind) {
    case TokenKind::kInteger: {
      errno = 0;
      char* end = nullptr;
      long long n = std::strtoll(t.text.c_str(), &end, 10);
      if (errno == 0 && end && *end == '\0') {
        v.type = UserValue::Type::kInt;
        v.i = n;
      } else {
        v.type = UserValue::Type::kReal;
        v.d = std::strtod(t.text.c_str(), nullptr);
      }
      break;
    }
    case TokenKind::kDecimal:
    case TokenKind::kFloat:
      v.type = UserValue::Type::kReal;
      v.d = std::strtod(t.text.c_str(), nullptr);
      break;
    default:
      v.type = UserValue::Type::kString;
      v.s = t.text;
      if (!t.charset.empty()) v.charset = t.charset;
      break;
  }
  return v;
}

UserValue IntegerValue(std::string_view digits) {
  UserValue v;
  std::string text(digits);
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(text.c_str(), &end, 10);
  if (errno == 0 && end && *end == '\0') {
    v.type = UserValue::Type::kInt;
    v.i = n;
  } else {
    v.type = UserValue::Type::kReal;
    v.d = std::strtod(text.c_str(), nullptr);
  }
  return v;
}

bool Word(std::string_view w, std::string_view upper) {
  if (w.size() != upper.size()) return false;
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (c != upper[i]) return false;
  }
  return true;
}

bool WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

enum class Scan { kShaped, kUseLexer, kNotCached };

// The shape of the plain statements applications send over and over
// (keywords, names, integers, '...' strings), in one pass without tokens.
// Anything else (comments, other literals, variables, non-ASCII text) is
// left to ShapeWithLexer, which handles every case the same way.
Scan ShapeFast(std::string_view text, std::string* shape, std::vector<UserValue>* literals) {
  size_t n = text.size();
  size_t i = 0;
  size_t copied = 0;
  bool before_first_word = true;
  bool keep_ints = false;
  std::string_view prev_word;
  auto placeholder = [&](size_t start, size_t end, UserValue v) {
    shape->append(text.substr(copied, start - copied));
    shape->append("@");
    shape->append(kLiteralVarPrefix);
    shape->append(std::to_string(literals->size()));
    literals->push_back(std::move(v));
    copied = end;
  };
  while (i < n) {
    // A bulk INSERT is not cached (Lookup): no need to shape the rest.
    if (literals->size() > StatementCache::kMaxLiterals) return Scan::kNotCached;
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) return Scan::kUseLexer;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$') {
      size_t j = i;
      while (j < n && WordChar(text[j])) ++j;
      if (j < n && static_cast<unsigned char>(text[j]) >= 0x80) return Scan::kUseLexer;
      std::string_view w = text.substr(i, j - i);
      // X'..', B'..', N'..' literals and _charset introducers.
      if (j < n && (text[j] == '\'' || text[j] == '"')) return Scan::kUseLexer;
      if (c == '_') {
        size_t k = j;
        while (k < n && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r' ||
                         text[k] == '\f' || text[k] == '\v')) {
          ++k;
        }
        if (k < n && (text[k] == '\'' || text[k] == '"' || text[k] == '0')) return Scan::kUseLexer;
      }
      if (before_first_word) {
        if (!Word(w, "SELECT") && !Word(w, "INSERT") && !Word(w, "REPLACE") && !Word(w, "UPDATE") &&
            !Word(w, "DELETE")) {
          return Scan::kNotCached;
        }
        before_first_word = false;
      }
      if ((Word(w, "BY") && (Word(prev_word, "ORDER") || Word(prev_word, "GROUP"))) ||
          Word(w, "LIMIT") || Word(w, "OFFSET")) {
        keep_ints = true;
      } else if (Word(w, "HAVING") || Word(w, "UNION") || Word(w, "FOR") || Word(w, "LOCK") ||
                 Word(w, "WHERE") || Word(w, "FROM") || Word(w, "ON")) {
        keep_ints = false;
      }
      prev_word = w;
      i = j;
      continue;
    }
    prev_word = {};
    if (before_first_word && c != '(') return Scan::kNotCached;
    if (c >= '0' && c <= '9') {
      size_t j = i;
      while (j < n && text[j] >= '0' && text[j] <= '9') ++j;
      if (j < n &&
          (text[j] == '.' || WordChar(text[j]) || static_cast<unsigned char>(text[j]) >= 0x80)) {
        return Scan::kUseLexer;  // decimals, floats, 0x.., 123abc
      }
      if (!keep_ints) placeholder(i, j, IntegerValue(text.substr(i, j - i)));
      i = j;
      continue;
    }
    if (c == '\'') {
      // Decoded as the lexer does (backslash escapes, '' for ').
      UserValue v;
      v.type = UserValue::Type::kString;
      size_t j = i + 1;
      bool closed = false;
      while (j < n) {
        char d = text[j];
        if (d == '\'') {
          if (j + 1 < n && text[j + 1] == '\'') {
            v.s.push_back('\'');
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        if (d == '\\' && j + 1 < n) {
          char e = text[j + 1];
          switch (e) {
            case '0':
              v.s.push_back('\0');
              break;
            case 'b':
              v.s.push_back('\b');
              break;
            case 'n':
              v.s.push_back('\n');
              break;
            case 'r':
              v.s.push_back('\r');
              break;
            case 't':
              v.s.push_back('\t');
              break;
            case 'Z':
              v.s.push_back('\032');
              break;
            case '%':
              v.s += "\\%";
              break;
            case '_':
              v.s += "\\_";
              break;
            default:
              v.s.push_back(e);
              break;
          }
          j += 2;
          continue;
        }
        if (static_cast<unsigned char>(d) >= 0x80) return Scan::kUseLexer;
        // A run of plain characters at once.
        size_t run = j + 1;
        while (run < n && text[run] != '\'' && text[run] != '\\' &&
               static_cast<unsigned char>(text[run]) < 0x80) {
          ++run;
        }
        v.s.append(text.substr(j, run - j));
        j = run;
      }
      if (!closed) return Scan::kUseLexer;
      size_t k = j;
      while (k < n && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r'))
        ++k;
      if (k < n && (text[k] == '\'' || text[k] == '"')) return Scan::kUseLexer;  // 'a' 'b'
      placeholder(i, j, std::move(v));
      i = j;
      continue;
    }
    if (c == '`') {
      size_t j = i + 1;
      while (j < n && !(text[j] == '`' && !(j + 1 < n && text[j + 1] == '`'))) {
        j += text[j] == '`' ? 2 : 1;
      }
      if (j >= n) return Scan::kUseLexer;
      i = j + 1;
      continue;
    }
    if ((c == '-' && i + 1 < n && text[i + 1] == '-') ||
        (c == '/' && i + 1 < n && text[i + 1] == '*') ||
        (c == '.' && i + 1 < n && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      return Scan::kUseLexer;
    }
    if (c == ')') keep_ints = false;
    static constexpr std::string_view kOperators = "=<>!~^&|+-*/%(),;.{}:";
    if (kOperators.find(c) == std::string_view::npos) return Scan::kUseLexer;
    ++i;
  }
  if (before_first_word) return Scan::kNotCached;
  shape->append(text.substr(copied));
  return Scan::kShaped;
}

// The shape from the lexer's tokens: for every statement the lexer reads.
bool ShapeWithLexer(std::string_view text, std::string* shape, std::vector<UserValue>* literals) {
  Result<std::vector<sql::Token>> toks = sql::Tokenize(text);
  if (!toks.ok()) return false;
  const std::vector<sql::Token>& t = *toks;
  size_t first = 0;
  while (first < t.size() && t[first].IsOp("(")) ++first;
  if (first >= t.size() || !StartsShape(t[first])) return false;

  // The shape is the text itself with each literal's span replaced, so that
  // names MySQL derives from the text (result columns) come out the same.
  bool keep_ints = false;  // inside ORDER BY / GROUP BY lists, after LIMIT / OFFSET
  size_t copied = 0;
  auto placeholder = [&](const sql::Token& k) {
    shape->append(text.substr(copied, k.offset - copied));
    *shape += "@" + std::string(kLiteralVarPrefix) + std::to_string(literals->size());
    literals->push_back(LiteralValue(k));
    copied = k.offset + k.length;
  };
  for (size_t i = 0; i < t.size(); ++i) {
    const sql::Token& k = t[i];
    if (k.kind == TokenKind::kEnd) break;
    switch (k.kind) {
      case TokenKind::kIdent:
        if ((k.Is("BY") && i > 0 && (t[i - 1].Is("ORDER") || t[i - 1].Is("GROUP"))) ||
            k.Is("LIMIT") || k.Is("OFFSET")) {
          keep_ints = true;
        } else if (k.Is("HAVING") || k.Is("UNION") || k.Is("FOR") || k.Is("LOCK") ||
                   k.Is("WHERE") || k.Is("FROM") || k.Is("ON")) {
          keep_ints = false;
        }
        break;
      case TokenKind::kQuotedIdent:
      case TokenKind::kSysVar:
        break;
      case TokenKind::kUserVar:
        if (IsLiteralVar(sql::ToLower(k.text))) return false;
        break;
      case TokenKind::kInteger:
        if (!keep_ints) placeholder(k);
        break;
      case TokenKind::kDecimal:
      case TokenKind::kFloat:
      case TokenKind::kString:
        placeholder(k);
        break;
      case TokenKind::kOperator:
        if (k.IsOp(")")) keep_ints = false;  // a subquery's ORDER BY list ends
        break;
      default:  // hex and bit strings, ? placeholders: not cached
        return false;
    }
  }
  shape->append(text.substr(copied));

  return true;
}

}  // namespace

const StatementCache::Entry* StatementCache::Lookup(std::string_view text,
                                                    const sql::ParseOptions& options,
                                                    std::vector<UserValue>* literals) {
  // Cheap test first: only DML is cached.
  size_t p = 0;
  while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' ||
                             text[p] == '\r' || text[p] == '(')) {
    ++p;
  }
  if (p >= text.size()) return nullptr;
  char c0 = static_cast<char>(text[p] | 0x20);
  if (c0 != 's' && c0 != 'i' && c0 != 'r' && c0 != 'u' && c0 != 'd') return nullptr;

  std::string& shape = shape_;  // kept between calls: no allocation once grown
  shape.clear();
  literals->clear();
  Scan scanned = ShapeFast(text, &shape, literals);
  if (scanned == Scan::kNotCached) return nullptr;
  if (scanned == Scan::kUseLexer) {
    shape.clear();
    literals->clear();
    if (!ShapeWithLexer(text, &shape, literals)) return nullptr;
  }
  // A bulk INSERT (mariadb-dump's extended INSERTs: thousands of rows) is
  // not cached: each literal would be a named SQLite parameter, and SQLite
  // looks those up in a list, which makes preparing it quadratic.
  if (literals->size() > kMaxLiterals) return nullptr;
  std::string& key = key_;
  key.assign(options.current_db);
  key += '\0';
  key += shape;
  auto it = map_.find(key);
  if (it != map_.end()) {
    order_.splice(order_.begin(), order_, it->second.second);
    return it->second.first.cacheable ? &it->second.first : nullptr;
  }
  Entry entry;
  Result<sql::Statement> parsed = sql::Parse(shape, options);
  if (parsed.ok()) {
    using K = sql::StatementKind;
    K kind = parsed->kind;
    entry.cacheable = kind == K::kSelect || kind == K::kInsert || kind == K::kReplace ||
                      kind == K::kUpdate || kind == K::kDelete;
    for (const std::string& name : parsed->dml.column_names) {
      if (name.find(kLiteralVarPrefix) != std::string::npos) entry.cacheable = false;
    }
    if (entry.cacheable) entry.statement = std::move(*parsed);
  }
  if (map_.size() >= kCapacity) {
    map_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(key);
  auto ins = map_.emplace(key, std::make_pair(std::move(entry), order_.begin()));
  return ins.first->second.first.cacheable ? &ins.first->second.first : nullptr;
}

ShapeComparison CompareShapes(std::string_view text) {
  ShapeComparison c;
  c.fast_took_it = ShapeFast(text, &c.fast_shape, &c.fast_literals) == Scan::kShaped;
  if (!ShapeWithLexer(text, &c.lexer_shape, &c.lexer_literals)) {
    c.lexer_shape.clear();
    c.lexer_literals.clear();
  }
  return c;
}

}  // namespace reptut::engine
