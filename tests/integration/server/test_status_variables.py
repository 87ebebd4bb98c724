"""SHOW [GLOBAL|SESSION] STATUS counting what happens, as MySQL's does:
Com_* per statement kind (the session's own in SESSION scope, everyone's in
GLOBAL), Questions, Connections, Threads_*, Bytes_*, Aborted_connects for a
failed login, Slow_queries, Uptime, FLUSH STATUS; and the system variables
tools and tutorials query (server_uuid kept in auto.cnf, gtid_mode,
super_read_only, ...)."""

import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import pymysql  # noqa: E402

from harness import ClientError, Reptutd, wait_for  # noqa: E402


def status(conn, scope=""):
    cur = conn.cursor()
    cur.execute(f"SHOW {scope} STATUS")
    return {name: value for name, value in cur.fetchall()}


class StatusCounters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()
        cls.server.sql("CREATE TABLE test.t (a INT PRIMARY KEY, b INT)")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def conn(self, **kw):
        c = self.server.pymysql(database="test", autocommit=True, **kw)
        self.addCleanup(c.close)
        return c

    def test_session_scope_counts_the_sessions_own_statements(self):
        c = self.conn()
        cur = c.cursor()
        before = status(c, "SESSION")
        cur.execute("SELECT 1")
        cur.execute("SELECT 2")
        cur.execute("INSERT INTO t VALUES (1, 1)")
        cur.execute("UPDATE t SET b = 2 WHERE a = 1")
        cur.execute("REPLACE INTO t VALUES (1, 3)")
        cur.execute("DELETE FROM t WHERE a = 1")
        cur.execute("BEGIN")
        cur.execute("COMMIT")
        cur.execute("BEGIN")
        cur.execute("ROLLBACK")
        cur.execute("SET @x = 1")
        cur.execute("SHOW VARIABLES LIKE 'version'")
        cur.execute("SHOW TABLES")
        cur.execute("CREATE TABLE t2 (a INT)")
        cur.execute("DROP TABLE t2")
        cur.execute("CREATE DATABASE counted")
        cur.execute("DROP DATABASE counted")
        after = status(c, "SESSION")
        expected = {"Com_select": 2, "Com_insert": 1, "Com_update": 1, "Com_replace": 1,
                    "Com_delete": 1, "Com_begin": 2, "Com_commit": 1, "Com_rollback": 1,
                    "Com_set_option": 1, "Com_show_variables": 1, "Com_show_tables": 1,
                    "Com_create_table": 1, "Com_drop_table": 1, "Com_create_db": 1,
                    "Com_drop_db": 1, "Com_show_status": 1}
        for name, n in expected.items():
            self.assertEqual(int(after[name]) - int(before[name]), n, name)
        # Questions: the statements above and the first SHOW STATUS.
        self.assertEqual(int(after["Questions"]) - int(before["Questions"]), 18)
        # SHOW STATUS is SESSION by default.
        self.assertEqual(status(c)["Com_insert"], after["Com_insert"])

    def test_global_scope_sums_every_session(self):
        watcher = self.conn()
        before = int(status(watcher, "GLOBAL")["Com_select"])
        for _ in range(2):
            c = self.conn()
            c.cursor().execute("SELECT 1")
            self.assertEqual(status(c, "SESSION")["Com_select"], "1")
        self.assertGreaterEqual(int(status(watcher, "GLOBAL")["Com_select"]) - before, 2)
        cur = watcher.cursor()
        cur.execute("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                    "WHERE VARIABLE_NAME = 'COM_SELECT'")
        self.assertGreaterEqual(int(cur.fetchone()[0]) - before, 2)

    def test_replication_statements_are_counted(self):
        c = self.conn()
        cur = c.cursor()
        for sql in ("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=1, "
                    "MASTER_USER='repl'", "SHOW SLAVE STATUS", "SHOW MASTER STATUS"):
            cur.execute(sql)
        st = status(c)
        self.assertEqual(st["Com_change_master"], "1")
        self.assertEqual(st["Com_show_slave_status"], "1")
        self.assertEqual(st["Com_show_master_status"], "1")
        self.assertIn("Com_slave_start", st)
        self.assertIn("Com_slave_stop", st)

    def test_connections_threads_and_aborted_connects(self):
        c = self.conn()
        before = status(c, "GLOBAL")
        other = self.server.pymysql()
        with self.assertRaises(pymysql.err.OperationalError) as e:
            self.server.pymysql(user="root", password="wrong")
        self.assertEqual(e.exception.args[0], 1045)
        after = status(c, "GLOBAL")
        self.assertEqual(int(after["Connections"]) - int(before["Connections"]), 2)
        self.assertEqual(int(after["Aborted_connects"]) - int(before["Aborted_connects"]), 1)
        # The refused connection's thread ends just after its error is sent.
        wait_for(lambda: int(status(c, "GLOBAL")["Threads_connected"]) ==
                 int(before["Threads_connected"]) + 1, 10,
                 "Threads_connected to count the one new session")
        after = status(c, "GLOBAL")
        self.assertGreaterEqual(int(after["Threads_running"]), 1)
        self.assertGreaterEqual(int(after["Threads_created"]), int(after["Threads_connected"]))
        self.assertEqual(after["Threads_cached"], "0")
        self.assertEqual(after["Binlog_cache_disk_use"], "0")
        other.close()

    def test_aborted_clients_counts_a_connection_dropped_without_quit(self):
        c = self.conn()
        before = int(status(c, "GLOBAL")["Aborted_clients"])
        gone = self.server.pymysql()
        gone._sock.shutdown(socket.SHUT_RDWR)  # gone without COM_QUIT
        gone._sock.close()
        wait_for(lambda: int(status(c, "GLOBAL")["Aborted_clients"]) == before + 1, 10,
                 "Aborted_clients to count the dropped connection")

    def test_bytes_received_and_sent(self):
        c = self.conn()
        before = status(c, "SESSION")
        cur = c.cursor()
        cur.execute("SELECT REPEAT('x', 5000)")
        after = status(c, "SESSION")
        self.assertGreater(int(after["Bytes_sent"]) - int(before["Bytes_sent"]), 5000)
        self.assertGreater(int(after["Bytes_received"]) - int(before["Bytes_received"]),
                           len("SELECT REPEAT('x', 5000)"))
        self.assertGreaterEqual(int(status(c, "GLOBAL")["Bytes_sent"]), int(after["Bytes_sent"]))

    def test_slow_queries_count_whether_the_slow_log_is_on_or_not(self):
        c = self.conn()
        cur = c.cursor()
        cur.execute("SET SESSION long_query_time = 0.05")
        cur.execute("SELECT SLEEP(0.1)")
        cur.execute("SELECT 1")
        cur.execute("SET SESSION long_query_time = 10")
        self.assertEqual(status(c)["Slow_queries"], "1")

    def test_flush_status_resets_the_session_counters(self):
        c = self.conn()
        cur = c.cursor()
        cur.execute("SELECT 1")
        global_before = int(status(c, "GLOBAL")["Com_select"])
        cur.execute("FLUSH STATUS")
        st = status(c)
        self.assertEqual(st["Com_select"], "0")
        self.assertGreaterEqual(int(status(c, "GLOBAL")["Com_select"]), global_before)
        self.assertLessEqual(int(st["Uptime_since_flush_status"]), int(st["Uptime"]))

    def test_show_status_like_and_uptime(self):
        c = self.conn()
        cur = c.cursor()
        cur.execute("SHOW GLOBAL STATUS LIKE 'Uptime%'")
        names = [r[0] for r in cur.fetchall()]
        self.assertEqual(names, ["Uptime", "Uptime_since_flush_status"])


class SystemVariables(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd(options={"log-bin": "master-bin", "log-slave-updates": None})
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def value(self, sql, **kw):
        return self.server.sql(sql, **kw)[0]

    def test_variables_tools_query(self):
        expected = {"gtid_mode": "OFF", "enforce_gtid_consistency": "OFF",
                    "binlog_row_image": "FULL", "master_info_repository": "FILE",
                    "relay_log_info_repository": "FILE", "log_slave_updates": "1",
                    "super_read_only": "0", "sql_log_off": "0", "performance_schema": "0",
                    "transaction_isolation": "REPEATABLE-READ",
                    "tx_isolation": "REPEATABLE-READ", "innodb_stats_persistent": "1",
                    "have_ssl": "DISABLED"}
        for name, value in expected.items():
            with self.subTest(name=name):
                self.assertEqual(self.value(f"SELECT @@{name}"), [value])
                self.assertEqual(len(self.server.sql(f"SHOW VARIABLES LIKE '{name}'")), 1)
        for name in ("binlog_checksum", "sync_binlog", "innodb_flush_log_at_trx_commit"):
            self.assertEqual(len(self.server.sql(f"SHOW GLOBAL VARIABLES LIKE '{name}'")), 1)
        self.assertEqual(self.value("SHOW VARIABLES LIKE 'gtid_mode'"), ["gtid_mode", "OFF"])
        with self.assertRaises(ClientError) as e:
            self.server.sql("SET GLOBAL gtid_mode = ON")
        self.assertEqual(e.exception.code, 1238)

    def test_server_uuid_is_kept_in_auto_cnf(self):
        uuid = self.value("SELECT @@server_uuid")[0]
        self.assertRegex(uuid, r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        with open(os.path.join(self.server.datadir, "auto.cnf")) as f:
            self.assertEqual(f.read(), f"[auto]\nserver-uuid={uuid}\n")
        self.server.stop()
        self.server.start()
        self.assertEqual(self.value("SELECT @@server_uuid"), [uuid])
        # A clone that kept the file keeps the UUID; without it, a new one.
        os.remove(os.path.join(self.server.datadir, "auto.cnf"))
        self.server.stop()
        self.server.start()
        self.assertNotEqual(self.value("SELECT @@server_uuid"), [uuid])

    def test_super_read_only_refuses_writes_even_for_super(self):
        self.server.sql("CREATE TABLE test.t (a INT)")
        self.server.sql("SET GLOBAL super_read_only = ON")
        self.assertEqual(self.value("SELECT @@global.read_only, @@global.super_read_only"),
                         ["1", "1"])
        for sql in ("INSERT INTO test.t VALUES (1)", "CREATE TABLE test.u (a INT)",
                    "DROP TABLE test.t", "CREATE USER 'x'@'%'"):
            with self.subTest(sql=sql):
                with self.assertRaises(ClientError) as e:
                    self.server.sql(sql)
                self.assertEqual(e.exception.code, 1290)
                self.assertIn("--super-read-only", e.exception.stderr)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM test.t"), [["0"]])
        self.server.sql("SET GLOBAL read_only = OFF")
        self.assertEqual(self.value("SELECT @@global.super_read_only"), ["0"])
        self.server.sql("INSERT INTO test.t VALUES (1)")

    def test_read_only_refuses_ddl_without_super(self):
        self.server.sql("CREATE USER 'u'@'localhost'; GRANT ALL ON test.* TO 'u'@'localhost';"
                        "SET GLOBAL read_only = ON")
        with self.assertRaises(ClientError) as e:
            self.server.sql("CREATE TABLE test.v (a INT)", user="u")
        self.assertEqual(e.exception.code, 1290)
        self.assertIn("--read-only", e.exception.stderr)
        self.server.sql("CREATE TABLE test.v (a INT)")  # root has SUPER


if __name__ == "__main__":
    unittest.main()
