// The writer: a tutorial-like session written to real files, checked with
// our reader and with Debian's mariadb-binlog; rotation, purge, reset,
// crash recovery.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <thread>

#include "binlog/binlog_reader.h"
#include "binlog/binlog_writer.h"
#include "binlog/event_codec.h"
#include "binlog/event_info.h"
#include "binlog/statement_events.h"
#include "test_util.h"

namespace reptut::binlog {
namespace {

using testing::AppendToFile;
using testing::ReadFile;
using testing::Run;
using testing::ScratchDir;

constexpr uint32_t kT0 = 1795304550;
const char* const kMariadbBinlog = "/usr/bin/mariadb-binlog";

BinlogOptions Options(const ScratchDir& dir, bool checksum = true) {
  BinlogOptions o;
  o.datadir = dir.path();
  o.log_bin = "master-bin";
  o.checksum = checksum;
  o.server_id = 1;
  o.clock = [] { return time_t(kT0); };
  return o;
}

std::unique_ptr<BinlogWriter> OpenWriter(BinlogOptions o, OpenReport* report = nullptr) {
  auto w = BinlogWriter::Open(std::move(o), report);
  EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
  return w.ok() ? std::move(w).value() : nullptr;
}

SessionContext Session() {
  SessionContext s;
  s.thread_id = 3;
  s.db = "test";
  s.sql_mode = 0x40000000;  // NO_ENGINE_SUBSTITUTION... any bits will do
  return s;
}

// BEGIN, the statement (after its context events), Xid.
std::vector<Event> Transaction(const SessionContext& s, uint32_t ts, std::vector<Event> statement,
                               uint64_t xid) {
  std::vector<Event> g;
  g.push_back(MakeQueryEvent(s, ts, "BEGIN"));
  for (auto& e : statement) g.push_back(std::move(e));
  g.push_back(MakeXidEvent(ts, xid));
  return g;
}

// The tutorial: create a table, insert, SET @title then insert using it,
// an AUTO_INCREMENT insert with INSERT_ID, an explicit transaction.
void WriteTutorial(BinlogWriter& w) {
  SessionContext none = Session();
  none.db = "";
  ASSERT_TRUE(w.Append({MakeQueryEvent(none, kT0, "create database test")}).ok());
  SessionContext s = Session();
  ASSERT_TRUE(w.Append({MakeQueryEvent(s, kT0 + 1,
                                       "create table t1 (id int auto_increment primary key, "
                                       "title varchar(100))")})
                  .ok());
  std::vector<Event> st;
  st.push_back(MakeQueryEvent(s, kT0 + 2, "insert into t1 values(1, 'first')"));
  ASSERT_TRUE(w.Append(Transaction(s, kT0 + 2, std::move(st), 10)).ok());
  st.clear();
  st.push_back(MakeUserVarString(kT0 + 3, "title", "Post", 8));
  st.push_back(MakeQueryEvent(s, kT0 + 3, "insert into t1 (title) values(@title)"));
  ASSERT_TRUE(w.Append(Transaction(s, kT0 + 3, std::move(st), 11)).ok());
  st.clear();
  st.push_back(MakeIntvarEvent(kT0 + 4, kInsertIdEvent, 3));
  st.push_back(MakeQueryEvent(s, kT0 + 4, "insert into t1 (title) values('auto')"));
  ASSERT_TRUE(w.Append(Transaction(s, kT0 + 4, std::move(st), 12)).ok());
  st.clear();
  st.push_back(MakeIntvarEvent(kT0 + 5, kLastInsertIdEvent, 3));
  st.push_back(MakeRandEvent(kT0 + 5, 11, 22));
  st.push_back(MakeQueryEvent(s, kT0 + 5, "insert into t1 (title) values(rand())"));
  st.push_back(MakeQueryEvent(s, kT0 + 5, "update t1 set title = 'x' where id = 1"));
  ASSERT_TRUE(w.Append(Transaction(s, kT0 + 5, std::move(st), 13)).ok());
}

std::vector<ReadEvent> ReadAll(const std::string& path) {
  std::vector<ReadEvent> out;
  auto r = BinlogReader::Open(path);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return out;
  (*r)->Seek(kMagicSize);
  for (;;) {
    auto ev = (*r)->Next();
    EXPECT_TRUE(ev.ok()) << (ev.ok() ? "" : ev.error().message);
    if (!ev.ok() || !ev->has_value()) break;
    out.push_back(std::move(**ev));
  }
  return out;
}

void ExpectPositionsConsistent(const std::vector<ReadEvent>& events) {
  uint64_t expected = kMagicSize;
  for (const auto& e : events) {
    EXPECT_EQ(e.pos, expected);
    EXPECT_EQ(e.event.header.end_log_pos, e.pos + e.event.header.event_length);
    expected = e.event.header.end_log_pos;
  }
}

// mariadb-binlog (and with --verify-binlog-checksum) decodes the file cleanly.
std::string ExpectMariadbBinlogClean(const std::string& path) {
  for (const char* opts : {"", "--verify-binlog-checksum "}) {
    auto r = Run(std::string(kMariadbBinlog) + " " + opts + path);
    EXPECT_EQ(r.exit_code, 0) << opts << path << "\n" << r.err;
    EXPECT_EQ(r.err.find("Warning"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("ERROR"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("ERROR"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("not closed properly"), std::string::npos) << r.out;
    if (*opts == '\0') return r.out;
  }
  return "";
}

class WriterTutorial : public ::testing::TestWithParam<bool> {};

TEST_P(WriterTutorial, MariadbBinlogReadsWhatWeWrite) {
  if (access(kMariadbBinlog, X_OK) != 0) GTEST_SKIP() << "no " << kMariadbBinlog;
  ScratchDir dir;
  auto w = OpenWriter(Options(dir, GetParam()));
  ASSERT_TRUE(w);
  WriteTutorial(*w);
  ASSERT_TRUE(w->Rotate().ok());
  EXPECT_EQ(w->Position(), (LogPosition{"master-bin.000002", w->Position().pos}));
  SessionContext s = Session();
  ASSERT_TRUE(w->Append({MakeQueryEvent(s, kT0 + 9, "drop table t1")}).ok());
  ASSERT_TRUE(w->Close().ok());

  EXPECT_EQ(ReadFile(dir / "master-bin.index"), "./master-bin.000001\n./master-bin.000002\n");

  std::string text1 = ExpectMariadbBinlogClean(dir / "master-bin.000001");
  for (const char* needle :
       {"use `test`", "SET TIMESTAMP=1795304550", "SET TIMESTAMP=1795304553", "SET INSERT_ID=3",
        "SET @`title`:=_latin1 X'506F7374' COLLATE `latin1_swedish_ci`", "create database test",
        "insert into t1 (title) values(@title)", "insert into t1 (title) values('auto')",
        "SET LAST_INSERT_ID=3", "SET @@RAND_SEED1=11, @@RAND_SEED2=22", "Xid = 13", "BEGIN",
        "Rotate to master-bin.000002  pos: 4", "server v 5.7.99-reptut-log", "thread_id=3"}) {
    EXPECT_NE(text1.find(needle), std::string::npos) << needle << "\n" << text1;
  }
  if (GetParam()) {
    EXPECT_NE(text1.find("CRC32 0x"), std::string::npos);
  }
  std::string text2 = ExpectMariadbBinlogClean(dir / "master-bin.000002");
  EXPECT_NE(text2.find("drop table t1"), std::string::npos);
  EXPECT_NE(text2.find("\tStop"), std::string::npos) << text2;

  // Our own reader: positions, flags, types, SHOW BINLOG EVENTS text.
  auto e1 = ReadAll(dir / "master-bin.000001");
  ExpectPositionsConsistent(e1);
  ASSERT_GE(e1.size(), 3u);
  EXPECT_EQ(e1.front().event.header.type, kFormatDescriptionEvent);
  EXPECT_EQ(e1.front().event.header.flags & kFlagBinlogInUse, 0);
  EXPECT_EQ(e1.front().event.header.end_log_pos, 123u);
  EXPECT_EQ(EventInfo(e1.front().event), "Server ver: 5.7.99-reptut-log, Binlog ver: 4");
  EXPECT_EQ(std::get<FormatDescriptionEvent>(e1.front().event.body).create_timestamp, kT0);
  EXPECT_EQ(EventTypeName(e1.back().event.header.type), "Rotate");
  EXPECT_EQ(EventInfo(e1.back().event), "master-bin.000002;pos=4");
  bool saw_user_var = false;
  for (const auto& e : e1) {
    if (e.event.header.type == kUserVarEvent) {
      saw_user_var = true;
      EXPECT_EQ(EventInfo(e.event), "@`title`=_latin1 0x506F7374 COLLATE latin1_swedish_ci");
    }
  }
  EXPECT_TRUE(saw_user_var);
  auto e2 = ReadAll(dir / "master-bin.000002");
  ExpectPositionsConsistent(e2);
  ASSERT_FALSE(e2.empty());
  EXPECT_EQ(std::get<FormatDescriptionEvent>(e2.front().event.body).create_timestamp, 0u);
  EXPECT_EQ(e2.back().event.header.type, kStopEvent);
}

INSTANTIATE_TEST_SUITE_P(Checksum, WriterTutorial, ::testing::Bool(), [](const auto& param_info) {
  return param_info.param ? "Crc32" : "None";
});

TEST(Writer, InUseFlagWhileOpen) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  auto r = BinlogReader::Open(dir / "master-bin.000001");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)->in_use_flag());
  ASSERT_TRUE(w->Close().ok());
  auto r2 = BinlogReader::Open(dir / "master-bin.000001");
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE((*r2)->in_use_flag());
}

TEST(Writer, PositionAndListLogs) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->Position(), (LogPosition{"master-bin.000001", 123}));
  SessionContext s = Session();
  auto at = w->Append({MakeQueryEvent(s, kT0, "create table a (x int)")});
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->file, "master-bin.000001");
  EXPECT_EQ(w->Position(), *at);
  struct stat st;
  ASSERT_EQ(stat((dir / "master-bin.000001").c_str(), &st), 0);
  EXPECT_EQ(uint64_t(st.st_size), at->pos);
  ASSERT_TRUE(w->Rotate().ok());
  auto logs = w->ListLogs();
  ASSERT_TRUE(logs.ok());
  ASSERT_EQ(logs->size(), 2u);
  EXPECT_EQ((*logs)[0].name, "master-bin.000001");
  EXPECT_GT((*logs)[0].size, at->pos);  // plus the Rotate event
  EXPECT_EQ((*logs)[1].name, "master-bin.000002");
  EXPECT_EQ((*logs)[1].size, 123u);
}

TEST(Writer, UnpublishedGroupInvisibleThenDiscarded) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  SessionContext s = Session();
  auto at = w->Append({MakeQueryEvent(s, kT0, "create table a (x int)")}, /*publish=*/false);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(w->Position().pos, 123u);
  ASSERT_TRUE(w->DiscardUnpublished().ok());
  struct stat st;
  ASSERT_EQ(stat((dir / "master-bin.000001").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 123);
  at = w->Append({MakeQueryEvent(s, kT0, "create table b (x int)")}, /*publish=*/false);
  ASSERT_TRUE(at.ok());
  ASSERT_TRUE(w->Publish().ok());
  EXPECT_EQ(w->Position(), *at);
}

TEST(Writer, RotatesWhenMaxSizePassed) {
  ScratchDir dir;
  BinlogOptions o = Options(dir);
  o.max_binlog_size = 400;
  auto w = OpenWriter(o);
  ASSERT_TRUE(w);
  SessionContext s = Session();
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(w->Append({MakeQueryEvent(s, kT0,
                                          "insert into t values (" + std::to_string(i) +
                                              ", 'a fairly long row of text')")})
                    .ok());
  }
  auto logs = w->ListLogs();
  ASSERT_TRUE(logs.ok());
  ASSERT_GE(logs->size(), 3u);
  for (size_t i = 0; i + 1 < logs->size(); ++i) {
    auto events = ReadAll(dir / (*logs)[i].name);
    ExpectPositionsConsistent(events);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().event.header.type, kRotateEvent);
    EXPECT_EQ(std::get<RotateEvent>(events.back().event.body).next_file, (*logs)[i + 1].name);
  }
}

TEST(Writer, ReopenStartsNewFileAndKeepsIndex) {
  ScratchDir dir;
  {
    auto w = OpenWriter(Options(dir));
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->Close().ok());
  }
  OpenReport report;
  auto w = OpenWriter(Options(dir), &report);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->Position().file, "master-bin.000002");
  EXPECT_FALSE(report.recovery.has_value());
  EXPECT_EQ(ReadFile(dir / "master-bin.index"), "./master-bin.000001\n./master-bin.000002\n");
}

TEST(Writer, PurgeTo) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Rotate().ok());
  ASSERT_TRUE(w->Rotate().ok());
  auto missing = w->PurgeTo("master-bin.000042", nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ER_UNKNOWN_TARGET_BINLOG);
  auto purged = w->PurgeTo("master-bin.000003", nullptr);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->purged, (std::vector<std::string>{"master-bin.000001", "master-bin.000002"}));
  EXPECT_TRUE(purged->warnings.empty());
  EXPECT_NE(access((dir / "master-bin.000001").c_str(), F_OK), 0);
  EXPECT_EQ(ReadFile(dir / "master-bin.index"), "./master-bin.000003\n");
}

TEST(Writer, PurgeStopsAtLogInUse) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Rotate().ok());
  ASSERT_TRUE(w->Rotate().ok());
  auto purged = w->PurgeTo("master-bin.000003",
                           [](const std::string& f) { return f == "master-bin.000002"; });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->purged, (std::vector<std::string>{"master-bin.000001"}));
  ASSERT_EQ(purged->warnings.size(), 1u);
  EXPECT_EQ(purged->warnings[0].code, ER_LOG_IN_USE);
  EXPECT_EQ(access((dir / "master-bin.000002").c_str(), F_OK), 0);
}

TEST(Writer, PurgeBeforeNeverTouchesActiveLog) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Rotate().ok());
  auto purged = w->PurgeBefore(time(nullptr) + 3600, nullptr);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->purged, (std::vector<std::string>{"master-bin.000001"}));
  EXPECT_EQ(ReadFile(dir / "master-bin.index"), "./master-bin.000002\n");
  EXPECT_EQ(access((dir / "master-bin.000002").c_str(), F_OK), 0);
}

TEST(Writer, ExpireLogsDaysAtRotation) {
  ScratchDir dir;
  BinlogOptions o = Options(dir);
  o.expire_logs_days = 1;
  time_t now = time(nullptr);
  o.clock = [&now] { return now; };
  auto w = OpenWriter(o);
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Rotate().ok());
  now += 3 * 86400;  // the first two files are now three days old
  ASSERT_TRUE(w->Rotate().ok());
  auto logs = w->ListLogs();
  ASSERT_TRUE(logs.ok());
  ASSERT_EQ(logs->size(), 1u);
  EXPECT_EQ((*logs)[0].name, "master-bin.000003");
}

TEST(Writer, ResetMaster) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Rotate().ok());
  ASSERT_TRUE(w->Rotate().ok());
  ASSERT_TRUE(w->Reset().ok());
  EXPECT_EQ(w->Position(), (LogPosition{"master-bin.000001", 123}));
  EXPECT_EQ(ReadFile(dir / "master-bin.index"), "./master-bin.000001\n");
  EXPECT_NE(access((dir / "master-bin.000002").c_str(), F_OK), 0);
  EXPECT_NE(access((dir / "master-bin.000003").c_str(), F_OK), 0);
}

TEST(Writer, WaitForUpdateWakesOnAppend) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  LogPosition seen = w->Position();
  EXPECT_FALSE(w->WaitForUpdate(seen, std::chrono::milliseconds(10)));
  ASSERT_TRUE(w->Append({MakeQueryEvent(Session(), kT0, "create table a (x int)")}).ok());
  EXPECT_TRUE(w->WaitForUpdate(seen, std::chrono::milliseconds(10)));
}

TEST(Writer, SyncBinlogEveryGroup) {
  ScratchDir dir;
  BinlogOptions o = Options(dir);
  o.sync_binlog = 1;
  auto w = OpenWriter(o);
  ASSERT_TRUE(w);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(w->Append({MakeQueryEvent(Session(), kT0, "create table a (x int)")}).ok());
  }
  ASSERT_TRUE(w->Close().ok());
  ExpectPositionsConsistent(ReadAll(dir / "master-bin.000001"));
}

TEST(Writer, AppendEncodedRewritesPositions) {
  ScratchDir dir;
  auto w = OpenWriter(Options(dir));
  ASSERT_TRUE(w);
  EventHeader h;
  h.timestamp = kT0;
  h.server_id = 9;       // the master's
  h.end_log_pos = 5555;  // the master's position
  std::string ev =
      EncodeEvent(h, MakeQueryEvent(Session(), kT0, "create table r (x int)").body, true);
  auto at = w->AppendEncoded({ev});
  ASSERT_TRUE(at.ok());
  auto events = ReadAll(dir / "master-bin.000001");
  ExpectPositionsConsistent(events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].event.header.server_id, 9u);
}

// --- crash recovery ---

// Writes two transactions, then "crashes" (no Stop, flag left set).
std::string CrashedLog(const ScratchDir& dir, uint64_t* good_end) {
  auto w = OpenWriter(Options(dir));
  if (!w) return "";
  SessionContext s = Session();
  std::vector<Event> st;
  st.push_back(MakeQueryEvent(s, kT0, "insert into t1 values (1)"));
  EXPECT_TRUE(w->Append(Transaction(s, kT0, std::move(st), 20)).ok());
  st.clear();
  st.push_back(MakeQueryEvent(s, kT0, "insert into t1 values (2)"));
  auto at = w->Append(Transaction(s, kT0, std::move(st), 21));
  EXPECT_TRUE(at.ok());
  *good_end = at.ok() ? at->pos : 0;
  w->AbandonForTesting();
  return dir / "master-bin.000001";
}

void ExpectRecovered(const ScratchDir& dir, uint64_t expect_size, bool expect_truncation) {
  OpenReport report;
  auto w = OpenWriter(Options(dir), &report);
  ASSERT_TRUE(w);
  ASSERT_TRUE(report.recovery.has_value());
  ASSERT_FALSE(report.notes.empty());
  EXPECT_EQ(report.notes.front(), "Recovering after a crash using ./master-bin.000001");
  EXPECT_EQ(report.notes.back(), "Crash recovery finished.");
  bool said_truncated = false;
  for (const auto& line : report.notes) {
    if (line.find("truncated ") != std::string::npos &&
        line.find("at position " + std::to_string(expect_size)) != std::string::npos) {
      said_truncated = true;
    }
  }
  EXPECT_EQ(said_truncated, expect_truncation);
  struct stat st;
  ASSERT_EQ(stat((dir / "master-bin.000001").c_str(), &st), 0);
  EXPECT_EQ(uint64_t(st.st_size), expect_size);
  auto r = BinlogReader::Open(dir / "master-bin.000001");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)->in_use_flag());
  ExpectPositionsConsistent(ReadAll(dir / "master-bin.000001"));
  EXPECT_EQ(w->Position().file, "master-bin.000002");
  if (access(kMariadbBinlog, X_OK) == 0) ExpectMariadbBinlogClean(dir / "master-bin.000001");
}

TEST(Recovery, CleanTailOnlyClearsFlag) {
  ScratchDir dir;
  uint64_t good = 0;
  CrashedLog(dir, &good);
  ExpectRecovered(dir, good, /*expect_truncation=*/false);
}

TEST(Recovery, PartialEventTruncated) {
  ScratchDir dir;
  uint64_t good = 0;
  std::string path = CrashedLog(dir, &good);
  std::string ev = EncodeEvent(EventHeader{}, XidEvent{5}, true);
  AppendToFile(path, ev.substr(0, 11));
  ExpectRecovered(dir, good, true);
}

TEST(Recovery, GarbageTruncated) {
  ScratchDir dir;
  uint64_t good = 0;
  std::string path = CrashedLog(dir, &good);
  AppendToFile(path, std::string(100, '\x5a'));
  ExpectRecovered(dir, good, true);
}

TEST(Recovery, BadChecksumEventTruncated) {
  ScratchDir dir;
  uint64_t good = 0;
  std::string path = CrashedLog(dir, &good);
  EventHeader h;
  h.end_log_pos = static_cast<uint32_t>(good) + 50;
  std::string ev =
      EncodeEvent(h, MakeQueryEvent(Session(), kT0, "create table z (x int)").body, true);
  ev[ev.size() - 1] ^= 0x40;
  AppendToFile(path, ev);
  ExpectRecovered(dir, good, true);
}

TEST(Recovery, IncompleteTransactionTruncated) {
  ScratchDir dir;
  uint64_t good = 0;
  std::string path = CrashedLog(dir, &good);
  // BEGIN and a statement made it, the Xid did not.
  uint64_t pos = good;
  for (const char* q : {"BEGIN", "insert into t1 values (3)"}) {
    EventHeader h;
    h.timestamp = kT0;
    std::string ev = EncodeEvent(h, MakeQueryEvent(Session(), kT0, q).body, true);
    pos += ev.size();
    SetEndLogPos(&ev, static_cast<uint32_t>(pos), true);
    AppendToFile(path, ev);
  }
  ExpectRecovered(dir, good, true);
}

TEST(Recovery, DeciderCutsBackToWhatTheEngineCommitted) {
  ScratchDir dir;
  uint64_t good = 0;
  CrashedLog(dir, &good);
  BinlogOptions o = Options(dir);
  std::vector<RecoveredGroup> seen;
  o.recovery_decider = [&seen](const RecoveryInfo& info) {
    seen = info.groups;
    return info.groups.front().end;  // the engine only has the first transaction
  };
  OpenReport report;
  auto w = OpenWriter(o, &report);
  ASSERT_TRUE(w);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].xid, std::optional<uint64_t>(20));
  EXPECT_EQ(seen[1].xid, std::optional<uint64_t>(21));
  EXPECT_EQ(seen[1].end, good);
  struct stat st;
  ASSERT_EQ(stat((dir / "master-bin.000001").c_str(), &st), 0);
  EXPECT_EQ(uint64_t(st.st_size), seen[0].end);
}

TEST(Recovery, DeciderPositionMustBeABoundary) {
  ScratchDir dir;
  uint64_t good = 0;
  CrashedLog(dir, &good);
  BinlogOptions o = Options(dir);
  o.recovery_decider = [](const RecoveryInfo& info) { return info.groups.front().end + 1; };
  auto w = BinlogWriter::Open(o, nullptr);
  EXPECT_FALSE(w.ok());
}

TEST(Recovery, WithoutChecksums) {
  ScratchDir dir;
  uint64_t good = 0;
  {
    auto w = OpenWriter(Options(dir, /*checksum=*/false));
    ASSERT_TRUE(w);
    auto at = w->Append({MakeQueryEvent(Session(), kT0, "create table a (x int)")});
    ASSERT_TRUE(at.ok());
    good = at->pos;
    w->AbandonForTesting();
  }
  std::string ev = EncodeEvent(EventHeader{}, XidEvent{5}, false);
  AppendToFile(dir / "master-bin.000001", ev.substr(0, 25));
  OpenReport report;
  auto w = OpenWriter(Options(dir, false), &report);
  ASSERT_TRUE(w);
  ASSERT_TRUE(report.recovery.has_value());
  EXPECT_EQ(report.recovery_kept, good);
  struct stat st;
  ASSERT_EQ(stat((dir / "master-bin.000001").c_str(), &st), 0);
  EXPECT_EQ(uint64_t(st.st_size), good);
  if (access(kMariadbBinlog, X_OK) == 0) ExpectMariadbBinlogClean(dir / "master-bin.000001");
}

// A dump-thread-like reader follows the active log while groups are
// appended and files rotate; it reads only published groups, never an error.
TEST(Writer, TailingReaderSeesEveryGroup) {
  ScratchDir dir;
  BinlogOptions o = Options(dir);
  o.max_binlog_size = 2000;
  auto w = OpenWriter(o);
  ASSERT_TRUE(w);
  constexpr int kGroups = 200;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kGroups; ++i) {
      std::vector<Event> st;
      st.push_back(
          MakeQueryEvent(Session(), kT0, "insert into t values (" + std::to_string(i) + ")"));
      auto r = w->Append(Transaction(Session(), kT0, std::move(st), uint64_t(i)), false);
      ASSERT_TRUE(r.ok());
      ASSERT_TRUE(w->Publish().ok());
    }
    done = true;
  });
  int xids = 0;
  std::string file = "master-bin.000001";
  auto reader = BinlogReader::Open(w->PathOf(file));
  ASSERT_TRUE(reader.ok());
  for (;;) {
    LogPosition at = w->Position();
    if (at.file == file)
      (*reader)->SetLimit(at.pos);
    else
      (*reader)->SetLimit(~0ull);
    auto ev = (*reader)->Next();
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    if (!ev->has_value()) {
      if (done && w->Position().file == file && (*reader)->position() == w->Position().pos) break;
      w->WaitForUpdate(at, std::chrono::milliseconds(50));
      continue;
    }
    const Event& e = (**ev).event;
    if (e.header.type == kXidEvent) ++xids;
    if (const auto* rot = std::get_if<RotateEvent>(&e.body)) {
      file = rot->next_file;
      reader = BinlogReader::Open(w->PathOf(file));
      ASSERT_TRUE(reader.ok());
    }
  }
  writer.join();
  EXPECT_EQ(xids, kGroups);
}

// --- names ---

TEST(BinlogNamesTest, RelativeBasenameInDatadir) {
  auto n = ResolveBinlogNames("/data", "master-bin", "");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->dir, "/data");
  EXPECT_EQ(n->FileName(1), "master-bin.000001");
  EXPECT_EQ(n->index_path, "/data/master-bin.index");
  EXPECT_EQ(n->IndexEntry("master-bin.000001"), "./master-bin.000001");
}

TEST(BinlogNamesTest, ExtensionIsDropped) {
  auto n = ResolveBinlogNames("/data", "master-bin.log", "");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->FileName(1), "master-bin.000001");
  EXPECT_EQ(n->index_path, "/data/master-bin.index");
}

TEST(BinlogNamesTest, SubdirectoryLayout) {
  auto n = ResolveBinlogNames("/data", "master/log/master-bin", "");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->dir, "/data/master/log");
  EXPECT_EQ(n->Path("master-bin.000001"), "/data/master/log/master-bin.000001");
  EXPECT_EQ(n->IndexEntry("master-bin.000001"), "./master/log/master-bin.000001");
  EXPECT_EQ(ResolveIndexEntry("/data", "./master/log/master-bin.000001"),
            "/data/master/log/master-bin.000001");
}

TEST(BinlogNamesTest, AbsoluteBasename) {
  auto n = ResolveBinlogNames("/data", "/var/log/mysql/mysql-bin", "");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->IndexEntry("mysql-bin.000001"), "/var/log/mysql/mysql-bin.000001");
  EXPECT_EQ(n->index_path, "/var/log/mysql/mysql-bin.index");
}

TEST(BinlogNamesTest, DefaultsAndIndexOption) {
  auto n = ResolveBinlogNames("/data", "", "binlog-list", "myhost");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->FileName(2), "myhost-bin.000002");
  EXPECT_EQ(n->index_path, "/data/binlog-list.index");
  uint32_t seq = 0;
  EXPECT_TRUE(ParseSequence("myhost-bin.000042", "myhost-bin", &seq));
  EXPECT_EQ(seq, 42u);
  EXPECT_FALSE(ParseSequence("myhost-bin.index", "myhost-bin", &seq));
}

TEST(Writer, SubdirectoryLayoutWritesThere) {
  ScratchDir dir;
  BinlogOptions o = Options(dir);
  o.log_bin = "log/master-bin";
  ASSERT_EQ(mkdir((dir / "log").c_str(), 0770), 0);
  auto w = OpenWriter(o);
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Close().ok());
  EXPECT_EQ(ReadFile(dir / "log/master-bin.index"), "./log/master-bin.000001\n");
  EXPECT_EQ(access((dir / "log/master-bin.000001").c_str(), F_OK), 0);
}

}  // namespace
}  // namespace reptut::binlog
