// Option values as mysqld's my_getopt reads them: numbers with K/M/G/T/P/E
// suffixes, booleans, enumerations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "config/option_table.h"

namespace reptut::config {

// "16M" -> 16777216, clamped to [spec.min, spec.max] and rounded down to
// spec.block; an adjustment sets *warning ("option 'port': unsigned value
// 99999 adjusted to 65535"). Errors: "Incorrect integer value: 'abc' for
// port", "Incorrect unsigned value: '-1' for server_id", "Unknown suffix 'x'
// used for variable 'port' (value '12x')".
Result<uint64_t> ParseUnsignedOption(std::string_view value, const OptionSpec& spec,
                                     std::string_view name, std::string* warning);

// 1/ON/TRUE -> true, 0/OFF/FALSE -> false (any case); nullopt otherwise.
std::optional<bool> ParseBoolValue(std::string_view value);

// "1.5", "10", ".5e1".
bool IsDecimal(std::string_view value);

// The choice of "A,B,C" that equals value without regard to case.
std::optional<std::string> MatchChoice(std::string_view value, std::string_view choices);

}  // namespace reptut::config
