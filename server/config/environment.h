// What option parsing needs from the process besides argv, gathered in one
// place so the parser stays a pure function of its inputs.
#pragma once

#include <optional>
#include <string>

namespace reptut::config {

struct Environment {
  std::string cwd;                          // for a relative datadir / defaults file
  std::string home;                         // $HOME, for ~/.my.cnf and "~/" in paths
  std::string hostname;                     // default pid file, error log and log names
  std::string tmpdir;                       // $TMPDIR; the default tmpdir when set
  std::optional<std::string> mysql_home;    // $MYSQL_HOME: $MYSQL_HOME/my.cnf is searched
  std::optional<std::string> group_suffix;  // $MYSQL_GROUP_SUFFIX

  static Environment FromProcess();
};

}  // namespace reptut::config
