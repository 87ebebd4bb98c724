// The writer with preallocate_and_map (the private redo log): a file that
// is preallocated and written through a mapping must look, once closed or
// recovered, exactly like one written with pwrite; a crash leaves a zero
// tail that recovery cuts off without calling it damage.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binlog/binlog_index.h"
#include "binlog/binlog_reader.h"
#include "binlog/binlog_writer.h"
#include "binlog/event_codec.h"
#include "binlog/statement_events.h"
#include "test_util.h"

namespace reptut::binlog {
namespace {

using testing::ScratchDir;

constexpr uint32_t kT0 = 1795304550;
const char* const kMariadbBinlog = "/usr/bin/mariadb-binlog";

BinlogOptions Mapped(const ScratchDir& dir, uint64_t max_size = 1024 * 1024) {
  BinlogOptions o;
  o.datadir = dir.path();
  o.log_bin = "redo";
  o.server_id = 1;
  o.max_binlog_size = max_size;
  o.preallocate_and_map = true;
  o.clock = [] { return time_t(kT0); };
  return o;
}

std::unique_ptr<BinlogWriter> Open(BinlogOptions o, OpenReport* report = nullptr) {
  auto w = BinlogWriter::Open(std::move(o), report);
  EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
  return w.ok() ? std::move(w).value() : nullptr;
}

std::vector<Event> Insert(int n, size_t pad = 0) {
  SessionContext s;
  s.thread_id = 3;
  s.db = "test";
  std::vector<Event> g;
  g.push_back(MakeIntvarEvent(kT0, kInsertIdEvent, uint64_t(n)));
  g.push_back(MakeQueryEvent(
      s, kT0, "insert into t values (NULL, '" + std::string(pad, 'x') + std::to_string(n) + "')"));
  return g;
}

uint64_t SizeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return uint64_t(st.st_size);
}

// Every event of a closed or recovered file, positions chained up to its size.
size_t ExpectWholeFile(const std::string& path) {
  auto r = BinlogReader::Open(path);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return 0;
  EXPECT_FALSE((*r)->in_use_flag()) << path;
  (*r)->Seek(kMagicSize);
  uint64_t expected = kMagicSize;
  size_t n = 0;
  for (;;) {
    auto ev = (*r)->Next();
    EXPECT_TRUE(ev.ok()) << path << ": " << (ev.ok() ? "" : ev.error().message);
    if (!ev.ok() || !ev->has_value()) break;
    EXPECT_EQ((**ev).pos, expected);
    expected = (**ev).event.header.end_log_pos;
    ++n;
  }
  EXPECT_EQ(expected, SizeOf(path)) << path;
  return n;
}

bool SaidTruncated(const OpenReport& report) {
  for (const auto& line : report.notes) {
    if (line.find("truncated ") != std::string::npos) return true;
  }
  return false;
}

TEST(MappedLog, PreallocatedWhileOpenExactOnceClosed) {
  ScratchDir dir;
  auto w = Open(Mapped(dir));
  ASSERT_TRUE(w);
  for (int i = 1; i <= 50; ++i) ASSERT_TRUE(w->Append(Insert(i)).ok());
  std::string path = w->PathOf("redo.000001");
  uint64_t end = w->Position().pos;
  EXPECT_GT(SizeOf(path), end);  // reserved ahead
  ASSERT_TRUE(w->Close().ok());
  // 2 events a group, the FDE, the Stop event.
  EXPECT_EQ(ExpectWholeFile(path), 50u * 2 + 2);
  if (access(kMariadbBinlog, X_OK) == 0) {
    auto r = testing::Run(std::string(kMariadbBinlog) + " --verify-binlog-checksum " + path);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("ERROR"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("values (NULL, '50')"), std::string::npos);
  }
}

// Appends `groups` inserts, then the process dies (kill -9: the copied bytes
// stay in the page cache). Returns the end of the last group.
uint64_t WriteAndDie(const ScratchDir& dir, int groups) {
  auto w = Open(Mapped(dir));
  EXPECT_TRUE(w);
  if (!w) return 0;
  for (int i = 1; i <= groups; ++i) EXPECT_TRUE(w->Append(Insert(i)).ok());
  uint64_t end = w->Position().pos;
  w->AbandonForTesting();
  return end;
}

TEST(MappedLog, CrashKeepsEveryGroupAndCutsTheZeroTailQuietly) {
  ScratchDir dir;
  uint64_t end = WriteAndDie(dir, 20);
  std::string path = dir / "redo.000001";
  ASSERT_GT(SizeOf(path), end);
  OpenReport report;
  auto w = Open(Mapped(dir), &report);
  ASSERT_TRUE(w);
  ASSERT_TRUE(report.recovery.has_value());
  EXPECT_EQ(report.recovery->groups.size(), 20u);
  EXPECT_EQ(report.recovery->data_end, end);
  EXPECT_TRUE(report.recovery->stop_reason.empty()) << report.recovery->stop_reason;
  EXPECT_FALSE(SaidTruncated(report));
  EXPECT_EQ(SizeOf(path), end);
  EXPECT_EQ(ExpectWholeFile(path), 20u * 2 + 1);
}

TEST(MappedLog, TornGroupBeforeTheZeroTailIsCutAndSaid) {
  ScratchDir dir;
  uint64_t end = WriteAndDie(dir, 3);
  std::string path = dir / "redo.000001";
  // Half an event copied when the process died.
  std::string ev = EncodeEvent(EventHeader{}, XidEvent{5}, true);
  int fd = ::open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, ev.data(), 11, off_t(end)), 11);
  ::close(fd);
  OpenReport report;
  auto w = Open(Mapped(dir), &report);
  ASSERT_TRUE(w);
  EXPECT_TRUE(SaidTruncated(report));
  EXPECT_EQ(SizeOf(path), end);
  EXPECT_EQ(ExpectWholeFile(path), 3u * 2 + 1);
}

TEST(MappedLog, DiscardedGroupIsZeroedSoACrashDoesNotBringItBack) {
  ScratchDir dir;
  uint64_t end = 0;
  {
    auto w = Open(Mapped(dir));
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->Append(Insert(1)).ok());
    end = w->Position().pos;
    ASSERT_TRUE(w->Append(Insert(2), /*publish=*/false).ok());
    ASSERT_TRUE(w->DiscardUnpublished().ok());
    EXPECT_EQ(w->AppendedPosition().pos, end);
    w->AbandonForTesting();
  }
  OpenReport report;
  auto w = Open(Mapped(dir), &report);
  ASSERT_TRUE(w);
  ASSERT_TRUE(report.recovery.has_value());
  EXPECT_EQ(report.recovery->groups.size(), 1u);
  EXPECT_EQ(SizeOf(dir / "redo.000001"), end);
}

TEST(MappedLog, GroupLargerThanTheReservedSpaceIsWrittenAnyway) {
  ScratchDir dir;
  auto w = Open(Mapped(dir, /*max_size=*/4096));
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Append(Insert(1)).ok());
  // Bigger than max_binlog_size and the room kept past it.
  ASSERT_TRUE(w->Append(Insert(2, 3 * 1024 * 1024)).ok());
  ASSERT_TRUE(w->Close().ok());
  // The big group passed max_binlog_size: the first file was rotated.
  EXPECT_EQ(ExpectWholeFile(dir / "redo.000001"), 2u * 2 + 2);
  EXPECT_EQ(ExpectWholeFile(dir / "redo.000002"), 2u);
}

TEST(MappedLog, EveryRotatedFileHasItsExactSize) {
  ScratchDir dir;
  auto w = Open(Mapped(dir, /*max_size=*/2000));
  ASSERT_TRUE(w);
  for (int i = 1; i <= 100; ++i) ASSERT_TRUE(w->Append(Insert(i)).ok());
  std::string last = w->Position().file;
  ASSERT_TRUE(w->Close().ok());
  auto logs = ReadIndexFile(dir / "redo.index");
  ASSERT_TRUE(logs.ok());
  ASSERT_GT(logs->size(), 3u);
  size_t events = 0;
  for (const auto& entry : *logs) events += ExpectWholeFile(dir / BaseName(entry));
  // Each file: FDE + Rotate/Stop; the groups: 2 events each.
  EXPECT_EQ(events, 100u * 2 + 2 * logs->size());
  EXPECT_EQ(BaseName(logs->back()), last);
}

}  // namespace
}  // namespace reptut::binlog
