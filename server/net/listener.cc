#include "net/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/errors.h"

namespace reptut::net {
namespace {

constexpr int kBackLog = 128;

Error StartError(std::string message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::move(message));
}

std::string ErrnoText(int err) {
  return std::strerror(err);
}

std::string AddressText(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
      inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], buf, sizeof buf);
    } else {
      inet_ntop(AF_INET6, &a6->sin6_addr, buf, sizeof buf);
    }
  }
  return buf;
}

}  // namespace

Result<Listener> Listener::BindTcp(const sockaddr* sa, unsigned len, bool dual_stack, uint16_t port,
                                   int* bind_errno) {
  *bind_errno = 0;
  int fd = ::socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *bind_errno = errno;
    return StartError("Can't create IP socket: " + ErrnoText(errno));
  }
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (sa->sa_family == AF_INET6) {
    int v6only = dual_stack ? 0 : 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  if (::bind(fd, sa, len) < 0) {
    int err = errno;
    ::close(fd);
    *bind_errno = err;
    return StartError(
        "Can't start server: Bind on TCP/IP port: " + ErrnoText(err) +
        "\nDo you already have another server running on port: " + std::to_string(port) + " ?");
  }
  if (::listen(fd, kBackLog) < 0) {
    int err = errno;
    ::close(fd);
    *bind_errno = err;
    return StartError("listen() on TCP/IP failed with error " + std::to_string(err));
  }
  sockaddr_storage bound{};
  socklen_t blen = sizeof bound;
  uint16_t actual = port;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &blen) == 0) {
    actual = bound.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port)
                                        : ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  }
  Listener l;
  l.fd_ = fd;
  l.port_ = actual;
  l.address_ = AddressText(sa);
  return l;
}

Listener::~Listener() {
  Close();
}

Listener::Listener(Listener&& other) noexcept {
  *this = std::move(other);
}

Listener& Listener::operator=(Listener&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    is_unix_ = other.is_unix_;
    port_ = other.port_;
    address_ = std::move(other.address_);
  }
  return *this;
}

void Listener::Close() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  if (is_unix_ && !address_.empty()) ::unlink(address_.c_str());
}

Result<Listener> Listener::OpenTcp(const std::string& bind_address, uint16_t port) {
  int bind_errno = 0;
  if (bind_address.empty() || bind_address == "*") {
    sockaddr_in6 any6{};
    any6.sin6_family = AF_INET6;
    any6.sin6_addr = in6addr_any;
    any6.sin6_port = htons(port);
    Result<Listener> l =
        BindTcp(reinterpret_cast<sockaddr*>(&any6), sizeof any6, true, port, &bind_errno);
    if (l.ok() || (bind_errno != EAFNOSUPPORT && bind_errno != EADDRNOTAVAIL)) return l;
    sockaddr_in any4{};
    any4.sin_family = AF_INET;
    any4.sin_addr.s_addr = htonl(INADDR_ANY);
    any4.sin_port = htons(port);
    return BindTcp(reinterpret_cast<sockaddr*>(&any4), sizeof any4, false, port, &bind_errno);
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  std::string service = std::to_string(port);
  if (::getaddrinfo(bind_address.c_str(), service.c_str(), &hints, &res) != 0 || !res) {
    return StartError("Can't start server: cannot resolve hostname!");
  }
  const addrinfo* pick = nullptr;
  for (const addrinfo* ai = res; ai; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET) {
      pick = ai;
      break;
    }
  }
  if (!pick) {
    for (const addrinfo* ai = res; ai; ai = ai->ai_next) {
      if (ai->ai_family == AF_INET6) {
        pick = ai;
        break;
      }
    }
  }
  if (!pick) {
    ::freeaddrinfo(res);
    return StartError("Can't start server: cannot resolve hostname!");
  }
  bool dual_stack = false;
  if (pick->ai_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(pick->ai_addr);
    dual_stack = IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr);  // "::" takes IPv4 too
  }
  Result<Listener> l = BindTcp(pick->ai_addr, pick->ai_addrlen, dual_stack, port, &bind_errno);
  ::freeaddrinfo(res);
  return l;
}

Result<Listener> Listener::OpenUnix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return StartError("The socket file path is too long (> " +
                      std::to_string(sizeof addr.sun_path - 1) + "): " + path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  std::string in_use = "Can't start server : Bind on unix socket: " + ErrnoText(EADDRINUSE) +
                       "\nDo you already have another server running on socket: " + path + " ?";

  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return StartError(in_use);
    // A socket file: live if something accepts on it.
    int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return StartError("Can't start server : UNIX Socket : " + ErrnoText(errno));
    int rc = ::connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    int err = errno;
    ::close(probe);
    if (rc == 0 || (err != ECONNREFUSED && err != ENOENT)) return StartError(in_use);
    ::unlink(path.c_str());  // stale
  }

  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return StartError("Can't start server : UNIX Socket : " + ErrnoText(errno));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    int err = errno;
    ::close(fd);
    if (err == EADDRINUSE) return StartError(in_use);
    return StartError("Can't start server : Bind on unix socket: " + ErrnoText(err) +
                      "\nDo you already have another server running on socket: " + path + " ?");
  }
  ::chmod(path.c_str(), 0777);  // anyone may connect, as with mysqld
  if (::listen(fd, kBackLog) < 0) {
    int err = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return StartError("listen() on Unix socket failed with error " + std::to_string(err));
  }
  Listener l;
  l.fd_ = fd;
  l.is_unix_ = true;
  l.address_ = path;
  return l;
}

std::string PeerHost(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "localhost";
  if (ss.ss_family == AF_UNIX) return "localhost";
  return AddressText(reinterpret_cast<sockaddr*>(&ss));
}

uint16_t PeerPort(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return 0;
}

}  // namespace reptut::net
