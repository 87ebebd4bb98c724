#include "sql/parser.h"

#include "common/errors.h"

namespace reptut::sql {

Result<Statement> Parse(std::string_view) {
  return MakeError(ER_NOT_SUPPORTED_YET, {"parser (stub)"});
}
Result<std::string> TranslateExpression(std::string_view, std::vector<std::string>*) {
  return MakeError(ER_NOT_SUPPORTED_YET, {"parser (stub)"});
}

}  // namespace reptut::sql
