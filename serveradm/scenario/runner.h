// Runs a scenario's steps against a tutorial directory, in this process,
// through serveradm's own commands (add, start, replicate, ...) and the
// client library.
//
// Design notes
// ------------
// A step runs, then the checks it carries; its result is passed or failed,
// with a time. The runner never sleeps a fixed time: wait_for polls its
// query with a bound, and every serveradm command it calls waits the same
// way. Connections are kept per (server, user) between steps, so a session
// can hold a lock across steps as a student's terminal would, and are
// dropped after any step that may restart a server.
//
//   not run --RunStep--> passed
//                     \-> failed   (the run stops; the report has expected,
//                                   seen, and the error logs' tails)
//            \--flavor not listed--> skipped
//
// Variables: ${name} in a step is expanded when it runs, from the captures
// of earlier steps and the predefined values (model.h).
#pragma once

#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "client.h"
#include "scenario/model.h"
#include "scenario/report.h"

namespace serveradm::scenario {

// Set from a SIGINT/SIGTERM handler: a waiting step gives up at once and the
// run stops after the current step.
extern volatile std::sig_atomic_t g_interrupted;

class Runner {
 public:
  Runner(const Scenario& scenario, std::filesystem::path dir, std::string flavor);
  ~Runner();

  // `serveradm setup flavor=...` in the directory.
  void Setup();
  // Runs step `index` (0-based). With `checks_only`, the step's own action
  // is not done, only its checks (the student did the action by hand).
  StepResult RunStep(size_t index, bool checks_only = false);
  // The exact commands a step runs, as --step shows them (variables expanded
  // where they have a value).
  std::vector<std::string> Commands(size_t index) const;
  std::string Label(size_t index) const;

  std::map<std::string, std::string>& captures() { return captures_; }
  // SIGKILLs every server of the directory (before removing it).
  void KillAll();
  void DropConnections() { connections_.clear(); }

 private:
  std::map<std::string, std::string> Vars() const;
  Connection& Connect(const std::string& server, const std::string& user,
                      const std::string& password, const std::string& database);
  void RunAction(const Step& s, StepResult& r);
  // `cap_s` > 0 bounds a wait_for check's timeout (a student's `check`
  // answers within seconds rather than waiting out each timeout).
  CheckResult RunCheck(const Check& c, double cap_s = 0);
  std::vector<std::string> ServersOf(const Step& s) const;

  const Scenario& scenario_;
  std::filesystem::path dir_;
  std::string flavor_;
  std::map<std::string, std::string> captures_;
  std::map<std::string, Connection> connections_;
};

}  // namespace serveradm::scenario
