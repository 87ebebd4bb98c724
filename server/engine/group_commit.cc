#include "engine/group_commit.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>

#include "common/errors.h"
#include "common/log.h"
#include "engine/binlogging.h"
#include "engine/exec.h"

namespace reptut::engine {
namespace {

using Item = GroupCommit::Item;

// The writer has every database the statement uses, attached in the
// current schema epoch.
bool WriterHasAll(const Item& item) {
  ServerState& srv = *item.session->server;
  EngineConn& w = srv.writer;
  if (w.seen_schema_epoch != srv.schema_epoch.load()) return false;
  if (!w.conn.IsAttached("mysql")) return false;
  for (const std::string& db : *item.dbs) {
    if (!w.conn.IsAttached(db) && srv.datadir.DatabaseExists(db)) return false;
  }
  return true;
}

// Statements clients were told are committed could not reach the data
// files, and the running server cannot bring them back: stop, so that the
// next start replays them from the commit log (its last file is still
// marked in use, and no database recorded a position past them).
[[noreturn]] void StopForReplay(size_t statements, const std::string& why) {
  log::ErrorLine("Aborting: " + std::to_string(statements) +
                 " committed statements could not be written to the data files (" + why +
                 "); the next start applies them from the commit log");
  std::abort();
}

void CommitOrLog(ServerState& srv) {
  Status c = CommitWriterTxn(srv);
  if (!c.ok()) log::ErrorLine("Committing deferred statements: " + c.message());
}

// The leader's round: the batch runs on the writer connection, its log
// groups are written, and it commits now or stays deferred. The caller
// holds the gate; every item gets its result.
void RunBatch(SessionState& leader, std::vector<Item*>& batch) {
  ServerState& srv = *leader.server;
  storage::SqliteConn& w = srv.writer.conn;
  binlog::BinlogWriter* log = srv.commit_log();
  // Attach what the statements resolved; that needs the writer without a
  // transaction.
  std::vector<Item*>& runnable = srv.group_commit.runnable;  // the leader's alone
  runnable.clear();
  for (Item* item : batch) {
    SessionState& m = *item->session;
    m.on_writer = true;
    srv.writer.acting = &m;
    if (srv.writer_txn_open && !WriterHasAll(*item)) CommitOrLog(srv);
    item->result = srv.writer_txn_open ? Status::Ok() : PrepareWriterFor(m, *item->dbs);
    m.on_writer = false;
    if (item->result.ok()) runnable.push_back(item);
  }
  srv.writer.acting = nullptr;
  // SQLite attaches at most ten databases: making room for one statement's
  // may have detached another's. Those wait for the next batch, first.
  std::vector<Item*> later;
  for (auto it = runnable.begin(); it != runnable.end();) {
    if (WriterHasAll(**it)) {
      ++it;
      continue;
    }
    later.push_back(*it);
    it = runnable.erase(it);
  }
  if (!later.empty()) {
    std::lock_guard<std::mutex> lock(srv.group_commit.mu);
    for (Item* item : later) batch.erase(std::find(batch.begin(), batch.end(), item));
    srv.group_commit.queue.insert(srv.group_commit.queue.begin(), later.begin(), later.end());
  }
  if (runnable.empty()) return;
  if (!srv.writer_txn_open) {
    if (storage::SqliteError e = w.ExecCached("BEGIN"); !e.ok()) {
      Error err = MapSqliteError(leader, e);
      for (Item* item : runnable) item->result = err;
      return;
    }
    srv.writer_txn_open = true;
  }
  // No savepoints: a statement is one SQLite statement, which SQLite undoes
  // by itself when it fails (only an AUTO_INCREMENT counter it moved stays
  // moved, as on MySQL).
  size_t succeeded = 0;
  bool all_logged = log != nullptr;
  Status broken;  // the commit log failed: the batch is rolled back
  GroupCommit& gc = srv.group_commit;
  std::vector<binlog::Event>& groups = gc.groups;  // the batch's, one write
  groups.clear();
  for (size_t next = 0;; ++next) {
    if (next == runnable.size()) {
      // Statements queued meanwhile join this batch (and its one log
      // write), if the writer has their databases.
      std::lock_guard<std::mutex> lock(gc.mu);
      while (!gc.queue.empty() && batch.size() < GroupCommit::kMaxBatch &&
             WriterHasAll(*gc.queue.front())) {
        batch.push_back(gc.queue.front());
        runnable.push_back(gc.queue.front());
        gc.queue.erase(gc.queue.begin());
      }
      if (next == runnable.size()) break;
    }
    Item* item = runnable[next];
    SessionState& m = *item->session;
    m.on_writer = true;
    m.sqlite_txn = true;
    srv.writer.acting = &m;
    Status r = (*item->work)();
    if (r.ok()) {
      if (m.replaying) {
        r = BinlogBeforeCommit(m);
      } else if (!TakeLogGroup(m, &groups)) {
        all_logged = false;
      }
    }
    item->result = r;
    if (r.ok()) ++succeeded;
    m.on_writer = false;
    m.sqlite_txn = false;
  }
  srv.writer.acting = nullptr;
  if (!groups.empty()) {
    // The groups before these (deferred) are published already.
    broken = log->Append(groups, /*publish=*/false, &srv.writer_log_end);
  }
  if (sqlite3_get_autocommit(w.db())) {
    // SQLite rolled the whole transaction back (disk full, out of memory):
    // statements of this batch that succeeded are gone, and so are the
    // deferred ones.
    if (srv.deferred_statements > 0) {
      StopForReplay(srv.deferred_statements, "SQLite rolled the transaction back");
    }
    srv.writer_txn_open = false;
    srv.deferred_statements = 0;
    srv.writer_log_dbs.clear();
    srv.uncommitted.store(false);
    if (broken.ok() && succeeded > 0) {
      broken = MakeErrorMsg(1180, "Error on COMMIT: the transaction was rolled back");
    }
  }
  bool logged = false;  // the batch's log groups stay (published)
  Status failure = broken;
  if (!broken.ok()) {
    // The commit log failed (its writer refuses further writes): nothing of
    // this batch may reach SQLite. Deferred statements go with it; they are
    // in the log, and the next start applies them.
    if (srv.deferred_statements > 0) {
      StopForReplay(srv.deferred_statements, "the commit log failed: " + broken.message());
    }
    if (srv.writer_txn_open) (void)w.ExecCached("ROLLBACK");
    srv.writer_txn_open = false;
    srv.deferred_statements = 0;
    srv.writer_log_dbs.clear();
    srv.uncommitted.store(false);
    for (Item* item : runnable) {
      if (item->result.ok()) item->result = broken;
    }
  } else if (succeeded == 0) {
    if (srv.deferred_statements == 0 && srv.writer_txn_open) {
      (void)w.ExecCached("ROLLBACK");
      srv.writer_txn_open = false;
    }
  } else if (all_logged && srv.deferred_statements + succeeded < GroupCommit::kMaxDeferred &&
             !log->WouldRotate()) {
    // Durable in the commit log: SQLite's COMMIT can wait.
    logged = true;
    srv.deferred_statements += succeeded;
    if (!srv.uncommitted.exchange(true)) srv.group_commit.flusher_cv.notify_one();
  } else {
    Status c = CommitWriterTxn(srv);
    logged = c.ok();
    if (!c.ok()) failure = c;
  }
  if (log) {
    Status b = logged ? log->Publish() : log->DiscardUnpublished();
    if (!b.ok()) log::ErrorLine("Commit log: " + b.message());
    PurgeRedo(srv);
  }
  for (Item* item : runnable) {
    SessionState& m = *item->session;
    m.binlog_pending = false;  // published or discarded above, for all
    BinlogAfterCommit(m, logged);
    if (!failure.ok() && item->result.ok()) item->result = failure;
  }
}

uint32_t* FutexWord(std::atomic<uint32_t>* a) {
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
  return reinterpret_cast<uint32_t*>(a);
}

// Sleeps until the item is done or handed the lead; returns which.
uint32_t Await(Item& item) {
  for (;;) {
    uint32_t v = item.state.load(std::memory_order_acquire);
    if (v == Item::kDone || v == Item::kLead) return v;
    if (v == Item::kWaiting &&
        !item.state.compare_exchange_strong(v, Item::kSleeping, std::memory_order_acq_rel)) {
      continue;
    }
    // Returns at once if the word is no longer kSleeping.
    ::syscall(SYS_futex, FutexWord(&item.state), FUTEX_WAIT_PRIVATE, Item::kSleeping, nullptr,
              nullptr, 0);
  }
}

void Signal(Item* item, uint32_t state) {
  if (item->state.exchange(state, std::memory_order_acq_rel) == Item::kSleeping) {
    ::syscall(SYS_futex, FutexWord(&item->state), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  }
}

// After a batch: every statement of it is marked done and its session
// woken. Then, if statements are queued, the caller leads another round
// when `may_go_on` (the writer stays busy: handing the lead to a sleeping
// session leaves it idle until that session is scheduled), or the lead goes
// to the first of them; otherwise it is freed. Returns whether the caller
// leads on.
bool FinishBatch(GroupCommit& gc, const std::vector<Item*>& batch, Item* me, bool may_go_on) {
  for (Item* item : batch) {
    if (item == me) {
      me->state.store(Item::kDone, std::memory_order_relaxed);
    } else {
      Signal(item, Item::kDone);
    }
  }
  Item* next = nullptr;
  {
    std::lock_guard<std::mutex> lock(gc.mu);
    if (gc.queue.empty()) {
      gc.leading = false;
      return false;
    }
    if (may_go_on) return true;
    next = gc.queue.front();
  }
  Signal(next, Item::kLead);
  return false;
}

}  // namespace

Status RunAutocommitWrite(SessionState& s, const std::vector<std::string>& dbs,
                          const std::function<Status()>& work) {
  if (s.read_lock) return MakeError(ER_CANT_UPDATE_WITH_READLOCK);
  GroupCommit& gc = s.server->group_commit;
  Item me{&s, &dbs, &work, Status::Ok()};
  // The statement waits for the gate (as InnoDB's row lock waits) up to
  // this deadline in all, however many leaders it waits behind.
  const auto deadline = std::chrono::steady_clock::now() + RowChangeTimeout(s);
  bool lead = false;
  {
    std::lock_guard<std::mutex> lock(gc.mu);
    gc.queue.push_back(&me);
    if (!gc.leading) gc.leading = lead = true;
  }
  for (;;) {
    if (!lead) {
      if (Await(me) == Item::kDone) return me.result;
      me.state.store(Item::kWaiting, std::memory_order_relaxed);  // leading now
    }
    lead = false;
    // Rounds of batches while statements are queued: until our own is done
    // (RunBatch may put it back for the next batch), then a few more.
    for (int round = 1;; ++round) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      Status gate = TakeGate(s, std::max(left, std::chrono::milliseconds(0)));
      std::vector<Item*> batch;
      {
        std::lock_guard<std::mutex> lock(gc.mu);
        if (!gate.ok()) {
          // This session gives up (KILL, lock wait timeout); the others
          // stay queued for the next leader.
          auto it = std::find(gc.queue.begin(), gc.queue.end(), &me);
          if (it != gc.queue.end()) gc.queue.erase(it);
          if (me.state.load(std::memory_order_relaxed) != Item::kDone) me.result = gate;
        } else {
          size_t n = std::min(gc.queue.size(), GroupCommit::kMaxBatch);
          batch.assign(gc.queue.begin(), gc.queue.begin() + static_cast<long>(n));
          gc.queue.erase(gc.queue.begin(), gc.queue.begin() + static_cast<long>(n));
        }
      }
      if (gate.ok()) {
        RunBatch(s, batch);
        ReleaseGate(s);
      }
      // (Statements RunBatch put back are queued again, not done.)
      bool own_done = me.state.load(std::memory_order_relaxed) == Item::kDone ||
                      std::find(batch.begin(), batch.end(), &me) != batch.end();
      bool may_go_on = gate.ok() && (!own_done || round < GroupCommit::kLeaderRounds);
      if (!FinishBatch(gc, batch, &me, may_go_on)) {
        if (!gate.ok()) return me.result;
        break;
      }
    }
    if (me.state.load(std::memory_order_relaxed) == Item::kDone) return me.result;
  }
}

Status CommitWriterTxn(ServerState& srv) {
  if (!srv.writer_txn_open) return Status::Ok();
  storage::SqliteConn& w = srv.writer.conn;
  Status recorded = RecordWriterPositions(srv);
  storage::SqliteError e;
  if (recorded.ok()) e = w.ExecCached("COMMIT");
  size_t lost = srv.deferred_statements;
  srv.writer_txn_open = false;
  srv.deferred_statements = 0;
  srv.writer_log_dbs.clear();
  srv.uncommitted.store(false);
  if (recorded.ok() && e.ok()) return Status::Ok();
  std::string why = recorded.ok() ? e.message : recorded.message();
  if (lost > 0) StopForReplay(lost, "COMMIT failed: " + why);
  (void)w.ExecCached("ROLLBACK");
  return MakeErrorMsg(1180, "Error on COMMIT: " + why);
}

void SeeCommitted(SessionState& s) {
  ServerState& srv = *s.server;
  if (!srv.uncommitted.load() || s.on_writer || s.read_lock) return;
  if (s.holds_gate) {  // an autocommitted locking read (exec_dml.cc)
    CommitOrLog(srv);
    return;
  }
  // The gate is waited for in short slices while something is still
  // deferred: whoever else takes it (a transaction, a locking read) commits
  // the deferred statements first, and a plain read must then go on
  // instead of waiting for that transaction's end.
  while (srv.uncommitted.load()) {
    Status st = TakeGate(s, std::chrono::milliseconds(10));
    if (st.ok()) {
      if (srv.uncommitted.load()) CommitOrLog(srv);
      ReleaseGate(s);
      return;
    }
    if (st.code() != ER_LOCK_WAIT_TIMEOUT) return;
  }
}

namespace {
constexpr uint32_t kFlusherId = 0xFFFFFFFFu;
}

void StartFlusher(ServerState& srv) {
  GroupCommit& gc = srv.group_commit;
  gc.flusher = std::thread([&srv, &gc] {
    std::unique_lock<std::mutex> lock(gc.mu);
    while (!gc.flusher_stop) {
      // Woken by a deferring batch; the timeout covers a wake-up that came
      // between the check and the wait.
      gc.flusher_cv.wait_for(lock, std::chrono::seconds(1),
                             [&] { return gc.flusher_stop || srv.uncommitted.load(); });
      if (!srv.uncommitted.load() && !gc.flusher_stop) continue;
      if (gc.flusher_stop) break;
      // Deferred statements are durable and readers commit them when they
      // look: this only keeps the data files from lagging for long.
      gc.flusher_cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return gc.flusher_stop; });
      if (gc.flusher_stop) break;
      lock.unlock();
      if (srv.gate.Acquire(kFlusherId, WriteGate::Mode::kWrite, std::chrono::hours(1), gc.stopping)
              .ok()) {
        if (srv.uncommitted.load()) CommitOrLog(srv);
        srv.gate.Release(kFlusherId);
      }
      lock.lock();
    }
  });
}

void StopFlusher(ServerState& srv) {
  GroupCommit& gc = srv.group_commit;
  gc.stopping.store(true);
  {
    std::lock_guard<std::mutex> lock(gc.mu);
    gc.flusher_stop = true;
  }
  gc.flusher_cv.notify_all();
  if (gc.flusher.joinable()) gc.flusher.join();
  CommitOrLog(srv);
}

}  // namespace reptut::engine
