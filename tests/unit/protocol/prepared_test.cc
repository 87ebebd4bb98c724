#include "protocol/prepared.h"

#include <gtest/gtest.h>

#include <cstring>

#include "test_bytes.h"

namespace reptut::protocol {
namespace {

using testing::Bytes;

TEST(PreparedTest, CountsPlaceholdersOutsideQuotesAndComments) {
  EXPECT_EQ(CountPlaceholders("SELECT ?"), 1u);
  EXPECT_EQ(CountPlaceholders("SELECT '?', \"?\", `?`, ? -- ?\n, ? /* ? */ # ?"), 2u);
  EXPECT_EQ(CountPlaceholders("SELECT 'it''s ?', 'a\\'?', ?"), 1u);
  EXPECT_EQ(CountPlaceholders("SELECT 1--?"), 1u);  // "--" needs a space to start a comment
  EXPECT_EQ(CountPlaceholders("SELECT 'unterminated ?"), 0u);
  EXPECT_EQ(CountPlaceholders(""), 0u);
}

TEST(PreparedTest, Substitutes) {
  EXPECT_EQ(SubstitutePlaceholders("SELECT ?, '?', ?", {"1", "'a'"}), "SELECT 1, '?', 'a'");
  EXPECT_EQ(SubstitutePlaceholders("SELECT ?", {}), "SELECT NULL");
}

TEST(PreparedTest, LimitParameterBoundAsStringOfDigits) {
  // DBD::MariaDB and Node's mysql2 bind numbers as strings.
  EXPECT_EQ(SubstitutePlaceholders("SELECT * FROM t LIMIT ?", {"'2'"}), "SELECT * FROM t LIMIT 2");
  EXPECT_EQ(SubstitutePlaceholders("SELECT * FROM t limit ?, ?", {"'1'", "'2'"}),
            "SELECT * FROM t limit 1, 2");
  EXPECT_EQ(SubstitutePlaceholders("SELECT * FROM t LIMIT 5,?", {"'2'"}),
            "SELECT * FROM t LIMIT 5,2");
  EXPECT_EQ(SubstitutePlaceholders("SELECT a FROM t LIMIT ? OFFSET ?", {"3", "'4'"}),
            "SELECT a FROM t LIMIT 3 OFFSET 4");
  // Elsewhere, and when not digits, a string stays a string.
  EXPECT_EQ(SubstitutePlaceholders("SELECT ? FROM t LIMIT ?", {"'2'", "'x'"}),
            "SELECT '2' FROM t LIMIT 'x'");
  EXPECT_EQ(SubstitutePlaceholders("SELECT * FROM t WHERE a IN (?, ?)", {"'1'", "'2'"}),
            "SELECT * FROM t WHERE a IN ('1', '2')");
  EXPECT_EQ(SubstitutePlaceholders("SELECT nolimit, ?", {"'1'"}), "SELECT nolimit, '1'");
}

TEST(PreparedTest, QuotesWithBackslashEscapes) {
  EXPECT_EQ(QuoteSqlString(std::string("a'b\\c\n\r\x1a\0", 9)), "'a''b\\\\c\\n\\r\\Z\\0'");
}

TEST(PreparedTest, PrepareOkLayout) {
  EXPECT_EQ(EncodePrepareOk(1, 2, 3, 0), Bytes({0x00, 1, 0, 0, 0, 2, 0, 3, 0, 0x00, 0, 0}));
}

TEST(PreparedTest, PeekStatementId) {
  EXPECT_EQ(PeekStatementId(Bytes({0x17, 7, 0, 0, 0})).value(), 7u);
  EXPECT_FALSE(PeekStatementId(Bytes({0x17, 7, 0})).ok());
}

std::string ExecuteHeader(uint32_t id) {
  return Bytes({0x17, static_cast<int>(id), 0, 0, 0, 0x00, 1, 0, 0, 0});
}

TEST(PreparedTest, DecodesTypedParameters) {
  std::string p = ExecuteHeader(3);
  p += Bytes({0x04});  // NULL bitmap: parameter 2 is NULL
  p += Bytes({0x01});  // new types follow
  p += Bytes({mysql::kTypeLong, 0, mysql::kTypeLongLong, 0, mysql::kTypeVarString, 0,
              mysql::kTypeString, 0, mysql::kTypeDouble, 0, mysql::kTypeTiny, 0x80});
  p += Bytes({5, 0, 0, 0});
  p += Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  p += Bytes({3, 'a', '\'', 'b'});
  double d = 1.5;
  char raw[8];
  std::memcpy(raw, &d, 8);
  p += std::string(raw, 8);
  p += Bytes({200});
  std::vector<uint16_t> types;
  auto e = DecodeStmtExecute(p, 6, &types, {});
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->statement_id, 3u);
  EXPECT_EQ(e->literals, (std::vector<std::string>{"5", "-1", "NULL", "'a''b'", "1.5", "200"}));
  EXPECT_EQ(types.size(), 6u);
}

TEST(PreparedTest, ReusesBoundTypes) {
  std::vector<uint16_t> types = {mysql::kTypeShort};
  std::string p = ExecuteHeader(1) + Bytes({0x00, 0x00, 0xFE, 0xFF});
  auto e = DecodeStmtExecute(p, 1, &types, {});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->literals[0], "-2");
}

TEST(PreparedTest, UnboundTypesAreMalformed) {
  std::vector<uint16_t> types;
  std::string p = ExecuteHeader(1) + Bytes({0x00, 0x00, 1, 0});
  EXPECT_FALSE(DecodeStmtExecute(p, 1, &types, {}).ok());
}

TEST(PreparedTest, TemporalParameters) {
  std::vector<uint16_t> types;
  std::string p = ExecuteHeader(1) + Bytes({0x00, 0x01});
  p += Bytes({mysql::kTypeDateTime, 0, mysql::kTypeDate, 0, mysql::kTypeTime, 0});
  p += Bytes({7, 0xE8, 0x07, 1, 2, 3, 4, 5});
  p += Bytes({4, 0xE8, 0x07, 1, 2});
  p += Bytes({8, 1, 1, 0, 0, 0, 1, 0, 1});
  auto e = DecodeStmtExecute(p, 3, &types, {});
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->literals,
            (std::vector<std::string>{"'2024-01-02 03:04:05'", "'2024-01-02'", "'-25:00:01'"}));
}

TEST(PreparedTest, LongDataReplacesTheValue) {
  std::vector<uint16_t> types;
  std::string p = ExecuteHeader(1) + Bytes({0x00, 0x01, mysql::kTypeBlob, 0, mysql::kTypeLong, 0});
  p += Bytes({9, 0, 0, 0});  // only the second value is in the payload
  auto e = DecodeStmtExecute(p, 2, &types, {std::string("big"), std::nullopt});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->literals, (std::vector<std::string>{"'big'", "9"}));
}

TEST(PreparedTest, TruncatedExecuteFails) {
  std::vector<uint16_t> types;
  std::string p = ExecuteHeader(1) + Bytes({0x00, 0x01, mysql::kTypeLongLong, 0, 1, 2, 3});
  for (size_t n = 0; n < p.size(); ++n) {
    types.clear();
    EXPECT_FALSE(DecodeStmtExecute(p.substr(0, n), 1, &types, {}).ok()) << n;
  }
}

TEST(PreparedTest, StringLengthPastEndFails) {
  std::vector<uint16_t> types;
  std::string p = ExecuteHeader(1) + Bytes({0x00, 0x01, mysql::kTypeVarString, 0, 9, 'a'});
  EXPECT_FALSE(DecodeStmtExecute(p, 1, &types, {}).ok());
}

TEST(PreparedTest, BinaryRowLayout) {
  std::vector<ColumnDefinition> cols(7);
  cols[0].type = mysql::kTypeLong;
  cols[1].type = mysql::kTypeLongLong;
  cols[2].type = mysql::kTypeVarString;
  cols[3].type = mysql::kTypeDateTime;
  cols[4].type = mysql::kTypeDate;
  cols[5].type = mysql::kTypeTime;
  cols[6].type = mysql::kTypeTiny;
  TextRow row = {std::string("-2"),         std::nullopt,
                 std::string("abc"),        std::string("2024-01-02 03:04:05"),
                 std::string("2024-01-02"), std::string("-25:00:01"),
                 std::string("7")};
  std::string expected = Bytes({0x00, 0x08, 0x00});  // header, NULL bitmap (column 1 + 2)
  expected += Bytes({0xFE, 0xFF, 0xFF, 0xFF});
  expected += Bytes({3, 'a', 'b', 'c'});
  expected += Bytes({7, 0xE8, 0x07, 1, 2, 3, 4, 5});
  expected += Bytes({4, 0xE8, 0x07, 1, 2});
  expected += Bytes({8, 1, 1, 0, 0, 0, 1, 0, 1});
  expected += Bytes({7});
  EXPECT_EQ(EncodeBinaryRow(row, cols), expected);
}

TEST(PreparedTest, BinaryRowZeroTemporalsAndFractions) {
  std::vector<ColumnDefinition> cols(3);
  cols[0].type = mysql::kTypeDateTime;
  cols[1].type = mysql::kTypeDateTime;
  cols[2].type = mysql::kTypeTime;
  TextRow row = {std::string("0000-00-00 00:00:00"), std::string("2024-01-02 03:04:05.5"),
                 std::string("00:00:00")};
  std::string expected = Bytes({0x00, 0x00});
  expected += Bytes({0});
  expected += Bytes({11, 0xE8, 0x07, 1, 2, 3, 4, 5, 0x20, 0xA1, 0x07, 0x00});  // 500000 us
  expected += Bytes({0});
  EXPECT_EQ(EncodeBinaryRow(row, cols), expected);
}

TEST(PreparedTest, BinaryRowDouble) {
  std::vector<ColumnDefinition> cols(1);
  cols[0].type = mysql::kTypeDouble;
  std::string out = EncodeBinaryRow({std::string("1.5")}, cols);
  ASSERT_EQ(out.size(), 2u + 8u);
  double d;
  std::memcpy(&d, out.data() + 2, 8);
  EXPECT_EQ(d, 1.5);
}

}  // namespace
}  // namespace reptut::protocol
