// The replica's I/O thread: fetches the master's binary log into the relay
// log. See the design notes at the top of io_thread.cc.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "replication/replica_context.h"

namespace reptut::replication {

class MasterConnection;

class IoThread {
 public:
  // `write_info` rewrites master.info from ctx.mi (called with ctx.mu free).
  IoThread(ReplicaContext& ctx, std::function<void()> write_info);
  ~IoThread();  // stops and joins
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  // Starts fetching from ctx.mi.log_file / log_pos; ctx.io.running is
  // kConnecting when this returns.
  void Start();
  // Breaks the connection and waits for the thread to end.
  void Stop();
  bool running() const { return running_.load(); }

 private:
  void Run();
  // Breaks the connection and wakes a sleep: the thread ends (STOP SLAVE,
  // KILL of its session).
  void Interrupt();
  // Waits up to `seconds` unless Stop() is called; false when stopping.
  bool Sleep(uint32_t seconds);
  // KILL QUERY of its session: the thread ends when the next event (a
  // heartbeat too) or error comes from the master, dropping that event, or
  // at its next pause while it connects (MariaDB 10.11).
  void InterruptQuery();

  ReplicaContext& ctx_;
  std::function<void()> write_info_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  std::atomic<bool> query_killed_{false};
  std::mutex conn_mu_;  // guards conn_ against Stop()'s Interrupt()
  MasterConnection* conn_ = nullptr;
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;
};

}  // namespace reptut::replication
