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
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

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
  // The session waits in Acquire now (LOCK TABLES' deadlock check).
  bool Waiting(uint32_t session) const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint32_t owner_ = 0;
  Mode mode_ = Mode::kWrite;
  std::multiset<uint32_t> waiting_;
};

// The table locks of LOCK TABLES, server-wide: which session holds which
// table READ or WRITE. A READ lock shares the table with other READ locks;
// a WRITE lock has it alone. Other sessions' statements wait here for what
// they need (table_locks.cc): a write for no lock on its table, a read for
// no WRITE lock. The table locks are separate from the write gate: a
// session holding them writes through the gate like any other, and other
// sessions' statements on other tables go on.
class TableLockRegistry {
 public:
  struct Lock {
    std::string db, table;  // lowercased; both empty: every table (FTWRL)
    bool write = false;
  };
  // Waits up to `timeout` (sliced, so a KILL is noticed) until no other
  // session holds a lock conflicting with one of `wanted`; then, if `take`,
  // records them as the session's. `deadlock(holder)` is asked about each
  // session in the way at every slice: true ends the wait with 1213.
  Status Wait(uint32_t session, const std::vector<Lock>& wanted, bool take,
              std::chrono::milliseconds timeout, const std::atomic<bool>& killed,
              const std::function<bool(uint32_t holder)>& deadlock);
  void Release(uint32_t session);
  // Any session holds table locks (the common case is none: no lookups).
  bool Any() const { return count_.load(std::memory_order_acquire) > 0; }

 private:
  struct Held {
    uint32_t session;
    Lock lock;
  };
  static bool Conflict(const Lock& a, const Lock& b);
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Held> held_;
  std::atomic<size_t> count_{0};
};

}  // namespace reptut::engine
