// Writing values back as MySQL SQL text.
#pragma once

#include <string>
#include <string_view>

namespace reptut {

// 'text' as a MySQL string literal (quotes doubled; backslash, NUL, CR, LF
// and ^Z escaped), readable back by any MySQL parser in the default sql_mode.
std::string QuoteMysqlString(std::string_view text);

}  // namespace reptut
