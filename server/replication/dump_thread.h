// The master's binlog dump: what a connection does after COM_BINLOG_DUMP,
// streaming the binary log to a replica (or `mariadb-binlog -R`) as MySQL
// 5.7 and MariaDB 10.11 masters do. Design notes in dump_thread.cc.
//
// The dump knows nothing of sockets: it writes packet payloads to a
// PacketSink (the network layer adapts its packet channel), and reads the
// server through a DumpContext (the binary log, this server's id, what the
// replica said in its user variables, where to show its state). Its end is
// a value: the end of the log (a non-blocking dump: the caller sends EOF),
// an error for the replica (1236 with MySQL's text: the caller sends ERR),
// or a stop (the connection broke, the session was killed, the server is
// shutting down: nothing more to send).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reptut::binlog {
class BinlogWriter;
}

namespace reptut::replication {

// Where the dump's packets go. Each Write() is one packet payload (the
// sink frames it); nothing is sent after the sink broke.
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  virtual void Write(std::string_view payload) = 0;
  // Sends what is buffered; false when the connection is gone.
  virtual bool Flush() = 0;
  virtual bool broken() const = 0;
};

// COM_BINLOG_DUMP's request.
struct DumpRequest {
  std::string file;       // as the replica sent it; "" = the first log of the index
  uint64_t position = 4;  // where the first event to send starts
  uint16_t flags = 0;     // kDumpNonBlock: end at the end of the log
  uint32_t replica_server_id = 0;
};

inline constexpr uint16_t kDumpNonBlock = 0x01;  // BINLOG_DUMP_NON_BLOCK

// What the dump needs from the server and the session.
struct DumpContext {
  binlog::BinlogWriter* binlog = nullptr;  // null: the binary log is off
  uint32_t server_id = 1;                  // this master's (fake events)
  // @master_binlog_checksum as the replica set it (nullopt: never set, so
  // it cannot take events with a CRC).
  std::optional<std::string> checksum_variable;
  // @master_heartbeat_period in nanoseconds (0: no heartbeats).
  uint64_t heartbeat_period_ns = 0;
  // The process-list State column.
  std::function<void(std::string_view)> set_state;
  // The log the dump reads from now on (PURGE keeps it and the later ones).
  std::function<void(const std::string&)> set_reading;
  // Set when the session is killed (checked at every step and wait).
  const std::atomic<bool>* killed = nullptr;
};

// Process-list states (MySQL's and MariaDB's stage texts).
inline constexpr std::string_view kStateSending = "Sending binlog event to slave";
inline constexpr std::string_view kStateWaiting =
    "Master has sent all binlog to slave; waiting for more updates";
inline constexpr std::string_view kStateSwitching =
    "Finished reading one binlog; switching to next binlog";
inline constexpr std::string_view kStateFinalizing = "Waiting to finalize termination";

struct DumpEnd {
  enum class How {
    kEndOfLog,  // non-blocking dump read everything: send EOF
    kError,     // send `error` (1236)
    kStopped,   // the connection broke, the session was killed or the server stops
  };
  How how = How::kStopped;
  Error error;
};

class DumpThread {
 public:
  DumpThread(DumpContext context, PacketSink& sink);
  ~DumpThread();
  DumpThread(const DumpThread&) = delete;
  DumpThread& operator=(const DumpThread&) = delete;

  // Streams until the end (see DumpEnd). Runs on the connection's thread.
  DumpEnd Run(const DumpRequest& request);

  // From any thread: the dump ends as soon as it can (a wait for new
  // events wakes at once). Idempotent.
  void RequestStop();
  bool stop_requested() const { return stop_.load(); }

 private:
  class Impl;
  DumpContext context_;
  PacketSink& sink_;
  std::atomic<bool> stop_{false};
};

}  // namespace reptut::replication
