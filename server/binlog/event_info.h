// SHOW BINLOG EVENTS text: the Event_type and Info columns, as the server
// shows them. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "binlog/events.h"

namespace reptut::binlog {

// Whose wording to follow where MySQL 5.7 and MariaDB differ: MariaDB
// writes string user variables as X'..' and calls utf8 "utf8mb3".
enum class InfoStyle { kMysql57, kMariaDb };

// "Query", "Format_desc", "User var", "RAND", "Gtid_list", "Unknown", ...
std::string_view EventTypeName(uint8_t type);

// The Info column: "use `test`; insert ...", "COMMIT /* xid=12 */", ...
std::string EventInfo(const Event& event, InfoStyle style = InfoStyle::kMysql57);

// Character set and collation names of a collation id ("latin1",
// "latin1_swedish_ci"); false for an id the table does not know.
bool CollationNames(uint32_t id, InfoStyle style, std::string* charset, std::string* collation);

// The canonical text of a MySQL binary DECIMAL (precision, scale, bytes),
// e.g. "-12.50"; false when the bytes do not fit.
bool DecimalToString(uint8_t precision, uint8_t scale, std::string_view bin, std::string* out);

}  // namespace reptut::binlog
