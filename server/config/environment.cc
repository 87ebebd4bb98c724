#include "config/environment.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace reptut::config {

Environment Environment::FromProcess() {
  Environment env;
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  env.cwd = ec ? "/" : cwd.string();
  if (const char* h = std::getenv("HOME")) env.home = h;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) env.hostname = host;
  if (const char* t = std::getenv("TMPDIR")) env.tmpdir = t;
  if (const char* m = std::getenv("MYSQL_HOME")) env.mysql_home = m;
  if (const char* g = std::getenv("MYSQL_GROUP_SUFFIX")) env.group_suffix = g;
  return env;
}

}  // namespace reptut::config
