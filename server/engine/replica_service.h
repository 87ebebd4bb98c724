// The replica side of replication as the engine's statements see it.
//
// The engine parses and checks privileges for CHANGE MASTER TO, START/STOP
// SLAVE, RESET SLAVE, SHOW SLAVE STATUS, SHOW RELAYLOG EVENTS, FLUSH RELAY
// LOGS and MASTER_POS_WAIT(), then hands them to the server's one
// ReplicaService (server/replication/replica.h implements it; main.cc sets
// it with Server::SetReplicaService before the first connection). Without
// one, these statements answer as a server that is no replica.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/mysql_types.h"
#include "common/status.h"
#include "engine/response.h"
#include "sql/statement.h"

namespace reptut::engine {

// A note or warning a replication statement leaves for SHOW WARNINGS.
struct StatementNote {
  std::string level;  // "Note" or "Warning"
  uint16_t code = 0;
  std::string message;
};

// A result set a replication statement answers with.
struct ResultColumn {
  std::string name;
  mysql::FieldType type = mysql::kTypeVarString;
};
struct ResultTable {
  std::vector<ResultColumn> columns;
  std::vector<Row> rows;
};

class ReplicaService {
 public:
  virtual ~ReplicaService() = default;

  virtual Status ChangeMaster(const sql::ChangeMasterOptions& options,
                              std::vector<StatementNote>* notes) = 0;
  // START SLAVE [thread options] [UNTIL ...]; STOP SLAVE [thread options].
  virtual Status StartSlave(const sql::ReplInfo& what, std::vector<StatementNote>* notes) = 0;
  virtual Status StopSlave(const sql::ReplInfo& what, std::vector<StatementNote>* notes) = 0;
  virtual Status ResetSlave(bool all) = 0;
  // SHOW SLAVE STATUS: no rows when this server was never made a replica.
  virtual ResultTable SlaveStatus() = 0;
  // SHOW RELAYLOG EVENTS [IN 'f'] [FROM n] [LIMIT [o,] n] (show.log_file ...).
  virtual Result<ResultTable> RelaylogEvents(const sql::ShowInfo& show) = 0;
  // SHOW STATUS's replica rows (Slave_running, Slave_heartbeat_period,
  // Slave_received_heartbeats, ...), name and value.
  virtual std::vector<std::pair<std::string, std::string>> StatusVariables() = 0;
  // FLUSH RELAY LOGS (and FLUSH LOGS): the relay log starts a new file.
  virtual Status FlushRelayLogs() = 0;
  // MASTER_POS_WAIT(file, pos, timeout): how many events the SQL thread
  // applied while waiting (0 when already there), -1 after `timeout`
  // seconds (<= 0: none), nullopt (NULL) when the SQL thread is not running,
  // stops while waiting, or the arguments are bad. Returns early (nullopt)
  // when `killed` becomes true.
  virtual std::optional<int64_t> MasterPosWait(const std::string& file, int64_t pos,
                                               double timeout_seconds,
                                               const std::atomic<bool>& killed) = 0;
};

}  // namespace reptut::engine
