// Reading one binlog file event by event, from any position.
//
// Open() checks the magic and decodes the Format_description event, which
// says whether events carry a CRC. Next() returns the event at the current
// position and moves past it, or nothing at a clean end. Every error names
// the file and the position (bad magic, truncated event, bad CRC, length
// too small or too large). The reader never reads past the end of the file
// or past a limit the caller sets (for the active log: the writer's
// published position), and never allocates more than the bytes present.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "binlog/event_codec.h"
#include "binlog/events.h"
#include "common/status.h"

namespace reptut::binlog {

// Why a read failed.
enum class ReadErrc {
  kNone,
  kIo,                   // open/stat/read failed
  kEmpty,                // zero-length file
  kBadMagic,             // does not start with \xfebin
  kNoFormatDescription,  // first event is not an FDE
  kFrame,                // see frame_error()
  kBadBody,              // frame fine, body malformed
};

struct ReadEvent {
  uint64_t pos = 0;   // file offset of the event
  std::string bytes;  // the whole event as stored
  Event event;
};

struct ReaderOptions {
  bool verify_checksum = true;
  bool decode = true;  // false: only frame checks, event.body left empty
};

class BinlogReader {
 public:
  // `name` is what errors call the file (default: the path).
  static Result<std::unique_ptr<BinlogReader>> Open(const std::string& path,
                                                    ReaderOptions options = {},
                                                    const std::string& name = "");
  ~BinlogReader();
  BinlogReader(const BinlogReader&) = delete;
  BinlogReader& operator=(const BinlogReader&) = delete;

  const FormatDescriptionEvent& format() const { return fde_; }
  bool has_checksum() const { return fde_.checksum_alg == kChecksumCrc32; }
  bool in_use_flag() const { return in_use_; }   // FDE flag when opened
  uint64_t fde_end() const { return fde_end_; }  // position after the FDE

  uint64_t position() const { return pos_; }
  void Seek(uint64_t pos) { pos_ = pos; }
  // Reads never go past `end` (e.g. the active log's published size).
  void SetLimit(uint64_t end) { limit_ = end; }
  // Current file size (re-read from the file system).
  Result<uint64_t> FileSize() const;

  // The next event, or std::nullopt at the end (position == end of data).
  Result<std::optional<ReadEvent>> Next();

  ReadErrc last_error() const { return last_error_; }
  FrameError frame_error() const { return frame_error_; }
  // What was wrong, without the file and position (e.g. "bad checksum").
  const std::string& last_what() const { return last_what_; }

 private:
  BinlogReader() = default;
  Error Fail(ReadErrc errc, uint64_t pos, const std::string& what);
  ssize_t Read(char* out, size_t n, uint64_t off, uint64_t end);

  std::string buf_;
  uint64_t buf_start_ = 0;
  uint64_t known_size_ = 0;

  int fd_ = -1;
  std::string name_;
  ReaderOptions options_;
  FormatDescriptionEvent fde_;
  bool in_use_ = false;
  uint64_t fde_end_ = 0;
  uint64_t pos_ = 0;
  std::optional<uint64_t> limit_;
  ReadErrc last_error_ = ReadErrc::kNone;
  FrameError frame_error_ = FrameError::kNone;
  std::string last_what_;
};

}  // namespace reptut::binlog
