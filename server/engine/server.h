// The server as a whole: the data directory, accounts, global variables,
// the sessions that are connected, the binary log. One per process.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "config/server_options.h"
#include "engine/session.h"

namespace reptut::binlog {
class BinlogWriter;
}

namespace reptut::engine {

class ServerState;  // private to the engine
class SlaveRegistry;
class ReplicaService;

class Server {
 public:
  // Opens the data directory (which must have been initialized) and
  // everything in it. Errors name the file and the cause.
  static Result<std::unique_ptr<Server>> Open(const config::ServerOptions& options);

  // Creates the data directory for --initialize-insecure: system tables,
  // root@localhost without a password, database `test`.
  static Status Initialize(const config::ServerOptions& options);

  ~Server();

  const config::ServerOptions& options() const;

  // A new session, for an accepted connection or the server's own work.
  // max_connections is the network layer's to enforce (net/connection.cc).
  Result<std::unique_ptr<Session>> NewSession();

  // SHUTDOWN statement, COM_SHUTDOWN, SIGTERM: wakes WaitForShutdown().
  void RequestShutdown();
  bool shutdown_requested() const;
  void WaitForShutdown();

  // Interrupts every session (their handlers shut the sockets down), then
  // closes the data files and the binary log. Called once, after the
  // network layer stopped accepting.
  void Close();

  // --- Replication ----------------------------------------------------
  // The binary log (null without --log-bin): binlog dump threads read it.
  binlog::BinlogWriter* binlog() const;
  uint32_t server_id() const;
  // The replicas registered with this master, and the logs dumps read.
  SlaveRegistry& slaves();
  // The replica side (server/replication): set once, before the first
  // connection; statements answer as a non-replica while it is null.
  void SetReplicaService(ReplicaService* replica);
  // A global system variable's value (SHOW GLOBAL VARIABLES text), and its
  // change by the server itself (START SLAVE takes sql_slave_skip_counter).
  std::optional<std::string> GlobalVariable(const std::string& name) const;
  void SetGlobalVariable(const std::string& name, const std::string& value);

 private:
  explicit Server(std::unique_ptr<ServerState> state);
  // Start-up: applies what the commit log has and the data files do not
  // (recovery.cc).
  Status ReplayCommitLog();
  std::unique_ptr<ServerState> state_;
};

}  // namespace reptut::engine
