// sql_mode as text ("STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION") and as the
// bits a Query event's Q_SQL_MODE_CODE carries (MySQL 5.7's numbering).
// Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace reptut::sql {

// The bits of the modes named (case-insensitive, comma-separated); unknown
// names are ignored.
uint64_t SqlModeBits(std::string_view modes);
// The names of the bits set, comma-separated in MySQL's order; bits without
// a name are dropped.
std::string SqlModeText(uint64_t bits);

}  // namespace reptut::sql
