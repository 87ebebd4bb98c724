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

  Result<std::vector<sql::Token>> toks = sql::Tokenize(text);
  if (!toks.ok()) return nullptr;
  const std::vector<sql::Token>& t = *toks;
  size_t first = 0;
  while (first < t.size() && t[first].IsOp("(")) ++first;
  if (first >= t.size() || !StartsShape(t[first])) return nullptr;

  std::string shape;
  shape.reserve(text.size());
  std::string key = options.current_db;
  key += '\0';
  literals->clear();
  // The shape is the text itself with each literal's span replaced, so that
  // names MySQL derives from the text (result columns) come out the same.
  bool keep_ints = false;  // inside ORDER BY / GROUP BY lists, after LIMIT / OFFSET
  size_t copied = 0;
  auto placeholder = [&](const sql::Token& k) {
    shape.append(text.substr(copied, k.offset - copied));
    shape += "@" + std::string(kLiteralVarPrefix) + std::to_string(literals->size());
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
        if (IsLiteralVar(sql::ToLower(k.text))) return nullptr;
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
        return nullptr;
    }
  }
  shape.append(text.substr(copied));

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

}  // namespace reptut::engine
