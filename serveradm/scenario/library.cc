#include "scenario/library.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

#include "failure.h"

namespace serveradm {
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedScenarios();
}

namespace serveradm::scenario {

namespace fs = std::filesystem;

namespace {

// The lessons' order; a built-in file not listed here comes after them.
const std::vector<std::string> kLessonOrder = {
    "basic-master-slave",     "binlog-tour",  "add-slave", "clone-slave",   "dual-master",
    "point-in-time-recovery", "broken-slave", "outage",    "promote-slave", "read-scale-out"};

std::string Stem(std::string_view file) {
  std::string s(file);
  if (s.size() > 5 && s.substr(s.size() - 5) == ".yaml") s.resize(s.size() - 5);
  return s;
}

}  // namespace

std::vector<std::string> BuiltinNames() {
  std::vector<std::string> embedded;
  for (const auto& [file, text] : EmbeddedScenarios())
    if (file.size() > 5 && file.substr(file.size() - 5) == ".yaml" &&
        file.find('/') == std::string_view::npos)
      embedded.push_back(Stem(file));
  std::vector<std::string> out;
  for (const auto& n : kLessonOrder)
    if (std::find(embedded.begin(), embedded.end(), n) != embedded.end()) out.push_back(n);
  for (const auto& n : embedded)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

ScenarioText LoadScenario(const std::string& name_or_path) {
  const bool looks_like_path = name_or_path.find('/') != std::string::npos ||
                               name_or_path.find(".yaml") != std::string::npos ||
                               name_or_path.find(".yml") != std::string::npos;
  if (!looks_like_path) {
    for (const auto& [file, text] : EmbeddedScenarios())
      if (Stem(file) == name_or_path)
        return {name_or_path, "scenarios/" + std::string(file), "", std::string(text)};
  }
  std::error_code ec;
  if (fs::is_regular_file(name_or_path, ec)) {
    std::ifstream in(name_or_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) throw Failure("", "read scenario", "cannot read " + name_or_path);
    return {Stem(fs::path(name_or_path).filename().string()), name_or_path,
            fs::absolute(name_or_path).string(), ss.str()};
  }
  std::string names;
  for (const auto& n : BuiltinNames()) names += (names.empty() ? "" : ", ") + n;
  throw Failure(
      "", "find scenario",
      "'" + name_or_path + "' is neither a built-in scenario (" + names + ") nor a scenario file");
}

}  // namespace serveradm::scenario
