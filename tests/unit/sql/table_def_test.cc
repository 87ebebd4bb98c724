#include "sql/table_def.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace reptut::sql {
namespace {

using testing::MustParse;

TableDef Def(std::string_view sql) {
  TableDef d = MustParse(sql).table.def;
  if (d.charset.empty()) {
    d.charset = "latin1";
    NormalizeTableDef(d);
  }
  return d;
}

void ExpectRoundTrip(const TableDef& def) {
  std::string text = ToShowCreate(def);
  auto again = Parse(text);
  ASSERT_TRUE(again.ok()) << text << "\n" << again.error().ToString();
  EXPECT_EQ(again->table.def, def) << text << "\n--- re-printed ---\n"
                                   << ToShowCreate(again->table.def);
}

TEST(ShowCreate, SeedTbl) {
  EXPECT_EQ(ToShowCreate(Def("CREATE TABLE tbl (a CHAR(20))")),
            "CREATE TABLE `tbl` (\n"
            "  `a` char(20) DEFAULT NULL\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=latin1");
}

TEST(ShowCreate, SeedContacts) {
  EXPECT_EQ(ToShowCreate(Def("CREATE TABLE contacts2 (contact_id INT AUTO_INCREMENT KEY, name "
                             "VARCHAR(50), telephone CHAR(15))")),
            "CREATE TABLE `contacts2` (\n"
            "  `contact_id` int(11) NOT NULL AUTO_INCREMENT,\n"
            "  `name` varchar(50) DEFAULT NULL,\n"
            "  `telephone` char(15) DEFAULT NULL,\n"
            "  PRIMARY KEY (`contact_id`)\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=latin1");
}

TEST(ShowCreate, Sysbench) {
  TableDef d = Def(
      "CREATE TABLE sbtest1(id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, "
      "c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id)) /*! "
      "ENGINE = innodb */");
  AlterSpec spec;
  AlterOp op;
  op.type = AlterOp::Type::kAddIndex;
  op.index = MustParse("CREATE INDEX k_1 ON sbtest1(k)").table.index;
  spec.ops.push_back(op);
  ASSERT_TRUE(ApplyAlter(d, spec).ok());
  EXPECT_EQ(ToShowCreate(d),
            "CREATE TABLE `sbtest1` (\n"
            "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
            "  `k` int(11) NOT NULL DEFAULT '0',\n"
            "  `c` char(120) NOT NULL DEFAULT '',\n"
            "  `pad` char(60) NOT NULL DEFAULT '',\n"
            "  PRIMARY KEY (`id`),\n"
            "  KEY `k_1` (`k`)\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=latin1");
  ExpectRoundTrip(d);
}

TEST(ShowCreate, FixtureTables) {
  EXPECT_EQ(
      ToShowCreate(Def("CREATE TABLE t1 (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB")),
      "CREATE TABLE `t1` (\n"
      "  `id` int(11) NOT NULL,\n"
      "  `name` varchar(20) DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`)\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=latin1");
  TableDef t2 = Def("CREATE TABLE t2 (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB");
  t2.auto_increment = 3;
  EXPECT_EQ(ToShowCreate(t2),
            "CREATE TABLE `t2` (\n"
            "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
            "  `v` int(11) DEFAULT NULL,\n"
            "  PRIMARY KEY (`id`)\n"
            ") ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=latin1");
}

TEST(ShowCreate, Unsigned) {
  EXPECT_EQ(ToShowCreate(Def("CREATE TABLE t (a INT UNSIGNED NOT NULL, b TINYINT(1))")),
            "CREATE TABLE `t` (\n"
            "  `a` int(10) unsigned NOT NULL,\n"
            "  `b` tinyint(1) DEFAULT NULL\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=latin1");
}

TEST(ShowCreate, TimestampsTextAndCharsets) {
  EXPECT_EQ(
      ToShowCreate(Def("CREATE TABLE t (ts TIMESTAMP, t2 TIMESTAMP NULL, body TEXT, u VARCHAR(10) "
                       "CHARACTER SET utf8, b VARCHAR(10) BINARY, e ENUM('a','b''c') NOT NULL, "
                       "note VARCHAR(5) COMMENT 'it''s')")),
      "CREATE TABLE `t` (\n"
      "  `ts` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
      "  `t2` timestamp NULL DEFAULT NULL,\n"
      "  `body` text,\n"
      "  `u` varchar(10) CHARACTER SET utf8 DEFAULT NULL,\n"
      "  `b` varchar(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT NULL,\n"
      "  `e` enum('a','b''c') NOT NULL,\n"
      "  `note` varchar(5) DEFAULT NULL COMMENT 'it''s'\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=latin1");
}

TEST(ShowCreate, IndexOrderAndOptions) {
  EXPECT_EQ(ToShowCreate(Def("CREATE TABLE t (a INT NOT NULL, b VARCHAR(20), KEY kb (b(4)), "
                             "UNIQUE KEY ub (b), PRIMARY KEY (a)) ENGINE=MyISAM DEFAULT "
                             "CHARSET=utf8 COMMENT='x'")),
            "CREATE TABLE `t` (\n"
            "  `a` int(11) NOT NULL,\n"
            "  `b` varchar(20) DEFAULT NULL,\n"
            "  PRIMARY KEY (`a`),\n"
            "  UNIQUE KEY `ub` (`b`),\n"
            "  KEY `kb` (`b`(4))\n"
            ") ENGINE=MyISAM DEFAULT CHARSET=utf8 COMMENT='x'");
}

TEST(RoundTrip, ManyShapes) {
  const char* tables[] = {
      "CREATE TABLE tbl (a CHAR(20))",
      "CREATE TABLE contacts2 (contact_id INT AUTO_INCREMENT KEY, name VARCHAR(50), telephone "
      "CHAR(15))",
      "CREATE TABLE t (a BIGINT UNSIGNED NOT NULL DEFAULT 5, b DECIMAL(8,3) DEFAULT 1.5, c DOUBLE, "
      "d FLOAT(7,2), e BIT(4) DEFAULT b'11', f DATE, g TIME(3), h DATETIME DEFAULT "
      "CURRENT_TIMESTAMP, i YEAR, j SET('x','y'), k BLOB, l MEDIUMTEXT, m BINARY(4), n TINYINT "
      "ZEROFILL, UNIQUE KEY (a), KEY (f, g))",
      "CREATE TABLE u (id INT NOT NULL, ts TIMESTAMP(6), s VARCHAR(10) CHARACTER SET utf8mb4 "
      "COLLATE utf8mb4_bin, PRIMARY KEY (id)) DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci "
      "COMMENT='c' ROW_FORMAT=COMPACT",
  };
  for (const char* sql : tables) {
    SCOPED_TRACE(sql);
    ExpectRoundTrip(Def(sql));
  }
}

TEST(SqliteDdl, Tbl) {
  auto r = ToSqliteDdl(Def("CREATE TABLE tbl (a CHAR(20))"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->statements.size(), 1u);
  EXPECT_EQ(r->statements[0], "CREATE TABLE `tbl` (`a` TEXT COLLATE NOCASE)");
  EXPECT_EQ(r->char_columns, std::vector<std::string>{"a"});
}

TEST(SqliteDdl, AutoIncrementAndIndexes) {
  TableDef d = Def(
      "CREATE TABLE sbtest1(id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, "
      "c CHAR(120) DEFAULT '' NOT NULL, PRIMARY KEY (id), KEY k_1 (k), UNIQUE (c))");
  auto r = ToSqliteDdl(d, "sbtest1");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->statements.size(), 3u);
  EXPECT_EQ(r->statements[0],
            "CREATE TABLE `sbtest1` (`id` INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, `k` INTEGER "
            "NOT NULL DEFAULT 0, `c` TEXT NOT NULL DEFAULT '' COLLATE NOCASE)");
  EXPECT_EQ(r->statements[1], "CREATE UNIQUE INDEX `sbtest1__c` ON `sbtest1` (`c`)");
  EXPECT_EQ(r->statements[2], "CREATE INDEX `sbtest1__k_1` ON `sbtest1` (`k`)");
}

TEST(SqliteDdl, CompositeKeyDefaultsAndSchema) {
  TableDef d =
      Def("CREATE TABLE t (a INT NOT NULL, b VARBINARY(3) NOT NULL, c DECIMAL(5,2) DEFAULT -1, ts "
          "TIMESTAMP, s VARCHAR(4) COLLATE latin1_bin, PRIMARY KEY (a, b))");
  auto r = ToSqliteDdl(d, "t", "fx");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0],
            "CREATE TABLE `fx`.`t` (`a` INTEGER NOT NULL, `b` BLOB NOT NULL, `c` NUMERIC DEFAULT "
            "(-1.00), `ts` TEXT NOT NULL DEFAULT (NOW()), `s` TEXT, PRIMARY KEY (`a`, `b`))");
  EXPECT_EQ(r->now_default_columns, std::vector<std::string>{"ts"});
  EXPECT_EQ(r->on_update_now_columns, std::vector<std::string>{"ts"});
}

TEST(SqliteDdl, AutoIncrementNotPrimaryIsUnsupported) {
  auto r = ToSqliteDdl(Def("CREATE TABLE t (a INT AUTO_INCREMENT, UNIQUE KEY (a))"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1235);
}

TEST(Metadata, IntAndStrings) {
  TableDef d = Def(
      "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, c CHAR(20), v VARCHAR(50) CHARACTER SET "
      "utf8, k INT, u INT UNSIGNED, KEY (k))");
  ColumnMeta id = ColumnMetadata(d, 0);
  EXPECT_EQ(id.type, mysql::kTypeLong);
  EXPECT_EQ(id.length, 11u);
  EXPECT_EQ(id.flags,
            mysql::kNotNullFlag | mysql::kPriKeyFlag | mysql::kAutoIncrementFlag | mysql::kNumFlag);
  EXPECT_EQ(id.charsetnr, 63);
  ColumnMeta c = ColumnMetadata(d, 1);
  EXPECT_EQ(c.type, mysql::kTypeString);
  EXPECT_EQ(c.length, 20u);
  EXPECT_EQ(c.charsetnr, 8);
  ColumnMeta v = ColumnMetadata(d, 2);
  EXPECT_EQ(v.type, mysql::kTypeVarString);
  EXPECT_EQ(v.length, 150u);
  EXPECT_EQ(v.charsetnr, 33);
  EXPECT_EQ(ColumnMetadata(d, 3).flags, mysql::kMultipleKeyFlag | mysql::kNumFlag);
  EXPECT_EQ(ColumnMetadata(d, 4).length, 10u);
}

TEST(Describe, Rows) {
  TableDef d =
      Def("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), k INT NOT NULL "
          "DEFAULT 0, u CHAR(3) UNIQUE, ts TIMESTAMP, KEY (k))");
  auto rows = DescribeRows(d);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].field, "id");
  EXPECT_EQ(rows[0].type, "int(11)");
  EXPECT_EQ(rows[0].null, "NO");
  EXPECT_EQ(rows[0].key, "PRI");
  EXPECT_FALSE(rows[0].default_value.has_value());
  EXPECT_EQ(rows[0].extra, "auto_increment");
  EXPECT_EQ(rows[1].null, "YES");
  EXPECT_EQ(rows[1].key, "");
  EXPECT_EQ(*rows[1].collation, "latin1_swedish_ci");
  EXPECT_EQ(*rows[2].default_value, "0");
  EXPECT_EQ(rows[2].key, "MUL");
  EXPECT_EQ(rows[3].key, "UNI");
  EXPECT_EQ(*rows[4].default_value, "CURRENT_TIMESTAMP");
  EXPECT_EQ(rows[4].extra, "on update CURRENT_TIMESTAMP");
}

TEST(ShowIndex, Rows) {
  TableDef d = Def("CREATE TABLE t (a INT PRIMARY KEY, b INT, c VARCHAR(9), KEY bc (b, c(3)))");
  auto rows = ShowIndexRows(d);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key_name, "PRIMARY");
  EXPECT_EQ(rows[0].non_unique, 0);
  EXPECT_EQ(rows[1].key_name, "bc");
  EXPECT_EQ(rows[1].non_unique, 1);
  EXPECT_EQ(rows[2].seq_in_index, 2);
  EXPECT_EQ(*rows[2].sub_part, 3u);
  EXPECT_EQ(rows[2].null, "YES");
}

}  // namespace
}  // namespace reptut::sql
