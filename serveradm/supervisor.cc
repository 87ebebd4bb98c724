#include "supervisor.h"

#include <fcntl.h>
#include <sys/file.h>

#include <signal.h>

#include <chrono>
#include <thread>

#include "failure.h"
#include "ports.h"
#include "process.h"
#include "teacher.h"

namespace serveradm {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string ToString(State s) {
  switch (s) {
    case State::kRunning:
      return "running";
    case State::kStarting:
      return "starting";
    case State::kStopped:
      return "stopped";
    case State::kCrashed:
      return "crashed";
  }
  return "?";
}

namespace {

bool IsOurs(const Context& ctx, const ServerEntry& s, int pid) {
  if (!ProcessAlive(pid)) return false;
  const ServerPaths p = ctx.Paths(s.name);
  std::string cmd = ProcessCommandLine(pid);
  for (const char* before : {"=", "/"})
    if (cmd.find(before + s.name + ".cnf") != std::string::npos) return true;
  std::error_code ec;
  return fs::equivalent(ProcessCwd(pid), p.datadir, ec);
}

bool CanLogin(const Context& ctx, const ServerEntry& s) {
  ConnectOptions o;
  o.socket = ctx.Paths(s.name).socket.string();
  o.connect_timeout_s = 1;
  return Connection::Open(o).ok();
}

}  // namespace

Observation Observe(const Context& ctx, const ServerEntry& s) {
  const ServerPaths p = ctx.Paths(s.name);
  Observation o;
  auto pid = ReadPidFile(p.pid_file);
  if (pid && IsOurs(ctx, s, *pid)) {
    o.pid = *pid;
    o.state = CanLogin(ctx, s) ? State::kRunning : State::kStarting;
    if (o.state == State::kStarting) o.detail = "process alive but no login succeeds";
    return o;
  }
  if (pid) {
    o.state = State::kCrashed;
    o.pid = *pid;
    o.detail = "stale pid file " + p.pid_file.filename().string() + ": pid " +
               std::to_string(*pid) + " is not running";
    return o;
  }
  o.state = State::kStopped;
  return o;
}

namespace {
// One start of a server at a time: two serveradm commands starting the same
// server (two `start all` at once) would otherwise both launch it, and the
// second would fail on the port the first holds. Held until the start ends.
class StartLock {
 public:
  explicit StartLock(const fs::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~StartLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  StartLock(const StartLock&) = delete;
  StartLock& operator=(const StartLock&) = delete;

 private:
  int fd_ = -1;
};
}  // namespace

bool StartServer(const Context& ctx, const ServerEntry& s, int timeout_s) {
  if (timeout_s <= 0) timeout_s = ctx.flavor().StartTimeoutSeconds();
  Teacher& t = Teacher::Get();
  const ServerPaths p = ctx.Paths(s.name);
  std::error_code mk;
  fs::create_directories(ctx.dir() / "tmp", mk);
  StartLock lock(ctx.dir() / "tmp" / (s.name + ".start.lock"));
  Observation o = Observe(ctx, s);
  if (o.state == State::kRunning) return false;
  if (o.state == State::kStarting)
    throw Failure(s.name, "start",
                  "pid " + std::to_string(o.pid) + " is running but does not accept logins");
  if (o.state == State::kCrashed) {
    t.Warn("serveradm: server '" + s.name + "': start: " + o.detail +
           " (the server crashed or was killed); removing it");
    std::error_code ec;
    fs::remove(p.pid_file, ec);
    fs::remove(p.socket, ec);
  }
  if (!fs::exists(p.cnf)) throw Failure(s.name, "start", p.cnf.filename().string() + " is missing");
  if (!CanBind(s.port)) {
    auto holder = PortHolder(s.port);
    throw Failure(s.name, "start",
                  "port " + std::to_string(s.port) + " is taken by another process" +
                      (holder ? " (" + *holder + ")" : "") +
                      "; stop it, or remove and re-add this server to get a free port");
  }
  std::vector<std::string> argv = {ctx.programs().mysqld, "--defaults-file=" + s.name + ".cnf"};
  t.Process(s.name, {"./mysqld", argv[1]},
            "start the server with its option file; serveradm then polls until a login works");
  fs::create_directories(p.logdir);
  LaunchedProcess proc(argv, ctx.dir(), p.error_log);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (true) {
    if (CanLogin(ctx, s)) break;
    if (!proc.Running()) {
      throw Failure(s.name, "start",
                    "the server exited during start-up (exit code " +
                        std::to_string(proc.exit_code()) + "); last lines of " +
                        fs::relative(p.error_log, ctx.dir()).string() + ":\n" +
                        LastLines(p.error_log, 15));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(proc.pid(), SIGKILL);
      throw Failure(
          s.name, "start",
          "no login succeeded within " + std::to_string(ctx.flavor().StartTimeoutSeconds()) +
              " s; killed it. Last lines of the error log:\n" + LastLines(p.error_log, 15));
    }
    std::this_thread::sleep_for(2ms);  // poll interval of the readiness check
  }
  proc.Detach();
  return true;
}

StopHow StopServer(const Context& ctx, const ServerEntry& s, int timeout_s) {
  Teacher& t = Teacher::Get();
  const ServerPaths p = ctx.Paths(s.name);
  Observation o = Observe(ctx, s);
  std::error_code ec;
  if (o.state == State::kStopped) return StopHow::kNotRunning;
  if (o.state == State::kCrashed) {
    t.Warn("serveradm: server '" + s.name + "': stop: " + o.detail + "; removing it");
    fs::remove(p.pid_file, ec);
    fs::remove(p.socket, ec);
    return StopHow::kNotRunning;
  }
  t.Process(s.name, {"kill", "-TERM", std::to_string(o.pid)},
            "SIGTERM asks the server for a clean shutdown (as mysqladmin shutdown does)");
  ::kill(o.pid, SIGTERM);
  int timeout = timeout_s > 0 ? timeout_s : ctx.flavor().ShutdownTimeoutSeconds();
  if (WaitForExit(o.pid, std::chrono::seconds(timeout))) return StopHow::kClean;
  t.Process(s.name, {"kill", "-KILL", std::to_string(o.pid)},
            "no clean shutdown within " + std::to_string(timeout) + " s");
  ::kill(o.pid, SIGKILL);
  WaitForExit(o.pid, 10s);
  fs::remove(p.pid_file, ec);
  fs::remove(p.socket, ec);
  return StopHow::kKilled;
}

std::vector<const ServerEntry*> SelectServers(const Context& ctx,
                                              const std::vector<std::string>& names) {
  std::vector<const ServerEntry*> out;
  if (names.empty() || (names.size() == 1 && names[0] == "all")) {
    for (const auto& s : ctx.config().servers) out.push_back(&s);
    return out;
  }
  for (const auto& n : names) out.push_back(&ctx.Server(n));
  return out;
}

}  // namespace serveradm
