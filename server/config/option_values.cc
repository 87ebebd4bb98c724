#include "config/option_values.h"

#include <cctype>
#include <cstdlib>

#include "common/errors.h"

namespace reptut::config {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

Error ValueError(std::string message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::move(message));
}

}  // namespace

Result<uint64_t> ParseUnsignedOption(std::string_view value, const OptionSpec& spec,
                                     std::string_view name, std::string* warning) {
  const std::string shown(value);
  const std::string var(name);
  size_t i = 0;
  while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
  if (i < value.size() && value[i] == '-' && i + 1 < value.size() && IsDigit(value[i + 1])) {
    return ValueError("Incorrect unsigned value: '" + shown + "' for " + var);
  }
  if (i < value.size() && value[i] == '+') ++i;
  if (i == value.size() || !IsDigit(value[i])) {
    return ValueError("Incorrect integer value: '" + shown + "' for " + var);
  }
  bool overflow = false;
  uint64_t n = 0;
  for (; i < value.size() && IsDigit(value[i]); ++i) {
    unsigned d = static_cast<unsigned>(value[i] - '0');
    if (n > (UINT64_MAX - d) / 10) overflow = true;
    n = overflow ? UINT64_MAX : n * 10 + d;
  }
  if (i < value.size()) {
    static constexpr std::string_view kSuffixes = "KMGTPE";
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(value[i])));
    size_t pos = kSuffixes.find(c);
    if (pos == std::string_view::npos || i + 1 != value.size()) {
      return ValueError(std::string("Unknown suffix '") + value[i] + "' used for variable '" + var +
                        "' (value '" + shown + "')");
    }
    for (size_t k = 0; k <= pos; ++k) {
      if (n > UINT64_MAX / 1024) overflow = true;
      n = overflow ? UINT64_MAX : n * 1024;
    }
  }
  uint64_t adjusted = n;
  if (adjusted > spec.max) adjusted = spec.max;
  if (adjusted < spec.min) adjusted = spec.min;
  if (spec.block > 1) {
    adjusted -= adjusted % spec.block;
    if (adjusted < spec.min) adjusted = spec.min;
  }
  if (adjusted != n || overflow) {
    *warning = "option '" + var + "': unsigned value " + (overflow ? shown : std::to_string(n)) +
               " adjusted to " + std::to_string(adjusted);
  }
  return adjusted;
}

std::optional<bool> ParseBoolValue(std::string_view value) {
  if (value == "1" || EqualsNoCase(value, "on") || EqualsNoCase(value, "true")) return true;
  if (value == "0" || EqualsNoCase(value, "off") || EqualsNoCase(value, "false")) return false;
  return std::nullopt;
}

bool IsDecimal(std::string_view value) {
  if (value.empty()) return false;
  std::string s(value);
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

std::optional<std::string> MatchChoice(std::string_view value, std::string_view choices) {
  while (!choices.empty()) {
    size_t comma = choices.find(',');
    std::string_view choice = choices.substr(0, comma);
    if (EqualsNoCase(value, choice)) return std::string(choice);
    if (comma == std::string_view::npos) break;
    choices.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

}  // namespace reptut::config
