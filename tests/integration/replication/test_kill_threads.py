"""KILL of a replica's threads, as MariaDB 10.11 does it: KILL <id> of the
I/O or SQL thread's line in SHOW PROCESSLIST stops that thread as STOP
SLAVE IO_THREAD / SQL_THREAD would (Slave_*_Running No, Last_*_Errno 0,
MariaDB's notes in the error log), and START SLAVE starts it again. A KILL
while the SQL thread runs a statement fails that statement's group with
1927 'Connection was killed' and the thread stops before the group.
KILL QUERY of the I/O thread does not break its connection: the thread
(Command "Killed" meanwhile) stops, with no error, when the next event or
heartbeat comes from the master, which it drops; while it reconnects to a
master that is down, at its next attempt, keeping the connection error."""

import unittest

from harness import wait_for
from replication_harness import (master_status, new_server, query, slave_status,
                                 start_replication, sync)

MASTER_OPTS = {"log-bin": "master-bin"}
SLAVE_OPTS = {"relay-log": "slave-relay-bin", "relay-log-index": "slave-relay-bin.index"}
IO_STATE = "Waiting for master to send event"
SQL_STATE = "Slave has read all relay log; waiting for more updates"


def values(server):
    return [r["a"] for r in query(server, "SELECT a FROM t ORDER BY a", database="d")]


def command_of(server, thread):
    for r in query(server, "SHOW PROCESSLIST"):
        if r["Id"] == thread:
            return r["Command"]
    return None


def io_thread_id(server):
    """The I/O thread's Id, whatever its state (the one system thread that
    is not the SQL thread)."""
    for r in query(server, "SHOW PROCESSLIST"):
        if r["User"] == "system user" and r["State"] != SQL_STATE:
            return r["Id"]
    return None


def thread_id(server, state=None, info=None):
    """The process-list Id of the replica thread in `state` (or running a
    statement containing `info`); None when there is none."""
    for r in query(server, "SHOW PROCESSLIST"):
        if r["User"] != "system user":
            continue
        if state is not None and r["State"] == state:
            return r["Id"]
        if info is not None and info in (r["Info"] or ""):
            return r["Id"]
    return None


class KillReplicaThreadsTest(unittest.TestCase):

    def setUp(self):
        self.master = new_server(self, "master", 1, MASTER_OPTS).start()
        self.slave = new_server(self, "slave", 2, SLAVE_OPTS, root=self.master.root).start()
        start_replication(self.slave, self.master)
        self.master.sql("CREATE DATABASE d; CREATE TABLE d.t (a INT); INSERT INTO d.t VALUES (1)")
        sync(self.slave, self.master)
        wait_for(lambda: thread_id(self.slave, SQL_STATE) and thread_id(self.slave, IO_STATE),
                 what="both replica threads in SHOW PROCESSLIST")

    def wait_status(self, io, sql, timeout=10.0):
        def reached():
            st = slave_status(self.slave)
            return st if (st["Slave_IO_Running"], st["Slave_SQL_Running"]) == (io, sql) else None
        return wait_for(reached, timeout, f"Slave_IO_Running {io}, Slave_SQL_Running {sql}")

    def test_kill_io_thread_stops_it_until_start_slave(self):
        m, s = self.master, self.slave
        io_id = thread_id(s, IO_STATE)
        s.sql(f"KILL {io_id}")
        st = self.wait_status("No", "Yes")
        self.assertEqual(st["Last_IO_Errno"], 0)
        self.assertEqual(st["Last_IO_Error"], "")
        self.assertEqual(st["Last_SQL_Errno"], 0)
        self.assertIsNone(thread_id(s, IO_STATE))
        f, p = master_status(m)
        self.assertEqual((st["Master_Log_File"], int(st["Read_Master_Log_Pos"])), (f, p))
        wait_for(lambda: f"Slave I/O thread exiting, read up to log '{f}', position {p}"
                 in s.read_log(), what="the I/O thread's note in the error log")
        # Stopped: what the master logs now does not arrive.
        m.sql("INSERT INTO d.t VALUES (2)")
        self.assertEqual(int(slave_status(s)["Read_Master_Log_Pos"]), p)
        s.sql("START SLAVE")
        self.wait_status("Yes", "Yes")
        sync(s, m)
        self.assertEqual(values(s), [1, 2])
        new_id = wait_for(lambda: thread_id(s, IO_STATE), what="the I/O thread listed again")
        self.assertNotEqual(new_id, io_id)

    def kill_idle_sql_thread(self, statement):
        m, s = self.master, self.slave
        sql_id = thread_id(s, SQL_STATE)
        s.sql(f"{statement} {sql_id}")
        st = self.wait_status("Yes", "No")
        self.assertEqual(st["Last_SQL_Errno"], 0)
        self.assertEqual(st["Last_SQL_Error"], "")
        self.assertEqual(st["Last_IO_Errno"], 0)
        self.assertEqual(st["Slave_SQL_Running_State"], "")
        self.assertIsNone(thread_id(s, SQL_STATE))
        wait_for(lambda: "Error reading relay log event: slave SQL thread was killed"
                 in s.read_log(), what="the SQL thread's note in the error log")
        # The I/O thread goes on fetching; nothing is applied.
        m.sql("INSERT INTO d.t VALUES (2)")
        f, p = master_status(m)
        wait_for(lambda: int(slave_status(s)["Read_Master_Log_Pos"]) == p,
                 what="the I/O thread to fetch the insert")
        self.assertEqual(values(s), [1])
        s.sql("START SLAVE")
        self.wait_status("Yes", "Yes")
        sync(s, m)
        self.assertEqual(values(s), [1, 2])
        new_id = wait_for(lambda: thread_id(s, SQL_STATE), what="the SQL thread listed again")
        self.assertNotEqual(new_id, sql_id)
        # Killed again, it stops again (the new session is not the old one).
        s.sql(f"KILL {new_id}")
        self.wait_status("Yes", "No")
        s.sql("START SLAVE SQL_THREAD")
        self.wait_status("Yes", "Yes")
        m.sql("INSERT INTO d.t VALUES (3)")
        sync(s, m)
        self.assertEqual(values(s), [1, 2, 3])

    def test_kill_idle_sql_thread_stops_it_until_start_slave(self):
        self.kill_idle_sql_thread("KILL")

    def test_kill_connection_idle_sql_thread(self):
        self.kill_idle_sql_thread("KILL CONNECTION")

    def test_kill_query_idle_sql_thread(self):
        # MariaDB 10.11 stops an idle SQL thread on KILL QUERY too.
        m, s = self.master, self.slave
        s.sql(f"KILL QUERY {thread_id(s, SQL_STATE)}")
        st = self.wait_status("Yes", "No", timeout=3)
        self.assertEqual(st["Last_SQL_Errno"], 0)
        s.sql("START SLAVE")
        self.wait_status("Yes", "Yes")
        m.sql("INSERT INTO d.t VALUES (4)")
        sync(s, m)
        self.assertIn(4, values(s))

    def test_kill_sql_thread_running_a_statement(self):
        m, s = self.master, self.slave
        f0, p0 = master_status(m)
        m.sql("INSERT INTO d.t VALUES (SLEEP(3))")
        sql_id = wait_for(lambda: thread_id(s, info="SLEEP(3)"),
                          what="the SQL thread running the insert")
        s.sql(f"KILL {sql_id}")
        st = self.wait_status("Yes", "No")
        self.assertEqual(st["Last_SQL_Errno"], 1927)
        self.assertEqual(st["Last_SQL_Error"],
                         "Error 'Connection was killed' on query. Default database: ''. "
                         "Query: 'INSERT INTO d.t VALUES (SLEEP(3))'")
        # Stopped before the group: START SLAVE applies it again.
        self.assertEqual((st["Relay_Master_Log_File"], int(st["Exec_Master_Log_Pos"])), (f0, p0))
        self.assertEqual(values(s), [1])
        s.sql("START SLAVE")
        self.wait_status("Yes", "Yes")
        sync(s, m)
        self.assertEqual(values(s), [0, 1])
        self.assertEqual(slave_status(s)["Last_SQL_Errno"], 0)

    # ---- KILL QUERY of the I/O thread (MariaDB 10.11) ----------------------

    def assert_io_killed_by_query(self, pos):
        """The I/O thread stopped on KILL QUERY at the master's `pos`."""
        m, s = self.master, self.slave
        st = self.wait_status("No", "Yes")
        self.assertEqual(st["Last_IO_Errno"], 0)
        self.assertEqual(st["Last_IO_Error"], "")
        self.assertEqual(st["Last_SQL_Errno"], 0)
        self.assertEqual(st["Slave_IO_State"], "")
        self.assertEqual((st["Master_Log_File"], int(st["Read_Master_Log_Pos"])), pos)
        self.assertIsNone(thread_id(s, IO_STATE))
        f, p = pos
        wait_for(lambda: f"Slave I/O thread exiting, read up to log '{f}', position {p}"
                 in s.read_log(), what="the I/O thread's note in the error log")
        return st

    def restart_and_check(self, expected):
        m, s = self.master, self.slave
        s.sql("START SLAVE")
        self.wait_status("Yes", "Yes")
        sync(s, m)
        self.assertEqual(values(s), expected)
        io_id = wait_for(lambda: thread_id(s, IO_STATE), what="the I/O thread listed again")
        self.assertNotEqual(command_of(s, io_id), "Killed")
        self.assertEqual(slave_status(s)["Last_IO_Errno"], 0)

    def test_kill_query_io_thread_stops_at_the_next_event(self):
        # No heartbeats: only the master's next event wakes the thread.
        m, s = self.master, self.slave
        s.sql("STOP SLAVE; CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=0; START SLAVE")
        io_id = wait_for(lambda: thread_id(s, IO_STATE), what="the I/O thread")
        pos = master_status(m)
        s.sql(f"KILL QUERY {io_id}")
        # Marked killed, but still connected and waiting.
        self.assertEqual(command_of(s, io_id), "Killed")
        st = slave_status(s)
        self.assertEqual((st["Slave_IO_Running"], st["Slave_IO_State"]), ("Yes", IO_STATE))
        self.assertEqual(thread_id(s, IO_STATE), io_id)
        # The next event ends it, and is not queued.
        m.sql("INSERT INTO d.t VALUES (2)")
        self.assert_io_killed_by_query(pos)
        m.sql("INSERT INTO d.t VALUES (3)")
        self.assertEqual(values(s), [1])
        self.restart_and_check([1, 2, 3])

    def test_kill_query_io_thread_stops_at_a_heartbeat(self):
        m, s = self.master, self.slave
        s.sql("STOP SLAVE; CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=1; START SLAVE")
        io_id = wait_for(lambda: thread_id(s, IO_STATE), what="the I/O thread")
        pos = master_status(m)
        s.sql(f"KILL QUERY {io_id}")
        # Nothing logged on the master: the heartbeat ends the thread.
        self.assert_io_killed_by_query(pos)
        m.sql("INSERT INTO d.t VALUES (2)")
        self.restart_and_check([1, 2])

    def test_kill_query_io_thread_while_reconnecting(self):
        m, s = self.master, self.slave
        pos = master_status(m)
        m.stop()
        st = self.wait_status("Connecting", "Yes")
        io_id = io_thread_id(s)
        self.assertIsNotNone(io_id)
        s.sql(f"KILL QUERY {io_id}")
        # It stops at its next attempt; the connection error stays.
        st = self.wait_status("No", "Yes")
        self.assertEqual(st["Last_IO_Errno"], 2003)
        self.assertIn("error reconnecting to master", st["Last_IO_Error"])
        self.assertEqual((st["Master_Log_File"], int(st["Read_Master_Log_Pos"])), pos)
        self.assertIsNone(io_thread_id(s))
        wait_for(lambda: "Slave I/O thread killed during or after a reconnect done to recover "
                 "from failed read" in s.read_log(), what="the I/O thread's note")
        m.start()
        m.sql("INSERT INTO d.t VALUES (2)")
        self.restart_and_check([1, 2])


if __name__ == "__main__":
    unittest.main()
