// mysqld's options for reptutd: from MySQL option files and the command line,
// by mysqld's rules, into ServerOptions.
//
//   ParseServerOptions({"reptutd", "--defaults-file=master.cnf"})
//
// Which option files are read is decided by LoadDefaults() (defaults.h):
// --no-defaults, --defaults-file=F, --defaults-extra-file=F,
// --defaults-group-suffix=S first, then --print-defaults. An option unknown
// to reptutd in a file of the default search (/etc/my.cnf,
// /etc/mysql/my.cnf, ~/.my.cnf: Debian's MariaDB keeps its own options
// there) is a warning; anywhere else it is an error. Groups read: [mysqld]
// [server] [mysqld-5.7] [reptutd], and each with the group suffix. The
// command line comes last; the last setting wins.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/environment.h"
#include "config/file_system.h"
#include "config/server_options.h"

namespace reptut::config {

// The groups reptutd reads, with `suffix` ones after the plain ones.
std::vector<std::string> ServerOptionGroups(std::string_view suffix);

// Reads the option files and argv (argv[0] = program name). Errors are worded
// as mysqld words them, with " in config file F at line N" for options that
// came from a file.
Result<ServerOptions> ParseServerOptions(const std::vector<std::string>& argv);
Result<ServerOptions> ParseServerOptions(const std::vector<std::string>& argv,
                                         const Environment& env, const FileSystem& fs);

// "<program> would have been started with the following arguments:\n<args> \n"
std::string PrintDefaultsText(const ServerOptions& options, std::string_view program);

}  // namespace reptut::config
