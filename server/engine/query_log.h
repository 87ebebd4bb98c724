// The general query log and the slow query log, in MariaDB's file format,
// so a student can watch what every session -- the replica's SQL thread
// too -- runs. Settings as mariadbd has them: general_log, general_log_file
// (default <hostname>.log), slow_query_log, slow_query_log_file (default
// <hostname>-slow.log), long_query_time, log_output (FILE writes; TABLE is
// accepted and writes nothing, NONE writes nothing). Relative file names
// are against the data directory.
//
// The server's QueryLog lives with its global variables (variables.h):
// SET GLOBAL of one of them reaches QueryLog::Set, which opens, closes or
// switches files. A log that is off costs one atomic load per entry.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "config/server_options.h"
#include "engine/response.h"

namespace reptut::engine {

class ServerState;
class SessionState;

// What the slow log says of one statement.
struct SlowEntry {
  uint32_t thread_id = 0;
  std::string priv_user, user, host, db;
  std::chrono::steady_clock::duration took{};
  uint64_t rows_sent = 0;
  time_t start = 0;  // SET timestamp=...
  std::string_view text;
};

class QueryLog {
 public:
  explicit QueryLog(const config::ServerOptions& o);
  ~QueryLog();
  QueryLog(const QueryLog&) = delete;
  QueryLog& operator=(const QueryLog&) = delete;

  // Whether entries are written now (the log is on and log_output has FILE).
  bool general_on() const { return general_on_.load(std::memory_order_relaxed); }
  bool slow_on() const { return slow_on_.load(std::memory_order_relaxed); }

  // A global variable was set (canonical value: booleans "0"/"1"); other
  // variables are ignored. Returns the variable that had to turn OFF
  // ("general_log" / "slow_query_log") when its file did not open, else "".
  std::string_view Set(std::string_view name, const std::string& value);
  // FLUSH LOGS: closes the files and opens them again, by name.
  void Reopen(bool general, bool slow);

  // Called (with the log's variable name) when a log turns itself off
  // because its file did not open at its first entry after start-up.
  void OnTurnedOff(std::function<void(std::string_view variable)> f) { turned_off_ = std::move(f); }

  void WriteGeneral(uint32_t thread_id, std::string_view command, std::string_view text);
  void WriteSlow(const SlowEntry& e);

 private:
  struct File {
    explicit File(const char* w) : what(w) {}
    const char* what;        // "general" / "slow", for messages
    std::string name;        // as set (relative: against the data directory)
    bool enabled = false;    // general_log / slow_query_log
    std::FILE* f = nullptr;  // open while enabled
    bool tried = false;      // an open was attempted since enabling/renaming
    time_t last_time = -1;   // the second of the last time column written
  };
  bool OpenLocked(File& file);  // opens (appending) and writes the header
  void CloseLocked(File& file);
  bool ReadyLocked(File& file);  // open, trying once if not yet
  void UpdateFlagsLocked();

  std::string datadir_, header_;
  std::mutex mu_;
  File general_{"general"}, slow_{"slow"};
  bool to_file_ = true;  // log_output has FILE
  std::string slow_db_;  // the database of the last slow entry ("use db;")
  std::atomic<bool> general_on_{false}, slow_on_{false};
  std::function<void(std::string_view)> turned_off_;
};

// One general log entry: `command` is MySQL's name for it ("Connect",
// "Query", "Init DB", "Quit", ...), `text` its argument.
void LogGeneral(SessionState& s, std::string_view command, std::string_view text);

// A statement that ran `took`: a slow log entry when that is longer than the
// session's long_query_time.
void LogSlow(SessionState& s, std::string_view text, std::chrono::steady_clock::duration took,
             uint64_t rows_sent);

// Times the statement it is made for and counts the rows sent through
// sink(); its end writes the slow log entry (LogSlow). With the slow log
// off, sink() is the client's sink itself and nothing is timed.
class SlowLogScope : private ResponseSink {
 public:
  SlowLogScope(SessionState& s, std::string_view text, ResponseSink& client);
  ~SlowLogScope() override;
  ResponseSink& sink() { return active_ ? *this : client_; }

 private:
  void SendOk(const OkInfo& ok, uint16_t status_flags) override;
  void SendError(const Error& error) override;
  void SendColumns(const std::vector<ColumnInfo>& columns) override;
  bool SendRow(const Row& row) override;
  void SendEof(uint16_t warnings, uint16_t status_flags) override;
  Result<std::string> ReadLocalFile(const std::string& file) override {
    return client_.ReadLocalFile(file);
  }

  SessionState& s_;
  std::string_view text_;
  ResponseSink& client_;
  bool active_;
  uint64_t rows_ = 0;
  std::chrono::steady_clock::time_point start_;
};

// FLUSH LOGS (what == "logs"), FLUSH GENERAL LOGS ("general logs"), FLUSH
// SLOW LOGS ("slow logs"): the files are opened again by name, so a
// rotated file is left alone and a new one started.
void ReopenQueryLogs(ServerState& server, std::string_view what = "logs");

}  // namespace reptut::engine
