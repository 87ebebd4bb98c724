// The statement cache's one-pass scanner must give exactly the shape and the
// literal values the lexer-based path gives, for every statement it takes.
#include <gtest/gtest.h>

#include "engine/statement_cache.h"

namespace reptut::engine {
namespace {

void ExpectSame(const std::string& sql, bool fast_expected) {
  SCOPED_TRACE(sql);
  ShapeComparison c = CompareShapes(sql);
  EXPECT_EQ(c.fast_took_it, fast_expected);
  if (!c.fast_took_it) return;
  EXPECT_EQ(c.fast_shape, c.lexer_shape);
  ASSERT_EQ(c.fast_literals.size(), c.lexer_literals.size());
  for (size_t i = 0; i < c.fast_literals.size(); ++i) {
    const UserValue& a = c.fast_literals[i];
    const UserValue& b = c.lexer_literals[i];
    EXPECT_EQ(a.type, b.type) << i;
    EXPECT_EQ(a.i, b.i) << i;
    EXPECT_EQ(a.d, b.d) << i;
    EXPECT_EQ(a.s, b.s) << i;
    EXPECT_EQ(a.charset, b.charset) << i;
  }
}

TEST(StatementShape, SysbenchInsert) {
  ExpectSame(
      "INSERT INTO sbtest1 (id, k, c, pad) VALUES (0, 5012, "
      "'83868641912-28773972837-60736120486-75162659906', '67847967377-48000963322')",
      true);
}

TEST(StatementShape, PointSelectAndRanges) {
  ExpectSame("SELECT c FROM sbtest1 WHERE id=4999", true);
  ExpectSame("SELECT c FROM sbtest1 WHERE id BETWEEN 10 AND 109 ORDER BY c", true);
  ExpectSame("SELECT k, c FROM t ORDER BY 2 LIMIT 5, 10", true);
  ExpectSame("SELECT a FROM t GROUP BY 1 HAVING COUNT(*) > 3", true);
  ExpectSame("(SELECT 1) UNION (SELECT 2 FROM t WHERE x = 3 ORDER BY 1)", true);
  ExpectSame("SELECT * FROM t WHERE a IN (SELECT b FROM u ORDER BY 1 LIMIT 2) AND c = 7", true);
}

TEST(StatementShape, StringsAndEscapes) {
  ExpectSame("UPDATE t SET a = 'it''s', b = 'x\\'y', c = 'tab\\there' WHERE id = 1", true);
  ExpectSame("INSERT INTO t VALUES ('\\0\\b\\n\\r\\Z\\\\\\%\\_\\q', '')", true);
  ExpectSame("DELETE FROM `my``table` WHERE `id` = 42", true);
  ExpectSame("REPLACE INTO t SET a = 99999999999999999999", true);
  ExpectSame("UPDATE t SET n = n + 1 WHERE k = -5", true);
}

TEST(StatementShape, LeftToTheLexer) {
  ExpectSame("SELECT 1.5", false);
  ExpectSame("SELECT 1e3", false);
  ExpectSame("SELECT 0x1F", false);
  ExpectSame("SELECT X'1F'", false);
  ExpectSame("SELECT _latin1'abc'", false);
  ExpectSame("SELECT _utf8\r'abc'", false);
  ExpectSame("SELECT _utf8\r\n 'abc'", false);
  ExpectSame("SELECT 'a' 'b'", false);
  ExpectSame("SELECT \"double\"", false);
  ExpectSame("SELECT @v", false);
  ExpectSame("SELECT ? FROM t", false);
  ExpectSame("SELECT 1 -- comment", false);
  ExpectSame("SELECT /* c */ 1", false);
  ExpectSame("SELECT 'caf\xc3\xa9'", false);
  ExpectSame("SELECT 123abc FROM t", false);
}

TEST(StatementShape, NotDml) {
  ShapeComparison c = CompareShapes("SHOW TABLES");
  EXPECT_FALSE(c.fast_took_it);
  c = CompareShapes("SET @a = 1");
  EXPECT_FALSE(c.fast_took_it);
}

}  // namespace
}  // namespace reptut::engine
