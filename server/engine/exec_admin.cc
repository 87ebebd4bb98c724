// Transaction control, FLUSH, LOCK/UNLOCK TABLES, KILL, SHUTDOWN, BINLOG,
// PURGE and RESET MASTER (the replica's statements: exec_replication.cc).
#include <openssl/evp.h>

#include "common/errors.h"
#include "common/log.h"
#include "engine/binlogging.h"
#include "engine/exec.h"
#include "engine/group_commit.h"
#include "engine/query_log.h"
#include "engine/table_locks.h"

namespace reptut::engine {
namespace {

using K = sql::StatementKind;

void FlushTablesWithReadLock(Exec& x) {
  SessionState& s = x.s;
  if (!Accounts::HasGlobal(s.account, sql::kPrivReload)) {
    return x.Fail(MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {"RELOAD"}));
  }
  if (HoldsTableLocks(s)) return x.Fail(MakeError(ER_LOCK_OR_ACTIVE_TRANSACTION));
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  // Tables another session locked WRITE are written until it unlocks them.
  Status w = WaitForNoWriteLocks(s);
  if (!w.ok()) return x.Fail(w.error());
  {
    std::lock_guard<std::mutex> l(s.info_mu);
    s.state = "Waiting for global read lock";
  }
  Status st = s.server->gate.Acquire(s.id, WriteGate::Mode::kGlobalReadLock,
                                     std::chrono::hours(24 * 365), s.killed);
  {
    std::lock_guard<std::mutex> l(s.info_mu);
    s.state.clear();
  }
  if (!st.ok()) return x.Fail(st.error());
  s.holds_gate = true;
  s.read_lock = true;
  // Deferred statements reach the data files before anyone copies them.
  if (Status cw = CommitWriterTxn(*s.server); !cw.ok()) {
    log::ErrorLine("Committing deferred statements: " + cw.message());
  }
  x.Ok();
}

// Gives back LOCK TABLES' locks (committing the transaction open under
// them, as MySQL does) and FLUSH TABLES WITH READ LOCK's.
void UnlockTables(Exec& x) {
  SessionState& s = x.s;
  if (HoldsTableLocks(s)) {
    Status c = ImplicitCommit(s);
    ReleaseTableLocks(s);
    if (!c.ok()) return x.Fail(c.error());
  }
  if (s.read_lock) {
    s.read_lock = false;
    s.holds_gate = false;
    s.server->gate.Release(s.id);
  }
  x.Ok();
}

// BINLOG '...' as mariadb-binlog writes it: the Format_description event
// needs nothing from a statement-based server; any other event is a row
// event this server cannot apply.
void Binlog(Exec& x, const sql::Statement& st) {
  std::string b64;
  for (char c : st.repl.base64) {
    if (!std::isspace(static_cast<unsigned char>(c))) b64 += c;
  }
  std::string raw(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 19) return x.Fail(MakeErrorMsg(1609, "Decoding of base64 string failed"));
  unsigned char type = static_cast<unsigned char>(raw[4]);
  if (type == 15) return x.Ok();  // FORMAT_DESCRIPTION_EVENT
  x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"BINLOG with row events"}));
}

}  // namespace

void ExecAdmin(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  switch (st.kind) {
    case K::kBegin: {
      Status c = ImplicitCommit(s);
      if (!c.ok()) return x.Fail(c.error());
      ReleaseTableLocks(s);  // as MySQL's BEGIN does
      s.explicit_txn = true;
      if (st.txn.consistent_snapshot) {
        Status b = BeginRead(s);
        if (!b.ok()) return x.Fail(b.error());
      }
      return x.Ok();
    }
    case K::kCommit: {
      Status c = CommitTxn(s);
      if (!c.ok()) return x.Fail(c.error());
      return x.Ok();
    }
    case K::kRollback:
      RollbackTxn(s);
      return x.Ok();
    case K::kSavepoint:
    case K::kRollbackToSavepoint:
    case K::kReleaseSavepoint: {
      std::string name = storage::SqliteConn::Quote("sp_" + st.txn.savepoint);
      std::string sql = st.kind == K::kSavepoint             ? "SAVEPOINT " + name
                        : st.kind == K::kRollbackToSavepoint ? "ROLLBACK TO " + name
                                                             : "RELEASE " + name;
      if (st.kind == K::kSavepoint && !s.sqlite_txn) {
        if (!InTxnMode(s)) return x.Ok();
        Status b = BeginRead(s);
        if (!b.ok()) return x.Fail(b.error());
      }
      storage::SqliteError e = s.Conn().Exec(sql);
      if (st.kind == K::kSavepoint && e.ok()) s.txn_wrote = true;
      if (!e.ok()) {
        return x.Fail(MakeErrorMsg(1305, "SAVEPOINT " + st.txn.savepoint + " does not exist"));
      }
      return x.Ok();
    }
    case K::kFlush: {
      if (st.admin.flush_read_lock) return FlushTablesWithReadLock(x);
      if (!Accounts::HasGlobal(s.account, sql::kPrivReload)) {
        return x.Fail(MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {"RELOAD"}));
      }
      for (const std::string& what : st.admin.flush_what) {
        if (what == "logs" || what == "binary logs") {
          Status f = FlushLogs(x);
          if (!f.ok()) return x.Fail(f.error());
        }
        if (what == "logs" || what == "relay logs") {
          Status f = FlushRelayLogs(x);
          if (!f.ok()) return x.Fail(f.error());
        }
        if (what == "logs" || what == "general logs" || what == "slow logs") {
          ReopenQueryLogs(*s.server, what);
        }
        if (what == "privileges") {
          Status a = AttachDb(s, "mysql");
          if (!a.ok()) return x.Fail(a.error());
          Status l = s.server->accounts.Load(s.Conn());
          if (!l.ok()) return x.Fail(l.error());
        }
      }
      return x.Ok();
    }
    case K::kUnlockTables:
      return UnlockTables(x);
    case K::kLockTables: {
      Status l = LockTables(s, st.admin);
      if (!l.ok()) return x.Fail(l.error());
      return x.Ok();
    }
    case K::kKill: {
      uint32_t target = static_cast<uint32_t>(st.admin.kill_id);
      bool exists;
      std::string owner;
      {
        std::lock_guard<std::mutex> l(s.server->sessions_mu);
        auto it = s.server->sessions.find(target);
        exists = it != s.server->sessions.end();
        if (exists) owner = it->second->user;
      }
      if (!exists) return x.Fail(MakeError(ER_NO_SUCH_THREAD, {std::to_string(target)}));
      // Another user's thread only with SUPER (PROCESS shows it, no more).
      if (owner != s.user && !Accounts::HasGlobal(s.account, sql::kPrivSuper)) {
        return x.Fail(MakeError(ER_KILL_DENIED_ERROR, {std::to_string(target)}));
      }
      if (target == s.id && !st.admin.kill_query) {
        s.killed = true;
        s.server->KillSession(target, false);
        return x.Fail(MakeError(ER_QUERY_INTERRUPTED));
      }
      s.server->KillSession(target, st.admin.kill_query);
      return x.Ok();
    }
    case K::kShutdown: {
      if (!Accounts::HasGlobal(s.account, sql::kPrivShutdown)) {
        return x.Fail(MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {"SHUTDOWN"}));
      }
      x.Ok();
      {
        std::lock_guard<std::mutex> l(s.server->shutdown_mu);
        s.server->shutdown = true;
      }
      s.server->shutdown_cv.notify_all();
      return;
    }
    case K::kBinlog:
      return Binlog(x, st);
    case K::kPurgeBinaryLogs:
      return PurgeBinaryLogs(x, st);
    case K::kResetMaster:
      return ResetMaster(x);
    case K::kChangeMaster:
    case K::kStartSlave:
    case K::kStopSlave:
    case K::kResetSlave:
      return ExecReplication(x, st);
    default:
      return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {sql::StatementKindName(st.kind)}));
  }
}

}  // namespace reptut::engine
