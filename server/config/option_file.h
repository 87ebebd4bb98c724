// MySQL option files ("my.cnf"), read the way mysqld reads them.
//
//   [group]              starts a group; options belong to the last group seen
//   name=value           also "name = value"; the value may be quoted with ' or "
//   name                 an option without a value
//   # or ; at line start a comment; '#' outside quotes ends the value
//   !include FILE        reads FILE (its options need a group of their own)
//   !includedir DIR      reads DIR's files ending in ".cnf", in name order
//
// Values lose surrounding quotes and have \n \t \r \b \s \" \' \\ replaced;
// an unknown escape keeps its backslash. Names are returned as written; use
// CanonicalOptionName() to compare them ('-' and '_' are the same).
//
// Errors name the file and line: "Found option without preceding group in
// config file /x/master.cnf at line 3", "Wrong group definition ...". Three
// are stricter than mysqld, which passes them silently: a missing !include
// file, an unterminated quote, an unknown !directive. A relative !include
// path is taken against the current directory, as mysqld does. World-writable
// files are skipped with a warning, as mysqld does.
//
// Reusable by any program: give the groups it reads, get the options of those
// groups in file order with their origin.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/file_system.h"

namespace reptut::config {

struct OptionEntry {
  std::string group;                 // as written in the file
  std::string name;                  // as written, without "--"
  std::optional<std::string> value;  // nullopt: "name" alone on its line
  std::string file;
  int line = 0;

  std::string Origin() const { return file + ":" + std::to_string(line); }
  // "--name=value" or "--name", as mysqld puts it on its argument list.
  std::string AsArgument() const;
};

// The name with every '-' made '_' (mysqld's options are case-sensitive).
std::string CanonicalOptionName(std::string_view name);

class OptionFileReader {
 public:
  // groups: the group names to keep (compared without regard to case).
  OptionFileReader(const FileSystem& fs, std::vector<std::string> groups);

  // Reads the file at path (and what it includes), appending the options of
  // the wanted groups to *out. A missing file is an error when required
  // ("Could not open required defaults file: PATH"), else nothing is read.
  Status ReadFile(const std::string& path, bool required, std::vector<OptionEntry>* out);

  // Parses text as the contents of the file `path`. Pure but for includes.
  Status ParseText(std::string_view text, const std::string& path, std::vector<OptionEntry>* out);

  // Non-fatal remarks (world-writable files ignored, include depth reached).
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Every file read so far, includes too, in the order they were read.
  const std::vector<std::string>& files_read() const { return files_read_; }

 private:
  // included_at: "" for a file named by the caller, else " in config file F
  // at line N" of the !include naming it.
  Status ReadAt(const std::string& path, bool required, const std::string& included_at, int depth,
                std::vector<OptionEntry>* out);
  Status ParseAt(std::string_view text, const std::string& path, int depth,
                 std::vector<OptionEntry>* out);
  bool WantGroup(std::string_view group) const;

  const FileSystem& fs_;
  std::vector<std::string> groups_;
  std::vector<std::string> warnings_;
  std::vector<std::string> files_read_;
};

// The options of `groups` from one file: a shorthand for OptionFileReader.
Result<std::vector<OptionEntry>> ReadOptionFile(const FileSystem& fs, const std::string& path,
                                                const std::vector<std::string>& groups);

}  // namespace reptut::config
