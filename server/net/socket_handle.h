// A connected socket that another thread may shut down (KILL, server
// shutdown) while the owning connection thread reads or writes it. The fd
// is closed only under the lock, so a late Shutdown() never hits a reused
// descriptor.
#pragma once

#include <mutex>

namespace reptut::net {

class SocketHandle {
 public:
  explicit SocketHandle(int fd) : fd_(fd) {}
  ~SocketHandle() { Close(); }
  SocketHandle(const SocketHandle&) = delete;
  SocketHandle& operator=(const SocketHandle&) = delete;

  int fd() const { return fd_; }
  // shutdown(SHUT_RDWR): blocked reads return 0, writes fail. Thread-safe.
  void Shutdown();
  // shutdown(SHUT_RD): a blocked read returns 0 but what the connection
  // still writes (the answer it is busy with) goes out. Thread-safe.
  void ShutdownRead();
  // Closes the descriptor (once). Thread-safe.
  void Close();

 private:
  std::mutex mu_;
  int fd_;
  bool closed_ = false;
};

}  // namespace reptut::net
