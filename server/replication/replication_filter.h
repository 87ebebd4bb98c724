// The replicate-* options of a replica: which statements of a
// statement-based binary log its SQL thread runs, by MySQL 5.7's rules
// (reference manual 16.2.5.1 "Evaluation of Database-Level Replication and
// Binary Logging Options" and 16.2.5.2 "Evaluation of Table-Level
// Replication Options"; rpl_filter.cc and sql_parse.cc). Pure: it looks at
// the parsed statement and the default database it ran with on the master.
//
// THE DECISION, for one statement of a statement-based log:
//
//   transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT...) -> run
//
//   1. database rules, on the DEFAULT database (the USE in force on the
//      master, whatever database the statement names):
//        replicate-do-db given?     default db in it  -> go to 2
//                                   otherwise         -> skip
//        replicate-ignore-db given? default db in it  -> skip
//                                   otherwise         -> go to 2
//      CREATE / ALTER / DROP DATABASE take the database they name instead
//      (MySQL logs them with that database as the default one); when no
//      replicate-*-db option is given, they are checked against the
//      replicate-wild-*-table patterns with an empty table name instead:
//      wild-do-table=db1.% runs CREATE DATABASE db1, wild-ignore-table=db1.%
//      skips DROP DATABASE db1, and when wild-do-table patterns are given
//      and none matches, the statement is skipped.
//
//   2. table rules, on each table the statement updates (INSERT / REPLACE /
//      UPDATE / DELETE: the table written to; CREATE / ALTER / DROP /
//      TRUNCATE / RENAME TABLE, CREATE / DROP INDEX: the tables named, both
//      names of a RENAME), an unqualified table being in the default
//      database. No table rules, or a statement that updates no table
//      (CREATE DATABASE, GRANT, SET) -> run. Otherwise, table by table:
//        in replicate-do-table           -> run
//        in replicate-ignore-table       -> skip
//        matches replicate-wild-do-table -> run
//        matches replicate-wild-ignore-table -> skip
//      and when no table decided: a replicate-do-table or
//      replicate-wild-do-table list was given -> skip, otherwise -> run.
//      DROP TEMPORARY TABLE IF EXISTS is never skipped by table rules (as
//      MySQL: a stale temporary table would be worse).
//
// The classic surprise: with replicate-do-db=sales, "USE other; UPDATE
// sales.t ..." is skipped (the default database is other) and "USE sales;
// UPDATE other.t ..." runs. Statements run with no default database are
// skipped by a do-db list.
//
// Names compare case-sensitively (Linux, lower_case_table_names=0). Wild
// patterns are LIKE patterns (% any run, _ one character, \ escapes), the
// part before the first unescaped dot matched against the database, the
// part after against the table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/statement.h"

namespace reptut::replication {

struct FilterOptions {
  std::vector<std::string> do_db, ignore_db, do_table, ignore_table, wild_do_table,
      wild_ignore_table;
};

class ReplicationFilter {
 public:
  ReplicationFilter() = default;  // no rules: every statement runs

  // The table options take "db.table"; a value without a dot is an error
  // (mysqld refuses to start: "Could not add do table rule 'x'!").
  static Result<ReplicationFilter> Make(const FilterOptions& o);

  // No replicate-* option at all.
  bool empty() const;

  // Whether the SQL thread runs `st`, a statement of a statement-based
  // binary log executed on the master with default database `current_db`
  // ("" = none), by the rules above.
  bool Allows(const sql::Statement& st, std::string_view current_db) const;

  // The SHOW SLAVE STATUS texts (the options comma-joined, as given).
  std::string DoDb() const;
  std::string IgnoreDb() const;
  std::string DoTable() const;
  std::string IgnoreTable() const;
  std::string WildDoTable() const;
  std::string WildIgnoreTable() const;

 private:
  struct TableRule {
    std::string text;   // as given: "db.t" / "db%.t_"
    std::string db;     // the part before the dot (a pattern for wild rules)
    std::string table;  // the part after it
  };

  bool DbOk(std::string_view db) const;
  bool DbOkWithWildTables(std::string_view db) const;
  // Table rule verdict for one updated table: 1 run, 0 skip, -1 undecided.
  int TableVerdict(std::string_view db, std::string_view table) const;

  std::vector<std::string> do_db_, ignore_db_;
  std::vector<TableRule> do_table_, ignore_table_, wild_do_table_, wild_ignore_table_;
};

// LIKE as the wild table rules match: % any run (also empty), _ one
// character (UTF-8), \ escapes the next character; byte-exact otherwise
// (case-sensitive).
bool WildMatch(std::string_view pattern, std::string_view text);

}  // namespace reptut::replication
