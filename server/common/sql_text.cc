#include "common/sql_text.h"

namespace reptut {

std::string QuoteMysqlString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    switch (c) {
      case '\'':
        out += "''";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\032':
        out += "\\Z";
        break;
      default:
        out.push_back(c);
    }
  }
  out += '\'';
  return out;
}

}  // namespace reptut
