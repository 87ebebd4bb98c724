// Where scenarios come from: the built-in ones (scenarios/*.yaml, compiled
// into serveradm) or any file a person names.
#pragma once

#include <string>
#include <vector>

namespace serveradm::scenario {

struct ScenarioText {
  std::string name;    // "add-slave", or the file's stem
  std::string source;  // "scenarios/add-slave.yaml", or the path as given
  std::string path;    // absolute path for a file; empty for a built-in
  std::string text;
};

// The built-in scenarios' names, in the order of the lessons.
std::vector<std::string> BuiltinNames();

// NAME is a built-in scenario or the path of a scenario file. Throws Failure
// naming the built-in ones when it is neither.
ScenarioText LoadScenario(const std::string& name_or_path);

}  // namespace serveradm::scenario
