// System variables: the table of those the server knows, their scope, type
// and default, the global values (one map for the server) and the session
// values (one map per session, copied from the globals at connect as MySQL
// does). Values are kept as text in canonical form: booleans "0"/"1",
// numbers in decimal; SHOW VARIABLES prints booleans as ON/OFF.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/server_options.h"

namespace reptut::engine {

enum class VarScope { kGlobal, kSession, kBoth };
enum class VarType { kBool, kInt, kString };

struct VarDef {
  std::string name;  // lowercase
  VarScope scope = VarScope::kBoth;
  VarType type = VarType::kString;
  bool read_only = false;
  bool needs_super = true;  // for SET GLOBAL (and SET SESSION of the guarded ones)
};

enum class SetScope { kDefault, kSession, kGlobal };

class GlobalVariables {
 public:
  explicit GlobalVariables(const config::ServerOptions& options);

  const VarDef* Find(std::string_view name) const;  // case-insensitive
  std::optional<std::string> Get(std::string_view name) const;
  void SetInternal(std::string_view name, std::string value);  // no checks
  // Changes with every SetInternal (sessions cache values read from here).
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Values of the session-scope variables, for a new session.
  std::map<std::string, std::string> SessionDefaults() const;
  std::vector<std::pair<std::string, std::string>> All() const;  // sorted

  // Canonical form of `value` for the variable, or an error (1231/1232).
  static Result<std::string> Normalize(const VarDef& def, std::string_view value);
  static std::string Display(const VarDef& def, const std::string& value);  // ON/OFF

 private:
  std::map<std::string, VarDef> defs_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> values_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace reptut::engine
