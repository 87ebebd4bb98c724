#include "engine/interrupts.h"

#include <sqlite3.h>

#include "common/errors.h"
#include "engine/server_state.h"

namespace reptut::engine {

namespace {

using Clock = std::chrono::steady_clock;

// Virtual-machine steps between two checks: a few microseconds of work,
// so a stop is seen at once and the checks cost nothing measurable.
constexpr int kProgressOps = 1000;
// How often the client's socket is looked at.
constexpr auto kClientCheckInterval = std::chrono::milliseconds(20);

// A statement that writes is running on the connection.
bool WriteRunning(sqlite3* db) {
  for (sqlite3_stmt* p = sqlite3_next_stmt(db, nullptr); p; p = sqlite3_next_stmt(db, p)) {
    if (sqlite3_stmt_busy(p) && !sqlite3_stmt_readonly(p)) return true;
  }
  return false;
}

// Why the statement `s` runs should stop now (kNone: it goes on).
StopReason Reason(SessionState& s) {
  if (s.killed.load(std::memory_order_relaxed)) return StopReason::kKillConnection;
  if (s.query_killed.load(std::memory_order_relaxed)) return StopReason::kKillQuery;
  if (s.server->stopping.load(std::memory_order_relaxed)) return StopReason::kShutdown;
  Clock::time_point now = Clock::now();
  if (now >= s.deadline) return s.deadline_reason;
  if (s.client_gone && now >= s.next_client_check) {
    s.next_client_check = now + kClientCheckInterval;
    if (s.client_gone()) {
      // Nobody is left to answer: the connection ends after this statement.
      if (s.server->stopping.load()) return StopReason::kShutdown;
      s.killed = true;
      return StopReason::kKillConnection;
    }
  }
  return StopReason::kNone;
}

int OnProgress(void* arg) {
  auto* ec = static_cast<EngineConn*>(arg);
  SessionState* s = ec->acting;
  if (s == nullptr) return 0;
  StopReason r = Reason(*s);
  if (r == StopReason::kNone) return 0;
  if (!ec->write_may_stop && WriteRunning(ec->conn.db())) return 0;
  s->stop_reason = r;
  return 1;
}

}  // namespace

void InstallInterruptCheck(EngineConn& ec) {
  sqlite3_progress_handler(ec.conn.db(), kProgressOps, OnProgress, &ec);
}

void BeginStatement(SessionState& s, bool is_select) {
  s.query_killed = false;
  s.stop_reason = StopReason::kNone;
  s.deadline = Clock::time_point::max();
  s.deadline_reason = StopReason::kNone;
  const SessionState::HotVars& hot = s.Hot();
  if (hot.max_statement_time > 0) {
    s.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(hot.max_statement_time));
    s.deadline_reason = StopReason::kStatementTime;
  }
  if (is_select && hot.max_execution_time_ms > 0) {
    Clock::time_point d = Clock::now() + std::chrono::milliseconds(hot.max_execution_time_ms);
    if (d < s.deadline) {
      s.deadline = d;
      s.deadline_reason = StopReason::kExecutionTime;
    }
  }
}

Error StopError(SessionState& s) {
  // A write that was allowed to stop took the transaction with it: the
  // session is still in its transaction, with nothing done so far.
  if (s.sqlite_txn && !s.Conn().InTransaction()) {
    s.sqlite_txn = false;
    if (s.on_writer) s.server->writer_txn_open = false;
  }
  switch (s.stop_reason) {
    case StopReason::kKillConnection:
      return MakeError(ER_CONNECTION_KILLED);
    case StopReason::kShutdown:
      return MakeError(ER_SERVER_SHUTDOWN);
    case StopReason::kExecutionTime:
      return MakeError(ER_QUERY_TIMEOUT);
    case StopReason::kStatementTime:
      return MakeError(ER_STATEMENT_TIMEOUT);
    case StopReason::kKillQuery:
    case StopReason::kNone:
      break;
  }
  return MakeError(ER_QUERY_INTERRUPTED);
}

WriteMayStop::WriteMayStop(EngineConn& ec, bool may) : ec_(ec), before_(ec.write_may_stop) {
  ec_.write_may_stop = may;
}

WriteMayStop::~WriteMayStop() {
  ec_.write_may_stop = before_;
}

}  // namespace reptut::engine
