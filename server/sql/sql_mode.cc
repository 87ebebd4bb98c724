#include "sql/sql_mode.h"

#include <utility>

#include "sql/lexer.h"

namespace reptut::sql {
namespace {

constexpr std::pair<const char*, uint64_t> kModes[] = {
    {"REAL_AS_FLOAT", 1ull << 0},
    {"PIPES_AS_CONCAT", 1ull << 1},
    {"ANSI_QUOTES", 1ull << 2},
    {"IGNORE_SPACE", 1ull << 3},
    {"NOT_USED", 1ull << 4},
    {"ONLY_FULL_GROUP_BY", 1ull << 5},
    {"NO_UNSIGNED_SUBTRACTION", 1ull << 6},
    {"NO_DIR_IN_CREATE", 1ull << 7},
    {"POSTGRESQL", 1ull << 8},
    {"ORACLE", 1ull << 9},
    {"MSSQL", 1ull << 10},
    {"DB2", 1ull << 11},
    {"MAXDB", 1ull << 12},
    {"NO_KEY_OPTIONS", 1ull << 13},
    {"NO_TABLE_OPTIONS", 1ull << 14},
    {"NO_FIELD_OPTIONS", 1ull << 15},
    {"MYSQL323", 1ull << 16},
    {"MYSQL40", 1ull << 17},
    {"ANSI", 1ull << 18},
    {"NO_AUTO_VALUE_ON_ZERO", 1ull << 19},
    {"NO_BACKSLASH_ESCAPES", 1ull << 20},
    {"STRICT_TRANS_TABLES", 1ull << 21},
    {"STRICT_ALL_TABLES", 1ull << 22},
    {"NO_ZERO_IN_DATE", 1ull << 23},
    {"NO_ZERO_DATE", 1ull << 24},
    {"ALLOW_INVALID_DATES", 1ull << 25},
    {"ERROR_FOR_DIVISION_BY_ZERO", 1ull << 26},
    {"TRADITIONAL", 1ull << 27},
    {"NO_AUTO_CREATE_USER", 1ull << 28},
    {"HIGH_NOT_PRECEDENCE", 1ull << 29},
    {"NO_ENGINE_SUBSTITUTION", 1ull << 30},
    {"PAD_CHAR_TO_FULL_LENGTH", 1ull << 31},
};

}  // namespace

uint64_t SqlModeBits(std::string_view modes) {
  uint64_t bits = 0;
  std::string up = ToUpper(modes);
  size_t start = 0;
  while (start < up.size()) {
    size_t comma = up.find(',', start);
    if (comma == std::string::npos) comma = up.size();
    std::string_view item = std::string_view(up).substr(start, comma - start);
    for (const auto& [name, bit] : kModes) {
      if (item == name) bits |= bit;
    }
    start = comma + 1;
  }
  return bits;
}

std::string SqlModeText(uint64_t bits) {
  std::string out;
  for (const auto& [name, bit] : kModes) {
    if ((bits & bit) == 0 || bit == (1ull << 4)) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

}  // namespace reptut::sql
