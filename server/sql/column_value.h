// What a value becomes when it is stored in a column of a declared type, as
// MySQL's strict and non-strict modes decide (MariaDB 10.11 checked):
//
//   CHAR/VARCHAR/TEXT  longer than the column: 1406 "Data too long" (strict)
//                      or cut with warning 1265; only trailing spaces cut:
//                      Note 1265 in either mode
//   BINARY/VARBINARY/BLOB  the same in bytes; BINARY(n) is padded with NULs
//   integers           a string that is not a number: 1366 "Incorrect
//                      integer value"; a number followed by other text:
//                      1265; out of the type's range: 1264 (clipped when not
//                      strict); fractions rounded half away from zero
//   DECIMAL(M,D)       rounded to D places (Note 1265 when digits are lost);
//                      too many integer digits: 1264 (clipped to 99..9.9..9)
//   FLOAT/DOUBLE       a string that is not a number: 1366
//   ENUM/SET           a member (any case) or its index/bitmask; anything
//                      else: 1265 ('' or the known members when not strict)
//   DATE/DATETIME/TIMESTAMP/TIME  MySQL's literal forms (delimited, or
//                      digits only), stored normalised ('2020-01-05');
//                      invalid: 1292 "Incorrect date value" (zero value with
//                      warning 1265 when not strict)
//   YEAR               2 digits mapped to 1970..2069; outside 1901..2155: 1264
//
// Pure: no SQLite, no session. The engine calls it for every value an
// INSERT, REPLACE or UPDATE stores (engine/column_checks.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sql/table_def.h"

namespace reptut::sql {

// A value as SQLite holds it.
struct CellValue {
  // kReal is an approximate number (a DOUBLE, 1e3): rounded half to even
  // into integers. kDecimal is an exact number written in s ("2.50", a
  // decimal literal or SQLite's REAL of an expression): rounded half away
  // from zero, as MySQL rounds DECIMAL values.
  enum class Kind : uint8_t { kNull, kInt, kReal, kDecimal, kText, kBlob };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;        // kReal, kDecimal
  std::string_view s;  // kText, kBlob, kDecimal
};

struct ColumnCheckMode {
  bool strict = false;  // STRICT_TRANS_TABLES / STRICT_ALL_TABLES, and no IGNORE
  bool no_zero_date = false;
  bool no_zero_in_date = false;
};

// Where the value goes, for the messages.
struct ColumnPlace {
  std::string_view db, table;
  const ColumnDef* column = nullptr;
  uint64_t row = 1;  // 1-based
};

struct ColumnCheck {
  enum class Action : uint8_t { kKeep, kReplace, kError };
  Action action = Action::kKeep;
  // kReplace: the value to store instead (kind kInt or kText/kBlob).
  CellValue::Kind kind = CellValue::Kind::kText;
  int64_t i = 0;
  std::string s;
  // A Note or Warning to add (code 0: none); with kError, the error.
  const char* level = "Warning";
  uint16_t code = 0;
  std::string message;
};

ColumnCheck CheckColumnValue(const ColumnPlace& place, const CellValue& value,
                             const ColumnCheckMode& mode);

}  // namespace reptut::sql
