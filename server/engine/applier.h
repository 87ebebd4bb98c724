// Applying a master's binary log on this server: the engine half of a
// replica's SQL thread (server/replication/sql_thread.cc is the other).
//
// The SQL thread reads the relay log, cuts it into event groups (a
// transaction, or one statement) and hands each group to an Applier. The
// Applier runs the group's statements through an ordinary session, in the
// context the events carry (default database, SET TIMESTAMP, INSERT_ID,
// LAST_INSERT_ID, RAND seeds, user variables, sql_mode, auto_increment and
// character set variables), as the "system user" with every privilege, so
// that read_only never stops it.
//
// Batches. Groups run inside one SQLite transaction on the writer
// connection (the write gate held), each under a savepoint; Commit() ends
// the batch. A failing statement undoes its group alone (the groups before
// it stay in the batch). DDL commits the batch before it, as MySQL's
// implicit commit does, and is a batch of its own.
//
// Crash safety (the MySQL 5.6 "crash-safe replica"). The relay log is the
// SQL thread's redo log: the statements it applies are not written to this
// server's commit log (unless log-slave-updates puts them in its binary
// log). Instead the same SQLite transaction records where the SQL thread
// stands:
//   - mysql._reptut_replica_state: the relay log and master positions
//     after the batch, the master position before it (batch_start) and the
//     databases the batch changed;
//   - <db>._reptut_replica_pos in each database the batch changed: the
//     master position after the last group that changed it.
// SQLite commits a transaction over several database files file by file,
// so a kill -9 can leave some of them with the batch and some without
// ("torn"). ReadReplicaState() finds that: a database of the batch whose
// own position is not past batch_start lacks it. The SQL thread then starts
// again at batch_start, and a statement is skipped in a database whose
// position already reaches the event (SkipAppliedUntil), so that nothing is
// applied twice or lost.
//
// log-slave-updates. Each group goes to this server's binary log as a group
// of its own with the events' server id (a server drops its own events when
// they come back in a ring), appended unpublished before the SQLite COMMIT
// and published after it. At start-up, recovery (recovery.cc) cuts the log
// at the first group of another server that `mysql` did not record: the
// SQL thread applies and logs it again.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/binlog_writer.h"
#include "binlog/events.h"
#include "common/status.h"
#include "engine/server.h"
#include "engine/session.h"
#include "sql/statement.h"

namespace reptut::engine {

// Compares two positions of one binary log ("master-bin.000012", 415): by
// the file's sequence number, then the position. <0, 0, >0.
int CompareLogPositions(const binlog::LogPosition& a, const binlog::LogPosition& b);

// Where the SQL thread stands: in the relay log, and in the master's binary
// log (Relay_Master_Log_File, Exec_Master_Log_Pos).
struct ReplicaPosition {
  binlog::LogPosition relay;
  binlog::LogPosition master;
};

// What the data files recorded about the SQL thread.
struct SavedReplicaState {
  bool present = false;
  ReplicaPosition position;         // after the last committed batch
  binlog::LogPosition batch_start;  // the master position before that batch
  // A database of the last batch lacks it (a crash in the middle of its
  // commit): start again at batch_start, skipping in the databases that have it.
  bool torn = false;
  std::map<std::string, binlog::LogPosition> db_positions;  // the batch's databases
};

// One event group of the master's log.
struct EventGroup {
  std::vector<binlog::Event> events;  // in order: context events, statements, its end
  std::string master_file;            // the master log their end_log_pos refer to
  ReplicaPosition end;                // where the SQL thread stands after the group
};

class Applier {
 public:
  struct Options {
    // log-slave-updates, with this server's binary log on.
    bool log_updates = false;
    // replicate-* rules: whether a statement runs (null: all run).
    std::function<bool(const sql::Statement&, std::string_view current_db)> filter;
  };

  // A session of its own ("system user"), which SHOW PROCESSLIST lists.
  static Result<std::unique_ptr<Applier>> Create(Server& server, Options options);
  ~Applier();  // rolls an open batch back
  Applier(const Applier&) = delete;
  Applier& operator=(const Applier&) = delete;

  Session& session() { return *session_; }

  // After a torn batch (SavedReplicaState::torn): until the master position
  // `until`, a statement is skipped in a database whose recorded position
  // reaches its event.
  void SkipAppliedUntil(const SavedReplicaState& saved);
  // Re-applying a torn batch, not past its end yet. The batch must then be
  // committed only whole (at its end) or rolled back: a commit that ends
  // earlier would record positions that say some databases lack groups
  // they have, and the next start would apply those groups again.
  bool reapplying() const;
  // Where the torn batch ended (meaningful while reapplying()).
  const binlog::LogPosition& reapply_end() const { return reapply_end_; }

  // Applies one group inside the open batch (opening one takes the write
  // gate). On failure the group is undone and the error is MySQL's text for
  // a replica: "Error '<message>' on query. Default database: '<db>'.
  // Query: '<query>'" with the statement's code; the batch stays open with
  // the groups before it.
  Status ApplyGroup(const EventGroup& group);
  // Commits the open batch and records where it ends (nothing open: no-op).
  Status Commit();
  // Undoes the open batch.
  void Rollback();
  bool in_batch() const;
  size_t batch_groups() const { return batch_groups_; }
  // The position the data files have (after the last Commit()).
  const ReplicaPosition& committed() const { return committed_; }
  // The position after the last group applied (committed or not).
  const ReplicaPosition& applied() const { return applied_; }

  // The state the data files record, replaced outside any batch: CHANGE
  // MASTER TO with a position, RESET SLAVE (nullopt: forget it).
  Status StoreState(const std::optional<ReplicaPosition>& position);
  // Sets the applied/committed positions without touching the data files
  // (the SQL thread starts from a known state).
  void SetPosition(const ReplicaPosition& position);

 private:
  Applier(std::unique_ptr<Session> session, Options options);
  Status ApplyEvent(const binlog::Event& e, const std::string& master_file, bool* ended);
  Status RunStatement(const binlog::Event& e, const binlog::QueryEvent& q);
  // Begin_load_query / Append_block / Execute_load_query (LOAD DATA).
  Status ApplyLoadEvent(const binlog::Event& e, const std::string& master_file);
  std::string LoadFilePath(uint32_t server_id, uint32_t file_id) const;
  void ApplyQueryContext(const binlog::Event& e, const binlog::QueryEvent& q);
  Status BeginBatch();

  std::unique_ptr<Session> session_;
  SessionState& s_;
  Options options_;
  ReplicaPosition committed_;
  ReplicaPosition applied_;
  size_t batch_groups_ = 0;
  std::map<std::string, binlog::LogPosition> skip_positions_;
  binlog::LogPosition reapply_start_, reapply_end_;
  // The Query context last applied, to set only what changes.
  std::optional<uint64_t> sql_mode_;
  std::optional<uint32_t> flags2_;
  std::optional<uint32_t> auto_inc_;  // increment << 16 | offset
  std::optional<uint64_t> charset_;   // client << 32 | connection << 16 | server
  std::optional<std::string> time_zone_;
  uint32_t timestamp_ = 0;
};

// Reads what the data files recorded about the SQL thread (at start-up,
// before an Applier runs).
Result<SavedReplicaState> ReadReplicaState(Server& server);

}  // namespace reptut::engine
