#include "sql/statement.h"

#include "common/errors.h"

namespace reptut::sql {

std::string_view StatementKindName(StatementKind) {
  return "";
}
std::string UserVarParam(std::string_view name) {
  return "@" + std::string(name);
}
Status ApplyAlter(TableDef&, const AlterSpec&) {
  return MakeError(ER_NOT_SUPPORTED_YET, {"ALTER TABLE (stub)"});
}
uint64_t PrivAllForLevel(bool, bool) {
  return kPrivAllGlobal;
}
std::string_view PrivilegeName(uint64_t) {
  return "";
}
std::string PrivilegeList(uint64_t, bool, bool) {
  return "";
}
Classification Classify(const Statement&) {
  return {};
}
const std::vector<EngineFunction>& EngineFunctions() {
  static const std::vector<EngineFunction> v;
  return v;
}

}  // namespace reptut::sql
