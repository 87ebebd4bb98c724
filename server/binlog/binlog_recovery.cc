#include "binlog/binlog_recovery.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "binlog/binlog_reader.h"
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

Error IoError(const std::string& what, const std::string& name) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, "binlog '" + name + "': " + what + " (errno: " +
                                            std::to_string(errno) + " - " + strerror(errno) + ")");
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

  bool in_group = false;    // context events or a Gtid seen, group not ended
  bool in_trx = false;      // inside BEGIN ... COMMIT
  bool standalone = false;  // MariaDB Gtid said the group is one statement
  uint64_t group_start = 0;
  for (;;) {
    auto next = r.Next();
    if (!next.ok()) {
      if (ZerosToEnd(path, r.position(), info.file_size)) {
        info.data_end = r.position();
      } else {
        info.stop_reason = next.error().message;
      }
      break;
    }
    if (!next->has_value()) break;
    const ReadEvent& re = **next;
    const Event& e = re.event;
    uint64_t end = re.pos + e.header.event_length;
    auto end_group = [&](std::optional<uint64_t> xid) {
      info.groups.push_back({in_group ? group_start : re.pos, end, xid});
      in_group = in_trx = standalone = false;
      info.scanned_end = end;
      info.boundaries.push_back(end);
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
        } else if (in_trx && !(IsQuery(e, "COMMIT") || IsQuery(e, "ROLLBACK"))) {
          // a statement inside the transaction
        } else {
          end_group(std::nullopt);
        }
        break;
      case kXidEvent: {
        const auto* x = std::get_if<XidEvent>(&e.body);
        end_group(x ? std::optional<uint64_t>(x->xid) : std::nullopt);
        break;
      }
      default:
        // Control events (Rotate, Stop, Gtid_list, checkpoints, ...) and rows
        // events: between groups they are a boundary of their own.
        if (!in_group) {
          info.scanned_end = end;
          info.boundaries.push_back(end);
        }
        break;
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
                      std::vector<std::string>* lines) {
  if (std::find(info.boundaries.begin(), info.boundaries.end(), keep) == info.boundaries.end()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "binlog '" + display_name + "': position " +
                                              std::to_string(keep) +
                                              " is not a transaction boundary; cannot truncate");
  }
  int fd = ::open(info.path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open for recovery", display_name);
  if (keep < info.file_size) {
    if (::ftruncate(fd, static_cast<off_t>(keep)) != 0) {
      Error e = IoError("cannot truncate", display_name);
      ::close(fd);
      return e;
    }
    if (keep < info.data_end) {
      std::string why = info.stop_reason.empty() || keep < info.scanned_end
                            ? "transactions the storage engine did not commit"
                            : info.stop_reason;
      lines->push_back("Binlog '" + display_name + "': truncated " +
                       std::to_string(info.data_end - keep) + " bytes at position " +
                       std::to_string(keep) + " (" + why + ")");
    }
  }
  Status st = ClearInUseFlag(fd, display_name);
  if (st.ok() && ::fsync(fd) != 0) st = IoError("cannot sync", display_name);
  ::close(fd);
  return st;
}

}  // namespace reptut::binlog
