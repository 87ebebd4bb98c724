// The event codec: round trips, malformed bytes, checksums, rewriting, and
// the SHOW BINLOG EVENTS text of each type.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>

#include "binlog/byte_order.h"
#include "binlog/crc32.h"
#include "binlog/dump_events.h"
#include "binlog/event_codec.h"
#include "binlog/event_info.h"
#include "binlog/statement_events.h"

namespace reptut::binlog {
namespace {

EventHeader Header(uint32_t ts = 1700000000, uint32_t server_id = 7, uint32_t end = 1234) {
  EventHeader h;
  h.timestamp = ts;
  h.server_id = server_id;
  h.end_log_pos = end;
  return h;
}

Event RoundTrip(const EventBody& body, bool checksum, uint16_t flags = 0) {
  EventHeader h = Header();
  h.flags = flags;
  std::string bytes = EncodeEvent(h, body, checksum);
  DecodeContext ctx;
  ctx.has_checksum = checksum;
  auto ev = DecodeEvent(bytes, ctx);
  EXPECT_TRUE(ev.ok()) << (ev.ok() ? "" : ev.error().message);
  if (!ev.ok()) return {};
  EXPECT_EQ(ev->header.timestamp, 1700000000u);
  EXPECT_EQ(ev->header.server_id, 7u);
  EXPECT_EQ(ev->header.end_log_pos, 1234u);
  EXPECT_EQ(ev->header.flags, flags);
  EXPECT_EQ(ev->header.event_length, bytes.size());
  EXPECT_EQ(ev->header.type, TypeOf(body, 0));
  EXPECT_EQ(ev->checksum.has_value(), checksum || ev->header.type == kFormatDescriptionEvent);
  return std::move(ev).value();
}

TEST(Crc32, KnownValue) {
  EXPECT_EQ(Crc32(0, "123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32(Crc32(0, "1234"), "56789"), 0xCBF43926u);
}

// The table walk for small inputs and zlib for large ones agree with zlib
// at every length and alignment around the words the table walk takes.
TEST(Crc32, SameAsZlibAtEveryLengthAndOffset) {
  std::string data;
  for (int i = 0; i < 9000; ++i) data.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  for (size_t off = 0; off < 8; ++off) {
    for (size_t len : {0u, 1u, 7u, 8u, 9u, 19u, 64u, 255u, 4095u, 4096u, 8191u}) {
      const auto* p = reinterpret_cast<const Bytef*>(data.data() + off);
      uint32_t want = static_cast<uint32_t>(::crc32(0, p, static_cast<uInt>(len)));
      EXPECT_EQ(Crc32(0, std::string_view(data).substr(off, len)), want) << off << " " << len;
      uint32_t seeded = static_cast<uint32_t>(::crc32(12345, p, static_cast<uInt>(len)));
      EXPECT_EQ(Crc32(12345, std::string_view(data).substr(off, len)), seeded);
    }
  }
}

class RoundTripTest : public ::testing::TestWithParam<bool> {};

TEST_P(RoundTripTest, Query) {
  SessionContext s;
  s.thread_id = 42;
  s.db = "test";
  s.sql_mode = 0x40000000;
  s.auto_increment_increment = 2;
  s.auto_increment_offset = 1;
  s.time_zone = "+00:00";
  s.lc_time_names = 3;
  s.collation_database = 33;
  s.autocommit = false;
  Event in = MakeQueryEvent(s, 1700000000, "insert into t1 values(@title)", 0, 3);
  std::get<QueryEvent>(in.body).updated_db_names = std::vector<std::string>{"test", "other"};
  std::get<QueryEvent>(in.body).microseconds = 123456;
  std::get<QueryEvent>(in.body).explicit_defaults_for_timestamp = 1;
  Event out = RoundTrip(in.body, GetParam());
  const auto& a = std::get<QueryEvent>(in.body);
  const auto& b = std::get<QueryEvent>(out.body);
  EXPECT_EQ(b.thread_id, 42u);
  EXPECT_EQ(b.exec_time, 3u);
  EXPECT_EQ(b.db, "test");
  EXPECT_EQ(b.query, a.query);
  EXPECT_EQ(b.flags2, a.flags2);
  EXPECT_EQ(*b.flags2, kFlags2NotAutocommit);
  EXPECT_EQ(b.sql_mode, a.sql_mode);
  EXPECT_EQ(b.catalog, std::optional<std::string>("std"));
  ASSERT_TRUE(b.auto_increment.has_value());
  EXPECT_EQ(b.auto_increment->increment, 2);
  ASSERT_TRUE(b.charset.has_value());
  EXPECT_EQ(b.charset->client, 8);
  EXPECT_EQ(b.time_zone, a.time_zone);
  EXPECT_EQ(b.lc_time_names, a.lc_time_names);
  EXPECT_EQ(b.charset_database, a.charset_database);
  EXPECT_EQ(b.updated_db_names, a.updated_db_names);
  EXPECT_EQ(b.microseconds, a.microseconds);
  EXPECT_EQ(b.explicit_defaults_for_timestamp, a.explicit_defaults_for_timestamp);
}

TEST_P(RoundTripTest, QueryWithoutDbOrStatusVars) {
  QueryEvent q;
  q.query = "CREATE DATABASE test";
  Event out = RoundTrip(q, GetParam());
  EXPECT_EQ(std::get<QueryEvent>(out.body).query, "CREATE DATABASE test");
  EXPECT_EQ(std::get<QueryEvent>(out.body).db, "");
  EXPECT_FALSE(std::get<QueryEvent>(out.body).sql_mode.has_value());
}

TEST_P(RoundTripTest, Intvar) {
  Event out = RoundTrip(IntvarEvent{kLastInsertIdEvent, 5}, GetParam());
  EXPECT_EQ(std::get<IntvarEvent>(out.body).kind, kLastInsertIdEvent);
  EXPECT_EQ(std::get<IntvarEvent>(out.body).value, 5u);
}

TEST_P(RoundTripTest, Rand) {
  Event out = RoundTrip(RandEvent{123456789, 987654321}, GetParam());
  EXPECT_EQ(std::get<RandEvent>(out.body).seed1, 123456789u);
  EXPECT_EQ(std::get<RandEvent>(out.body).seed2, 987654321u);
}

TEST_P(RoundTripTest, UserVarKinds) {
  for (const Event& in :
       {MakeUserVarString(1, "title", "Post", 8), MakeUserVarInt(1, "n", -3),
        MakeUserVarInt(1, "u", -1, true), MakeUserVarReal(1, "r", 2.5), MakeUserVarNull(1, "z"),
        MakeUserVarDecimal(1, "d", 4, 2, std::string("\x81\x0d", 2))}) {
    Event out = RoundTrip(in.body, GetParam());
    const auto& a = std::get<UserVarEvent>(in.body);
    const auto& b = std::get<UserVarEvent>(out.body);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.is_null, b.is_null);
    if (!a.is_null) {
      EXPECT_EQ(a.value_type, b.value_type);
      EXPECT_EQ(a.charset, b.charset);
      EXPECT_EQ(a.value, b.value);
      EXPECT_EQ(a.flags, b.flags);
    }
  }
}

TEST_P(RoundTripTest, XidRotateStop) {
  EXPECT_EQ(std::get<XidEvent>(RoundTrip(XidEvent{12}, GetParam()).body).xid, 12u);
  Event r = RoundTrip(RotateEvent{4, "master-bin.000002"}, GetParam());
  EXPECT_EQ(std::get<RotateEvent>(r.body).next_file, "master-bin.000002");
  EXPECT_EQ(std::get<RotateEvent>(r.body).position, 4u);
  Event s = RoundTrip(StopEvent{}, GetParam());
  EXPECT_TRUE(std::holds_alternative<StopEvent>(s.body));
}

TEST_P(RoundTripTest, FormatDescription) {
  FormatDescriptionEvent f = MakeFormatDescription("5.7.99-reptut-log", 1700000000, GetParam());
  Event out = RoundTrip(f, GetParam(), kFlagBinlogInUse);
  const auto& b = std::get<FormatDescriptionEvent>(out.body);
  EXPECT_EQ(b.server_version, "5.7.99-reptut-log");
  EXPECT_EQ(b.binlog_version, 4);
  EXPECT_EQ(b.create_timestamp, 1700000000u);
  EXPECT_EQ(b.header_length, 19);
  EXPECT_EQ(b.post_header_lengths, f.post_header_lengths);
  EXPECT_EQ(b.checksum_alg, GetParam() ? kChecksumCrc32 : kChecksumOff);
  // MySQL 5.7's FDE: 19 + 2 + 50 + 4 + 1 + 38 + 1 + 4 = 119 bytes (end_log_pos 123).
  EXPECT_EQ(out.header.event_length, 119u);
}

TEST_P(RoundTripTest, MariaDbTypes) {
  Event g = RoundTrip(GtidEvent{9, 0, 0}, GetParam());
  EXPECT_EQ(std::get<GtidEvent>(g.body).seq_no, 9u);
  Event l = RoundTrip(GtidListEvent{{{0, 1, 9}, {1, 2, 3}}, 0}, GetParam());
  ASSERT_EQ(std::get<GtidListEvent>(l.body).gtids.size(), 2u);
  EXPECT_EQ(EventInfo(l), "[0-1-9,1-2-3]");
  Event c = RoundTrip(BinlogCheckpointEvent{"mysql-bin.000001"}, GetParam());
  EXPECT_EQ(std::get<BinlogCheckpointEvent>(c.body).file, "mysql-bin.000001");
}

TEST_P(RoundTripTest, UnknownTypeKeptAsBytes) {
  EventHeader h = Header();
  h.type = 200;
  std::string bytes = EncodeEvent(h, OtherEvent{"opaque"}, GetParam());
  DecodeContext ctx;
  ctx.has_checksum = GetParam();
  auto ev = DecodeEvent(bytes, ctx);
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->header.type, 200);
  EXPECT_EQ(std::get<OtherEvent>(ev->body).body, "opaque");
  EXPECT_EQ(EventTypeName(200), "Unknown");
}

INSTANTIATE_TEST_SUITE_P(Checksum, RoundTripTest, ::testing::Bool(), [](const auto& param_info) {
  return param_info.param ? "Crc32" : "None";
});

// --- malformed bytes: one test each ---

std::string ValidXid() {
  return EncodeEvent(Header(), XidEvent{1}, true);
}

FrameError FrameOf(std::string_view bytes, bool checksum = true) {
  DecodeContext ctx;
  ctx.has_checksum = checksum;
  FrameError fe = FrameError::kNone;
  auto ev = DecodeEvent(bytes, ctx, &fe);
  EXPECT_FALSE(ev.ok());
  if (!ev.ok()) {
    EXPECT_EQ(ev.error().code, ER_MASTER_FATAL_ERROR_READING_BINLOG);
  }
  return fe;
}

TEST(MalformedEvent, TruncatedHeader) {
  EXPECT_EQ(FrameOf(ValidXid().substr(0, 10)), FrameError::kTruncatedHeader);
}

TEST(MalformedEvent, EmptyInput) {
  EXPECT_EQ(FrameOf(""), FrameError::kTruncatedHeader);
}

TEST(MalformedEvent, LengthSmallerThanHeader) {
  std::string b = ValidXid();
  bytes::PutLE(b.data() + kEventLengthOffset, 18, 4);
  EXPECT_EQ(FrameOf(b), FrameError::kLengthTooSmall);
}

TEST(MalformedEvent, LengthLeavesNoRoomForChecksum) {
  std::string b = ValidXid();
  bytes::PutLE(b.data() + kEventLengthOffset, 21, 4);
  EXPECT_EQ(FrameOf(b), FrameError::kLengthTooSmall);
}

TEST(MalformedEvent, LengthBeyondBuffer) {
  std::string b = ValidXid();
  bytes::PutLE(b.data() + kEventLengthOffset, uint32_t(b.size() + 1), 4);
  EXPECT_EQ(FrameOf(b), FrameError::kTruncatedEvent);
}

TEST(MalformedEvent, LengthAboveLimit) {
  std::string b = ValidXid();
  bytes::PutLE(b.data() + kEventLengthOffset, 0xffffffffu, 4);
  EXPECT_EQ(FrameOf(b), FrameError::kLengthTooLarge);
}

TEST(MalformedEvent, BadChecksum) {
  std::string b = ValidXid();
  b[kHeaderSize] ^= 1;
  DecodeContext ctx;
  auto ev = DecodeEvent(b, ctx);
  ASSERT_FALSE(ev.ok());
  EXPECT_NE(ev.error().message.find("checksum mismatch"), std::string::npos);
  ctx.verify_checksum = false;
  EXPECT_TRUE(DecodeEvent(b, ctx).ok());
}

TEST(MalformedEvent, BodyTooShortForType) {
  EventHeader h = Header();
  h.type = kXidEvent;
  std::string b = EncodeEvent(h, OtherEvent{"abc"}, true);
  FrameError fe = FrameError::kBadChecksum;
  auto ev = DecodeEvent(b, DecodeContext{}, &fe);
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(fe, FrameError::kNone);
  EXPECT_NE(ev.error().message.find("Xid"), std::string::npos);
}

TEST(MalformedEvent, QueryStatusVarsPastEnd) {
  QueryEvent q;
  q.query = "x";
  std::string b = EncodeEvent(Header(), q, true);
  bytes::PutLE(b.data() + kHeaderSize + 11, 500, 2);  // status_vars_len
  FixEventChecksum(&b);
  auto ev = DecodeEvent(b, DecodeContext{});
  ASSERT_FALSE(ev.ok());
  EXPECT_NE(ev.error().message.find("status variables"), std::string::npos);
}

TEST(MalformedEvent, UserVarNameLengthHuge) {
  EventHeader h = Header();
  h.type = kUserVarEvent;
  std::string body;
  bytes::AppendLE(&body, 0xfffffff0u, 4);
  body += "ab";
  auto ev = DecodeEvent(EncodeEvent(h, OtherEvent{body}, true), DecodeContext{});
  ASSERT_FALSE(ev.ok());
}

// --- checksums and rewriting ---

TEST(Rewrite, EndLogPosKeepsChecksumValid) {
  std::string b = ValidXid();
  SetEndLogPos(&b, 999, true);
  EXPECT_TRUE(VerifyEventChecksum(b));
  auto ev = DecodeEvent(b, DecodeContext{});
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->header.end_log_pos, 999u);
}

TEST(Rewrite, FlagsAndServerId) {
  std::string b = ValidXid();
  SetEventFlags(&b, kFlagArtificial, true);
  SetServerId(&b, 99, true);
  auto ev = DecodeEvent(b, DecodeContext{});
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->header.flags, kFlagArtificial);
  EXPECT_EQ(ev->header.server_id, 99u);
}

TEST(Rewrite, NoChecksumStreamLeavesBytesAlone) {
  std::string b = EncodeEvent(Header(), XidEvent{1}, false);
  size_t size = b.size();
  SetEndLogPos(&b, 77, false);
  EXPECT_EQ(b.size(), size);
  DecodeContext ctx;
  ctx.has_checksum = false;
  auto ev = DecodeEvent(b, ctx);
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->header.end_log_pos, 77u);
}

TEST(Rewrite, FdeChecksumIgnoresInUseFlag) {
  EventHeader h = Header();
  h.flags = kFlagBinlogInUse;
  std::string b = EncodeEvent(h, MakeFormatDescription("5.7.99-reptut-log", 0, true), true);
  std::string cleared = b;
  cleared[kFlagsOffset] = 0;  // what Close does in place, without touching the CRC
  EXPECT_TRUE(VerifyEventChecksum(b));
  EXPECT_TRUE(VerifyEventChecksum(cleared));
}

// --- SHOW BINLOG EVENTS text ---

TEST(EventInfoText, MysqlStyle) {
  Event e;
  e.body = MakeFormatDescription("5.7.99-reptut-log", 0, true);
  EXPECT_EQ(EventInfo(e), "Server ver: 5.7.99-reptut-log, Binlog ver: 4");
  SessionContext s;
  s.db = "test";
  EXPECT_EQ(EventInfo(MakeQueryEvent(s, 1, "insert into t1 values(@title)")),
            "use `test`; insert into t1 values(@title)");
  s.db = "";
  EXPECT_EQ(EventInfo(MakeQueryEvent(s, 1, "create database test")), "create database test");
  EXPECT_EQ(EventInfo(MakeUserVarString(1, "title", "Post", 8)),
            "@`title`=_latin1 0x506F7374 COLLATE latin1_swedish_ci");
  EXPECT_EQ(EventInfo(MakeUserVarString(1, "t", "ab", 33)),
            "@`t`=_utf8 0x6162 COLLATE utf8_general_ci");
  EXPECT_EQ(EventInfo(MakeUserVarString(1, "t", "ab", 33), InfoStyle::kMariaDb),
            "@`t`=_utf8mb3 X'6162' COLLATE utf8mb3_general_ci");
  EXPECT_EQ(EventInfo(MakeUserVarInt(1, "n", -3)), "@`n`=-3");
  EXPECT_EQ(EventInfo(MakeUserVarInt(1, "u", -1, true)), "@`u`=18446744073709551615");
  EXPECT_EQ(EventInfo(MakeUserVarReal(1, "r", 2.5)), "@`r`=2.5");
  EXPECT_EQ(EventInfo(MakeUserVarReal(1, "r", 0.1)), "@`r`=0.1");
  EXPECT_EQ(EventInfo(MakeUserVarReal(1, "r", 1.0 / 3)), "@`r`=0.3333333333333333");
  EXPECT_EQ(EventInfo(MakeUserVarNull(1, "z")), "@`z`=NULL");
  EXPECT_EQ(EventInfo(MakeUserVarDecimal(1, "d", 4, 2, std::string("\x81\x0d", 2))), "@`d`=1.13");
  EXPECT_EQ(EventInfo(MakeIntvarEvent(1, kInsertIdEvent, 1)), "INSERT_ID=1");
  EXPECT_EQ(EventInfo(MakeIntvarEvent(1, kLastInsertIdEvent, 5)), "LAST_INSERT_ID=5");
  EXPECT_EQ(EventInfo(MakeRandEvent(1, 11, 22)), "rand_seed1=11,rand_seed2=22");
  EXPECT_EQ(EventInfo(MakeXidEvent(1, 12)), "COMMIT /* xid=12 */");
  Event r;
  r.body = RotateEvent{4, "master-bin.000002"};
  EXPECT_EQ(EventInfo(r), "master-bin.000002;pos=4");
  Event stop;
  stop.body = StopEvent{};
  EXPECT_EQ(EventInfo(stop), "");
}

TEST(EventInfoText, TypeNames) {
  EXPECT_EQ(EventTypeName(kFormatDescriptionEvent), "Format_desc");
  EXPECT_EQ(EventTypeName(kQueryEvent), "Query");
  EXPECT_EQ(EventTypeName(kIntvarEvent), "Intvar");
  EXPECT_EQ(EventTypeName(kUserVarEvent), "User var");
  EXPECT_EQ(EventTypeName(kRandEvent), "RAND");
  EXPECT_EQ(EventTypeName(kXidEvent), "Xid");
  EXPECT_EQ(EventTypeName(kRotateEvent), "Rotate");
  EXPECT_EQ(EventTypeName(kStopEvent), "Stop");
  EXPECT_EQ(EventTypeName(kGtidEvent), "Gtid");
  EXPECT_EQ(EventTypeName(kGtidListEvent), "Gtid_list");
  EXPECT_EQ(EventTypeName(kBinlogCheckpointEvent), "Binlog_checkpoint");
  EXPECT_EQ(EventTypeName(kAnnotateRowsEvent), "Annotate_rows");
  EXPECT_EQ(EventTypeName(kStartEncryptionEvent), "Start_encryption");
}

TEST(EventInfoText, Decimals) {
  std::string out;
  // 1234567890.1234 as DECIMAL(14,4): intg 10 = 1 digit + 9, frac 4.
  std::string bin("\x81\x0d\xfb\x38\xd2\x04\xd2", 7);
  ASSERT_TRUE(DecimalToString(14, 4, bin, &out));
  EXPECT_EQ(out, "1234567890.1234");
  std::string neg = bin;
  for (char& c : neg) c = static_cast<char>(~c);
  ASSERT_TRUE(DecimalToString(14, 4, neg, &out));
  EXPECT_EQ(out, "-1234567890.1234");
  EXPECT_FALSE(DecimalToString(14, 4, bin.substr(0, 3), &out));
}

}  // namespace
}  // namespace reptut::binlog

namespace reptut::binlog {
namespace {

TEST(DumpEvents, FakeRotate) {
  std::string b = EncodeFakeRotate("master-bin.000002", 4, 1, true);
  auto ev = DecodeEvent(b, DecodeContext{});
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->header.timestamp, 0u);
  EXPECT_EQ(ev->header.end_log_pos, 0u);
  EXPECT_EQ(ev->header.flags, kFlagArtificial);
  EXPECT_EQ(EventInfo(*ev), "master-bin.000002;pos=4");
}

TEST(DumpEvents, Heartbeat) {
  std::string b = EncodeHeartbeat("master-bin.000002", 1234, 1, false);
  DecodeContext ctx;
  ctx.has_checksum = false;
  auto ev = DecodeEvent(b, ctx);
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->header.type, kHeartbeatEvent);
  EXPECT_EQ(ev->header.end_log_pos, 1234u);
  EXPECT_EQ(std::get<OtherEvent>(ev->body).body, "master-bin.000002");
}

TEST(DumpEvents, FormatDescriptionForDump) {
  EventHeader h;
  h.flags = kFlagBinlogInUse;
  h.end_log_pos = 123;
  std::string fde = EncodeEvent(h, MakeFormatDescription("5.7.99-reptut-log", 0, false), false);
  std::string sent = PrepareFormatDescriptionForDump(fde, false);
  auto ev = DecodeEvent(sent, DecodeContext{});
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->header.flags, 0);
  EXPECT_EQ(ev->header.end_log_pos, 0u);
  EXPECT_TRUE(VerifyEventChecksum(sent));
  auto at4 = DecodeEvent(PrepareFormatDescriptionForDump(fde, true), DecodeContext{});
  ASSERT_TRUE(at4.ok());
  EXPECT_EQ(at4->header.end_log_pos, 123u);
}

}  // namespace
}  // namespace reptut::binlog
