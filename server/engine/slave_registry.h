// The replicas a master knows of: those that registered with
// COM_REGISTER_SLAVE (SHOW SLAVE HOSTS), and the binary log file each
// binlog dump thread reads (PURGE BINARY LOGS keeps those). An entry lives
// as long as the connection that made it: the session's end removes it.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace reptut::engine {

// What COM_REGISTER_SLAVE said, and who said it.
struct SlaveHost {
  uint32_t session_id = 0;  // the connection that registered
  uint32_t server_id = 0;
  std::string host;  // report-host ("" when the replica has none)
  uint16_t port = 0;
  std::string user;      // report-user
  std::string password;  // report-password
  uint32_t master_id = 0;
};

class SlaveRegistry {
 public:
  // A second registration of the same connection replaces the first; so
  // does one of another connection with the same server id (a replica that
  // reconnected before its old connection was noticed gone), as MySQL does.
  void Register(const SlaveHost& host);
  // The connection ended: its registration and its dump go.
  void Forget(uint32_t session_id);
  // SHOW SLAVE HOSTS, ordered by server id.
  std::vector<SlaveHost> List() const;

  // Dump threads: the binary log file (base name) a session streams now.
  void SetReading(uint32_t session_id, const std::string& file);
  // Whether a dump thread reads `file` or a file before it (base names of
  // one binary log sort in order), so that PURGE must keep it.
  bool InUse(const std::string& file) const;
  size_t DumpCount() const;

 private:
  mutable std::mutex mu_;
  std::map<uint32_t, SlaveHost> hosts_;      // by session id
  std::map<uint32_t, std::string> reading_;  // by session id
};

}  // namespace reptut::engine
