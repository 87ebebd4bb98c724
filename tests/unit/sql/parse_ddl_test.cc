#include <gtest/gtest.h>

#include "test_util.h"

namespace reptut::sql {
namespace {

using testing::MustFail;
using testing::MustParse;

TEST(ParseCreateTable, SeedTbl) {
  auto st = MustParse("CREATE TABLE tbl (a CHAR(20))");
  EXPECT_EQ(st.kind, StatementKind::kCreateTable);
  const TableDef& d = st.table.def;
  EXPECT_EQ(d.name, "tbl");
  ASSERT_EQ(d.columns.size(), 1u);
  EXPECT_EQ(d.columns[0].type, "char");
  EXPECT_EQ(*d.columns[0].length, 20u);
  EXPECT_FALSE(d.columns[0].not_null);
}

TEST(ParseCreateTable, ColumnKeyIsPrimaryKey) {
  auto st = MustParse(
      "CREATE TABLE contacts2 (contact_id INT AUTO_INCREMENT KEY, name VARCHAR(50), telephone "
      "CHAR(15))");
  const TableDef& d = st.table.def;
  ASSERT_EQ(d.indexes.size(), 1u);
  EXPECT_EQ(d.indexes[0].kind, IndexDef::Kind::kPrimary);
  EXPECT_TRUE(d.columns[0].not_null);
  EXPECT_TRUE(d.columns[0].auto_increment);
  EXPECT_EQ(*d.columns[0].length, 11u);
}

TEST(ParseCreateTable, Sysbench) {
  auto st = MustParse(
      "CREATE TABLE sbtest1(id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, "
      "c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id)) /*! "
      "ENGINE = innodb */");
  const TableDef& d = st.table.def;
  EXPECT_EQ(d.engine, "InnoDB");
  EXPECT_EQ(d.columns[1].type, "int");
  EXPECT_EQ(d.columns[1].default_kind, ColumnDef::Default::kLiteral);
  EXPECT_EQ(d.columns[1].default_value, "0");
  EXPECT_EQ(d.columns[2].default_value, "");
  EXPECT_TRUE(d.columns[2].not_null);
}

TEST(ParseCreateTable, TypesNormalised) {
  auto st = MustParse(
      "CREATE TABLE t (a BOOL, b INTEGER UNSIGNED, c NUMERIC(5,2), d REAL, e DOUBLE PRECISION, "
      "f BIGINT, g TINYINT ZEROFILL, h JSON, i DEC, j FLOAT(30), k YEAR, l DATETIME(6), "
      "m ENUM('x','y') DEFAULT 'x', n BIT(3) DEFAULT b'101', o TEXT, p VARBINARY(10), "
      "q CHARACTER VARYING(5))");
  const auto& c = st.table.def.columns;
  EXPECT_EQ(ColumnTypeText(c[0]), "tinyint(1)");
  EXPECT_EQ(ColumnTypeText(c[1]), "int(10) unsigned");
  EXPECT_EQ(ColumnTypeText(c[2]), "decimal(5,2)");
  EXPECT_EQ(ColumnTypeText(c[3]), "double");
  EXPECT_EQ(ColumnTypeText(c[4]), "double");
  EXPECT_EQ(ColumnTypeText(c[5]), "bigint(20)");
  EXPECT_EQ(ColumnTypeText(c[6]), "tinyint(3) unsigned zerofill");
  EXPECT_EQ(ColumnTypeText(c[7]), "longtext");
  EXPECT_EQ(ColumnTypeText(c[8]), "decimal(10,0)");
  EXPECT_EQ(ColumnTypeText(c[9]), "double");
  EXPECT_EQ(ColumnTypeText(c[10]), "year(4)");
  EXPECT_EQ(ColumnTypeText(c[11]), "datetime(6)");
  EXPECT_EQ(ColumnTypeText(c[12]), "enum('x','y')");
  EXPECT_EQ(c[13].default_value, "b'101'");
  EXPECT_EQ(ColumnTypeText(c[14]), "text");
  EXPECT_EQ(ColumnTypeText(c[15]), "varbinary(10)");
  EXPECT_EQ(ColumnTypeText(c[16]), "varchar(5)");
}

TEST(ParseCreateTable, DefaultsNormalised) {
  auto st = MustParse(
      "CREATE TABLE t (a INT DEFAULT 1.6, b DECIMAL(5,2) DEFAULT 1, c INT DEFAULT -5, "
      "d DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, e VARCHAR(5) DEFAULT "
      "NULL)");
  const auto& c = st.table.def.columns;
  EXPECT_EQ(c[0].default_value, "2");
  EXPECT_EQ(c[1].default_value, "1.00");
  EXPECT_EQ(c[2].default_value, "-5");
  EXPECT_EQ(c[3].default_kind, ColumnDef::Default::kCurrentTimestamp);
  EXPECT_TRUE(c[3].on_update_current_timestamp);
  EXPECT_EQ(c[4].default_kind, ColumnDef::Default::kNone);
}

TEST(ParseCreateTable, InvalidDefault) {
  auto e = MustFail("CREATE TABLE t (a INT DEFAULT 'abc')");
  EXPECT_EQ(e.code, 1067);
  EXPECT_EQ(e.message, "Invalid default value for 'a'");
}

TEST(ParseCreateTable, FirstTimestampGetsDefaults) {
  auto st = MustParse("CREATE TABLE t (a TIMESTAMP, b TIMESTAMP, c TIMESTAMP NULL)");
  const auto& c = st.table.def.columns;
  EXPECT_TRUE(c[0].not_null);
  EXPECT_EQ(c[0].default_kind, ColumnDef::Default::kCurrentTimestamp);
  EXPECT_TRUE(c[0].on_update_current_timestamp);
  EXPECT_EQ(c[1].default_value, "0000-00-00 00:00:00");
  EXPECT_FALSE(c[2].not_null);
}

TEST(ParseCreateTable, Indexes) {
  auto st = MustParse(
      "CREATE TABLE t (a INT, b VARCHAR(10) UNIQUE, c INT, KEY (c), INDEX idx_ab (a, b(5)), "
      "UNIQUE KEY (a, c), CONSTRAINT fk FOREIGN KEY (c) REFERENCES other (id) ON DELETE "
      "CASCADE, CHECK (a > 0), FULLTEXT KEY ft (b), PRIMARY KEY (a))");
  const auto& idx = st.table.def.indexes;
  ASSERT_EQ(idx.size(), 6u);
  EXPECT_EQ(idx[0].name, "PRIMARY");
  // Column-level UNIQUE on b is declared before UNIQUE (a, c); both have a
  // nullable part, so they keep that order.
  EXPECT_EQ(idx[1].name, "b");
  EXPECT_EQ(idx[2].name, "a");  // UNIQUE (a, c) is named after its first column
  EXPECT_EQ(idx[2].kind, IndexDef::Kind::kUnique);
  EXPECT_EQ(idx[3].name, "c");
  EXPECT_EQ(idx[4].name, "idx_ab");
  EXPECT_EQ(*idx[4].parts[1].prefix_length, 5u);
  EXPECT_EQ(idx[5].kind, IndexDef::Kind::kFulltext);
}

TEST(ParseCreateTable, Errors) {
  EXPECT_EQ(MustFail("CREATE TABLE t (a INT, a INT)").code, 1060);
  EXPECT_EQ(MustFail("CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))").code, 1068);
  EXPECT_EQ(MustFail("CREATE TABLE t (a INT AUTO_INCREMENT)").code, 1075);
  EXPECT_EQ(MustFail("CREATE TABLE t (a INT, KEY k (a), KEY k (a))").code, 1061);
  EXPECT_EQ(MustFail("CREATE TABLE t (a INT, KEY (nope))").code, 1072);
  EXPECT_EQ(MustFail("CREATE TABLE t (a INT) PARTITION BY HASH(a)").code, 1235);
  EXPECT_EQ(MustFail("CREATE TABLE t (a INT NOT NULL DEFAULT NULL)").code, 1067);
}

TEST(ParseCreateTable, OptionsAndLike) {
  auto st = MustParse(
      "CREATE TEMPORARY TABLE IF NOT EXISTS db.t (a INT) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 "
      "COLLATE=utf8_bin AUTO_INCREMENT=5 COMMENT='hi' ROW_FORMAT=dynamic");
  EXPECT_TRUE(st.table.temporary);
  EXPECT_TRUE(st.table.if_not_exists);
  EXPECT_EQ(st.table.tables[0].db, "db");
  const TableDef& d = st.table.def;
  EXPECT_EQ(d.engine, "MyISAM");
  EXPECT_EQ(d.charset, "utf8");
  EXPECT_EQ(d.collation, "utf8_bin");
  EXPECT_EQ(*d.auto_increment, 5u);
  EXPECT_EQ(d.comment, "hi");
  EXPECT_EQ(d.row_format, "DYNAMIC");
  auto like = MustParse("CREATE TABLE t2 LIKE t1");
  ASSERT_TRUE(like.table.like.has_value());
  EXPECT_EQ(like.table.like->name, "t1");
}

TEST(ParseCreateTable, AsSelect) {
  auto st = MustParse("CREATE TABLE t2 AS SELECT a FROM t1");
  ASSERT_TRUE(st.table.select.has_value());
  EXPECT_EQ(st.table.select->sqlite_sql, "SELECT `a` FROM `t1`");
}

TEST(ParseDropTable, Forms) {
  auto st = MustParse("DROP TABLE IF EXISTS t1, db.t2");
  EXPECT_EQ(st.kind, StatementKind::kDropTable);
  EXPECT_TRUE(st.table.if_exists);
  ASSERT_EQ(st.table.tables.size(), 2u);
  EXPECT_EQ(st.table.tables[1].db, "db");
  EXPECT_EQ(MustParse("TRUNCATE TABLE t").kind, StatementKind::kTruncate);
  EXPECT_EQ(MustParse("TRUNCATE t").table.tables[0].name, "t");
  auto r = MustParse("RENAME TABLE a TO b, c TO d");
  EXPECT_EQ(r.table.renames.size(), 2u);
}

TEST(ParseIndex, CreateDrop) {
  auto st = MustParse("CREATE INDEX k_1 ON sbtest1(k)");
  EXPECT_EQ(st.kind, StatementKind::kCreateIndex);
  EXPECT_EQ(st.table.index.name, "k_1");
  EXPECT_EQ(st.table.tables[0].name, "sbtest1");
  EXPECT_EQ(MustParse("CREATE UNIQUE INDEX u ON t (a, b)").table.index.kind,
            IndexDef::Kind::kUnique);
  auto d = MustParse("DROP INDEX k_1 ON sbtest1");
  EXPECT_EQ(d.kind, StatementKind::kDropIndex);
  EXPECT_EQ(d.table.index_name, "k_1");
}

TEST(ParseAlter, Ops) {
  auto st = MustParse(
      "ALTER TABLE t ADD COLUMN b INT NOT NULL AFTER a, ADD c CHAR(3) FIRST, DROP COLUMN d, "
      "MODIFY e BIGINT, CHANGE f g VARCHAR(5), ADD INDEX (b), ADD UNIQUE KEY u (c), DROP INDEX "
      "k, DROP PRIMARY KEY, ADD PRIMARY KEY (b), RENAME TO t2, ENGINE=InnoDB, AUTO_INCREMENT=10, "
      "DEFAULT CHARSET=utf8");
  EXPECT_EQ(st.kind, StatementKind::kAlterTable);
  const auto& ops = st.alter.ops;
  ASSERT_EQ(ops.size(), 14u);
  EXPECT_EQ(ops[0].type, AlterOp::Type::kAddColumn);
  EXPECT_EQ(ops[0].after, "a");
  EXPECT_TRUE(ops[1].first);
  EXPECT_EQ(ops[2].type, AlterOp::Type::kDropColumn);
  EXPECT_EQ(ops[3].type, AlterOp::Type::kChangeColumn);
  EXPECT_EQ(ops[4].column.name, "g");
  EXPECT_EQ(ops[5].type, AlterOp::Type::kAddIndex);
  EXPECT_EQ(ops[7].type, AlterOp::Type::kDropIndex);
  EXPECT_EQ(ops[8].type, AlterOp::Type::kDropPrimaryKey);
  EXPECT_EQ(ops[10].type, AlterOp::Type::kRenameTable);
  EXPECT_EQ(ops[10].new_name.name, "t2");
  EXPECT_EQ(ops[11].type, AlterOp::Type::kTableOptions);
  EXPECT_TRUE(ops[13].set_charset);
}

TEST(ApplyAlter, AddDropModify) {
  auto st = MustParse("CREATE TABLE t (a INT, d INT, KEY (d))");
  TableDef def = st.table.def;
  def.charset = "latin1";
  auto alter = MustParse(
      "ALTER TABLE t ADD COLUMN b INT NOT NULL AFTER a, ADD c CHAR(3) FIRST, DROP d, MODIFY a "
      "BIGINT NOT NULL, ADD PRIMARY KEY (a)");
  ASSERT_TRUE(ApplyAlter(def, alter.alter).ok());
  ASSERT_EQ(def.columns.size(), 3u);
  EXPECT_EQ(def.columns[0].name, "c");
  EXPECT_EQ(def.columns[1].name, "a");
  EXPECT_EQ(def.columns[1].type, "bigint");
  EXPECT_EQ(def.columns[2].name, "b");
  ASSERT_EQ(def.indexes.size(), 1u);
  EXPECT_EQ(def.indexes[0].kind, IndexDef::Kind::kPrimary);
}

TEST(ApplyAlter, Errors) {
  TableDef def = MustParse("CREATE TABLE t (a INT)").table.def;
  EXPECT_EQ(ApplyAlter(def, MustParse("ALTER TABLE t ADD a INT").alter).code(), 1060);
  EXPECT_EQ(ApplyAlter(def, MustParse("ALTER TABLE t DROP b").alter).code(), 1091);
  EXPECT_EQ(ApplyAlter(def, MustParse("ALTER TABLE t DROP INDEX b").alter).code(), 1091);
  EXPECT_EQ(ApplyAlter(def, MustParse("ALTER TABLE t MODIFY b INT").alter).code(), 1054);
}

TEST(ApplyAlter, CreateIndexStatement) {
  TableDef def = MustParse(
                     "CREATE TABLE sbtest1(id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT "
                     "'0' NOT NULL, PRIMARY KEY (id))")
                     .table.def;
  auto ci = MustParse("CREATE INDEX k_1 ON sbtest1(k)");
  AlterSpec spec;
  AlterOp op;
  op.type = AlterOp::Type::kAddIndex;
  op.index = ci.table.index;
  spec.ops.push_back(op);
  ASSERT_TRUE(ApplyAlter(def, spec).ok());
  EXPECT_EQ(def.indexes[1].name, "k_1");
}

}  // namespace
}  // namespace reptut::sql
