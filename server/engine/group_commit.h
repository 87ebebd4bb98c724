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
//   - The leader takes the gate, takes the queue (at most kMaxBatch), and on
//     the writer connection runs BEGIN, then each statement for its session
//     inside a savepoint (a failing statement is undone alone), appends each
//     one's binlog group unpublished, COMMITs, publishes the binlog, marks
//     every statement done with its result and wakes them; then it gives up
//     the gate and the lead. A queued statement not taken yet is led by one
//     of the woken sessions.
//   - A statement's client gets its answer only after the COMMIT: what a
//     client was told is committed is in SQLite and in the binlog, in the
//     same order, as with one transaction per statement.
//
// States of a queued statement:
//   queued  -> running   the leader took it into its batch      (Lead)
//   running -> done      the batch committed or rolled back     (Lead)
// States of the lead: free -> held (a session in RunAutocommitWrite found it
// free) -> free (after its batch). Only the leader touches the writer.
//
// With one client the leader's batch is its own statement: the cost over a
// plain transaction is a mutex and no savepoint.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "common/status.h"

namespace reptut::engine {

class SessionState;

class GroupCommit {
 public:
  static constexpr size_t kMaxBatch = 64;

  struct Item {
    SessionState* session;
    const std::function<Status()>* work;
    Status result;
    bool done = false;
  };

  std::mutex mu;
  std::condition_variable cv;
  std::vector<Item*> queue;
  bool leading = false;
};

// Runs `work` (one statement on the writer connection; it returns the
// statement's error) committed with whatever other sessions' statements
// arrive meanwhile. Returns the statement's error or the commit's.
Status RunAutocommitWrite(SessionState& s, const std::function<Status()>& work);

}  // namespace reptut::engine
