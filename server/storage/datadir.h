// The data directory on disk: one SQLite file per database,
// <datadir>/<name>.db (with SQLite's -wal/-shm beside it while open). A copy
// of a stopped server's data directory is a complete physical backup, and a
// database file copied in while the server runs is found by the next
// statement that looks for it (SHOW DATABASES, USE, a qualified name).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reptut::storage {

inline constexpr const char* kDbFileSuffix = ".db";

class DataDir {
 public:
  explicit DataDir(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // The file of database `name` (names are encoded so any MySQL identifier
  // maps to one safe file name, as mysqld's @XXXX encoding does).
  std::string DatabaseFile(std::string_view name) const;
  bool DatabaseExists(std::string_view name) const;
  // Database names, sorted, found by scanning the directory.
  std::vector<std::string> ListDatabases() const;
  // Removes the database file and its -wal/-shm companions.
  Status RemoveDatabaseFiles(std::string_view name) const;

  static std::string EncodeName(std::string_view name);
  static std::string DecodeName(std::string_view file_stem);

 private:
  std::string path_;
};

// An exclusive lock on the data directory for the life of the server (as
// mysqld locks ibdata1): a second server on the same directory is refused
// instead of sharing files with us. The database files rely on it: their
// WAL-index locks are kept inside this process (sqlite_vfs.h).
class DataDirLock {
 public:
  DataDirLock() = default;
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  Status Acquire(const std::string& datadir);

 private:
  int fd_ = -1;
};

}  // namespace reptut::storage
