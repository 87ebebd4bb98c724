// Design notes: the binary log writer.
//
// FILES AND THEIR STATES
//   Each log file is one of:
//     active   - the newest file. Starts with the magic and an FDE whose
//                header has LOG_EVENT_BINLOG_IN_USE_F. Only this file grows.
//     closed   - ends with a Rotate event (pointing at the next file,
//                position 4) or a Stop event (clean shutdown); flag clear.
//     crashed  - the flag still set but the server is not running it: the
//                process died. Open() recovers it (see binlog_recovery.h)
//                into a closed-like file without Rotate/Stop, as mysqld does.
//   The index lists every file, oldest first; the active file is last.
//
// WRITER STATES
//   kOpen    - fd_ is the active file, pos_ its size, published_ <= pos_.
//   kClosed  - no active file (after Close(), or before Open() finished).
//   kBroken  - a write failed and the file could not be cut back to the
//              last group; every write is refused from then on.
//
// TRANSITIONS (function that makes each)
//   Open():            closed -> open. Recover() the crashed last file,
//                      OpenNewFileLocked(at_startup), then ExpireLocked().
//   Append():          open -> open. pos_ grows by one whole group (one
//                      write). On error ftruncate back to the old pos_, or
//                      go to kBroken if even that fails.
//   Publish():         published_ = pos_; readers are woken; rotates when
//                      pos_ >= max_binlog_size.
//   DiscardUnpublished(): pos_ = published_ (ftruncate).
//   Rotate():          RotateLocked(): Rotate event, fsync, flag cleared in
//                      the old file; OpenNewFileLocked() adds the new file to
//                      the index; expired logs purged.
//   Reset():           delete every file, empty index, new .000001.
//   Close():           Stop event, fsync, flag cleared -> closed.
//
// INVARIANTS
//   - In every file each event's end_log_pos == its offset + its length.
//   - published_ is always at a group boundary, so a reader limited to it
//     never sees half a transaction. At most one write is unpublished; the
//     next Append, Rotate, Reset and Close wait for it to be published or
//     discarded.
//   - A file is fsynced before the index names it, and the index is fsynced
//     (atomic rename) before the file is written to: after a crash the last
//     index line is a file with a complete FDE.
//   - With sync_binlog = N, every N-th group is fdatasync()ed before Append
//     returns; rotation and Close always sync.
//   - preallocate_and_map: the active file is fallocate()d past
//     max_binlog_size and written by copying into a mapped window of it;
//     everything past pos_ is zeros (a discarded group is overwritten with
//     zeros), so a reader stops at pos_ after a crash. Closing (rotation,
//     Close) and a group that does not fit cut the file to pos_; from then
//     on it has its exact size like any other.
//
// CRASH CONSISTENCY WITH THE STORAGE ENGINE (SQLite)
//   The engine commits a transaction as:
//     1. execute the statements inside an SQLite transaction (not committed);
//     2. Append(group, publish=false): the group is in the binlog (and
//        synced when sync_binlog=1) and Append returns its end (file, pos);
//     3. in the same SQLite transaction, record (file, pos) in a one-row
//        table, then COMMIT;
//     4. Publish() - or DiscardUnpublished() if the COMMIT failed.
//   After kill -9 the binlog can only be ahead of SQLite (a group written in
//   2 whose COMMIT in 3 never happened), never behind. On restart the engine
//   opens SQLite first, reads the recorded (file, pos) and passes a
//   recovery_decider that returns pos when the crashed file is that file,
//   the FDE end when the crashed file is newer, and scanned_end otherwise.
//   The binlog is then cut back to exactly what SQLite has. Dump threads
//   never send unpublished groups, so replicas never get a transaction the
//   master loses. Size rotation happens in Publish(), after the COMMIT, so the
//   unpublished group is always in the last file.
#include "binlog/binlog_writer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "binlog/byte_order.h"
#include "binlog/event_codec.h"
#include "binlog/event_format.h"
#include "common/mysql_types.h"
#include "config/server_options.h"

namespace reptut::binlog {
namespace {

Error IoError(const std::string& what, const std::string& name) {
  return MakeErrorMsg(ER_ERROR_WHEN_EXECUTING_COMMAND, "binlog: " + what + " '" + name +
                                                           "' (errno: " + std::to_string(errno) +
                                                           " - " + strerror(errno) + ")");
}

// preallocate_and_map: the window mapped at a time (it bounds what the log
// adds to the server's RSS) and the room left for a group past
// max_binlog_size.
constexpr size_t kMapWindow = 512 * 1024;
constexpr uint64_t kPreallocSlack = 1024 * 1024;

bool WriteAll(int fd, const std::string& bytes, uint64_t off) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(off + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

}  // namespace

BinlogOptions BinlogOptionsFrom(const config::ServerOptions& o) {
  BinlogOptions b;
  b.datadir = o.datadir;
  b.log_bin = o.log_bin;
  b.log_bin_index = o.log_bin_index;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') {
    b.hostname = host;
    b.hostname = b.hostname.substr(0, b.hostname.find('.'));  // mysqld keeps the short name
  }
  b.max_binlog_size = o.max_binlog_size;
  b.checksum = o.binlog_checksum != "NONE" && o.binlog_checksum != "none";
  b.sync_binlog = o.sync_binlog;
  b.server_id = o.server_id;
  b.expire_logs_days = o.expire_logs_days;
  return b;
}

BinlogWriter::BinlogWriter(BinlogOptions options) : options_(std::move(options)) {
  if (options_.server_version.empty()) options_.server_version = mysql::kServerVersion;
}

BinlogWriter::~BinlogWriter() {
  if (is_open()) (void)Close();
  std::lock_guard<std::mutex> lock(mu_);
  UnmapLocked();
  if (fd_ >= 0) ::close(fd_);
}

time_t BinlogWriter::Now() const {
  return options_.clock ? options_.clock() : time(nullptr);
}

EventHeader BinlogWriter::ControlHeader() const {
  EventHeader h;
  h.timestamp = static_cast<uint32_t>(Now());
  h.server_id = options_.server_id;
  if (options_.relay_log) h.flags = kFlagRelayLog;
  return h;
}

void BinlogWriter::SetChecksum(bool checksum) {
  std::lock_guard<std::mutex> lock(mu_);
  next_checksum_ = checksum;
}

bool BinlogWriter::checksum() const {
  std::lock_guard<std::mutex> lock(mu_);
  return options_.checksum;
}

Result<std::unique_ptr<BinlogWriter>> BinlogWriter::Open(BinlogOptions options,
                                                         OpenReport* report) {
  OpenReport local;
  if (!report) report = &local;
  std::unique_ptr<BinlogWriter> w(new BinlogWriter(std::move(options)));
  auto names = ResolveBinlogNames(w->options_.datadir, w->options_.log_bin,
                                  w->options_.log_bin_index, w->options_.hostname);
  if (!names.ok()) return names.error();
  w->names_ = *names;
  if (::mkdir(w->names_.dir.c_str(), 0770) != 0 && errno != EEXIST) {
    return IoError("cannot create directory", w->names_.dir);
  }
  auto index = ReadIndexFile(w->names_.index_path);
  if (!index.ok()) return index.error();
  w->index_ = *index;
  REPTUT_RETURN_IF_ERROR(w->Recover(report));
  std::lock_guard<std::mutex> lock(w->mu_);
  REPTUT_RETURN_IF_ERROR(w->OpenNewFileLocked(/*at_startup=*/true));
  w->ExpireLocked(&report->warnings);
  return w;
}

Status BinlogWriter::Recover(OpenReport* report) {
  if (index_.empty()) return Status::Ok();
  const std::string entry = index_.back();
  std::string path = ResolveIndexEntry(names_.datadir, entry);
  std::string file = BaseName(entry);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    report->warnings.push_back("Binlog '" + entry +
                               "' listed in the index is missing: " + strerror(errno));
    return Status::Ok();
  }
  char head[kMagicSize + kHeaderSize];
  ssize_t n = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof head) || memcmp(head, kMagic, kMagicSize) != 0 ||
      !(head[kMagicSize + kFlagsOffset] & kFlagBinlogInUse)) {
    return Status::Ok();  // closed cleanly (or not ours to fix)
  }
  report->notes.push_back("Recovering after a crash using " + entry);
  auto info = ScanForRecovery(path, file);
  if (!info.ok()) return info.error();
  uint64_t keep = options_.recovery_decider ? options_.recovery_decider(*info) : info->scanned_end;
  REPTUT_RETURN_IF_ERROR(FinishRecovery(*info, keep, entry, &report->notes));
  report->notes.push_back("Crash recovery finished.");
  report->recovery = std::move(info).value();
  report->recovery_kept = keep;
  return Status::Ok();
}

uint32_t BinlogWriter::NextFreeSeqLocked() const {
  uint32_t seq = 0;
  if (!index_.empty()) ParseSequence(BaseName(index_.back()), names_.stem, &seq);
  for (int tries = 0; tries < 100000; ++tries) {
    ++seq;
    struct stat st;
    if (::stat(names_.Path(names_.FileName(seq)).c_str(), &st) != 0) break;
  }
  return seq;
}

Status BinlogWriter::OpenNewFileLocked(bool at_startup) {
  uint32_t seq = NextFreeSeqLocked();
  std::string file = names_.FileName(seq);
  std::string path = names_.Path(file);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
  if (fd < 0) return IoError("cannot create", path);

  if (next_checksum_) {
    options_.checksum = *next_checksum_;
    next_checksum_.reset();
  }
  EventHeader h = ControlHeader();
  h.flags = options_.relay_log ? kFlagRelayLog : kFlagBinlogInUse;
  FormatDescriptionEvent fde = MakeFormatDescription(
      options_.server_version, at_startup ? static_cast<uint32_t>(Now()) : 0, options_.checksum);
  std::string ev = EncodeEvent(h, fde, options_.checksum);
  SetEndLogPos(&ev, static_cast<uint32_t>(kMagicSize + ev.size()), options_.checksum);
  std::string head(kMagic, kMagicSize);
  head += ev;
  uint64_t alloc_end = 0;
  if (options_.preallocate_and_map) {
    // Reserved now, so a full disk is an error here rather than a fault
    // when a page of the mapping is first written.
    uint64_t size = options_.max_binlog_size + kPreallocSlack;
    if (::fallocate(fd, 0, 0, static_cast<off_t>(size)) == 0) alloc_end = size;
  }
  if (!WriteAll(fd, head, 0) || ::fsync(fd) != 0) {
    Error e = IoError("cannot write", path);
    ::close(fd);
    ::unlink(path.c_str());
    return e;
  }
  SyncParentDir(path);
  std::vector<std::string> next_index = index_;
  next_index.push_back(names_.IndexEntry(file));
  Status st = WriteIndexFile(names_.index_path, next_index);
  if (!st.ok()) {
    ::close(fd);
    ::unlink(path.c_str());
    return st;
  }
  index_ = std::move(next_index);
  fd_ = fd;
  file_ = file;
  seq_ = seq;
  pos_ = published_ = head.size();
  alloc_end_ = alloc_end;
  unsynced_groups_ = 0;
  state_ = State::kOpen;
  cv_.notify_all();
  return Status::Ok();
}

Status BinlogWriter::CheckWritableLocked() const {
  if (state_ == State::kOpen) return Status::Ok();
  if (state_ == State::kBroken) {
    return MakeErrorMsg(ER_ERROR_WHEN_EXECUTING_COMMAND,
                        "binlog: an earlier write failed; the binary log is not writable");
  }
  return MakeError(ER_BINLOG_PURGE_PROHIBITED, {"write"});
}

void BinlogWriter::WaitPublishedLocked(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [&] { return state_ != State::kOpen || published_ == pos_; });
}

bool BinlogWriter::MapWindowLocked(uint64_t offset, size_t length) {
  if (map_ && offset >= map_start_ && offset + length <= map_start_ + map_size_) return true;
  UnmapLocked();
  const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  uint64_t start = offset - offset % page;
  uint64_t size = std::min<uint64_t>(std::max<uint64_t>(kMapWindow, offset + length - start),
                                     alloc_end_ - start);
  void* m =
      ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, static_cast<off_t>(start));
  if (m == MAP_FAILED) return false;
  map_ = static_cast<char*>(m);
  map_start_ = start;
  map_size_ = size;
  return true;
}

void BinlogWriter::UnmapLocked() {
  if (map_) ::munmap(map_, map_size_);
  map_ = nullptr;
  map_size_ = 0;
}

Status BinlogWriter::DropPreallocationLocked() {
  UnmapLocked();
  if (alloc_end_ == 0) return Status::Ok();
  alloc_end_ = 0;
  if (::ftruncate(fd_, static_cast<off_t>(pos_)) != 0) {
    state_ = State::kBroken;
    cv_.notify_all();
    return IoError("cannot truncate", file_);
  }
  return Status::Ok();
}

// Drops what was written past `to`: cut off, or zeroed while preallocated.
Status BinlogWriter::CutBackLocked(uint64_t to) {
  bool done = alloc_end_ > 0 ? WriteAll(fd_, std::string(pos_ - to, '\0'), to)
                             : ::ftruncate(fd_, static_cast<off_t>(to)) == 0;
  if (!done) {
    state_ = State::kBroken;
    cv_.notify_all();
    return IoError("cannot truncate", file_);
  }
  pos_ = to;
  return Status::Ok();
}

Status BinlogWriter::WriteLocked(const std::string& bytes) {
  if (alloc_end_ > 0) {
    if (pos_ + bytes.size() <= alloc_end_ && MapWindowLocked(pos_, bytes.size())) {
      memcpy(map_ + (pos_ - map_start_), bytes.data(), bytes.size());
      pos_ += bytes.size();
      return Status::Ok();
    }
    // Past the reserved space (or no mapping): the file gets its exact size
    // and grows by pwrite from here.
    REPTUT_RETURN_IF_ERROR(DropPreallocationLocked());
  }
  if (!WriteAll(fd_, bytes, pos_)) {
    Error e = IoError("cannot write", file_);
    if (::ftruncate(fd_, static_cast<off_t>(pos_)) != 0) state_ = State::kBroken;
    return e;
  }
  pos_ += bytes.size();
  return Status::Ok();
}

Result<LogPosition> BinlogWriter::Append(const std::vector<Event>& group, bool publish) {
  LogPosition end;
  REPTUT_RETURN_IF_ERROR(Append(group, publish, &end));
  return end;
}

Status BinlogWriter::Append(const std::vector<Event>& group, bool publish, LogPosition* end) {
  std::unique_lock<std::mutex> lock(mu_);
  WaitPublishedLocked(lock);
  REPTUT_RETURN_IF_ERROR(CheckWritableLocked());
  // Encoded where it will land, so each event's end_log_pos and CRC are
  // right the first time.
  std::string& bytes = encode_buf_;
  bytes.clear();
  for (const Event& e : group) {
    EventHeader h = e.header;
    if (h.server_id == 0) h.server_id = options_.server_id;
    EncodeEventTo(&bytes, h, e.body, options_.checksum, pos_);
  }
  if (pos_ + bytes.size() > 0xffffffffull) {
    return MakeErrorMsg(ER_ERROR_WHEN_EXECUTING_COMMAND,
                        "binlog: group would pass the 4 GiB position limit");
  }
  return FinishAppendLocked(bytes, publish, end);
}

Status BinlogWriter::FinishAppendLocked(const std::string& bytes, bool publish, LogPosition* end) {
  REPTUT_RETURN_IF_ERROR(WriteLocked(bytes));
  if (options_.sync_binlog > 0 && ++unsynced_groups_ >= options_.sync_binlog) {
    // Also writes the pages dirtied through the mapping (Linux write-protects
    // a written-back page, so a later copy into it marks it dirty again).
    if (::fdatasync(fd_) != 0) return IoError("cannot sync", file_);
    unsynced_groups_ = 0;
  }
  end->file.assign(file_);
  end->pos = pos_;
  if (publish) REPTUT_RETURN_IF_ERROR(PublishLocked());
  return Status::Ok();
}

Result<LogPosition> BinlogWriter::AppendEncoded(std::vector<std::string> events, bool publish,
                                                bool rewrite_positions) {
  std::unique_lock<std::mutex> lock(mu_);
  WaitPublishedLocked(lock);
  REPTUT_RETURN_IF_ERROR(CheckWritableLocked());
  std::string bytes;
  uint64_t end = pos_;
  for (std::string& ev : events) {
    if (ev.size() < kHeaderSize) {
      return MakeErrorMsg(ER_ERROR_WHEN_EXECUTING_COMMAND, "binlog: event shorter than a header");
    }
    end += ev.size();
    if (end > 0xffffffffull) {
      return MakeErrorMsg(ER_ERROR_WHEN_EXECUTING_COMMAND,
                          "binlog: group would pass the 4 GiB position limit");
    }
    if (rewrite_positions) SetEndLogPos(&ev, static_cast<uint32_t>(end), options_.checksum);
    bytes += ev;
  }
  LogPosition at;
  REPTUT_RETURN_IF_ERROR(FinishAppendLocked(bytes, publish, &at));
  return at;
}

Status BinlogWriter::Publish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kOpen) return CheckWritableLocked();
  return PublishLocked();
}

Status BinlogWriter::PublishLocked() {
  published_ = pos_;
  cv_.notify_all();
  if (pos_ >= options_.max_binlog_size) return RotateLocked();
  return Status::Ok();
}

Status BinlogWriter::DiscardUnpublished() {
  std::lock_guard<std::mutex> lock(mu_);
  REPTUT_RETURN_IF_ERROR(CheckWritableLocked());
  if (published_ == pos_) return Status::Ok();
  REPTUT_RETURN_IF_ERROR(CutBackLocked(published_));
  cv_.notify_all();
  return Status::Ok();
}

Status BinlogWriter::CloseFileLocked(bool rotate) {
  EventHeader h = ControlHeader();
  std::string ev;
  if (rotate) {
    RotateEvent r;
    r.next_file = names_.FileName(NextFreeSeqLocked());
    r.position = kMagicSize;
    ev = EncodeEvent(h, r, options_.checksum);
  } else {
    ev = EncodeEvent(h, StopEvent{}, options_.checksum);
  }
  SetEndLogPos(&ev, static_cast<uint32_t>(pos_ + ev.size()), options_.checksum);
  REPTUT_RETURN_IF_ERROR(WriteLocked(ev));
  published_ = pos_;
  REPTUT_RETURN_IF_ERROR(DropPreallocationLocked());
  if (::fsync(fd_) != 0) return IoError("cannot sync", file_);
  if (!options_.relay_log) {
    REPTUT_RETURN_IF_ERROR(ClearInUseFlag(fd_, file_));
    if (::fsync(fd_) != 0) return IoError("cannot sync", file_);
  }
  ::close(fd_);
  fd_ = -1;
  return Status::Ok();
}

Status BinlogWriter::RotateLocked() {
  REPTUT_RETURN_IF_ERROR(CheckWritableLocked());
  // The Rotate event names the file OpenNewFileLocked will create.
  Status st = CloseFileLocked(/*rotate=*/true);
  if (!st.ok()) {
    state_ = State::kBroken;
    cv_.notify_all();
    return st;
  }
  state_ = State::kClosed;
  st = OpenNewFileLocked(/*at_startup=*/false);
  if (!st.ok()) {
    cv_.notify_all();
    return st;
  }
  ExpireLocked(nullptr);
  return Status::Ok();
}

// expire_logs_days: purges the logs, oldest first, last modified more than
// that many days ago (never the active one, never one a reader uses).
void BinlogWriter::ExpireLocked(std::vector<std::string>* warnings) {
  if (options_.expire_logs_days == 0) return;
  time_t limit = Now() - time_t(options_.expire_logs_days) * 86400;
  size_t count = 0;
  for (; count + 1 < index_.size(); ++count) {
    struct stat st;
    if (::stat(ResolveIndexEntry(names_.datadir, index_[count]).c_str(), &st) == 0 &&
        st.st_mtime >= limit) {
      break;
    }
  }
  auto purged = PurgeLocked(count, options_.in_use);
  if (!purged.ok() && warnings) warnings->push_back(purged.error().message);
}

Status BinlogWriter::Rotate() {
  std::unique_lock<std::mutex> lock(mu_);
  WaitPublishedLocked(lock);
  return RotateLocked();
}

Status BinlogWriter::Close() {
  std::unique_lock<std::mutex> lock(mu_);
  // A group still unpublished after a while belongs to a commit that will
  // not finish (shutdown): cut it off rather than hang.
  cv_.wait_for(lock, std::chrono::seconds(30),
               [&] { return state_ != State::kOpen || published_ == pos_; });
  if (state_ != State::kOpen) return Status::Ok();
  if (published_ != pos_) (void)CutBackLocked(published_);
  if (state_ != State::kOpen) return CheckWritableLocked();
  Status st = CloseFileLocked(/*rotate=*/false);
  state_ = st.ok() ? State::kClosed : State::kBroken;
  cv_.notify_all();
  return st;
}

Status BinlogWriter::Reset() {
  std::unique_lock<std::mutex> lock(mu_);
  WaitPublishedLocked(lock);
  if (state_ == State::kClosed) return MakeError(ER_FLUSH_MASTER_BINLOG_CLOSED);
  UnmapLocked();
  alloc_end_ = 0;
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  state_ = State::kClosed;
  std::vector<std::string> old = index_;
  index_.clear();
  REPTUT_RETURN_IF_ERROR(WriteIndexFile(names_.index_path, index_));
  for (const auto& entry : old) ::unlink(ResolveIndexEntry(names_.datadir, entry).c_str());
  SyncParentDir(names_.index_path);
  return OpenNewFileLocked(/*at_startup=*/false);
}

void BinlogWriter::AbandonForTesting() {
  std::lock_guard<std::mutex> lock(mu_);
  UnmapLocked();
  alloc_end_ = 0;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  state_ = State::kClosed;
  cv_.notify_all();
}

bool BinlogWriter::is_open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_ == State::kOpen;
}

LogPosition BinlogWriter::Position() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {file_, published_};
}

LogPosition BinlogWriter::AppendedPosition() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {file_, pos_};
}

uint32_t BinlogWriter::ActiveSequence() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seq_;
}

bool BinlogWriter::WouldRotate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_ == State::kOpen && pos_ >= options_.max_binlog_size;
}

bool BinlogWriter::WaitForUpdate(const LogPosition& seen, std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* stop) const {
  std::unique_lock<std::mutex> lock(mu_);
  bool stopped = false;
  bool changed = cv_.wait_for(lock, timeout, [&] {
    if (stop && stop->load()) return stopped = true;
    return state_ != State::kOpen || file_ != seen.file || published_ != seen.pos;
  });
  return changed && !stopped;
}

void BinlogWriter::WakeWaiters() const {
  // Under the lock: a waiter that just found *stop false is then asleep.
  std::lock_guard<std::mutex> lock(mu_);
  cv_.notify_all();
}

Result<std::vector<LogFileInfo>> BinlogWriter::ListLogs() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LogFileInfo> out;
  for (const auto& entry : index_) {
    LogFileInfo info;
    info.name = BaseName(entry);
    if (state_ == State::kOpen && info.name == file_) {
      info.size = published_;
    } else {
      struct stat st;
      if (::stat(ResolveIndexEntry(names_.datadir, entry).c_str(), &st) != 0) {
        return MakeError(ER_IO_ERR_LOG_INDEX_READ);
      }
      info.size = static_cast<uint64_t>(st.st_size);
    }
    out.push_back(std::move(info));
  }
  return out;
}

// Deletes up to the first `count` logs of the index (never the active
// one), stopping at a log a reader still uses.
Result<PurgeResult> BinlogWriter::PurgeLocked(size_t count, const InUseFn& in_use) {
  PurgeResult result;
  size_t n = 0;
  for (; n < count && n < index_.size(); ++n) {
    std::string name = BaseName(index_[n]);
    if (state_ == State::kOpen && name == file_) break;
    if (in_use && in_use(name)) {
      result.warnings.push_back(MakeError(ER_LOG_IN_USE));
      break;
    }
  }
  if (n == 0) return result;
  std::vector<std::string> doomed(index_.begin(), index_.begin() + long(n));
  std::vector<std::string> rest(index_.begin() + long(n), index_.end());
  Status st = WriteIndexFile(names_.index_path, rest);
  if (!st.ok()) return MakeError(ER_LOG_PURGE_UNKNOWN_ERR);
  index_ = std::move(rest);
  for (const auto& entry : doomed) {
    std::string path = ResolveIndexEntry(names_.datadir, entry);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      result.warnings.push_back(MakeErrorMsg(
          ER_LOG_PURGE_UNKNOWN_ERR,
          "Fatal error during log purge: cannot delete '" + entry + "': " + strerror(errno)));
    }
    result.purged.push_back(BaseName(entry));
  }
  SyncParentDir(names_.index_path);
  return result;
}

Result<PurgeResult> BinlogWriter::PurgeTo(const std::string& name, const InUseFn& in_use) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kOpen) return MakeError(ER_BINLOG_PURGE_PROHIBITED, {"PURGE"});
  std::string target = BaseName(name);
  for (size_t i = 0; i < index_.size(); ++i) {
    if (BaseName(index_[i]) == target) return PurgeLocked(i, in_use);
  }
  return MakeError(ER_UNKNOWN_TARGET_BINLOG);
}

Result<PurgeResult> BinlogWriter::PurgeBefore(time_t t, const InUseFn& in_use) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kOpen) return MakeError(ER_BINLOG_PURGE_PROHIBITED, {"PURGE"});
  size_t count = 0;
  for (; count < index_.size(); ++count) {
    struct stat st;
    std::string path = ResolveIndexEntry(names_.datadir, index_[count]);
    if (::stat(path.c_str(), &st) == 0 && st.st_mtime >= t) break;
  }
  return PurgeLocked(count, in_use);
}

}  // namespace reptut::binlog
