"""reptutd as a replica of a reptutd master: the tutorial's first chapter
(CHANGE MASTER TO, START SLAVE, the row arrives), the files a slave keeps,
SHOW SLAVE STATUS, START SLAVE UNTIL and MASTER_POS_WAIT, errors that stop
the SQL thread, the replicate-* rules, restarts and reconnection."""

import glob
import os
import re
import subprocess
import unittest

from harness import ClientError, wait_for
from replication_harness import (REPL_PASSWORD, REPL_USER, change_master, create_repl_user,
                                 master_status, new_server, query, slave_status,
                                 start_replication, sync, wait_running, wait_sql_error)

MARIADB_BINLOG = "/usr/bin/mariadb-binlog"
MASTER_OPTS = {"log-bin": "master-bin"}
SLAVE_OPTS = {"relay-log": "slave-relay-bin", "relay-log-index": "slave-relay-bin.index"}


def rows(server, sql, database="test"):
    return [tuple(r) for r in server.sql(sql, database=database)]


class TutorialTest(unittest.TestCase):
    """The seed's first chapter, with the files and statements it shows."""

    def setUp(self):
        self.master = new_server(self, "master", 1, MASTER_OPTS).start()
        self.slave = new_server(self, "slave", 2, SLAVE_OPTS, root=self.master.root).start()

    def test_row_arrives_and_status_shows_where_replication_stands(self):
        m, s = self.master, self.slave
        # The seed's user is repl_user@localhost; a replica on this machine
        # connects over TCP from 127.0.0.1, which is localhost.
        m.sql("CREATE USER repl_user@localhost")
        m.sql(f"GRANT REPLICATION SLAVE ON *.* TO repl_user@localhost IDENTIFIED BY '{REPL_PASSWORD}'")
        s.sql(f"CHANGE MASTER TO MASTER_HOST = 'localhost', MASTER_PORT = {m.port}, "
              f"MASTER_USER = 'repl_user', MASTER_PASSWORD = '{REPL_PASSWORD}'")
        s.sql("START SLAVE")
        m.sql("CREATE TABLE tbl (a CHAR(20))", database="test")
        m.sql("INSERT INTO tbl VALUES ('Yeah! Replication!')", database="test")
        wait_for(lambda: rows(s, "SELECT * FROM tbl") == [("Yeah! Replication!",)],
                 what="the row on the slave")
        self.assertEqual(rows(s, "SHOW TABLES"), [("tbl",)])
        sync(s, m)
        st = slave_status(s)
        f, p = master_status(m)
        self.assertEqual(st["Slave_IO_Running"], "Yes")
        self.assertEqual(st["Slave_SQL_Running"], "Yes")
        self.assertEqual(st["Slave_IO_State"], "Waiting for master to send event")
        self.assertEqual(st["Master_Host"], "localhost")
        self.assertEqual(st["Master_User"], "repl_user")
        self.assertEqual(int(st["Master_Port"]), m.port)
        self.assertEqual(st["Master_Log_File"], f)
        self.assertEqual(int(st["Read_Master_Log_Pos"]), p)
        self.assertEqual(st["Relay_Master_Log_File"], f)
        self.assertEqual(int(st["Exec_Master_Log_Pos"]), p)
        self.assertEqual(st["Seconds_Behind_Master"], 0)
        self.assertEqual(int(st["Master_Server_Id"]), 1)
        self.assertEqual(st["Last_IO_Errno"], 0)
        self.assertEqual(st["Last_SQL_Errno"], 0)
        self.assertEqual(st["Until_Condition"], "None")
        self.assertRegex(st["Relay_Log_File"], r"^slave-relay-bin\.\d{6}$")
        self.assertIn("Slave has read all relay log", st["Slave_SQL_Running_State"])
        # Every column MySQL 5.7 has, in its order.
        cols = list(st.keys())
        self.assertEqual(cols[:12], ["Slave_IO_State", "Master_Host", "Master_User", "Master_Port",
                                     "Connect_Retry", "Master_Log_File", "Read_Master_Log_Pos",
                                     "Relay_Log_File", "Relay_Log_Pos", "Relay_Master_Log_File",
                                     "Slave_IO_Running", "Slave_SQL_Running"])
        self.assertIn("Seconds_Behind_Master", cols)
        self.assertIn("Master_Server_Id", cols)

        # The master knows its slave.
        hosts = query(m, "SHOW SLAVE HOSTS")
        self.assertEqual([int(h["Server_id"]) for h in hosts], [2])

        # The files a slave keeps: master.info (count line, log, position,
        # host, user, password in clear, port), relay-log.info, the relay
        # log and its index.
        with open(os.path.join(s.datadir, "master.info")) as fh:
            mi = fh.read().split("\n")
        self.assertEqual(mi[1:7], [f, str(p), "localhost", "repl_user", REPL_PASSWORD,
                                   str(m.port)])
        self.assertEqual(int(mi[0]), len(mi) - 1 if mi[-1] == "" else len(mi))
        self.assertEqual(os.stat(os.path.join(s.datadir, "master.info")).st_mode & 0o777, 0o600)
        with open(os.path.join(s.datadir, "relay-log.info")) as fh:
            ri = fh.read().split("\n")
        self.assertIn("./slave-relay-bin.", ri[1])
        self.assertEqual(ri[3:5], [f, str(p)])
        with open(os.path.join(s.datadir, "slave-relay-bin.index")) as fh:
            index = fh.read().split()
        self.assertTrue(index and all(e.startswith("./slave-relay-bin.") for e in index), index)
        # mariadb-binlog reads the relay log: the slave's FDE, the master's
        # events with the master's positions.
        relay = os.path.join(s.datadir, index[-1].lstrip("./"))
        out = subprocess.run([MARIADB_BINLOG, "--verify-binlog-checksum", relay],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("INSERT INTO tbl VALUES ('Yeah! Replication!')", out.stdout)
        self.assertIn("server id 1", out.stdout)
        self.assertIn("server id 2", out.stdout)
        # SHOW RELAYLOG EVENTS shows the same.
        ev = query(s, "SHOW RELAYLOG EVENTS")
        self.assertEqual(ev[0]["Event_type"], "Format_desc")
        self.assertEqual(int(ev[0]["Server_id"]), 2)
        # The slave threads in the process list.
        states = {r["State"] for r in query(s, "SHOW PROCESSLIST")}
        self.assertIn("Waiting for master to send event", states)

    def test_replicated_context_auto_increment_user_variables_transactions(self):
        m, s = self.master, self.slave
        start_replication(s, m)
        m.sql("CREATE DATABASE shop; CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY,"
              " name VARCHAR(30), at DATETIME)")
        m.sql("SET @title = 'from a variable'; "
              "INSERT INTO shop.items (name, at) VALUES (@title, NOW()); "
              "INSERT INTO shop.items (name, at) VALUES ('second', NOW()), ('third', NOW())")
        m.sql("CREATE TABLE test.other (v INT)")
        m.sql("BEGIN; INSERT INTO shop.items (name) VALUES ('in a transaction'); "
              "INSERT INTO test.other VALUES (7); COMMIT")
        m.sql("UPDATE shop.items SET name = CONCAT(name, '!') WHERE id > 2; "
              "DELETE FROM shop.items WHERE id = 2")
        sync(s, m)
        want = rows(m, "SELECT id, name, at FROM shop.items ORDER BY id")
        self.assertEqual(rows(s, "SELECT id, name, at FROM shop.items ORDER BY id"), want)
        self.assertEqual(want[0][1], "from a variable")
        self.assertEqual(rows(s, "SELECT v FROM test.other"), [("7",)])

    def test_start_slave_until_and_master_pos_wait(self):
        m, s = self.master, self.slave
        start_replication(s, m)
        m.sql("CREATE TABLE t (n INT)", database="test")
        sync(s, m)
        s.sql("STOP SLAVE")
        for n in range(3):
            m.sql(f"INSERT INTO t VALUES ({n})", database="test")
        f, p = master_status(m)
        for n in range(3, 6):
            m.sql(f"INSERT INTO t VALUES ({n})", database="test")
        out = query(s, f"START SLAVE UNTIL MASTER_LOG_FILE='{f}', MASTER_LOG_POS={p}")
        self.assertEqual(out, [])
        # The events waited for (>= 0); or NULL when the SQL thread already
        # reached the UNTIL position and stopped before the call, as MySQL
        # answers for a stopped SQL thread. The position is checked below.
        w = query(s, f"SELECT MASTER_POS_WAIT('{f}', {p}, 20) AS w")[0]["w"]
        self.assertTrue(w is None or w >= 0, w)
        wait_for(lambda: slave_status(s)["Slave_SQL_Running"] == "No",
                 what="the SQL thread to stop at the UNTIL position")
        st = slave_status(s)
        self.assertEqual((st["Relay_Master_Log_File"], int(st["Exec_Master_Log_Pos"])), (f, p))
        self.assertEqual(st["Slave_IO_Running"], "Yes")
        self.assertIsNone(st["Seconds_Behind_Master"])
        self.assertEqual(rows(s, "SELECT n FROM t ORDER BY n"), [("0",), ("1",), ("2",)])
        # MASTER_POS_WAIT is NULL while the SQL thread is stopped.
        self.assertIsNone(query(s, f"SELECT MASTER_POS_WAIT('{f}', {p + 1}, 1) AS w")[0]["w"])
        s.sql("START SLAVE")
        sync(s, m)
        self.assertEqual(len(rows(s, "SELECT n FROM t")), 6)
        # Already there: 0. Past the end with a timeout: -1.
        f2, p2 = master_status(m)
        self.assertEqual(query(s, f"SELECT MASTER_POS_WAIT('{f2}', {p2}) AS w")[0]["w"], 0)
        self.assertEqual(query(s, f"SELECT MASTER_POS_WAIT('{f2}', {p2 + 1000}, 0.2) AS w")[0]["w"],
                         -1)
        self.assertEqual(query(s, f"SELECT SOURCE_POS_WAIT('{f2}', {p2}) AS w")[0]["w"], 0)

    def test_statements_refused_and_notes(self):
        m, s = self.master, self.slave
        with self.assertRaises(ClientError) as e:
            s.sql("START SLAVE")
        self.assertEqual(e.exception.code, 1200)
        start_replication(s, m)
        with self.assertRaises(ClientError) as e:
            change_master(s, m)
        self.assertEqual(e.exception.code, 1198)
        with self.assertRaises(ClientError) as e:
            s.sql("RESET SLAVE")
        self.assertEqual(e.exception.code, 1198)
        w = s.sql("START SLAVE; SHOW WARNINGS")
        self.assertIn(["Note", "1254", "Slave is already running"], w)
        s.sql("STOP SLAVE")
        w = s.sql("STOP SLAVE; SHOW WARNINGS")
        self.assertIn(["Note", "1255", "Slave already has been stopped"], w)
        # A user without SUPER cannot drive replication.
        s.sql("CREATE USER joe@'%' IDENTIFIED BY 'pw'")
        with self.assertRaises(ClientError) as e:
            s.sql("STOP SLAVE", user="joe", password="pw", tcp=True)
        self.assertEqual(e.exception.code, 1227)
        # A line break would shift master.info's lines: refused.
        with self.assertRaises(ClientError) as e:
            s.sql("CHANGE MASTER TO MASTER_USER='repl\\nuser'")
        self.assertEqual(e.exception.code, 1210)
        self.assertIn("Incorrect arguments to MASTER_USER", e.exception.stderr)
        # What this server does not do is refused, not ignored.
        for option in ("MASTER_DELAY=60", "MASTER_SSL=1", "MASTER_USE_GTID=slave_pos"):
            with self.assertRaises(ClientError) as e:
                s.sql("CHANGE MASTER TO " + option)
            self.assertEqual(e.exception.code, 1235, option)
        s.sql("CHANGE MASTER TO MASTER_DELAY=0, MASTER_SSL=0, MASTER_USE_GTID=no")
        # Slave_running: ON while both threads run.
        self.assertEqual(s.sql("SHOW GLOBAL STATUS LIKE 'Slave_running'"),
                         [["Slave_running", "OFF"]])
        # The REPLICA spellings.
        s.sql("START REPLICA")
        wait_running(s)
        self.assertEqual(query(s, "SHOW REPLICA STATUS")[0]["Slave_IO_Running"], "Yes")
        self.assertEqual(s.sql("SHOW GLOBAL STATUS LIKE 'Slave_running'"),
                         [["Slave_running", "ON"]])
        s.sql("STOP REPLICA")
        self.assertEqual(slave_status(s)["Slave_SQL_Running"], "No")
        # RESET SLAVE ALL forgets the master.
        s.sql("RESET SLAVE ALL")
        self.assertIsNone(slave_status(s))
        self.assertFalse(os.path.exists(os.path.join(s.datadir, "master.info")))


class SqlThreadErrorTest(unittest.TestCase):

    def setUp(self):
        self.master = new_server(self, "master", 1, MASTER_OPTS).start()
        self.slave = new_server(self, "slave", 2, SLAVE_OPTS, root=self.master.root).start()

    def test_duplicate_key_stops_the_sql_thread_and_the_skip_counter_passes_it(self):
        m, s = self.master, self.slave
        start_replication(s, m)
        m.sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))", database="test")
        sync(s, m)
        s.sql("INSERT INTO t VALUES (1000, 'slave')", database="test")
        m.sql("INSERT INTO t VALUES (1000, 'master')", database="test")
        m.sql("INSERT INTO t VALUES (1001, 'after')", database="test")
        st = wait_sql_error(s)
        self.assertEqual(st["Last_SQL_Errno"], 1062)
        self.assertEqual(st["Last_Errno"], 1062)
        self.assertEqual(st["Last_SQL_Error"],
                         "Error 'Duplicate entry '1000' for key 'PRIMARY'' on query. Default "
                         "database: 'test'. Query: 'INSERT INTO t VALUES (1000, 'master')'")
        self.assertEqual(st["Last_Error"], st["Last_SQL_Error"])
        self.assertEqual(st["Slave_IO_Running"], "Yes")
        self.assertIsNone(st["Seconds_Behind_Master"])
        self.assertRegex(st["Last_SQL_Error_Timestamp"], r"^\d{6} \d\d:\d\d:\d\d$")
        log = s.read_log()
        self.assertIn("Error 'Duplicate entry '1000' for key 'PRIMARY'' on query. Default "
                      "database: 'test'. Query: 'INSERT INTO t VALUES (1000, 'master')'", log)
        self.assertIn("Error running query, slave SQL thread aborted", log)
        # The failing group was not applied; START SLAVE retries it and fails again.
        s.sql("START SLAVE")
        wait_sql_error(s)
        # Skip it.
        s.sql("SET GLOBAL sql_slave_skip_counter = 1")
        s.sql("START SLAVE")
        sync(s, m)
        st = slave_status(s)
        self.assertEqual(st["Slave_SQL_Running"], "Yes")
        self.assertEqual(st["Last_SQL_Errno"], 0)
        self.assertEqual(rows(s, "SELECT id, v FROM t ORDER BY id"),
                         [("1000", "slave"), ("1001", "after")])

    def test_missing_table_names_the_query(self):
        m, s = self.master, self.slave
        m.sql("CREATE TABLE response (connect_time DOUBLE)", database="test")
        f, p = master_status(m)
        create_repl_user(m)
        change_master(s, m, f", MASTER_LOG_FILE='{f}', MASTER_LOG_POS={p}")
        s.sql("START SLAVE")
        m.sql("INSERT INTO response SET connect_time=0.07", database="test")
        st = wait_sql_error(s)
        self.assertEqual(st["Last_SQL_Errno"], 1146)
        self.assertIn("Table 'test.response' doesn't exist", st["Last_SQL_Error"])
        self.assertIn("Query: 'INSERT INTO response SET connect_time=0.07'", st["Last_SQL_Error"])

    def test_read_only_replica_refuses_clients_not_the_sql_thread(self):
        m = self.master
        s = new_server(self, "ro", 3, dict(SLAVE_OPTS, **{"read-only": None}),
                       root=m.root).start()
        start_replication(s, m)
        m.sql("CREATE TABLE t (v INT); INSERT INTO t VALUES (1)", database="test")
        sync(s, m)
        self.assertEqual(rows(s, "SELECT v FROM t"), [("1",)])
        s.sql("CREATE USER app@'%' IDENTIFIED BY 'pw'; GRANT ALL ON test.* TO app@'%'")
        with self.assertRaises(ClientError) as e:
            s.sql("INSERT INTO t VALUES (2)", user="app", password="pw", tcp=True,
                  database="test")
        self.assertEqual(e.exception.code, 1290)


class FilterTest(unittest.TestCase):

    def test_replicate_do_db_and_ignore_table(self):
        m = new_server(self, "master", 1, MASTER_OPTS).start()
        opts = dict(SLAVE_OPTS, **{"replicate-do-db": "kept",
                                   "replicate-ignore-table": "kept.noisy"})
        s = new_server(self, "slave", 2, opts, root=m.root).start()
        m.sql("CREATE DATABASE kept; CREATE DATABASE dropped")
        start_replication(s, m)
        m.sql("CREATE TABLE t (v INT); CREATE TABLE noisy (v INT)", database="kept")
        m.sql("CREATE TABLE t (v INT)", database="dropped")
        m.sql("INSERT INTO t VALUES (1); INSERT INTO noisy VALUES (1)", database="kept")
        m.sql("INSERT INTO t VALUES (2)", database="dropped")
        sync(s, m)
        self.assertEqual(rows(s, "SELECT v FROM t", database="kept"), [("1",)])
        # replicate-ignore-table leaves its DDL out too.
        self.assertEqual(rows(s, "SHOW TABLES", database="kept"), [("t",)])
        # CREATE DATABASE dropped was left out too (do-db names the database).
        self.assertNotIn(("dropped",), rows(s, "SHOW DATABASES"))
        st = slave_status(s)
        self.assertEqual(st["Replicate_Do_DB"], "kept")
        self.assertEqual(st["Replicate_Ignore_Table"], "kept.noisy")


class RestartTest(unittest.TestCase):

    def test_replica_restart_resumes_and_skip_slave_start_waits(self):
        m = new_server(self, "master", 1, MASTER_OPTS).start()
        s = new_server(self, "slave", 2, SLAVE_OPTS, root=m.root).start()
        start_replication(s, m)
        m.sql("CREATE TABLE t (n INT)", database="test")
        m.sql("INSERT INTO t VALUES (1), (2)", database="test")
        sync(s, m)
        s.stop()
        m.sql("INSERT INTO t VALUES (3)", database="test")
        s.start()
        wait_running(s)
        sync(s, m)
        self.assertEqual(rows(s, "SELECT n FROM t ORDER BY n"), [("1",), ("2",), ("3",)])
        # skip-slave-start: configured, not running.
        s.stop()
        s.options["skip-slave-start"] = None
        s.write_cnf()
        s.start()
        st = slave_status(s)
        self.assertEqual((st["Slave_IO_Running"], st["Slave_SQL_Running"]), ("No", "No"))
        m.sql("INSERT INTO t VALUES (4)", database="test")
        s.sql("START SLAVE")
        sync(s, m)
        self.assertEqual(len(rows(s, "SELECT n FROM t")), 4)

    def test_master_down_then_back_the_replica_reconnects_and_catches_up(self):
        m = new_server(self, "master", 1, MASTER_OPTS).start()
        s = new_server(self, "slave", 2, SLAVE_OPTS, root=m.root).start()
        start_replication(s, m)
        m.sql("CREATE TABLE t (n INT)", database="test")
        sync(s, m)
        m.stop()
        wait_for(lambda: slave_status(s)["Slave_IO_Running"] == "Connecting",
                 what="the I/O thread to notice the master is gone")
        st = slave_status(s)
        self.assertIn(st["Last_IO_Errno"], (0, 2003, 2013))
        m.start()
        m.sql("FLUSH LOGS; INSERT INTO t VALUES (1); FLUSH LOGS; INSERT INTO t VALUES (2)",
              database="test")
        wait_running(s, timeout=30)
        sync(s, m)
        self.assertEqual(rows(s, "SELECT n FROM t ORDER BY n"), [("1",), ("2",)])
        st = slave_status(s)
        self.assertEqual(st["Master_Log_File"], master_status(m)[0])

    def test_purged_logs_stop_the_io_thread_with_1236(self):
        m = new_server(self, "master", 1, MASTER_OPTS).start()
        s = new_server(self, "slave", 2, SLAVE_OPTS, root=m.root).start()
        start_replication(s, m)
        m.sql("CREATE TABLE t (n INT)", database="test")
        sync(s, m)
        s.sql("STOP SLAVE IO_THREAD")
        m.sql("INSERT INTO t VALUES (1); FLUSH LOGS; INSERT INTO t VALUES (2); FLUSH LOGS",
              database="test")
        f, _ = master_status(m)
        m.sql(f"PURGE BINARY LOGS TO '{f}'")
        s.sql("START SLAVE IO_THREAD")
        wait_for(lambda: slave_status(s)["Last_IO_Errno"] == 1236, what="the I/O thread's 1236")
        st = slave_status(s)
        self.assertEqual(st["Slave_IO_Running"], "No")
        self.assertTrue(st["Last_IO_Error"].startswith(
            "Got fatal error 1236 from master when reading data from binary log: '"),
            st["Last_IO_Error"])
        self.assertEqual(rows(s, "SELECT n FROM t"), [])  # nothing skipped silently

    def test_equal_server_ids_are_refused(self):
        m = new_server(self, "master", 7, MASTER_OPTS).start()
        s = new_server(self, "slave", 7, SLAVE_OPTS, root=m.root).start()
        create_repl_user(m)
        change_master(s, m)
        s.sql("START SLAVE")
        wait_for(lambda: slave_status(s)["Last_IO_Errno"] == 1593, what="the equal-id error")
        st = slave_status(s)
        self.assertIn("equal MySQL server ids", st["Last_IO_Error"])
        self.assertEqual(st["Slave_IO_Running"], "No")


class RelayLogTest(unittest.TestCase):

    def test_relay_logs_rotate_and_applied_ones_are_purged(self):
        m = new_server(self, "master", 1, MASTER_OPTS).start()
        s = new_server(self, "slave", 2, dict(SLAVE_OPTS, **{"max-relay-log-size": 4096}),
                       root=m.root).start()
        start_replication(s, m)
        m.sql("CREATE TABLE t (n INT, pad VARCHAR(200))", database="test")
        for n in range(60):
            m.sql(f"INSERT INTO t VALUES ({n}, REPEAT('x', 150))", database="test")
        sync(s, m)
        self.assertEqual(rows(s, "SELECT COUNT(*) FROM t"), [("60",)])
        files = glob.glob(os.path.join(s.datadir, "slave-relay-bin.0*"))
        with open(os.path.join(s.datadir, "slave-relay-bin.index")) as fh:
            index = fh.read().split()
        # Rotated by size, and what was applied was purged.
        st = slave_status(s)
        self.assertGreater(int(st["Relay_Log_File"].rsplit(".", 1)[1]), 2)
        self.assertLessEqual(len(files), 2)
        self.assertEqual(len(index), len(files))
        # FLUSH RELAY LOGS starts a new file.
        before = slave_status(s)["Relay_Log_File"]
        s.sql("FLUSH RELAY LOGS")
        m.sql("INSERT INTO t VALUES (99, '')", database="test")
        sync(s, m)
        self.assertNotEqual(slave_status(s)["Relay_Log_File"], before)

    def test_corrupt_relay_log_event_stops_the_sql_thread_naming_file_and_position(self):
        m = new_server(self, "master", 1, MASTER_OPTS).start()
        s = new_server(self, "slave", 2, SLAVE_OPTS, root=m.root).start()
        start_replication(s, m)
        m.sql("CREATE TABLE t (v VARCHAR(40))", database="test")
        sync(s, m)
        s.sql("STOP SLAVE SQL_THREAD")
        m.sql("INSERT INTO t VALUES ('a marker to corrupt')", database="test")
        f, p = master_status(m)
        wait_for(lambda: int(slave_status(s)["Read_Master_Log_Pos"]) == p, what="the I/O thread")
        relay = os.path.join(s.datadir, slave_status(s)["Relay_Log_File"])
        with open(relay, "r+b") as fh:
            data = fh.read()
            at = data.index(b"a marker to corrupt")
            fh.seek(at)
            fh.write(b"A")
        s.sql("START SLAVE SQL_THREAD")
        st = wait_sql_error(s)
        self.assertEqual(st["Last_SQL_Errno"], 1594)
        self.assertIn(os.path.basename(relay), st["Last_SQL_Error"])
        self.assertRegex(st["Last_SQL_Error"], r"pos(ition)?:? \d+")
        self.assertEqual(rows(s, "SELECT COUNT(*) FROM t"), [("0",)])


class DualMasterTest(unittest.TestCase):

    def test_two_masters_with_log_slave_updates_and_a_slave(self):
        opts = dict(MASTER_OPTS, **SLAVE_OPTS, **{"log-slave-updates": None})
        a = new_server(self, "master1", 1, opts).start()
        b = new_server(self, "master2", 2, opts, root=a.root).start()
        c = new_server(self, "slave", 3, SLAVE_OPTS, root=a.root).start()
        create_repl_user(a)
        create_repl_user(b)
        for srv in (a, b):
            srv.sql("RESET MASTER")
        start_replication(a, b, user=False)
        start_replication(b, a, user=False)
        start_replication(c, a, user=False)
        a.sql("CREATE TABLE t1 (a INT)", database="test")
        a.sql("INSERT INTO t1 VALUES (1),(2)", database="test")
        sync(b, a)
        b.sql("INSERT INTO t1 VALUES (3),(4)", database="test")
        sync(a, b)
        sync(c, a)
        for srv in (a, b, c):
            self.assertEqual(rows(srv, "SELECT a FROM t1 ORDER BY a"),
                             [("1",), ("2",), ("3",), ("4",)], srv.name)
        # b's binary log holds a's changes with a's server id (log-slave-updates).
        ev = query(b, "SHOW BINLOG EVENTS")
        ids = {int(e["Server_id"]) for e in ev if "INSERT INTO t1 VALUES (1),(2)" in e["Info"]}
        self.assertEqual(ids, {1})
        # Nothing loops: positions settle.
        sync(a, b)
        sync(b, a)
        self.assertEqual(rows(a, "SELECT COUNT(*) FROM t1"), [("4",)])


if __name__ == "__main__":
    unittest.main()
