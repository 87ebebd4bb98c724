#include "engine/slave_registry.h"

#include <algorithm>

namespace reptut::engine {

void SlaveRegistry::Register(const SlaveHost& host) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = hosts_.begin(); it != hosts_.end();) {
    if (it->first != host.session_id && it->second.server_id == host.server_id) {
      it = hosts_.erase(it);
    } else {
      ++it;
    }
  }
  hosts_[host.session_id] = host;
}

void SlaveRegistry::Forget(uint32_t session_id) {
  std::lock_guard<std::mutex> lock(mu_);
  hosts_.erase(session_id);
  reading_.erase(session_id);
}

std::vector<SlaveHost> SlaveRegistry::List() const {
  std::vector<SlaveHost> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, h] : hosts_) out.push_back(h);
  }
  std::sort(out.begin(), out.end(),
            [](const SlaveHost& a, const SlaveHost& b) { return a.server_id < b.server_id; });
  return out;
}

void SlaveRegistry::SetReading(uint32_t session_id, const std::string& file) {
  std::lock_guard<std::mutex> lock(mu_);
  reading_[session_id] = file;
}

bool SlaveRegistry::InUse(const std::string& file) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, f] : reading_) {
    // Same stem, zero-padded sequence: the order of names is the log order.
    if (f.size() == file.size() ? f <= file : f < file) return true;
  }
  return false;
}

size_t SlaveRegistry::DumpCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reading_.size();
}

}  // namespace reptut::engine
