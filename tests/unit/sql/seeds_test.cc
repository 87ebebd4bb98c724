// Every statement of the mariadb-binlog fixture outputs parses (after the
// client-side commands are removed, as the mariadb client would).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sql/lexer.h"
#include "sql/parser.h"

namespace reptut::sql {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Splits mariadb-binlog output the way the mariadb client does with
// DELIMITER /*!*/ active: statements end at "/*!*/;" (or ";" before the
// DELIMITER line); "DELIMITER ..." and "/*!\C ..." are client commands.
std::vector<std::string> BinlogStatements(const std::string& text) {
  std::vector<std::string> out;
  std::string delimiter = ";";
  std::string current;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("DELIMITER ", 0) == 0) {
      delimiter = line.substr(10);
      continue;
    }
    if (current.empty() && (line.empty() || line[0] == '#')) continue;
    // /*!\C cs */ is a client command: drop it.
    size_t c = line.find("/*!\\C ");
    if (c != std::string::npos) {
      size_t end = line.find("*/", c);
      line.erase(c, end + 2 - c);
    }
    current += (current.empty() ? "" : "\n") + line;
    size_t pos;
    while ((pos = current.find(delimiter)) != std::string::npos) {
      std::string stmt = current.substr(0, pos);
      current = current.substr(pos + delimiter.size());
      size_t s = stmt.find_first_not_of(" \n\t");
      if (s != std::string::npos) out.push_back(stmt.substr(s));
    }
  }
  return out;
}

class BinlogFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(BinlogFixture, EveryStatementParses) {
  std::string path = std::string(REPTUT_FIXTURES_DIR) + "/mariadb-10.11/" + GetParam();
  std::string text = ReadFile(path);
  if (text.empty()) GTEST_SKIP() << "fixture missing: " << path;
  auto stmts = BinlogStatements(text);
  EXPECT_GT(stmts.size(), 10u);
  for (const auto& s : stmts) {
    auto r = Parse(s);
    EXPECT_TRUE(r.ok()) << s << "\n-> " << (r.ok() ? "" : r.error().ToString());
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BinlogFixture,
                         ::testing::Values("mysql-bin.000001.mariadb-binlog.txt",
                                           "mysql-bin.000002.mariadb-binlog.txt",
                                           "mysql-bin.000002.after-shutdown.mariadb-binlog.txt"));

TEST(FixtureStatements, AllParse) {
  std::string text =
      ReadFile(std::string(REPTUT_FIXTURES_DIR) + "/mariadb-10.11/fixture-statements.sql");
  if (text.empty()) GTEST_SKIP();
  for (auto s : SplitStatements(text)) {
    auto r = Parse(s);
    EXPECT_TRUE(r.ok()) << s << "\n-> " << (r.ok() ? "" : r.error().ToString());
  }
}

TEST(ClientStatements, ConnectAndTutorial) {
  const char* stmts[] = {
      "select @@version_comment limit 1",
      "SET NAMES utf8mb4",
      "SET AUTOCOMMIT = 0",
      "SHOW WARNINGS",
      "SELECT DATABASE()",
      "CREATE USER repl_user@localhost",
      "GRANT REPLICATION SLAVE ON *.* TO repl_user@localhost IDENTIFIED BY 'xyzzy'",
      "CREATE TABLE tbl (a CHAR(20))",
      "INSERT INTO tbl VALUES ('Yeah! Replication!')",
      "SHOW TABLES",
      "SELECT * FROM tbl",
      "SHOW BINARY LOGS",
      "PURGE BINARY LOGS TO 'master-bin.000002'",
      "PURGE BINARY LOGS BEFORE NOW()",
      "SHOW BINLOG EVENTS",
      "show binlog events",
      "create table t1 (a char(40))",
      "insert into t1 values ('Stuck In A Loop')",
      "SET @TITLE = 'Post PostModern Man'",
      "INSERT INTO t1 VALUES(@TITLE)",
      "SHOW BINLOG EVENTS FROM 301",
      ("CREATE TABLE contacts2 (contact_id INT AUTO_INCREMENT KEY, name VARCHAR(50), telephone "
       "CHAR(15))"),
      "STOP SLAVE",
      "FLUSH TABLES WITH READ LOCK",
      "SHOW MASTER STATUS",
      "UNLOCK TABLES",
      "START SLAVE UNTIL MASTER_LOG_FILE='master-bin.000003', MASTER_LOG_POS=742",
      "DO MASTER_POS_WAIT('master-bin.000003', 742)",
      "START SLAVE",
      "RESET SLAVE",
      "SHOW SLAVE STATUS",
      "SHOW SLAVE HOSTS",
      "CREATE TABLE t1 (a INT)",
      "INSERT INTO t1 VALUES (1),(2)",
      "SHOW MASTER LOGS",
      "CREATE TABLE prepare_test (id INTEGER NOT NULL, name CHAR(64) NOT NULL)",
      "INSERT INTO prepare_test VALUES ('0','zhzwDeLxLy8XYjqVM')",
      "CREATE INDEX k_1 ON sbtest1(k)",
      "SELECT c FROM sbtest1 WHERE id=5",
      "SELECT c FROM sbtest1 WHERE id BETWEEN 1 AND 100",
      "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 1 AND 100",
      "SELECT c FROM sbtest1 WHERE id BETWEEN 1 AND 100 ORDER BY c",
      "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 1 AND 100 ORDER BY c",
      "UPDATE sbtest1 SET k=k+1 WHERE id=5",
      "UPDATE sbtest1 SET c='abc' WHERE id=5",
      "DELETE FROM sbtest1 WHERE id=5",
      "INSERT INTO sbtest1 (id, k, c, pad) VALUES (5, 4, 'c', 'p')",
      "DROP TABLE IF EXISTS sbtest1",
      "SET @@session.sql_mode=1411383296",
      "SET @@session.auto_increment_increment=1, @@session.auto_increment_offset=1",
  };
  for (const char* s : stmts) {
    auto r = Parse(s);
    EXPECT_TRUE(r.ok()) << s << "\n-> " << (r.ok() ? "" : r.error().ToString());
  }
}

}  // namespace
}  // namespace reptut::sql
