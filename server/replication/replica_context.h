// What the replica's I/O thread, SQL thread and statements share: the
// configuration from CHANGE MASTER TO (master.info), where each thread
// stands, their states and errors as SHOW SLAVE STATUS prints them. One
// mutex guards it; `changed` is notified whenever a position, a state or
// an error changes (MASTER_POS_WAIT and the threads wait on it).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "binlog/binlog_writer.h"
#include "config/server_options.h"
#include "engine/server.h"
#include "replication/master_info.h"

namespace reptut::replication {

class RelayLog;

// A thread's last error, as SHOW SLAVE STATUS shows it.
struct ThreadError {
  uint32_t code = 0;
  std::string message;
  std::string timestamp;  // "YYMMDD HH:MM:SS"
  void Clear() { *this = ThreadError{}; }
};

// "YYMMDD HH:MM:SS" of now, as Last_IO_Error_Timestamp shows it.
std::string ErrorTimestamp();

enum class IoRunning { kNo, kConnecting, kYes };

struct IoStatus {
  IoRunning running = IoRunning::kNo;
  std::string state;  // Slave_IO_State
  ThreadError error;
  uint32_t master_server_id = 0;
  std::string master_uuid;
  int64_t clock_diff = 0;   // this server's clock minus the master's, seconds
  uint64_t heartbeats = 0;  // Slave_received_heartbeats
  std::chrono::steady_clock::time_point last_heartbeat{};
};

enum class Until { kNone, kMaster, kRelay };

struct SqlStatus {
  bool running = false;
  std::string state;  // Slave_SQL_Running_State
  ThreadError error;
  binlog::LogPosition relay;  // Relay_Log_File (base name), Relay_Log_Pos
  binlog::LogPosition exec;   // Relay_Master_Log_File, Exec_Master_Log_Pos
  // Seconds_Behind_Master: the master's time of the last event applied.
  int64_t last_master_timestamp = 0;
  uint64_t events_applied = 0;  // MASTER_POS_WAIT's count
  uint64_t skip_counter = 0;    // Skip_Counter (sql_slave_skip_counter taken at start)
  Until until = Until::kNone;
  binlog::LogPosition until_pos;
};

struct ReplicaContext {
  ReplicaContext(engine::Server& s, const config::ServerOptions& o) : server(s), options(o) {}
  engine::Server& server;
  const config::ServerOptions& options;
  RelayLog* relay = nullptr;  // open once the server is a replica

  std::mutex mu;
  std::condition_variable changed;
  // --- guarded by mu ---
  bool configured = false;  // CHANGE MASTER TO done (master.info exists)
  MasterInfo mi;            // connection settings; log_file/log_pos: Read_Master_Log_Pos
  IoStatus io;
  SqlStatus sql;
};

}  // namespace reptut::replication
