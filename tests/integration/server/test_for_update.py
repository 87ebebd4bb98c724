"""Locking reads (issue 12): SELECT ... FOR UPDATE and LOCK IN SHARE MODE
lock, so a read-modify-write through them never loses an update. A second
locking read waits for the first transaction's COMMIT, or fails with 1205
after innodb_lock_wait_timeout seconds (the transaction stays open, as
InnoDB with innodb_rollback_on_timeout=OFF). Plain SELECTs never wait.
MariaDB 10.11 answers each case here the same way, except the LOCK IN SHARE
MODE increments: there two shared locks then two updates deadlock (1213);
here a shared lock is exclusive, so they are serialised."""

import threading
import unittest

import pymysql

from harness import Reptutd, wait_for


class ForUpdate(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd().start()
        self.addCleanup(self.server.cleanup)
        self.server.sql("CREATE TABLE t (id INT PRIMARY KEY, v INT); "
                        "INSERT INTO t VALUES (1, 0), (2, 0)", database="test")

    def connect(self, **kw):
        # A bounded read: a statement that blocks by mistake fails the test
        # instead of hanging it.
        conn = self.server.pymysql(database="test", autocommit=True, read_timeout=120, **kw)
        self.addCleanup(lambda: conn.open and conn.close())
        return conn

    def value(self, row_id=1):
        return int(self.server.sql("SELECT v FROM t WHERE id = %d" % row_id,
                                   database="test")[0][0])

    def increments(self, clause, threads, each):
        errors = []

        def worker():
            try:
                conn = self.server.pymysql(database="test", autocommit=True, read_timeout=120)
                with conn.cursor() as c:
                    for _ in range(each):
                        c.execute("BEGIN")
                        c.execute("SELECT v FROM t WHERE id = 1 " + clause)
                        (v,) = c.fetchone()
                        c.execute("UPDATE t SET v = %s WHERE id = 1", (v + 1,))
                        c.execute("COMMIT")
                conn.close()
            except Exception as e:  # reported below
                errors.append(repr(e))

        ts = [threading.Thread(target=worker) for _ in range(threads)]
        for th in ts:
            th.start()
        for th in ts:
            th.join(300)
        self.assertEqual(errors, [])
        self.assertEqual(self.value(), threads * each)

    def in_background(self, conn, statements):
        """Runs statements on conn in a thread; returns (thread, result) where
        result gets 'rows' (of the last statement) or 'error'."""
        result = {}

        def run():
            try:
                with conn.cursor() as c:
                    for q in statements:
                        c.execute(q)
                    result["rows"] = c.fetchall()
            except Exception as e:
                result["error"] = e

        th = threading.Thread(target=run)
        th.start()
        self.addCleanup(th.join, 120)
        return th, result

    def waiting_in_processlist(self, fragment):
        rows = self.server.sql("SHOW FULL PROCESSLIST")
        return any(r[7] and fragment in r[7] for r in rows)

    def test_for_update_increments_lose_nothing(self):
        self.increments("FOR UPDATE", threads=16, each=50)

    def test_lock_in_share_mode_increments_lose_nothing(self):
        self.increments("LOCK IN SHARE MODE", threads=8, each=25)

    def test_second_for_update_waits_for_commit(self):
        a, b = self.connect(), self.connect()
        with a.cursor() as c:
            c.execute("BEGIN")
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
            self.assertEqual(c.fetchall(), ((0,),))
            c.execute("UPDATE t SET v = 7 WHERE id = 1")
        th, result = self.in_background(
            b, ["BEGIN", "SELECT v, 'waiter' FROM t WHERE id = 1 FOR UPDATE"])
        wait_for(lambda: self.waiting_in_processlist("'waiter'"), what="B waiting")
        self.assertTrue(th.is_alive())
        self.assertEqual(result, {})
        # A plain read neither waits nor sees the uncommitted 7.
        with self.connect().cursor() as c:
            c.execute("SELECT v FROM t WHERE id = 1")
            self.assertEqual(c.fetchall(), ((0,),))
        with a.cursor() as c:
            c.execute("COMMIT")
        th.join(60)
        self.assertFalse(th.is_alive())
        self.assertEqual(result, {"rows": ((7, "waiter"),)})
        with b.cursor() as c:
            c.execute("UPDATE t SET v = v + 1 WHERE id = 1")
            c.execute("COMMIT")
        self.assertEqual(self.value(), 8)

    def test_rollback_and_disconnect_release(self):
        a, b = self.connect(), self.connect()
        with a.cursor() as c:
            c.execute("BEGIN")
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
        th, result = self.in_background(b, ["BEGIN", "SELECT v FROM t WHERE id = 1 FOR UPDATE"])
        wait_for(lambda: self.waiting_in_processlist("FOR UPDATE"), what="B waiting")
        with a.cursor() as c:
            c.execute("ROLLBACK")
        th.join(60)
        self.assertEqual(result, {"rows": ((0,),)})
        # b holds it now; its connection goes away without COMMIT.
        th, result = self.in_background(self.connect(),
                                        ["SELECT v FROM t WHERE id = 1 FOR UPDATE"])
        wait_for(lambda: self.waiting_in_processlist("FOR UPDATE"), what="C waiting")
        b.close()
        th.join(60)
        self.assertEqual(result, {"rows": ((0,),)})

    def test_lock_wait_timeout_1205_keeps_transaction(self):
        a, b = self.connect(), self.connect()
        with a.cursor() as c:
            c.execute("BEGIN")
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
        with b.cursor() as c:
            self.assertEqual(c.execute("SELECT @@innodb_lock_wait_timeout"), 1)
            self.assertEqual(c.fetchall(), ((50,),))
            c.execute("SET innodb_lock_wait_timeout = 1")
            c.execute("BEGIN")
            c.execute("SELECT v FROM t WHERE id = 2")
            for q in ["SELECT v FROM t WHERE id = 1 FOR UPDATE",
                      "SELECT v FROM t WHERE id = 1 LOCK IN SHARE MODE",
                      "SELECT v FROM t WHERE id = 1 FOR UPDATE NOWAIT",
                      "SELECT v FROM t WHERE id = 1 FOR UPDATE WAIT 1"]:
                with self.assertRaises(pymysql.err.OperationalError) as cm:
                    c.execute(q)
                self.assertEqual(cm.exception.args,
                                 (1205, "Lock wait timeout exceeded; try restarting transaction"))
            # The transaction is still open; a plain read goes on.
            c.execute("SELECT v FROM t WHERE id = 1")
            self.assertEqual(c.fetchall(), ((0,),))
            self.assertTrue(b.server_status & 1)  # SERVER_STATUS_IN_TRANS
        with a.cursor() as c:
            c.execute("UPDATE t SET v = 1 WHERE id = 1")
            c.execute("COMMIT")
        with b.cursor() as c:
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
            self.assertEqual(c.fetchall(), ((1,),))
            c.execute("UPDATE t SET v = v + 1 WHERE id = 1")
            c.execute("COMMIT")
        self.assertEqual(self.value(), 2)

    def test_a_write_behind_an_idle_transaction_gets_1205(self):
        # One writer at a time: a write waits for another session's open
        # write transaction as for an InnoDB row lock, innodb_lock_wait_timeout
        # seconds, not lock_wait_timeout (a year). (InnoDB would not make a
        # write to another table wait at all: see issue 12.)
        self.server.sql("CREATE TABLE other (id INT PRIMARY KEY)", database="test")
        a, b = self.connect(), self.connect()
        with a.cursor() as c:
            c.execute("BEGIN")
            c.execute("UPDATE t SET v = 5 WHERE id = 1")
        with b.cursor() as c:
            c.execute("SET innodb_lock_wait_timeout = 1")
            for q in ["INSERT INTO other VALUES (1)",  # autocommitted
                      "UPDATE t SET v = 7 WHERE id = 2"]:
                with self.assertRaises(pymysql.err.OperationalError) as cm:
                    c.execute(q)
                self.assertEqual(cm.exception.args,
                                 (1205, "Lock wait timeout exceeded; try restarting transaction"))
            c.execute("BEGIN")
            with self.assertRaises(pymysql.err.OperationalError) as cm:
                c.execute("INSERT INTO other VALUES (2)")
            self.assertEqual(cm.exception.args[0], 1205)
            c.execute("ROLLBACK")
        with a.cursor() as c:
            c.execute("COMMIT")
        with b.cursor() as c:
            c.execute("INSERT INTO other VALUES (3)")
        self.assertEqual(self.server.sql("SELECT id FROM other", database="test"), [["3"]])
        self.assertEqual(self.value(), 5)

    def test_autocommit_for_update_locks_for_the_statement(self):
        a, b = self.connect(), self.connect()
        with a.cursor() as c:
            # Outside a transaction: nothing is held after the statement.
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
            self.assertEqual(c.fetchall(), ((0,),))
        with b.cursor() as c:
            c.execute("SET innodb_lock_wait_timeout = 1")
            c.execute("BEGIN")
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
        with a.cursor() as c:
            # ... but it waits for a transaction's lock.
            c.execute("SET innodb_lock_wait_timeout = 1")
            with self.assertRaises(pymysql.err.OperationalError) as cm:
                c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
            self.assertEqual(cm.exception.args[0], 1205)
            c.execute("SELECT v FROM t WHERE id = 1")  # a plain read does not
            self.assertEqual(c.fetchall(), ((0,),))
        with b.cursor() as c:
            c.execute("UPDATE t SET v = 3 WHERE id = 1")
            c.execute("COMMIT")
        with a.cursor() as c:
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
            self.assertEqual(c.fetchall(), ((3,),))

    def test_autocommit_off_holds_until_commit(self):
        a, b = self.connect(), self.connect()
        with a.cursor() as c:
            c.execute("SET autocommit = 0")
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
        with b.cursor() as c:
            c.execute("SET innodb_lock_wait_timeout = 1")
            with self.assertRaises(pymysql.err.OperationalError) as cm:
                c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
            self.assertEqual(cm.exception.args[0], 1205)
        with a.cursor() as c:
            c.execute("COMMIT")
        with b.cursor() as c:
            c.execute("SELECT v FROM t WHERE id = 1 FOR UPDATE")
            self.assertEqual(c.fetchall(), ((0,),))


class ForUpdateBinlog(unittest.TestCase):
    def test_locking_reads_log_nothing(self):
        server = Reptutd(options={"log-bin": "master-bin"}).start()
        self.addCleanup(server.cleanup)
        server.sql("CREATE TABLE t (id INT PRIMARY KEY, v INT); INSERT INTO t VALUES (1, 0)",
                   database="test")
        before = server.sql("SHOW MASTER STATUS")
        server.sql("BEGIN; SELECT v FROM t WHERE id = 1 FOR UPDATE; COMMIT; "
                   "SELECT v FROM t WHERE id = 1 LOCK IN SHARE MODE; "
                   "SET autocommit = 0; SELECT v FROM t WHERE id = 1 FOR UPDATE; ROLLBACK",
                   database="test")
        self.assertEqual(server.sql("SHOW MASTER STATUS"), before)
        server.sql("BEGIN; SELECT v FROM t WHERE id = 1 FOR UPDATE; "
                   "UPDATE t SET v = v + 1 WHERE id = 1; COMMIT", database="test")
        events = server.sql("SHOW BINLOG EVENTS")
        self.assertTrue(any("UPDATE t SET v = v + 1" in e[5] for e in events), events)
        self.assertFalse(any("FOR UPDATE" in e[5] for e in events), events)


if __name__ == "__main__":
    unittest.main()
