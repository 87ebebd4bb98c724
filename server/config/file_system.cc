#include "config/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace reptut::config {

FileRead RealFileSystem::ReadFile(const std::string& path) const {
  FileRead r;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) return r;
  r.found = true;
  r.world_writable = S_ISREG(st.st_mode) && (st.st_mode & S_IWOTH) != 0;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.error_number = errno;
    return r;
  }
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error_number = errno;
      ::close(fd);
      return r;
    }
    if (n == 0) break;
    r.contents.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  r.readable = true;
  return r;
}

DirList RealFileSystem::ListDirectory(const std::string& path) const {
  DirList l;
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    l.error_number = errno;
    return l;
  }
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    l.names.push_back(std::move(name));
  }
  ::closedir(d);
  l.ok = true;
  return l;
}

std::string ErrnoText(int error_number) {
  char buf[256];
  // GNU strerror_r returns the message (possibly not in buf).
  const char* text = ::strerror_r(error_number, buf, sizeof buf);
  return text;
}

}  // namespace reptut::config
