// Listening sockets: TCP on bind-address:port and the Unix socket file.
// Failures come back as a Status whose message is what mysqld writes to
// its error log, one line per '\n', e.g.
//   Can't start server: Bind on TCP/IP port: Address already in use
//   Do you already have another server running on port: 3306 ?
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

struct sockaddr;

namespace reptut::net {

class Listener {
 public:
  Listener() = default;
  ~Listener();
  Listener(Listener&& other) noexcept;
  Listener& operator=(Listener&& other) noexcept;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // bind_address: an IPv4 or IPv6 literal, a host name (its first IPv4
  // address, else its first IPv6 one, as mysqld does), "::" (every IPv6 and
  // IPv4 address) or "*"/"" (the same, or every IPv4 address when the host
  // has no IPv6). Port 0 lets the kernel choose (see port()).
  static Result<Listener> OpenTcp(const std::string& bind_address, uint16_t port);

  // A stale socket file (nothing accepts on it) is removed first; a live
  // one, or a file at that path that is not a socket, is an error.
  static Result<Listener> OpenUnix(const std::string& path);

  int fd() const { return fd_; }
  bool is_unix() const { return is_unix_; }
  uint16_t port() const { return port_; }                  // TCP: the bound port
  const std::string& address() const { return address_; }  // IP literal or socket path

  // Closes the socket; a Unix socket's file is removed.
  void Close();

 private:
  // Binds and listens on one address; *bind_errno tells why it failed.
  static Result<Listener> BindTcp(const ::sockaddr* sa, unsigned len, bool dual_stack,
                                  uint16_t port, int* bind_errno);

  int fd_ = -1;
  bool is_unix_ = false;
  uint16_t port_ = 0;
  std::string address_;
};

// The peer of an accepted socket as mysqld names it: the IP literal (IPv4
// for IPv4-mapped IPv6 addresses), or "localhost" for a Unix socket.
std::string PeerHost(int fd);
// The peer's TCP port; 0 for a Unix socket.
uint16_t PeerPort(int fd);

}  // namespace reptut::net
