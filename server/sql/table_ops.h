// Private to server/sql: operations on TableDef shared by CREATE TABLE
// parsing and ApplyAlter.
#pragma once

#include "common/status.h"
#include "sql/table_def.h"

namespace reptut::sql::internal {

// Adds an index as MySQL does: generates the name when empty (first column,
// then _2, _3 ...), checks duplicates (1061) and a second primary key
// (1068), and keeps MySQL's index order.
Status AddIndexTo(TableDef& def, IndexDef index);

// Final checks and normalisation after a CREATE TABLE or ALTER: key columns
// exist (1072), PRIMARY KEY columns become NOT NULL, one AUTO_INCREMENT
// column that is the first column of a key (1075), "_bin" collations from
// the BINARY attribute resolved, indexes sorted.
Status FinishTable(TableDef& def);

// Sorts indexes in MySQL's order (stable).
void SortIndexes(TableDef& def);

}  // namespace reptut::sql::internal
