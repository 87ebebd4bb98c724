// The file reader: one short test per malformed file, each error naming the
// file and the position; and SHOW BINLOG EVENTS over the writer's files.
#include <gtest/gtest.h>

#include "binlog/binlog_reader.h"
#include "binlog/binlog_writer.h"
#include "binlog/byte_order.h"
#include "binlog/event_codec.h"
#include "binlog/show_binlog_events.h"
#include "binlog/statement_events.h"
#include "test_util.h"

namespace reptut::binlog {
namespace {

using testing::AppendToFile;
using testing::ReadFile;
using testing::ScratchDir;
using testing::WriteFile;

constexpr uint32_t kT0 = 1795304550;

// A closed log: FDE, create table, a BEGIN/insert/Xid transaction, Stop.
std::string GoodLog(const ScratchDir& dir, bool checksum = true) {
  BinlogOptions o;
  o.datadir = dir.path();
  o.log_bin = "master-bin";
  o.checksum = checksum;
  o.server_id = 1;
  auto w = BinlogWriter::Open(o, nullptr);
  EXPECT_TRUE(w.ok());
  if (!w.ok()) return "";
  SessionContext s;
  s.db = "test";
  EXPECT_TRUE((*w)->Append({MakeQueryEvent(s, kT0, "create table t1 (id int)")}).ok());
  EXPECT_TRUE(
      (*w)->Append({MakeQueryEvent(s, kT0, "BEGIN"),
                    MakeQueryEvent(s, kT0, "insert into t1 values (1)"), MakeXidEvent(kT0, 5)})
          .ok());
  EXPECT_TRUE((*w)->Close().ok());
  return dir / "master-bin.000001";
}

// Reads to the end; returns the error of the first failing Next().
struct Outcome {
  bool open_ok = false;
  ReadErrc errc = ReadErrc::kNone;
  FrameError frame = FrameError::kNone;
  std::string message;
  size_t events = 0;
};

Outcome ReadToEnd(const std::string& path, const std::string& name = "master-bin.000001") {
  Outcome out;
  auto r = BinlogReader::Open(path, ReaderOptions{}, name);
  if (!r.ok()) {
    out.message = r.error().message;
    out.errc = ReadErrc::kBadMagic;  // refined below by the message checks
    return out;
  }
  out.open_ok = true;
  for (;;) {
    auto ev = (*r)->Next();
    if (!ev.ok()) {
      out.errc = (*r)->last_error();
      out.frame = (*r)->frame_error();
      out.message = ev.error().message;
      return out;
    }
    if (!ev->has_value()) return out;
    ++out.events;
  }
}

TEST(MalformedFile, Empty) {
  ScratchDir dir;
  WriteFile(dir / "empty", "");
  auto r = BinlogReader::Open(dir / "empty", ReaderOptions{}, "empty");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'empty' at position 0"), std::string::npos);
  EXPECT_NE(r.error().message.find("empty"), std::string::npos);
}

TEST(MalformedFile, WrongMagic) {
  ScratchDir dir;
  std::string bytes = ReadFile(GoodLog(dir));
  bytes[1] = 'B';
  WriteFile(dir / "bad", bytes);
  auto r = BinlogReader::Open(dir / "bad", ReaderOptions{}, "bad");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad magic number"), std::string::npos);
  EXPECT_NE(r.error().message.find("position 0"), std::string::npos);
}

TEST(MalformedFile, OnlyMagic) {
  ScratchDir dir;
  WriteFile(dir / "magic", std::string(kMagic, kMagicSize));
  auto r = BinlogReader::Open(dir / "magic");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Format_description"), std::string::npos);
}

TEST(MalformedFile, TruncatedHeader) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  size_t size = ReadFile(path).size();
  AppendToFile(path, std::string(10, '\0'));
  Outcome o = ReadToEnd(path);
  ASSERT_TRUE(o.open_ok);
  EXPECT_EQ(o.errc, ReadErrc::kFrame);
  EXPECT_EQ(o.frame, FrameError::kTruncatedHeader);
  EXPECT_NE(o.message.find("'master-bin.000001' at position " + std::to_string(size)),
            std::string::npos)
      << o.message;
}

TEST(MalformedFile, LengthSmallerThanHeader) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  std::string ev = EncodeEvent(EventHeader{}, XidEvent{1}, true);
  bytes::PutLE(ev.data() + kEventLengthOffset, 12, 4);
  AppendToFile(path, ev);
  Outcome o = ReadToEnd(path);
  EXPECT_EQ(o.frame, FrameError::kLengthTooSmall);
  EXPECT_NE(o.message.find("too small"), std::string::npos);
}

TEST(MalformedFile, LengthBeyondEndOfFile) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  std::string ev = EncodeEvent(EventHeader{}, XidEvent{1}, true);
  bytes::PutLE(ev.data() + kEventLengthOffset, 1000, 4);
  AppendToFile(path, ev);
  Outcome o = ReadToEnd(path);
  EXPECT_EQ(o.frame, FrameError::kTruncatedEvent);
  EXPECT_NE(o.message.find("past the end of the file"), std::string::npos);
}

TEST(MalformedFile, LengthAboveLimit) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  std::string ev = EncodeEvent(EventHeader{}, XidEvent{1}, true);
  bytes::PutLE(ev.data() + kEventLengthOffset, 0xfffffff0u, 4);
  AppendToFile(path, ev);
  Outcome o = ReadToEnd(path);
  EXPECT_EQ(o.frame, FrameError::kLengthTooLarge);
}

TEST(MalformedFile, BadChecksum) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  std::string bytes = ReadFile(path);
  // Flip a byte of the query text of the second event (after the FDE at 4..123).
  bytes[123 + 60] ^= 0x20;
  WriteFile(path, bytes);
  Outcome o = ReadToEnd(path);
  EXPECT_EQ(o.errc, ReadErrc::kFrame);
  EXPECT_EQ(o.frame, FrameError::kBadChecksum);
  EXPECT_NE(o.message.find("at position 123"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("checksum mismatch"), std::string::npos);
}

TEST(MalformedFile, NoChecksumFileNotVerified) {
  ScratchDir dir;
  std::string path = GoodLog(dir, /*checksum=*/false);
  Outcome o = ReadToEnd(path);
  EXPECT_EQ(o.errc, ReadErrc::kNone) << o.message;
  EXPECT_EQ(o.events, 5u);  // after the FDE: create, BEGIN, insert, Xid, Stop
}

TEST(MalformedFile, InUseFlag) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  std::string bytes = ReadFile(path);
  bytes[kMagicSize + kFlagsOffset] |= kFlagBinlogInUse;  // the CRC ignores this flag
  WriteFile(path, bytes);
  auto r = BinlogReader::Open(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)->in_use_flag());
  EXPECT_EQ(ReadToEnd(path).errc, ReadErrc::kNone);
}

TEST(MalformedFile, BadQueryBody) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  std::string bytes = ReadFile(path);
  // status_vars_len far beyond the event, CRC fixed so only the body is wrong.
  size_t len = bytes::Get32(bytes.data() + 123 + kEventLengthOffset);
  std::string event = bytes.substr(123, len);
  bytes::PutLE(event.data() + kHeaderSize + 11, 0xffff, 2);
  FixEventChecksum(&event);
  bytes.replace(123, len, event);
  WriteFile(path, bytes);
  Outcome o = ReadToEnd(path);
  EXPECT_EQ(o.errc, ReadErrc::kBadBody);
  EXPECT_NE(o.message.find("at position 123"), std::string::npos);
}

TEST(Reader, LimitStopsBeforeUnpublishedBytes) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  auto r = BinlogReader::Open(path);
  ASSERT_TRUE(r.ok());
  (*r)->SetLimit(123);
  auto ev = (*r)->Next();
  ASSERT_TRUE(ev.ok());
  EXPECT_FALSE(ev->has_value());
}

TEST(Reader, SeekToMiddleOfEventIsAnErrorNotACrash) {
  ScratchDir dir;
  std::string path = GoodLog(dir);
  auto r = BinlogReader::Open(path);
  ASSERT_TRUE(r.ok());
  (*r)->Seek(130);
  auto ev = (*r)->Next();
  EXPECT_FALSE(ev.ok());
}

// --- SHOW BINLOG EVENTS ---

TEST(ShowBinlogEvents, RowsOfFirstLog) {
  ScratchDir dir;
  BinlogOptions o;
  o.datadir = dir.path();
  o.log_bin = "master-bin";
  o.server_id = 1;
  auto w = BinlogWriter::Open(o, nullptr);
  ASSERT_TRUE(w.ok());
  SessionContext s;
  s.db = "test";
  ASSERT_TRUE((*w)->Append({MakeUserVarString(kT0, "title", "Post", 8),
                            MakeQueryEvent(s, kT0, "insert into t1 values(@title)")})
                  .ok());
  ASSERT_TRUE((*w)->Rotate().ok());
  auto rows = ShowBinlogEvents(**w, ShowEventsRequest{});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].log_name, "master-bin.000001");
  EXPECT_EQ((*rows)[0].pos, 4u);
  EXPECT_EQ((*rows)[0].event_type, "Format_desc");
  EXPECT_EQ((*rows)[0].end_log_pos, 123u);
  EXPECT_EQ((*rows)[0].info, "Server ver: 5.7.99-reptut-log, Binlog ver: 4");
  EXPECT_EQ((*rows)[1].event_type, "User var");
  EXPECT_EQ((*rows)[1].info, "@`title`=_latin1 0x506F7374 COLLATE latin1_swedish_ci");
  EXPECT_EQ((*rows)[2].info, "use `test`; insert into t1 values(@title)");
  EXPECT_EQ((*rows)[3].event_type, "Rotate");
  EXPECT_EQ((*rows)[3].info, "master-bin.000002;pos=4");

  ShowEventsRequest req;
  req.log_name = "master-bin.000001";
  req.from = (*rows)[1].pos;
  req.offset = 1;
  req.limit = 1;
  auto some = ShowBinlogEvents(**w, req);
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].event_type, "Query");

  req = ShowEventsRequest{};
  req.log_name = "master-bin.000009";
  auto missing = ShowBinlogEvents(**w, req);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "Error when executing command SHOW BINLOG EVENTS: Could not find target log");

  req = ShowEventsRequest{};
  req.from = 5;
  auto wrong = ShowBinlogEvents(**w, req);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message,
            "Error when executing command SHOW BINLOG EVENTS: Wrong offset or I/O error");
}

}  // namespace
}  // namespace reptut::binlog
