// The network side of reptutd: the listening sockets, the accept thread
// and a thread per client connection.
//
//   net::NetServer net;
//   Status st = net.Start(options, *server);   // listens; returns at once
//   ... server->WaitForShutdown();
//   net.Stop();                                // listeners closed, clients cut, threads joined
//   server->Close();
//
// Start() errors carry mysqld's error log wording, one line per '\n'
// (write each as an [ERROR] line), e.g. for a port in use:
//   Can't start server: Bind on TCP/IP port: Address already in use
//   Do you already have another server running on port: 3306 ?
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "config/server_options.h"
#include "engine/server.h"
#include "net/listener.h"
#include "net/socket_handle.h"

namespace reptut::net {

class NetServer {
 public:
  NetServer() = default;
  ~NetServer();  // Stop()
  NetServer(const NetServer&) = delete;
  NetServer& operator=(const NetServer&) = delete;

  // Opens the TCP listener on options.bind_address:options.port (unless
  // skip_networking) and the Unix socket at options.socket (unless empty),
  // then starts accepting. server must outlive this object.
  Status Start(const config::ServerOptions& options, engine::Server& server);

  // Stops accepting and closes the listeners (the socket file is removed).
  void StopAccepting();
  // Shuts every client's socket down; their threads end on their own.
  void InterruptConnections();
  // StopAccepting(); then shuts the read side of every client's socket, so
  // idle connections end at once while a busy one can still send the
  // answer it is working on (e.g. the OK of SHUTDOWN); after a grace
  // period InterruptConnections() cuts what is left; joins every thread.
  // Idempotent. Must not be called from a connection thread.
  void Stop();

  uint16_t tcp_port() const { return tcp_port_; }  // 0 without TCP
  const std::string& socket_path() const { return socket_path_; }
  size_t connection_count() const;

 private:
  struct Slot {
    std::shared_ptr<SocketHandle> socket;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void AcceptLoop();
  void Spawn(int fd, bool over_unix_socket);
  void Reap();

  config::ServerOptions options_;
  engine::Server* server_ = nullptr;
  std::vector<Listener> listeners_;
  uint16_t tcp_port_ = 0;
  std::string socket_path_;
  int wake_fds_[2] = {-1, -1};
  std::thread accept_thread_;
  std::atomic<bool> accepting_{false};
  std::atomic<bool> stopping_{false};

  // Client connections whose thread runs (max_connections counts them).
  std::atomic<size_t> clients_{0};

  mutable std::mutex mu_;
  std::list<std::unique_ptr<Slot>> slots_;
};

}  // namespace reptut::net
