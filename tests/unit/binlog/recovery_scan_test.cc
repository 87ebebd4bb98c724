// ScanForRecovery on a crashed last file: a torn tail (a write a kill -9
// interrupted) against damage (a complete event with a bad checksum, or bad
// bytes with valid events after them), for a file written with pwrite (the
// binary log) and one preallocated and written through a mapping (the redo
// log).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binlog/binlog_reader.h"
#include "binlog/binlog_recovery.h"
#include "binlog/binlog_writer.h"
#include "binlog/statement_events.h"
#include "test_util.h"

namespace reptut::binlog {
namespace {

using testing::ScratchDir;

constexpr uint32_t kT0 = 1795304550;

struct Ev {
  uint64_t pos;
  uint32_t length;
  uint8_t type;
};

// Writes `groups` one-statement groups (Intvar + Query), then dies as after
// kill -9. Returns the crashed file's path.
std::string WriteAndDie(const ScratchDir& dir, bool mapped, int groups) {
  BinlogOptions o;
  o.datadir = dir.path();
  o.log_bin = "log";
  o.max_binlog_size = 1024 * 1024;
  o.preallocate_and_map = mapped;
  o.clock = [] { return time_t(kT0); };
  auto w = BinlogWriter::Open(o, nullptr);
  EXPECT_TRUE(w.ok());
  if (!w.ok()) return "";
  SessionContext s;
  s.db = "test";
  for (int i = 1; i <= groups; ++i) {
    std::vector<Event> g;
    g.push_back(MakeIntvarEvent(kT0, kInsertIdEvent, uint64_t(i)));
    g.push_back(MakeQueryEvent(s, kT0, "insert into t values (" + std::to_string(i) + ")"));
    EXPECT_TRUE((*w)->Append(g).ok());
  }
  std::string path = (*w)->PathOf("log.000001");
  (*w)->AbandonForTesting();
  return path;
}

std::vector<Ev> Events(const std::string& path) {
  auto r = BinlogReader::Open(path);
  EXPECT_TRUE(r.ok());
  std::vector<Ev> out;
  if (!r.ok()) return out;
  for (;;) {
    auto ev = (*r)->Next();
    if (!ev.ok() || !ev->has_value()) break;
    out.push_back({(**ev).pos, (**ev).event.header.event_length, (**ev).event.header.type});
  }
  return out;
}

void Patch(const std::string& path, uint64_t at, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), off_t(at)), ssize_t(bytes.size()));
  ::close(fd);
}

void Flip(const std::string& path, uint64_t at) {
  std::string all = testing::ReadFile(path);
  Patch(path, at, std::string(1, char(all[at] ^ 0xff)));
}

RecoveryInfo Scan(const std::string& path) {
  auto info = ScanForRecovery(path, "log.000001");
  EXPECT_TRUE(info.ok()) << (info.ok() ? "" : info.error().message);
  return info.ok() ? *info : RecoveryInfo{};
}

class RecoveryScan : public ::testing::TestWithParam<bool> {};

TEST_P(RecoveryScan, BadChecksumInTheMiddleIsDamageAndTheRestIsRead) {
  ScratchDir dir;
  std::string path = WriteAndDie(dir, GetParam(), 5);
  std::vector<Ev> evs = Events(path);
  ASSERT_EQ(evs.size(), 5u * 2);  // after the FDE
  const Ev& query3 = evs[2 * 2 + 1];
  Flip(path, query3.pos + query3.length - 6);
  RecoveryInfo info = Scan(path);
  EXPECT_TRUE(info.damaged);
  EXPECT_EQ(info.damage_pos, query3.pos);
  EXPECT_EQ(info.groups.size(), 2u);
  EXPECT_EQ(info.scanned_end, evs[2 * 2].pos);
  EXPECT_EQ(info.resume_pos, query3.pos + query3.length);
  ASSERT_EQ(info.after_damage.size(), 2u);
  EXPECT_EQ(info.after_damage[0].statements, 1u);
  EXPECT_EQ(info.after_damage[1].end, evs.back().pos + evs.back().length);
}

TEST_P(RecoveryScan, BadChecksumInTheLastEventIsDamage) {
  ScratchDir dir;
  std::string path = WriteAndDie(dir, GetParam(), 3);
  std::vector<Ev> evs = Events(path);
  const Ev& last = evs.back();
  Flip(path, last.pos + last.length - 1);  // its CRC
  RecoveryInfo info = Scan(path);
  EXPECT_TRUE(info.damaged);
  EXPECT_EQ(info.damage_pos, last.pos);
  EXPECT_EQ(info.resume_pos, 0u);
  EXPECT_EQ(info.unreadable_end, last.pos + last.length);
  EXPECT_EQ(info.groups.size(), 2u);
}

TEST_P(RecoveryScan, LengthRunningPastTheEndWithEventsAfterItIsDamage) {
  ScratchDir dir;
  std::string path = WriteAndDie(dir, GetParam(), 4);
  std::vector<Ev> evs = Events(path);
  const Ev& query2 = evs[2 + 1];
  Patch(path, query2.pos + kEventLengthOffset + 2, std::string(1, '\x7f'));
  RecoveryInfo info = Scan(path);
  EXPECT_TRUE(info.damaged);
  EXPECT_EQ(info.damage_pos, query2.pos);
  EXPECT_EQ(info.resume_pos, query2.pos + query2.length);
  EXPECT_EQ(info.after_damage.size(), 2u);
}

TEST_P(RecoveryScan, PartialLastEventIsATornTail) {
  ScratchDir dir;
  std::string path = WriteAndDie(dir, GetParam(), 3);
  std::vector<Ev> evs = Events(path);
  const Ev& last = evs.back();
  if (GetParam()) {
    // The copy into the mapping stopped: the rest of the event is zeros.
    Patch(path, last.pos + 25, std::string(last.length - 25, '\0'));
  } else {
    ASSERT_EQ(::truncate(path.c_str(), off_t(last.pos + last.length - 7)), 0);
  }
  RecoveryInfo info = Scan(path);
  EXPECT_FALSE(info.damaged) << info.stop_reason;
  EXPECT_EQ(info.groups.size(), 2u);
  EXPECT_NE(info.stop_reason.find("partial last event"), std::string::npos) << info.stop_reason;
}

TEST_P(RecoveryScan, PartialHeaderIsATornTail) {
  ScratchDir dir;
  std::string path = WriteAndDie(dir, GetParam(), 3);
  std::vector<Ev> evs = Events(path);
  const Ev& last = evs.back();
  if (GetParam()) {
    Patch(path, last.pos + 7, std::string(last.length - 7, '\0'));
  } else {
    ASSERT_EQ(::truncate(path.c_str(), off_t(last.pos + 7)), 0);
  }
  RecoveryInfo info = Scan(path);
  EXPECT_FALSE(info.damaged) << info.stop_reason;
  EXPECT_EQ(info.groups.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(PwriteAndMapped, RecoveryScan, ::testing::Bool());

}  // namespace
}  // namespace reptut::binlog
