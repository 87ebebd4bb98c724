#include "config/option_values.h"

#include <gtest/gtest.h>

namespace reptut::config {
namespace {

const OptionSpec kAnyNumber{"n", OptionType::kUInt, false, false, 0, UINT64_MAX, 1, {}};
const OptionSpec kPort{"port", OptionType::kUInt, true, false, 0, 65535, 1, {}};
const OptionSpec kPacket{
    "max_allowed_packet", OptionType::kUInt, true, false, 1024, 1ull << 30, 1024, {}};

uint64_t Num(std::string_view v, const OptionSpec& spec = kAnyNumber) {
  std::string warning;
  auto r = ParseUnsignedOption(v, spec, spec.name, &warning);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : 0;
}

std::string Err(std::string_view v, const OptionSpec& spec = kPort) {
  std::string warning;
  auto r = ParseUnsignedOption(v, spec, spec.name, &warning);
  return r.ok() ? "(no error)" : r.error().message;
}

TEST(OptionValuesTest, PlainNumber) {
  EXPECT_EQ(Num("12000"), 12000u);
}

TEST(OptionValuesTest, Suffixes) {
  EXPECT_EQ(Num("16K"), 16u * 1024);
  EXPECT_EQ(Num("16k"), 16u * 1024);
  EXPECT_EQ(Num("16M"), 16u * 1024 * 1024);
  EXPECT_EQ(Num("1G"), 1024ull * 1024 * 1024);
  EXPECT_EQ(Num("2T"), 2ull << 40);
}

TEST(OptionValuesTest, NotANumber) {
  EXPECT_EQ(Err("abc"), "Incorrect integer value: 'abc' for port");
  EXPECT_EQ(Err(""), "Incorrect integer value: '' for port");
}

TEST(OptionValuesTest, Negative) {
  EXPECT_EQ(Err("-1"), "Incorrect unsigned value: '-1' for port");
}

TEST(OptionValuesTest, BadSuffix) {
  EXPECT_EQ(Err("12x"), "Unknown suffix 'x' used for variable 'port' (value '12x')");
  EXPECT_EQ(Err("12KB"), "Unknown suffix 'K' used for variable 'port' (value '12KB')");
}

TEST(OptionValuesTest, ClampedWithWarning) {
  std::string warning;
  auto r = ParseUnsignedOption("99999999", kPort, "port", &warning);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 65535u);
  EXPECT_EQ(warning, "option 'port': unsigned value 99999999 adjusted to 65535");
}

TEST(OptionValuesTest, RaisedToMinimumAndRoundedToBlock) {
  std::string warning;
  EXPECT_EQ(ParseUnsignedOption("100", kPacket, "max_allowed_packet", &warning).value(), 1024u);
  EXPECT_EQ(warning, "option 'max_allowed_packet': unsigned value 100 adjusted to 1024");
  warning.clear();
  EXPECT_EQ(ParseUnsignedOption("2049", kPacket, "max_allowed_packet", &warning).value(), 2048u);
  EXPECT_FALSE(warning.empty());
}

TEST(OptionValuesTest, InRangeHasNoWarning) {
  std::string warning;
  EXPECT_EQ(ParseUnsignedOption("16M", kPacket, "max_allowed_packet", &warning).value(), 16u << 20);
  EXPECT_TRUE(warning.empty());
}

TEST(OptionValuesTest, Booleans) {
  for (const char* v : {"1", "ON", "on", "TRUE", "true"}) EXPECT_EQ(ParseBoolValue(v), true) << v;
  for (const char* v : {"0", "OFF", "off", "FALSE", "False"}) {
    EXPECT_EQ(ParseBoolValue(v), false) << v;
  }
  EXPECT_EQ(ParseBoolValue("maybe"), std::nullopt);
  EXPECT_EQ(ParseBoolValue("2"), std::nullopt);
}

TEST(OptionValuesTest, Decimals) {
  EXPECT_TRUE(IsDecimal("10"));
  EXPECT_TRUE(IsDecimal("0.5"));
  EXPECT_FALSE(IsDecimal("abc"));
  EXPECT_FALSE(IsDecimal("1.5s"));
  EXPECT_FALSE(IsDecimal(""));
}

TEST(OptionValuesTest, Choices) {
  EXPECT_EQ(MatchChoice("row", "STATEMENT,ROW,MIXED"), "ROW");
  EXPECT_EQ(MatchChoice("Statement", "STATEMENT,ROW,MIXED"), "STATEMENT");
  EXPECT_EQ(MatchChoice("rows", "STATEMENT,ROW,MIXED"), std::nullopt);
}

}  // namespace
}  // namespace reptut::config
