#pragma once

#include <gtest/gtest.h>

#include "sql/parser.h"

namespace reptut::sql::testing {

inline Statement MustParse(std::string_view sql) {
  auto r = Parse(sql);
  EXPECT_TRUE(r.ok()) << sql << " -> " << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? r.value() : Statement{};
}

inline Error MustFail(std::string_view sql) {
  auto r = Parse(sql);
  EXPECT_FALSE(r.ok()) << sql;
  return r.ok() ? Error{} : r.error();
}

inline std::string Sqlite(std::string_view sql) {
  return MustParse(sql).dml.sqlite_sql;
}

}  // namespace reptut::sql::testing
