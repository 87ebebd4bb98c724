// One client connection, run on its own thread: the handshake, the login
// and the command loop. See the notes at the top of connection.cc.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/server_options.h"
#include "engine/server.h"
#include "engine/session.h"
#include "net/packet_channel.h"
#include "net/socket_handle.h"
#include "protocol/command.h"
#include "protocol/responses.h"

namespace reptut::net {

class Connection {
 public:
  // over_unix_socket: the client came through the Unix socket file (its
  // host is "localhost"); otherwise its host is the peer's IP address.
  // stopping: set by NetServer::Stop(); a connection that ends because of
  // it is not an "Aborted connection". clients: the client connections
  // open, this one included (for max_connections); null: not checked.
  Connection(engine::Server& server, const config::ServerOptions& options,
             std::shared_ptr<SocketHandle> socket, bool over_unix_socket,
             const std::atomic<bool>* stopping = nullptr,
             const std::atomic<size_t>* clients = nullptr);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Serves the client until it quits, fails or is interrupted, then closes
  // the socket. Never throws.
  void Run();

 private:
  bool Greet();
  bool Authenticate();
  void CommandLoop();
  bool Dispatch(const std::string& payload);
  bool DispatchCommand(const protocol::Command& command);
  bool ChangeUser(const protocol::ComChangeUser& command);
  // The bytes read and written since the last call go to the session's
  // Bytes_received / Bytes_sent.
  void ReportTraffic();
  void SendError(const Error& error);
  void LogAborted(const std::string& why) const;
  // A handshake that failed before the login: counted in Aborted_connects,
  // answered when the client can still read (a packet too large for the
  // handshake is a 1043 Bad handshake), logged. Returns false.
  bool FailHandshake(const Error& error);
  // A global variable's value as a number (fallback when unset or 0).
  uint64_t GlobalNumber(const std::string& name, uint64_t fallback) const;
  // kStatusAutocommit when a new session starts with autocommit on.
  uint16_t FreshStatusFlags() const;
  // Asks the client to answer `scramble` with mysql_native_password (it
  // used another plugin); its answer, or the read error.
  Result<std::string> SwitchToNativePassword(const std::string& scramble);
  // What the engine needs to log a user in on this connection.
  engine::LoginRequest LoginFor(const std::string& user, const std::string& database,
                                const std::string& scramble, const std::string& token,
                                uint32_t capabilities) const;

  // A COM_STMT_PREPARE'd statement: its one statement (never run at
  // prepare) is run at each execution with the parameters substituted.
  struct PreparedStatement {
    std::string sql;
    size_t param_count = 0;
    std::vector<uint16_t> types;  // bound by the last execution
    std::vector<std::optional<std::string>> long_data;
  };
  bool DispatchStatementCommand(const protocol::Command& command);
  Result<std::vector<engine::ColumnInfo>> DescribeColumns(const PreparedStatement& st);

  engine::Server& server_;
  const config::ServerOptions& options_;
  std::shared_ptr<SocketHandle> socket_;
  bool over_unix_socket_;
  const std::atomic<bool>* stopping_;
  const std::atomic<size_t>* clients_;
  size_t max_allowed_packet_ = 0;  // @@global.max_allowed_packet at connect
  uint64_t max_connections_ = 0;   // @@global.max_connections at connect
  std::string host_;
  uint16_t port_ = 0;  // the peer's TCP port, 0 over a Unix socket
  std::string user_;
  std::string database_;
  bool logged_in_ = false;
  std::string scramble_;        // of the handshake; COM_CHANGE_USER reuses it
  uint32_t capabilities_ = 0;   // the client's, from its handshake response
  uint64_t reported_read_ = 0;  // traffic already counted (ReportTraffic)
  uint64_t reported_written_ = 0;
  uint32_t id_ = 0;
  uint16_t status_flags_;
  PacketChannel channel_;
  std::unique_ptr<engine::Session> session_;
  std::map<uint32_t, PreparedStatement> statements_;
  uint32_t next_statement_id_ = 1;
};

// The collation id the handshake announces for --character-set-server.
uint8_t HandshakeCollation(const std::string& character_set_server);

}  // namespace reptut::net
