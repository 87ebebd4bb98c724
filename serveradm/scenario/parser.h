// Reads a scenario file (YAML, yaml-cpp) into a Scenario and checks it
// completely before anything runs: a YAML error, an unknown key or step kind,
// a missing field, a server that is not declared, a ${name} used before a
// step captures it. Each error names the file, line and column and what was
// expected there. The format is documented in scenarios/README.md.
#pragma once

#include <stdexcept>
#include <string>

#include "scenario/model.h"

namespace serveradm::scenario {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(const Mark& mark, const std::string& what)
      : std::runtime_error(mark.ToString() + ": " + what), mark_(mark) {}
  const Mark& mark() const { return mark_; }

 private:
  Mark mark_;
};

// `source` names the text in errors ("scenarios/add-slave.yaml").
Scenario Parse(const std::string& text, const std::string& source, const std::string& name);

// Splits SQL text into statements at semicolons outside quotes, backticks
// and comments; empty statements are dropped.
std::vector<std::string> SplitStatements(const std::string& sql);

// The ${name} references in `text`, in order.
std::vector<std::string> References(const std::string& text);

}  // namespace serveradm::scenario
