"""Many sessions at once: concurrent writers lose nothing, and FLUSH TABLES
WITH READ LOCK holds other sessions' writes until UNLOCK TABLES."""

import threading
import unittest

from harness import Reptutd, wait_for


class Concurrency(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd().start()
        self.addCleanup(self.server.cleanup)
        self.server.sql("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, worker INT, n INT)",
                        database="test")

    def test_32_connections_insert_1000_rows_each(self):
        errors = []

        def worker(w):
            try:
                conn = self.server.pymysql(database="test", autocommit=True)
                with conn.cursor() as c:
                    for n in range(1000):
                        c.execute("INSERT INTO t (worker, n) VALUES (%s, %s)", (w, n))
                conn.close()
            except Exception as e:  # reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(32)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(300)
        self.assertEqual(errors, [])
        self.assertEqual(self.server.sql("SELECT COUNT(*), COUNT(DISTINCT id) FROM t",
                                         database="test"), [["32000", "32000"]])

    def test_concurrent_writers_with_failing_statements(self):
        """Statements that run in one group commit: a failing one is undone
        alone, the others commit, each session sees its own LAST_INSERT_ID."""
        self.server.sql("CREATE TABLE u (k INT PRIMARY KEY, worker INT)", database="test")
        results = {}

        def worker(w):
            conn = self.server.pymysql(database="test", autocommit=True)
            dups, mismatched = 0, 0
            with conn.cursor() as c:
                for n in range(300):
                    key = w * 1000 + (n - 1 if n % 5 == 4 else n)  # every 5th repeats a key
                    try:
                        c.execute("INSERT INTO u (k, worker) VALUES (%s, %s)", (key, w))
                    except Exception as e:
                        if e.args[0] == 1062:
                            dups += 1
                            continue
                        raise
                    c.execute("INSERT INTO t (worker, n) VALUES (%s, %s)", (w, n))
                    c.execute("SELECT worker, n FROM t WHERE id = LAST_INSERT_ID()")
                    if c.fetchone() != (w, n):
                        mismatched += 1
            conn.close()
            results[w] = (dups, mismatched)

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(300)
        self.assertEqual(results, {w: (60, 0) for w in range(8)})
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM u", database="test"), [["1920"]])
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM t", database="test"), [["1920"]])

    def test_writers_to_more_databases_than_sqlite_attaches(self):
        """Twelve databases written at once (SQLite attaches at most ten to
        one connection): every insert lands, none fails."""
        names = [f"db{i:02d}" for i in range(12)]
        self.server.sql("; ".join(f"CREATE DATABASE {n}; CREATE TABLE {n}.t (a INT)"
                                  for n in names))
        errors = []

        def worker(name):
            try:
                conn = self.server.pymysql(database=name, autocommit=True)
                with conn.cursor() as c:
                    for n in range(150):
                        c.execute("INSERT INTO t VALUES (%s)", (n,))
                conn.close()
            except Exception as e:  # reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=worker, args=(n,)) for n in names]
        for th in threads:
            th.start()
        for th in threads:
            th.join(120)
        self.assertEqual(errors, [])
        for n in names:
            self.assertEqual(self.server.sql(f"SELECT COUNT(*) FROM {n}.t"), [["150"]], n)

    def test_read_lock_blocks_inserts_until_unlock(self):
        locker = self.server.pymysql(database="test", autocommit=True)
        with locker.cursor() as c:
            c.execute("FLUSH TABLES WITH READ LOCK")
        done = threading.Event()
        result = {}

        def insert():
            try:
                conn = self.server.pymysql(database="test", autocommit=True)
                with conn.cursor() as c:
                    c.execute("INSERT INTO t (worker, n) VALUES (1, 1)")
                conn.close()
                result["ok"] = True
            except Exception as e:
                result["error"] = repr(e)
            done.set()

        th = threading.Thread(target=insert)
        th.start()
        # The insert is seen waiting for the lock, and has not finished.
        wait_for(lambda: ["Waiting for global read lock"] in
                 [[r[6]] for r in self.server.sql("SHOW PROCESSLIST")],
                 what="the INSERT to wait for the global read lock")
        self.assertFalse(done.is_set())
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM t", database="test"), [["0"]])
        with locker.cursor() as c:
            c.execute("UNLOCK TABLES")
        self.assertTrue(done.wait(10))
        th.join()
        self.assertEqual(result, {"ok": True})
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM t", database="test"), [["1"]])
        locker.close()

    def test_lock_holder_cannot_write_and_disconnect_releases(self):
        locker = self.server.pymysql(database="test", autocommit=True)
        with locker.cursor() as c:
            c.execute("FLUSH TABLES WITH READ LOCK")
            import pymysql
            with self.assertRaises(pymysql.MySQLError) as cm:
                c.execute("INSERT INTO t (worker, n) VALUES (1, 1)")
            self.assertEqual(cm.exception.args[0], 1223)
        locker.close()
        # The lock went with the connection: a write goes through.
        wait_for(lambda: self.server.sql("INSERT INTO t (worker, n) VALUES (2, 2)",
                                         database="test") == [],
                 what="the write after the lock holder left")


if __name__ == "__main__":
    unittest.main()
