// Choosing and reading the option files, as every MySQL program does before
// it looks at its own options (mysys' load_defaults).
//
// The leading arguments --no-defaults, --defaults-file=F,
// --defaults-extra-file=F and --defaults-group-suffix=S (each at most once,
// in any order, before all others), then --print-defaults, say what to read:
//   --no-defaults      nothing;
//   --defaults-file=F  F only (it must exist; --defaults-extra-file is ignored);
//   otherwise          /etc/my.cnf, /etc/mysql/my.cnf, $MYSQL_HOME/my.cnf,
//                      the extra file (it must exist), ~/.my.cnf.
// The group suffix (or $MYSQL_GROUP_SUFFIX) adds each group + suffix.
// Relative file names are taken against the current directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/environment.h"
#include "config/file_system.h"
#include "config/option_file.h"

namespace reptut::config {

struct FileOption {
  OptionEntry entry;
  bool from_default_search = false;  // not from --defaults-file / --defaults-extra-file
};

struct LoadedDefaults {
  std::vector<FileOption> options;  // in the order read
  std::vector<std::string> rest;    // the command line after the arguments above
  bool print_defaults = false;
  std::vector<std::string> warnings;
  std::vector<std::string> files_read;

  // The files' options as arguments ("--port=12000") followed by `rest`.
  std::vector<std::string> Arguments() const;
};

// groups: the program's groups; with a suffix each is also read suffixed.
Result<LoadedDefaults> LoadDefaults(const std::vector<std::string>& argv,
                                    const std::vector<std::string>& groups, const Environment& env,
                                    const FileSystem& fs);

}  // namespace reptut::config
