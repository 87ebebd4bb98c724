// Command-line parsing. The seed's syntax (`add name=master roles=master`) and
// long options (`add --name=master --roles master`) both work; flags such as
// --json, --dot, --explain, --force take no value.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace serveradm {

struct Args {
  std::string command;
  std::vector<std::string> positional;        // words without '=' after the command
  std::map<std::string, std::string> values;  // key=value and --key=value
  std::set<std::string> flags;                // --json, --explain, ...

  bool Flag(const std::string& f) const { return flags.count(f) != 0; }
  std::optional<std::string> Get(const std::string& key) const;
  std::string GetOr(const std::string& key, const std::string& fallback) const;
  // Parses an unsigned number; UsageError naming the key on junk.
  std::optional<unsigned long> GetNumber(const std::string& key, unsigned long max) const;
};

// Flags that never take a value; every other --option does.
const std::set<std::string>& KnownFlags();

// Parses argv[1..]. Keys are normalised: '-' becomes '_' ("server-id" and
// "server_id" are the same key), and the seed's "role=" is taken as "roles=".
Args ParseArgs(const std::vector<std::string>& argv);

// Throws UsageError if `args` has a key or flag outside `keys`/`flags`, or
// more positional words than `max_positional`, naming the valid ones.
void CheckArgs(const Args& args, const std::set<std::string>& keys,
               const std::set<std::string>& flags, size_t max_positional);

// Roles as the seed spells them: "master", "slave", "master,slave" (any order).
struct Roles {
  bool master = false;
  bool slave = false;
  std::string ToString() const;  // "master", "slave" or "master,slave"
};
Roles ParseRoles(const std::string& text);  // UsageError listing the valid roles

}  // namespace serveradm
