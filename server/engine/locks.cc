#include "engine/locks.h"

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

}  // namespace reptut::engine
