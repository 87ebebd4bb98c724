#include "engine/group_commit.h"

#include <algorithm>

#include "common/log.h"
#include "engine/binlogging.h"
#include "engine/exec.h"

namespace reptut::engine {
namespace {

using Item = GroupCommit::Item;

// The leader's round: the batch runs and commits on the writer connection.
// The caller holds the gate; every item gets its result.
void RunBatch(SessionState& leader, const std::vector<Item*>& batch) {
  ServerState& srv = *leader.server;
  storage::SqliteConn& w = srv.writer.conn;
  // Attach what the statements resolved, before the transaction begins.
  std::vector<Item*> runnable;
  for (Item* item : batch) {
    SessionState& m = *item->session;
    m.on_writer = true;
    srv.writer.acting = &m;
    item->result = PrepareConnection(m);
    m.on_writer = false;
    if (item->result.ok()) runnable.push_back(item);
  }
  srv.writer.acting = nullptr;
  if (runnable.empty()) return;
  if (storage::SqliteError e = w.ExecCached("BEGIN"); !e.ok()) {
    Error err = MapSqliteError(leader, e);
    for (Item* item : runnable) item->result = err;
    return;
  }
  // One statement alone needs no savepoint: its failure rolls back all.
  bool savepoints = runnable.size() > 1;
  size_t succeeded = 0;
  Status broken;  // the binary log failed: the whole batch is rolled back
  for (Item* item : runnable) {
    SessionState& m = *item->session;
    m.on_writer = true;
    m.sqlite_txn = true;
    m.in_group_commit = true;
    srv.writer.acting = &m;
    if (savepoints) (void)w.ExecCached("SAVEPOINT reptut_stmt");
    Status r = (*item->work)();
    if (r.ok()) {
      r = BinlogBeforeCommit(m);
      if (!r.ok()) broken = r;
    }
    if (savepoints) {
      if (!r.ok()) (void)w.ExecCached("ROLLBACK TO reptut_stmt");
      (void)w.ExecCached("RELEASE reptut_stmt");
    }
    item->result = r;
    if (r.ok()) ++succeeded;
    m.on_writer = false;
    m.sqlite_txn = false;
    m.in_group_commit = false;
    if (!broken.ok()) break;
  }
  srv.writer.acting = nullptr;
  bool committed = false;
  Status failure = broken;
  if (broken.ok() && succeeded > 0) {
    storage::SqliteError e = w.ExecCached("COMMIT");
    committed = e.ok();
    if (!committed) failure = MapSqliteError(leader, e);
  }
  if (!committed) (void)w.ExecCached("ROLLBACK");
  if (srv.binlog) {
    Status b = committed ? srv.binlog->Publish() : srv.binlog->DiscardUnpublished();
    if (!b.ok()) log::ErrorLine("Binary log: " + b.message());
  }
  for (Item* item : runnable) {
    SessionState& m = *item->session;
    m.binlog_pending = false;  // published or discarded above, for all
    BinlogAfterCommit(m, committed);
    if (!failure.ok() && item->result.ok()) item->result = failure;
  }
}

}  // namespace

Status RunAutocommitWrite(SessionState& s, const std::function<Status()>& work) {
  if (s.read_lock) return MakeError(ER_CANT_UPDATE_WITH_READLOCK);
  GroupCommit& gc = s.server->group_commit;
  Item me{&s, &work, Status::Ok(), false};
  std::unique_lock<std::mutex> lock(gc.mu);
  gc.queue.push_back(&me);
  while (!me.done) {
    if (gc.leading) {
      gc.cv.wait(lock);
      continue;
    }
    gc.leading = true;
    lock.unlock();
    Status gate = TakeGate(s);
    lock.lock();
    if (!gate.ok()) {
      // This session gives up (KILL, lock wait timeout); the others stay
      // queued for the next leader.
      gc.queue.erase(std::find(gc.queue.begin(), gc.queue.end(), &me));
      me.result = gate;
      me.done = true;
      gc.leading = false;
      gc.cv.notify_all();
      break;
    }
    size_t n = std::min(gc.queue.size(), GroupCommit::kMaxBatch);
    std::vector<Item*> batch(gc.queue.begin(), gc.queue.begin() + static_cast<long>(n));
    gc.queue.erase(gc.queue.begin(), gc.queue.begin() + static_cast<long>(n));
    lock.unlock();
    RunBatch(s, batch);
    ReleaseGate(s);
    lock.lock();
    for (Item* item : batch) item->done = true;
    gc.leading = false;
    gc.cv.notify_all();
  }
  return me.result;
}

}  // namespace reptut::engine
