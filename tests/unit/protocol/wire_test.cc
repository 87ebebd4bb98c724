#include "protocol/wire.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace reptut::protocol {
namespace {

using testing::Bytes;

TEST(WireTest, FixedIntsAreLittleEndian) {
  std::string s;
  PutInt2(&s, 0x0102);
  PutInt3(&s, 0x030405);
  PutInt4(&s, 0x06070809);
  PutInt8(&s, 0x1011121314151617ull);
  EXPECT_EQ(s, Bytes({0x02, 0x01, 0x05, 0x04, 0x03, 0x09, 0x08, 0x07, 0x06, 0x17, 0x16, 0x15, 0x14,
                      0x13, 0x12, 0x11, 0x10}));
  WireReader r(s);
  uint16_t a;
  uint32_t b, c;
  uint64_t d;
  ASSERT_TRUE(r.ReadInt2(&a).ok());
  ASSERT_TRUE(r.ReadInt3(&b).ok());
  ASSERT_TRUE(r.ReadInt4(&c).ok());
  ASSERT_TRUE(r.ReadInt8(&d).ok());
  EXPECT_EQ(a, 0x0102);
  EXPECT_EQ(b, 0x030405u);
  EXPECT_EQ(c, 0x06070809u);
  EXPECT_EQ(d, 0x1011121314151617ull);
  EXPECT_TRUE(r.at_end());
}

TEST(WireTest, LenencIntBoundaries) {
  struct Case {
    uint64_t v;
    std::string bytes;
  } cases[] = {
      {0, Bytes({0x00})},
      {250, Bytes({0xFA})},
      {251, Bytes({0xFC, 0xFB, 0x00})},
      {0xFFFF, Bytes({0xFC, 0xFF, 0xFF})},
      {0x10000, Bytes({0xFD, 0x00, 0x00, 0x01})},
      {0xFFFFFF, Bytes({0xFD, 0xFF, 0xFF, 0xFF})},
      {0x1000000, Bytes({0xFE, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00})},
  };
  for (const Case& c : cases) {
    std::string s;
    PutLenencInt(&s, c.v);
    EXPECT_EQ(s, c.bytes) << c.v;
    EXPECT_EQ(LenencIntSize(c.v), s.size());
    WireReader r(s);
    uint64_t v = 1;
    ASSERT_TRUE(r.ReadLenencInt(&v).ok());
    EXPECT_EQ(v, c.v);
    EXPECT_TRUE(r.at_end());
  }
}

TEST(WireTest, ReadPastEndFails) {
  const std::string in = Bytes({0x01});
  WireReader r(in);
  uint16_t v;
  EXPECT_FALSE(r.ReadInt2(&v).ok());
  EXPECT_EQ(r.position(), 0u);
}

TEST(WireTest, EmptyInputFailsEveryRead) {
  WireReader r("");
  uint8_t a;
  uint64_t b;
  std::string_view s;
  EXPECT_FALSE(r.ReadInt1(&a).ok());
  EXPECT_FALSE(r.ReadLenencInt(&b).ok());
  EXPECT_FALSE(r.ReadLenencString(&s).ok());
  EXPECT_FALSE(r.ReadNulString(&s).ok());
}

TEST(WireTest, TruncatedLenencIntFails) {
  const std::string in = Bytes({0xFD, 0x01, 0x02});
  WireReader r(in);  // needs 3 bytes after 0xFD
  uint64_t v;
  EXPECT_FALSE(r.ReadLenencInt(&v).ok());
  EXPECT_EQ(r.position(), 0u);
}

TEST(WireTest, TruncatedEightByteLenencFails) {
  const std::string in = Bytes({0xFE, 1, 2, 3, 4, 5, 6, 7});
  WireReader r(in);
  uint64_t v;
  EXPECT_FALSE(r.ReadLenencInt(&v).ok());
}

TEST(WireTest, LenencNullIsNotAnInteger) {
  const std::string in = Bytes({0xFB});
  WireReader r(in);
  uint64_t v;
  EXPECT_FALSE(r.ReadLenencInt(&v).ok());
  bool is_null = false;
  ASSERT_TRUE(r.ReadLenencIntOrNull(&v, &is_null).ok());
  EXPECT_TRUE(is_null);
}

TEST(WireTest, LenencFfIsAnError) {
  const std::string in = Bytes({0xFF});
  WireReader r(in);
  uint64_t v;
  bool is_null;
  EXPECT_FALSE(r.ReadLenencIntOrNull(&v, &is_null).ok());
}

TEST(WireTest, LenencStringLongerThanInputFails) {
  const std::string in = Bytes({0x05, 'a', 'b'});
  WireReader r(in);
  std::string_view s;
  EXPECT_FALSE(r.ReadLenencString(&s).ok());
  EXPECT_EQ(r.position(), 0u);
}

TEST(WireTest, LenencStringHugeLengthFails) {
  // 2^64-1 as a length: must not wrap around.
  const std::string in = Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 'x'});
  WireReader r(in);
  std::string_view s;
  EXPECT_FALSE(r.ReadLenencString(&s).ok());
}

TEST(WireTest, NulStringWithoutNulFails) {
  WireReader r("abc");
  std::string_view s;
  EXPECT_FALSE(r.ReadNulString(&s).ok());
}

TEST(WireTest, NulStringAndRest) {
  std::string data("ab\0cd", 5);
  WireReader r(data);
  std::string_view s;
  ASSERT_TRUE(r.ReadNulString(&s).ok());
  EXPECT_EQ(s, "ab");
  EXPECT_EQ(r.ReadRest(), "cd");
  EXPECT_TRUE(r.at_end());
}

TEST(WireTest, ErrorIsTheOneGiven) {
  WireReader r("", Error{1043, "08S01", "Bad handshake"});
  uint8_t v;
  Status st = r.ReadInt1(&v);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), 1043);
}

TEST(WireTest, DefaultErrorIsMalformedPacket) {
  WireReader r("");
  uint8_t v;
  EXPECT_EQ(r.ReadInt1(&v).code(), 1835);
}

}  // namespace
}  // namespace reptut::protocol
