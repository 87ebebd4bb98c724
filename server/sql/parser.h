// The MySQL statement parser: one statement's text -> Statement.
//
// Errors (as Error values, never exceptions):
//  - syntax errors: ER_PARSE_ERROR (1064) "You have an error in your SQL
//    syntax; ... near '<up to 80 bytes of the statement from the offending
//    token on>' at line <line of that token>"; at the end of input the near
//    text is empty ("near '' at line N");
//  - statements recognised but not supported: ER_NOT_SUPPORTED_YET (1235)
//    "This version of MySQL doesn't yet support '<what>'";
//  - an empty statement (only whitespace) gives ER_EMPTY_QUERY (1065); one
//    of only comments parses as StatementKind::kEmpty, which MySQL answers
//    with OK (checked: `/*!99999 SELECT 1 */` and `/*M!999999 ...*/` give OK).
// A trailing ';' is allowed. Multi-statement strings: split them first with
// SplitStatements() (lexer.h).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/statement.h"

namespace reptut::sql {

Result<Statement> Parse(std::string_view sql);

// Optional context for Parse().
struct ParseOptions {
  // The session's current database: used in error messages (1305
  // "FUNCTION db.f does not exist") and passed to sqlite_table.
  std::string current_db;
  // When set, every table reference in DML sqlite_sql is written as the
  // text this returns (the TableName's db is filled with current_db when
  // the statement did not name one), followed by "AS `name`" when the
  // statement gave no alias, so that qualified column references keep
  // working. E.g. return "`fx`.`t1`" for an ATTACHed database per MySQL
  // database, or "`fx__t1`" for one file. When not set, table references
  // are written `name` / `db`.`name` as in the statement.
  std::function<std::string(const TableName&)> sqlite_table;
  // sql_mode NO_BACKSLASH_ESCAPES: a backslash in a string is itself.
  bool no_backslash_escapes = false;
  // Stored values are wrapped in reptut_cv() (DmlInfo::assigned_columns).
  // Off for trigger bodies: SQLite runs them inside another statement, whose
  // column checks reptut_cv() would apply to the wrong table.
  bool check_values = true;
};
Result<Statement> Parse(std::string_view sql, const ParseOptions& options);

// Translates one MySQL expression (e.g. a DEFAULT value or the value of
// SET x = expr) to SQLite text; fills `user_vars` (lowercased) when given.
Result<std::string> TranslateExpression(std::string_view mysql_expr,
                                        std::vector<std::string>* user_vars = nullptr);

}  // namespace reptut::sql
