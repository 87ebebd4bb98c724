// LOCK TABLES / UNLOCK TABLES: the tables a session has locked and what it
// may touch while it holds them (MySQL's rules: 1100 for a table not
// locked, 1099 for a write to a table locked READ), and what other
// sessions wait for meanwhile (a write to a locked table, a read of a table
// locked WRITE; up to lock_wait_timeout, then 1205).
//
// The locks live in ServerState::table_locks (locks.h) and in the session
// (SessionState::table_locks). They are separate from the write gate: a
// session holding a WRITE lock writes through the gate and group commit
// like any other, statement by statement, so its autocommitted writes are
// committed (and binlogged) one by one as on MySQL; LOCK and UNLOCK TABLES
// themselves are not binlogged.
//
// Known differences from MySQL:
//   - A table locked under an alias may be named by its own name too (the
//     parser keeps no aliases in DmlInfo::tables).
//   - Only DML is checked (CheckTableLocks) unless the statement's
//     executor calls CheckTableUses: DDL then neither waits for other
//     sessions' locks nor is refused under LOCK TABLES.
//   - LOCK TABLES waits for any open write transaction (the write gate),
//     not only for those that touched its tables.
//   - A statement that passed CheckTableLocks just before another session's
//     LOCK TABLES was granted may still run after it (there is no hook
//     after the statement to cover it until it ends).
#pragma once

#include <vector>

#include "common/status.h"
#include "sql/statement.h"

namespace reptut::engine {

struct SessionState;

// Called before a DML statement runs: Ok when the session holds no table
// locks, or when every table the statement touches is locked as needed.
// A session holding none waits while another holds a conflicting lock
// (1205 after lock_wait_timeout; 1213, its transaction rolled back, when
// it holds the write gate that the lock's holder waits for).
Status CheckTableLocks(SessionState& s, const sql::Statement& st);

// The same for any statement: the tables it uses, each to write or only to
// read. (DDL would pass its tables with write = true: under LOCK TABLES,
// CREATE TABLE of a table not locked gives 1100 and ALTER TABLE of one
// locked READ 1099, as on MySQL; other sessions' DDL waits.)
struct TableUse {
  const sql::TableName& table;
  bool write = false;
};
Status CheckTableUses(SessionState& s, const std::vector<TableUse>& uses);

// LOCK TABLES: commits the open transaction, gives back the session's
// previous table locks, checks the tables (1146) and privileges (LOCK
// TABLES on the database, 1044; SELECT on the table, 1142), then waits for
// conflicting locks of other sessions and for open write transactions.
Status LockTables(SessionState& s, const sql::AdminInfo& admin);

bool HoldsTableLocks(const SessionState& s);

// FLUSH TABLES WITH READ LOCK: waits until no other session holds a WRITE
// table lock.
Status WaitForNoWriteLocks(SessionState& s);

// UNLOCK TABLES, BEGIN, disconnect: gives back whatever LOCK TABLES took.
void ReleaseTableLocks(SessionState& s);

}  // namespace reptut::engine
