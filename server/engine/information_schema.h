// information_schema: MySQL 5.7's metadata tables, queryable as any table
// (joins, WHERE, ORDER BY, subqueries), as SQLite virtual tables.
//
// Each information_schema table is an eponymous virtual table of the same
// name in every engine connection's `main` schema (an in-memory database
// that holds nothing else), so the parser's table mapper turns
// INFORMATION_SCHEMA.TABLES into main."TABLES" and SQLite runs the query.
// A scan builds its rows when it starts, from the catalog, the variables,
// the accounts and the sessions, seen through the acting session's
// privileges. Equality constraints on the schema and table-name columns
// (WHERE table_schema = DATABASE() AND table_name = 't', what mariadb-dump
// and the Percona tools send) are pushed into the scan, so that only the
// named database is read; the columns the query does not use (row counts,
// AUTO_INCREMENT) are not computed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/server_state.h"

namespace reptut::engine {

inline constexpr std::string_view kInformationSchema = "information_schema";

// True for "information_schema" in any letter case.
bool IsInformationSchema(std::string_view db);

// The SQLite name a query uses for information_schema.`table`.
std::string InformationSchemaSqliteName(std::string_view table);
// The information_schema table a SQLite table name of the above stands for
// (the name itself when it is none).
std::string_view InformationSchemaTableOf(std::string_view sqlite_name);

// Registers the virtual tables on an engine connection (once, after Open).
void RegisterInformationSchema(EngineConn& ec);

// The table names, uppercase, sorted (SHOW TABLES FROM information_schema).
std::vector<std::string> InformationSchemaTables();

// For a statement that names information_schema.`table`: 1109 when there is
// no such table.
Status CheckInformationSchemaTable(std::string_view table);

// The column names of information_schema.`table` (DESCRIBE), empty if none.
std::vector<std::string> InformationSchemaColumns(std::string_view table);

// SHOW ENGINES / CHARACTER SET / COLLATION and the information_schema
// tables share these rows.
struct EngineRow {
  const char *engine, *support, *comment, *transactions, *xa, *savepoints;
};
const std::vector<EngineRow>& Engines();
struct CharsetRow {
  const char *charset, *description, *default_collation;
  int maxlen;
};
const std::vector<CharsetRow>& Charsets();
struct CollationRow {
  const char *collation, *charset;
  int id;
  const char *is_default, *compiled;
  int sortlen;
};
const std::vector<CollationRow>& Collations();

}  // namespace reptut::engine
