// The replication tree of a tutorial directory, from serverconfig.toml's
// `master` entries (set by replicate and loadslave).
#pragma once

#include <string>
#include <vector>

#include "tutorial_config.h"

namespace serveradm {

// One line per server, slaves indented under their master:
//   master (master, port 12000, server_id 1)
//   |-- slave (slave, port 12001, server_id 2)
//   `-- slave2 (slave, port 12002, server_id 3)
std::vector<std::string> TopologyText(const std::vector<ServerEntry>& servers);
std::string TopologyDot(const std::vector<ServerEntry>& servers);

}  // namespace serveradm
