#include <gtest/gtest.h>

#include "test_util.h"

namespace reptut::sql {
namespace {

using testing::MustFail;
using testing::MustParse;
using testing::Sqlite;

TEST(ParseSelect, VersionCommentLimit) {
  auto st = MustParse("select @@version_comment limit 1");
  EXPECT_EQ(st.kind, StatementKind::kSelect);
  EXPECT_EQ(st.dml.sqlite_sql,
            "SELECT reptut_sysvar('version_comment', '') AS \"@@version_comment\" LIMIT 1");
  EXPECT_EQ(st.dml.column_names, std::vector<std::string>{"@@version_comment"});
  ASSERT_EQ(st.dml.sysvars_read.size(), 1u);
  EXPECT_EQ(st.dml.sysvars_read[0].first, "version_comment");
}

TEST(ParseSelect, Database) {
  EXPECT_EQ(Sqlite("SELECT DATABASE()"), "SELECT DATABASE() AS \"DATABASE()\"");
}

TEST(ParseSelect, ColumnByPrimaryKey) {
  auto st = MustParse("SELECT c FROM sbtest1 WHERE id=5");
  EXPECT_EQ(st.dml.sqlite_sql, "SELECT `c` FROM `sbtest1` WHERE `id` = 5");
  ASSERT_EQ(st.dml.tables.size(), 1u);
  EXPECT_EQ(st.dml.tables[0].name, "sbtest1");
  EXPECT_EQ(st.dml.column_names, std::vector<std::string>{"c"});
}

TEST(ParseSelect, ExpressionAliasUsesOriginalText) {
  EXPECT_EQ(Sqlite("SELECT 1+1"), "SELECT 1 + 1 AS \"1+1\"");
  EXPECT_EQ(Sqlite("SELECT NOW()"), "SELECT NOW() AS \"NOW()\"");
  EXPECT_EQ(Sqlite("SELECT 'abc'"), "SELECT 'abc' AS \"abc\"");
  EXPECT_EQ(Sqlite("SELECT @@server_id"),
            "SELECT reptut_sysvar('server_id', '') AS \"@@server_id\"");
}

TEST(ParseSelect, ExplicitAlias) {
  EXPECT_EQ(Sqlite("SELECT a AS x, b y, 1 'z' FROM t"),
            "SELECT `a` AS \"x\", `b` AS \"y\", 1 AS \"z\" FROM `t`");
}

TEST(ParseSelect, StarAndQualifiedStar) {
  EXPECT_EQ(Sqlite("SELECT * FROM tbl"), "SELECT * FROM `tbl`");
  EXPECT_EQ(Sqlite("SELECT t.* FROM db1.t"), "SELECT `t`.* FROM `db1`.`t`");
}

TEST(ParseSelect, Joins) {
  auto st = MustParse(
      "SELECT a.x, b.y FROM t1 AS a LEFT JOIN t2 b ON a.id = b.id JOIN t3 USING (id) "
      "WHERE a.x > 1 GROUP BY a.x HAVING COUNT(*) > 1 ORDER BY a.x DESC LIMIT 5, 10");
  EXPECT_EQ(st.dml.sqlite_sql,
            "SELECT `a`.`x`, `b`.`y` FROM `t1` AS `a` LEFT JOIN `t2` AS `b` ON `a`.`id` = "
            "`b`.`id` JOIN `t3` USING (`id`) WHERE `a`.`x` > 1 GROUP BY `a`.`x` HAVING "
            "COUNT(*) > 1 ORDER BY `a`.`x` DESC LIMIT 10 OFFSET 5");
  EXPECT_EQ(st.dml.tables.size(), 3u);
}

TEST(ParseSelect, LimitOffset) {
  EXPECT_EQ(Sqlite("SELECT a FROM t LIMIT 3 OFFSET 4"), "SELECT `a` FROM `t` LIMIT 3 OFFSET 4");
}

TEST(ParseSelect, FromDualAndLocking) {
  auto st = MustParse("SELECT 1 FROM DUAL FOR UPDATE");
  EXPECT_EQ(st.dml.sqlite_sql, "SELECT 1 AS \"1\"");
  EXPECT_TRUE(st.dml.for_update);
  EXPECT_EQ(Sqlite("SELECT a FROM t LOCK IN SHARE MODE"), "SELECT `a` FROM `t`");
}

TEST(ParseSelect, Union) {
  EXPECT_EQ(Sqlite("SELECT a FROM t1 UNION ALL SELECT b FROM t2 ORDER BY 1"),
            "SELECT `a` FROM `t1` UNION ALL SELECT `b` FROM `t2` ORDER BY 1");
}

TEST(ParseSelect, Subqueries) {
  auto st =
      MustParse("SELECT * FROM t1 WHERE a IN (SELECT a FROM t2) AND EXISTS (SELECT 1 FROM t3)");
  EXPECT_EQ(st.dml.sqlite_sql,
            "SELECT * FROM `t1` WHERE `a` IN (SELECT `a` FROM `t2`) AND EXISTS (SELECT 1 AS "
            "\"1\" FROM `t3`)");
  EXPECT_EQ(st.dml.tables.size(), 3u);
}

TEST(ParseSelect, DerivedTable) {
  EXPECT_EQ(Sqlite("SELECT x FROM (SELECT a AS x FROM t) AS d"),
            "SELECT `x` FROM (SELECT `a` AS \"x\" FROM `t`) AS `d`");
}

TEST(ParseSelect, DerivedTableNeedsAlias) {
  auto e = MustFail("SELECT * FROM (SELECT 1) WHERE 1");
  EXPECT_EQ(e.code, 1248);
}

TEST(ParseSelect, IntoUserVariables) {
  auto st = MustParse("SELECT a, b INTO @X, @y FROM t LIMIT 1");
  EXPECT_EQ(st.dml.into_vars, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(st.dml.sqlite_sql, "SELECT `a`, `b` FROM `t` LIMIT 1");
}

TEST(ParseSelect, UserVariableIsLowercasedParameter) {
  auto st = MustParse("SELECT @TITLE");
  EXPECT_EQ(st.dml.sqlite_sql, "SELECT @title AS \"@TITLE\"");
  EXPECT_EQ(st.dml.user_vars_read, std::vector<std::string>{"title"});
}

TEST(ParseSelect, QuotedUserVariableParameter) {
  EXPECT_EQ(UserVarParam("my var"), "@_x6d7920766172");
  EXPECT_EQ(Sqlite("SELECT @`my var` AS v"), "SELECT @_x6d7920766172 AS \"v\"");
}

TEST(ParseSelect, ScopedSysvar) {
  EXPECT_EQ(Sqlite("SELECT @@global.server_id AS s"),
            "SELECT reptut_sysvar('server_id', 'global') AS \"s\"");
  EXPECT_EQ(Sqlite("SELECT @@session.autocommit AS s"),
            "SELECT reptut_sysvar('autocommit', 'session') AS \"s\"");
}

TEST(ParseExpr, Operators) {
  EXPECT_EQ(Sqlite("SELECT 1 FROM t WHERE a = 1 || b = 2 && !c"),
            "SELECT 1 AS \"1\" FROM `t` WHERE `a` = 1 OR `b` = 2 AND (NOT `c`)");
  EXPECT_EQ(Sqlite("SELECT a <=> NULL AS x FROM t"), "SELECT `a` IS NULL AS \"x\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT 7 DIV 2 AS x"), "SELECT CAST(7 / 2 AS INTEGER) AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT 7 MOD 2 AS x, 7 % 3 AS y"), "SELECT 7 % 2 AS \"x\", 7 % 3 AS \"y\"");
  EXPECT_EQ(Sqlite("SELECT 7 / 2 AS x"), "SELECT 7 * 1.0 / 2 AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT 1 XOR 0 AS x"), "SELECT ((1) <> 0) <> ((0) <> 0) AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT a != b AS x FROM t"), "SELECT `a` <> `b` AS \"x\" FROM `t`");
}

TEST(ParseExpr, StringLiteralComparisonIsCaseInsensitive) {
  EXPECT_EQ(Sqlite("SELECT 'abc' = 'ABC' AS x"), "SELECT 'abc' = 'ABC' COLLATE NOCASE AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT @v <> 'a' AS x"), "SELECT @v <> 'a' COLLATE NOCASE AS \"x\"");
  // A column keeps its own collation.
  EXPECT_EQ(Sqlite("SELECT a FROM t WHERE a = 'x'"), "SELECT `a` FROM `t` WHERE `a` = 'x'");
  EXPECT_EQ(Sqlite("SELECT a FROM t WHERE 'x' = a"), "SELECT `a` FROM `t` WHERE 'x' = `a`");
}

TEST(ParseExpr, Precedence) {
  EXPECT_EQ(Sqlite("SELECT (1 + 2) * 3 AS x"), "SELECT (1 + 2) * 3 AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT 1 | 2 & 3 AS x"), "SELECT 1 | (2 & 3) AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT NOT a = b AS x FROM t"), "SELECT NOT `a` = `b` AS \"x\" FROM `t`");
}

TEST(ParseExpr, LikeAndRegexp) {
  EXPECT_EQ(Sqlite("SELECT a FROM t WHERE a LIKE 'x%'"), "SELECT `a` FROM `t` WHERE `a` LIKE 'x%'");
  EXPECT_EQ(Sqlite("SELECT a FROM t WHERE a NOT LIKE 'x\\_%'"),
            "SELECT `a` FROM `t` WHERE `a` NOT LIKE 'x\\_%' ESCAPE '\\'");
  EXPECT_EQ(Sqlite("SELECT a FROM t WHERE a RLIKE '^x'"),
            "SELECT `a` FROM `t` WHERE `a` REGEXP '^x'");
}

TEST(ParseExpr, InBetweenIsNull) {
  EXPECT_EQ(Sqlite("SELECT a FROM t WHERE a NOT IN (1,2) AND b BETWEEN 1 AND 5 AND c IS NOT NULL"),
            "SELECT `a` FROM `t` WHERE `a` NOT IN (1, 2) AND `b` BETWEEN 1 AND 5 AND `c` IS NOT "
            "NULL");
}

TEST(ParseExpr, Strings) {
  EXPECT_EQ(Sqlite("SELECT \"it's\" AS x"), "SELECT 'it''s' AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT 'a\\tb' AS x"), "SELECT 'a\tb' AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT 'a\\0b' AS x"), "SELECT CAST(X'610062' AS TEXT) AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT X'4142' AS x"), "SELECT 'AB' AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT _binary 'ab' AS x"), "SELECT X'6162' AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT _latin1 0xE9 AS x"), "SELECT '\xC3\xA9' AS \"x\"");
}

TEST(ParseExpr, Functions) {
  EXPECT_EQ(Sqlite("SELECT CONCAT(a, 'x'), IFNULL(a, 1), IF(a, 1, 2) FROM t"),
            "SELECT CONCAT(`a`, 'x') AS \"CONCAT(a, 'x')\", IFNULL(`a`, 1) AS \"IFNULL(a, 1)\", "
            "iif(`a`, 1, 2) AS \"IF(a, 1, 2)\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT LENGTH(a) l, CHAR_LENGTH(a) c, UCASE(a) u FROM t"),
            "SELECT length(CAST(`a` AS BLOB)) AS \"l\", length(`a`) AS \"c\", upper(`a`) AS \"u\" "
            "FROM `t`");
  EXPECT_EQ(Sqlite("SELECT GREATEST(1, 2) g, LEAST(1, 2) l"),
            "SELECT max(1, 2) AS \"g\", min(1, 2) AS \"l\"");
  EXPECT_EQ(Sqlite("SELECT ISNULL(a) x FROM t"), "SELECT (`a` IS NULL) AS \"x\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT SUBSTRING(a FROM 2 FOR 3) x, MID(a, 1, 2) y, LEFT(a, 2) z FROM t"),
            "SELECT substr(`a`, 2, 3) AS \"x\", substr(`a`, 1, 2) AS \"y\", substr(`a`, 1, 2) AS "
            "\"z\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT LOCATE('b', a) x FROM t"), "SELECT instr(`a`, 'b') AS \"x\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT GROUP_CONCAT(a SEPARATOR ';') x FROM t"),
            "SELECT group_concat(`a`, ';') AS \"x\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT COUNT(DISTINCT a) x FROM t"),
            "SELECT COUNT(DISTINCT `a`) AS \"x\" FROM `t`");
}

TEST(ParseExpr, CoalesceOneArgument) {
  EXPECT_EQ(Sqlite("SELECT COALESCE(a) x FROM t"), "SELECT (`a`) AS \"x\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT COALESCE(a, 1) x FROM t"), "SELECT COALESCE(`a`, 1) AS \"x\" FROM `t`");
}

TEST(ParseExpr, NowFamily) {
  auto st = MustParse("SELECT CURRENT_TIMESTAMP, CURDATE(), CURRENT_DATE, LOCALTIME()");
  EXPECT_EQ(st.dml.sqlite_sql,
            "SELECT NOW() AS \"CURRENT_TIMESTAMP\", CURDATE() AS \"CURDATE()\", CURDATE() AS "
            "\"CURRENT_DATE\", NOW() AS \"LOCALTIME()\"");
  EXPECT_TRUE(st.dml.uses_now);
}

TEST(ParseExpr, CurrentUserWithoutParens) {
  EXPECT_EQ(Sqlite("SELECT CURRENT_USER"), "SELECT CURRENT_USER() AS \"CURRENT_USER\"");
  EXPECT_EQ(Sqlite("SELECT USER(), SESSION_USER()"),
            "SELECT USER() AS \"USER()\", USER() AS \"SESSION_USER()\"");
}

TEST(ParseExpr, Flags) {
  auto st = MustParse("SELECT RAND(), UUID(), LAST_INSERT_ID(5), SLEEP(1)");
  EXPECT_TRUE(st.dml.uses_rand);
  EXPECT_TRUE(st.dml.uses_uuid);
  EXPECT_TRUE(st.dml.sets_last_insert_id);
  EXPECT_TRUE(st.dml.uses_sleep);
  EXPECT_TRUE(MustParse("SELECT LAST_INSERT_ID()").dml.uses_last_insert_id);
}

TEST(ParseExpr, Casts) {
  EXPECT_EQ(
      Sqlite("SELECT CAST(a AS SIGNED) x, CAST(a AS UNSIGNED INTEGER) y, CAST(a AS CHAR) z FROM t"),
      "SELECT CAST(`a` AS INTEGER) AS \"x\", CAST(`a` AS INTEGER) AS \"y\", CAST(`a` AS "
      "TEXT) AS \"z\" FROM `t`");
  EXPECT_EQ(
      Sqlite("SELECT CAST(a AS DECIMAL(10,2)) x, CAST(a AS DATE) y, CONVERT(a, DATETIME) z FROM t"),
      "SELECT ROUND(CAST(`a` AS REAL), 2) AS \"x\", DATE(`a`) AS \"y\", reptut_datetime(`a`) "
      "AS \"z\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT BINARY a = 'x' AS b FROM t"),
            "SELECT `a` COLLATE BINARY = 'x' AS \"b\" FROM `t`");
}

TEST(ParseExpr, Intervals) {
  EXPECT_EQ(Sqlite("SELECT NOW() - INTERVAL 1 DAY AS x"),
            "SELECT reptut_date_sub(NOW(), 1, 'DAY') AS \"x\"");
  EXPECT_EQ(Sqlite("SELECT DATE_ADD(d, INTERVAL 2 HOUR) x FROM t"),
            "SELECT reptut_date_add(`d`, 2, 'HOUR') AS \"x\" FROM `t`");
  EXPECT_EQ(Sqlite("SELECT INTERVAL 1 MONTH + d AS x FROM t"),
            "SELECT reptut_date_add(`d`, 1, 'MONTH') AS \"x\" FROM `t`");
}

TEST(ParseExpr, UnknownFunction) {
  auto e = MustFail("SELECT nosuchfn(1)");
  EXPECT_EQ(e.code, 1305);
  EXPECT_EQ(e.message, "FUNCTION nosuchfn does not exist");
}

TEST(ParseInsert, SeedValues) {
  auto st = MustParse("INSERT INTO tbl VALUES ('Yeah! Replication!')");
  EXPECT_EQ(st.kind, StatementKind::kInsert);
  EXPECT_EQ(st.dml.sqlite_sql, "INSERT INTO `tbl` VALUES ('Yeah! Replication!')");
  ASSERT_TRUE(st.dml.target.has_value());
  EXPECT_EQ(st.dml.target->name, "tbl");
  EXPECT_EQ(st.dml.values_rows, 1u);
}

TEST(ParseInsert, UserVariable) {
  auto st = MustParse("INSERT INTO t1 VALUES(@TITLE)");
  EXPECT_EQ(st.dml.sqlite_sql, "INSERT INTO `t1` VALUES (reptut_cv(@title, 0))");
  EXPECT_EQ(st.dml.user_vars_read, std::vector<std::string>{"title"});
}

TEST(ParseInsert, MultiRowWithColumns) {
  auto st =
      MustParse("INSERT INTO sbtest1 (id, k, c, pad) VALUES (0, 5, 'a', 'b'), (0, 6, 'c', 'd')");
  EXPECT_EQ(st.dml.sqlite_sql,
            "INSERT INTO `sbtest1` (`id`, `k`, `c`, `pad`) VALUES (0, 5, 'a', 'b'), (0, 6, 'c', "
            "'d')");
  EXPECT_EQ(st.dml.insert_columns, (std::vector<std::string>{"id", "k", "c", "pad"}));
  EXPECT_EQ(st.dml.values_rows, 2u);
}

TEST(ParseInsert, ValuePiecesForRewriting) {
  std::string sql =
      "INSERT INTO t2 (id, v) VALUES (0, 10), (NULL, 'x') ON DUPLICATE KEY UPDATE v = 1";
  auto st = MustParse(sql);
  const DmlInfo& d = st.dml;
  ASSERT_EQ(d.insert_values.size(), 2u);
  EXPECT_EQ(d.insert_values[0], (std::vector<std::string>{"0", "10"}));
  EXPECT_EQ(d.insert_values[1], (std::vector<std::string>{"NULL", "'x'"}));
  auto [b, e] = d.insert_value_ranges[1][1];
  EXPECT_EQ(sql.substr(b, e - b), "'x'");
  EXPECT_EQ(d.insert_sql_head, "INSERT INTO `t2` (`id`, `v`) VALUES ");
  EXPECT_EQ(d.insert_sql_tail, " ON CONFLICT DO UPDATE SET `v` = reptut_cv(1, 1048576)");
  EXPECT_EQ(d.insert_sql_head + "(NULL, 10), (NULL, 'x')" + d.insert_sql_tail,
            "INSERT INTO `t2` (`id`, `v`) VALUES (NULL, 10), (NULL, 'x') ON CONFLICT DO UPDATE "
            "SET `v` = reptut_cv(1, 1048576)");
}

TEST(ParseInsert, PiecesByOffset) {
  auto values = MustParse("INSERT INTO t2 (id, v) VALUES (NULL, 10) ON DUPLICATE KEY UPDATE v = 1");
  const DmlInfo& d = values.dml;
  EXPECT_EQ(d.sqlite_sql.substr(0, d.insert_target_end), "INSERT INTO `t2`");
  EXPECT_EQ(d.sqlite_sql.substr(d.insert_tail_begin),
            " ON CONFLICT DO UPDATE SET `v` = reptut_cv(1, 1048576)");
  auto select = MustParse("INSERT INTO t2 (v) SELECT a FROM t1 WHERE a > 1");
  const DmlInfo& e = select.dml;
  EXPECT_EQ(e.sqlite_sql.substr(0, e.insert_target_end), "INSERT INTO `t2`");
  EXPECT_EQ(e.sqlite_sql.substr(e.insert_select_begin, e.insert_tail_begin - e.insert_select_begin),
            "SELECT `a` FROM `t1` WHERE `a` > 1");
  EXPECT_EQ(e.insert_tail_begin, e.sqlite_sql.size());
  auto upsert = MustParse("REPLACE t2 SELECT * FROM t1");
  const DmlInfo& f = upsert.dml;
  EXPECT_EQ(f.sqlite_sql.substr(0, f.insert_target_end), "REPLACE INTO `t2`");
  EXPECT_EQ(f.sqlite_sql.substr(f.insert_select_begin), "SELECT * FROM `t1`");
  auto dup = MustParse("INSERT INTO t2 SELECT * FROM t1 ON DUPLICATE KEY UPDATE v = 2");
  const DmlInfo& g = dup.dml;
  EXPECT_EQ(g.sqlite_sql.substr(g.insert_select_begin, g.insert_tail_begin - g.insert_select_begin),
            "SELECT * FROM (SELECT * FROM `t1`) WHERE true");
  EXPECT_EQ(g.sqlite_sql.substr(g.insert_tail_begin),
            " ON CONFLICT DO UPDATE SET `v` = reptut_cv(2, 1048576)");
}

TEST(ParseInsert, DefaultValueIsMarked) {
  auto st = MustParse("INSERT INTO t VALUES (DEFAULT, 1)");
  EXPECT_TRUE(st.dml.has_default_values);
  EXPECT_EQ(st.dml.insert_values[0][0], "DEFAULT");
  auto set = MustParse("INSERT INTO t SET a = DEFAULT");
  EXPECT_TRUE(set.dml.has_default_values);
  EXPECT_EQ(set.dml.insert_sql_head, "INSERT INTO `t` (`a`) VALUES ");
}

TEST(ParseInsert, ValueKeyword) {
  EXPECT_EQ(Sqlite("INSERT t VALUE (1)"), "INSERT INTO `t` VALUES (1)");
}

TEST(ParseInsert, SetForm) {
  auto st = MustParse("INSERT INTO t SET a=1, b='x'");
  EXPECT_EQ(st.dml.sqlite_sql, "INSERT INTO `t` (`a`, `b`) VALUES (1, 'x')");
  EXPECT_TRUE(st.dml.insert_set);
}

TEST(ParseInsert, Ignore) {
  auto st = MustParse("INSERT IGNORE INTO t VALUES (1)");
  EXPECT_EQ(st.dml.sqlite_sql, "INSERT OR IGNORE INTO `t` VALUES (1)");
  EXPECT_TRUE(st.dml.ignore);
}

TEST(ParseInsert, OnDuplicateKeyUpdate) {
  EXPECT_EQ(Sqlite("INSERT INTO t (a, b) VALUES (1, 2) ON DUPLICATE KEY UPDATE b = VALUES(b) + 1"),
            "INSERT INTO `t` (`a`, `b`) VALUES (1, 2) ON CONFLICT DO UPDATE SET `b` = "
            "reptut_cv(excluded.`b` + 1, 1048576)");
}

TEST(ParseInsert, Select) {
  auto st = MustParse("INSERT INTO t2 (a) SELECT a FROM t1 WHERE a > 1");
  EXPECT_EQ(st.dml.sqlite_sql, "INSERT INTO `t2` (`a`) SELECT `a` FROM `t1` WHERE `a` > 1");
  EXPECT_TRUE(st.dml.insert_select);
  EXPECT_EQ(st.dml.tables.size(), 2u);
}

TEST(ParseInsert, EmptyValues) {
  EXPECT_EQ(Sqlite("INSERT INTO t () VALUES ()"), "INSERT INTO `t` DEFAULT VALUES");
  // Several rows: the engine runs DEFAULT VALUES once per row.
  auto st = MustParse("INSERT INTO t VALUES (), ()");
  EXPECT_EQ(st.dml.sqlite_sql, "INSERT INTO `t` DEFAULT VALUES");
  EXPECT_EQ(st.dml.values_rows, 2u);
}

TEST(ParseSelect, CalcFoundRowsMarksTheLimit) {
  EXPECT_EQ(Sqlite("SELECT SQL_CALC_FOUND_ROWS a FROM t LIMIT 2"),
            "SELECT /*reptut_calc_found_rows*/ `a` FROM `t` /*reptut_found_rows_limit*/ LIMIT 2");
  EXPECT_EQ(Sqlite("SELECT SQL_CALC_FOUND_ROWS a FROM t UNION SELECT b FROM u LIMIT 1, 2"),
            "SELECT /*reptut_calc_found_rows*/ `a` FROM `t` UNION SELECT `b` FROM `u`"
            " /*reptut_found_rows_limit*/ LIMIT 2 OFFSET 1");
  // Only the statement's own LIMIT, and only with SQL_CALC_FOUND_ROWS.
  EXPECT_EQ(Sqlite("SELECT a FROM t WHERE a IN (SELECT SQL_CALC_FOUND_ROWS b FROM u LIMIT 1)"),
            "SELECT `a` FROM `t` WHERE `a` IN (SELECT `b` FROM `u` LIMIT 1)");
  EXPECT_EQ(Sqlite("SELECT a FROM t LIMIT 2"), "SELECT `a` FROM `t` LIMIT 2");
}

TEST(ParseReplace, Basic) {
  auto st = MustParse("REPLACE INTO t VALUES (1, 'a')");
  EXPECT_EQ(st.kind, StatementKind::kReplace);
  EXPECT_EQ(st.dml.sqlite_sql, "REPLACE INTO `t` VALUES (1, 'a')");
}

TEST(ParseUpdate, Basic) {
  auto st = MustParse("UPDATE sbtest1 SET k=k+1 WHERE id=3");
  EXPECT_EQ(st.kind, StatementKind::kUpdate);
  EXPECT_EQ(st.dml.sqlite_sql,
            "UPDATE `sbtest1` SET `k` = reptut_cv(`k` + 1, 1048576) WHERE `id` = 3");
}

TEST(ParseUpdate, OrderByLimit) {
  auto st = MustParse("UPDATE t SET a=1 WHERE b=2 ORDER BY c LIMIT 1");
  EXPECT_EQ(st.dml.sqlite_sql,
            "UPDATE `t` SET `a` = reptut_cv(1, 1048576) WHERE rowid IN (SELECT rowid FROM `t` "
            "WHERE `b` = 2 ORDER BY "
            "`c` LIMIT 1)");
  EXPECT_TRUE(st.dml.uses_rowid_subquery);
}

TEST(ParseUpdate, MultiTable) {
  auto st = MustParse("UPDATE t1, t2 SET t1.a = t2.b WHERE t1.id = t2.id");
  EXPECT_EQ(st.dml.sqlite_sql,
            "UPDATE `t1` SET `a` = reptut_cv(`t2`.`b`, 1048576) FROM `t2` WHERE (`t1`.`id` = "
            "`t2`.`id`)");
  EXPECT_EQ(st.dml.target->name, "t1");
  EXPECT_EQ(st.dml.tables.size(), 2u);
  EXPECT_EQ(Sqlite("UPDATE t1 AS a JOIN db2.t2 b ON a.id = b.id SET b.x = a.y WHERE a.z > 1"),
            "UPDATE `db2`.`t2` AS `b` SET `x` = reptut_cv(`a`.`y`, 1048576) FROM `t1` AS `a` "
            "WHERE (`a`.`id` = "
            "`b`.`id`) AND (`a`.`z` > 1)");
}

TEST(ParseUpdate, MultiTableLimits) {
  EXPECT_EQ(MustFail("UPDATE t1, t2 SET t1.a = 1, t2.b = 2").code, 1235);
  EXPECT_EQ(MustFail("UPDATE t1, t2 SET a = 1").code, 1235);
  EXPECT_EQ(MustFail("UPDATE t1 LEFT JOIN t2 ON t1.id = t2.id SET t1.a = 1").code, 1235);
  EXPECT_EQ(MustFail("UPDATE t1, t2 SET t3.a = 1").code, 1054);
}

TEST(ParseDelete, MultiTable) {
  auto st = MustParse("DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.x = 1");
  EXPECT_EQ(st.dml.sqlite_sql,
            "DELETE FROM `t1` WHERE rowid IN (SELECT `t1`.rowid FROM `t1` JOIN `t2` ON "
            "`t1`.`id` = `t2`.`id` WHERE `t2`.`x` = 1)");
  EXPECT_EQ(st.dml.target->name, "t1");
  EXPECT_EQ(Sqlite("DELETE FROM a.* USING t1 AS a, t2 WHERE a.id = t2.id"),
            "DELETE FROM `t1` WHERE rowid IN (SELECT `a`.rowid FROM `t1` AS `a`, `t2` WHERE "
            "`a`.`id` = `t2`.`id`)");
  EXPECT_EQ(MustFail("DELETE t1, t2 FROM t1 JOIN t2 ON t1.id = t2.id").code, 1235);
  EXPECT_EQ(MustFail("DELETE t3 FROM t1").code, 1109);
}

TEST(ParseDelete, Basic) {
  auto st = MustParse("DELETE FROM sbtest1 WHERE id=7");
  EXPECT_EQ(st.kind, StatementKind::kDelete);
  EXPECT_EQ(st.dml.sqlite_sql, "DELETE FROM `sbtest1` WHERE `id` = 7");
  EXPECT_EQ(Sqlite("DELETE FROM t LIMIT 2"),
            "DELETE FROM `t` WHERE rowid IN (SELECT rowid FROM `t` LIMIT 2)");
}

TEST(ParseDo, MasterPosWait) {
  auto st = MustParse("DO MASTER_POS_WAIT('master-bin.000003', 742)");
  EXPECT_EQ(st.kind, StatementKind::kDo);
  EXPECT_EQ(st.dml.sqlite_sql, "SELECT MASTER_POS_WAIT('master-bin.000003', 742)");
  EXPECT_TRUE(st.dml.uses_master_pos_wait);
}

TEST(ParseDml, TableMapper) {
  ParseOptions opt;
  opt.current_db = "test";
  opt.sqlite_table = [](const TableName& t) { return "`" + t.db + "`.`" + t.name + "`"; };
  auto r = Parse("SELECT t1.a FROM t1 JOIN other.t2 x ON t1.id = x.id", opt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->dml.sqlite_sql,
            "SELECT `t1`.`a` FROM `test`.`t1` AS `t1` JOIN `other`.`t2` AS `x` ON `t1`.`id` = "
            "`x`.`id`");
  auto u = Parse("UPDATE t1 SET a = 1", opt);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->dml.sqlite_sql, "UPDATE `test`.`t1` AS `t1` SET `a` = reptut_cv(1, 1048576)");
}

TEST(ParseErrors, SyntaxErrorNearText) {
  auto e = MustFail("SELECT * FORM t");
  EXPECT_EQ(e.code, 1064);
  EXPECT_EQ(e.sqlstate, "42000");
  EXPECT_EQ(e.message,
            "You have an error in your SQL syntax; check the manual that corresponds to your "
            "MySQL server version for the right syntax to use near 'FORM t' at line 1");
}

TEST(ParseErrors, SyntaxErrorAtEnd) {
  auto e = MustFail("SELECT * FROM");
  EXPECT_NE(e.message.find("near '' at line 1"), std::string::npos) << e.message;
}

TEST(ParseErrors, SyntaxErrorLine) {
  auto e = MustFail("SELECT 1\nFROM t\nWHERE WHERE");
  EXPECT_NE(e.message.find("near 'WHERE' at line 3"), std::string::npos) << e.message;
}

TEST(ParseErrors, MatchesServerNearText) {
  // Texts checked against a MariaDB 10.11 server (same lexer positions as MySQL).
  EXPECT_NE(MustFail("CREATE TABLE t (a INT,)").message.find("near ')' at line 1"),
            std::string::npos);
  EXPECT_NE(MustFail("SELECT 1 +").message.find("near '' at line 1"), std::string::npos);
  EXPECT_NE(MustFail("INSERT INTO t VALUES (1").message.find("near '' at line 1"),
            std::string::npos);
  EXPECT_NE(MustFail("CHANGE MASTER TO MASTER_PORT='x'").message.find("near ''x'' at line 1"),
            std::string::npos);
  EXPECT_NE(MustFail("SHOW BOGUS").message.find("near 'BOGUS' at line 1"), std::string::npos);
}

TEST(ParseErrors, UnknownFunctionNamesDatabase) {
  ParseOptions opt;
  opt.current_db = "test";
  auto r = Parse("SELECT nosuchfn(1)", opt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "FUNCTION test.nosuchfn does not exist");
}

TEST(ParseErrors, DeepNestingIsRefusedNotCrashing) {
  std::string deep = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_EQ(MustFail(deep).code, 1064);
  std::string minus = "SELECT " + std::string(5000, '-') + "1";
  EXPECT_EQ(MustFail(minus).code, 1064);
  std::string from = "SELECT * FROM " + std::string(5000, '(') + "t" + std::string(5000, ')');
  EXPECT_EQ(MustFail(from).code, 1064);
  std::string sel = std::string(5000, '(') + "SELECT 1" + std::string(5000, ')');
  EXPECT_EQ(MustFail(sel).code, 1064);
  std::string ok = "SELECT " + std::string(40, '(') + "1" + std::string(40, ')') + " AS x";
  MustParse(ok);
}

TEST(ParseErrors, EmptyQuery) {
  EXPECT_EQ(MustFail("   ").code, 1065);
  EXPECT_EQ(MustParse("/* only a comment */").kind, StatementKind::kEmpty);
  EXPECT_EQ(MustParse("/*M!100001 SET @@session.gtid_seq_no=1*/").kind, StatementKind::kEmpty);
  EXPECT_EQ(MustParse("/*!99999 SELECT 1 */ ;").kind, StatementKind::kEmpty);
}

TEST(ParseExplain, SelectIsParsedAsOnItsOwn) {
  auto st = MustParse(
      "EXPLAIN SELECT COUNT(*) FROM shop.items FORCE INDEX(`PRIMARY`) WHERE ((`id` >= ?)) AND "
      "((`id` <= ?)) /*explain checksum chunk*/");
  EXPECT_EQ(st.kind, StatementKind::kExplain);
  EXPECT_EQ(st.explained_kind, StatementKind::kSelect);
  EXPECT_EQ(st.dml.sqlite_sql,
            "SELECT COUNT(*) AS \"COUNT(*)\" FROM `shop`.`items` WHERE ((`id` >= ?)) AND "
            "((`id` <= ?))");
  EXPECT_EQ(st.dml.param_count, 2u);
  ASSERT_EQ(st.dml.tables.size(), 1u);
  EXPECT_EQ(st.dml.tables[0].name, "items");
}

TEST(ParseExplain, ModifiersAndOtherStatements) {
  EXPECT_EQ(MustParse("EXPLAIN EXTENDED SELECT 1").explained_kind, StatementKind::kSelect);
  EXPECT_EQ(MustParse("DESCRIBE PARTITIONS SELECT * FROM t").explained_kind,
            StatementKind::kSelect);
  EXPECT_EQ(MustParse("EXPLAIN FORMAT=TRADITIONAL SELECT * FROM t").kind, StatementKind::kExplain);
  EXPECT_EQ(MustParse("EXPLAIN (SELECT 1)").kind, StatementKind::kExplain);
  auto ins = MustParse("EXPLAIN INSERT INTO t (a) SELECT b FROM u");
  EXPECT_EQ(ins.explained_kind, StatementKind::kInsert);
  EXPECT_TRUE(ins.dml.insert_select);
  EXPECT_EQ(MustParse("EXPLAIN REPLACE INTO t VALUES (1)").explained_kind, StatementKind::kReplace);
  auto upd = MustParse("DESC UPDATE t SET a = 1 WHERE id = 2");
  EXPECT_EQ(upd.kind, StatementKind::kExplain);
  EXPECT_EQ(upd.explained_kind, StatementKind::kUpdate);
  EXPECT_EQ(upd.dml.sqlite_sql, "UPDATE `t` SET `a` = reptut_cv(1, 1048576) WHERE `id` = 2");
  EXPECT_EQ(MustParse("EXPLAIN DELETE FROM t WHERE id = 2").explained_kind, StatementKind::kDelete);
  // Still DESCRIBE t.
  EXPECT_EQ(MustParse("EXPLAIN t").kind, StatementKind::kShowColumns);
}

TEST(ParseExplain, Errors) {
  EXPECT_EQ(MustFail("EXPLAIN FORMAT=JSON SELECT 1").code, 1235);
  EXPECT_EQ(MustFail("EXPLAIN FORMAT=YAML SELECT 1").code, 1791);
  EXPECT_EQ(MustFail("EXPLAIN SELECT FROM").code, 1064);
  EXPECT_EQ(MustFail("EXPLAIN EXTENDED SHOW TABLES").code, 1064);
}

TEST(ParseUserVarAssignment, ReadsOfAnAssignedVariableAreLive) {
  auto st = MustParse(
      "SELECT CONCAT(SUBSTRING(@crc := MD5(a), 1, 16), SUBSTRING(@crc, 17, 16), @other, "
      "'@crc') AS x FROM t");
  EXPECT_EQ(st.dml.sqlite_sql,
            "SELECT CONCAT(substr(reptut_setvar('crc', MD5(`a`)), 1, 16), "
            "substr(reptut_getvar('crc'), 17, 16), @other, '@crc') AS \"x\" FROM `t`");
  EXPECT_EQ(
      MustParse("SELECT @a := @a + 1, @ab").dml.sqlite_sql,
      "SELECT reptut_setvar('a', reptut_getvar('a') + 1) AS \"@a := @a + 1\", @ab AS \"@ab\"");
}

TEST(ParseUserVarAssignment, InsertSelectKeepsItsPieces) {
  auto st = MustParse(
      "REPLACE INTO sums (db, crc) SELECT 'shop', BIT_XOR(CONV(SUBSTRING(@crc := MD5(x), 1, 16),"
      " 16, 10)) FROM t WHERE @crc IS NULL OR 1");
  EXPECT_EQ(st.kind, StatementKind::kReplace);
  EXPECT_EQ(st.dml.sqlite_sql.substr(st.dml.insert_select_begin, 7), "SELECT ");
  EXPECT_NE(st.dml.sqlite_sql.find("WHERE reptut_getvar('crc') IS NULL"), std::string::npos)
      << st.dml.sqlite_sql;
  EXPECT_EQ(st.dml.insert_tail_begin, st.dml.sqlite_sql.size());
}

}  // namespace
}  // namespace reptut::sql
