// The translated SQL is valid SQLite: every statement here is prepared by
// Debian's libsqlite3 against tables created from ToSqliteDdl(), with the
// engine functions registered as stubs. (Only the test links SQLite; the
// library itself makes no SQLite calls.)
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace reptut::sql {
namespace {

class SqliteAccepts : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    for (const auto& f : EngineFunctions()) {
      sqlite3_create_function(db_, f.name.c_str(), -1, SQLITE_UTF8, nullptr, &Stub, nullptr,
                              nullptr);
    }
    const char* tables[] = {
        "CREATE TABLE t (a INT, b VARCHAR(10), c INT, d DATETIME, id INT PRIMARY KEY)",
        "CREATE TABLE t1 (a INT, id INT, x INT)",
        "CREATE TABLE t2 (a INT, b INT, id INT, y INT, UNIQUE KEY (a))",
        "CREATE TABLE t3 (id INT)",
        "CREATE TABLE tbl (a CHAR(20))",
        "CREATE TABLE sbtest1(id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT "
        "NULL, c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY "
        "(id), KEY k_1 (k))",
        "CREATE TABLE ts (id INT AUTO_INCREMENT PRIMARY KEY, t TIMESTAMP, u DATETIME(6) DEFAULT "
        "CURRENT_TIMESTAMP(6), v BIT(2) DEFAULT b'1', w DECIMAL(5,2) DEFAULT -1.5, x ENUM('a') "
        "DEFAULT 'a', y VARCHAR(3) BINARY, z BLOB)",
    };
    for (const char* sql : tables) {
      TableDef def = testing::MustParse(sql).table.def;
      auto ddl = ToSqliteDdl(def);
      ASSERT_TRUE(ddl.ok()) << sql;
      for (const auto& s : ddl->statements) Exec(s);
    }
  }
  void TearDown() override { sqlite3_close(db_); }

  static void Stub(sqlite3_context* ctx, int, sqlite3_value**) { sqlite3_result_int(ctx, 1); }

  void Exec(const std::string& s) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << s << "\n" << (err ? err : "");
    sqlite3_free(err);
  }

  void Prepares(const std::string& mysql) {
    Statement st = testing::MustParse(mysql);
    std::string sql = st.dml.sqlite_sql;
    if (st.kind == StatementKind::kSet) sql = "SELECT " + st.set.items[0].value_sql;
    if (st.kind == StatementKind::kPurgeBinaryLogs) sql = "SELECT " + st.repl.purge_before_sql;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    EXPECT_EQ(rc, SQLITE_OK) << mysql << "\n=> " << sql << "\n" << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
  }

  sqlite3* db_ = nullptr;
};

TEST_F(SqliteAccepts, Selects) {
  const char* stmts[] = {
      "select @@version_comment limit 1",
      "SELECT DATABASE()",
      "SELECT c FROM sbtest1 WHERE id=5",
      "SELECT c FROM sbtest1 WHERE id BETWEEN 1 AND 100 ORDER BY c",
      "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c",
      "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 1 AND 100",
      "SELECT * FROM tbl",
      "SELECT 1+1, NOW(), @@server_id, @x, 'a' 'b', -5, 7 DIV 2, 7 / 2, 1 XOR 0, 5 ^ 3",
      "SELECT t1.a, t2.b FROM t1 LEFT JOIN t2 ON t1.id = t2.id WHERE t1.a > 1 GROUP BY t1.a "
      "HAVING COUNT(*) > 1 ORDER BY t1.a DESC LIMIT 5, 10",
      "SELECT * FROM t1 NATURAL JOIN t3",
      "SELECT * FROM t1 JOIN t2 USING (id)",
      "SELECT * FROM t1 RIGHT JOIN t3 ON t3.id = t1.id",
      "SELECT a FROM t1 UNION SELECT a FROM t2 ORDER BY 1 LIMIT 3",
      "(SELECT a FROM t1 ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM t2)",
      "SELECT x.a FROM (SELECT a FROM t1) AS x",
      "SELECT * FROM t WHERE a IN (SELECT a FROM t1) AND NOT EXISTS (SELECT 1 FROM t2)",
      "SELECT CASE WHEN a > 1 THEN 'x' ELSE 'y' END, IF(a, 1, 2), IFNULL(a, 0), ISNULL(a) FROM t",
      "SELECT CONCAT(b, 'x'), CONCAT_WS(',', a, b), LENGTH(b), CHAR_LENGTH(b), UPPER(b), LCASE(b) "
      "FROM t",
      "SELECT SUBSTRING(b, 2), SUBSTRING(b FROM 2 FOR 1), LEFT(b, 2), RIGHT(b, 2), LOCATE('a', b), "
      "LOCATE('a', b, 2), INSTR(b, 'a'), REPEAT(b, 2), LPAD(b, 5, '*'), TRIM(b), TRIM(LEADING 'x' "
      "FROM b) FROM t",
      "SELECT CAST(a AS SIGNED), CAST(a AS UNSIGNED), CAST(a AS CHAR(3)), CAST(a AS DECIMAL(5,2)), "
      "CAST(d AS DATE), CAST(d AS DATETIME), CONVERT(b USING utf8), BINARY b FROM t",
      "SELECT d + INTERVAL 1 DAY, d - INTERVAL 2 HOUR, DATE_ADD(d, INTERVAL 1 MONTH), "
      "DATE_SUB(d, INTERVAL '1 2' DAY_HOUR), INTERVAL 1 YEAR + d, EXTRACT(YEAR FROM d), "
      "TIMESTAMPDIFF(SECOND, d, NOW()) FROM t",
      "SELECT UNIX_TIMESTAMP(), UNIX_TIMESTAMP(d), FROM_UNIXTIME(1), DATE_FORMAT(d, '%Y'), MD5(b), "
      "SHA1(b), HEX(b), CURDATE(), CURRENT_DATE, CURTIME(), SYSDATE(), UTC_TIMESTAMP() FROM t",
      "SELECT USER(), CURRENT_USER, CURRENT_USER(), VERSION(), CONNECTION_ID(), LAST_INSERT_ID(), "
      "UUID(), RAND(), SLEEP(0)",
      "SELECT COUNT(*), COUNT(DISTINCT a), MIN(a), MAX(a), AVG(a), GROUP_CONCAT(b), "
      "GROUP_CONCAT(b SEPARATOR ';'), GROUP_CONCAT(DISTINCT b), GREATEST(1, 2), LEAST(1, 2) FROM t",
      "SELECT a FROM t WHERE b LIKE 'x%' OR b NOT LIKE 'a\\_%' OR b REGEXP '^a' OR a <=> NULL OR "
      "a IS NOT NULL OR a BETWEEN 1 AND 2 OR a NOT IN (1, 2) OR b = BINARY 'X'",
      "SELECT a FROM t FORCE INDEX (PRIMARY) WHERE a = 1 || a = 2 && !a",
      "SELECT a, b INTO @x, @y FROM t LIMIT 1",
      "SELECT 1 FROM DUAL",
      "SELECT (1, 2) = (1, 2), 1 | 2 & 3, 1 << 2, ~1, -a FROM t",
      "SELECT b COLLATE latin1_bin, b COLLATE utf8_general_ci FROM t",
      "SELECT a FROM t WHERE a = 1 FOR UPDATE",
      "SELECT _latin1 0x4142, _binary 'x', X'41', 0x41, b'101', N'z'",
      "SELECT MOD(7, 2), 7 MOD 2, 7 % 2, ABS(-1), ROUND(1.5), CEILING(1.2), FLOOR(1.2), POW(2, 3), "
      "SQRT(4), FORMAT(1234.5, 2)",
  };
  for (const char* s : stmts) {
    SCOPED_TRACE(s);
    Prepares(s);
  }
}

TEST_F(SqliteAccepts, Modifications) {
  const char* stmts[] = {
      "INSERT INTO tbl VALUES ('Yeah! Replication!')",
      "INSERT INTO sbtest1 (id, k, c, pad) VALUES (0, 5, 'a', 'b'), (0, 6, 'c', 'd')",
      "INSERT INTO t1 VALUES (@TITLE, 1, 2)",
      "INSERT INTO t1 SET a = 1, id = 2",
      "INSERT IGNORE INTO t2 (a, b) VALUES (1, 2)",
      "INSERT INTO t2 (a, b) VALUES (1, 2) ON DUPLICATE KEY UPDATE b = VALUES(b) + b",
      "INSERT INTO t2 (a, b) SELECT a, id FROM t1 ON DUPLICATE KEY UPDATE b = 1",
      "INSERT INTO t3 SELECT id FROM t1",
      "INSERT INTO ts () VALUES ()",
      "REPLACE INTO t2 (a, b) VALUES (1, 2)",
      "UPDATE sbtest1 SET k=k+1 WHERE id=5",
      "UPDATE t AS x SET x.a = 1 WHERE x.id = 2",
      "UPDATE IGNORE t SET a = 1 ORDER BY id DESC LIMIT 2",
      "DELETE FROM sbtest1 WHERE id=7",
      "DELETE FROM t WHERE a > 1 ORDER BY id LIMIT 1",
      "UPDATE t1, t2 SET t1.a = t2.b WHERE t1.id = t2.id",
      "UPDATE t1 AS p JOIN t2 q ON p.id = q.id SET q.y = p.x WHERE p.a > 1",
      "DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.y = 1",
      "DELETE FROM p USING t1 AS p, t2 WHERE p.id = t2.id",
      "DO MASTER_POS_WAIT('master-bin.000003', 742)",
      "DO 1, SLEEP(0)",
      "SET @TITLE = 'Post PostModern Man'",
      "SET @`title`:=_latin1 0x506F7374 COLLATE `latin1_swedish_ci`",
      "SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE",
      "PURGE BINARY LOGS BEFORE NOW() - INTERVAL 3 DAY",
  };
  for (const char* s : stmts) {
    SCOPED_TRACE(s);
    Prepares(s);
  }
}

TEST_F(SqliteAccepts, TableMapper) {
  Exec("ATTACH ':memory:' AS fx");
  TableDef def =
      testing::MustParse("CREATE TABLE t9 (id INT PRIMARY KEY, v INT, KEY (v))").table.def;
  auto ddl = ToSqliteDdl(def, "t9", "fx");
  ASSERT_TRUE(ddl.ok());
  for (const auto& s : ddl->statements) Exec(s);
  ParseOptions opt;
  opt.current_db = "fx";
  opt.sqlite_table = [](const TableName& t) { return "`" + t.db + "`.`" + t.name + "`"; };
  const char* stmts[] = {
      "SELECT t9.v FROM t9 WHERE t9.id = 1", "UPDATE t9 SET v = 2 WHERE t9.id = 1",
      "DELETE FROM t9 WHERE t9.id = 1",      "INSERT INTO t9 VALUES (1, 2)",
      "SELECT fx.t9.v FROM fx.t9",
  };
  for (const char* s : stmts) {
    auto r = Parse(s, opt);
    ASSERT_TRUE(r.ok()) << s;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, r->dml.sqlite_sql.c_str(), -1, &stmt, nullptr);
    EXPECT_EQ(rc, SQLITE_OK) << s << "\n=> " << r->dml.sqlite_sql << "\n" << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
  }
}

}  // namespace
}  // namespace reptut::sql
