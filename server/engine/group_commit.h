// Group commit of autocommitted DML statements.
//
// Every write runs on the server's one writer connection under the write
// gate (locks.h). An autocommitted INSERT/UPDATE/DELETE need not pay for a
// SQLite transaction of its own: the statements that arrive while one is
// running are run together, in one transaction, by one thread, and commit
// together (one WAL append of each page they touched, one binlog publish).
//
// How (a leader/follower scheme, sometimes called flat combining):
//   - A session queues its statement (the work as a closure) and, if no
//     session leads, leads; otherwise it sleeps until its statement is done.
//   - The leader takes the gate, takes the queue (at most kMaxBatch; more
//     join while it runs; after its batch it goes on with what was queued
//     meanwhile, up to kLeaderRounds batches), and on the writer connection
//     runs BEGIN (unless
//     a deferred transaction is open), then each statement for its session
//     (a failing statement is undone alone, by SQLite), writes the batch's
//     log groups with one append, commits or defers (below), publishes the
//     log, marks every statement done with its result and wakes them; then
//     it gives up the gate and the lead. A queued statement not taken yet is
//     led by the first of the waiting sessions.
//   - A statement is durable once its events are in the commit log (the
//     binlog, or without --log-bin the redo log: see binlogging.h), written
//     before the client gets its answer. So the SQLite COMMIT may wait: the
//     leader publishes the batch's log groups and leaves the writer's
//     transaction open (deferred) for the next batches, up to
//     kMaxDeferred statements. It commits at once instead when a statement
//     was not logged (sql_log_bin=0, a filtered database), or when the log
//     is about to rotate (the statements not in SQLite are always in the
//     last log file: recovery.cc replays that file at start-up).
//   - Deferred statements commit: when kMaxDeferred is reached; when a
//     session reads (SeeCommitted: what a client was told is done, every
//     client sees); when anything else takes the gate (explicit
//     transactions, DDL, FLUSH TABLES WITH READ LOCK, FLUSH LOGS); at
//     shutdown; and 200 ms after the first deferred batch (the flusher
//     thread), so SQLite files do not lag for long.
//   - Should statements clients were told are committed fail to reach
//     SQLite (its COMMIT fails, it rolls the transaction back, the log
//     write fails under them), the server stops (StopForReplay): their
//     positions were never recorded, so the next start replays them.
//
// States of a queued statement:
//   queued  -> running   the leader took it into its batch      (RunBatch)
//   running -> done      the batch committed or rolled back     (FinishBatch)
//   queued  -> leading   the lead was handed to it              (FinishBatch)
// States of the lead: free -> held (a session in RunAutocommitWrite found it
// free) -> handed to the first statement still queued, or free (after a
// batch, FinishBatch). Only the leader touches the writer.
//
// With one client the leader's batch is its own statement: the cost over a
// plain statement is a mutex and one append to the commit log (for the redo
// log a copy into its mapping, see BinlogOptions::preallocate_and_map).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "binlog/events.h"
#include "common/status.h"

namespace reptut::engine {

class SessionState;
class ServerState;

class GroupCommit {
 public:
  static constexpr size_t kMaxBatch = 64;
  // A leader whose statement is done runs up to this many batches in all
  // while statements are queued, rather than hand the lead to a sleeping
  // session (the writer would wait until that one is scheduled).
  static constexpr int kLeaderRounds = 4;
  static constexpr size_t kMaxDeferred = 20000;

  struct Item {
    SessionState* session;
    const std::vector<std::string>* dbs;  // the databases the statement uses
    const std::function<Status()>* work;
    Status result;
    // What its session waits for, on this word alone (a futex: waking it
    // takes no lock, so the woken session never queues behind another):
    // kWaiting -> kSleeping (it is about to sleep or sleeps; only then does
    // the leader make the wake-up call) -> kDone (the result is there) or
    // kLead (the lead was handed to it). Once it reads kDone the session
    // returns and the item is gone; a wake-up call after that only names the
    // address, which the kernel tolerates (a spurious wake-up at worst, as
    // after pthread_mutex_unlock).
    static constexpr uint32_t kWaiting = 0, kSleeping = 1, kDone = 2, kLead = 3;
    std::atomic<uint32_t> state{kWaiting};
  };

  std::mutex mu;             // queue and leading
  std::vector<Item*> queue;  // statements not taken by a leader yet
  bool leading = false;      // a session leads (or was handed the lead)
  // RunBatch's, kept between batches (only the leader, under the gate, uses them).
  std::vector<Item*> runnable;
  std::vector<binlog::Event> groups;

  // The flusher thread (commits deferred statements when batches stop).
  std::thread flusher;
  std::condition_variable flusher_cv;
  bool flusher_stop = false;
  std::atomic<bool> stopping{false};
};

// Commits the writer connection's open transaction, if any, after recording
// the commit log position in the databases it changed. The caller holds the
// write gate (or is alone: start-up, shutdown).
Status CommitWriterTxn(ServerState& srv);
// Before a session reads: deferred statements become visible to it.
void SeeCommitted(SessionState& s);
void StartFlusher(ServerState& srv);
// Stops the flusher and commits what is deferred.
void StopFlusher(ServerState& srv);

// Runs `work` (one statement on the writer connection; it returns the
// statement's error) committed with whatever other sessions' statements
// arrive meanwhile. Returns the statement's error or the commit's.
Status RunAutocommitWrite(SessionState& s, const std::vector<std::string>& dbs,
                          const std::function<Status()>& work);

}  // namespace reptut::engine
