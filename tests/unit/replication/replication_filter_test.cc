// The replicate-* rules for statement-based replication: a table of
// (options, default database, statement, runs?) cases through each branch of
// MySQL 5.7's two decision trees (database level, then table level), the
// wild patterns, the classic replicate-do-db surprise, database statements,
// and the option errors mysqld refuses to start with.
#include "replication/replication_filter.h"

#include <gtest/gtest.h>

#include "sql/parser.h"

namespace reptut::replication {
namespace {

struct Case {
  const char* what;  // the branch the case takes
  FilterOptions options;
  const char* db;  // the default database on the master ("" = none)
  const char* sql;
  bool runs;
};

FilterOptions DoDb(std::vector<std::string> v) {
  FilterOptions o;
  o.do_db = std::move(v);
  return o;
}
FilterOptions IgnoreDb(std::vector<std::string> v) {
  FilterOptions o;
  o.ignore_db = std::move(v);
  return o;
}
FilterOptions DoTable(std::vector<std::string> v) {
  FilterOptions o;
  o.do_table = std::move(v);
  return o;
}
FilterOptions IgnoreTable(std::vector<std::string> v) {
  FilterOptions o;
  o.ignore_table = std::move(v);
  return o;
}
FilterOptions WildDo(std::vector<std::string> v) {
  FilterOptions o;
  o.wild_do_table = std::move(v);
  return o;
}
FilterOptions WildIgnore(std::vector<std::string> v) {
  FilterOptions o;
  o.wild_ignore_table = std::move(v);
  return o;
}
FilterOptions Both(FilterOptions a, const FilterOptions& b) {
  auto add = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  add(a.do_db, b.do_db);
  add(a.ignore_db, b.ignore_db);
  add(a.do_table, b.do_table);
  add(a.ignore_table, b.ignore_table);
  add(a.wild_do_table, b.wild_do_table);
  add(a.wild_ignore_table, b.wild_ignore_table);
  return a;
}

const Case kCases[] = {
    // No options: everything runs.
    {"no options", {}, "db1", "INSERT INTO t VALUES (1)", true},
    {"no options, no default db", {}, "", "DROP DATABASE x", true},

    // --- Database level: the default database ---
    {"do-db matches the default db", DoDb({"sales"}), "sales", "UPDATE t SET a = 1", true},
    {"do-db: the default db is in the list", DoDb({"hr", "sales"}), "sales", "DELETE FROM t", true},
    {"do-db does not match the default db", DoDb({"sales"}), "other", "UPDATE t SET a = 1", false},
    {"do-db gotcha: USE other; UPDATE sales.t is skipped", DoDb({"sales"}), "other",
     "UPDATE sales.t SET a = 1", false},
    {"do-db gotcha: USE sales; UPDATE other.t runs", DoDb({"sales"}), "sales",
     "UPDATE other.t SET a = 1", true},
    {"do-db: no default database is no match", DoDb({"sales"}), "",
     "INSERT INTO sales.t VALUES (1)", false},
    {"do-db compares case-sensitively", DoDb({"Sales"}), "sales", "INSERT INTO t VALUES (1)",
     false},
    {"do-db given: ignore-db is not looked at", Both(DoDb({"sales"}), IgnoreDb({"sales"})), "sales",
     "INSERT INTO t VALUES (1)", true},
    {"ignore-db matches the default db", IgnoreDb({"junk"}), "junk", "INSERT INTO t VALUES (1)",
     false},
    {"ignore-db gotcha: USE sales; INSERT INTO junk.t runs", IgnoreDb({"junk"}), "sales",
     "INSERT INTO junk.t VALUES (1)", true},
    {"ignore-db: no default database runs", IgnoreDb({"junk"}), "", "INSERT INTO junk.t VALUES (1)",
     true},
    {"transaction control always runs: BEGIN", DoDb({"sales"}), "other", "BEGIN", true},
    {"transaction control always runs: COMMIT", DoDb({"sales"}), "other", "COMMIT", true},
    {"transaction control always runs: ROLLBACK", IgnoreDb({"junk"}), "junk", "ROLLBACK", true},
    {"statement without tables: database rule only", DoDb({"sales"}), "other",
     "GRANT SELECT ON *.* TO 'u'@'%'", false},

    // --- Database statements: the database they name ---
    {"CREATE DATABASE named in do-db", DoDb({"sales"}), "other", "CREATE DATABASE sales", true},
    {"CREATE DATABASE not in do-db, even from USE sales", DoDb({"sales"}), "sales",
     "CREATE DATABASE other", false},
    {"DROP DATABASE named in do-db, no default db", DoDb({"sales"}), "", "DROP DATABASE sales",
     true},
    {"ALTER DATABASE named in do-db", DoDb({"sales"}), "other",
     "ALTER DATABASE sales CHARACTER SET utf8mb4", true},
    {"DROP DATABASE named in ignore-db", IgnoreDb({"junk"}), "sales", "DROP DATABASE junk", false},
    {"CREATE DATABASE not in ignore-db", IgnoreDb({"junk"}), "junk", "CREATE DATABASE sales", true},
    {"CREATE DATABASE vs wild-do db1.%", WildDo({"db1.%"}), "", "CREATE DATABASE db1", true},
    {"CREATE DATABASE not matched by wild-do", WildDo({"db1.%"}), "", "CREATE DATABASE db2", false},
    {"wild-do db1.t% does not cover the database", WildDo({"db1.t%"}), "", "CREATE DATABASE db1",
     false},
    {"DROP DATABASE vs wild-ignore db1.%", WildIgnore({"db1.%"}), "db2", "DROP DATABASE db1",
     false},
    {"DROP DATABASE not matched by wild-ignore", WildIgnore({"db1.%"}), "db1", "DROP DATABASE db2",
     true},
    {"CREATE DATABASE with exact table rules only", DoTable({"db1.t1"}), "", "CREATE DATABASE db2",
     true},
    {"do-db given: wild patterns not used for databases", Both(DoDb({"db2"}), WildDo({"db1.%"})),
     "", "CREATE DATABASE db2", true},

    // --- Table level: the tables the statement updates ---
    {"do-table matches", DoTable({"db1.t1"}), "db1", "INSERT INTO t1 VALUES (1)", true},
    {"do-table given, no table matched", DoTable({"db1.t1"}), "db1", "INSERT INTO t2 VALUES (1)",
     false},
    {"do-table: a qualified name in another db", DoTable({"db1.t1"}), "db1",
     "INSERT INTO db2.t1 VALUES (1)", false},
    {"do-table: qualified name from another default db", DoTable({"db1.t1"}), "db2",
     "UPDATE db1.t1 SET a = 1", true},
    {"do-table compares case-sensitively", DoTable({"db1.T1"}), "db1", "INSERT INTO t1 VALUES (1)",
     false},
    {"ignore-table matches", IgnoreTable({"db1.t1"}), "db1", "DELETE FROM t1", false},
    {"ignore-table only, no table matched", IgnoreTable({"db1.t1"}), "db1", "DELETE FROM t2", true},
    {"do-table before ignore-table", Both(DoTable({"db1.t1"}), IgnoreTable({"db1.t1"})), "db1",
     "INSERT INTO t1 VALUES (1)", true},
    {"ignore-table before wild-do", Both(IgnoreTable({"db1.t1"}), WildDo({"db1.%"})), "db1",
     "INSERT INTO t1 VALUES (1)", false},
    {"wild-do after ignore-table did not match", Both(IgnoreTable({"db1.t1"}), WildDo({"db1.%"})),
     "db1", "INSERT INTO t2 VALUES (1)", true},
    {"wild-do before wild-ignore", Both(WildDo({"db1.%"}), WildIgnore({"db1.t1"})), "db1",
     "INSERT INTO t1 VALUES (1)", true},
    {"wild-ignore after do-table did not match", Both(DoTable({"db1.t1"}), WildIgnore({"db1.%"})),
     "db1", "INSERT INTO t2 VALUES (1)", false},
    {"wild-ignore only, no table matched", WildIgnore({"db1.tmp%"}), "db1",
     "INSERT INTO t VALUES (1)", true},
    {"wild-ignore matches", WildIgnore({"db1.tmp%"}), "db1", "INSERT INTO tmp_a VALUES (1)", false},
    {"wild-do given, no table matched", WildDo({"db1.%"}), "db2", "INSERT INTO t VALUES (1)",
     false},
    {"wild-do: % and _ on db and table", WildDo({"db%.t_"}), "db1", "INSERT INTO t1 VALUES (1)",
     true},
    {"wild-do: _ is exactly one character", WildDo({"db%.t_"}), "db1", "INSERT INTO t10 VALUES (1)",
     false},
    {"wild-do: % matches an empty run", WildDo({"db%.t_"}), "x", "INSERT INTO db.t9 VALUES (1)",
     true},
    {"wild-do: \\_ is a literal underscore", WildDo({"db1.my\\_t"}), "db1",
     "INSERT INTO my_t VALUES (1)", true},
    {"wild-do: \\_ does not match another character", WildDo({"db1.my\\_t"}), "db1",
     "INSERT INTO myxt VALUES (1)", false},
    {"wild-do compares case-sensitively", WildDo({"db1.T%"}), "db1", "INSERT INTO t1 VALUES (1)",
     false},
    {"database rule first, then table rule", Both(DoDb({"db1"}), IgnoreTable({"db1.t1"})), "db1",
     "INSERT INTO t1 VALUES (1)", false},
    {"database rule skips before table rules", Both(DoDb({"db1"}), DoTable({"db2.t1"})), "db3",
     "INSERT INTO db2.t1 VALUES (1)", false},

    // Which tables count: the one written to, not those read.
    {"INSERT ... SELECT: the target decides", DoTable({"db1.t1"}), "db1",
     "INSERT INTO t1 SELECT * FROM t2", true},
    {"INSERT ... SELECT: a table only read is not checked", IgnoreTable({"db1.t2"}), "db1",
     "INSERT INTO t1 SELECT * FROM t2", true},
    {"REPLACE: the target", IgnoreTable({"db1.t1"}), "db1", "REPLACE INTO t1 VALUES (1)", false},
    {"UPDATE with a subquery: the target", IgnoreTable({"db1.t2"}), "db1",
     "UPDATE t1 SET a = (SELECT MAX(b) FROM t2)", true},

    // DDL: the tables it names.
    {"CREATE TABLE: do-table matches", DoTable({"db1.t1"}), "db1", "CREATE TABLE t1 (a INT)", true},
    {"CREATE TABLE: do-table does not match", DoTable({"db1.t1"}), "db1", "CREATE TABLE t2 (a INT)",
     false},
    {"CREATE TABLE ... LIKE: the new table", IgnoreTable({"db1.t1"}), "db1",
     "CREATE TABLE t2 LIKE t1", true},
    {"DROP TABLE: any table may decide", DoTable({"db1.t1"}), "db1", "DROP TABLE t2, t1", true},
    {"DROP TABLE: first table to match decides", IgnoreTable({"db1.t1"}), "db1",
     "DROP TABLE t2, t1", false},
    {"DROP TEMPORARY TABLE IF EXISTS always runs", IgnoreTable({"db1.t1"}), "db1",
     "DROP TEMPORARY TABLE IF EXISTS t1", true},
    {"DROP TEMPORARY TABLE without IF EXISTS is filtered", IgnoreTable({"db1.t1"}), "db1",
     "DROP TEMPORARY TABLE t1", false},
    {"RENAME TABLE: the new name counts", IgnoreTable({"db1.t3"}), "db1", "RENAME TABLE t1 TO t3",
     false},
    {"RENAME TABLE: the old name counts", IgnoreTable({"db1.t1"}), "db1", "RENAME TABLE t1 TO t3",
     false},
    {"ALTER TABLE", IgnoreTable({"db1.t1"}), "db1", "ALTER TABLE t1 ADD b INT", false},
    {"TRUNCATE TABLE", IgnoreTable({"db1.t1"}), "db1", "TRUNCATE TABLE t1", false},
    {"CREATE INDEX", IgnoreTable({"db1.t1"}), "db1", "CREATE INDEX i ON t1 (a)", false},
    {"DROP INDEX", WildDo({"db1.x%"}), "db1", "DROP INDEX i ON t1", false},

    // Statements that update no table pass the table rules.
    {"GRANT with table rules", DoTable({"db1.t1"}), "db1", "GRANT SELECT ON *.* TO 'u'@'%'", true},
    {"SET with table rules", WildDo({"db1.t%"}), "db2", "SET @a = 1", true},
};

TEST(ReplicationFilter, DecisionTable) {
  for (const Case& c : kCases) {
    Result<ReplicationFilter> f = ReplicationFilter::Make(c.options);
    ASSERT_TRUE(f.ok()) << c.what << ": " << f.error().message;
    Result<sql::Statement> st = sql::Parse(c.sql);
    ASSERT_TRUE(st.ok()) << c.what << ": " << c.sql << ": " << st.error().message;
    EXPECT_EQ(f->Allows(*st, c.db), c.runs)
        << c.what << "\n  USE " << (*c.db ? c.db : "(none)") << "; " << c.sql;
  }
}

TEST(ReplicationFilter, EmptyAllowsEverything) {
  ReplicationFilter f;
  EXPECT_TRUE(f.empty());
  Result<ReplicationFilter> made = ReplicationFilter::Make({});
  ASSERT_TRUE(made.ok());
  EXPECT_TRUE(made->empty());
  EXPECT_FALSE(ReplicationFilter::Make(WildIgnore({"a.b"}))->empty());
  EXPECT_FALSE(ReplicationFilter::Make(DoDb({"a"}))->empty());
}

TEST(ReplicationFilter, MakeRejectsTableRuleWithoutDot) {
  auto message = [](const FilterOptions& o) {
    Result<ReplicationFilter> f = ReplicationFilter::Make(o);
    EXPECT_FALSE(f.ok());
    return f.ok() ? std::string() : f.error().message;
  };
  EXPECT_EQ(message(DoTable({"db1.t1", "t2"})),
            "Could not add do table rule 't2'! (--replicate-do-table takes db_name.tbl_name)");
  EXPECT_EQ(message(IgnoreTable({"t1"})),
            "Could not add ignore table rule 't1'! (--replicate-ignore-table takes "
            "db_name.tbl_name)");
  EXPECT_EQ(message(WildDo({"db%"})),
            "Could not add do table rule 'db%'! (--replicate-wild-do-table takes "
            "db_name.tbl_name patterns)");
  EXPECT_EQ(message(WildIgnore({"x"})),
            "Could not add ignore table rule 'x'! (--replicate-wild-ignore-table takes "
            "db_name.tbl_name patterns)");
}

TEST(ReplicationFilter, ShowSlaveStatusTexts) {
  FilterOptions o;
  o.do_db = {"sales", "hr"};
  o.ignore_db = {"junk"};
  o.do_table = {"db1.t1", "db1.t2"};
  o.ignore_table = {"db1.t3"};
  o.wild_do_table = {"db%.%"};
  o.wild_ignore_table = {"db1.tmp%", "db2.x_"};
  Result<ReplicationFilter> f = ReplicationFilter::Make(o);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->DoDb(), "sales,hr");
  EXPECT_EQ(f->IgnoreDb(), "junk");
  EXPECT_EQ(f->DoTable(), "db1.t1,db1.t2");
  EXPECT_EQ(f->IgnoreTable(), "db1.t3");
  EXPECT_EQ(f->WildDoTable(), "db%.%");
  EXPECT_EQ(f->WildIgnoreTable(), "db1.tmp%,db2.x_");
  ReplicationFilter none;
  EXPECT_EQ(none.DoDb(), "");
  EXPECT_EQ(none.WildIgnoreTable(), "");
}

TEST(WildMatch, LikeSyntax) {
  EXPECT_TRUE(WildMatch("%", ""));
  EXPECT_TRUE(WildMatch("%", "abc"));
  EXPECT_TRUE(WildMatch("a%c", "abbbc"));
  EXPECT_TRUE(WildMatch("a%c", "ac"));
  EXPECT_FALSE(WildMatch("a%c", "abcd"));
  EXPECT_TRUE(WildMatch("a_c", "abc"));
  EXPECT_FALSE(WildMatch("a_c", "ac"));
  EXPECT_FALSE(WildMatch("_", ""));
  EXPECT_TRUE(WildMatch("a\\%", "a%"));
  EXPECT_FALSE(WildMatch("a\\%", "ab"));
  EXPECT_TRUE(WildMatch("a\\", "a\\"));  // a lone trailing backslash is itself
  EXPECT_FALSE(WildMatch("abc", "ABC"));
  EXPECT_TRUE(WildMatch("%b%b%", "abxbz"));
  EXPECT_TRUE(WildMatch("t_", "t\xc3\xa9"));  // _ is one UTF-8 character (é)
  EXPECT_FALSE(WildMatch("%%%%%%%%%%%%%%%%%%%%b", std::string(200, 'a')));
}

}  // namespace
}  // namespace reptut::replication
