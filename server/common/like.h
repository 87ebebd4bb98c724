// MySQL's LIKE pattern matching: % any run, _ one character, \ escapes the
// next; ASCII case-insensitive, as the default collations compare. Used for
// SHOW ... LIKE and for account host patterns.
#pragma once

#include <string_view>

namespace reptut {

bool LikeMatch(std::string_view pattern, std::string_view text);

}  // namespace reptut
