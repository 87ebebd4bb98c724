// Any bytes given to the scenario parser give a Scenario or a ScenarioError;
// anything else (a crash, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    serveradm::scenario::Parse(text, "fuzz.yaml", "fuzz");
  } catch (const serveradm::scenario::ScenarioError&) {
  }
  return 0;
}
