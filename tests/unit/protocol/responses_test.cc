#include "protocol/responses.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace reptut::protocol {
namespace {

using testing::Bytes;

TEST(ResponsesTest, OkLayout) {
  OkPacket ok;
  ok.affected_rows = 1;
  ok.last_insert_id = 300;
  ok.status_flags = 0x0002;
  ok.warnings = 3;
  EXPECT_EQ(EncodeOk(ok), Bytes({0x00, 0x01, 0xFC, 0x2C, 0x01, 0x02, 0x00, 0x03, 0x00}));
}

TEST(ResponsesTest, OkWithInfoIsLenenc) {
  OkPacket ok;
  ok.affected_rows = 2;
  ok.status_flags = 0x0002;
  ok.info = "Rows matched: 2  Changed: 2  Warnings: 0";
  std::string expected = Bytes({0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 40}) + ok.info;
  EXPECT_EQ(EncodeOk(ok), expected);
  auto d = DecodeOk(expected);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->info, ok.info);
  EXPECT_EQ(d->affected_rows, 2u);
}

TEST(ResponsesTest, OkDecodeTruncated) {
  std::string p = Bytes({0x00, 0x01, 0xFC, 0x2C, 0x01, 0x02, 0x00, 0x03, 0x00});
  for (size_t n = 0; n < p.size(); ++n) EXPECT_FALSE(DecodeOk(p.substr(0, n)).ok()) << n;
}

TEST(ResponsesTest, ErrLayout) {
  Error e{1146, "42S02", "Table 'test.t' doesn't exist"};
  std::string expected = Bytes({0xFF, 0x7A, 0x04, '#'}) + "42S02" + e.message;
  EXPECT_EQ(EncodeErr(e), expected);
  auto d = DecodeErr(expected);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->code, 1146);
  EXPECT_EQ(d->sqlstate, "42S02");
  EXPECT_EQ(d->message, e.message);
}

TEST(ResponsesTest, ErrWithoutSqlstateBeforeHandshake) {
  Error e{1040, "08004", "Too many connections"};
  EXPECT_EQ(EncodeErr(e, false), Bytes({0xFF, 0x10, 0x04}) + "Too many connections");
}

TEST(ResponsesTest, ErrMessageIsCut) {
  Error e{1105, "HY000", std::string(2000, 'm')};
  EXPECT_EQ(EncodeErr(e).size(), 1 + 2 + 6 + kMaxErrorMessageLength);
}

TEST(ResponsesTest, ErrDecodeMalformed) {
  EXPECT_FALSE(DecodeErr("").has_value());
  EXPECT_FALSE(DecodeErr(Bytes({0xFF, 0x01})).has_value());
  EXPECT_FALSE(DecodeErr(Bytes({0x00, 0x01, 0x02})).has_value());
}

TEST(ResponsesTest, EofLayout) {
  EXPECT_EQ(EncodeEof(1, 0x000A), Bytes({0xFE, 0x01, 0x00, 0x0A, 0x00}));
  EXPECT_TRUE(IsEofPacket(EncodeEof(0, 0)));
  EXPECT_FALSE(IsEofPacket(Bytes({0xFE, 0, 0, 0, 0, 0, 0, 0, 0})));
}

TEST(ResponsesTest, ColumnDefinitionLayout) {
  ColumnDefinition c;
  c.schema = "test";
  c.table = "t";
  c.org_table = "t";
  c.name = "id";
  c.org_name = "id";
  c.charset = 63;
  c.length = 11;
  c.type = mysql::kTypeLong;
  c.flags = mysql::kNotNullFlag | mysql::kPriKeyFlag;
  c.decimals = 0;
  std::string expected =
      Bytes({3, 'd', 'e', 'f',  4,  't', 'e', 's', 't', 1, 't', 1, 't', 2, 'i', 'd',
             2, 'i', 'd', 0x0C, 63, 0,   11,  0,   0,   0, 3,   3, 0,   0, 0,   0});
  EXPECT_EQ(EncodeColumnDefinition(c), expected);
  EXPECT_EQ(EncodeColumnDefinition(c, true), expected + Bytes({0xFB}));
  EXPECT_EQ(EncodeColumnDefinition(c, true, std::string("0")), expected + Bytes({1, '0'}));
  auto d = DecodeColumnDefinition(expected);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->name, "id");
  EXPECT_EQ(d->type, mysql::kTypeLong);
  EXPECT_EQ(d->flags, 3);
}

TEST(ResponsesTest, ColumnDefinitionDecodeTruncated) {
  ColumnDefinition c;
  c.name = "x";
  std::string p = EncodeColumnDefinition(c);
  for (size_t n = 0; n + 2 < p.size(); ++n) {
    EXPECT_FALSE(DecodeColumnDefinition(p.substr(0, n)).ok()) << n;
  }
}

TEST(ResponsesTest, ColumnCount) {
  EXPECT_EQ(EncodeColumnCount(3), Bytes({3}));
  EXPECT_EQ(EncodeColumnCount(300), Bytes({0xFC, 0x2C, 0x01}));
}

TEST(ResponsesTest, TextRowWithNull) {
  TextRow row = {std::string("1"), std::nullopt, std::string("")};
  std::string expected = Bytes({1, '1', 0xFB, 0});
  EXPECT_EQ(EncodeTextRow(row), expected);
  auto d = DecodeTextRow(expected, 3);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, row);
}

TEST(ResponsesTest, TextRowDecodeMismatch) {
  std::string p = Bytes({1, '1', 0xFB});
  EXPECT_FALSE(DecodeTextRow(p, 3).ok());                // too few values
  EXPECT_FALSE(DecodeTextRow(p, 1).ok());                // bytes left over
  EXPECT_FALSE(DecodeTextRow(Bytes({5, 'a'}), 1).ok());  // value past end
}

}  // namespace
}  // namespace reptut::protocol
