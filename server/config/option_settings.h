// The options as set so far, and the my_getopt rules for setting one from an
// argument: "--name[=value]" (with loose-, skip-, disable-, enable-
// prefixes and unique name prefixes) and short options ("-P 3306", "-vV").
// Later settings replace earlier ones; repeatable options accumulate.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reptut::config {

// Where an argument came from.
struct Source {
  std::string origin;    // "file:line" or "command line"
  std::string where;     // " in config file F at line N"; "" for the command line
  bool lenient = false;  // unknown options are warnings (files of the default search)

  static Source CommandLine() { return Source{"command line", "", false}; }
};

// One option as finally set.
struct Setting {
  std::string value;              // ON/OFF for booleans, decimal for numbers, else as given
  bool has_value = false;         // a value was given (options whose value is optional)
  bool disabled = false;          // --skip-X / --disable-X of an option that is not boolean
  std::vector<std::string> list;  // repeatable options: every value, in order
  std::string origin;
};

// Hands out the next command-line argument, for "--port 3306"; nullopt at the end.
using NextArgument = std::function<std::optional<std::string>()>;

class OptionSettings {
 public:
  // Warnings (unknown loose options, adjusted values...) are appended to *warnings.
  explicit OptionSettings(std::vector<std::string>* warnings) : warnings_(warnings) {}

  // A long option: `written` is the name as written (without "--"), `text`
  // the whole argument as written without "--" (for "unknown variable 'text'").
  // next: may be empty (options from files never take the next argument).
  Status Long(std::string_view written, std::optional<std::string> value, std::string_view text,
              const Source& src, const NextArgument& next);

  // A short option cluster from the command line: "-P3306", "-vV", "-P".
  Status Short(const std::string& arg, const NextArgument& next);

  // Canonical name ('_') -> setting.
  const std::map<std::string, Setting>& settings() const { return settings_; }

 private:
  std::vector<std::string>* warnings_;
  std::map<std::string, Setting> settings_;
};

}  // namespace reptut::config
