// The binlog dump (server/replication/dump_thread.cc) driven without a
// server: a real BinlogWriter in a scratch directory, and a sink that keeps
// the packets. What is sent and in which order, that an unpublished group is
// never sent, rotations followed while waiting, heartbeats, the stop paths
// and the errors with MySQL's texts.
#include "replication/dump_thread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../binlog/test_util.h"
#include "binlog/binlog_writer.h"
#include "binlog/byte_order.h"
#include "binlog/event_codec.h"
#include "binlog/event_format.h"
#include "binlog/statement_events.h"

namespace reptut::replication {
namespace {

using binlog::testing::ReadFile;
using binlog::testing::ScratchDir;
using std::chrono::seconds;

constexpr uint32_t kT0 = 1795304550;

// Packets (payloads) as the dump wrote them; waits are bounded.
class RecordingSink : public PacketSink {
 public:
  void Write(std::string_view payload) override {
    std::lock_guard<std::mutex> lock(mu_);
    packets_.emplace_back(payload);
    cv_.notify_all();
  }
  bool Flush() override { return !broken_; }
  bool broken() const override { return broken_; }

  // The events sent so far (each packet without its leading 0x00).
  std::vector<std::string> Events() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    for (const auto& p : packets_) out.push_back(p.substr(1));
    return out;
  }
  bool WaitForEvents(const std::function<bool(const std::vector<std::string>&)>& done) {
    for (int i = 0; i < 1000; ++i) {
      if (done(Events())) return true;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(10));
    }
    return false;
  }

  std::atomic<bool> broken_{false};

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> packets_;
};

// The states the dump showed, and the logs it said it read.
class Observer {
 public:
  void State(std::string_view s) {
    std::lock_guard<std::mutex> lock(mu_);
    state_ = std::string(s);
    cv_.notify_all();
  }
  void Reading(const std::string& f) {
    std::lock_guard<std::mutex> lock(mu_);
    reading_.push_back(f);
  }
  bool WaitForState(std::string_view s) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, seconds(10), [&] { return state_ == s; });
  }
  std::vector<std::string> reading() const {
    std::lock_guard<std::mutex> lock(mu_);
    return reading_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string state_;
  std::vector<std::string> reading_;
};

uint8_t Type(const std::string& ev) {
  return static_cast<uint8_t>(ev[binlog::kTypeOffset]);
}
uint32_t EndLogPos(const std::string& ev) {
  return binlog::bytes::Get32(ev.data() + binlog::kEndLogPosOffset);
}
uint32_t Length(const std::string& ev) {
  return binlog::bytes::Get32(ev.data() + binlog::kEventLengthOffset);
}
uint16_t Flags(const std::string& ev) {
  return binlog::bytes::Get16(ev.data() + binlog::kFlagsOffset);
}

class DumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    binlog::BinlogOptions o;
    o.datadir = dir_.path();
    o.log_bin = "master-bin";
    o.server_id = 1;
    o.clock = [] { return time_t(kT0); };
    auto w = binlog::BinlogWriter::Open(o, nullptr);
    ASSERT_TRUE(w.ok()) << w.error().message;
    writer_ = std::move(w).value();
  }

  // One DDL group (a single Query event); returns where it ends.
  binlog::LogPosition Log(const std::string& query, bool publish = true) {
    binlog::SessionContext s;
    s.thread_id = 7;
    auto end = writer_->Append({binlog::MakeQueryEvent(s, kT0, query)}, publish);
    EXPECT_TRUE(end.ok());
    return end.ok() ? *end : binlog::LogPosition{};
  }

  DumpContext Context(std::optional<std::string> checksum = "CRC32") {
    DumpContext c;
    c.binlog = writer_.get();
    c.server_id = 1;
    c.checksum_variable = std::move(checksum);
    c.set_state = [this](std::string_view s) { observer_.State(s); };
    c.set_reading = [this](const std::string& f) { observer_.Reading(f); };
    c.killed = &killed_;
    return c;
  }

  static DumpRequest Request(std::string file, uint64_t pos, bool blocking = false) {
    DumpRequest r;
    r.file = std::move(file);
    r.position = pos;
    r.flags = blocking ? 0 : kDumpNonBlock;
    r.replica_server_id = blocking ? 2 : 0;
    return r;
  }

  std::string Path(const std::string& name) const { return dir_ / name; }

  ScratchDir dir_;
  std::unique_ptr<binlog::BinlogWriter> writer_;
  RecordingSink sink_;
  Observer observer_;
  std::atomic<bool> killed_{false};
};

// A dump running on its own thread, as on a connection's.
struct Running {
  Running(DumpThread& d, DumpRequest request)
      : dump(d), thread([this, request] { end = dump.Run(request); }) {}
  ~Running() {
    dump.RequestStop();
    if (thread.joinable()) thread.join();
  }
  DumpEnd Join() {
    thread.join();
    return end;
  }
  DumpThread& dump;
  DumpEnd end;
  std::thread thread;
};

TEST_F(DumpTest, NonBlockingDumpSendsEveryLogAsStored) {
  Log("CREATE DATABASE a");
  ASSERT_TRUE(writer_->Rotate().ok());
  Log("CREATE DATABASE b");
  DumpThread dump(Context(), sink_);
  DumpEnd end = dump.Run(Request("master-bin.000001", 4));
  EXPECT_EQ(end.how, DumpEnd::How::kEndOfLog);
  auto ev = sink_.Events();
  // fake Rotate, FDE, Query, Rotate | fake Rotate, FDE, Query
  ASSERT_EQ(ev.size(), 7u);
  std::vector<uint8_t> types;
  for (const auto& e : ev) types.push_back(Type(e));
  EXPECT_EQ(types, (std::vector<uint8_t>{4, 15, 2, 4, 4, 15, 2}));
  EXPECT_EQ(Flags(ev[0]), binlog::kFlagArtificial);
  EXPECT_EQ(EndLogPos(ev[0]), 0u);
  EXPECT_EQ(Flags(ev[4]), binlog::kFlagArtificial);
  // Each log is the magic and the events after its fake Rotate, byte for
  // byte; the active one's FDE says in-use on disk, not on the wire.
  std::string first = std::string(binlog::kMagic, 4) + ev[1] + ev[2] + ev[3];
  EXPECT_EQ(first, ReadFile(Path("master-bin.000001")));
  std::string second = ReadFile(Path("master-bin.000002"));
  second[binlog::kMagicSize + binlog::kFlagsOffset] &= ~binlog::kFlagBinlogInUse;
  EXPECT_EQ(std::string(binlog::kMagic, 4) + ev[5] + ev[6], second);
  EXPECT_EQ(observer_.reading(),
            (std::vector<std::string>{"master-bin.000001", "master-bin.000002"}));
}

TEST_F(DumpTest, EmptyFileNameMeansTheFirstLog) {
  Log("CREATE DATABASE a");
  ASSERT_TRUE(writer_->Rotate().ok());
  DumpThread dump(Context(), sink_);
  EXPECT_EQ(dump.Run(Request("", 4)).how, DumpEnd::How::kEndOfLog);
  auto ev = sink_.Events();
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev[0].substr(binlog::kHeaderSize + 8, 17), "master-bin.000001");
}

TEST_F(DumpTest, StartPastFourSendsTheFdeWithoutPositionOrCreateTime) {
  binlog::LogPosition a = Log("CREATE DATABASE a");
  Log("CREATE DATABASE b");
  DumpThread dump(Context(), sink_);
  EXPECT_EQ(dump.Run(Request("master-bin.000001", a.pos)).how, DumpEnd::How::kEndOfLog);
  auto ev = sink_.Events();
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(binlog::bytes::Get64(ev[0].data() + binlog::kHeaderSize), a.pos);
  EXPECT_EQ(EndLogPos(ev[1]), 0u);
  EXPECT_EQ(Flags(ev[1]), 0);
  EXPECT_EQ(binlog::bytes::Get32(ev[1].data() + binlog::kHeaderSize + 2 + 50), 0u);
  EXPECT_TRUE(binlog::VerifyEventChecksum(ev[1]));
  EXPECT_EQ(EndLogPos(ev[2]), a.pos + Length(ev[2]));
}

TEST_F(DumpTest, UnpublishedGroupIsNotSentUntilPublished) {
  Log("CREATE DATABASE a");
  Log("CREATE DATABASE b", /*publish=*/false);
  DumpThread dump(Context(), sink_);
  Running run(dump, Request("master-bin.000001", 4, /*blocking=*/true));
  ASSERT_TRUE(observer_.WaitForState(kStateWaiting));
  EXPECT_EQ(sink_.Events().size(), 3u);  // fake Rotate, FDE, the published Query
  ASSERT_TRUE(writer_->Publish().ok());
  EXPECT_TRUE(sink_.WaitForEvents([](const auto& ev) { return ev.size() == 4; }));
  dump.RequestStop();
  EXPECT_EQ(run.Join().how, DumpEnd::How::kStopped);
}

TEST_F(DumpTest, WaitingDumpFollowsARotation) {
  Log("CREATE DATABASE a");
  DumpThread dump(Context(), sink_);
  Running run(dump, Request("master-bin.000001", 4, true));
  ASSERT_TRUE(observer_.WaitForState(kStateWaiting));
  ASSERT_TRUE(writer_->Rotate().ok());
  Log("CREATE DATABASE b");
  ASSERT_TRUE(sink_.WaitForEvents([](const auto& ev) { return ev.size() == 7; }));
  auto ev = sink_.Events();
  EXPECT_EQ(Type(ev[3]), binlog::kRotateEvent);
  EXPECT_EQ(Flags(ev[3]), 0);
  EXPECT_EQ(Type(ev[4]), binlog::kRotateEvent);
  EXPECT_EQ(Flags(ev[4]), binlog::kFlagArtificial);
  EXPECT_EQ(Type(ev[5]), binlog::kFormatDescriptionEvent);
  EXPECT_EQ(observer_.reading().back(), "master-bin.000002");
}

TEST_F(DumpTest, HeartbeatsCarryTheLogAndPositionAndTheFdesChecksum) {
  binlog::LogPosition end = Log("CREATE DATABASE a");
  DumpContext c = Context("NONE");  // like mariadb-binlog
  c.heartbeat_period_ns = 1000000;  // 1 ms
  DumpThread dump(std::move(c), sink_);
  Running run(dump, Request("master-bin.000001", 4, true));
  ASSERT_TRUE(sink_.WaitForEvents(
      [](const auto& ev) { return ev.size() >= 5 && Type(ev[3]) == binlog::kHeartbeatEvent; }));
  auto ev = sink_.Events();
  // The first fake Rotate has no CRC (the client said NONE) ...
  EXPECT_EQ(Length(ev[0]), binlog::kHeaderSize + 8 + end.file.size());
  // ... the heartbeats do: the FDE said CRC32.
  const std::string& hb = ev[3];
  EXPECT_EQ(Length(hb), binlog::kHeaderSize + end.file.size() + binlog::kChecksumSize);
  EXPECT_EQ(EndLogPos(hb), end.pos);
  EXPECT_EQ(hb.substr(binlog::kHeaderSize, end.file.size()), end.file);
  EXPECT_TRUE(binlog::VerifyEventChecksum(hb));
}

TEST_F(DumpTest, KilledSessionEndsAWaitingDump) {
  DumpThread dump(Context(), sink_);
  Running run(dump, Request("master-bin.000001", 4, true));
  ASSERT_TRUE(observer_.WaitForState(kStateWaiting));
  killed_ = true;  // seen within a wait slice even without a wake-up
  EXPECT_EQ(run.Join().how, DumpEnd::How::kStopped);
}

TEST_F(DumpTest, CloseOfTheLogEndsAWaitingDumpAfterTheStopEvent) {
  DumpThread dump(Context(), sink_);
  Running run(dump, Request("master-bin.000001", 4, true));
  ASSERT_TRUE(observer_.WaitForState(kStateWaiting));
  ASSERT_TRUE(writer_->Close().ok());
  EXPECT_EQ(run.Join().how, DumpEnd::How::kStopped);
  EXPECT_EQ(Type(sink_.Events().back()), binlog::kStopEvent);
}

TEST_F(DumpTest, ServerIdZeroIsNonBlocking) {
  DumpThread dump(Context(), sink_);
  DumpRequest r = Request("master-bin.000001", 4);
  r.flags = 0;
  EXPECT_EQ(dump.Run(r).how, DumpEnd::How::kEndOfLog);
}

TEST_F(DumpTest, BrokenSinkStopsTheDump) {
  Log("CREATE DATABASE a");
  sink_.broken_ = true;
  DumpThread dump(Context(), sink_);
  EXPECT_EQ(dump.Run(Request("master-bin.000001", 4, true)).how, DumpEnd::How::kStopped);
}

// ---- errors (texts of MariaDB 10.11's sql_repl.cc, checked on a real one) --

DumpEnd Failing(DumpContext c, const DumpRequest& r, RecordingSink& sink) {
  DumpThread dump(std::move(c), sink);
  return dump.Run(r);
}

TEST_F(DumpTest, BinaryLogOff) {
  DumpContext c = Context();
  c.binlog = nullptr;
  DumpEnd end = Failing(std::move(c), Request("master-bin.000001", 4), sink_);
  ASSERT_EQ(end.how, DumpEnd::How::kError);
  EXPECT_EQ(end.error.code, 1236);
  EXPECT_EQ(end.error.message, "Binary log is not open");
}

TEST_F(DumpTest, MissingLog) {
  DumpEnd end = Failing(Context(), Request("master-bin.000009", 4), sink_);
  ASSERT_EQ(end.how, DumpEnd::How::kError);
  EXPECT_EQ(end.error.message, "Could not find first log file name in binary log index file");
  EXPECT_TRUE(sink_.Events().empty());
}

TEST_F(DumpTest, ImpossiblePositions) {
  for (uint64_t pos : {uint64_t(2), uint64_t(99999)}) {
    DumpEnd end = Failing(Context(), Request("master-bin.000001", pos), sink_);
    ASSERT_EQ(end.how, DumpEnd::How::kError);
    EXPECT_EQ(end.error.message,
              "Client requested master to start replication from impossible position; the "
              "first event 'master-bin.000001' at " +
                  std::to_string(pos) +
                  ", the last event read from 'master-bin.000001' at 4, the last byte read "
                  "from 'master-bin.000001' at 4.");
  }
}

TEST_F(DumpTest, ChecksumNotDeclared) {
  DumpEnd end = Failing(Context(std::nullopt), Request("master-bin.000001", 4), sink_);
  ASSERT_EQ(end.how, DumpEnd::How::kError);
  uint64_t fde_end = writer_->Position().pos;
  EXPECT_EQ(end.error.message,
            "Slave can not handle replication events with the checksum that master is "
            "configured to log; the first event 'master-bin.000001' at 4, the last event read "
            "from 'master-bin.000001' at 4, the last byte read from 'master-bin.000001' at " +
                std::to_string(fde_end) + ".");
  ASSERT_EQ(sink_.Events().size(), 1u);  // the fake Rotate went first, without a CRC
  EXPECT_EQ(Length(sink_.Events()[0]), binlog::kHeaderSize + 8 + 17);
}

TEST_F(DumpTest, PositionInsideAnEvent) {
  binlog::LogPosition a = Log("CREATE DATABASE a");
  Log("CREATE DATABASE b");
  for (uint64_t pos : {a.pos - 5, a.pos + 1, a.pos + 20}) {
    RecordingSink sink;
    DumpEnd end = Failing(Context(), Request("master-bin.000001", pos), sink);
    ASSERT_EQ(end.how, DumpEnd::How::kError) << pos;
    EXPECT_EQ(end.error.code, 1236);
    EXPECT_NE(
        end.error.message.find("; the first event 'master-bin.000001' at " + std::to_string(pos) +
                               ", the last event read from 'master-bin.000001' at " +
                               std::to_string(pos) + ", "),
        std::string::npos)
        << end.error.message;
  }
}

}  // namespace
}  // namespace reptut::replication
