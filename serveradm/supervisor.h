// Supervising the servers of a tutorial directory.
//
// Design notes
// ------------
// A server is observed, never assumed: serveradm keeps no daemon and no
// in-memory state between commands, so every command looks again at what is
// on disk and on the socket.
//
//   state     pid file          process            login over socket
//   running   yes               alive, is ours     succeeds
//   starting  yes or no         alive, is ours     fails (not ready yet)
//   stopped   no                none               -
//   crashed   yes (stale)       gone, or another   -
//
// "is ours" means the process's command line names NAME.cnf or its current
// directory is NAME/data (mysqld changes into its data directory), so a pid
// reused by an unrelated process is not mistaken for the server.
//
// Transitions:
//   stopped  --start--> starting --login ok--> running
//   starting --process exits--> start fails: the error log's last lines are
//                               printed and the command exits non-zero
//   running  --stop: SIGTERM, clean shutdown within the timeout--> stopped
//   running  --stop: timeout passed, SIGKILL--> stopped ("killed")
//   running  --kill -9 / crash--> crashed (pid file left behind)
//   crashed  --start: stale pid file removed, said so--> starting
//
// A start never sleeps a fixed time: it polls a real login (the server is
// ready only when it accepts one) every few milliseconds, bounded by the
// flavor's start timeout, and watches the process so that an early exit is
// reported at once instead of at the timeout. A stop waits on a pidfd, which
// wakes when the process exits. Starts of several servers run in parallel.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "context.h"

namespace serveradm {

enum class State { kRunning, kStarting, kStopped, kCrashed };
std::string ToString(State s);

struct Observation {
  State state = State::kStopped;
  int pid = 0;
  std::string detail;  // why: "stale pid file (pid 123 is gone)", ...
};

Observation Observe(const Context& ctx, const ServerEntry& s);

// Starts the server and returns when a login succeeds. Throws Failure naming
// the server, the step and the cause (with the error log's tail when the
// server exited). Returns false if it was already running.
// `timeout_s` 0 means the flavor's start timeout.
bool StartServer(const Context& ctx, const ServerEntry& s, int timeout_s = 0);

enum class StopHow { kNotRunning, kClean, kKilled };
// Clean shutdown (SIGTERM) within the flavor's timeout, else SIGKILL.
// `timeout_s` 0 means the flavor's shutdown timeout.
StopHow StopServer(const Context& ctx, const ServerEntry& s, int timeout_s = 0);

// Runs `fn` for each server in parallel threads, collecting failures;
// reports each failure and returns how many failed.
template <typename Fn>
int ForEachParallel(const std::vector<const ServerEntry*>& servers, Fn fn);

// The servers named on the command line ("all" or none meaning every one).
std::vector<const ServerEntry*> SelectServers(const Context& ctx,
                                              const std::vector<std::string>& names);

}  // namespace serveradm

#include "supervisor_inl.h"
