"""reptutd as a replica of a real MariaDB 10.11 master (Debian's mariadbd,
binlog_format=STATEMENT, file and position): the stream a MariaDB master
sends - Gtid_list, Binlog_checkpoint, a Gtid event where MySQL writes
BEGIN, Xid commits, MariaDB's own status variables in Query events - is
relayed byte for byte and applied, and the replica stays converged across
FLUSH LOGS and a master restart."""

import os
import re
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from harness import wait_for  # noqa: E402
from mariadb_server import Mariadbd  # noqa: E402
from replication_harness import (master_status, new_server, query, slave_status,  # noqa: E402
                                 start_replication, sync, wait_running)

MARIADB_BINLOG = "/usr/bin/mariadb-binlog"
SLAVE_OPTS = {"relay-log": "slave-relay-bin", "relay-log-index": "slave-relay-bin.index"}
ROTATE_EVENT, FORMAT_DESCRIPTION_EVENT = 4, 15


def binlog_events(path):
    """(type, server_id, log_pos, bytes) of each event in a binlog file."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\xfebin", path
    at = 4
    while at + 19 <= len(data):
        _, kind, server_id, size, log_pos = struct.unpack_from("<IBIII", data, at)
        yield kind, server_id, log_pos, data[at:at + size]
        at += size


TABLES = ("SELECT id, v FROM d1.t ORDER BY id", "SELECT id, n, r FROM d2.u ORDER BY id")


@unittest.skipUnless(os.access("/usr/sbin/mariadbd", os.X_OK), "mariadb-server is not installed")
class MariadbMasterTest(unittest.TestCase):

    def setUp(self):
        self.master = Mariadbd(name="mariadb-master", server_id=1, log_bin="master-bin",
                               binlog_format="STATEMENT")
        self.addCleanup(self.master.cleanup)
        self.master.start()
        self.replica = new_server(self, "replica", 2, SLAVE_OPTS,
                                  root=self.master.root).start()

    def assert_converged(self):
        sync(self.replica, self.master)
        for sql in TABLES:
            self.assertEqual(query(self.replica, sql), query(self.master, sql), sql)
        s = slave_status(self.replica)
        self.assertEqual((s["Last_IO_Errno"], s["Last_SQL_Errno"]), (0, 0), s)

    def write(self):
        m = self.master
        m.sql("CREATE DATABASE d1; CREATE DATABASE d2;"
              " CREATE TABLE d1.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))"
              " ENGINE=InnoDB;"
              " CREATE TABLE d2.u (id INT AUTO_INCREMENT PRIMARY KEY, n INT, r INT)"
              " ENGINE=InnoDB")
        m.sql("INSERT INTO d1.t (v) VALUES ('a'), ('b'); INSERT INTO d2.u (n) VALUES (7)")
        # User variables, a transaction over two databases, LAST_INSERT_ID and
        # RAND with its seeds: the events MySQL puts before a Query.
        m.sql("SET @greeting = 'hello'; INSERT INTO d1.t (v) VALUES (CONCAT(@greeting, '!'))")
        m.sql("BEGIN; INSERT INTO d1.t (v) VALUES ('in a transaction');"
              " INSERT INTO d2.u (n) VALUES (1), (2); UPDATE d2.u SET n = n + 10 WHERE id = 1;"
              " COMMIT")
        m.sql("USE d2; INSERT INTO u (n) VALUES (LAST_INSERT_ID())")
        m.sql("UPDATE d2.u SET r = FLOOR(RAND() * 1000000)")
        m.sql("USE d1; INSERT INTO t (v) VALUES (DATABASE())")

    def test_statement_stream_converges_across_flush_logs_and_a_restart(self):
        start_replication(self.replica, self.master)
        self.write()
        self.assert_converged()
        self.assertEqual(query(self.replica, "SELECT v FROM d1.t WHERE id = 3"),
                         [{"v": "hello!"}])
        s = slave_status(self.replica)
        self.assertEqual(s["Master_Server_Id"], 1)
        self.assertEqual(s["Exec_Master_Log_Pos"], master_status(self.master)[1])
        self.assertEqual(s["Seconds_Behind_Master"], 0)

        self.master.sql("FLUSH LOGS")
        self.master.sql("INSERT INTO d1.t (v) VALUES ('after flush logs')")
        self.assert_converged()
        self.assertEqual(slave_status(self.replica)["Master_Log_File"], "master-bin.000002")

        self.assertEqual(self.master.stop(), 0)
        self.master.start(initialize=False)
        self.master.sql("INSERT INTO d1.t (v) VALUES ('after the restart');"
                        " BEGIN; UPDATE d1.t SET v = 'changed' WHERE id = 1;"
                        " INSERT INTO d2.u (n) VALUES (99); COMMIT")
        wait_running(self.replica, timeout=30)
        self.assert_converged()
        self.assertEqual(slave_status(self.replica)["Master_Log_File"],
                         master_status(self.master)[0])

    def test_mariadb_events_are_relayed_byte_for_byte(self):
        start_replication(self.replica, self.master)
        self.write()
        self.assert_converged()
        # The relay log holds the master's MariaDB events; mariadb-binlog
        # decodes it, and the SQL thread skipped what it cannot apply.
        index = os.path.join(self.replica.datadir, "slave-relay-bin.index")
        with open(index) as f:
            relay_name = os.path.basename(f.read().split()[-1])
        relay = os.path.join(self.replica.datadir, relay_name)
        out = subprocess.run([MARIADB_BINLOG, "--base64-output=never", relay],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("Gtid list", out.stdout)
        self.assertIn("GTID 0-1-", out.stdout)
        self.assertIn("Xid = ", out.stdout)
        self.assertIn("CONCAT(@greeting, '!')", out.stdout)
        # Every event the master sent is its binlog's bytes (the Rotate
        # events name the master's file; its FDE has LOG_EVENT_BINLOG_IN_USE
        # cleared, so it is left out).
        master_file, compared = None, 0
        for kind, server_id, log_pos, data in binlog_events(relay):
            if kind == ROTATE_EVENT and server_id == 1:
                master_file = re.search(rb"master-bin\.\d{6}", data[19 + 8:]).group().decode()
                continue
            if server_id != 1 or kind == FORMAT_DESCRIPTION_EVENT or log_pos == 0:
                continue
            with open(self.master.binlog_path(master_file), "rb") as f:
                f.seek(log_pos - len(data))
                self.assertEqual(f.read(len(data)), data, (master_file, log_pos))
            compared += 1
        self.assertGreater(compared, 20)
        events = query(self.replica, "SHOW RELAYLOG EVENTS IN '%s'" % relay_name)
        types = {e["Event_type"] for e in events}
        self.assertTrue({"Gtid", "Xid", "Query"} <= types, types)
        self.assertTrue(all(e["Server_id"] in (1, 2) for e in events))

    def test_replica_stopped_and_restarted_resumes(self):
        start_replication(self.replica, self.master)
        self.write()
        self.assert_converged()
        self.replica.sql("STOP SLAVE")
        self.master.sql("INSERT INTO d1.t (v) VALUES ('while stopped')")
        self.replica.stop()
        self.master.sql("FLUSH LOGS; INSERT INTO d2.u (n) VALUES (5)")
        self.replica.start()
        self.replica.sql("START SLAVE")
        wait_running(self.replica)
        self.assert_converged()

    def test_an_error_on_a_mariadb_event_group_names_the_query(self):
        start_replication(self.replica, self.master)
        self.write()
        self.assert_converged()
        self.replica.sql("INSERT INTO d1.t (id, v) VALUES (100, 'only on the replica')")
        self.master.sql("INSERT INTO d1.t (id, v) VALUES (100, 'clash')")

        def stopped():
            s = slave_status(self.replica)
            return s if s["Slave_SQL_Running"] == "No" else None
        s = wait_for(stopped, 15, "the SQL thread to stop on the duplicate key")
        self.assertEqual(s["Last_SQL_Errno"], 1062)
        self.assertIn("Duplicate entry '100'", s["Last_SQL_Error"])
        self.assertIn("Default database: ''", s["Last_SQL_Error"])
        self.replica.sql("SET GLOBAL sql_slave_skip_counter = 1; START SLAVE")
        wait_running(self.replica)
        self.master.sql("INSERT INTO d1.t (v) VALUES ('after the skip')")
        sync(self.replica, self.master)
        self.assertEqual(query(self.replica, "SELECT v FROM d1.t WHERE id = 100"),
                         [{"v": "only on the replica"}])


if __name__ == "__main__":
    unittest.main()
