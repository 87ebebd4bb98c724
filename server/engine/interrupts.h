// Stopping a running statement: KILL QUERY and KILL from another session,
// the client hanging up, max_execution_time (MySQL 5.7, SELECT only, in
// milliseconds), max_statement_time (MariaDB, any statement, in seconds)
// and the server's shutdown.
//
// How. SQLite calls a progress handler every kProgressOps virtual-machine
// steps of a statement; a non-zero return makes the statement fail with
// SQLITE_INTERRUPT. Each engine connection (a session's own, the writer)
// has the handler, with the connection as its argument: it looks at the
// session the connection acts for (EngineConn::acting), so the flags are
// those of whoever runs the statement now. MapSqliteError turns the
// interrupt into the error of its reason (StopReason).
//
// What may be stopped. SQLite rolls the whole transaction back when it
// interrupts a statement that writes (sqlite3VdbeHalt), not when the
// statement only reads. So:
//   - a statement that only reads stops wherever it is, on any connection;
//   - a statement that writes stops only while EngineConn::write_may_stop
//     says the transaction holds nothing else: the first write of a
//     session's explicit transaction (exec_dml.cc). AfterInterrupt() then
//     leaves the session in its transaction with nothing done, as InnoDB's
//     statement rollback would;
//   - any other write (a group-commit batch, which holds other sessions'
//     acknowledged statements; a write after earlier writes of the same
//     transaction; the replica's batches) runs to its end, and the kill
//     takes effect at the next statement boundary.
//
// States of a statement, as seen from here:
//   running --(KILL QUERY / KILL / client gone / deadline / shutdown)-->
//   stop asked (SessionState::stop_reason set by the handler)
//   --(next progress call, if stoppable)--> SQLITE_INTERRUPT
//   --(MapSqliteError -> StopError)--> the error sent; the next statement
//   starts with the flags cleared (BeginStatement).
#pragma once

#include <chrono>
#include <cstdint>

#include "common/status.h"

namespace reptut::engine {

struct EngineConn;
class SessionState;

// Why a statement was stopped.
enum class StopReason : uint8_t {
  kNone,
  kKillQuery,       // KILL QUERY: 1317
  kKillConnection,  // KILL, the client gone: 1927
  kShutdown,        // the server is shutting down: 1053
  kExecutionTime,   // max_execution_time: 3024
  kStatementTime,   // max_statement_time: 1969
};

// Installs the progress handler on the connection.
void InstallInterruptCheck(EngineConn& ec);

// At the start of each statement: clears KILL QUERY and the last reason,
// and sets the deadline from max_execution_time (for a SELECT) and
// max_statement_time.
void BeginStatement(SessionState& s, bool is_select);

// The error for a statement SQLite interrupted; also puts the session's
// transaction state right when SQLite rolled the transaction back.
Error StopError(SessionState& s);

// While alive, a write statement on `ec` may be stopped (see above).
class WriteMayStop {
 public:
  WriteMayStop(EngineConn& ec, bool may);
  ~WriteMayStop();
  WriteMayStop(const WriteMayStop&) = delete;
  WriteMayStop& operator=(const WriteMayStop&) = delete;

 private:
  EngineConn& ec_;
  bool before_;
};

}  // namespace reptut::engine
