#include <gtest/gtest.h>

#include "test_util.h"

namespace reptut::sql {
namespace {

using testing::MustFail;
using testing::MustParse;

TEST(ParseSet, UserVariable) {
  auto st = MustParse("SET @TITLE = 'Post PostModern Man'");
  EXPECT_EQ(st.kind, StatementKind::kSet);
  ASSERT_EQ(st.set.items.size(), 1u);
  EXPECT_EQ(st.set.items[0].type, SetItem::Type::kUserVar);
  EXPECT_EQ(st.set.items[0].name, "title");
  EXPECT_EQ(st.set.items[0].value_sql, "'Post PostModern Man'");
}

TEST(ParseSet, UserVariableColonEqualsWithIntroducer) {
  auto st = MustParse("SET @`title`:=_latin1 0x506F7374 COLLATE `latin1_swedish_ci`");
  ASSERT_EQ(st.set.items.size(), 1u);
  EXPECT_EQ(st.set.items[0].name, "title");
  EXPECT_EQ(st.set.items[0].value_sql, "'Post' COLLATE NOCASE");
}

TEST(ParseSet, MariadbUserVar) {
  auto st = MustParse("SET @`name`:=_utf8mb3 X'666F7572' COLLATE `utf8mb3_general_ci`");
  EXPECT_EQ(st.set.items[0].value_sql, "'four' COLLATE NOCASE");
}

TEST(ParseSet, SubqueryValueRecordsTables) {
  auto st = MustParse("SET @n = (SELECT COUNT(*) FROM t1 WHERE a = @m)");
  EXPECT_EQ(st.set.items[0].value_sql,
            "(SELECT COUNT(*) AS \"COUNT(*)\" FROM `t1` WHERE `a` = @m)");
  ASSERT_EQ(st.set.items[0].tables.size(), 1u);
  EXPECT_EQ(st.set.items[0].tables[0].name, "t1");
  EXPECT_EQ(st.set.items[0].user_vars_read, std::vector<std::string>{"m"});
}

TEST(ParseSet, NamesAndAutocommit) {
  auto st = MustParse("SET NAMES utf8mb4");
  ASSERT_EQ(st.set.items.size(), 1u);
  EXPECT_EQ(st.set.items[0].type, SetItem::Type::kNames);
  EXPECT_EQ(st.set.items[0].charset, "utf8mb4");
  auto n = MustParse("SET NAMES 'latin1' COLLATE 'latin1_bin'");
  EXPECT_EQ(n.set.items[0].collation, "latin1_bin");
  auto a = MustParse("SET AUTOCOMMIT = 0");
  EXPECT_EQ(a.set.items[0].type, SetItem::Type::kSysVar);
  EXPECT_EQ(a.set.items[0].name, "autocommit");
  EXPECT_EQ(a.set.items[0].value_sql, "0");
  EXPECT_EQ(a.set.items[0].scope, VarScope::kDefault);
}

TEST(ParseSet, CharacterSet) {
  auto st = MustParse("SET CHARACTER SET utf8");
  EXPECT_EQ(st.set.items[0].type, SetItem::Type::kCharacterSet);
  EXPECT_EQ(st.set.items[0].charset, "utf8");
}

TEST(ParseSet, VersionedCompletionType) {
  auto st = MustParse("/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/");
  ASSERT_EQ(st.set.items.size(), 2u);
  EXPECT_EQ(st.set.items[0].type, SetItem::Type::kUserVar);
  EXPECT_EQ(st.set.items[0].name, "old_completion_type");
  EXPECT_EQ(st.set.items[0].value_sql, "reptut_sysvar('completion_type', '')");
  EXPECT_EQ(st.set.items[1].type, SetItem::Type::kSysVar);
  EXPECT_EQ(st.set.items[1].name, "completion_type");
}

TEST(ParseSet, MaxInsertDelayedThreads) {
  auto st = MustParse("/*!40019 SET @@session.max_insert_delayed_threads=0*/");
  EXPECT_EQ(st.set.items[0].name, "max_insert_delayed_threads");
  EXPECT_EQ(st.set.items[0].scope, VarScope::kSession);
}

TEST(ParseSet, BinlogSessionList) {
  auto st = MustParse(
      "SET @@session.foreign_key_checks=1, @@session.sql_auto_is_null=0, "
      "@@session.unique_checks=1, @@session.autocommit=1/*!*/");
  ASSERT_EQ(st.set.items.size(), 4u);
  EXPECT_EQ(st.set.items[3].name, "autocommit");
  EXPECT_EQ(st.set.items[3].value_sql, "1");
}

TEST(ParseSet, WordValues) {
  auto st = MustParse(
      "SET @@session.character_set_client=utf8mb3,@@session.collation_connection=33,"
      "@@session.collation_server=8");
  EXPECT_EQ(st.set.items[0].value_word, "utf8mb3");
  EXPECT_EQ(st.set.items[1].value_sql, "33");
  auto d = MustParse("SET @@session.collation_database=DEFAULT");
  EXPECT_TRUE(d.set.items[0].is_default);
  auto on = MustParse("SET GLOBAL read_only = ON");
  EXPECT_EQ(on.set.items[0].value_word, "ON");
  EXPECT_EQ(on.set.items[0].scope, VarScope::kGlobal);
}

TEST(ParseSet, TimestampInsertIdPseudoThread) {
  EXPECT_EQ(MustParse("SET TIMESTAMP=1795304550/*!*/").set.items[0].name, "timestamp");
  EXPECT_EQ(MustParse("SET INSERT_ID=1").set.items[0].name, "insert_id");
  EXPECT_EQ(MustParse("SET LAST_INSERT_ID=5").set.items[0].name, "last_insert_id");
  auto p = MustParse("SET @@session.pseudo_thread_id=6/*!*/");
  EXPECT_EQ(p.set.items[0].name, "pseudo_thread_id");
  EXPECT_EQ(p.set.items[0].value_sql, "6");
  EXPECT_EQ(MustParse("SET @@session.lc_time_names=0").set.items[0].name, "lc_time_names");
  EXPECT_EQ(MustParse("/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/").set.items[0].name,
            "pseudo_slave_mode");
  EXPECT_EQ(MustParse("SET sql_log_bin=0").set.items[0].name, "sql_log_bin");
}

TEST(ParseSet, GlobalScopePersists) {
  auto st = MustParse("SET GLOBAL a = 1, b = 2, SESSION c = 3");
  EXPECT_EQ(st.set.items[0].scope, VarScope::kGlobal);
  EXPECT_EQ(st.set.items[1].scope, VarScope::kGlobal);
  EXPECT_EQ(st.set.items[2].scope, VarScope::kSession);
}

TEST(ParseSet, SlaveSkipCounter) {
  auto st = MustParse("SET GLOBAL SQL_SLAVE_SKIP_COUNTER=1");
  EXPECT_EQ(st.set.items[0].name, "sql_slave_skip_counter");
  EXPECT_EQ(st.set.items[0].scope, VarScope::kGlobal);
}

TEST(ParseSet, UserVarFromBareWordIsUnknownColumn) {
  auto e = MustFail("SET @x = foo");
  EXPECT_EQ(e.code, 1054);
}

TEST(ParseSet, Transaction) {
  auto st = MustParse("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
  EXPECT_EQ(st.kind, StatementKind::kSetTransaction);
  EXPECT_EQ(MustParse("SET TRANSACTION READ ONLY").kind, StatementKind::kSetTransaction);
}

TEST(ParseSet, Password) {
  auto st = MustParse("SET PASSWORD FOR 'bob'@'%' = PASSWORD('secret')");
  EXPECT_EQ(st.kind, StatementKind::kSetPassword);
  EXPECT_EQ(st.account.users[0].user.user, "bob");
  EXPECT_EQ(st.account.users[0].auth_kind, UserSpec::Auth::kPassword);
  EXPECT_EQ(st.account.users[0].auth, "secret");
  auto cur = MustParse("SET PASSWORD = 'x'");
  EXPECT_TRUE(cur.account.users[0].user.current_user);
}

TEST(ParseTxn, Forms) {
  EXPECT_EQ(MustParse("BEGIN").kind, StatementKind::kBegin);
  EXPECT_EQ(MustParse("BEGIN WORK").kind, StatementKind::kBegin);
  EXPECT_EQ(MustParse("START TRANSACTION").kind, StatementKind::kBegin);
  EXPECT_TRUE(MustParse("START TRANSACTION READ ONLY").txn.read_only);
  EXPECT_TRUE(MustParse("START TRANSACTION WITH CONSISTENT SNAPSHOT").txn.consistent_snapshot);
  EXPECT_EQ(MustParse("COMMIT WORK").kind, StatementKind::kCommit);
  EXPECT_EQ(MustParse("COMMIT/*!*/").kind, StatementKind::kCommit);
  EXPECT_EQ(MustParse("ROLLBACK /* added by mysqlbinlog */").kind, StatementKind::kRollback);
  EXPECT_EQ(MustParse("SAVEPOINT s1").kind, StatementKind::kSavepoint);
  EXPECT_EQ(MustParse("ROLLBACK TO SAVEPOINT s1").txn.savepoint, "s1");
  EXPECT_EQ(MustFail("XA START 'x'").code, 1235);
}

TEST(ParseDb, CreateDropUse) {
  auto c = MustParse("CREATE DATABASE IF NOT EXISTS fx CHARACTER SET utf8mb3");
  EXPECT_EQ(c.kind, StatementKind::kCreateDatabase);
  EXPECT_EQ(c.db.name, "fx");
  EXPECT_TRUE(c.db.if_not_exists);
  EXPECT_EQ(c.db.charset, "utf8");
  auto d = MustParse("DROP SCHEMA IF EXISTS fx");
  EXPECT_EQ(d.kind, StatementKind::kDropDatabase);
  EXPECT_TRUE(d.db.if_exists);
  auto u = MustParse("use `fx`/*!*/;");
  EXPECT_EQ(u.kind, StatementKind::kUse);
  EXPECT_EQ(u.db.name, "fx");
}

TEST(ParseShow, Simple) {
  EXPECT_EQ(MustParse("SHOW WARNINGS").kind, StatementKind::kShowWarnings);
  EXPECT_EQ(MustParse("SHOW DATABASES").kind, StatementKind::kShowDatabases);
  EXPECT_EQ(MustParse("SHOW MASTER STATUS").kind, StatementKind::kShowMasterStatus);
  EXPECT_EQ(MustParse("SHOW SLAVE STATUS").kind, StatementKind::kShowSlaveStatus);
  EXPECT_EQ(MustParse("SHOW SLAVE HOSTS").kind, StatementKind::kShowSlaveHosts);
  EXPECT_EQ(MustParse("SHOW BINARY LOGS").kind, StatementKind::kShowBinaryLogs);
  EXPECT_EQ(MustParse("SHOW MASTER LOGS").kind, StatementKind::kShowBinaryLogs);
  EXPECT_EQ(MustParse("SHOW PROCESSLIST").kind, StatementKind::kShowProcesslist);
  EXPECT_TRUE(MustParse("SHOW FULL PROCESSLIST").show.full);
  EXPECT_EQ(MustParse("SHOW ENGINES").kind, StatementKind::kShowEngines);
  EXPECT_EQ(MustParse("SHOW CHARACTER SET").kind, StatementKind::kShowCharset);
  EXPECT_EQ(MustParse("SHOW COLLATION").kind, StatementKind::kShowCollation);
  EXPECT_EQ(MustParse("SHOW ERRORS").kind, StatementKind::kShowErrors);
  EXPECT_EQ(MustParse("SHOW PRIVILEGES").kind, StatementKind::kShowPrivileges);
  EXPECT_EQ(MustParse("SHOW COUNT(*) WARNINGS").kind, StatementKind::kShowCountWarnings);
}

TEST(ParseShow, Tables) {
  auto st = MustParse("SHOW FULL TABLES FROM fx LIKE 't%'");
  EXPECT_EQ(st.kind, StatementKind::kShowTables);
  EXPECT_TRUE(st.show.full);
  EXPECT_EQ(st.show.db, "fx");
  EXPECT_EQ(*st.show.like, "t%");
}

TEST(ParseShow, Columns) {
  auto st = MustParse("SHOW FULL COLUMNS FROM t1 FROM fx LIKE 'a%'");
  EXPECT_EQ(st.kind, StatementKind::kShowColumns);
  EXPECT_EQ(st.show.table.name, "t1");
  EXPECT_EQ(st.show.table.db, "fx");
  auto d = MustParse("DESCRIBE fx.t1 name");
  EXPECT_EQ(d.kind, StatementKind::kShowColumns);
  EXPECT_EQ(d.show.table.db, "fx");
  EXPECT_EQ(d.show.column, "name");
  EXPECT_EQ(MustParse("DESC t").kind, StatementKind::kShowColumns);
  EXPECT_EQ(MustParse("EXPLAIN t").kind, StatementKind::kShowColumns);
}

TEST(ParseShow, CreateAndIndex) {
  EXPECT_EQ(MustParse("SHOW CREATE TABLE tbl").show.table.name, "tbl");
  EXPECT_EQ(MustParse("SHOW CREATE DATABASE fx").show.db, "fx");
  EXPECT_EQ(MustParse("SHOW INDEX FROM t IN db").show.table.db, "db");
  EXPECT_EQ(MustParse("SHOW KEYS FROM t").kind, StatementKind::kShowIndex);
  EXPECT_EQ(MustParse("SHOW TABLE STATUS FROM fx").show.db, "fx");
}

TEST(ParseShow, Variables) {
  auto st = MustParse("SHOW GLOBAL VARIABLES LIKE 'server_id'");
  EXPECT_EQ(st.kind, StatementKind::kShowVariables);
  EXPECT_EQ(st.show.scope, VarScope::kGlobal);
  EXPECT_EQ(*st.show.like, "server_id");
  auto w = MustParse("SHOW VARIABLES WHERE Variable_name = 'log_bin'");
  EXPECT_EQ(w.show.where_sql, "`Variable_name` = 'log_bin'");
  EXPECT_EQ(w.show.where_text, "Variable_name = 'log_bin'");
  EXPECT_EQ(MustParse("SHOW SESSION STATUS LIKE 'Com%'").kind, StatementKind::kShowStatus);
}

TEST(ParseShow, Grants) {
  auto st = MustParse("SHOW GRANTS FOR repl_user@localhost");
  ASSERT_TRUE(st.show.user.has_value());
  EXPECT_EQ(st.show.user->user, "repl_user");
  EXPECT_EQ(st.show.user->host, "localhost");
  EXPECT_FALSE(MustParse("SHOW GRANTS").show.user.has_value());
  EXPECT_FALSE(MustParse("SHOW GRANTS FOR CURRENT_USER()").show.user.has_value());
}

TEST(ParseShow, BinlogEvents) {
  auto st = MustParse("SHOW BINLOG EVENTS FROM 301");
  EXPECT_EQ(st.kind, StatementKind::kShowBinlogEvents);
  EXPECT_EQ(*st.show.from_pos, 301u);
  auto full = MustParse("SHOW BINLOG EVENTS IN 'master-bin.000001' FROM 4 LIMIT 2, 3");
  EXPECT_EQ(full.show.log_file, "master-bin.000001");
  EXPECT_EQ(*full.show.limit_offset, 2u);
  EXPECT_EQ(*full.show.limit_count, 3u);
}

TEST(ParseShow, RelaylogEvents) {
  auto st = MustParse("SHOW RELAYLOG EVENTS IN 'slave-relay-bin.000002' FROM 4 LIMIT 10");
  EXPECT_EQ(st.kind, StatementKind::kShowRelaylogEvents);
  EXPECT_EQ(st.show.log_file, "slave-relay-bin.000002");
  EXPECT_EQ(*st.show.from_pos, 4u);
  EXPECT_EQ(*st.show.limit_count, 10u);
}

TEST(ParseAccount, CreateUser) {
  auto st = MustParse("CREATE USER repl_user@localhost");
  EXPECT_EQ(st.kind, StatementKind::kCreateUser);
  ASSERT_EQ(st.account.users.size(), 1u);
  EXPECT_EQ(st.account.users[0].user.user, "repl_user");
  EXPECT_EQ(st.account.users[0].user.host, "localhost");
  EXPECT_EQ(st.account.users[0].auth_kind, UserSpec::Auth::kNone);
}

TEST(ParseAccount, CreateUserForms) {
  auto st = MustParse(
      "CREATE USER IF NOT EXISTS 'a'@'%' IDENTIFIED BY 'pw', `b`@`LocalHost` IDENTIFIED BY "
      "PASSWORD '*0123456789ABCDEF0123456789ABCDEF01234567', c IDENTIFIED WITH "
      "mysql_native_password AS '*AB', d@'10.0.0.1' IDENTIFIED WITH mysql_native_password BY 'x'");
  ASSERT_EQ(st.account.users.size(), 4u);
  EXPECT_TRUE(st.account.if_not_exists);
  EXPECT_EQ(st.account.users[0].auth, "pw");
  EXPECT_EQ(st.account.users[1].user.host, "localhost");
  EXPECT_EQ(st.account.users[1].auth_kind, UserSpec::Auth::kHash);
  EXPECT_EQ(st.account.users[2].user.host, "%");
  EXPECT_EQ(st.account.users[2].auth_kind, UserSpec::Auth::kHash);
  EXPECT_EQ(st.account.users[3].user.host, "10.0.0.1");
  EXPECT_EQ(st.account.users[3].auth_kind, UserSpec::Auth::kPassword);
}

TEST(ParseAccount, CreateUserAccountOptions) {
  auto st = MustParse(
      "CREATE USER u@localhost IDENTIFIED BY 'x' REQUIRE NONE WITH MAX_QUERIES_PER_HOUR 5 "
      "PASSWORD EXPIRE NEVER ACCOUNT UNLOCK");
  EXPECT_EQ(st.account.users[0].auth, "x");
}

TEST(ParseAccount, AlterUserIdentifiedIsSetPassword) {
  auto st = MustParse("ALTER USER 'bob'@'%' IDENTIFIED BY 'new'");
  EXPECT_EQ(st.kind, StatementKind::kSetPassword);
  EXPECT_EQ(st.account.users[0].user.user, "bob");
  EXPECT_EQ(st.account.users[0].auth, "new");
  EXPECT_TRUE(MustParse("ALTER USER USER() IDENTIFIED BY 'x'").account.users[0].user.current_user);
  EXPECT_EQ(MustFail("ALTER USER bob ACCOUNT LOCK").code, 1235);
}

TEST(ParseAccount, GrantSeed) {
  auto st =
      MustParse("GRANT REPLICATION SLAVE ON *.*\n  TO repl_user@localhost IDENTIFIED BY 'xyzzy'");
  EXPECT_EQ(st.kind, StatementKind::kGrant);
  EXPECT_EQ(st.account.privileges, kPrivReplicationSlave);
  EXPECT_EQ(st.account.level.kind, GrantLevel::Kind::kGlobal);
  ASSERT_EQ(st.account.users.size(), 1u);
  EXPECT_EQ(st.account.users[0].auth, "xyzzy");
}

TEST(ParseAccount, GrantLevelsAndOptions) {
  auto st = MustParse("GRANT SELECT, INSERT, GRANT OPTION ON db1.* TO 'u'@'%' WITH GRANT OPTION");
  EXPECT_EQ(st.account.privileges, kPrivSelect | kPrivInsert | kPrivGrantOption);
  EXPECT_TRUE(st.account.with_grant_option);
  EXPECT_EQ(st.account.level.kind, GrantLevel::Kind::kDatabase);
  EXPECT_EQ(st.account.level.db, "db1");
  auto t = MustParse("GRANT ALL PRIVILEGES ON t1 TO u");
  EXPECT_TRUE(t.account.all_privileges);
  EXPECT_EQ(t.account.level.kind, GrantLevel::Kind::kTable);
  EXPECT_EQ(t.account.level.table, "t1");
  EXPECT_EQ(MustParse("GRANT ALL ON * TO u").account.level.kind, GrantLevel::Kind::kDatabase);
  EXPECT_EQ(MustParse("GRANT SELECT ON db.t TO u").account.level.table, "t");
  EXPECT_EQ(MustFail("GRANT SELECT (a) ON t TO u").code, 1235);
}

TEST(ParseAccount, Revoke) {
  auto st = MustParse("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'u'@'h'");
  EXPECT_TRUE(st.account.revoke_all);
  auto r = MustParse("REVOKE INSERT ON *.* FROM u");
  EXPECT_EQ(r.account.privileges, kPrivInsert);
  EXPECT_FALSE(r.account.revoke_all);
}

TEST(ParseAccount, DropRename) {
  auto d = MustParse("DROP USER IF EXISTS a@localhost, b");
  EXPECT_EQ(d.kind, StatementKind::kDropUser);
  EXPECT_EQ(d.account.users.size(), 2u);
  EXPECT_EQ(d.account.users[1].user.host, "%");
  auto r = MustParse("RENAME USER a TO b@localhost");
  EXPECT_EQ(r.account.renames[0].second.host, "localhost");
}

TEST(Privileges, Lists) {
  EXPECT_EQ(PrivilegeList(kPrivReplicationSlave, false, false), "REPLICATION SLAVE");
  EXPECT_EQ(PrivilegeList(kPrivSelect | kPrivInsert, false, false), "SELECT, INSERT");
  EXPECT_EQ(PrivilegeList(kPrivAllGlobal, false, false), "ALL PRIVILEGES");
  EXPECT_EQ(PrivilegeList(0, false, false), "USAGE");
}

TEST(ParseAdmin, Flush) {
  auto st = MustParse("FLUSH TABLES WITH READ LOCK");
  EXPECT_EQ(st.kind, StatementKind::kFlush);
  EXPECT_TRUE(st.admin.flush_read_lock);
  EXPECT_FALSE(Classify(st).logged);
  auto l = MustParse("FLUSH LOGS");
  EXPECT_EQ(l.admin.flush_what, std::vector<std::string>{"logs"});
  EXPECT_FALSE(Classify(l).logged);
  auto p = MustParse("FLUSH PRIVILEGES");
  EXPECT_TRUE(Classify(p).logged);
  auto loc = MustParse("FLUSH LOCAL PRIVILEGES, STATUS");
  EXPECT_FALSE(Classify(loc).logged);
  EXPECT_EQ(MustParse("FLUSH BINARY LOGS").admin.flush_what[0], "binary logs");
}

TEST(ParseAdmin, CheckTable) {
  auto st = MustParse("CHECK TABLE shop.items, `t2` FOR UPGRADE QUICK");
  EXPECT_EQ(st.kind, StatementKind::kCheckTable);
  ASSERT_EQ(st.admin.maintenance_tables.size(), 2u);
  EXPECT_EQ(st.admin.maintenance_tables[0], (TableName{"shop", "items"}));
  EXPECT_EQ(st.admin.maintenance_tables[1], (TableName{"", "t2"}));
  EXPECT_EQ(st.admin.maintenance_options, (std::vector<std::string>{"FOR UPGRADE", "QUICK"}));
  EXPECT_FALSE(Classify(st).logged);
  auto all = MustParse("check tables t fast medium extended changed;");
  EXPECT_EQ(all.admin.maintenance_options,
            (std::vector<std::string>{"FAST", "MEDIUM", "EXTENDED", "CHANGED"}));
  // mariadb-check's form.
  EXPECT_EQ(MustParse("CHECK TABLE `items`  FOR UPGRADE").admin.maintenance_options,
            std::vector<std::string>{"FOR UPGRADE"});
  EXPECT_EQ(MustFail("CHECK TABLE t USE_FRM").code, 1064);
  EXPECT_EQ(MustFail("CHECK TABLE").code, 1064);
  EXPECT_EQ(MustFail("CHECK t").code, 1064);
  EXPECT_EQ(MustFail("CHECK VIEW v").code, 1235);
  // CHECK inside CREATE TABLE stays a constraint.
  EXPECT_EQ(MustParse("CREATE TABLE t (a INT, CHECK (a > 0))").kind, StatementKind::kCreateTable);
}

TEST(ParseAdmin, AnalyzeOptimizeRepair) {
  auto a = MustParse("ANALYZE TABLE t1, d.t2");
  EXPECT_EQ(a.kind, StatementKind::kAnalyzeTable);
  EXPECT_EQ(a.admin.maintenance_tables.size(), 2u);
  EXPECT_TRUE(a.admin.maintenance_options.empty());
  EXPECT_TRUE(Classify(a).logged);
  EXPECT_TRUE(Classify(a).implicit_commit);
  auto local = MustParse("ANALYZE LOCAL TABLE t1");
  EXPECT_EQ(local.admin.maintenance_options, std::vector<std::string>{"LOCAL"});
  EXPECT_FALSE(Classify(local).logged);
  auto o = MustParse("OPTIMIZE NO_WRITE_TO_BINLOG TABLES t1");
  EXPECT_EQ(o.kind, StatementKind::kOptimizeTable);
  EXPECT_EQ(o.admin.maintenance_options, std::vector<std::string>{"NO_WRITE_TO_BINLOG"});
  EXPECT_FALSE(Classify(o).logged);
  EXPECT_TRUE(Classify(MustParse("OPTIMIZE TABLE t1")).logged);
  auto r = MustParse("REPAIR TABLE t1 QUICK EXTENDED USE_FRM");
  EXPECT_EQ(r.kind, StatementKind::kRepairTable);
  EXPECT_EQ(r.admin.maintenance_options,
            (std::vector<std::string>{"QUICK", "EXTENDED", "USE_FRM"}));
  EXPECT_TRUE(Classify(r).logged);
  EXPECT_FALSE(Classify(MustParse("REPAIR LOCAL TABLE t1")).logged);
  EXPECT_EQ(MustFail("ANALYZE TABLE t1 QUICK").code, 1064);
  EXPECT_EQ(MustFail("OPTIMIZE TABLE t1 EXTENDED").code, 1064);
  EXPECT_EQ(MustFail("ANALYZE SELECT 1").code, 1235);
  EXPECT_EQ(MustFail("ANALYZE TABLE t PERSISTENT FOR ALL").code, 1235);
  EXPECT_EQ(MustFail("REPAIR t1").code, 1064);
}

TEST(ParseAdmin, ChecksumTable) {
  auto c = MustParse("CHECKSUM TABLE shop.items, t2 EXTENDED");
  EXPECT_EQ(c.kind, StatementKind::kChecksumTable);
  EXPECT_EQ(c.admin.maintenance_tables.size(), 2u);
  EXPECT_EQ(c.admin.maintenance_options, std::vector<std::string>{"EXTENDED"});
  EXPECT_FALSE(Classify(c).logged);
  EXPECT_EQ(MustParse("CHECKSUM TABLE t QUICK").admin.maintenance_options,
            std::vector<std::string>{"QUICK"});
  EXPECT_EQ(MustFail("CHECKSUM TABLE t QUICK EXTENDED").code, 1064);
  EXPECT_EQ(MustFail("CHECKSUM LOCAL TABLE t").code, 1064);
}

TEST(ParseAdmin, LockKillShutdown) {
  EXPECT_EQ(MustParse("UNLOCK TABLES").kind, StatementKind::kUnlockTables);
  auto l = MustParse("LOCK TABLES t1 READ, t2 AS x WRITE");
  EXPECT_EQ(l.admin.lock_tables.size(), 2u);
  EXPECT_TRUE(l.admin.lock_tables[1].write);
  auto k = MustParse("KILL QUERY 12");
  EXPECT_TRUE(k.admin.kill_query);
  EXPECT_EQ(k.admin.kill_id, 12u);
  EXPECT_EQ(MustParse("KILL CONNECTION 3").admin.kill_id, 3u);
  EXPECT_EQ(MustParse("SHUTDOWN").kind, StatementKind::kShutdown);
}

TEST(ParseRepl, ChangeMaster) {
  auto st = MustParse(
      "CHANGE MASTER TO\n   MASTER_HOST = 'localhost',\n   MASTER_PORT = 12000,\n"
      "   MASTER_USER = 'repl_user',\n   MASTER_PASSWORD = 'xyzzy'");
  EXPECT_EQ(st.kind, StatementKind::kChangeMaster);
  EXPECT_EQ(*st.repl.master.host, "localhost");
  EXPECT_EQ(*st.repl.master.port, 12000u);
  EXPECT_EQ(*st.repl.master.user, "repl_user");
  EXPECT_EQ(*st.repl.master.password, "xyzzy");
  EXPECT_EQ(st.repl.master.raw.size(), 4u);
}

TEST(ParseRepl, ChangeMasterPositionsAndGtid) {
  auto st = MustParse(
      "CHANGE MASTER TO MASTER_LOG_FILE='master-bin.000003', MASTER_LOG_POS=742, "
      "MASTER_CONNECT_RETRY=10, RELAY_LOG_FILE='r.000001', RELAY_LOG_POS=4, "
      "MASTER_USE_GTID=slave_pos, MASTER_SSL=0, MASTER_HEARTBEAT_PERIOD=1.5");
  EXPECT_EQ(*st.repl.master.log_file, "master-bin.000003");
  EXPECT_EQ(*st.repl.master.log_pos, 742u);
  EXPECT_EQ(*st.repl.master.connect_retry, 10u);
  EXPECT_EQ(*st.repl.master.relay_log_pos, 4u);
  EXPECT_EQ(*st.repl.master.use_gtid, "slave_pos");
  EXPECT_FALSE(*st.repl.master.ssl);
  EXPECT_DOUBLE_EQ(*st.repl.master.heartbeat_period, 1.5);
}

TEST(ParseRepl, ChangeMasterUnquotedIpIsSyntaxError) {
  // The tutorial's mistake: MySQL wants a string for MASTER_HOST and fails at the number.
  auto e = MustFail(
      "CHANGE MASTER TO\n   MASTER_HOST = 127.0.0.1,\n   MASTER_PORT = 12000,\n"
      "   MASTER_USER = 'repl_user',\n   MASTER_PASSWORD = 'xyzzy'");
  EXPECT_EQ(e.code, 1064);
  EXPECT_NE(e.message.find("near '127.0.0.1,\n   MASTER_PORT = 12000,\n   MASTER_USER = "
                           "'repl_user',\n   MASTER_PASSW' at line 2"),
            std::string::npos)
      << e.message;
}

TEST(ParseRepl, ChangeMasterBadValue) {
  EXPECT_EQ(MustFail("CHANGE MASTER TO MASTER_PORT='x'").code, 1064);
  EXPECT_EQ(MustFail("CHANGE MASTER TO MASTER_BOGUS=1").code, 1064);
}

TEST(ParseRepl, StartStopSlave) {
  EXPECT_EQ(MustParse("START SLAVE").kind, StatementKind::kStartSlave);
  auto io = MustParse("START SLAVE IO_THREAD");
  EXPECT_TRUE(io.repl.io_thread);
  EXPECT_FALSE(io.repl.sql_thread);
  auto u = MustParse(
      "START SLAVE UNTIL\n    MASTER_LOG_FILE='master-bin.000003',\n    MASTER_LOG_POS=742");
  EXPECT_EQ(u.repl.until, ReplInfo::Until::kMasterLog);
  EXPECT_EQ(u.repl.until_file, "master-bin.000003");
  EXPECT_EQ(u.repl.until_pos, 742u);
  auto r = MustParse("START SLAVE SQL_THREAD UNTIL RELAY_LOG_FILE='r.1', RELAY_LOG_POS=5");
  EXPECT_EQ(r.repl.until, ReplInfo::Until::kRelayLog);
  EXPECT_TRUE(MustParse("STOP SLAVE SQL_THREAD").repl.sql_thread);
  EXPECT_EQ(MustParse("SLAVE START").kind, StatementKind::kStartSlave);
  EXPECT_EQ(MustParse("SLAVE STOP").kind, StatementKind::kStopSlave);
  EXPECT_EQ(MustFail("START SLAVE UNTIL MASTER_LOG_FILE='x'").code, 1277);
}

TEST(ParseRepl, ResetPurgeBinlog) {
  EXPECT_EQ(MustParse("RESET MASTER").kind, StatementKind::kResetMaster);
  EXPECT_EQ(MustParse("RESET SLAVE").kind, StatementKind::kResetSlave);
  EXPECT_TRUE(MustParse("RESET SLAVE ALL").repl.reset_all);
  auto p = MustParse("PURGE BINARY LOGS TO 'master-bin.000002'");
  EXPECT_EQ(p.kind, StatementKind::kPurgeBinaryLogs);
  EXPECT_EQ(p.repl.purge_to, "master-bin.000002");
  auto b = MustParse("PURGE BINARY LOGS BEFORE NOW()");
  EXPECT_EQ(b.repl.purge_before_sql, "NOW()");
  EXPECT_EQ(MustParse("PURGE MASTER LOGS TO 'x'").repl.purge_to, "x");
  auto bl = MustParse("BINLOG '\nZiwCaw8BAAAA\nAAAA\n'/*!*/");
  EXPECT_EQ(bl.kind, StatementKind::kBinlog);
  EXPECT_EQ(bl.repl.base64, "\nZiwCaw8BAAAA\nAAAA\n");
}

TEST(Classify, Kinds) {
  EXPECT_TRUE(Classify(MustParse("INSERT INTO t VALUES (1)")).transactional_dml);
  EXPECT_TRUE(Classify(MustParse("INSERT INTO t VALUES (1)")).logged);
  EXPECT_FALSE(Classify(MustParse("SELECT 1")).logged);
  EXPECT_TRUE(Classify(MustParse("SELECT 1")).read_only);
  EXPECT_FALSE(Classify(MustParse("SET @a = 1")).logged);
  EXPECT_TRUE(Classify(MustParse("CREATE USER u")).logged);
  EXPECT_TRUE(Classify(MustParse("GRANT SELECT ON *.* TO u")).logged);
  EXPECT_TRUE(Classify(MustParse("CREATE TABLE t (a int)")).ddl);
  EXPECT_TRUE(Classify(MustParse("CREATE TABLE t (a int)")).implicit_commit);
  EXPECT_FALSE(Classify(MustParse("SHOW TABLES")).logged);
}

TEST(EngineFunctions, ListsSysvarAndNow) {
  bool sysvar = false, now = false;
  for (const auto& f : EngineFunctions()) {
    if (f.name == "reptut_sysvar") sysvar = true;
    if (f.name == "NOW") now = true;
  }
  EXPECT_TRUE(sysvar);
  EXPECT_TRUE(now);
}

}  // namespace
}  // namespace reptut::sql
