#include "common/log.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace reptut::log {
namespace {
std::atomic<int> g_fd{2};
}

bool OpenErrorLog(const std::string& path, std::string* why) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    if (why) *why = "Can't open error log '" + path + "'";
    return false;
  }
  int old = g_fd.exchange(fd);
  if (old > 2) ::close(old);
  return true;
}

void Write(Level level, std::string_view text, unsigned long thread_id) {
  time_t now = ::time(nullptr);
  struct tm tm;
  ::localtime_r(&now, &tm);
  char head[96];
  const char* tag = level == Level::kNote ? "Note" : level == Level::kWarning ? "Warning" : "ERROR";
  int n =
      std::snprintf(head, sizeof head, "%04d-%02d-%02d %2d:%02d:%02d %lu [%s] ", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, thread_id, tag);
  std::string line(head, n > 0 ? static_cast<size_t>(n) : 0);
  line.append(text);
  line.push_back('\n');
  ssize_t rc = ::write(g_fd.load(), line.data(), line.size());
  (void)rc;
}

}  // namespace reptut::log
