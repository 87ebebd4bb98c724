// System variables: the table of those the server knows, their scope, type
// and default, the global values (one map for the server) and the session
// values (one map per session, copied from the globals at connect as MySQL
// does). Values are kept as text in canonical form: booleans "0"/"1",
// numbers in decimal; SHOW VARIABLES prints booleans as ON/OFF.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/server_options.h"

namespace reptut::engine {

class QueryLog;

enum class VarScope { kGlobal, kSession, kBoth };
enum class VarType { kBool, kInt, kString };

struct VarDef {
  std::string name;  // lowercase
  VarScope scope = VarScope::kBoth;
  VarType type = VarType::kString;
  bool read_only = false;
  bool needs_super = true;  // for SET GLOBAL (and SET SESSION of the guarded ones)
  // SET SESSION refused (1621 "SESSION variable '...' is read-only. Use SET
  // GLOBAL to assign the value"), as MySQL 5.7 and MariaDB do for
  // max_allowed_packet: the connection applies the global value.
  bool session_read_only = false;
  // The canonical form of a value, or its error, for a variable whose
  // values a type alone does not check (log_output, long_query_time, ...).
  Result<std::string> (*normalize)(const VarDef& def, std::string_view value) = nullptr;
};

enum class SetScope { kDefault, kSession, kGlobal };

class GlobalVariables {
 public:
  explicit GlobalVariables(const config::ServerOptions& options);
  ~GlobalVariables();

  const VarDef* Find(std::string_view name) const;  // case-insensitive
  std::optional<std::string> Get(std::string_view name) const;
  // No checks. The query log variables (general_log, ...) act at once: a
  // log whose file does not open reads OFF afterwards.
  void SetInternal(std::string_view name, std::string value);
  // Changes with every SetInternal (sessions cache values read from here).
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Values of the session-scope variables, for a new session.
  std::map<std::string, std::string> SessionDefaults() const;
  std::vector<std::pair<std::string, std::string>> All() const;  // sorted

  // Canonical form of `value` for the variable, or an error (1231/1232).
  static Result<std::string> Normalize(const VarDef& def, std::string_view value);
  static std::string Display(const VarDef& def, const std::string& value);  // ON/OFF

  // The general and slow query logs these variables drive (query_log.h).
  QueryLog& query_log() { return *query_log_; }

 private:
  std::map<std::string, VarDef> defs_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> values_;
  std::atomic<uint64_t> generation_{0};
  std::unique_ptr<QueryLog> query_log_;
};

}  // namespace reptut::engine
