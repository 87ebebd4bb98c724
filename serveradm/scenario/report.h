// The outcome of a scenario run: each step, its time, pass or fail, and on a
// failure what was expected, what was seen and the tail of the servers'
// error logs. Printed as short lines for people, or as JSON for grading tools.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace serveradm::scenario {

enum class Status { kPassed, kFailed, kSkipped, kNotRun };
const char* StatusName(Status s);  // "passed", "failed", "skipped", "not run"

struct CheckResult {
  std::string label;  // "expect on slave: SELECT ..."
  std::string why;
  bool ok = false;
  std::string expected, seen;
};

struct StepResult {
  size_t index = 0;  // 1-based
  std::string kind, label, why;
  std::vector<std::string> commands;  // the exact SQL or command, as shown by --step
  Status status = Status::kNotRun;
  double seconds = 0;
  std::string expected, seen;  // on failure
  std::string detail;          // on failure: the error, the timeout message
  std::string skip_reason;
  std::vector<std::pair<std::string, std::string>> error_logs;  // server -> last lines
  std::vector<CheckResult> checks;
};

struct Report {
  std::string name, title, source, flavor, directory;
  bool passed = false;
  double seconds = 0;
  std::string outcome;  // "passed", "failed", "stopped at step 3", "skipped: ..."
  std::vector<StepResult> steps;
};

// "  3/12 ok     0.04s  replicate slave from master"
std::string StepLine(const StepResult& r, size_t total);
// The indented block after a failed step's line.
std::string FailureBlock(const StepResult& r);
std::string ToJson(const Report& r);
// A JSON string literal (also used by `serveradm status --json`).
std::string JsonQuote(const std::string& s);

}  // namespace serveradm::scenario
