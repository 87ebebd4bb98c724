// The one place the option parser touches the file system: reading an option
// file and listing a directory named by !includedir. Everything else in
// config/ is pure, so tests can hand in a FileSystem of their own.
#pragma once

#include <string>
#include <vector>

namespace reptut::config {

struct FileRead {
  bool found = false;           // false: the file does not exist (or is a directory)
  bool readable = false;        // found and read completely
  bool world_writable = false;  // mysqld ignores such files, with a warning
  int error_number = 0;         // errno when found but not readable
  std::string contents;
};

struct DirList {
  bool ok = false;
  int error_number = 0;            // errno when !ok
  std::vector<std::string> names;  // plain entry names, in no particular order
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual FileRead ReadFile(const std::string& path) const = 0;
  virtual DirList ListDirectory(const std::string& path) const = 0;
};

// The real file system (POSIX).
class RealFileSystem : public FileSystem {
 public:
  FileRead ReadFile(const std::string& path) const override;
  DirList ListDirectory(const std::string& path) const override;
};

// "No such file or directory" and the like, for messages.
std::string ErrnoText(int error_number);

}  // namespace reptut::config
