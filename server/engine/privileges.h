// Privilege sets as the engine stores and checks them. The bits are the
// parser's (sql::Privilege); this adds the text form the grant tables keep
// ("SELECT,INSERT,REPLICATION SLAVE") and the "ALL" sets of each level.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sql/statement.h"

namespace reptut::engine {

using PrivSet = uint64_t;

inline PrivSet AllGlobalPrivileges() {
  return sql::kPrivAllGlobal;
}
inline PrivSet AllDbPrivileges() {
  return sql::PrivAllForLevel(true, false);
}
inline PrivSet AllTablePrivileges() {
  return sql::PrivAllForLevel(false, true);
}

// Names for storage (comma-separated, every bit named) and back.
std::string PrivilegeNames(PrivSet set);
PrivSet PrivilegesFromNames(std::string_view csv);

}  // namespace reptut::engine
