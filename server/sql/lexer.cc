#include "sql/lexer.h"

#include "common/errors.h"

namespace reptut::sql {

bool Token::Is(std::string_view word) const {
  return kind == TokenKind::kIdent && EqualsIgnoreCase(text, word);
}
bool Token::IsOp(std::string_view op) const {
  return kind == TokenKind::kOperator && text == op;
}

Result<std::vector<Token>> Tokenize(std::string_view sql) {
  return MakeError(ER_NOT_SUPPORTED_YET, {"lexer (stub)"});
  (void)sql;
}
std::vector<std::string_view> SplitStatements(std::string_view sql) {
  return {sql};
}
std::string NearText(std::string_view sql, size_t offset) {
  return std::string(sql.substr(std::min(offset, sql.size()), 80));
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
bool IsReservedWord(std::string_view) {
  return false;
}

}  // namespace reptut::sql
