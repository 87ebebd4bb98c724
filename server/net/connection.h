// One client connection, run on its own thread: the handshake, the login
// and the command loop. See the notes at the top of connection.cc.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "config/server_options.h"
#include "engine/server.h"
#include "engine/session.h"
#include "net/packet_channel.h"
#include "net/socket_handle.h"
#include "protocol/command.h"

namespace reptut::net {

class Connection {
 public:
  // over_unix_socket: the client came through the Unix socket file (its
  // host is "localhost"); otherwise its host is the peer's IP address.
  // stopping: set by NetServer::Stop(); a connection that ends because of
  // it is not an "Aborted connection".
  Connection(engine::Server& server, const config::ServerOptions& options,
             std::shared_ptr<SocketHandle> socket, bool over_unix_socket,
             const std::atomic<bool>* stopping = nullptr);
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
  void SendError(const Error& error);
  void LogAborted(const std::string& why) const;

  engine::Server& server_;
  const config::ServerOptions& options_;
  std::shared_ptr<SocketHandle> socket_;
  bool over_unix_socket_;
  const std::atomic<bool>* stopping_;
  std::string host_;
  std::string user_;
  std::string database_;
  bool logged_in_ = false;
  uint32_t id_ = 0;
  uint16_t status_flags_;
  PacketChannel channel_;
  std::unique_ptr<engine::Session> session_;
};

// The collation id the handshake announces for --character-set-server.
uint8_t HandshakeCollation(const std::string& character_set_server);

}  // namespace reptut::net
