// Processes: running a program to completion (bootstraps), launching a server
// detached from serveradm (Boost.Process), pid files, and waiting for a
// process that is not our child to exit without sleeping (pidfd + poll).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace serveradm {

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs argv to completion in `cwd`, collecting its output.
RunResult RunProgram(const std::vector<std::string>& argv, const std::filesystem::path& cwd);

// A server launched by serveradm: detached from serveradm's session so that
// it outlives it, and from its terminal so Ctrl-C in it does not stop it.
class LaunchedProcess {
 public:
  // stdout and stderr are appended to `log`.
  LaunchedProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                  const std::filesystem::path& log);
  ~LaunchedProcess();
  int pid() const;
  // Still running? Otherwise exit_code() says how it ended.
  bool Running();
  int exit_code() const { return exit_code_; }
  // Forget the process: it goes on running on its own.
  void Detach();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int exit_code_ = -1;
};

bool ProcessAlive(int pid);
// Waits until pid exits or `timeout` passes; true if it exited.
bool WaitForExit(int pid, std::chrono::milliseconds timeout);
// The pid recorded in a pid file; nullopt when missing or junk.
std::optional<int> ReadPidFile(const std::filesystem::path& file);
// The command line of a live process, arguments joined by spaces.
std::string ProcessCommandLine(int pid);
// The current directory of a live process (empty if unreadable).
std::filesystem::path ProcessCwd(int pid);

// The last `n` lines of a text file (for error logs).
std::string LastLines(const std::filesystem::path& file, size_t n);

}  // namespace serveradm
