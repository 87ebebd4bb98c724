// One of the replica's small text files (master.info, relay-log.info),
// rewritten in place as the threads move: what students open to see where
// replication stands. Not what a restart trusts (the data files record the
// SQL thread's position; see engine/applier.h), so a write need not be
// atomic, only cheap: one pwrite and a truncate on a descriptor kept open.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <optional>
#include <string>

#include "common/status.h"

namespace reptut::replication {

class InfoFile {
 public:
  // `mode`: master.info holds the replication password in clear: 0600.
  InfoFile(std::string path, mode_t mode) : path_(std::move(path)), mode_(mode) {}
  ~InfoFile();
  InfoFile(const InfoFile&) = delete;
  InfoFile& operator=(const InfoFile&) = delete;

  const std::string& path() const { return path_; }
  // Replaces the contents (unchanged text: nothing written).
  Status Write(const std::string& text);
  // The contents; nullopt when the file does not exist.
  Result<std::optional<std::string>> Read() const;
  Status Remove();

 private:
  std::string path_;
  mode_t mode_;
  std::mutex mu_;
  int fd_ = -1;
  std::string last_;
};

}  // namespace reptut::replication
