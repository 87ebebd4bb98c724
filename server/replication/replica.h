// The replica side of a server: what CHANGE MASTER TO configured, the
// relay log, the I/O and SQL threads, and the statements that drive them
// (engine::ReplicaService). One per server, made by main.cc after the
// server opened and before it listens.
//
// Files (in the data directory unless the options say otherwise):
//   master.info     - the connection settings and the I/O thread's position
//                     (MySQL 5.7's layout; the password in clear: mode 0600);
//   relay-log.info  - the SQL thread's position (relay log and master);
//   the relay log and its index (replication/relay_log.h).
// The info files are what students open and what a restart reads the
// connection from; the position a restart trusts is the one the data files
// committed with the changes (engine/applier.h). At start the relay logs of
// the last run are dropped and the I/O thread fetches again from that
// position (relay_log_recovery), so a crash can neither skip nor repeat a
// transaction.
//
// Statements run one at a time (a mutex); the threads share ReplicaContext.
#pragma once

#include <memory>
#include <mutex>

#include "engine/applier.h"
#include "engine/replica_service.h"
#include "engine/server.h"
#include "replication/info_file.h"
#include "replication/io_thread.h"
#include "replication/relay_log.h"
#include "replication/replica_context.h"
#include "replication/replication_filter.h"
#include "replication/sql_thread.h"

namespace reptut::replication {

class Replica : public engine::ReplicaService {
 public:
  // Reads master.info and the position the data files recorded. Fails for
  // options mysqld would refuse at start (a malformed replicate-do-table).
  static Result<std::unique_ptr<Replica>> Open(engine::Server& server,
                                               const config::ServerOptions& options);
  ~Replica() override;

  // Server start: starts both threads when configured, unless skip-slave-start.
  void StartAtBoot();
  // Server shutdown: stops the threads, writes the info files, closes the relay log.
  void Shutdown();

  // engine::ReplicaService
  Status ChangeMaster(const sql::ChangeMasterOptions& options,
                      std::vector<engine::StatementNote>* notes) override;
  Status StartSlave(const sql::ReplInfo& what, std::vector<engine::StatementNote>* notes) override;
  Status StopSlave(const sql::ReplInfo& what, std::vector<engine::StatementNote>* notes) override;
  Status ResetSlave(bool all) override;
  engine::ResultTable SlaveStatus() override;
  Result<engine::ResultTable> RelaylogEvents(const sql::ShowInfo& show) override;
  std::vector<std::pair<std::string, std::string>> StatusVariables() override;
  Status FlushRelayLogs() override;
  std::optional<int64_t> MasterPosWait(const std::string& file, int64_t pos, double timeout_seconds,
                                       const std::atomic<bool>& killed) override;

 private:
  Replica(engine::Server& server, const config::ServerOptions& options, ReplicationFilter filter);
  Status EnsureRelayLog();
  Status EnsureApplier();
  void WriteMasterInfo();
  void WriteRelayLogInfo();
  Status StartThreads(bool io, bool sql);
  void StopThreads(bool io, bool sql);

  ReplicaContext ctx_;
  ReplicationFilter filter_;
  InfoFile master_info_;
  InfoFile relay_info_;
  std::unique_ptr<RelayLog> relay_;
  std::unique_ptr<engine::Applier> applier_;
  std::unique_ptr<IoThread> io_;
  std::unique_ptr<SqlThread> sql_;
  std::mutex statements_mu_;
  bool shut_down_ = false;
};

}  // namespace reptut::replication
