#include "ports.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tutorial_config.h"

namespace serveradm {

namespace fs = std::filesystem;

bool CanBind(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  // As mysqld does: a port left in TIME_WAIT by a stopped server is usable.
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  if (!ok) return false;
  // A server bound to every address (0.0.0.0) also holds the port.
  fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

std::optional<std::string> PortHolder(int port) {
  // /proc/net/tcp{,6}: find the inode of the listening socket on that port.
  std::set<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      std::string sl, local, remote, st, queues, timer, retr, uid, timeout, inode;
      ls >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >> inode;
      auto colon = local.rfind(':');
      if (colon == std::string::npos || st != "0A") continue;
      if (std::strtol(local.c_str() + colon + 1, nullptr, 16) == port) inodes.insert(inode);
    }
  }
  if (inodes.empty()) return std::nullopt;
  std::error_code ec;
  for (const auto& proc : fs::directory_iterator("/proc", ec)) {
    const std::string pid = proc.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec2;
    for (const auto& fd : fs::directory_iterator(proc.path() / "fd", ec2)) {
      std::error_code ec3;
      auto target = fs::read_symlink(fd.path(), ec3).string();
      if (target.rfind("socket:[", 0) != 0) continue;
      if (inodes.count(target.substr(8, target.size() - 9))) {
        std::ifstream comm(proc.path() / "comm");
        std::string name;
        std::getline(comm, name);
        return "pid " + pid + " (" + name + ")";
      }
    }
  }
  return std::string("a process this user cannot see");
}

int BasePort() {
  const char* v = std::getenv("SERVERADM_BASE_PORT");
  if (v == nullptr || *v == '\0') return kBasePort;
  char* end = nullptr;
  long p = std::strtol(v, &end, 10);
  if (*end != '\0' || p < 1024 || p > 60000) return kBasePort;
  return static_cast<int>(p);
}

fs::path PortRegistryDir() {
  if (const char* d = std::getenv("SERVERADM_PORT_REGISTRY"); d && *d) return d;
  // Private to the user: a world-writable /tmp directory let anyone plant
  // a symbolic link where serveradm writes.
  if (const char* r = std::getenv("XDG_RUNTIME_DIR"); r && *r && fs::is_directory(r))
    return fs::path(r) / "reptut-ports";
  if (const char* c = std::getenv("XDG_CACHE_HOME"); c && *c) return fs::path(c) / "reptut/ports";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / ".cache/reptut/ports";
}

PortRegistry::PortRegistry(fs::path tutorial_dir)
    : dir_(fs::absolute(tutorial_dir)), registry_(PortRegistryDir()) {
  std::error_code ec;
  // Permissions are set only on a directory created here, never on one
  // that was already there.
  if (fs::create_directories(registry_, ec))
    fs::permissions(registry_, fs::perms::owner_all, fs::perm_options::replace, ec);
}

std::optional<fs::path> PortRegistry::ClaimedByOther(int port) const {
  std::ifstream in(registry_ / std::to_string(port));
  if (!in) return std::nullopt;
  std::string owner;
  std::getline(in, owner);
  if (owner.empty() || fs::path(owner) == dir_) return std::nullopt;
  // A claim counts while its directory still lists a server on that port,
  // and while it is pending: an `add` claims the port before it writes the
  // server into serverconfig.toml, and another directory must not take the
  // port in between. A claim newer than the directory's serverconfig.toml
  // (and not older than kPendingClaim) is such a claim.
  const fs::path config_file = fs::path(owner) / "serverconfig.toml";
  try {
    auto config = TutorialConfig::Load(config_file);
    for (const auto& s : config.servers)
      if (s.port == port) return fs::path(owner);
  } catch (...) {
  }
  std::error_code ec, cec;
  auto claimed = fs::last_write_time(registry_ / std::to_string(port), ec);
  if (ec || !fs::is_directory(owner, cec)) return std::nullopt;
  if (fs::file_time_type::clock::now() - claimed >= kPendingClaim) return std::nullopt;
  auto saved = fs::last_write_time(config_file, cec);
  if (!cec && saved >= claimed) return std::nullopt;  // saved since: the server is gone
  return fs::path(owner);
}

bool PortRegistry::Claim(int port) {
  if (ClaimedByOther(port)) return false;
  auto file = registry_ / std::to_string(port);
  auto tmp = registry_ / (std::to_string(port) + "." + std::to_string(::getpid()));
  {
    // A new file of our own: never through a symbolic link, never over a
    // file that is there.
    std::error_code rm;
    fs::remove(tmp, rm);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    const std::string line = dir_.string() + "\n";
    bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!written) {
      fs::remove(tmp, rm);
      return false;
    }
  }
  // link() is atomic: of two directories claiming at once, one wins.
  std::error_code ec;
  if (::link(tmp.c_str(), file.c_str()) != 0) {
    // Exists: stale or ours (checked above), or just claimed by a racer.
    if (ClaimedByOther(port)) {
      fs::remove(tmp, ec);
      return false;
    }
    fs::rename(tmp, file, ec);
    return !ec;
  }
  fs::remove(tmp, ec);
  return true;
}

void PortRegistry::Release(int port) {
  std::ifstream in(registry_ / std::to_string(port));
  std::string owner;
  std::getline(in, owner);
  std::error_code ec;
  if (fs::path(owner) == dir_) fs::remove(registry_ / std::to_string(port), ec);
}

int PortRegistry::Allocate(const std::set<int>& taken, std::set<int>* skipped) {
  for (int port = BasePort(); port < 65535; ++port) {
    if (taken.count(port)) continue;
    if (ClaimedByOther(port)) continue;
    if (!CanBind(port)) {
      if (skipped) skipped->insert(port);
      continue;
    }
    if (Claim(port)) return port;
  }
  return -1;
}

}  // namespace serveradm
