#include "net/net_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "common/errors.h"
#include "common/log.h"
#include "net/connection.h"

namespace reptut::net {
namespace {

constexpr int kReapIntervalMs = 1000;
// How long Stop() lets busy connections finish their answer.
constexpr auto kStopGrace = std::chrono::seconds(2);

void SetNonBlocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL, 0);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

}  // namespace

NetServer::~NetServer() {
  Stop();
}

Status NetServer::Start(const config::ServerOptions& options, engine::Server& server) {
  if (accept_thread_.joinable()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "The network layer is already started");
  }
  options_ = options;
  server_ = &server;
  stopping_ = false;
  std::vector<Listener> listeners;
  if (!options.skip_networking) {
    auto tcp = Listener::OpenTcp(options.bind_address, options.port);
    if (!tcp.ok()) return tcp.error();
    tcp_port_ = tcp->port();
    log::Note("Server socket created on IP: '" + tcp->address() + "'.");
    listeners.push_back(std::move(tcp).value());
  }
  if (!options.socket.empty()) {
    auto unix_socket = Listener::OpenUnix(options.socket);
    if (!unix_socket.ok()) return unix_socket.error();  // listeners close themselves
    socket_path_ = options.socket;
    listeners.push_back(std::move(unix_socket).value());
  }
  if (listeners.empty()) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR,
                        "Can't start server: neither a TCP/IP port nor a socket to listen on");
  }
  if (::pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR,
                        std::string("Can't create the wake-up pipe: ") + std::strerror(errno));
  }
  for (Listener& l : listeners) SetNonBlocking(l.fd());
  listeners_ = std::move(listeners);
  accepting_ = true;
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return Status::Ok();
}

void NetServer::AcceptLoop() {
  std::vector<pollfd> fds;
  for (const Listener& l : listeners_) fds.push_back({l.fd(), POLLIN, 0});
  fds.push_back({wake_fds_[0], POLLIN, 0});
  while (accepting_) {
    int n = ::poll(fds.data(), fds.size(), kReapIntervalMs);
    Reap();
    if (n < 0) {
      if (errno == EINTR) continue;
      log::ErrorLine(std::string("poll() on the listening sockets failed: ") +
                     std::strerror(errno));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (fds.back().revents) break;  // woken by StopAccepting()
    for (size_t i = 0; i + 1 < fds.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      int fd = ::accept4(fds[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          log::ErrorLine(std::string("Error in accept: ") + std::strerror(errno));
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        continue;  // EAGAIN, ECONNABORTED, EINTR: nothing to do
      }
      Spawn(fd, listeners_[i].is_unix());
    }
  }
}

void NetServer::Spawn(int fd, bool over_unix_socket) {
  if (!over_unix_socket) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  }
  auto slot = std::make_unique<Slot>();
  slot->socket = std::make_shared<SocketHandle>(fd);
  Slot* s = slot.get();
  std::lock_guard<std::mutex> lock(mu_);
  clients_.fetch_add(1);
  try {
    s->thread = std::thread([this, s, over_unix_socket] {
      {
        Connection connection(*server_, options_, s->socket, over_unix_socket, &stopping_,
                              &clients_);
        connection.Run();
      }
      clients_.fetch_sub(1);
      s->done = true;
    });
  } catch (const std::system_error& e) {
    clients_.fetch_sub(1);
    log::ErrorLine(std::string("Can't create thread to handle new connection: ") + e.what());
    return;  // the SocketHandle closes the socket
  }
  slots_.push_back(std::move(slot));
}

void NetServer::Reap() {
  std::list<std::unique_ptr<Slot>> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = slots_.begin(); it != slots_.end();) {
      if ((*it)->done) {
        finished.push_back(std::move(*it));
        it = slots_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& s : finished) s->thread.join();
}

size_t NetServer::connection_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& s : slots_) n += s->done ? 0 : 1;
  return n;
}

void NetServer::StopAccepting() {
  if (accept_thread_.joinable()) {
    accepting_ = false;
    char c = 1;
    ssize_t rc = ::write(wake_fds_[1], &c, 1);
    (void)rc;
    accept_thread_.join();
  }
  listeners_.clear();  // closes them; removes the socket file
  for (int& fd : wake_fds_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

void NetServer::InterruptConnections() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& s : slots_) s->socket->Shutdown();
}

void NetServer::Stop() {
  stopping_ = true;
  StopAccepting();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& s : slots_) s->socket->ShutdownRead();
  }
  auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (connection_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  InterruptConnections();
  std::list<std::unique_ptr<Slot>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.swap(slots_);
  }
  for (auto& s : all) {
    if (s->thread.joinable()) s->thread.join();
  }
}

}  // namespace reptut::net
