// Type checks of the values an INSERT, REPLACE or UPDATE stores, as MySQL's
// strict and non-strict modes make them (the rules: sql/column_value.h).
//
// Two ways in, one set of rules:
//   - the plain literals of INSERT ... VALUES (what dumps and most
//     applications send) are checked before the statement runs
//     (CheckLiteralValues): a bad value fails the statement at once, a value
//     that must change (a date normalised, a string cut in non-strict mode)
//     is rewritten in the SQLite text or in the cached statement's bound
//     literal;
//   - every other stored value was wrapped by the parser in
//     reptut_cv(value, slot) (sql/statement.h, DmlInfo::assigned_columns),
//     a SQL function that applies the check to each row as SQLite writes it
//     (ColumnCheckFunction); a failure stops the statement with SQLite's
//     error, which the engine replaces with the check's error (Failure).
//
// Lifetime: RunWrite makes one ColumnChecks per statement that stores into
// a table and points SessionState::column_checks at it while the statement
// runs; reptut_cv() outside such a statement returns its value unchanged.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/column_value.h"
#include "sql/statement.h"
#include "sql/table_def.h"

namespace reptut::engine {

class SessionState;

struct ColumnChecks {
  ColumnChecks(SessionState& s, const sql::TableDef& def, std::string db, const sql::DmlInfo& dml);

  // The column a slot stores into, or null (a name the table lacks: SQLite
  // then names the problem).
  const sql::ColumnDef* Column(int slot);
  // The next row number of a slot (1-based, counted per slot).
  uint64_t NextRow(int slot);

  SessionState& s;
  const sql::TableDef& def;
  std::string db;
  const sql::DmlInfo& dml;
  sql::ColumnCheckMode mode;
  // ALTER TABLE's copy of the rows (exec_schema.cc): MariaDB words the
  // failures as for a conversion, 1265 "Data truncated" for a value too
  // long and 1292 "Truncated incorrect INTEGER value" for a string that is
  // no number.
  bool alter_copy = false;
  // The first failure of reptut_cv(): the statement's error.
  std::optional<Error> failure;

 private:
  std::vector<const sql::ColumnDef*> insert_slots_, assigned_slots_;
  std::vector<uint64_t> insert_rows_, assigned_rows_;
  bool resolved_ = false;
};

// Checks the plain literals of an INSERT/REPLACE ... VALUES (or SET) before
// it runs. A literal whose stored form differs is changed where it is bound
// (a cached statement) or, in *rebuilt, in the statement's SQLite text
// rebuilt from its pieces. Warnings and notes go to the session.
Status CheckLiteralValues(ColumnChecks& checks, std::optional<std::string>* rebuilt);

// reptut_cv(value, slot), registered on every engine connection.
void ColumnCheckFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv);

}  // namespace reptut::engine
