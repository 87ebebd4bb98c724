// Prepared statements (COM_STMT_*) as reptutd does them: the statement text
// is kept by the connection, each COM_STMT_EXECUTE substitutes the bound
// values as SQL literals for the '?' placeholders and runs the text, and
// the result rows go back in the binary protocol.
//
//   COM_STMT_PREPARE -> PREPARE_OK: 0x00, 4 statement id, 2 columns (0: the
//                       columns come with each execution), 2 parameters,
//                       0x00, 2 warnings; then a definition per parameter
//                       and EOF
//   COM_STMT_EXECUTE    4 id, 1 flags, 4 iteration count; with parameters a
//                       NULL bitmap, 1 new-params-bound flag, [2 bytes of
//                       type per parameter], the values
//   binary row          0x00, NULL bitmap (bits offset by 2), the values
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mysql_types.h"
#include "common/status.h"
#include "protocol/responses.h"

namespace reptut::protocol {

// '?' outside quotes, backquotes and comments.
size_t CountPlaceholders(std::string_view sql);
// sql with the i-th placeholder replaced by literals[i] (as many as
// CountPlaceholders(sql)). A string of digits bound for a LIMIT or OFFSET
// operand goes in as the number ('2' -> 2), as MySQL takes it.
std::string SubstitutePlaceholders(std::string_view sql, const std::vector<std::string>& literals);

// A string as a quoted SQL literal, with MySQL's backslash escapes.
std::string QuoteSqlString(std::string_view s);

std::string EncodePrepareOk(uint32_t statement_id, uint16_t columns, uint16_t params,
                            uint16_t warnings);
// The definition sent for each parameter ("?", VAR_STRING, binary).
ColumnDefinition ParameterDefinition();

// The statement id a COM_STMT_EXECUTE/CLOSE/RESET/SEND_LONG_DATA payload
// (command byte included) names.
Result<uint32_t> PeekStatementId(std::string_view payload);

struct StmtExecute {
  uint32_t statement_id = 0;
  uint8_t flags = 0;
  // Each parameter as an SQL literal ("NULL", "42", "'text'", ...).
  std::vector<std::string> literals;
};

// Decodes COM_STMT_EXECUTE (command byte included) for a statement with
// param_count parameters. *types holds the types bound by an earlier
// execution (2 bytes each: type, 0x80 for unsigned) and is updated when
// the client binds new ones. long_data[i], when set, is the value sent for
// parameter i with COM_STMT_SEND_LONG_DATA (not repeated in the payload).
Result<StmtExecute> DecodeStmtExecute(std::string_view payload, size_t param_count,
                                      std::vector<uint16_t>* types,
                                      const std::vector<std::optional<std::string>>& long_data);

// A text row in the binary protocol, each value converted for its
// column's type.
std::string EncodeBinaryRow(const TextRow& row, const std::vector<ColumnDefinition>& columns);
void AppendBinaryRow(std::string* out, const TextRow& row,
                     const std::vector<mysql::FieldType>& types,
                     const std::vector<bool>& is_unsigned);

}  // namespace reptut::protocol
