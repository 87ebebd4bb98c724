// The options reptutd knows: the ones it acts on (they fill ServerOptions)
// and the common mysqld options it takes without acting on them, so that
// tutorial and generated my.cnf files start the server. Names are canonical
// ('_' for '-').
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace reptut::config {

enum class OptionType {
  kBool,       // ON/OFF, 1/0, TRUE/FALSE; no value means ON; skip-/disable-/enable-
  kNoArg,      // takes no value (--version)
  kUInt,       // a number, with an optional K/M/G/T/P/E suffix; clamped to [min, max]
  kDecimal,    // a decimal number (long_query_time)
  kString,     // requires a value
  kOptString,  // value optional (--log-bin, --log-error)
  kEnum,       // one of `choices` (any case); stored as the choice is spelled
  kAny,        // anything or nothing; not checked (prefix families such as innodb_*)
};

struct OptionSpec {
  std::string_view name;
  OptionType type;
  bool acts = false;        // read into a ServerOptions field
  bool repeatable = false;  // each occurrence adds to a list (binlog_do_db)
  uint64_t min = 0;
  uint64_t max = UINT64_MAX;
  uint64_t block = 1;             // kUInt: values are rounded down to a multiple
  std::string_view choices = {};  // kEnum: "A,B,C"
};

// The option for a canonical name: an exact entry, else a prefix family
// (innodb_*, gtid_*, ssl_*, ...). nullptr when unknown.
const OptionSpec* FindOption(std::string_view canonical_name);

// The options of the table (not the families) whose name starts with prefix.
std::vector<const OptionSpec*> FindOptionsByPrefix(std::string_view prefix);

// The long option a mysqld short option stands for ('P' -> "port"), or
// nullptr.
const OptionSpec* FindShortOption(char c);

}  // namespace reptut::config
