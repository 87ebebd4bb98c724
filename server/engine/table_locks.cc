// LOCK TABLES: see table_locks.h.
#include "engine/table_locks.h"

#include "common/errors.h"
#include "engine/exec.h"
#include "engine/group_commit.h"
#include "engine/server_state.h"

namespace reptut::engine {
namespace {

using K = sql::StatementKind;
using Lock = TableLockRegistry::Lock;

// The process list shows what a session waits for.
struct ShowState {
  SessionState& s;
  ShowState(SessionState& session, const char* state) : s(session) {
    std::lock_guard<std::mutex> l(s.info_mu);
    s.state = state;
  }
  ~ShowState() {
    std::lock_guard<std::mutex> l(s.info_mu);
    s.state.clear();
  }
};

Status WaitInRegistry(SessionState& s, const std::vector<Lock>& wanted, bool take) {
  ShowState shown(s, "Waiting for table metadata lock");
  // A session holding the write gate (a write transaction) waits for a
  // lock whose holder waits for that gate: a deadlock, which the waiter
  // loses (FTWRL's gate cannot be given back by a rollback).
  auto deadlock = [&s](uint32_t holder) {
    return s.holds_gate && !s.read_lock && s.server->gate.Waiting(holder);
  };
  return s.server->table_locks.Wait(s.id, wanted, take, s.Hot().lock_wait_timeout, s.killed,
                                    deadlock);
}

// Waits for open write transactions and FLUSH TABLES WITH READ LOCK; with
// `commit_deferred`, group-committed statements reach the data files too.
Status PassGate(SessionState& s, bool commit_deferred) {
  if (s.read_lock) return Status::Ok();  // the gate is ours already
  REPTUT_RETURN_IF_ERROR(TakeGate(s));
  if (commit_deferred && s.server->uncommitted.load()) {
    Status c = CommitWriterTxn(*s.server);
    if (!c.ok()) {
      ReleaseGate(s);
      return c;
    }
  }
  ReleaseGate(s);
  return Status::Ok();
}

bool IsWrite(K kind) {
  return kind == K::kInsert || kind == K::kReplace || kind == K::kUpdate || kind == K::kDelete;
}

}  // namespace

Status CheckTableLocks(SessionState& s, const sql::Statement& st) {
  if (s.table_locks.empty() && !s.server->table_locks.Any()) return Status::Ok();
  const sql::DmlInfo& dml = st.dml;
  std::vector<TableUse> uses;
  for (const sql::TableName& t : dml.tables) {
    uses.push_back({t, IsWrite(st.kind) && dml.target && *dml.target == t});
  }
  return CheckTableUses(s, uses);
}

Status CheckTableUses(SessionState& s, const std::vector<TableUse>& uses) {
  // The replica's SQL thread and start-up replay are not held back.
  if (s.apply.active || s.replaying) return Status::Ok();
  if (s.table_locks.empty() && !s.server->table_locks.Any()) return Status::Ok();
  std::vector<Lock> need;
  std::vector<const std::string*> named;  // as the statement wrote them
  for (const TableUse& use : uses) {
    Result<std::string> db = DbOf(s, use.table);
    if (!db.ok()) return db.error();
    std::string ldb = Lower(*db);
    if (ldb == "information_schema" || ldb == "performance_schema") continue;
    need.push_back({ldb, Lower(use.table.name), use.write});
    named.push_back(&use.table.name);
  }
  if (s.table_locks.empty()) {
    Status w = WaitInRegistry(s, need, false);
    // The loser of a deadlock gives its transaction up, as InnoDB's does.
    if (w.code() == ER_LOCK_DEADLOCK) RollbackTxn(s);
    return w;
  }
  for (size_t i = 0; i < need.size(); ++i) {
    bool locked = false, writable = false;
    for (const SessionState::TableLock& held : s.table_locks) {
      if (held.lock.db != need[i].db || held.lock.table != need[i].table) continue;
      locked = true;
      writable = writable || held.lock.write;
    }
    if (!locked) return MakeError(ER_TABLE_NOT_LOCKED, {*named[i]});
    if (need[i].write && !writable) return MakeError(ER_TABLE_NOT_LOCKED_FOR_WRITE, {*named[i]});
  }
  return Status::Ok();
}

Status LockTables(SessionState& s, const sql::AdminInfo& admin) {
  REPTUT_RETURN_IF_ERROR(ImplicitCommit(s));
  ReleaseTableLocks(s);
  std::vector<SessionState::TableLock> locks;
  std::vector<Lock> wanted;
  bool any_write = false;
  for (const sql::AdminInfo::LockedTable& lt : admin.lock_tables) {
    Result<std::string> db = DbOf(s, lt.table);
    if (!db.ok()) return db.error();
    REPTUT_RETURN_IF_ERROR(CheckDbPriv(s, *db, sql::kPrivLockTables));
    Result<Catalog::DefPtr> def = ResolveTable(s, lt.table);
    if (!def.ok()) return def.error();
    REPTUT_RETURN_IF_ERROR(CheckTablePriv(s, *db, lt.table.name, sql::kPrivSelect, "SELECT"));
    Lock lock{Lower(*db), Lower(lt.table.name), lt.write};
    locks.push_back({lock, Lower(lt.alias)});
    wanted.push_back(lock);
    any_write = any_write || lt.write;
  }
  if (s.read_lock && any_write) return MakeError(ER_CANT_UPDATE_WITH_READLOCK);
  // Open write transactions end first (and FTWRL, for a WRITE lock: the
  // gate is in read-lock mode), then the tables are ours, then whatever
  // was written before is committed to the data files.
  REPTUT_RETURN_IF_ERROR(PassGate(s, false));
  REPTUT_RETURN_IF_ERROR(WaitInRegistry(s, wanted, true));
  Status g = PassGate(s, true);
  if (!g.ok()) {
    s.server->table_locks.Release(s.id);
    return g;
  }
  s.table_locks = std::move(locks);
  return Status::Ok();
}

bool HoldsTableLocks(const SessionState& s) {
  return !s.table_locks.empty();
}

Status WaitForNoWriteLocks(SessionState& s) {
  return WaitInRegistry(s, {Lock{}}, false);
}

void ReleaseTableLocks(SessionState& s) {
  if (s.table_locks.empty()) return;
  s.table_locks.clear();
  s.server->table_locks.Release(s.id);
}

}  // namespace reptut::engine
