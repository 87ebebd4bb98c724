// Checking a query's outcome against an Expectation: pure, no I/O. The
// verdict says, in words a student reads, what was expected and what was seen.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "client.h"
#include "scenario/model.h"

namespace serveradm::scenario {

// Replaces each ${name} by vars[name]; a name not in `vars` throws
// std::out_of_range naming it.
std::string Expand(const std::string& text, const std::map<std::string, std::string>& vars);

struct Verdict {
  bool ok = true;
  std::string expected;  // empty when ok
  std::string seen;
};

bool MatchValue(const Matcher& m, const std::optional<std::string>& value,
                const std::map<std::string, std::string>& vars);

// `outcome` is the query's rows or its error.
Verdict Evaluate(const Expectation& e, const Expected<Rows>& outcome,
                 const std::map<std::string, std::string>& vars);

// Rows as a short table for a report: "[['1', 'a'], ['2', NULL]]".
std::string FormatRows(const Rows& rows, size_t max_rows = 10);

}  // namespace serveradm::scenario
