#include "protocol/packet.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace reptut::protocol {
namespace {

using testing::Bytes;

std::string Frame(std::string_view payload, uint8_t seq) {
  std::string out;
  AppendPackets(&out, payload, &seq);
  return out;
}

TEST(PacketTest, EncodesHeader) {
  uint8_t seq = 7;
  std::string out;
  AppendPackets(&out, "abc", &seq);
  EXPECT_EQ(out, Bytes({0x03, 0x00, 0x00, 0x07, 'a', 'b', 'c'}));
  EXPECT_EQ(seq, 8);
}

TEST(PacketTest, EmptyPayloadIsOneEmptyPacket) {
  EXPECT_EQ(Frame("", 0), Bytes({0, 0, 0, 0}));
}

TEST(PacketTest, SequenceWrapsAt256) {
  uint8_t seq = 255;
  std::string out;
  AppendPackets(&out, "x", &seq);
  EXPECT_EQ(seq, 0);
}

TEST(PacketTest, SplitsAtMaxChunkWithTrailingEmptyPacket) {
  std::string payload(kMaxPacketChunk, 'a');
  uint8_t seq = 0;
  std::string out;
  AppendPackets(&out, payload, &seq);
  ASSERT_EQ(out.size(), kMaxPacketChunk + 8);
  EXPECT_EQ(out.substr(0, 4), Bytes({0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(out.substr(kMaxPacketChunk + 4), Bytes({0, 0, 0, 1}));
  EXPECT_EQ(seq, 2);
}

TEST(PacketTest, SplitJoinRoundTrip) {
  std::string payload(kMaxPacketChunk * 2 + 10, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 31);
  std::string wire = Frame(payload, 3);
  PacketDecoder d(payload.size());
  // Feed in uneven pieces.
  for (size_t off = 0; off < wire.size(); off += 1000003)
    d.Feed(std::string_view(wire).substr(off, 1000003));
  uint8_t seq = 3;
  auto r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.value().has_value());
  EXPECT_EQ(*r.value(), payload);
  EXPECT_EQ(seq, 6);
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(PacketTest, DecoderWaitsForWholeHeader) {
  PacketDecoder d(100);
  d.Feed(Bytes({0x01, 0x00}));
  uint8_t seq = 0;
  auto r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
}

TEST(PacketTest, DecoderWaitsForWholeBody) {
  PacketDecoder d(100);
  d.Feed(Bytes({0x03, 0x00, 0x00, 0x00, 'a'}));
  uint8_t seq = 0;
  auto r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
  d.Feed("bc");
  r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.value().has_value());
  EXPECT_EQ(*r.value(), "abc");
  EXPECT_EQ(seq, 1);
}

TEST(PacketTest, DecoderYieldsBackToBackPayloads) {
  PacketDecoder d(100);
  d.Feed(Frame("one", 0) + Frame("two", 1) + Frame("", 2));
  uint8_t seq = 0;
  EXPECT_EQ(*d.Next(&seq).value(), "one");
  EXPECT_EQ(*d.Next(&seq).value(), "two");
  EXPECT_EQ(*d.Next(&seq).value(), "");
  EXPECT_FALSE(d.Next(&seq).value().has_value());
}

TEST(PacketTest, BadSequenceIsAnError) {
  PacketDecoder d(100);
  d.Feed(Frame("x", 5));
  uint8_t seq = 0;
  auto r = d.Next(&seq);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1156);
  EXPECT_EQ(seq, 6);  // the ERR follows the offending packet
  EXPECT_TRUE(d.failed());
}

TEST(PacketTest, BadSequenceInsideSplitPayload) {
  std::string payload(kMaxPacketChunk, 'a');
  std::string wire = Frame(payload, 0);
  wire[kMaxPacketChunk + 4 + 3] = 9;  // second packet should carry 1
  PacketDecoder d(kMaxPacketChunk * 2);
  d.Feed(wire);
  uint8_t seq = 0;
  auto r = d.Next(&seq);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1156);
}

TEST(PacketTest, ErrorIsSticky) {
  PacketDecoder d(100);
  d.Feed(Frame("x", 1));
  uint8_t seq = 0;
  ASSERT_FALSE(d.Next(&seq).ok());
  seq = 1;
  EXPECT_FALSE(d.Next(&seq).ok());
}

TEST(PacketTest, PayloadAtMaxIsAccepted) {
  PacketDecoder d(10);
  d.Feed(Frame(std::string(10, 'z'), 0));
  uint8_t seq = 0;
  auto r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()->size(), 10u);
}

TEST(PacketTest, PayloadOverMaxIsRejectedAfterSkipping) {
  PacketDecoder d(10);
  d.Feed(Frame(std::string(11, 'z'), 0));
  uint8_t seq = 0;
  auto r = d.Next(&seq);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1153);
  EXPECT_EQ(r.error().sqlstate, "08S01");
  EXPECT_EQ(seq, 1);  // the reply goes out with the next id
}

TEST(PacketTest, OversizedPayloadIsSkippedAsItArrives) {
  PacketDecoder d(10);
  std::string wire = Frame(std::string(1000, 'z'), 0);
  uint8_t seq = 0;
  d.Feed(wire.substr(0, 100));
  auto r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
  EXPECT_TRUE(d.skipping());
  EXPECT_LE(d.buffered(), kPacketHeaderSize);  // nothing of it is kept
  d.Feed(wire.substr(100, 500));
  r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
  d.Feed(wire.substr(600));
  r = d.Next(&seq);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1153);
  EXPECT_EQ(seq, 1);
}

TEST(PacketTest, OversizedSplitPayloadSkipsEveryPacket) {
  PacketDecoder d(100);
  std::string wire = Frame(std::string(kMaxPacketChunk + 5, 'q'), 0);
  uint8_t seq = 0;
  for (size_t off = 0; off < wire.size(); off += 65536) {
    d.Feed(std::string_view(wire).substr(off, 65536));
    auto r = d.Next(&seq);
    if (off + 65536 < wire.size()) {
      ASSERT_TRUE(r.ok()) << off;
      EXPECT_FALSE(r.value().has_value());
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, 1153);
    }
  }
  EXPECT_EQ(seq, 2);
}

TEST(PacketTest, TooLargeDecidedFromHeaderAlone) {
  PacketDecoder d(10);
  d.Feed(Bytes({0xFF, 0xFF, 0x00, 0x00}));  // announces 65535 bytes
  uint8_t seq = 0;
  auto r = d.Next(&seq);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(d.skipping());
}

}  // namespace
}  // namespace reptut::protocol
