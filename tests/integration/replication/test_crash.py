"""Reliability of reptutd's replication (issue 9): what a replica holds
after crashes, compared row by row with its master.

- The replica killed with -9 at random moments, 30 times, while its master
  takes a stream of 10,000 transactions (autocommit INSERTs and BEGIN ...
  COMMIT transactions writing into two databases, with UPDATEs that add to
  a counter): once it has caught up, it holds every row of the master
  exactly once. Its SQL thread commits what it applies in batches, with its
  position in the same SQLite transaction, over several database files
  (applier.h): a kill in the middle of that commit is what must neither
  lose nor repeat anything.
- The master killed with -9, 10 times, during the same kind of stream (the
  writer reconnects and goes on): a transaction whose COMMIT got no answer
  may be there or not, but the replica never holds what the restarted
  master does not, and every acknowledged transaction is on both.
- The replica away while its master rotates, restarts and purges its
  binary logs: it catches up if the log it needs is still there, and
  otherwise its I/O thread stops with error 1236, its data a prefix of the
  master's - never a silent skip.
- The replica killed (strace injects SIGKILL at a chosen write) between the
  database files of one commit of its SQL thread, the window random kills
  seldom hit: it applies that batch again, each database skipping what it
  has. Two tests are expected failures, for a bug in reptutd: a restart or
  a second crash while the replica applies such a batch again makes it apply
  statements a second time (see TornCommitTest).

db1.t has a primary key on k, so a statement applied twice stops the SQL
thread (1062); db2.t has none, so a row applied twice shows as two rows; an
UPDATE applied twice shows as a wrong counter. Every transaction i writes
the key k = i."""

import os
import random
import re
import shutil
import signal
import subprocess
import threading
import unittest

import pymysql

from harness import ClientError, wait_for
from replication_harness import (master_status, new_server, slave_status, start_replication,
                                 sync, wait_running)

MASTER_OPTS = {"log-bin": "master-bin"}
SLAVE_OPTS = {"relay-log": "slave-relay-bin", "relay-log-index": "slave-relay-bin.index"}
TABLES = ("db1.t", "db2.t")
SCHEMA = ("CREATE DATABASE db1; CREATE DATABASE db2; "
          "CREATE TABLE db1.t (k INT PRIMARY KEY, v VARCHAR(40) NOT NULL, "
          "n INT NOT NULL DEFAULT 0); "
          "CREATE TABLE db2.t (k INT NOT NULL, v VARCHAR(40) NOT NULL, n INT NOT NULL DEFAULT 0)")


def table_rows(server, table):
    """Every row of `table`, sorted, as tuples of Python values."""
    conn = server.pymysql(autocommit=True)
    try:
        with conn.cursor() as c:
            c.execute(f"SELECT k, v, n FROM {table} ORDER BY k, v, n")
            return [tuple(r) for r in c.fetchall()]
    finally:
        conn.close()


def assert_converged(test, m, s, context=""):
    """After the replica `s` caught up with `m`: the same rows, row by row,
    in both tables, and both slave threads running without error. Returns
    the master's rows by table."""
    st = slave_status(s)
    if st["Last_SQL_Errno"]:
        test.fail(f"the SQL thread stopped: {st['Last_SQL_Errno']} {st['Last_SQL_Error']} "
                  f"{context}")
    try:
        sync(s, m, timeout=120)
    except AssertionError as e:
        raise AssertionError(f"{e} {context}\nreplica log:\n{s.read_log()[-4000:]}")
    rows = {}
    for table in TABLES:
        want, got = table_rows(m, table), table_rows(s, table)
        rows[table] = want
        if got != want:
            wk, gk = [r[0] for r in want], [r[0] for r in got]
            missing = sorted(set(wk) - set(gk))[:10]
            extra = sorted(set(gk) - set(wk))[:10]
            twice = sorted({k for k in gk if gk.count(k) > wk.count(k)})[:10]
            changed = [(w, g) for w, g in zip(want, got) if w != g][:5]
            test.fail(f"{table}: the master has {len(want)} rows, the replica {len(got)}; "
                      f"missing keys {missing}, extra keys {extra}, keys applied twice "
                      f"{twice}, first differences {changed} {context}")
    st = slave_status(s)
    f, p = master_status(m)
    test.assertEqual((st["Relay_Master_Log_File"], int(st["Exec_Master_Log_Pos"])), (f, p))
    test.assertEqual(st["Slave_IO_Running"], "Yes", st["Last_IO_Error"])
    test.assertEqual(st["Slave_SQL_Running"], "Yes", st["Last_SQL_Error"])
    test.assertEqual(st["Last_SQL_Errno"], 0, st["Last_SQL_Error"])
    return rows


def wait_started(slave, timeout=30):
    """Waits until both slave threads run, or the SQL thread stopped with an
    error (which assert_converged then reports)."""
    def started():
        st = slave_status(slave)
        return st["Last_SQL_Errno"] or (st["Slave_IO_Running"], st["Slave_SQL_Running"]) == (
            "Yes", "Yes")
    wait_for(started, timeout, "the slave threads to start")


def is_connection_error(e):
    """The server went away (or is not back yet), as opposed to an error
    the server answered a statement with."""
    if isinstance(e, (pymysql.err.InterfaceError, OSError)):
        return True
    return isinstance(e, pymysql.err.OperationalError) and e.args and e.args[0] >= 2000


class Stream(threading.Thread):
    """Writes transactions 0 .. count-1 to the master over one connection.

    Transaction i is, chosen at random (seeded by `seed`): an autocommit
    INSERT of key i into db1.t, the same into db2.t, or BEGIN; INSERT key i
    into both tables; (with `updates`) UPDATE ... SET n = n + 1 of an earlier
    key in each table; COMMIT.

    `hold_at`: while set, the writer starts no transaction from that number
    on (the test holds the stream while it restarts a server, so that the
    crashes spread over the stream however long a restart takes).
    With `reconnect`, a connection error ends the transaction (unanswered:
    `unanswered`) and the writer connects again (bounded) and goes on with
    the next one."""

    def __init__(self, master, count, seed, start=0, updates=True, reconnect=False):
        super().__init__(daemon=True)
        self.master = master
        self.first = start
        self.count = count
        self.seed = seed
        self.updates = updates
        self.reconnect = reconnect
        self.hold_at = None
        self.done = start  # transactions start .. done-1 were attempted
        self.acked = set()  # answered OK (COMMIT or the autocommit statement)
        self.unanswered = set()
        self.error = None

    def statements(self, i):
        rng = random.Random(self.seed * 1000003 + i)
        kind = rng.random()
        if kind < 0.35:
            return [f"INSERT INTO db1.t (k, v) VALUES ({i}, 'single {i}')"]
        if kind < 0.55:
            return [f"INSERT INTO db2.t (k, v) VALUES ({i}, 'single {i}')"]
        out = ["BEGIN",
               f"INSERT INTO db1.t (k, v) VALUES ({i}, 'txn {i}')",
               f"INSERT INTO db2.t (k, v) VALUES ({i}, 'txn {i}')"]
        if self.updates and i > 0:
            out.append(f"UPDATE db1.t SET n = n + 1 WHERE k = {rng.randrange(i)}")
            out.append(f"UPDATE db2.t SET n = n + 1 WHERE k = {rng.randrange(i)}")
        out.append("COMMIT")
        return out

    def connect(self):
        def attempt():
            return self.master.pymysql(database="db1", autocommit=True, read_timeout=60,
                                       write_timeout=60)
        if not self.reconnect:
            return attempt()
        return wait_for(attempt, 60, "the master to take connections again", interval=0.05)

    def wait_hold(self, i):
        if self.hold_at is not None and i >= self.hold_at:
            wait_for(lambda: self.hold_at is None or i < self.hold_at, 120,
                     "the test to let the writer go on")

    def run(self):
        conn = None
        try:
            for i in range(self.first, self.first + self.count):
                self.wait_hold(i)
                try:
                    if conn is None:
                        conn = self.connect()
                    with conn.cursor() as c:
                        for sql in self.statements(i):
                            c.execute(sql)
                    self.acked.add(i)
                except Exception as e:
                    if not (self.reconnect and is_connection_error(e)):
                        raise
                    self.unanswered.add(i)
                    try:
                        conn.close()
                    except Exception:
                        pass
                    conn = None
                self.done = i + 1
        except BaseException as e:  # seen by the test through progress()
            self.error = e
        finally:
            if conn is not None:
                conn.close()

    def progress(self):
        """Transactions attempted so far; raises what stopped the writer."""
        if self.error is not None:
            raise AssertionError(f"the writer failed: {self.error!r}")
        return self.done - self.first


class CrashTest(unittest.TestCase):

    def setUp(self):
        self.seed = int(os.environ.get("REPTUT_CRASH_SEED", random.randrange(1 << 30)))
        self.rng = random.Random(self.seed)
        self.master = new_server(self, "master", 1, MASTER_OPTS).start()
        self.slave = new_server(self, "slave", 2, SLAVE_OPTS, root=self.master.root).start()
        start_replication(self.slave, self.master)
        self.master.sql(SCHEMA)
        sync(self.slave, self.master)

    def context(self):
        return f"(REPTUT_CRASH_SEED={self.seed}; root {self.master.root})"

    def crash_during(self, stream, rounds, crash, recover):
        """Starts `stream` and crashes a server `rounds` times while it runs:
        each time at a random transaction (about count / rounds apart, while
        the writer is going), then holds the writer a few transactions later
        until recover() has the servers back."""
        width = stream.count // rounds
        stream.start()
        try:
            for r in range(rounds):
                at = stream.progress() + self.rng.randrange(1, width * 8 // 5)
                at = min(at, stream.count - 100 * (rounds - r))
                wait_for(lambda: stream.progress() >= at, 120, f"transaction {at} on the master")
                self.assert_no_sql_error()
                crash()
                stream.hold_at = stream.done + 20
                recover()
                stream.hold_at = None
            wait_for(lambda: stream.progress() == stream.count, 120, "the end of the stream")
        finally:
            stream.hold_at = None
            stream.join(120)

    def assert_no_sql_error(self):
        st = slave_status(self.slave)
        if st["Last_SQL_Errno"]:
            self.fail(f"the SQL thread stopped: {st['Last_SQL_Errno']} {st['Last_SQL_Error']} "
                      f"{self.context()}\nreplica log:\n{self.slave.read_log()[-4000:]}")

    def test_replica_killed_30_times_during_10000_transactions_has_every_row_once(self):
        m, s = self.master, self.slave
        count = 10000
        stream = Stream(m, count, self.seed)

        def restart():
            s.start(timeout=30)
            wait_running(s, timeout=30)  # at boot: no skip-slave-start

        self.crash_during(stream, 30, s.kill9, restart)
        self.assertEqual(len(stream.acked), count)
        rows = assert_converged(self, self.master, self.slave, self.context())
        # ... and those are every transaction of the stream.
        self.assertEqual({r[0] for t in TABLES for r in rows[t]}, set(range(count)))

    def test_master_killed_10_times_the_replica_holds_exactly_what_it_has(self):
        m, s = self.master, self.slave
        count, rounds = 10000, 10
        stream = Stream(m, count, self.seed, reconnect=True)

        def restart():
            m.start(timeout=30)
            # The next crash comes while the replica streams from this master
            # (it connects again by itself: MASTER_CONNECT_RETRY=1).
            wait_for(lambda: slave_status(s)["Slave_IO_Running"] == "Yes", 60,
                     "the replica to connect to the restarted master")

        self.crash_during(stream, rounds, m.kill9, restart)
        wait_running(s, timeout=60)
        rows = assert_converged(self, self.master, self.slave, self.context())
        # What the master acknowledged survived its crashes; what it did not
        # answer may or may not be there.
        on_master = {r[0] for t in TABLES for r in rows[t]}
        self.assertEqual(stream.acked - on_master, set(), self.context())
        self.assertLessEqual(on_master - stream.acked, stream.unanswered)
        # Each crash cut the transaction in flight.
        self.assertEqual(len(stream.unanswered), rounds)


class ReplicaAwayTest(unittest.TestCase):
    """The replica killed while it applies; meanwhile the master rotates its
    binary log (FLUSH LOGS), restarts, and purges logs."""

    def setUp(self):
        self.seed = int(os.environ.get("REPTUT_CRASH_SEED", random.randrange(1 << 30)))
        m = self.master = new_server(self, "master", 1, MASTER_OPTS).start()
        s = self.slave = new_server(self, "slave", 2, SLAVE_OPTS, root=m.root).start()
        start_replication(s, m)
        m.sql(SCHEMA)
        self.write(0, 500)
        m.sql("FLUSH LOGS")
        self.write(500, 500)
        sync(s, m)
        # Away in the middle of applying transactions 1000..1499.
        stream = Stream(m, 500, self.seed, start=1000, updates=False)
        stream.start()
        wait_for(lambda: stream.progress() >= 250, 60, "transactions on the master")
        s.kill9()
        stream.join(60)
        self.assertEqual(stream.progress(), 500)
        self.before_gap = 1500
        # The replica's relay-log.info names the master's log it applies
        # (written once the data files have it: what it needs is there or after).
        with open(os.path.join(s.datadir, "relay-log.info")) as fh:
            self.needed = fh.read().split("\n")[3]
        m.sql("FLUSH LOGS")
        self.write(1500, 300)
        m.stop()
        m.start()
        self.write(1800, 300)
        m.sql("FLUSH LOGS")
        self.write(2100, 300)

    def write(self, start, count):
        stream = Stream(self.master, count, self.seed, start=start, updates=False)
        stream.run()
        self.assertEqual(stream.progress(), count)

    def binary_logs(self):
        return [r[0] for r in self.master.sql("SHOW BINARY LOGS")]

    def test_rotated_and_older_logs_purged_the_replica_catches_up(self):
        m, s = self.master, self.slave
        first = self.binary_logs()[0]
        self.assertEqual(self.needed, "master-bin.000002")
        m.sql(f"PURGE BINARY LOGS TO '{self.needed}'")
        self.assertEqual(self.binary_logs()[0], self.needed)
        self.assertNotIn(first, self.binary_logs())
        s.start()
        wait_running(s, timeout=30)
        rows = assert_converged(self, m, s)
        self.assertEqual(slave_status(s)["Last_IO_Errno"], 0)
        self.assertEqual({r[0] for t in TABLES for r in rows[t]}, set(range(2400)))

    def test_the_needed_log_purged_stops_the_io_thread_with_1236_and_skips_nothing(self):
        m, s = self.master, self.slave
        last = self.binary_logs()[-1]
        m.sql(f"PURGE BINARY LOGS TO '{last}'")
        self.assertEqual(self.binary_logs(), [last])
        s.start()
        st = wait_for(lambda: (lambda st: st if st["Last_IO_Errno"] else None)(slave_status(s)),
                      30, "the I/O thread's error")
        self.assertEqual(st["Last_IO_Errno"], 1236, st["Last_IO_Error"])
        self.assertTrue(st["Last_IO_Error"].startswith(
            "Got fatal error 1236 from master when reading data from binary log: '"),
            st["Last_IO_Error"])
        wait_for(lambda: slave_status(s)["Slave_IO_Running"] == "No", 30,
                 "the I/O thread to stop")
        wait_for(lambda: "read all relay log" in slave_status(s)["Slave_SQL_Running_State"], 30,
                 "the SQL thread to apply what it has")
        st = slave_status(s)
        self.assertEqual(st["Slave_IO_Running"], "No")
        self.assertEqual(st["Last_SQL_Errno"], 0, st["Last_SQL_Error"])
        # A prefix of the master's transactions: 0 .. n-1 for some n, each
        # row as the master has it, nothing from after the gap.
        got = {t: table_rows(s, t) for t in TABLES}
        keys = sorted(r[0] for t in TABLES for r in got[t])
        n = len(set(keys))
        self.assertEqual(sorted(set(keys)), list(range(n)))
        self.assertGreaterEqual(n, 1000)
        self.assertLessEqual(n, self.before_gap)
        for t in TABLES:
            self.assertEqual(got[t], [r for r in table_rows(m, t) if r[0] < n], t)


STRACE = shutil.which("strace")
TORN_NOTE = "reached some databases only"  # the replica's log after a torn commit


@unittest.skipUnless(STRACE, "strace kills the replica at a chosen write")
class TornCommitTest(unittest.TestCase):
    """The SQL thread commits a batch into each database file in turn
    (`mysql`, which records its position, then the others): a kill between
    two of them leaves the batch in some databases only. Random kills seldom
    land in that gap, so here strace kills the replica at its first write to
    one database's WAL file (SIGKILL injected at the system call) while it
    commits a batch of transactions that write both databases. Once it runs
    again it must hold the master's rows exactly once - also when it stops
    again before it has applied that batch a second time."""

    def setUp(self):
        m = self.master = new_server(self, "master", 1, MASTER_OPTS).start()
        s = self.slave = new_server(self, "slave", 2, SLAVE_OPTS, root=m.root).start()
        start_replication(s, m)
        m.sql(SCHEMA)
        self.write(0, 200)
        sync(s, m)
        # A backlog in the relay log: the SQL thread applies it in batches.
        s.sql("STOP SLAVE SQL_THREAD")
        self.write(200, 1000)
        _, p = master_status(m)
        wait_for(lambda: int(slave_status(s)["Read_Master_Log_Pos"]) == p, 30,
                 "the I/O thread to fetch the transactions")

    def write(self, start, count):
        stream = Stream(self.master, count, 7, start=start)
        stream.run()
        self.assertEqual(stream.progress(), count)

    def kill_at_write(self, db, nth, then):
        """Kills the replica at its nth write to db's WAL file, which
        then() brings about; waits until it is dead."""
        s = self.slave
        wal = os.path.join(s.datadir, f"{db}.db-wal")
        self.assertTrue(os.path.exists(wal), f"no {wal}: where does the replica write {db}?")
        err_path = os.path.join(s.dir, "strace.err")
        with open(err_path, "w") as err:
            tracer = subprocess.Popen(
                [STRACE, "-f", "-o", "/dev/null", "-P", wal, "-e", "trace=write,pwrite64",
                 "-e", f"inject=write,pwrite64:signal=SIGKILL:when={nth}", "-p", str(s.proc.pid)],
                stdout=subprocess.DEVNULL, stderr=err)
        self.addCleanup(lambda: tracer.poll() is None and (tracer.kill(), tracer.wait()))

        def attached():
            with open(err_path) as fh:
                text = fh.read()
            if tracer.poll() is not None:
                self.skipTest(f"strace cannot trace the replica: {text.strip()}")
            return "attached" in text
        wait_for(attached, 30, "strace to attach to the replica")
        try:
            then()
        except ClientError:
            pass  # the replica died before it answered
        wait_for(lambda: s.proc.poll() is not None, 60,
                 f"the replica to be killed at write {nth} to {db}.db-wal")
        self.assertEqual(s.proc.returncode, -signal.SIGKILL)
        s.proc.stderr.close()
        s.proc = None
        tracer.wait(30)

    def restart(self, skip_slave_start=False):
        s = self.slave
        s.options.pop("skip-slave-start", None)
        if skip_slave_start:
            s.options["skip-slave-start"] = None
        s.write_cnf()
        s.start(timeout=30)

    def torn_then_converges(self, db, nth):
        s = self.slave
        self.kill_at_write(db, nth, lambda: s.sql("START SLAVE SQL_THREAD"))
        self.restart()
        self.assertIn(TORN_NOTE, s.read_log(),
                      "the kill left no torn commit (does the SQL thread still commit "
                      "`mysql` first?)")
        wait_started(s)
        assert_converged(self, self.master, s)

    def test_killed_before_the_first_database_after_mysql(self):
        self.torn_then_converges("db1", 1)

    def test_killed_before_the_second_database(self):
        self.torn_then_converges("db2", 1)

    def test_killed_at_the_third_write_to_the_second_database(self):
        self.torn_then_converges("db2", 3)

    # A torn batch is applied again whole or not at all (sql_thread.cc): a
    # commit of a part of it would record that db1 lacks groups it has, and
    # the next start would apply them twice. Here the replica stops (UNTIL
    # inside the batch, then a clean restart) before it is done.
    def test_restart_while_applying_a_torn_batch_again(self):
        s = self.slave
        self.kill_at_write("db2", 1, lambda: s.sql("START SLAVE SQL_THREAD"))
        self.restart(skip_slave_start=True)
        m = re.search(r"applying them again from '([^']+)' position (\d+)", s.read_log())
        self.assertIsNotNone(m, "the kill did not tear a commit")
        # One group of the batch applied again (and committed), then a
        # clean restart.
        s.sql(f"START SLAVE UNTIL MASTER_LOG_FILE='{m.group(1)}', "
              f"MASTER_LOG_POS={int(m.group(2)) + 1}")
        wait_for(lambda: slave_status(s)["Slave_SQL_Running"] == "No", 30,
                 "the SQL thread to stop at its UNTIL position")
        self.assertEqual(slave_status(s)["Last_SQL_Errno"], 0)
        s.stop()
        self.restart()
        wait_started(s)
        assert_converged(self, self.master, s)

    # The same, with a second crash inside the commit of the batch applied
    # again.
    def test_killed_again_while_applying_a_torn_batch_again(self):
        s = self.slave
        self.kill_at_write("db2", 1, lambda: s.sql("START SLAVE SQL_THREAD"))
        self.restart(skip_slave_start=True)
        self.assertIn(TORN_NOTE, s.read_log())
        self.kill_at_write("db2", 1, lambda: s.sql("START SLAVE"))
        self.restart()
        wait_started(s)
        assert_converged(self, self.master, s)

    # CHANGE MASTER TO that keeps the position (here only the retry period)
    # keeps the torn batch to apply again, also across another crash.
    def test_change_master_keeping_the_position_then_a_crash(self):
        s = self.slave
        self.kill_at_write("db2", 1, lambda: s.sql("START SLAVE SQL_THREAD"))
        self.restart(skip_slave_start=True)
        self.assertIn(TORN_NOTE, s.read_log())
        s.sql("CHANGE MASTER TO MASTER_CONNECT_RETRY = 2")
        s.kill9()
        self.restart()
        wait_started(s)
        assert_converged(self, self.master, s)


if __name__ == "__main__":
    unittest.main()
