#include "sql/table_def.h"

#include "common/errors.h"
#include "sql/lexer.h"

namespace reptut::sql {

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
std::string DefaultCollationFor(std::string_view) {
  return "";
}
std::string CharsetOfCollation(std::string_view) {
  return "";
}
uint16_t CollationId(std::string_view) {
  return 0;
}
uint32_t MaxBytesPerChar(std::string_view) {
  return 1;
}
std::string NormalizeCharset(std::string_view c) {
  return ToLower(c);
}
std::string ToShowCreate(const TableDef&) {
  return "";
}
std::string ColumnTypeText(const ColumnDef& c) {
  return c.type;
}
Result<SqliteDdl> ToSqliteDdl(const TableDef& def, std::string_view) {
  (void)def;
  return MakeError(ER_NOT_SUPPORTED_YET, {"stub"});
}
Result<SqliteDdl> ToSqliteDdl(const TableDef& def) {
  return ToSqliteDdl(def, def.name);
}
std::string SqliteIndexName(std::string_view t, std::string_view i) {
  return std::string(t) + "__" + std::string(i);
}
ColumnMeta ColumnMetadata(const TableDef&, size_t, std::string_view) {
  return {};
}
std::vector<DescribeRow> DescribeRows(const TableDef&, std::string_view) {
  return {};
}
std::vector<ShowIndexRow> ShowIndexRows(const TableDef&) {
  return {};
}
Result<CoerceResult> CoerceValue(const ColumnDef&, const std::optional<std::string>& value, bool,
                                 uint64_t, std::string_view) {
  return CoerceResult{value, false};
}

}  // namespace reptut::sql
