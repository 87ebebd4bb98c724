// Port allocation. A port is free when it can actually be bound on loopback
// and no other tutorial directory on this machine has claimed it. Claims live
// in a directory of the user's (one file per port naming the tutorial
// directory that owns it), so that two tutorial directories set up side by
// side never pick the same port even before their servers run.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace serveradm {

constexpr int kBasePort = 12000;  // the seed's first port
// Where allocation starts: $SERVERADM_BASE_PORT when it is a port from 1024
// to 60000 (a machine whose 12000s are used by something else, or tests
// that share a network with other runs), else kBasePort.
int BasePort();
// How long a claim whose directory does not list the port yet still counts.
constexpr std::chrono::seconds kPendingClaim{120};

// True when a TCP socket can bind 127.0.0.1:port right now.
bool CanBind(int port);

// Which process listens on the port, as "pid 1234 (python3)", if it can be told.
std::optional<std::string> PortHolder(int port);

// Where the claims are: $SERVERADM_PORT_REGISTRY, else the user's
// $XDG_RUNTIME_DIR/reptut-ports, else ~/.cache/reptut/ports (mode 0700).
std::filesystem::path PortRegistryDir();

class PortRegistry {
 public:
  explicit PortRegistry(std::filesystem::path tutorial_dir);

  // The first port >= BasePort() not in `taken`, bindable, and not claimed by
  // another tutorial directory; claims it for this one. `skipped` receives
  // the ports passed over because something unrelated held them.
  int Allocate(const std::set<int>& taken, std::set<int>* skipped);
  // Claims a port chosen by the user (port=P). False if another directory has it.
  bool Claim(int port);
  void Release(int port);
  // The tutorial directory that claims `port`, when it is not this one.
  std::optional<std::filesystem::path> ClaimedByOther(int port) const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path registry_;
};

}  // namespace serveradm
