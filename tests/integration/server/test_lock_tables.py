"""LOCK TABLES / UNLOCK TABLES as MySQL and MariaDB have them, so that
mariadb-dump's output restores (LOCK TABLES `t` WRITE; INSERT ...; UNLOCK
TABLES) and a dump may lock what it reads (LOCK TABLES `t` READ LOCAL).

While a session holds table locks it may touch only those tables (1100)
and write only those locked WRITE (1099). Other sessions' writes to a
locked table, and their reads of a table locked WRITE, wait for UNLOCK
TABLES, BEGIN or the disconnect (1205 after lock_wait_timeout); READ locks
share the table. MariaDB 10.11 answers each case here the same way but
one (a deadlock MariaDB does not have, see the test) and the binlog test.
LOCK/UNLOCK TABLES are not binlogged; the writes made under them are."""

import subprocess
import threading
import unittest

import pymysql

from harness import Reptutd, wait_for


class LockTables(unittest.TestCase):
    options = None

    def setUp(self):
        self.server = Reptutd(options=self.options).start()
        self.addCleanup(self.server.cleanup)
        self.server.sql("CREATE TABLE t1 (a INT PRIMARY KEY); CREATE TABLE t2 (a INT); "
                        "CREATE TABLE t3 (a INT)", database="test")

    def connect(self, **kw):
        # A bounded read: a statement that blocks by mistake fails the test
        # instead of hanging it.
        conn = self.server.pymysql(database="test", autocommit=True, read_timeout=120, **kw)
        self.addCleanup(lambda: conn.open and conn.close())
        return conn

    def run_sql(self, conn, *statements):
        with conn.cursor() as c:
            for q in statements:
                c.execute(q)
            return c.fetchall()

    def fails(self, conn, statement, code, message=None):
        with self.assertRaises(pymysql.err.MySQLError) as cm:
            self.run_sql(conn, statement)
        self.assertEqual(cm.exception.args[0], code, cm.exception.args)
        if message is not None:
            self.assertEqual(cm.exception.args[1], message)

    def in_background(self, conn, statements):
        """Runs statements on conn in a thread; returns (thread, result) where
        result gets 'rows' (of the last statement) or 'error'."""
        result = {}

        def run():
            try:
                result["rows"] = self.run_sql(conn, *statements)
            except Exception as e:  # reported through result
                result["error"] = e

        th = threading.Thread(target=run)
        th.start()
        self.addCleanup(th.join, 120)
        return th, result

    def waiting(self, fragment):
        """A session runs a statement containing fragment and waits for a
        table lock."""
        rows = self.server.sql("SHOW FULL PROCESSLIST")
        return any(r[7] and fragment in r[7] and r[6] == "Waiting for table metadata lock"
                   for r in rows)

    def rows(self, table):
        return self.server.sql(f"SELECT a FROM {table} ORDER BY a", database="test")

    def test_only_locked_tables_and_write_only_write_locked(self):
        a = self.connect()
        self.run_sql(a, "LOCK TABLES t1 READ, t2 WRITE, t2 AS x READ, test.t3 READ LOCAL")
        self.fails(a, "INSERT INTO t1 VALUES (1)", 1099,
                   "Table 't1' was locked with a READ lock and can't be updated")
        self.fails(a, "UPDATE t3 SET a = 2", 1099,
                   "Table 't3' was locked with a READ lock and can't be updated")
        self.run_sql(a, "INSERT INTO t2 SELECT a FROM t1")
        self.run_sql(a, "INSERT INTO t2 VALUES (5)")
        self.assertEqual(self.run_sql(a, "SELECT a FROM test.t2 AS x"), ((5,),))
        self.run_sql(a, "LOCK TABLES t1 LOW_PRIORITY WRITE")  # the previous locks go
        self.fails(a, "SELECT * FROM t2", 1100, "Table 't2' was not locked with LOCK TABLES")
        self.fails(a, "DELETE FROM t3", 1100, "Table 't3' was not locked with LOCK TABLES")
        self.fails(a, "SELECT * FROM t1 WHERE a IN (SELECT a FROM t3)", 1100)
        self.run_sql(a, "INSERT INTO t1 VALUES (1)")
        self.fails(a, "FLUSH TABLES WITH READ LOCK", 1192,
                   "Can't execute the given command because you have active locked tables "
                   "or an active transaction")
        self.run_sql(a, "UNLOCK TABLES")
        self.assertEqual(self.run_sql(a, "SELECT a FROM t3"), ())
        self.fails(a, "LOCK TABLES t1 READ, nosuch WRITE", 1146,
                   "Table 'test.nosuch' doesn't exist")
        self.assertEqual(self.run_sql(a, "SELECT a FROM t3"), ())  # nothing locked
        self.run_sql(a, "LOCK TABLES t1 READ")
        self.run_sql(a, "BEGIN")  # gives the locks back, as MySQL's does
        self.assertEqual(self.run_sql(a, "SELECT a FROM t3"), ())
        self.run_sql(a, "COMMIT")

    def test_privileges(self):
        root = self.connect()
        self.run_sql(root, "CREATE USER u@'%'", "GRANT SELECT ON test.* TO u@'%'")
        u = self.connect(user="u")
        self.fails(u, "LOCK TABLES t1 READ", 1044)
        self.run_sql(root, "GRANT LOCK TABLES ON test.* TO u@'%'")
        u = self.connect(user="u")
        self.run_sql(u, "LOCK TABLES t1 READ")
        self.run_sql(u, "UNLOCK TABLES")
        self.run_sql(root, "REVOKE SELECT ON test.* FROM u@'%'")
        u = self.connect(user="u")
        self.fails(u, "LOCK TABLES t1 WRITE", 1142)

    def test_write_lock_holds_off_other_sessions(self):
        a, b = self.connect(), self.connect()
        self.run_sql(a, "LOCK TABLES t1 WRITE")
        self.run_sql(b, "SET lock_wait_timeout = 1")
        for q in ["INSERT INTO t1 VALUES (2)", "SELECT * FROM t1", "LOCK TABLES t1 READ"]:
            self.fails(b, q, 1205, "Lock wait timeout exceeded; try restarting transaction")
        self.run_sql(b, "INSERT INTO t3 VALUES (3)")  # another table goes on
        self.assertEqual(self.run_sql(b, "SELECT a FROM t3"), ((3,),))
        th, result = self.in_background(self.connect(), ["INSERT INTO t1 VALUES (2)"])
        wait_for(lambda: self.waiting("VALUES (2)"), what="the insert waiting")
        # The lock holder writes meanwhile (autocommitted, one by one).
        self.run_sql(a, "INSERT INTO t1 VALUES (1)")
        self.assertEqual(self.run_sql(a, "SELECT a FROM t1"), ((1,),))
        self.assertTrue(th.is_alive())
        self.run_sql(a, "UNLOCK TABLES")
        th.join(60)
        self.assertEqual(result, {"rows": ()})
        self.assertEqual(self.rows("t1"), [["1"], ["2"]])

    def test_read_lock_shares_the_table_and_holds_off_writers(self):
        a, b, c, d = self.connect(), self.connect(), self.connect(), self.connect()
        self.run_sql(a, "LOCK TABLES t1 READ")
        self.assertEqual(self.run_sql(b, "SELECT * FROM t1"), ())
        self.run_sql(c, "LOCK TABLES t1 READ")  # READ locks share
        self.run_sql(d, "SET lock_wait_timeout = 1")
        self.fails(d, "LOCK TABLES t1 WRITE", 1205)
        th, result = self.in_background(b, ["INSERT INTO t1 VALUES (4)"])
        wait_for(lambda: self.waiting("VALUES (4)"), what="the insert waiting")
        self.fails(a, "INSERT INTO t1 VALUES (5)", 1099)
        self.run_sql(a, "UNLOCK TABLES")
        self.fails(d, "INSERT INTO t1 VALUES (6)", 1205)  # c still holds its lock
        self.run_sql(c, "UNLOCK TABLES")
        th.join(60)
        self.assertEqual(result, {"rows": ()})
        self.assertEqual(self.rows("t1"), [["4"]])

    def test_transaction_waiting_for_a_lock_whose_holder_waits_for_it(self):
        # b's transaction has written (here: holds the engine's write gate)
        # and waits for a's lock; a then writes and would wait for b's
        # transaction: b loses, with its transaction rolled back. (MariaDB
        # differs here: its writes to other tables do not keep a out, so b
        # just waits for UNLOCK TABLES.)
        a, b = self.connect(), self.connect()
        self.run_sql(a, "LOCK TABLES t1 WRITE")
        th, result = self.in_background(b, ["BEGIN", "INSERT INTO t3 VALUES (1)",
                                            "SELECT * FROM t1"])
        wait_for(lambda: self.waiting("SELECT * FROM t1"), what="b waiting")
        self.run_sql(a, "INSERT INTO t1 VALUES (1)")
        th.join(60)
        self.assertEqual(result["error"].args[0], 1213, result)
        self.run_sql(a, "UNLOCK TABLES")
        self.assertEqual(self.rows("t1"), [["1"]])
        self.assertEqual(self.rows("t3"), [])

    def test_disconnect_releases(self):
        a = self.connect()
        self.run_sql(a, "LOCK TABLES t1 WRITE, t2 READ")
        th, result = self.in_background(self.connect(), ["INSERT INTO t2 VALUES (6)"])
        wait_for(lambda: self.waiting("VALUES (6)"), what="the insert waiting")
        a.close()
        th.join(60)
        self.assertEqual(result, {"rows": ()})
        self.assertEqual(self.rows("t2"), [["6"]])

    def test_flush_tables_with_read_lock_and_write_locks(self):
        a, b = self.connect(), self.connect()
        self.run_sql(a, "FLUSH TABLES WITH READ LOCK")
        self.run_sql(a, "LOCK TABLES t1 READ")
        self.fails(a, "LOCK TABLES t1 WRITE", 1223,
                   "Can't execute the query because you have a conflicting read lock")
        self.run_sql(a, "UNLOCK TABLES")
        self.run_sql(a, "LOCK TABLES t1 WRITE")
        self.run_sql(b, "SET lock_wait_timeout = 1")
        self.fails(b, "FLUSH TABLES WITH READ LOCK", 1205)
        self.run_sql(a, "UNLOCK TABLES")
        self.run_sql(b, "FLUSH TABLES WITH READ LOCK")
        self.run_sql(b, "UNLOCK TABLES")

    def test_autocommit_off_commits_at_unlock(self):
        a = self.connect()
        self.run_sql(a, "SET autocommit = 0", "LOCK TABLES t1 WRITE",
                     "INSERT INTO t1 VALUES (9)")
        self.assertTrue(a.server_status & 1)  # SERVER_STATUS_IN_TRANS
        self.run_sql(a, "UNLOCK TABLES")
        self.assertFalse(a.server_status & 1)
        a.close()  # no rollback: UNLOCK TABLES committed
        self.assertEqual(self.rows("t1"), [["9"]])

    def dump(self, *args):
        r = subprocess.run(["mariadb-dump", "--no-defaults", "-uroot",
                            f"--socket={self.server.socket}"] + list(args) + ["test"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def restore_and_compare(self, dump):
        self.server.sql("CREATE DATABASE copy")
        self.server.sql(dump, database="copy", batch_stdin=True)
        for t in ["t1", "t2", "t3"]:
            self.assertEqual(self.server.sql(f"SELECT a FROM copy.{t} ORDER BY a"),
                             self.rows(t))
        # Nothing stays locked: another connection writes at once.
        self.server.sql("INSERT INTO t1 VALUES (100)", database="copy")

    def test_mariadb_dump_and_restore(self):
        self.server.sql("INSERT INTO t1 VALUES (1), (2); INSERT INTO t3 VALUES (3)",
                        database="test")
        # The dump locks what it reads (LOCK TABLES ... READ /*!32311 LOCAL */);
        # the restore writes under LOCK TABLES `t1` WRITE, with ALTER TABLE
        # ... DISABLE KEYS / ENABLE KEYS around the INSERT.
        dump = self.dump()
        self.assertIn("LOCK TABLES `t1` WRITE;", dump)
        self.assertIn("/*!40000 ALTER TABLE `t1` DISABLE KEYS */;", dump)
        self.restore_and_compare(dump)

    def test_mariadb_dump_binary_charset(self):
        self.server.sql("INSERT INTO t2 VALUES (7)", database="test")
        dump = self.dump("--default-character-set=binary")
        self.assertIn("SET NAMES binary", dump)
        self.restore_and_compare(dump)

    def charsets(self, conn, *names):
        # (MariaDB sends them as binary strings then; the value is the point.)
        row = self.run_sql(conn, "SELECT " + ", ".join("@@" + n for n in names))[0]
        return tuple(v.decode() if isinstance(v, bytes) else v for v in row)

    def test_set_names_binary(self):
        a = self.connect()
        for q in ["/*!40101 SET NAMES binary*/", "SET NAMES 'binary'"]:
            self.run_sql(a, "SET NAMES utf8mb4", q)
            self.assertEqual(self.charsets(a, "character_set_client", "character_set_connection",
                                           "character_set_results"),
                             ("binary", "binary", "binary"))
        for q in ["SET CHARACTER SET binary", "SET CHARACTER SET 'binary'"]:
            self.run_sql(a, "SET NAMES utf8mb4", q)
            self.assertEqual(self.charsets(a, "character_set_client", "character_set_results"),
                             ("binary", "binary"))


class LockTablesBinlog(unittest.TestCase):
    def test_lock_statements_are_not_logged(self):
        server = Reptutd(options={"log-bin": "master-bin"}).start()
        self.addCleanup(server.cleanup)
        server.sql("CREATE TABLE t (a INT); LOCK TABLES t WRITE; INSERT INTO t VALUES (1); "
                   "INSERT INTO t VALUES (2); UNLOCK TABLES", database="test")
        infos = [r[5] for r in server.sql("SHOW BINLOG EVENTS")]
        self.assertFalse([i for i in infos if "LOCK" in i.upper()], infos)
        self.assertEqual(infos[-6:], ["BEGIN", "use `test`; INSERT INTO t VALUES (1)",
                                      "COMMIT /* xid=1 */", "BEGIN",
                                      "use `test`; INSERT INTO t VALUES (2)",
                                      "COMMIT /* xid=2 */"])


if __name__ == "__main__":
    unittest.main()
