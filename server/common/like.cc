#include "common/like.h"

#include <cctype>

namespace reptut {

bool LikeMatch(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p[0] == '%') {
    for (size_t i = 0; i <= t.size(); ++i) {
      if (LikeMatch(p.substr(1), t.substr(i))) return true;
    }
    return false;
  }
  if (p[0] == '\\' && p.size() > 1) {
    return !t.empty() && t[0] == p[1] && LikeMatch(p.substr(2), t.substr(1));
  }
  if (t.empty()) return false;
  if (p[0] != '_' && std::tolower(static_cast<unsigned char>(p[0])) !=
                         std::tolower(static_cast<unsigned char>(t[0]))) {
    return false;
  }
  return LikeMatch(p.substr(1), t.substr(1));
}

}  // namespace reptut
