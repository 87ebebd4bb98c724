// The replication steps the commands share, each the seed's SQL with a reason.
#pragma once

#include <optional>
#include <string>

#include "context.h"

namespace serveradm {

struct BinlogPosition {
  std::string file;
  unsigned long long pos = 0;
  std::string ToString() const { return file + ":" + std::to_string(pos); }
};

// SHOW MASTER STATUS; Failure when the binary log is off.
BinlogPosition MasterStatus(Connection& c, const ServerEntry& s, const std::string& step,
                            const std::string& why);

// CREATE USER IF NOT EXISTS + GRANT REPLICATION SLAVE on the master.
void EnsureReplicationUser(const Context& ctx, Connection& master, const ServerEntry& m);

// STOP SLAVE; CHANGE MASTER TO (the flavor's change-master.sql); START SLAVE;
// then waits until both slave threads run.
void PointSlaveAt(const Context& ctx, Connection& slave, const ServerEntry& s,
                  const ServerEntry& master, const std::optional<BinlogPosition>& from);

// Polls SHOW SLAVE STATUS until Slave_IO_Running and Slave_SQL_Running are
// Yes; Failure with the last error after `timeout_s`.
void WaitSlaveRunning(Connection& slave, const ServerEntry& s, int timeout_s);

// The server a slave replicates from, from its SHOW SLAVE STATUS (by port),
// else from serverconfig.toml. nullptr if it has none.
const ServerEntry* MasterOf(const Context& ctx, Connection& slave, const ServerEntry& s);

// Records `master` as the master of `slave` in serverconfig.toml.
void RecordMaster(Context& ctx, std::string slave, std::string master);

}  // namespace serveradm
