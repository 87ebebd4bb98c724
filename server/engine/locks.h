// The server-wide write gate. SQLite lets one writer at a time commit, so
// the engine serialises write transactions itself instead of letting them
// spin in SQLite's busy handler: a session takes the gate at its first
// write of a transaction (or for one autocommit statement) and gives it back
// at COMMIT/ROLLBACK. FLUSH TABLES WITH READ LOCK takes the same gate in
// read-lock mode and keeps it until UNLOCK TABLES or disconnect, so every
// other session's writes wait, as they do on MySQL.
//
// States: free -> held(write, S)      by Acquire(S, kWrite)
//         free -> held(read lock, S)  by Acquire(S, kGlobalReadLock)
//         held(*, S) -> free          by Release(S)
// A session may re-acquire what it holds; a write while it holds the read
// lock is refused with 1223, as MySQL does.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "common/status.h"

namespace reptut::engine {

class WriteGate {
 public:
  enum class Mode { kWrite, kGlobalReadLock };

  // Waits up to `timeout` (sliced, so a KILL is noticed) for the gate.
  Status Acquire(uint32_t session, Mode mode, std::chrono::milliseconds timeout,
                 const std::atomic<bool>& killed);
  void Release(uint32_t session);
  bool HeldBy(uint32_t session) const;
  bool ReadLockedBy(uint32_t session) const;
  bool ReadLocked() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint32_t owner_ = 0;
  Mode mode_ = Mode::kWrite;
};

}  // namespace reptut::engine
