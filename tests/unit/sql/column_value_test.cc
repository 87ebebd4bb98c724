// CheckColumnValue: one short test per rule, with MariaDB 10.11's answers
// (checked on the same inputs) as the expected values.
#include "sql/column_value.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace reptut::sql {
namespace {

using Action = ColumnCheck::Action;
using Kind = CellValue::Kind;

class ColumnValue : public ::testing::Test {
 protected:
  // The column `c` of "CREATE TABLE t (c <type>)".
  void Column(const std::string& type) {
    def_ = testing::MustParse("CREATE TABLE t (c " + type + ")").table.def;
  }
  ColumnCheck Check(CellValue v, bool strict = true, uint64_t row = 1) {
    ColumnPlace place{"db", "t", &def_.columns[0], row};
    ColumnCheckMode mode;
    mode.strict = strict;
    return CheckColumnValue(place, v, mode);
  }
  static CellValue Text(std::string_view s) { return {Kind::kText, 0, 0, s}; }
  static CellValue Int(int64_t i) { return {Kind::kInt, i, 0, {}}; }
  static CellValue Decimal(std::string_view s) {
    return {Kind::kDecimal, 0, std::strtod(std::string(s).c_str(), nullptr), s};
  }
  static CellValue Real(double d) { return {Kind::kReal, 0, d, {}}; }

  TableDef def_;
};

TEST_F(ColumnValue, StringTooLongIsAnErrorWhenStrict) {
  Column("VARCHAR(3)");
  ColumnCheck r = Check(Text("abcdef"), true, 2);
  EXPECT_EQ(r.action, Action::kError);
  EXPECT_EQ(r.code, 1406);
  EXPECT_EQ(r.message, "Data too long for column 'c' at row 2");
}

TEST_F(ColumnValue, StringTooLongIsCutWhenNotStrict) {
  Column("VARCHAR(3)");
  ColumnCheck r = Check(Text("abcdef"), false);
  EXPECT_EQ(r.action, Action::kReplace);
  EXPECT_EQ(r.s, "abc");
  EXPECT_EQ(r.code, 1265);
  EXPECT_STREQ(r.level, "Warning");
}

TEST_F(ColumnValue, TrailingSpacesCutWithANote) {
  Column("VARCHAR(3)");
  ColumnCheck r = Check(Text("abc   "));
  EXPECT_EQ(r.action, Action::kReplace);
  EXPECT_EQ(r.s, "abc");
  EXPECT_STREQ(r.level, "Note");
}

TEST_F(ColumnValue, CharactersNotBytesForVarchar) {
  Column("VARCHAR(3)");
  EXPECT_EQ(Check(Text("\xc3\xa9\xc3\xa9\xc3\xa9")).action, Action::kKeep);
  Column("VARBINARY(3)");
  EXPECT_EQ(Check(Text("\xc3\xa9\xc3\xa9")).code, 1406);
}

TEST_F(ColumnValue, TextTypesCountBytes) {
  Column("TINYTEXT");
  EXPECT_EQ(Check(Text(std::string(255, 'a'))).action, Action::kKeep);
  EXPECT_EQ(Check(Text(std::string(256, 'a'))).code, 1406);
}

TEST_F(ColumnValue, BinaryIsPaddedWithZeros) {
  Column("BINARY(3)");
  ColumnCheck r = Check(Text("ab"));
  EXPECT_EQ(r.action, Action::kReplace);
  EXPECT_EQ(r.s, std::string("ab\0", 3));
}

TEST_F(ColumnValue, IntegerFromText) {
  Column("INT");
  EXPECT_EQ(Check(Text("12")).action, Action::kKeep);
  ColumnCheck bad = Check(Text("abc"));
  EXPECT_EQ(bad.code, 1366);
  EXPECT_EQ(bad.message, "Incorrect integer value: 'abc' for column `db`.`t`.`c` at row 1");
  EXPECT_EQ(Check(Text("")).code, 1366);
  ColumnCheck tail = Check(Text("12abc"));
  EXPECT_EQ(tail.action, Action::kError);
  EXPECT_EQ(tail.code, 1265);
  ColumnCheck loose = Check(Text("12abc"), false);
  EXPECT_EQ(loose.action, Action::kReplace);
  EXPECT_EQ(loose.i, 12);
  ColumnCheck spaces = Check(Text(" 12 "));
  EXPECT_STREQ(spaces.level, "Note");
  EXPECT_EQ(spaces.i, 12);
  EXPECT_EQ(Check(Text("1e3")).i, 1000);
}

TEST_F(ColumnValue, IntegerRounding) {
  Column("INT");
  EXPECT_EQ(Check(Decimal("1.5")).i, 2);
  EXPECT_EQ(Check(Decimal("-2.5")).i, -3);
  EXPECT_EQ(Check(Real(2.5)).i, 2);  // a double: ties to even
  EXPECT_EQ(Check(Text("1.5")).i, 2);
}

TEST_F(ColumnValue, BigintLimits) {
  Column("BIGINT");
  // -9223372036854775808 reaches SQLite as the REAL -2^63.
  CellValue min{Kind::kDecimal, 0, -9223372036854775808.0, "-9.223372036854776e+18"};
  ColumnCheck r = Check(min);
  EXPECT_EQ(r.action, Action::kReplace);
  EXPECT_EQ(r.i, INT64_MIN);
  EXPECT_EQ(Check(Decimal("9223372036854775808")).code, 1264);
}

TEST_F(ColumnValue, IntegerRange) {
  Column("TINYINT");
  ColumnCheck r = Check(Int(300), true, 2);
  EXPECT_EQ(r.action, Action::kError);
  EXPECT_EQ(r.message, "Out of range value for column 'c' at row 2");
  ColumnCheck loose = Check(Int(300), false);
  EXPECT_EQ(loose.i, 127);
  EXPECT_EQ(Check(Int(-128)).action, Action::kKeep);
  Column("INT UNSIGNED");
  EXPECT_EQ(Check(Int(-5)).code, 1264);
  EXPECT_EQ(Check(Int(-5), false).i, 0);
}

TEST_F(ColumnValue, Decimal) {
  Column("DECIMAL(5,2)");
  ColumnCheck note = Check(Decimal("123.456"));
  EXPECT_STREQ(note.level, "Note");
  EXPECT_EQ(note.s, "123.46");
  EXPECT_EQ(Check(Text("123.454")).s, "123.45");
  EXPECT_EQ(Check(Decimal("12345.678")).code, 1264);
  EXPECT_EQ(Check(Decimal("12345.678"), false).s, "999.99");
  EXPECT_EQ(Check(Decimal("-999.999"), false).s, "-999.99");
  ColumnCheck bad = Check(Text("abc"));
  EXPECT_EQ(bad.message, "Incorrect decimal value: 'abc' for column `db`.`t`.`c` at row 1");
  EXPECT_EQ(Check(Decimal("1.5")).action, Action::kKeep);
}

TEST_F(ColumnValue, EnumMembers) {
  Column("ENUM('a','b')");
  EXPECT_EQ(Check(Text("a")).action, Action::kKeep);
  EXPECT_EQ(Check(Text("A")).s, "a");
  EXPECT_EQ(Check(Int(2)).s, "b");
  EXPECT_EQ(Check(Text("2")).s, "b");
  EXPECT_EQ(Check(Text("zzz")).code, 1265);
  EXPECT_EQ(Check(Int(0)).action, Action::kError);
  ColumnCheck loose = Check(Text("zzz"), false);
  EXPECT_EQ(loose.action, Action::kReplace);
  EXPECT_EQ(loose.s, "");
}

TEST_F(ColumnValue, SetMembers) {
  Column("SET('x','y')");
  EXPECT_EQ(Check(Text("y,x")).s, "x,y");
  EXPECT_EQ(Check(Int(3)).s, "x,y");
  EXPECT_EQ(Check(Text("x,z")).code, 1265);
  EXPECT_EQ(Check(Text("x,z"), false).s, "x");
}

TEST_F(ColumnValue, Dates) {
  Column("DATE");
  EXPECT_EQ(Check(Text("2020-01-05")).action, Action::kKeep);
  EXPECT_EQ(Check(Text("2020-1-5")).s, "2020-01-05");
  EXPECT_EQ(Check(Text("20200105")).s, "2020-01-05");
  EXPECT_EQ(Check(Int(20200105)).s, "2020-01-05");
  EXPECT_EQ(Check(Text("20-01-05")).s, "2020-01-05");
  EXPECT_EQ(Check(Text("0000-00-00")).action, Action::kKeep);
  ColumnCheck bad = Check(Text("2020-13-45"));
  EXPECT_EQ(bad.code, 1292);
  EXPECT_EQ(bad.message, "Incorrect date value: '2020-13-45' for column `db`.`t`.`c` at row 1");
  EXPECT_EQ(Check(Text("2020-02-30")).code, 1292);
  EXPECT_EQ(Check(Text("2020-02-29")).action, Action::kKeep);
  ColumnCheck loose = Check(Text("abc"), false);
  EXPECT_EQ(loose.code, 1265);
  EXPECT_EQ(loose.s, "0000-00-00");
  ColumnCheck with_time = Check(Text("2020-01-05 10:11:12"));
  EXPECT_STREQ(with_time.level, "Note");
  EXPECT_EQ(with_time.s, "2020-01-05");
}

TEST_F(ColumnValue, Datetimes) {
  Column("DATETIME");
  EXPECT_EQ(Check(Text("2020-01-05")).s, "2020-01-05 00:00:00");
  EXPECT_EQ(Check(Text("2020-01-05T10:11:12.123")).s, "2020-01-05 10:11:12");
  EXPECT_EQ(Check(Int(20200105101112)).s, "2020-01-05 10:11:12");
  ColumnCheck bad = Check(Text("2020-01-05 25:00:00"));
  EXPECT_EQ(bad.message,
            "Incorrect datetime value: '2020-01-05 25:00:00' for column `db`.`t`.`c` at row 1");
  Column("DATETIME(3)");
  EXPECT_EQ(Check(Text("2020-01-05 10:11:12.5")).s, "2020-01-05 10:11:12.500");
}

TEST_F(ColumnValue, Times) {
  Column("TIME");
  EXPECT_EQ(Check(Text("10:11")).s, "10:11:00");
  EXPECT_EQ(Check(Text("101112")).s, "10:11:12");
  EXPECT_EQ(Check(Text("-838:59:59")).action, Action::kKeep);
  EXPECT_EQ(Check(Text("25:61:00")).code, 1292);
  EXPECT_EQ(Check(Text("900:00:00")).code, 1292);
  ColumnCheck loose = Check(Text("900:00:00"), false);
  EXPECT_EQ(loose.code, 1264);
  EXPECT_EQ(loose.s, "838:59:59");
}

TEST_F(ColumnValue, Years) {
  Column("YEAR");
  EXPECT_EQ(Check(Int(2155)).action, Action::kKeep);
  EXPECT_EQ(Check(Int(2156)).code, 1264);
  EXPECT_EQ(Check(Int(69)).i, 2069);
  EXPECT_EQ(Check(Int(70)).i, 1970);
  EXPECT_EQ(Check(Text("0")).i, 2000);
  EXPECT_EQ(Check(Int(0)).action, Action::kKeep);
}

TEST_F(ColumnValue, NullAndBitPassThrough) {
  Column("INT NOT NULL");
  EXPECT_EQ(Check(CellValue{}).action, Action::kKeep);
  Column("BIT(3)");
  EXPECT_EQ(Check(Int(99)).action, Action::kKeep);
}

}  // namespace
}  // namespace reptut::sql
