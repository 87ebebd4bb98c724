// The relay log: where the replica's I/O thread stores what it fetched from
// the master, for the SQL thread to apply.
//
// Files `<relay-log>.NNNNNN` (default `<hostname>-relay-bin`) and their index
// (`<relay-log>.index`), binlog v4 like the master's, readable by
// mariadb-binlog: each starts with this server's Format_description event
// (flag LOG_EVENT_RELAY_LOG_F), then come the master's events byte for byte
// with the master's end_log_pos (the fake Rotate naming the master's file,
// the master's FDE, its statements), and a file the relay log rotated away
// from ends with a Rotate of this server (flag LOG_EVENT_RELAY_LOG_F) naming
// the next relay file. The checksum setting of a file follows the master's
// binlog_checksum, so that a reader checks every event alike.
//
// A new file starts when replication starts (START SLAVE of the I/O thread,
// server start), at FLUSH LOGS / FLUSH RELAY LOGS, and when the file passes
// max_relay_log_size (max_binlog_size when 0). CHANGE MASTER TO and RESET
// SLAVE delete every relay log and start again at .000001. At server start
// the relay logs of the last run are deleted (relay_log_recovery): the
// I/O thread fetches again from where the SQL thread's committed position
// is, which is the one position a crash cannot make wrong.
//
// Thread-safe: the I/O thread appends, the SQL thread reads files (never
// past End() in the active one) and purges those it finished, statements
// list and show them.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "binlog/binlog_writer.h"
#include "binlog/show_binlog_events.h"
#include "common/status.h"
#include "config/server_options.h"

namespace reptut::replication {

class RelayLog {
 public:
  // Opens the relay log of `options` with a new file, deleting the files of
  // the last run.
  static Result<std::unique_ptr<RelayLog>> Open(const config::ServerOptions& options);

  // Events as the master sent them (each with its CRC when the master's log
  // has them); visible to the SQL thread at once. Rotates past the size limit.
  Status Append(std::vector<std::string> events);
  // A new file (FLUSH RELAY LOGS; a new connection to the master); with the
  // checksum setting of the master it will hold events of.
  Status Rotate(bool checksum);
  // Deletes every relay log and starts again at .000001 (CHANGE MASTER TO,
  // RESET SLAVE).
  Status Reset(bool checksum);
  // The end of what was appended: the SQL thread reads up to here.
  binlog::LogPosition End() const;
  // Waits until End() differs from `seen`; false on timeout. With `stop`,
  // also returns (false) once *stop is true: whoever sets it calls
  // WakeWaiters() (STOP SLAVE, so that it does not wait out the timeout).
  bool WaitForUpdate(const binlog::LogPosition& seen, std::chrono::milliseconds timeout,
                     const std::atomic<bool>* stop = nullptr) const;
  void WakeWaiters() const;
  bool checksum() const;

  // The files, oldest first, with their sizes (Relay_Log_Space).
  Result<std::vector<binlog::LogFileInfo>> List() const;
  uint64_t Space() const;
  // Deletes the relay logs before `file` (relay_log_purge).
  Status PurgeBefore(const std::string& file);
  std::string PathOf(const std::string& file) const { return writer_->PathOf(file); }
  // What relay-log.info calls a file: "./slave-relay-bin.000003" (as the index does).
  std::string IndexEntry(const std::string& file) const {
    return writer_->names().IndexEntry(file);
  }
  // The file after `file` in the index ("" when it is the last).
  std::string NextFile(const std::string& file) const;
  bool Exists(const std::string& file) const;

  // SHOW RELAYLOG EVENTS.
  Result<std::vector<binlog::ShowEventRow>> ShowEvents(const binlog::ShowEventsRequest& r) const;

  Status Close();

 private:
  explicit RelayLog(std::unique_ptr<binlog::BinlogWriter> writer) : writer_(std::move(writer)) {}
  std::unique_ptr<binlog::BinlogWriter> writer_;
};

}  // namespace reptut::replication
