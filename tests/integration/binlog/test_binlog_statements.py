"""SHOW BINLOG EVENTS, SHOW MASTER STATUS, SHOW BINARY LOGS, FLUSH LOGS,
PURGE BINARY LOGS and RESET MASTER as the tutorial uses them."""

import os
import unittest

from harness import ClientError, Reptutd


class BinlogStatements(unittest.TestCase):
    def setUp(self):
        self.master = Reptutd(options={"log-bin": "master-bin", "server-id": 10}).start()
        self.addCleanup(self.master.cleanup)

    def events(self, sql="SHOW BINLOG EVENTS"):
        return self.master.sql(sql)

    def test_tutorial_sequence(self):
        self.master.sql("create table t1 (a char(40)); insert into t1 values ('Stuck In A Loop')",
                        database="test")
        self.master.sql("SET @TITLE = 'Post PostModern Man'; INSERT INTO t1 VALUES(@TITLE)",
                        database="test")
        rows = self.events()
        self.assertEqual(rows[0][2:4], ["Format_desc", "10"])
        self.assertEqual(rows[0][1], "4")
        self.assertTrue(rows[0][5].startswith("Server ver: 5.7"))
        self.assertTrue(rows[0][5].endswith("Binlog ver: 4"))
        infos = [r[5] for r in rows]
        self.assertIn("use `test`; create table t1 (a char(40))", infos)
        self.assertIn("use `test`; insert into t1 values ('Stuck In A Loop')", infos)
        self.assertIn("use `test`; INSERT INTO t1 VALUES(@TITLE)", infos)
        user_var = [r for r in rows if r[2] == "User var"]
        self.assertEqual(len(user_var), 1)
        self.assertEqual(user_var[0][5], "@`title`=_latin1 0x506F737420506F73744D6F6465726E204D616E"
                                         " COLLATE latin1_swedish_ci")
        # Positions chain: each event starts where the previous one ended.
        for prev, cur in zip(rows, rows[1:]):
            self.assertEqual(prev[4], cur[1])
        # The file is as long as the last end position.
        size = os.path.getsize(os.path.join(self.master.datadir, "master-bin.000001"))
        self.assertEqual(int(rows[-1][4]), size)
        status = self.master.sql("SHOW MASTER STATUS")
        self.assertEqual(status, [["master-bin.000001", str(size), "", ""]])

    def test_from_and_limit(self):
        self.master.sql("create table t1 (a int); insert into t1 values (1)", database="test")
        rows = self.events()
        second = rows[1][1]
        from_rows = self.events(f"SHOW BINLOG EVENTS FROM {second}")
        self.assertEqual(from_rows, rows[1:])
        self.assertEqual(self.events("SHOW BINLOG EVENTS LIMIT 1,2"), rows[1:3])
        with self.assertRaises(ClientError) as cm:
            self.events("SHOW BINLOG EVENTS FROM 5")
        self.assertEqual(cm.exception.code, 1220)

    def test_auto_increment_insert_shows_intvar(self):
        self.master.sql("CREATE TABLE contacts2 (contact_id INT AUTO_INCREMENT KEY, "
                        "name VARCHAR(50)); INSERT INTO contacts2 (name) VALUES ('Rusty')",
                        database="test")
        rows = self.events()
        intvar = [r for r in rows if r[2] == "Intvar"]
        self.assertEqual([r[5] for r in intvar], ["INSERT_ID=1"])

    def test_select_show_and_failed_statements_are_not_logged(self):
        before = self.master.sql("SHOW MASTER STATUS")[0][1]
        self.master.sql("SELECT 1; SHOW TABLES; SET @x = 1", database="test")
        with self.assertRaises(ClientError):
            self.master.sql("INSERT INTO nosuch VALUES (1)", database="test")
        self.assertEqual(self.master.sql("SHOW MASTER STATUS")[0][1], before)

    def test_sql_log_bin_zero_skips_the_session(self):
        before = self.master.sql("SHOW MASTER STATUS")[0][1]
        self.master.sql("SET sql_log_bin = 0; CREATE TABLE quiet (a INT)", database="test")
        self.assertEqual(self.master.sql("SHOW MASTER STATUS")[0][1], before)

    def test_flush_purge_reset(self):
        self.master.sql("FLUSH LOGS; FLUSH LOGS")
        names = [r[0] for r in self.master.sql("SHOW BINARY LOGS")]
        self.assertEqual(names, ["master-bin.000001", "master-bin.000002", "master-bin.000003"])
        self.master.sql("PURGE BINARY LOGS TO 'master-bin.000002'")
        self.assertEqual([r[0] for r in self.master.sql("SHOW BINARY LOGS")],
                         ["master-bin.000002", "master-bin.000003"])
        self.master.sql("PURGE BINARY LOGS BEFORE NOW()")
        self.assertEqual([r[0] for r in self.master.sql("SHOW BINARY LOGS")],
                         ["master-bin.000003"])
        self.assertTrue(os.path.exists(os.path.join(self.master.datadir, "master-bin.000003")))
        self.assertFalse(os.path.exists(os.path.join(self.master.datadir, "master-bin.000001")))
        self.master.sql("RESET MASTER")
        self.assertEqual([r[0] for r in self.master.sql("SHOW BINARY LOGS")],
                         ["master-bin.000001"])

    def test_binlog_statements_need_privileges(self):
        self.master.sql("CREATE USER plain@localhost IDENTIFIED BY 'pw'")
        for stmt in ("SHOW BINARY LOGS", "SHOW MASTER STATUS", "PURGE BINARY LOGS TO 'x'",
                     "RESET MASTER"):
            with self.assertRaises(ClientError) as cm:
                self.master.sql(stmt, user="plain", password="pw")
            self.assertEqual(cm.exception.code, 1227, stmt)


class BinlogOptions(unittest.TestCase):
    def test_ignore_db_and_size_rotation(self):
        master = Reptutd(options={"log-bin": "log/master-bin", "binlog-ignore-db": "scratch",
                                  "max_binlog_size": 4096}).start()
        self.addCleanup(master.cleanup)
        master.sql("CREATE DATABASE scratch")
        master.sql("CREATE TABLE t (a VARCHAR(100))", database="scratch")
        master.sql("INSERT INTO t VALUES ('not logged')", database="scratch")
        master.sql("CREATE TABLE t (a VARCHAR(100))", database="test")
        for i in range(60):
            master.sql(f"INSERT INTO t VALUES ('{'x' * 90}{i}')", database="test")
        logs = master.sql("SHOW BINARY LOGS")
        self.assertGreater(len(logs), 1)
        for name, size in logs[:-1]:
            self.assertTrue(os.path.exists(os.path.join(master.datadir, "log", name)))
            self.assertLess(int(size), 4096 + 1024)
        infos = []
        for name, _ in logs:
            infos += [r[5] for r in master.sql(f"SHOW BINLOG EVENTS IN '{name}'")]
        self.assertNotIn("not logged", " ".join(infos))
        self.assertIn("use `test`; INSERT INTO t VALUES ('" + "x" * 90 + "59')", infos)


if __name__ == "__main__":
    unittest.main()
