#include "binlog/binlog_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "binlog/byte_order.h"
#include "common/errors.h"

namespace reptut::binlog {
namespace {

// pread until n bytes or EOF; returns bytes read or -1.
ssize_t ReadAt(int fd, char* buf, size_t n, uint64_t off) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, buf + done, n - done, static_cast<off_t>(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    done += size_t(r);
  }
  return static_cast<ssize_t>(done);
}

}  // namespace

BinlogReader::~BinlogReader() {
  if (fd_ >= 0) ::close(fd_);
}

Error BinlogReader::Fail(ReadErrc errc, uint64_t pos, const std::string& what) {
  last_error_ = errc;
  last_what_ = what;
  return MakeErrorMsg(ER_MASTER_FATAL_ERROR_READING_BINLOG,
                      "binlog '" + name_ + "' at position " + std::to_string(pos) + ": " + what);
}

Result<uint64_t> BinlogReader::FileSize() const {
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    return MakeErrorMsg(ER_MASTER_FATAL_ERROR_READING_BINLOG,
                        "binlog '" + name_ + "': cannot stat: " + strerror(errno));
  }
  return static_cast<uint64_t>(st.st_size);
}

Result<std::unique_ptr<BinlogReader>> BinlogReader::Open(const std::string& path,
                                                         ReaderOptions options,
                                                         const std::string& name) {
  std::unique_ptr<BinlogReader> r(new BinlogReader);
  r->name_ = name.empty() ? path : name;
  r->options_ = options;
  r->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (r->fd_ < 0) {
    return r->Fail(ReadErrc::kIo, 0, std::string("Could not open log file: ") + strerror(errno));
  }
  auto size = r->FileSize();
  if (!size.ok()) return size.error();
  if (*size == 0) return r->Fail(ReadErrc::kEmpty, 0, "file is empty (no magic number)");
  char magic[kMagicSize];
  ssize_t n = ReadAt(r->fd_, magic, kMagicSize, 0);
  if (n != static_cast<ssize_t>(kMagicSize) || memcmp(magic, kMagic, kMagicSize) != 0) {
    return r->Fail(ReadErrc::kBadMagic, 0,
                   "Binlog has bad magic number; it's not a binary log file");
  }
  r->pos_ = kMagicSize;
  auto first = r->Next();
  if (!first.ok()) return first.error();
  if (!first->has_value()) {
    return r->Fail(ReadErrc::kNoFormatDescription, kMagicSize,
                   "no Format_description event after the magic number");
  }
  const ReadEvent& ev = **first;
  if (ev.event.header.type != kFormatDescriptionEvent) {
    return r->Fail(ReadErrc::kNoFormatDescription, kMagicSize,
                   "first event is not a Format_description event");
  }
  r->in_use_ = ev.event.header.flags & kFlagBinlogInUse;
  r->fde_end_ = r->pos_;
  return r;
}

ssize_t BinlogReader::Read(char* out, size_t n, uint64_t off, uint64_t end) {
  if (!(off >= buf_start_ && off + n <= buf_start_ + buf_.size())) {
    size_t want = std::max<uint64_t>(n, std::min<uint64_t>(65536, end - off));
    buf_.resize(want);
    ssize_t r = ReadAt(fd_, buf_.data(), want, off);
    if (r < 0) {
      buf_.clear();
      return -1;
    }
    buf_.resize(size_t(r));
    buf_start_ = off;
  }
  size_t have = std::min<uint64_t>(n, buf_start_ + buf_.size() - off);
  memcpy(out, buf_.data() + (off - buf_start_), have);
  return static_cast<ssize_t>(have);
}

Result<std::optional<ReadEvent>> BinlogReader::Next() {
  last_error_ = ReadErrc::kNone;
  frame_error_ = FrameError::kNone;
  uint64_t end = limit_ ? std::min(*limit_, known_size_) : known_size_;
  if (pos_ + kHeaderSize > end) {
    auto size = FileSize();
    if (!size.ok()) {
      last_error_ = ReadErrc::kIo;
      return size.error();
    }
    known_size_ = *size;
    end = limit_ ? std::min(*limit_, *size) : *size;
  }
  if (pos_ >= end) return std::optional<ReadEvent>();
  uint64_t avail = end - pos_;
  DecodeContext ctx;
  ctx.has_checksum = has_checksum();
  ctx.verify_checksum = options_.verify_checksum;

  char header[kHeaderSize];
  size_t want = avail < kHeaderSize ? size_t(avail) : kHeaderSize;
  if (Read(header, want, pos_, end) != static_cast<ssize_t>(want)) {
    return Fail(ReadErrc::kIo, pos_, std::string("read error: ") + strerror(errno));
  }
  if (want < kHeaderSize) {
    frame_error_ = FrameError::kTruncatedHeader;
    return Fail(ReadErrc::kFrame, pos_,
                "event header truncated: " + std::to_string(want) + " of 19 bytes before the end");
  }
  uint32_t length = bytes::Get32(header + kEventLengthOffset);
  // (For an FDE the header alone cannot tell; CheckFrame below decides.)
  bool crc = EventHasChecksum(std::string_view(header, kHeaderSize), ctx.has_checksum);
  if (length < kHeaderSize + (crc ? kChecksumSize : 0)) {
    frame_error_ = FrameError::kLengthTooSmall;
    return Fail(ReadErrc::kFrame, pos_, "event length " + std::to_string(length) + " is too small");
  }
  if (length > kMaxEventSize) {
    frame_error_ = FrameError::kLengthTooLarge;
    return Fail(ReadErrc::kFrame, pos_,
                "event length " + std::to_string(length) + " is larger than the limit");
  }
  if (length > avail) {
    auto size = FileSize();
    if (size.ok()) {
      known_size_ = *size;
      end = limit_ ? std::min(*limit_, *size) : *size;
      avail = end - pos_;
    }
  }
  if (length > avail) {
    frame_error_ = FrameError::kTruncatedEvent;
    return Fail(ReadErrc::kFrame, pos_,
                "event of length " + std::to_string(length) + " goes past the end of the file (" +
                    std::to_string(avail) +
                    " bytes left); binlog truncated in the middle of event");
  }
  ReadEvent out;
  out.pos = pos_;
  out.bytes.resize(length);
  if (Read(out.bytes.data(), length, pos_, end) != static_cast<ssize_t>(length)) {
    return Fail(ReadErrc::kIo, pos_, std::string("read error: ") + strerror(errno));
  }
  if (options_.decode || uint8_t(header[kTypeOffset]) == kFormatDescriptionEvent) {
    FrameError fe = FrameError::kNone;
    auto ev = DecodeEvent(out.bytes, ctx, &fe);
    if (!ev.ok()) {
      frame_error_ = fe;
      return Fail(fe == FrameError::kNone ? ReadErrc::kBadBody : ReadErrc::kFrame, pos_,
                  ev.error().message);
    }
    out.event = std::move(ev).value();
    if (auto* fde = std::get_if<FormatDescriptionEvent>(&out.event.body)) fde_ = *fde;
  } else {
    uint32_t len = 0;
    FrameError fe = CheckFrame(out.bytes, ctx, &len);
    if (fe != FrameError::kNone) {
      frame_error_ = fe;
      return Fail(ReadErrc::kFrame, pos_, std::string(FrameErrorName(fe)));
    }
    auto h = DecodeHeader(out.bytes);
    out.event.header = *h;
    out.event.body = OtherEvent{};
  }
  pos_ += length;
  return std::optional<ReadEvent>(std::move(out));
}

}  // namespace reptut::binlog
