#include "replication/info_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/errors.h"

namespace reptut::replication {
namespace {

Error FileError(const std::string& what, const std::string& path) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, what + " '" + path +
                                            "' (Errcode: " + std::to_string(errno) + " \"" +
                                            strerror(errno) + "\")");
}

}  // namespace

InfoFile::~InfoFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status InfoFile::Write(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ >= 0 && text == last_) return Status::Ok();
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, mode_);
    if (fd_ < 0) return FileError("Can't create/write to file", path_);
    (void)::fchmod(fd_, mode_);
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::pwrite(fd_, text.data() + done, text.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return FileError("Error writing file", path_);
    done += static_cast<size_t>(n);
  }
  if (text.size() < last_.size() || last_.empty()) {
    if (::ftruncate(fd_, static_cast<off_t>(text.size())) != 0) {
      return FileError("Error writing file", path_);
    }
  }
  last_ = text;
  return Status::Ok();
}

Result<std::optional<std::string>> InfoFile::Read() const {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return FileError("Can't open file", path_);
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = FileError("Error reading file", path_);
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(out));
}

Status InfoFile::Remove() {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  last_.clear();
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return FileError("Can't delete", path_);
  return Status::Ok();
}

}  // namespace reptut::replication
