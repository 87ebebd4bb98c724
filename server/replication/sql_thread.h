// The replica's SQL thread: reads the relay log and applies the master's
// event groups through the engine's Applier. See the design notes at the
// top of sql_thread.cc.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "engine/applier.h"
#include "replication/info_file.h"
#include "replication/replica_context.h"

namespace reptut::replication {

class SqlThread {
 public:
  // `applier` is the Replica's (one per server; the thread borrows it).
  // `write_info` rewrites relay-log.info from ctx.sql (called with ctx.mu free).
  SqlThread(ReplicaContext& ctx, engine::Applier& applier, std::function<void()> write_info);
  ~SqlThread();  // stops and joins
  SqlThread(const SqlThread&) = delete;
  SqlThread& operator=(const SqlThread&) = delete;

  // Starts from ctx.sql.relay / ctx.sql.exec; ctx.sql.running is true when
  // this returns.
  void Start();
  // Asks the thread to stop after the group it applies (STOP SLAVE), and
  // waits until it has.
  void Stop();
  bool running() const { return running_.load(); }

 private:
  void Run();
  // Wakes the thread and makes it stop (STOP SLAVE, KILL of its session).
  void Interrupt();

  ReplicaContext& ctx_;
  engine::Applier& applier_;
  std::function<void()> write_info_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
};

}  // namespace reptut::replication
