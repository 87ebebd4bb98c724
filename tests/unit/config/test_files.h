// Helpers for the config tests: a temporary directory that removes itself,
// and a FileSystem that roots absolute paths in such a directory so the
// default search (/etc/my.cnf, ...) can be tested without touching /etc.
#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/file_system.h"

namespace reptut::config::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "reptut-config-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

  // Writes `text` to path()/rel (creating directories); returns the full path.
  std::string Write(const std::string& rel, const std::string& text, int mode = 0644) const {
    std::string full = *this / rel;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << text;
    ::chmod(full.c_str(), static_cast<mode_t>(mode));
    return full;
  }
  std::string MakeDir(const std::string& rel) const {
    std::string full = *this / rel;
    std::filesystem::create_directories(full);
    return full;
  }

 private:
  std::string path_;
};

// Absolute paths P are read from root + P.
class RootedFileSystem : public FileSystem {
 public:
  explicit RootedFileSystem(std::string root) : root_(std::move(root)) {}
  FileRead ReadFile(const std::string& path) const override { return real_.ReadFile(Map(path)); }
  DirList ListDirectory(const std::string& path) const override {
    return real_.ListDirectory(Map(path));
  }

 private:
  std::string Map(const std::string& path) const {
    return !path.empty() && path[0] == '/' ? root_ + path : path;
  }
  std::string root_;
  RealFileSystem real_;
};

}  // namespace reptut::config::testing
