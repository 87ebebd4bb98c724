#include "binlog/binlog_recovery.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "binlog/binlog_reader.h"
#include "binlog/byte_order.h"
#include "common/errors.h"

namespace reptut::binlog {
namespace {

bool IsQuery(const Event& e, std::string_view text) {
  const auto* q = std::get_if<QueryEvent>(&e.body);
  if (!q || q->query.size() != text.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (toupper(static_cast<unsigned char>(q->query[i])) != text[i]) return false;
  }
  return true;
}

Error IoError(const std::string& what, const std::string& name, std::string_view kind = "binlog") {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::string(kind) + " '" + name + "': " + what +
                                            " (errno: " + std::to_string(errno) + " - " +
                                            strerror(errno) + ")");
}

// Only zero bytes from `from` to the end: the unwritten part of a
// preallocated log (BinlogOptions::preallocate_and_map).
bool ZerosToEnd(const std::string& path, uint64_t from, uint64_t end) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[64 * 1024];
  bool zeros = true;
  while (zeros && from < end) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof buf, end - from));
    ssize_t n = ::pread(fd, buf, want, static_cast<off_t>(from));
    if (n <= 0) {
      zeros = false;
      break;
    }
    for (ssize_t i = 0; i < n && zeros; ++i) zeros = buf[i] == 0;
    from += static_cast<uint64_t>(n);
  }
  ::close(fd);
  return zeros;
}

// The end of the data: the file size, or where its zero tail starts.
uint64_t NonZeroEnd(const std::string& path, uint64_t size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return size;
  char buf[64 * 1024];
  uint64_t end = size;
  while (end > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof buf, end));
    ssize_t n = ::pread(fd, buf, want, static_cast<off_t>(end - want));
    if (n != static_cast<ssize_t>(want)) break;
    size_t i = want;
    while (i > 0 && buf[i - 1] == 0) --i;
    if (i > 0) {
      end -= want - i;
      break;
    }
    end -= want;
  }
  ::close(fd);
  return end;
}

// Finds transaction groups in the events fed to it, in file order.
struct Grouper {
  bool in_group = false;    // context events or a Gtid seen, group not ended
  bool in_trx = false;      // inside BEGIN ... COMMIT
  bool standalone = false;  // MariaDB Gtid said the group is one statement
  uint64_t group_start = 0;
  size_t statements = 0;
  bool orphan = false;  // the last group returned had no start (read from its middle)

  // The group `re` ends, if it ends one; *boundary is set when the position
  // after `re` is between groups.
  std::optional<RecoveredGroup> Feed(const ReadEvent& re, bool* boundary) {
    const Event& e = re.event;
    uint64_t end = re.pos + e.header.event_length;
    *boundary = false;
    auto end_group = [&](std::optional<uint64_t> xid) {
      orphan = !in_group && !in_trx && e.header.type != kQueryEvent;
      if (const auto* q = std::get_if<QueryEvent>(&e.body); q && !in_trx && !in_group) {
        orphan = IsQuery(e, "COMMIT") || IsQuery(e, "ROLLBACK");
      }
      RecoveredGroup g{in_group ? group_start : re.pos, end, xid, statements};
      in_group = in_trx = standalone = false;
      statements = 0;
      *boundary = true;
      return g;
    };
    auto start_group = [&] {
      if (!in_group) group_start = re.pos;
      in_group = true;
    };
    switch (e.header.type) {
      case kIntvarEvent:
      case kRandEvent:
      case kUserVarEvent:
      case kAnnotateRowsEvent:
        start_group();
        break;
      case kGtidEvent: {
        start_group();
        const auto* g = std::get_if<GtidEvent>(&e.body);
        standalone = g && (g->flags2 & kGtidStandalone);
        in_trx = !standalone;
        break;
      }
      case kQueryEvent:
        if (IsQuery(e, "BEGIN") || IsQuery(e, "START TRANSACTION")) {
          start_group();
          in_trx = true;
        } else if (IsQuery(e, "COMMIT") || IsQuery(e, "ROLLBACK")) {
          return end_group(std::nullopt);
        } else if (in_trx) {
          ++statements;  // a statement inside the transaction
        } else {
          ++statements;
          return end_group(std::nullopt);
        }
        break;
      case kXidEvent: {
        const auto* x = std::get_if<XidEvent>(&e.body);
        return end_group(x ? std::optional<uint64_t>(x->xid) : std::nullopt);
      }
      default:
        // Control events (Rotate, Stop, Gtid_list, checkpoints, ...) and rows
        // events: between groups they are a boundary of their own.
        if (!in_group) *boundary = true;
        break;
    }
    return std::nullopt;
  }
};

// Where, after the bad event at `from`, events can be read again: the first
// position whose header's end_log_pos agrees with its length and place and
// whose event then reads (with its CRC, when the file has them; without,
// one more event must follow, or the data end right after it). 0: none.
uint64_t FindResync(const std::string& path, BinlogReader& r, uint64_t from, uint64_t end) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const uint32_t min_len = kHeaderSize + (r.has_checksum() ? kChecksumSize : 0);
  std::string buf(1 << 20, '\0');
  uint64_t found = 0;
  for (uint64_t base = from + 1; !found && base + kHeaderSize <= end;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), end - base));
    ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(base));
    if (n < static_cast<ssize_t>(kHeaderSize)) break;
    size_t last = static_cast<size_t>(n) - kHeaderSize;
    for (size_t i = 0; i <= last && !found; ++i) {
      const char* h = buf.data() + i;
      uint8_t type = static_cast<uint8_t>(h[kTypeOffset]);
      uint32_t len = bytes::Get32(h + kEventLengthOffset);
      uint32_t end_pos = bytes::Get32(h + kEndLogPosOffset);
      uint64_t at = base + i;
      if (type == 0 || len < min_len || at + len > end ||
          end_pos != static_cast<uint32_t>(at + len)) {
        continue;
      }
      r.Seek(at);
      auto ev = r.Next();
      if (!ev.ok() || !ev->has_value()) continue;
      if (!r.has_checksum() && r.position() < end) {
        auto second = r.Next();
        if (!second.ok() || !second->has_value()) continue;
      }
      found = at;
    }
    base += last + 1;
  }
  ::close(fd);
  return found;
}

}  // namespace

Result<RecoveryInfo> ScanForRecovery(const std::string& path, const std::string& file) {
  auto opened = BinlogReader::Open(path, ReaderOptions{}, file);
  if (!opened.ok()) return opened.error();
  BinlogReader& r = **opened;
  RecoveryInfo info;
  info.file = file;
  info.path = path;
  auto size = r.FileSize();
  if (!size.ok()) return size.error();
  info.file_size = *size;
  info.data_end = *size;
  info.fde_end = r.fde_end();
  info.scanned_end = r.fde_end();
  info.boundaries.push_back(r.fde_end());

  Grouper grouper;
  for (;;) {
    auto next = r.Next();
    if (!next.ok()) {
      uint64_t at = r.position();
      if (ZerosToEnd(path, at, info.file_size)) {
        info.data_end = at;
        break;
      }
      // A torn tail, or damage? See binlog_recovery.h.
      FrameError fe = r.frame_error();
      std::string what = r.last_what();
      bool has_crc = r.has_checksum();
      uint64_t data_end = NonZeroEnd(path, info.file_size);
      // The event runs past the end, or the zeros of a preallocated file's
      // tail start inside its header.
      bool torn = fe == FrameError::kTruncatedHeader || fe == FrameError::kTruncatedEvent ||
                  data_end < at + kHeaderSize;
      if (!torn && at + kHeaderSize <= info.file_size) {
        char h[kHeaderSize];
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
          if (::pread(fd, h, kHeaderSize, static_cast<off_t>(at)) ==
              static_cast<ssize_t>(kHeaderSize)) {
            uint64_t len = bytes::Get32(h + kEventLengthOffset);
            // The zeros start inside the event (all of its CRC is zeros):
            // a write into the preallocated file that did not finish.
            torn =
                at + len <= info.file_size && data_end + (has_crc ? kChecksumSize : 1) <= at + len;
          }
          ::close(fd);
        }
      }
      uint64_t resume = FindResync(path, r, at, data_end);
      if (torn && resume == 0) {
        if (data_end < info.file_size) info.data_end = data_end;
        info.stop_reason = "a partial last event at position " + std::to_string(at) +
                           ", from a write the crash interrupted";
        break;
      }
      info.stop_reason = "a damaged event at position " + std::to_string(at) + ": " + what;
      info.damaged = true;
      info.damage_pos = at;
      info.damage_what = what;
      info.resume_pos = resume;
      info.unreadable_end = resume ? resume : data_end;
      if (data_end < info.file_size) info.data_end = data_end;
      if (resume) {
        // Read on, to say what the damage costs.
        Grouper after;
        r.Seek(resume);
        for (;;) {
          auto more = r.Next();
          if (!more.ok() || !more->has_value()) break;
          bool boundary = false;
          // The end of the damaged group itself is not one more.
          if (auto g = after.Feed(**more, &boundary); g && !after.orphan) {
            info.after_damage.push_back(*g);
          }
        }
      }
      break;
    }
    if (!next->has_value()) break;
    const ReadEvent& re = **next;
    bool boundary = false;
    if (auto g = grouper.Feed(re, &boundary)) info.groups.push_back(*g);
    if (boundary) {
      info.scanned_end = re.pos + re.event.header.event_length;
      info.boundaries.push_back(info.scanned_end);
    }
  }
  if (info.stop_reason.empty() && info.scanned_end < info.data_end) {
    info.stop_reason = "incomplete transaction group at the end of the file";
  }
  return info;
}

Status ClearInUseFlag(int fd, const std::string& name) {
  char flags = 0;
  off_t off = kMagicSize + kFlagsOffset;
  if (::pread(fd, &flags, 1, off) != 1) return IoError("cannot read the FDE flags", name);
  flags = static_cast<char>(flags & ~kFlagBinlogInUse);
  if (::pwrite(fd, &flags, 1, off) != 1) return IoError("cannot clear the in-use flag", name);
  return Status::Ok();
}

Status FinishRecovery(const RecoveryInfo& info, uint64_t keep, const std::string& display_name,
                      std::vector<std::string>* lines, std::string_view kind) {
  std::string lower(kind);
  if (!lower.empty()) lower[0] = static_cast<char>(tolower(static_cast<unsigned char>(lower[0])));
  if (std::find(info.boundaries.begin(), info.boundaries.end(), keep) == info.boundaries.end()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, lower + " '" + display_name + "': position " +
                                              std::to_string(keep) +
                                              " is not a transaction boundary; cannot truncate");
  }
  int fd = ::open(info.path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open for recovery", display_name, lower);
  if (keep < info.file_size) {
    if (::ftruncate(fd, static_cast<off_t>(keep)) != 0) {
      Error e = IoError("cannot truncate", display_name, lower);
      ::close(fd);
      return e;
    }
    if (keep < info.data_end) {
      std::string why = info.stop_reason.empty() || keep < info.scanned_end
                            ? "transactions the storage engine did not commit"
                            : info.stop_reason;
      lines->push_back(std::string(kind) + " '" + display_name + "': truncated " +
                       std::to_string(info.data_end - keep) + " bytes at position " +
                       std::to_string(keep) + " (" + why + ")");
    }
  }
  Status st = ClearInUseFlag(fd, display_name);
  if (st.ok() && ::fsync(fd) != 0) st = IoError("cannot sync", display_name, lower);
  ::close(fd);
  return st;
}

}  // namespace reptut::binlog
