// The binary log writer: owns the active log file and the index.
//
// The engine logs each transaction group with Append() (see the crash
// consistency protocol in binlog_writer.cc), and implements SHOW MASTER
// STATUS (Position), SHOW BINARY LOGS (ListLogs), FLUSH LOGS (Rotate),
// PURGE BINARY LOGS (PurgeTo / PurgeBefore), RESET MASTER (Reset) and clean
// shutdown (Close). The dump thread waits for new events with
// WaitForUpdate() and reads files with BinlogReader, never past Position()
// in the active file. All methods are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "binlog/binlog_index.h"
#include "binlog/binlog_recovery.h"
#include "binlog/events.h"
#include "common/errors.h"
#include "common/status.h"

namespace reptut::config {
struct ServerOptions;
}

namespace reptut::binlog {

// Whether a reader (a dump thread) still has the log open; PURGE keeps it.
using InUseFn = std::function<bool(const std::string& file_name)>;

struct BinlogOptions {
  std::string datadir;        // absolute
  std::string log_bin;        // --log-bin value ("" = <hostname>-bin)
  std::string log_bin_index;  // --log-bin-index ("" = <log_bin>.index)
  std::string hostname = "localhost";
  uint64_t max_binlog_size = 1024ull * 1024 * 1024;
  bool checksum = true;      // binlog_checksum=CRC32 (false: NONE)
  uint32_t sync_binlog = 0;  // fsync every N groups; 0: leave it to the OS
  uint32_t server_id = 1;
  std::string server_version;  // "" = mysql::kServerVersion
  uint32_t expire_logs_days = 0;
  std::function<time_t()> clock;  // default: time(nullptr)
  InUseFn in_use;                 // for automatic purges (expire_logs_days)
  // Crash recovery: called with the groups found in the crashed last file;
  // returns the position to keep (one of info.boundaries). Default: keep
  // every complete group (info.scanned_end).
  std::function<uint64_t(const RecoveryInfo&)> recovery_decider;
  // Each file is preallocated (max_binlog_size and room for a group) and
  // written through a shared memory mapping instead of pwrite(2): copied
  // bytes are in the page cache at once, as after a write(2) (a kill -9
  // loses nothing), without a system call per group. Until it is closed
  // the file has a zero tail, which recovery reads as its end; so only for
  // a log nobody reads while it grows (the private redo log). Falls back to
  // pwrite(2) when the space cannot be reserved or a group does not fit.
  bool preallocate_and_map = false;
  // A replica's relay log: its own control events (FDE, Rotate, Stop) carry
  // LOG_EVENT_RELAY_LOG_F, and the FDE never the in-use flag (a relay log is
  // not recovered: the replica fetches again what it lacks).
  bool relay_log = false;
};

// The binlog fields of the server's options.
BinlogOptions BinlogOptionsFrom(const config::ServerOptions& o);

struct LogPosition {
  std::string file;  // base name, "master-bin.000003"
  uint64_t pos = 0;
  bool operator==(const LogPosition&) const = default;
};

struct LogFileInfo {
  std::string name;  // base name
  uint64_t size = 0;
};

struct OpenReport {
  std::vector<std::string> notes;        // lines for the error log ([Note])
  std::vector<std::string> warnings;     // lines for the error log ([Warning])
  std::optional<RecoveryInfo> recovery;  // set when the last file needed recovery
  uint64_t recovery_kept = 0;            // position it was truncated to
};

struct PurgeResult {
  std::vector<std::string> purged;  // base names, oldest first
  std::vector<Error> warnings;      // e.g. ER_LOG_IN_USE when a reader holds a file
};

class BinlogWriter {
 public:
  // Resolves names, recovers the last file if it was not closed cleanly,
  // purges expired logs, and starts a new log file.
  static Result<std::unique_ptr<BinlogWriter>> Open(BinlogOptions options, OpenReport* report);
  // Closes cleanly (Stop event, flag cleared) if Close() was not called.
  ~BinlogWriter();
  BinlogWriter(const BinlogWriter&) = delete;
  BinlogWriter& operator=(const BinlogWriter&) = delete;

  // Writes one transaction group. Each event's header gives timestamp (the
  // statement's SET TIMESTAMP), flags and server_id (0 = this server's);
  // lengths, positions and CRCs are filled in. The group lands in the file
  // as one write at the end of the log; it becomes visible to readers and
  // Position() at once (publish) or when Publish() is called. Only one
  // unpublished write exists at a time: a second Append waits for it. (The
  // events may be several transaction groups, e.g. a group commit's.)
  Result<LogPosition> Append(const std::vector<Event>& group, bool publish = true);
  // The same, storing the end of the group in *end (its buffers reused).
  Status Append(const std::vector<Event>& group, bool publish, LogPosition* end);
  // The same for events already encoded (e.g. from a master): their
  // end_log_pos (and CRC) is rewritten for this file, unless
  // rewrite_positions is false (a relay log keeps the master's positions).
  // The bytes must carry a CRC exactly when this log does.
  Result<LogPosition> AppendEncoded(std::vector<std::string> events, bool publish = true,
                                    bool rewrite_positions = true);
  // Makes the appended group visible, and rotates when max_binlog_size is passed.
  Status Publish();
  // Cuts an unpublished group off again (the engine's commit failed).
  Status DiscardUnpublished();

  Status Rotate();  // FLUSH LOGS
  // Whether the files started from now on carry CRC32 checksums (a relay
  // log follows its master's binlog_checksum); takes effect at the next new
  // file (Rotate, Reset).
  void SetChecksum(bool checksum);
  bool checksum() const;
  Status Close();  // clean shutdown: Stop event, in-use flag cleared
  Status Reset();  // RESET MASTER: delete every log, start at .000001

  LogPosition Position() const;  // SHOW MASTER STATUS
  // The end of what was appended, published or not.
  LogPosition AppendedPosition() const;
  // The active file's sequence number (changes at each rotation).
  uint32_t ActiveSequence() const;
  // The next Publish() will rotate (max_binlog_size is passed).
  bool WouldRotate() const;
  Result<std::vector<LogFileInfo>> ListLogs() const;  // SHOW BINARY LOGS
  // PURGE BINARY LOGS TO 'name': deletes the logs before `name`.
  Result<PurgeResult> PurgeTo(const std::string& name, const InUseFn& in_use);
  // PURGE BINARY LOGS BEFORE t: deletes logs last modified before t.
  Result<PurgeResult> PurgeBefore(time_t t, const InUseFn& in_use);

  // Waits until Position() differs from `seen` or the log closes; false on
  // timeout. With `stop`, also returns (false) once *stop is true: whoever
  // sets it calls WakeWaiters() (a dump thread whose replica went away).
  bool WaitForUpdate(const LogPosition& seen, std::chrono::milliseconds timeout,
                     const std::atomic<bool>* stop = nullptr) const;
  // Makes every WaitForUpdate() look at its condition again.
  void WakeWaiters() const;

  bool is_open() const;
  const BinlogNames& names() const { return names_; }
  std::string PathOf(const std::string& file_name) const { return names_.Path(file_name); }

  // Tests only: drop the files without a Stop event or clearing the flag,
  // as a kill -9 would.
  void AbandonForTesting();

 private:
  enum class State { kOpen, kClosed, kBroken };
  explicit BinlogWriter(BinlogOptions options);

  time_t Now() const;
  Status Recover(OpenReport* report);
  uint32_t NextFreeSeqLocked() const;
  Status OpenNewFileLocked(bool at_startup);
  Status WriteLocked(const std::string& bytes);
  Status FinishAppendLocked(const std::string& bytes, bool publish, LogPosition* end);
  bool MapWindowLocked(uint64_t offset, size_t length);
  void UnmapLocked();
  Status DropPreallocationLocked();
  Status CutBackLocked(uint64_t to);
  Status CloseFileLocked(bool rotate);
  Status RotateLocked();
  Status PublishLocked();
  void WaitPublishedLocked(std::unique_lock<std::mutex>& lock);
  Status CheckWritableLocked() const;
  Result<PurgeResult> PurgeLocked(size_t count, const InUseFn& in_use);
  void ExpireLocked(std::vector<std::string>* warnings);
  EventHeader ControlHeader() const;

  BinlogOptions options_;
  BinlogNames names_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  State state_ = State::kClosed;
  std::vector<std::string> index_;  // index lines
  int fd_ = -1;
  std::string file_;        // active file base name
  uint32_t seq_ = 0;        // its sequence number
  uint64_t pos_ = 0;        // end of what was written
  uint64_t published_ = 0;  // end of what readers may see
  uint32_t unsynced_groups_ = 0;
  std::string encode_buf_;             // Append's, kept to save an allocation per group
  std::optional<bool> next_checksum_;  // SetChecksum, for the next new file
  // preallocate_and_map: the active file's preallocated size (0: it has its
  // exact size and grows by pwrite), and the mapped window of it.
  uint64_t alloc_end_ = 0;
  char* map_ = nullptr;
  uint64_t map_start_ = 0;
  size_t map_size_ = 0;
};

}  // namespace reptut::binlog
