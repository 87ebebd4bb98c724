// The server's answers in protocol 4.1 (CLIENT_PROTOCOL_41, without
// CLIENT_DEPRECATE_EOF and CLIENT_SESSION_TRACK):
//
//   OK          0x00, lenenc affected rows, lenenc last insert id,
//               2 status flags, 2 warnings, [lenenc info]
//   ERR         0xFF, 2 error code, '#', 5 SQLSTATE, message
//   EOF         0xFE, 2 warnings, 2 status flags
//   result set  column count (lenenc), a column definition per column,
//               EOF, rows, EOF (or ERR in place of the last EOF)
//   row         per column a lenenc string, or 0xFB for NULL
//
// COM_FIELD_LIST answers column definitions with a default value each,
// then EOF, without the column count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mysql_types.h"
#include "common/status.h"

namespace reptut::protocol {

// An ERR message is cut to this many bytes (MYSQL_ERRMSG_SIZE - 1).
inline constexpr size_t kMaxErrorMessageLength = 511;

struct OkPacket {
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  uint16_t status_flags = 0;
  uint16_t warnings = 0;
  std::string info;
};

std::string EncodeOk(const OkPacket& ok);
Result<OkPacket> DecodeOk(std::string_view payload);

// with_sqlstate: false only before the client told it speaks protocol 4.1
// (e.g. "Too many connections" in place of the handshake).
std::string EncodeErr(const Error& error, bool with_sqlstate = true);
// nullopt when the payload is not an ERR packet.
std::optional<Error> DecodeErr(std::string_view payload, bool with_sqlstate = true);

std::string EncodeEof(uint16_t warnings, uint16_t status_flags);
// An EOF packet is 0xFE and shorter than 9 bytes (a row can start with 0xFE
// only as a lenenc length of 8 bytes).
bool IsEofPacket(std::string_view payload);

struct ColumnDefinition {
  std::string catalog = "def";
  std::string schema;
  std::string table;
  std::string org_table;
  std::string name;
  std::string org_name;
  uint16_t charset = mysql::kUtf8GeneralCi;
  uint32_t length = 0;
  mysql::FieldType type = mysql::kTypeVarString;
  uint16_t flags = 0;
  uint8_t decimals = 0;
};

// for_field_list: append the default value (COM_FIELD_LIST); nullopt is
// written as NULL (0xFB).
std::string EncodeColumnDefinition(const ColumnDefinition& column, bool for_field_list = false,
                                   const std::optional<std::string>& default_value = std::nullopt);
Result<ColumnDefinition> DecodeColumnDefinition(std::string_view payload);

std::string EncodeColumnCount(uint64_t count);

using TextRow = std::vector<std::optional<std::string>>;
std::string EncodeTextRow(const TextRow& row);
// Appends the row's payload to *out (no copy of the row needed).
void AppendTextRow(std::string* out, const TextRow& row);
Result<TextRow> DecodeTextRow(std::string_view payload, size_t columns);

}  // namespace reptut::protocol
