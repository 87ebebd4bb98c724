#include "process.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cstdio>
#include <deque>
#include <fstream>
#include <thread>

#include "failure.h"

namespace serveradm {

namespace bp = boost::process;
namespace fs = std::filesystem;

RunResult RunProgram(const std::vector<std::string>& argv, const fs::path& cwd) {
  RunResult r;
  bp::ipstream out;
  std::error_code ec;
  bp::child c(bp::exe = argv[0], bp::args = std::vector<std::string>(argv.begin() + 1, argv.end()),
              bp::start_dir = cwd.string(), (bp::std_out & bp::std_err) > out,
              bp::std_in < bp::null, ec);
  if (ec) {
    r.output = "cannot run " + argv[0] + ": " + ec.message();
    return r;
  }
  std::string line;
  while (std::getline(out, line)) r.output += line + "\n";
  c.wait();
  r.exit_code = c.exit_code();
  return r;
}

struct LaunchedProcess::Impl {
  bp::child child;
};

LaunchedProcess::LaunchedProcess(const std::vector<std::string>& argv, const fs::path& cwd,
                                 const fs::path& log)
    : impl_(std::make_unique<Impl>()) {
  FILE* out = std::fopen(log.c_str(), "a");
  if (!out) throw Failure("", "launch " + argv[0], "cannot open " + log.string() + " for output");
  std::error_code ec;
  impl_->child = bp::child(
      bp::exe = argv[0], bp::args = std::vector<std::string>(argv.begin() + 1, argv.end()),
      bp::start_dir = cwd.string(), bp::std_out > out, bp::std_err > out, bp::std_in < bp::null,
      bp::extend::on_exec_setup =
          [](auto&) {
            ::setsid();
    // serveradm's own descriptors (client sockets, the config lock)
    // must not leak into the server: mark them close-on-exec.
#ifdef SYS_close_range
            ::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
#endif
          },
      ec);
  std::fclose(out);
  if (ec) throw Failure("", "launch " + argv[0], ec.message());
}

LaunchedProcess::~LaunchedProcess() = default;

int LaunchedProcess::pid() const {
  return impl_->child.id();
}

bool LaunchedProcess::Running() {
  std::error_code ec;
  if (impl_->child.running(ec)) return true;
  exit_code_ = impl_->child.exit_code();
  return false;
}

void LaunchedProcess::Detach() {
  impl_->child.detach();
}

bool ProcessAlive(int pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  // A zombie has exited: it only waits for its parent to reap it.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  std::getline(stat, s);
  auto close = s.rfind(')');
  if (close != std::string::npos && close + 2 < s.size() && s[close + 2] == 'Z') return false;
  return true;
}

bool WaitForExit(int pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
#ifdef SYS_pidfd_open
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0) {
    // The pidfd becomes readable when the process exits: no polling loop.
    while (ProcessAlive(pid)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 250)));
    }
    ::close(fd);
    return !ProcessAlive(pid);
  }
#endif
  while (ProcessAlive(pid) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return !ProcessAlive(pid);
}

std::optional<int> ReadPidFile(const fs::path& file) {
  std::ifstream in(file);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<int>(pid);
}

std::string ProcessCommandLine(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : s)
    if (c == '\0') c = ' ';
  return s;
}

fs::path ProcessCwd(int pid) {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
  return ec ? fs::path() : p;
}

std::string LastLines(const fs::path& file, size_t n) {
  std::ifstream in(file);
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > n) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += "    " + l + "\n";
  return out;
}

}  // namespace serveradm
