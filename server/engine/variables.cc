#include "engine/variables.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "common/errors.h"
#include "common/mysql_types.h"
#include "engine/query_log.h"
#include "sql/sql_mode.h"

namespace reptut::engine {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Hostname() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

std::string Bool(bool b) {
  return b ? "1" : "0";
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// long_query_time: seconds, fractional; a negative value is 0 (MariaDB
// warns of the truncation); shown with six decimals.
Result<std::string> Seconds(const VarDef& def, std::string_view value) {
  std::string v(value);
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end == nullptr || *end != '\0') {
    return MakeError(ER_WRONG_TYPE_FOR_VAR, {def.name});
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", std::max(0.0, d));
  return std::string(buf);
}

// A number cut to [kMin, kMax] and down to a multiple of kBlock, as mysqld
// does (it warns of the truncation): max_allowed_packet, connect_timeout,
// max_connections, which the network layer applies.
template <long long kMin, long long kMax, long long kBlock>
Result<std::string> Bounded(const VarDef& def, std::string_view value) {
  VarDef plain = def;
  plain.normalize = nullptr;
  Result<std::string> v = GlobalVariables::Normalize(plain, value);
  if (!v.ok()) return v;
  long long n = std::clamp(std::strtoll(v->c_str(), nullptr, 10), kMin, kMax);
  return std::to_string(n - n % kBlock);
}

// sql_mode: a number (what mariadb-binlog writes: SET @@session.sql_mode=
// 1411383296) is the set of the modes of its bits, shown by name.
Result<std::string> SqlMode(const VarDef&, std::string_view value) {
  if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::string(value);
  }
  return sql::SqlModeText(std::strtoull(std::string(value).c_str(), nullptr, 10));
}

// log_output: a set of NONE, FILE, TABLE, shown in that order.
Result<std::string> LogOutput(const VarDef& def, std::string_view value) {
  static const char* const kMembers[] = {"NONE", "FILE", "TABLE"};
  bool has[3] = {};
  std::string v = Lower(value);
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = std::min(v.find(',', start), v.size());
    std::string member = v.substr(start, comma - start);
    size_t i = 0;
    while (i < 3 && Lower(kMembers[i]) != member) ++i;
    if (i == 3) return MakeError(ER_WRONG_VALUE_FOR_VAR, {def.name, std::string(value)});
    has[i] = true;
    start = comma + 1;
  }
  std::string out;
  for (size_t i = 0; i < 3; ++i) {
    if (has[i]) out += (out.empty() ? "" : ",") + std::string(kMembers[i]);
  }
  return out;
}

// general_log_file / slow_query_log_file: not empty, not a directory, and
// an absolute name in a directory that exists (a relative one is in the
// data directory).
Result<std::string> LogFileName(const VarDef& def, std::string_view value) {
  std::string v(value);
  struct stat st;
  bool bad = v.empty() || (::stat(v.c_str(), &st) == 0 && S_ISDIR(st.st_mode));
  if (!bad && v[0] == '/') {
    std::string dir = v.substr(0, std::max<size_t>(v.rfind('/'), 1));
    bad = ::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode);
  }
  if (bad) return MakeError(ER_WRONG_VALUE_FOR_VAR, {def.name, v});
  return v;
}

std::string NewUuid() {
  std::random_device rd;
  std::mt19937_64 gen(
      (static_cast<uint64_t>(rd()) << 32) ^ rd() ^
      static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
  uint64_t a = gen(), b = gen();
  a = (a & ~0xF000ull) | 0x1000ull;                         // version 1, as mysqld's
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFFF),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return buf;
}

// server_uuid: read from <datadir>/auto.cnf ("[auto]\nserver-uuid=..."), or
// made up and written there the first time, as MySQL 5.7 does -- so a data
// directory copied with its auto.cnf gives the copy the same UUID.
std::string ServerUuid(const std::string& datadir) {
  if (datadir.empty()) return NewUuid();
  std::string path = datadir + "/auto.cnf";
  if (std::FILE* f = std::fopen(path.c_str(), "r")) {
    char line[256];
    std::string uuid;
    while (std::fgets(line, sizeof line, f)) {
      std::string l(line);
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r' || l.back() == ' ')) l.pop_back();
      if (l.rfind("server-uuid=", 0) == 0) uuid = l.substr(12);
    }
    std::fclose(f);
    if (uuid.size() == 36) return uuid;
  }
  std::string uuid = NewUuid();
  struct stat st;
  if (::stat(datadir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    if (std::FILE* f = std::fopen(path.c_str(), "w")) {
      std::fprintf(f, "[auto]\nserver-uuid=%s\n", uuid.c_str());
      std::fclose(f);
    }
  }
  return uuid;
}

}  // namespace

GlobalVariables::~GlobalVariables() = default;

GlobalVariables::GlobalVariables(const config::ServerOptions& o) {
  using T = VarType;
  using S = VarScope;
  auto def = [&](const char* name, S scope, T type, std::string value, bool ro = false,
                 bool super = true) -> VarDef& {
    defs_[name] = VarDef{name, scope, type, ro, super};
    values_[name] = std::move(value);
    return defs_[name];
  };
  std::string version = mysql::kServerVersion;
  // Identity and paths.
  def("version", S::kGlobal, T::kString, version, true);
  def("version_comment", S::kGlobal, T::kString, "Reptut replication sandbox server", true);
  def("version_compile_os", S::kGlobal, T::kString, "Linux", true);
  def("version_compile_machine", S::kGlobal, T::kString, "x86_64", true);
  def("protocol_version", S::kGlobal, T::kInt, "10", true);
  def("hostname", S::kGlobal, T::kString, Hostname(), true);
  def("server_id", S::kGlobal, T::kInt, std::to_string(o.server_id));
  def("server_uuid", S::kGlobal, T::kString, ServerUuid(o.datadir), true);
  def("port", S::kGlobal, T::kInt, std::to_string(o.port), true);
  def("socket", S::kGlobal, T::kString, o.socket, true);
  def("bind_address", S::kGlobal, T::kString, o.bind_address, true);
  def("skip_networking", S::kGlobal, T::kBool, Bool(o.skip_networking), true);
  def("datadir", S::kGlobal, T::kString, o.datadir + "/", true);
  def("basedir", S::kGlobal, T::kString, o.basedir, true);
  def("tmpdir", S::kGlobal, T::kString, o.tmpdir.empty() ? "/tmp" : o.tmpdir, true);
  def("pid_file", S::kGlobal, T::kString, o.pid_file, true);
  def("log_error", S::kGlobal, T::kString, o.log_error.empty() ? "stderr" : o.log_error, true);
  def("license", S::kGlobal, T::kString, "GPL", true);
  def("have_ssl", S::kGlobal, T::kString, "DISABLED", true);
  def("have_openssl", S::kGlobal, T::kString, "DISABLED", true);
  def("default_storage_engine", S::kBoth, T::kString, "InnoDB");
  def("storage_engine", S::kBoth, T::kString, "InnoDB");
  def("system_time_zone", S::kGlobal, T::kString, "UTC", true);
  def("time_zone", S::kBoth, T::kString, "SYSTEM", false, false);
  def("lower_case_table_names", S::kGlobal, T::kInt, "0", true);
  // Limits.
  // A new connection takes max_allowed_packet from the global value; the
  // session's copy is read-only (VarDef::session_read_only).
  VarDef& max_allowed_packet =
      def("max_allowed_packet", S::kBoth, T::kInt, std::to_string(o.max_allowed_packet));
  max_allowed_packet.normalize = Bounded<1024, 1073741824, 1024>;
  max_allowed_packet.session_read_only = true;
  def("net_buffer_length", S::kBoth, T::kInt, "16384").session_read_only = true;
  def("max_connections", S::kGlobal, T::kInt, std::to_string(o.max_connections)).normalize =
      Bounded<1, 100000, 1>;
  def("wait_timeout", S::kBoth, T::kInt, "28800", false, false);
  def("interactive_timeout", S::kBoth, T::kInt, "28800", false, false);
  def("net_read_timeout", S::kBoth, T::kInt, "30", false, false);
  def("net_write_timeout", S::kBoth, T::kInt, "60", false, false);
  def("connect_timeout", S::kGlobal, T::kInt, "10").normalize = Bounded<2, 31536000, 1>;
  def("lock_wait_timeout", S::kBoth, T::kInt, "31536000", false, false);
  def("innodb_lock_wait_timeout", S::kBoth, T::kInt, "50", false, false);
  def("sql_select_limit", S::kBoth, T::kInt, "18446744073709551615", false, false);
  def("max_execution_time", S::kBoth, T::kInt, "0", false, false);
  // MariaDB's statement time limit: seconds, fractional, 0 = none.
  def("max_statement_time", S::kBoth, T::kString, "0.000000", false, false).normalize = Seconds;
  // Character sets.
  std::string cs = o.character_set_server.empty() ? "latin1" : o.character_set_server;
  std::string coll = cs == "latin1" ? "latin1_swedish_ci" : cs + "_general_ci";
  for (const char* n :
       {"character_set_client", "character_set_connection", "character_set_results"}) {
    def(n, S::kBoth, T::kString, cs, false, false);
  }
  def("character_set_server", S::kBoth, T::kString, cs, false, false);
  def("character_set_database", S::kBoth, T::kString, cs, false, false);
  def("character_set_filesystem", S::kBoth, T::kString, "binary", false, false);
  def("character_set_system", S::kGlobal, T::kString, "utf8", true);
  def("collation_connection", S::kBoth, T::kString, coll, false, false);
  def("collation_server", S::kBoth, T::kString, coll, false, false);
  def("collation_database", S::kBoth, T::kString, coll, false, false);
  def("lc_time_names", S::kBoth, T::kString, "en_US", false, false);
  // Behaviour.
  def("autocommit", S::kBoth, T::kBool, "1", false, false);
  def("sql_mode", S::kBoth, T::kString,
      o.sql_mode.empty() ? "STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION" : o.sql_mode, false, false)
      .normalize = SqlMode;
  def("sql_auto_is_null", S::kBoth, T::kBool, "0", false, false);
  def("sql_safe_updates", S::kBoth, T::kBool, "0", false, false);
  def("sql_notes", S::kBoth, T::kBool, "1", false, false);
  def("sql_warnings", S::kBoth, T::kBool, "0", false, false);
  def("sql_quote_show_create", S::kBoth, T::kBool, "1", false, false);
  def("sql_big_selects", S::kBoth, T::kBool, "1", false, false);
  def("foreign_key_checks", S::kBoth, T::kBool, "1", false, false);
  def("unique_checks", S::kBoth, T::kBool, "1", false, false);
  // From the option file or command line (auto-increment-increment=2),
  // which has checked the range 1..65535.
  auto option = [&](const char* name, const char* fallback) {
    auto it = o.all.find(name);
    if (it == o.all.end() || it->second.empty()) return std::string(fallback);
    for (char c : it->second) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::string(fallback);
    }
    return it->second;
  };
  def("auto_increment_increment", S::kBoth, T::kInt, option("auto_increment_increment", "1"), false,
      false);
  def("auto_increment_offset", S::kBoth, T::kInt, option("auto_increment_offset", "1"), false,
      false);
  def("tx_isolation", S::kBoth, T::kString, "REPEATABLE-READ", false, false);
  def("transaction_isolation", S::kBoth, T::kString, "REPEATABLE-READ", false, false);
  def("tx_read_only", S::kBoth, T::kBool, "0", false, false);
  def("transaction_read_only", S::kBoth, T::kBool, "0", false, false);
  def("completion_type", S::kBoth, T::kString, "NO_CHAIN", false, false);
  def("max_insert_delayed_threads", S::kBoth, T::kInt, "20", false, false);
  def("read_only", S::kGlobal, T::kBool, Bool(o.read_only));
  // super_read_only ON also turns read_only ON, read_only OFF turns it OFF
  // (exec_set.cc); with it even SUPER may not write (session.cc).
  auto has_option = [&](const char* name) {
    auto it = o.all.find(name);
    if (it == o.all.end()) return false;
    std::string v = Lower(it->second);
    return v.empty() || v == "1" || v == "on" || v == "true";
  };
  bool super_read_only = has_option("super_read_only");
  def("super_read_only", S::kGlobal, T::kBool, Bool(super_read_only));
  if (super_read_only) values_["read_only"] = "1";
  def("init_connect", S::kGlobal, T::kString, "");
  def("pseudo_slave_mode", S::kSession, T::kBool, "0");
  // What Debian's mariadb-binlog writes before the statements it replays:
  // accepted so that its output loads here, as on MariaDB.
  def("max_delayed_threads", S::kBoth, T::kInt, "20", false, false);
  def("check_constraint_checks", S::kSession, T::kBool, "1", false, false);
  def("system_versioning_insert_history", S::kSession, T::kBool, "0", false, false);
  def("gtid_domain_id", S::kBoth, T::kInt, "0");
  def("gtid_seq_no", S::kSession, T::kInt, "0");
  def("skip_parallel_replication", S::kSession, T::kBool, "0", false, false);
  def("sql_if_exists", S::kBoth, T::kBool, "0", false, false);
  def("old_alter_table", S::kBoth, T::kString, "DEFAULT", false, false);
  def("skip_replication", S::kSession, T::kBool, "0");
  def("query_cache_type", S::kBoth, T::kString, "OFF", false, false);
  def("query_cache_size", S::kGlobal, T::kInt, "0");
  // Caches reptutd does not have (SQLite keeps its own page cache): shown,
  // read only, for monitoring tools (pt-mysql-summary computes with them).
  def("have_query_cache", S::kGlobal, T::kString, "NO", true);
  def("key_buffer_size", S::kGlobal, T::kInt, option("key_buffer_size", "0"), true);
  def("key_cache_block_size", S::kGlobal, T::kInt, "1024", true);
  def("table_open_cache", S::kGlobal, T::kInt, option("table_open_cache", "2000"), true);
  def("performance_schema", S::kGlobal, T::kBool, "0", true);
  def("event_scheduler", S::kGlobal, T::kString, "OFF");
  def("explicit_defaults_for_timestamp", S::kBoth, T::kBool, "0", false, false);
  // Session-only state that statements set (the binary log replays them).
  def("timestamp", S::kSession, T::kString, "0", false, false);
  def("insert_id", S::kSession, T::kInt, "0", false, false);
  def("last_insert_id", S::kSession, T::kInt, "0", false, false);
  def("identity", S::kSession, T::kInt, "0", false, false);
  def("pseudo_thread_id", S::kSession, T::kInt, "0", false, true);
  def("warning_count", S::kSession, T::kInt, "0", true);
  def("error_count", S::kSession, T::kInt, "0", true);
  def("rand_seed1", S::kSession, T::kInt, "0", false, false);
  def("rand_seed2", S::kSession, T::kInt, "0", false, false);
  // Binary log.
  def("log_bin", S::kGlobal, T::kBool, Bool(o.log_bin_enabled), true);
  def("log_bin_basename", S::kGlobal, T::kString, o.log_bin, true);
  def("log_bin_index", S::kGlobal, T::kString, o.log_bin_index, true);
  def("sql_log_bin", S::kSession, T::kBool, "1");
  def("binlog_format", S::kBoth, T::kString,
      o.binlog_format.empty() ? "STATEMENT" : o.binlog_format);
  def("binlog_checksum", S::kGlobal, T::kString, o.binlog_checksum);
  def("binlog_row_image", S::kBoth, T::kString, "FULL", false, false);
  def("gtid_mode", S::kGlobal, T::kString, "OFF", true);
  def("enforce_gtid_consistency", S::kGlobal, T::kString, "OFF", true);
  def("sync_binlog", S::kGlobal, T::kInt, std::to_string(o.sync_binlog));
  def("max_binlog_size", S::kGlobal, T::kInt, std::to_string(o.max_binlog_size));
  def("expire_logs_days", S::kGlobal, T::kInt, std::to_string(o.expire_logs_days));
  def("binlog_do_db", S::kGlobal, T::kString, Join(o.binlog_do_db), true);
  def("binlog_ignore_db", S::kGlobal, T::kString, Join(o.binlog_ignore_db), true);
  // Replica.
  def("log_slave_updates", S::kGlobal, T::kBool, Bool(o.log_slave_updates), true);
  def("relay_log", S::kGlobal, T::kString, o.relay_log, true);
  def("relay_log_index", S::kGlobal, T::kString, o.relay_log_index, true);
  def("relay_log_info_file", S::kGlobal, T::kString, o.relay_log_info_file, true);
  def("master_info_file", S::kGlobal, T::kString, o.master_info_file, true);
  def("master_info_repository", S::kGlobal, T::kString, "FILE", true);
  def("relay_log_info_repository", S::kGlobal, T::kString, "FILE", true);
  def("max_relay_log_size", S::kGlobal, T::kInt, std::to_string(o.max_relay_log_size));
  def("skip_slave_start", S::kGlobal, T::kBool, Bool(o.skip_slave_start), true);
  def("sql_slave_skip_counter", S::kGlobal, T::kInt, "0");
  def("slave_net_timeout", S::kGlobal, T::kInt, std::to_string(o.slave_net_timeout));
  def("master_retry_count", S::kGlobal, T::kInt, std::to_string(o.master_retry_count), true);
  def("relay_log_purge", S::kGlobal, T::kBool, Bool(o.relay_log_purge), true);
  def("relay_log_recovery", S::kGlobal, T::kBool, "1", true);  // always, see applier.h
  def("relay_log_space_limit", S::kGlobal, T::kInt, "0", true);
  def("slave_skip_errors", S::kGlobal, T::kString, "OFF", true);
  def("replicate_same_server_id", S::kGlobal, T::kBool, Bool(o.replicate_same_server_id), true);
  def("report_host", S::kGlobal, T::kString, o.report_host, true);
  def("report_port", S::kGlobal, T::kInt, std::to_string(o.report_port ? *o.report_port : o.port),
      true);
  def("replicate_do_db", S::kGlobal, T::kString, Join(o.replicate_do_db), true);
  def("replicate_ignore_db", S::kGlobal, T::kString, Join(o.replicate_ignore_db), true);
  def("replicate_do_table", S::kGlobal, T::kString, Join(o.replicate_do_table), true);
  def("replicate_ignore_table", S::kGlobal, T::kString, Join(o.replicate_ignore_table), true);
  def("replicate_wild_do_table", S::kGlobal, T::kString, Join(o.replicate_wild_do_table), true);
  def("replicate_wild_ignore_table", S::kGlobal, T::kString, Join(o.replicate_wild_ignore_table),
      true);
  def("innodb_flush_log_at_trx_commit", S::kGlobal, T::kInt,
      std::to_string(o.innodb_flush_log_at_trx_commit));
  def("innodb_stats_persistent", S::kGlobal, T::kBool, "1");
  // The general and slow query logs (query_log.h).
  def("general_log", S::kGlobal, T::kBool, Bool(o.general_log));
  def("general_log_file", S::kGlobal, T::kString, o.general_log_file).normalize = LogFileName;
  def("slow_query_log", S::kGlobal, T::kBool, Bool(o.slow_query_log));
  def("slow_query_log_file", S::kGlobal, T::kString, o.slow_query_log_file).normalize = LogFileName;
  VarDef& long_query_time = def("long_query_time", S::kBoth, T::kString, "", false, false);
  long_query_time.normalize = Seconds;
  Result<std::string> seconds = Seconds(long_query_time, std::to_string(o.long_query_time));
  values_["long_query_time"] = seconds.ok() ? *seconds : "10.000000";
  VarDef& log_output = def("log_output", S::kGlobal, T::kString, "");
  log_output.normalize = LogOutput;
  Result<std::string> output = LogOutput(log_output, o.log_output);
  values_["log_output"] = output.ok() ? *output : "FILE";
  def("log_slow_admin_statements", S::kGlobal, T::kBool, Bool(o.log_slow_admin_statements));
  def("sql_log_off", S::kBoth, T::kBool, "0");
  // mariadb-admin password reads it to choose the hash it sends (OFF: *HEX).
  def("old_passwords", S::kBoth, T::kBool, "0");
  query_log_ = std::make_unique<QueryLog>(o);
  query_log_->OnTurnedOff([this](std::string_view variable) {
    std::lock_guard<std::mutex> lock(mu_);
    values_[std::string(variable)] = "0";
    generation_.fetch_add(1, std::memory_order_release);
  });
  // LOAD DATA and SELECT ... INTO OUTFILE (exec_load.cc). secure_file_priv:
  // "" = any directory, "NULL" = none (MariaDB's defaults: ON and "").
  auto given = [&](const char* name) -> std::optional<std::string> {
    auto it = o.all.find(name);
    if (it == o.all.end()) return std::nullopt;
    return it->second;
  };
  std::optional<std::string> local_infile = given("local_infile");
  def("local_infile", S::kGlobal, T::kBool,
      local_infile ? (*local_infile == "OFF" || *local_infile == "0" ? "0" : "1") : "1");
  def("secure_file_priv", S::kGlobal, T::kString, given("secure_file_priv").value_or(""), true);
  // Options the server accepted but does not act on still show.
  for (const auto& [name, value] : o.all) {
    std::string n = Lower(name);
    if (!defs_.count(n)) def(n.c_str(), S::kGlobal, T::kString, value, true);
  }
}

const VarDef* GlobalVariables::Find(std::string_view name) const {
  auto it = defs_.find(Lower(name));
  return it == defs_.end() ? nullptr : &it->second;
}

std::optional<std::string> GlobalVariables::Get(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(Lower(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void GlobalVariables::SetInternal(std::string_view name, std::string value) {
  std::string n = Lower(name);
  std::string_view turned_off = query_log_ ? query_log_->Set(n, value) : std::string_view();
  std::lock_guard<std::mutex> lock(mu_);
  values_[n] = std::move(value);
  if (!turned_off.empty()) values_[std::string(turned_off)] = "0";
  generation_.fetch_add(1, std::memory_order_release);
}

std::map<std::string, std::string> GlobalVariables::SessionDefaults() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, std::string> out;
  for (const auto& [name, d] : defs_) {
    if (d.scope != VarScope::kGlobal) out[name] = values_.at(name);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> GlobalVariables::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, std::string>> out(values_.begin(), values_.end());
  return out;
}

Result<std::string> GlobalVariables::Normalize(const VarDef& def, std::string_view value) {
  if (def.normalize != nullptr) return def.normalize(def, value);
  std::string v(value);
  switch (def.type) {
    case VarType::kBool: {
      std::string l = Lower(v);
      if (l == "1" || l == "on" || l == "true") return std::string("1");
      if (l == "0" || l == "off" || l == "false") return std::string("0");
      return MakeError(ER_WRONG_VALUE_FOR_VAR, {def.name, v});
    }
    case VarType::kInt: {
      if (v.empty()) return MakeError(ER_WRONG_TYPE_FOR_VAR, {def.name});
      size_t i = (v[0] == '-') ? 1 : 0;
      if (i == v.size()) return MakeError(ER_WRONG_TYPE_FOR_VAR, {def.name});
      for (; i < v.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(v[i]))) {
          // A real value is truncated to its integer part, as MySQL does.
          if (v[i] == '.') return v.substr(0, i);
          return MakeError(ER_WRONG_TYPE_FOR_VAR, {def.name});
        }
      }
      return v;
    }
    case VarType::kString:
      return v;
  }
  return v;
}

std::string GlobalVariables::Display(const VarDef& def, const std::string& value) {
  if (def.type == VarType::kBool) return value == "1" ? "ON" : "OFF";
  return value;
}

}  // namespace reptut::engine
