// Design notes: the binlog dump (the master's side of replication).
//
// A replica (or `mariadb-binlog -R`) sends COM_BINLOG_DUMP(file, pos, flags,
// server_id); its connection thread then runs DumpThread::Run() until the
// dump ends, and the connection closes after it (as in mysqld). The dump
// sends one packet per event: 0x00 followed by the event's bytes.
//
// STATES (process-list State column; the function that moves on)
//
//   start --Start()--> sending <----------------------------+
//     |                  | SendAvailable(): the events up to the end    |
//     | (error: 1236)    | of what the file has (for the active file:   |
//     v                  | the writer's published Position())           |
//   ended <--------------+                                              |
//     ^                  +--the file is closed--> switching ----------->+
//     |                  |   "Finished reading one binlog;   NextLog():
//     |                  |    switching to next binlog"      fake Rotate +
//     |                  |                                   FDE of the next
//     |                  +--at the end of the active file-->  waiting
//     |                      "Master has sent all binlog to slave;
//     |                       waiting for more updates"
//     |                      WaitForMore(): BinlogWriter::WaitForUpdate,
//     |                      a Heartbeat when nothing was sent for
//     |                      @master_heartbeat_period; new events -> sending
//     +-- from any state: the stop flag (RequestStop), the session's killed
//         flag, a broken sink; a non-blocking dump at the end of the last
//         log (EndOfLog: the caller sends EOF); "Waiting to finalize
//         termination" on the way out.
//
//   "sending" shows "Sending binlog event to slave". A dump is non-blocking
//   (ends at the end of the last log) with BINLOG_DUMP_NON_BLOCK or a
//   replica server id of 0, as in MariaDB.
//
// WHAT IS SENT (MySQL 5.7 / MariaDB 10.11, checked against a real mariadbd)
//   Start(): a fake Rotate (timestamp 0, end_log_pos 0, ARTIFICIAL) naming
//   the file and the requested position, then the file's FDE with the
//   in-use flag cleared, and, when the dump starts past 4, end_log_pos 0 and
//   created 0 (the replica neither takes it as its position nor thinks the
//   master restarted). Then the events from the position on, as stored. At
//   the end of a closed file (after its Rotate, or a Stop of a clean
//   shutdown, or nothing after a crash recovery) the next log of the index
//   follows with its own fake Rotate and FDE (position 4).
//   CRC of the artificial events: before any FDE was sent (the first fake
//   Rotate), only if @master_binlog_checksum is CRC32; after it, as the
//   last FDE sent says (a MariaDB master does so: a `mariadb-binlog` that
//   set NONE gets the second fake Rotate and heartbeats with a CRC, since it
//   learnt the algorithm from the FDE).
//
// STOPPING
//   A dump waiting for updates sleeps in BinlogWriter::WaitForUpdate, given
//   the stop flag. Whoever sets the flag (RequestStop) wakes the writer's
//   waiters, so the dump returns at once - a wake-up, not polling. The
//   network layer calls RequestStop from a small watcher of the socket
//   (poll for POLLRDHUP), which fires when the replica closes the
//   connection, when KILL shuts the socket down (the session's interrupt
//   handler) and when the server stops (NetServer::Stop shuts the read
//   side of every connection); it also shuts the socket both ways, so that
//   a dump blocked sending to a replica that stopped reading fails at once
//   instead of after net_write_timeout. The wait is still cut in 1 s
//   slices that look at the session's killed flag, in case a kill ever
//   comes without the socket being shut. A shutdown of the binary log (Close) wakes the
//   waiters too; the dump then reads the Stop event and ends.
//
// INVARIANTS
//   - In the active file the dump never reads past the writer's published
//     Position(): each pass takes Position() first and limits the reader to
//     it when it names the file being read. A file that Position() no
//     longer names is closed: it is complete, and is read to its end. A
//     rotation between taking Position() and reading only shortens a pass
//     (the next pass sees the file closed), never lengthens it.
//   - The dump takes no lock of the write path except the writer's mutex,
//     for the short Position(), ListLogs() and the wait.
//   - Every error goes to the replica as ERR 1236 (the caller sends it)
//     with MariaDB's/MySQL's text; once a file was opened the text ends
//     with "; the first event 'f' at N, the last event read from 'g' at M,
//     the last byte read from 'g' at K." as theirs does.
//   - The registry's "reading" entry (SlaveRegistry::SetReading) names the
//     file before the dump opens it, so PURGE BINARY LOGS keeps it.
#include "replication/dump_thread.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>

#include "binlog/binlog_index.h"
#include "binlog/binlog_reader.h"
#include "binlog/binlog_writer.h"
#include "binlog/byte_order.h"
#include "binlog/dump_events.h"
#include "binlog/event_codec.h"
#include "binlog/event_format.h"
#include "common/errors.h"

namespace reptut::replication {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();
// The longest a wait goes without looking at the session's killed flag.
constexpr auto kWaitSlice = std::chrono::milliseconds(1000);
// Format_description: binlog_version (2) and server_version (50) precede
// the create timestamp.
constexpr size_t kCreatedOffset = binlog::kHeaderSize + 2 + 50;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// MySQL's words (sql_repl.cc, test_for_non_eof_log_read_errors) for an
// event the reader could not take.
std::string ReadErrorText(const binlog::BinlogReader& reader) {
  using binlog::FrameError;
  using binlog::ReadErrc;
  if (reader.last_error() == ReadErrc::kIo) return "I/O error reading log event";
  switch (reader.frame_error()) {
    case FrameError::kLengthTooLarge:
      return "log event entry exceeded max_allowed_packet; Increase max_allowed_packet on master";
    case FrameError::kTruncatedHeader:
    case FrameError::kTruncatedEvent:
      return "binlog truncated in the middle of event; consider out of disk space on master";
    case FrameError::kBadChecksum:
      return "event read from binlog did not pass crc check";
    default:
      return "bogus data in log event";
  }
}

Error Fatal(std::string message) {
  return MakeErrorMsg(ER_MASTER_FATAL_ERROR_READING_BINLOG, std::move(message));
}

}  // namespace

class DumpThread::Impl {
 public:
  Impl(DumpThread& dump, const DumpRequest& request)
      : dump_(dump),
        ctx_(dump.context_),
        sink_(dump.sink_),
        request_(request),
        non_blocking_((request.flags & kDumpNonBlock) || request.replica_server_id == 0) {}

  DumpEnd Run() {
    std::optional<DumpEnd> failed = Start();
    DumpEnd end = failed ? *failed : Stream();
    SetState(kStateFinalizing);
    return end;
  }

 private:
  // The steps return the dump's end, or nothing to go on.
  using Step = std::optional<DumpEnd>;
  static Step GoOn() { return std::nullopt; }
  static DumpEnd Stopped() { return {DumpEnd::How::kStopped, {}}; }
  static DumpEnd EndOfLog() { return {DumpEnd::How::kEndOfLog, {}}; }
  DumpEnd Failed(std::string message) const {
    return {DumpEnd::How::kError, Fatal(WithCoordinates(std::move(message)))};
  }
  DumpEnd FailedPlain(std::string message) const {
    return {DumpEnd::How::kError, Fatal(std::move(message))};
  }

  bool Stopping() const {
    return dump_.stop_.load() || (ctx_.killed && ctx_.killed->load()) || sink_.broken();
  }

  void SetState(std::string_view state) {
    if (state == state_) return;
    state_ = state;
    if (ctx_.set_state) ctx_.set_state(state);
  }

  void SetReading(const std::string& name) {
    if (name == reading_) return;
    reading_ = name;
    if (ctx_.set_reading) ctx_.set_reading(name);
  }

  // Once a log was opened, errors say where the dump stood (sql_repl.cc).
  std::string WithCoordinates(std::string message) const {
    if (!reader_) return message;
    return message + "; the first event '" + binlog::BaseName(request_.file) + "' at " +
           std::to_string(request_.position) + ", the last event read from '" + file_ + "' at " +
           std::to_string(last_pos_) + ", the last byte read from '" + file_ + "' at " +
           std::to_string(read_pos_) + ".";
  }

  void Send(std::string_view event) {
    packet_.assign(1, '\0');
    packet_.append(event);
    sink_.Write(packet_);
    last_send_ = Clock::now();
  }

  // The artificial events carry a CRC as the stream does so far: the
  // replica's @master_binlog_checksum until an FDE was sent, then the FDE's.
  bool ArtificialChecksum() const {
    if (fde_sent_) return fde_checksum_;
    return ctx_.checksum_variable && EqualsNoCase(*ctx_.checksum_variable, "CRC32");
  }

  // COM_BINLOG_DUMP's checks, then the first log's fake Rotate and FDE.
  Step Start() {
    binlog::BinlogWriter* w = ctx_.binlog;
    if (w == nullptr || !w->is_open()) return FailedPlain("Binary log is not open");
    std::string wanted = binlog::BaseName(request_.file);
    // Named as in use before it is looked up and opened: PURGE keeps it.
    if (!wanted.empty()) SetReading(wanted);
    auto logs = w->ListLogs();
    const binlog::LogFileInfo* found = nullptr;
    if (logs.ok()) {
      for (const auto& log : *logs) {
        if (wanted.empty() || log.name == wanted) {
          found = &log;
          break;
        }
      }
    }
    if (found == nullptr) {
      return FailedPlain("Could not find first log file name in binary log index file");
    }
    SetReading(found->name);
    // ListLogs() gives the active file's published size.
    uint64_t pos = request_.position;
    if (pos < binlog::kMagicSize || pos > found->size) {
      std::string f = binlog::BaseName(request_.file);
      return FailedPlain(
          "Client requested master to start replication from impossible position; the first "
          "event '" +
          f + "' at " + std::to_string(pos) + ", the last event read from '" + f +
          "' at 4, the last byte read from '" + f + "' at 4.");
    }
    return OpenLog(found->name, pos);
  }

  // Sends the fake Rotate and the FDE of `name`, and positions the reader
  // at `pos` (4: just after the FDE).
  Step OpenLog(const std::string& name, uint64_t pos) {
    SetReading(name);
    Send(binlog::EncodeFakeRotate(name, pos, ctx_.server_id, ArtificialChecksum()));
    binlog::ReaderOptions options;
    options.verify_checksum = true;
    options.decode = false;  // the bytes go out as stored
    auto reader = binlog::BinlogReader::Open(ctx_.binlog->PathOf(name), options, name);
    if (!reader.ok()) {
      reader_.reset();
      return FailedPlain(reader.error().message);
    }
    reader_ = std::move(reader).value();
    file_ = name;
    last_pos_ = binlog::kMagicSize;
    read_pos_ = reader_->fde_end();
    reader_->Seek(binlog::kMagicSize);
    auto fde = reader_->Next();
    if (!fde.ok() || !fde->has_value()) return Failed(ReadErrorText(*reader_));
    bool checksum = reader_->has_checksum();
    if (checksum && !ctx_.checksum_variable) {
      return Failed(
          "Slave can not handle replication events with the checksum that master is "
          "configured to log");
    }
    bool at_start = pos == binlog::kMagicSize;
    std::string bytes = binlog::PrepareFormatDescriptionForDump(std::move((*fde)->bytes), at_start);
    if (!at_start && bytes.size() >= kCreatedOffset + 4 + binlog::kChecksumSize) {
      binlog::bytes::PutLE(bytes.data() + kCreatedOffset, 0, 4);
      binlog::FixEventChecksum(&bytes);
    }
    Send(bytes);
    fde_sent_ = true;
    fde_checksum_ = checksum;
    uint64_t from = at_start ? reader_->fde_end() : pos;
    reader_->Seek(from);
    last_pos_ = read_pos_ = from;
    // A start inside the file must be where an event starts.
    check_boundary_ = !at_start;
    return GoOn();
  }

  // The streaming loop; returns how the dump ended.
  DumpEnd Stream() {
    binlog::BinlogWriter* w = ctx_.binlog;
    while (true) {
      if (Stopping()) return Stopped();
      binlog::LogPosition published = w->Position();
      bool active = w->is_open() && published.file == file_;
      reader_->SetLimit(active ? published.pos : kNoLimit);
      if (Step sent = SendAvailable()) return *sent;
      if (!active) {
        if (Step next = NextLog()) return *next;
        continue;
      }
      if (non_blocking_) return EndOfLog();
      if (!sink_.Flush()) return Stopped();
      if (Step waited = WaitForMore(published)) return *waited;
    }
  }

  // Every event up to the reader's limit (or the end of a closed file).
  Step SendAvailable() {
    while (true) {
      if (Stopping()) return Stopped();
      last_pos_ = reader_->position();
      auto event = reader_->Next();
      if (!event.ok()) {
        read_pos_ = last_pos_ + binlog::kHeaderSize;
        return Failed(ReadErrorText(*reader_));
      }
      if (!event->has_value()) return GoOn();
      const binlog::ReadEvent& ev = **event;
      read_pos_ = reader_->position();
      if (check_boundary_) {
        // Each event's end_log_pos is its end in the file: an event read
        // at a position inside another one cannot pass this (nor its CRC).
        check_boundary_ = false;
        if (ev.bytes.size() < binlog::kHeaderSize ||
            binlog::bytes::Get32(ev.bytes.data() + binlog::kEndLogPosOffset) != read_pos_) {
          read_pos_ = last_pos_ + binlog::kHeaderSize;
          return Failed("bogus data in log event");
        }
      }
      SetState(kStateSending);
      Send(ev.bytes);
    }
  }

  // The file just read to its end is closed: go on with the next log.
  Step NextLog() {
    SetState(kStateSwitching);
    binlog::BinlogWriter* w = ctx_.binlog;
    auto logs = w->ListLogs();
    std::string next;
    if (logs.ok()) {
      for (size_t i = 0; i + 1 < logs->size(); ++i) {
        if ((*logs)[i].name == file_) {
          next = (*logs)[i + 1].name;
          break;
        }
      }
    }
    if (next.empty()) {
      // The last log is closed only when the binary log is (shutdown).
      if (!w->is_open()) return Stopped();
      return Failed("could not find next log");
    }
    return OpenLog(next, binlog::kMagicSize);
  }

  // At the end of the active file: sleeps until the writer publishes more
  // (or rotates, or closes), sending heartbeats meanwhile.
  Step WaitForMore(const binlog::LogPosition& seen) {
    SetState(kStateWaiting);
    const auto period = std::chrono::nanoseconds(ctx_.heartbeat_period_ns);
    while (true) {
      if (Stopping()) return Stopped();
      auto slice = std::chrono::duration_cast<std::chrono::milliseconds>(kWaitSlice);
      if (period.count() > 0) {
        auto due = last_send_ + period;
        auto now = Clock::now();
        if (now >= due) {
          Send(binlog::EncodeHeartbeat(file_, reader_->position(), ctx_.server_id,
                                       ArtificialChecksum()));
          if (!sink_.Flush()) return Stopped();
          continue;
        }
        slice = std::min(slice, std::chrono::ceil<std::chrono::milliseconds>(due - now));
      }
      if (ctx_.binlog->WaitForUpdate(seen, slice, &dump_.stop_)) return GoOn();
    }
  }

  DumpThread& dump_;
  const DumpContext& ctx_;
  PacketSink& sink_;
  const DumpRequest& request_;
  const bool non_blocking_;

  std::unique_ptr<binlog::BinlogReader> reader_;
  std::string file_;       // the log being read (base name)
  uint64_t last_pos_ = 0;  // where the last event read (or tried) starts
  uint64_t read_pos_ = 0;  // the byte after what was read last
  bool check_boundary_ = false;
  bool fde_sent_ = false;
  bool fde_checksum_ = false;
  std::string packet_;  // reused payload buffer
  std::string_view state_;
  std::string reading_;  // what set_reading was told last
  Clock::time_point last_send_ = Clock::now();
};

DumpThread::DumpThread(DumpContext context, PacketSink& sink)
    : context_(std::move(context)), sink_(sink) {}

DumpThread::~DumpThread() = default;

DumpEnd DumpThread::Run(const DumpRequest& request) {
  Impl impl(*this, request);
  return impl.Run();
}

void DumpThread::RequestStop() {
  stop_.store(true);
  if (context_.binlog) context_.binlog->WakeWaiters();
}

}  // namespace reptut::replication
