#include "net/socket_handle.h"

#include <sys/socket.h>
#include <unistd.h>

namespace reptut::net {

void SocketHandle::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_ && fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

void SocketHandle::ShutdownRead() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_ && fd_ >= 0) ::shutdown(fd_, SHUT_RD);
}

void SocketHandle::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_ && fd_ >= 0) ::close(fd_);
  closed_ = true;
}

}  // namespace reptut::net
