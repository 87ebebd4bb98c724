// Backups as gzip-compressed tar (ustar) archives, written and read here so
// that takebackup and loadslave can show the bytes copied as they go.
// `tar tzf FILE` lists them; `tar xzf FILE` unpacks them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

namespace serveradm {

// (bytes done, bytes in all)
using ProgressFn = std::function<void(uint64_t, uint64_t)>;

// Archives the regular files and directories below `root` as `prefix`/...,
// leaving out top-level entries named in `exclude`. Returns bytes of file data.
uint64_t WriteArchive(const std::filesystem::path& archive, const std::filesystem::path& root,
                      const std::string& prefix, const std::set<std::string>& exclude,
                      const ProgressFn& progress);

// Unpacks the entries below `prefix`/ into `dest`. Returns bytes of file data.
// Throws Failure on a malformed archive or an entry escaping `dest`.
uint64_t ReadArchive(const std::filesystem::path& archive, const std::string& prefix,
                     const std::filesystem::path& dest, const ProgressFn& progress);

// Reads one small file stored in the archive at `name` (e.g. data/binlog_pos.dat).
std::string ReadArchiveMember(const std::filesystem::path& archive, const std::string& name);

}  // namespace serveradm
