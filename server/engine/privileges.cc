#include "engine/privileges.h"

namespace reptut::engine {

std::string PrivilegeNames(PrivSet set) {
  std::string out;
  for (int b = 0; b < 64; ++b) {
    uint64_t bit = 1ull << b;
    if (!(set & bit)) continue;
    std::string_view name = sql::PrivilegeName(bit);
    if (name.empty()) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

PrivSet PrivilegesFromNames(std::string_view csv) {
  PrivSet out = 0;
  size_t start = 0;
  while (start < csv.size()) {
    size_t comma = csv.find(',', start);
    if (comma == std::string_view::npos) comma = csv.size();
    std::string_view item = csv.substr(start, comma - start);
    for (int b = 0; b < 64; ++b) {
      if (!item.empty() && sql::PrivilegeName(1ull << b) == item) out |= 1ull << b;
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace reptut::engine
