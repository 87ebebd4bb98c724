// Where the binary logs live and the index file that lists them.
//
// Naming follows mysqld: --log-bin=NAME names the logs NAME.000001, ...; an
// extension in NAME is dropped (master-bin.log -> master-bin.000001); an
// empty NAME means "<hostname>-bin". A relative NAME (which may contain
// directories, e.g. "log/master-bin") is taken relative to the data
// directory, and the index lists such logs as "./log/master-bin.000001",
// the way mysqld (which runs in its datadir) writes them; an absolute NAME
// gives absolute lines. The index defaults to NAME.index next to the logs;
// --log-bin-index without an extension gets ".index".
//
// The index holds one line per log, oldest first, each ending in '\n'. It
// is replaced atomically (write a temporary file, fsync, rename).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace reptut::binlog {

struct BinlogNames {
  std::string datadir;     // absolute
  std::string dir;         // absolute directory of the log files
  std::string stem;        // file name stem, e.g. "master-bin"
  std::string index_path;  // absolute path of the index file
  std::string entry_dir;   // what index lines put before a file name: "./log/" or "/abs/dir/"

  std::string FileName(uint32_t seq) const;  // "master-bin.000001"
  std::string Path(const std::string& file_name) const { return dir + "/" + file_name; }
  std::string IndexEntry(const std::string& file_name) const { return entry_dir + file_name; }
};

// Resolves --log-bin / --log-bin-index against the data directory.
Result<BinlogNames> ResolveBinlogNames(const std::string& datadir, const std::string& log_bin,
                                       const std::string& log_bin_index,
                                       const std::string& hostname = "localhost");

// "master-bin.000042" with stem "master-bin" -> 42; false when the name is
// not stem + "." + digits.
bool ParseSequence(const std::string& file_name, const std::string& stem, uint32_t* seq);

// The file-name part of an index line ("./log/a.000001" -> "a.000001").
std::string BaseName(const std::string& path);

// Resolves an index line to a path: relative lines are relative to datadir.
std::string ResolveIndexEntry(const std::string& datadir, const std::string& entry);

// Reads the index; a missing file is an empty list. Blank lines are skipped.
Result<std::vector<std::string>> ReadIndexFile(const std::string& path);

// Replaces the index with `entries` (durably).
Status WriteIndexFile(const std::string& path, const std::vector<std::string>& entries);

// fsync of the directory holding `path`, so a create/rename/unlink survives.
void SyncParentDir(const std::string& path);

}  // namespace reptut::binlog
