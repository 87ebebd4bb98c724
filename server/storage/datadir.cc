#include "storage/datadir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/errors.h"

namespace reptut::storage {
namespace {

bool SafeChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c >= 0x80;
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string DataDir::EncodeName(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (SafeChar(c)) {
      out += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789abcdef";
      out += '@';
      out += "00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string DataDir::DecodeName(std::string_view stem) {
  std::string out;
  for (size_t i = 0; i < stem.size(); ++i) {
    if (stem[i] == '@' && i + 4 < stem.size() && stem[i + 1] == '0' && stem[i + 2] == '0') {
      int a = HexVal(stem[i + 3]), b = HexVal(stem[i + 4]);
      if (a >= 0 && b >= 0) {
        out += static_cast<char>(a * 16 + b);
        i += 4;
        continue;
      }
    }
    out += stem[i];
  }
  return out;
}

std::string DataDir::DatabaseFile(std::string_view name) const {
  return path_ + "/" + EncodeName(name) + kDbFileSuffix;
}

bool DataDir::DatabaseExists(std::string_view name) const {
  struct stat st;
  return ::stat(DatabaseFile(name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::string> DataDir::ListDatabases() const {
  std::vector<std::string> names;
  DIR* dir = ::opendir(path_.c_str());
  if (!dir) return names;
  const std::string_view suffix = kDbFileSuffix;
  while (dirent* e = ::readdir(dir)) {
    std::string_view f = e->d_name;
    if (f.size() > suffix.size() && f.substr(f.size() - suffix.size()) == suffix) {
      names.push_back(DecodeName(f.substr(0, f.size() - suffix.size())));
    }
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Status DataDir::RemoveDatabaseFiles(std::string_view name) const {
  std::string file = DatabaseFile(name);
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Error dropping database (can't rmdir '" + file +
                                              "', errno: " + std::to_string(errno) + " \"" +
                                              std::strerror(errno) + "\")");
  }
  ::unlink((file + "-wal").c_str());
  ::unlink((file + "-shm").c_str());
  ::unlink((file + "-journal").c_str());
  return Status::Ok();
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

Status DataDirLock::Acquire(const std::string& datadir) {
  int fd = ::open(datadir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Can't open the data directory '" + datadir +
                                              "' (Errcode: " + std::to_string(errno) + " \"" +
                                              std::strerror(errno) + "\")");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Unable to lock the data directory '" + datadir +
                                              "' (Errcode: " + std::to_string(err) + " \"" +
                                              std::strerror(err) +
                                              "\"): check that no other reptutd is using it");
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  return Status::Ok();
}

}  // namespace reptut::storage
