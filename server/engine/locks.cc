#include "engine/locks.h"

#include <algorithm>

#include "common/errors.h"

namespace reptut::engine {

Status WriteGate::Acquire(uint32_t session, Mode mode, std::chrono::milliseconds timeout,
                          const std::atomic<bool>& killed) {
  std::unique_lock<std::mutex> lock(mu_);
  if (owner_ == session) {
    if (mode_ == Mode::kGlobalReadLock && mode == Mode::kWrite) {
      return MakeError(ER_CANT_UPDATE_WITH_READLOCK);
    }
    if (mode == Mode::kGlobalReadLock) mode_ = mode;
    return Status::Ok();
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto me = waiting_.insert(session);
  struct Unwait {
    std::multiset<uint32_t>& set;
    std::multiset<uint32_t>::iterator it;
    ~Unwait() { set.erase(it); }
  } unwait{waiting_, me};
  while (owner_ != 0) {
    if (killed.load()) return MakeError(ER_QUERY_INTERRUPTED);
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return MakeError(ER_LOCK_WAIT_TIMEOUT);
    auto slice = std::min<std::chrono::steady_clock::duration>(deadline - now,
                                                               std::chrono::milliseconds(100));
    cv_.wait_for(lock, slice);
  }
  owner_ = session;
  mode_ = mode;
  return Status::Ok();
}

void WriteGate::Release(uint32_t session) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (owner_ != session) return;
    owner_ = 0;
  }
  cv_.notify_all();
}

bool WriteGate::HeldBy(uint32_t session) const {
  std::lock_guard<std::mutex> lock(mu_);
  return owner_ == session;
}

bool WriteGate::ReadLockedBy(uint32_t session) const {
  std::lock_guard<std::mutex> lock(mu_);
  return owner_ == session && mode_ == Mode::kGlobalReadLock;
}

bool WriteGate::ReadLocked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return owner_ != 0 && mode_ == Mode::kGlobalReadLock;
}

bool WriteGate::Waiting(uint32_t session) const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_.count(session) > 0;
}

bool TableLockRegistry::Conflict(const Lock& a, const Lock& b) {
  if (!a.write && !b.write) return false;
  bool every = a.table.empty() || b.table.empty();
  return every || (a.db == b.db && a.table == b.table);
}

Status TableLockRegistry::Wait(uint32_t session, const std::vector<Lock>& wanted, bool take,
                               std::chrono::milliseconds timeout, const std::atomic<bool>& killed,
                               const std::function<bool(uint32_t)>& deadlock) {
  std::unique_lock<std::mutex> lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::vector<uint32_t> holders;
    for (const Held& h : held_) {
      if (h.session == session) continue;
      for (const Lock& w : wanted) {
        if (Conflict(h.lock, w)) {
          holders.push_back(h.session);
          break;
        }
      }
    }
    if (holders.empty()) break;
    if (killed.load()) return MakeError(ER_QUERY_INTERRUPTED);
    if (deadlock) {
      // (Asked without the registry's mutex: it looks at the write gate.)
      lock.unlock();
      bool dead = std::any_of(holders.begin(), holders.end(), deadlock);
      lock.lock();
      if (dead) return MakeError(ER_LOCK_DEADLOCK);
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return MakeError(ER_LOCK_WAIT_TIMEOUT);
    auto slice = std::min<std::chrono::steady_clock::duration>(deadline - now,
                                                               std::chrono::milliseconds(100));
    cv_.wait_for(lock, slice);
  }
  if (take) {
    for (const Lock& w : wanted) held_.push_back({session, w});
    count_.store(held_.size(), std::memory_order_release);
  }
  return Status::Ok();
}

void TableLockRegistry::Release(uint32_t session) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(held_, [&](const Held& h) { return h.session == session; });
    count_.store(held_.size(), std::memory_order_release);
  }
  cv_.notify_all();
}

}  // namespace reptut::engine
