#include "binlog/binlog_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/errors.h"

namespace reptut::binlog {
namespace {

bool IsAbsolute(const std::string& p) {
  return !p.empty() && p[0] == '/';
}

std::string DirName(const std::string& p) {
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return p.substr(0, slash);
}

// Drops the extension of the last path component (mysqld's fn_ext rule).
std::string StripExtension(const std::string& p) {
  size_t slash = p.rfind('/');
  size_t start = slash == std::string::npos ? 0 : slash + 1;
  size_t dot = p.rfind('.');
  if (dot == std::string::npos || dot <= start) return p;
  return p.substr(0, dot);
}

bool HasExtension(const std::string& p) {
  return StripExtension(p) != p;
}

std::string Join(const std::string& dir, const std::string& rel) {
  if (IsAbsolute(rel)) return rel;
  std::string r = rel;
  while (r.rfind("./", 0) == 0) r = r.substr(2);
  if (dir.empty() || dir == ".") return r;
  return dir.back() == '/' ? dir + r : dir + "/" + r;
}

std::string Errno(const std::string& what, const std::string& path) {
  return what + " '" + path + "' (errno: " + std::to_string(errno) + " - " + strerror(errno) + ")";
}

}  // namespace

std::string BinlogNames::FileName(uint32_t seq) const {
  char buf[16];
  snprintf(buf, sizeof buf, ".%06u", seq);
  return stem + buf;
}

Result<BinlogNames> ResolveBinlogNames(const std::string& datadir, const std::string& log_bin,
                                       const std::string& log_bin_index,
                                       const std::string& hostname) {
  if (datadir.empty()) return MakeErrorMsg(ER_UNKNOWN_ERROR, "binlog: data directory not set");
  std::string name = log_bin.empty() ? hostname + "-bin" : log_bin;
  if (name.back() == '/') {
    return MakeErrorMsg(ER_WRONG_ARGUMENTS, "Path '" + name +
                                                "' is a directory name, please specify a file name "
                                                "for --log-bin option");
  }
  name = StripExtension(name);
  BinlogNames n;
  n.datadir = datadir;
  std::string full = Join(datadir, name);
  n.dir = DirName(full);
  n.stem = BaseName(full);
  if (n.stem.empty()) return MakeErrorMsg(ER_WRONG_ARGUMENTS, "binlog: empty log-bin name");
  if (IsAbsolute(name)) {
    n.entry_dir = n.dir == "/" ? "/" : n.dir + "/";
  } else {
    std::string rel_dir = DirName(name);
    while (rel_dir.rfind("./", 0) == 0) rel_dir = rel_dir.substr(2);
    n.entry_dir = rel_dir == "." || rel_dir.empty() ? "./" : "./" + rel_dir + "/";
  }
  if (log_bin_index.empty()) {
    n.index_path = n.dir + "/" + n.stem + ".index";
  } else {
    std::string idx = HasExtension(log_bin_index) ? log_bin_index : log_bin_index + ".index";
    n.index_path = Join(datadir, idx);
  }
  return n;
}

bool ParseSequence(const std::string& file_name, const std::string& stem, uint32_t* seq) {
  if (file_name.size() < stem.size() + 2 || file_name.compare(0, stem.size(), stem) != 0 ||
      file_name[stem.size()] != '.') {
    return false;
  }
  uint64_t v = 0;
  for (size_t i = stem.size() + 1; i < file_name.size(); ++i) {
    char c = file_name[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
    if (v > 0xffffffffu) return false;
  }
  *seq = static_cast<uint32_t>(v);
  return true;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string ResolveIndexEntry(const std::string& datadir, const std::string& entry) {
  return Join(datadir, entry);
}

Result<std::vector<std::string>> ReadIndexFile(const std::string& path) {
  std::vector<std::string> out;
  FILE* f = fopen(path.c_str(), "r");
  if (!f) {
    if (errno == ENOENT) return out;
    return MakeErrorMsg(ER_IO_ERR_LOG_INDEX_READ, Errno("cannot open index file", path));
  }
  std::string line;
  int c;
  while ((c = fgetc(f)) != EOF) {
    if (c == '\n') {
      if (!line.empty()) out.push_back(line);
      line.clear();
    } else {
      line.push_back(static_cast<char>(c));
    }
  }
  bool err = ferror(f);
  fclose(f);
  if (err) return MakeError(ER_IO_ERR_LOG_INDEX_READ);
  if (!line.empty()) out.push_back(line);
  return out;
}

Status WriteIndexFile(const std::string& path, const std::vector<std::string>& entries) {
  std::string text;
  for (const auto& e : entries) text += e + "\n";
  std::string tmp = path + "~";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
  if (fd < 0) return MakeErrorMsg(ER_IO_ERR_LOG_INDEX_READ, Errno("cannot create", tmp));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string msg = Errno("cannot write", tmp);
      ::close(fd);
      return MakeErrorMsg(ER_IO_ERR_LOG_INDEX_READ, msg);
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0) {
    std::string msg = Errno("cannot sync", tmp);
    ::close(fd);
    return MakeErrorMsg(ER_IO_ERR_LOG_INDEX_READ, msg);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return MakeErrorMsg(ER_IO_ERR_LOG_INDEX_READ, Errno("cannot rename to", path));
  }
  SyncParentDir(path);
  return Status::Ok();
}

void SyncParentDir(const std::string& path) {
  int fd = ::open(DirName(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace reptut::binlog
