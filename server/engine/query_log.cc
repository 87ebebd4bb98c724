// The general and slow query logs (query_log.h): one mutex around each
// file's writes; the files open on the first entry after start-up, and at
// once when SET GLOBAL turns a log on or renames it, or FLUSH LOGS reopens.
#include "engine/query_log.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/log.h"
#include "common/mysql_types.h"
#include "engine/server_state.h"

namespace reptut::engine {
namespace {

std::string ProgramPath() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("reptutd");
}

// "261206  1:27:21": MariaDB's time column (yymmdd h:mm:ss, local time).
std::string TimeColumn(time_t t) {
  struct tm tm;
  ::localtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d %2d:%02d:%02d", tm.tm_year % 100, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool HasFile(std::string_view log_output) {
  std::string upper(log_output);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper.find("FILE") != std::string::npos;
}

}  // namespace

QueryLog::QueryLog(const config::ServerOptions& o) : datadir_(o.datadir) {
  header_ = ProgramPath() + ", Version: " + mysql::kServerVersion +
            " (Reptut replication sandbox server). started with:\nTcp port: " +
            std::to_string(o.skip_networking ? 0 : o.port) + "  Unix socket: " + o.socket +
            "\nTime\t\t    Id Command\tArgument\n";
  general_.name = o.general_log_file;
  general_.enabled = o.general_log;
  slow_.name = o.slow_query_log_file;
  slow_.enabled = o.slow_query_log;
  to_file_ = HasFile(o.log_output);
  UpdateFlagsLocked();
}

QueryLog::~QueryLog() {
  CloseLocked(general_);
  CloseLocked(slow_);
}

void QueryLog::UpdateFlagsLocked() {
  general_on_.store(general_.enabled && to_file_, std::memory_order_relaxed);
  slow_on_.store(slow_.enabled && to_file_, std::memory_order_relaxed);
}

bool QueryLog::OpenLocked(File& file) {
  CloseLocked(file);
  file.tried = true;
  std::string path =
      !file.name.empty() && file.name[0] == '/' ? file.name : datadir_ + "/" + file.name;
  file.f = std::fopen(path.c_str(), "a");
  if (file.f == nullptr) {
    int err = errno;
    log::ErrorLine("Could not use " + path + " for logging (error " + std::to_string(err) + ": " +
                   std::strerror(err) + "). Turning the " + file.what +
                   " query log off; fix the cause and turn it on again.");
    file.enabled = false;
    UpdateFlagsLocked();
    return false;
  }
  std::fwrite(header_.data(), 1, header_.size(), file.f);
  std::fflush(file.f);
  return true;
}

void QueryLog::CloseLocked(File& file) {
  if (file.f != nullptr) std::fclose(file.f);
  file.f = nullptr;
}

bool QueryLog::ReadyLocked(File& file) {
  if (!file.enabled) return false;
  if (file.f == nullptr && !file.tried && !OpenLocked(file) && turned_off_) {
    turned_off_(&file == &general_ ? "general_log" : "slow_query_log");
  }
  return file.f != nullptr;
}

std::string_view QueryLog::Set(std::string_view name, const std::string& value) {
  File* file = nullptr;
  if (name == "general_log" || name == "general_log_file") {
    file = &general_;
  } else if (name == "slow_query_log" || name == "slow_query_log_file") {
    file = &slow_;
  } else if (name == "log_output") {
    std::lock_guard<std::mutex> lock(mu_);
    to_file_ = HasFile(value);
    UpdateFlagsLocked();
    return {};
  } else {
    return {};
  }
  std::lock_guard<std::mutex> lock(mu_);
  bool wanted = file->enabled;
  if (name.ends_with("_file")) {
    if (file->name == value) return {};
    file->name = value;
    if (file->enabled) OpenLocked(*file);
  } else {
    wanted = value == "1";
    if (wanted && !file->enabled) {
      file->enabled = true;
      OpenLocked(*file);
    } else if (!wanted) {
      file->enabled = false;
      CloseLocked(*file);
    }
  }
  UpdateFlagsLocked();
  if (wanted && !file->enabled) return file == &general_ ? "general_log" : "slow_query_log";
  return {};
}

void QueryLog::Reopen(bool general, bool slow) {
  std::lock_guard<std::mutex> lock(mu_);
  if (general && general_.enabled) OpenLocked(general_);
  if (slow && slow_.enabled) OpenLocked(slow_);
  UpdateFlagsLocked();
}

void QueryLog::WriteGeneral(uint32_t thread_id, std::string_view command, std::string_view text) {
  time_t now = ::time(nullptr);
  std::lock_guard<std::mutex> lock(mu_);
  if (!ReadyLocked(general_)) return;
  std::string line;
  line.reserve(32 + command.size() + text.size());
  if (now != general_.last_time) {
    line = TimeColumn(now) + "\t";
    general_.last_time = now;
  } else {
    line = "\t\t";
  }
  char id[16];
  std::snprintf(id, sizeof id, "%6u ", thread_id);
  line.append(id).append(command).append("\t").append(text).append("\n");
  std::fwrite(line.data(), 1, line.size(), general_.f);
  std::fflush(general_.f);
}

void QueryLog::WriteSlow(const SlowEntry& e) {
  time_t now = ::time(nullptr);
  double secs = std::chrono::duration<double>(e.took).count();
  char buf[160];
  std::lock_guard<std::mutex> lock(mu_);
  if (!ReadyLocked(slow_)) return;
  std::string out;
  if (now != slow_.last_time) {
    out = "# Time: " + TimeColumn(now) + "\n";
    slow_.last_time = now;
  }
  out += "# User@Host: " + e.priv_user + "[" + e.user + "] @ " + e.host + " []\n";
  out += "# Thread_id: " + std::to_string(e.thread_id) + "  Schema: " + e.db + "  QC_hit: No\n";
  std::snprintf(buf, sizeof buf,
                "# Query_time: %.6f  Lock_time: 0.000000  Rows_sent: %llu  Rows_examined: 0\n",
                secs, static_cast<unsigned long long>(e.rows_sent));
  out += buf;
  if (!e.db.empty() && e.db != slow_db_) {
    out += "use `" + e.db + "`;\n";
    slow_db_ = e.db;
  }
  out += "SET timestamp=" + std::to_string(static_cast<long long>(e.start)) + ";\n";
  out.append(e.text);
  if (e.text.empty() || e.text.back() != ';') out += ";";
  out += "\n";
  std::fwrite(out.data(), 1, out.size(), slow_.f);
  std::fflush(slow_.f);
}

void LogGeneral(SessionState& s, std::string_view command, std::string_view text) {
  QueryLog& log = s.server->globals.query_log();
  if (!log.general_on()) return;
  if (s.SessionVar("sql_log_off") == "1") return;
  log.WriteGeneral(s.id, command, text);
}

void LogSlow(SessionState& s, std::string_view text, std::chrono::steady_clock::duration took,
             uint64_t rows_sent) {
  QueryLog& log = s.server->globals.query_log();
  if (!log.slow_on()) return;
  double long_query_time = std::strtod(s.SessionVar("long_query_time").c_str(), nullptr);
  if (std::chrono::duration<double>(took).count() <= long_query_time) return;
  SlowEntry e;
  e.thread_id = s.id;
  e.priv_user = s.account.user;
  e.user = s.user;
  e.host = s.client_host;
  e.db = s.db;
  e.took = took;
  e.rows_sent = rows_sent;
  // When the statement started: SET TIMESTAMP's value when one is in
  // effect (the replica's SQL thread applies the master's), else the clock.
  uint32_t set_timestamp = s.Hot().timestamp;
  e.start = set_timestamp != 0
                ? static_cast<time_t>(set_timestamp)
                : ::time(nullptr) - std::chrono::duration_cast<std::chrono::seconds>(took).count();
  e.text = text;
  log.WriteSlow(e);
}

SlowLogScope::SlowLogScope(SessionState& s, std::string_view text, ResponseSink& client)
    : s_(s), text_(text), client_(client), active_(s.server->globals.query_log().slow_on()) {
  if (active_) start_ = std::chrono::steady_clock::now();
}

SlowLogScope::~SlowLogScope() {
  if (active_) LogSlow(s_, text_, std::chrono::steady_clock::now() - start_, rows_);
}

void SlowLogScope::SendOk(const OkInfo& ok, uint16_t status_flags) {
  client_.SendOk(ok, status_flags);
}

void SlowLogScope::SendError(const Error& error) {
  client_.SendError(error);
}

void SlowLogScope::SendColumns(const std::vector<ColumnInfo>& columns) {
  client_.SendColumns(columns);
}

bool SlowLogScope::SendRow(const Row& row) {
  ++rows_;
  return client_.SendRow(row);
}

void SlowLogScope::SendEof(uint16_t warnings, uint16_t status_flags) {
  client_.SendEof(warnings, status_flags);
}

void ReopenQueryLogs(ServerState& server, std::string_view what) {
  server.globals.query_log().Reopen(what == "logs" || what == "general logs",
                                    what == "logs" || what == "slow logs");
}

}  // namespace reptut::engine
