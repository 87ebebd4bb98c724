"""What was committed survives kill -9; what was rolled back or never
committed does not."""

import os
import unittest

from harness import Reptutd, kill_during_writes


class KillNine(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd().start()
        self.addCleanup(self.server.cleanup)

    def test_committed_rows_survive_and_rolled_back_ones_do_not(self):
        s = self.server
        s.sql("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(20))", database="test")
        s.sql("INSERT INTO t VALUES (1, 'autocommit')", database="test")
        s.sql("BEGIN; INSERT INTO t VALUES (2, 'committed'); COMMIT", database="test")
        s.sql("BEGIN; INSERT INTO t VALUES (3, 'rolled back'); ROLLBACK", database="test")
        s.sql("SET autocommit = 0; INSERT INTO t VALUES (4, 'never committed')",
              database="test")
        # A transaction still open when the server dies.
        open_conn = s.pymysql(database="test")
        with open_conn.cursor() as c:
            c.execute("INSERT INTO t VALUES (5, 'open at kill')")
        s.kill9()
        s.start(initialize=False)
        self.assertEqual(s.sql("SELECT id, note FROM t ORDER BY id", database="test"),
                         [["1", "autocommit"], ["2", "committed"]])

    def test_schema_survives(self):
        s = self.server
        s.sql("CREATE DATABASE d; CREATE TABLE d.x (a INT); INSERT INTO d.x VALUES (1),(2);"
              "CREATE USER u@localhost IDENTIFIED BY 'p'")
        s.kill9()
        s.start(initialize=False)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM d.x"), [["2"]])
        self.assertEqual(s.sql("SELECT 1", user="u", password="p"), [["1"]])

    def test_acknowledged_inserts_survive_kill_during_a_stream(self):
        """Without --log-bin the redo log carries what SQLite has not
        committed yet: after each kill every insert a client saw succeed is
        there (once), and the redo log does not pile up."""
        s = self.server
        s.sql("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, w INT, n INT, "
              "UNIQUE KEY (w, n))", database="test")
        acked = set()
        for round_ in range(5):
            acked |= {(round_ * 10 + w, n) for w, n in kill_during_writes(
                s, 3, lambda w, n, r=round_: f"INSERT INTO t (w, n) VALUES ({r * 10 + w}, {n})",
                at_least=50)}
            s.start(initialize=False)
            rows = {(int(w), int(n)) for w, n in s.sql("SELECT w, n FROM t", database="test")}
            self.assertEqual(acked - rows, set(), f"round {round_}: acknowledged, then lost")
            count = s.sql("SELECT COUNT(*), COUNT(DISTINCT id) FROM t", database="test")
            self.assertEqual(count, [[str(len(rows)), str(len(rows))]])
        redo = [f for f in os.listdir(s.datadir) if f.startswith("reptut-redo.0")]
        self.assertLessEqual(len(redo), 2, redo)

if __name__ == "__main__":
    unittest.main()
