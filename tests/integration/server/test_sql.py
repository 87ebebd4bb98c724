"""SQL as a replication course uses it: databases side by side, statements
repeated with other values (the statement cache), replaying MariaDB's own
binary logs through mariadb-binlog."""

import os
import subprocess
import unittest

from harness import Reptutd

FIXTURES = os.path.join(os.environ.get("REPTUT_SOURCE", "../../.."), "..", "shared", "fixtures",
                        "mariadb-10.11")


class Sql(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_same_table_name_in_two_databases(self):
        s = self.server
        s.sql("CREATE DATABASE a; CREATE DATABASE b; CREATE TABLE a.t (x INT);"
              "CREATE TABLE b.t (x INT); INSERT INTO a.t VALUES (1); INSERT INTO b.t VALUES (2)")
        self.assertEqual(s.sql("SELECT x FROM t", database="b"), [["2"]])
        self.assertEqual(s.sql("SELECT t.x FROM t", database="a"), [["1"]])
        s.sql("START TRANSACTION; INSERT INTO b.t VALUES (3); UPDATE t SET x = 10; COMMIT",
              database="a")
        self.assertEqual(s.sql("SELECT x FROM a.t"), [["10"]])
        self.assertEqual(s.sql("SELECT x FROM b.t ORDER BY x"), [["2"], ["3"]])

    def test_repeated_statement_shapes_keep_their_values(self):
        s = self.server
        conn = s.pymysql(database="test", autocommit=True)
        with conn.cursor() as c:
            c.execute("CREATE TABLE shapes (id INT AUTO_INCREMENT PRIMARY KEY, k INT, v CHAR(10))")
            for i in range(20):
                c.execute(f"INSERT INTO shapes (id, k, v) VALUES (0, {i * 3}, 'v{i}')")
            self.assertEqual(c.lastrowid, 20)
            for i in range(20):
                c.execute(f"SELECT v FROM shapes WHERE id = {i + 1}")
                self.assertEqual(c.fetchall(), ((f"v{i}",),))
            c.execute("SELECT id FROM shapes WHERE k BETWEEN 3 AND 9 ORDER BY 1 DESC LIMIT 2")
            self.assertEqual(c.fetchall(), ((4,), (3,)))
            c.execute("SELECT 1 + 1, 'x'")
            self.assertEqual(c.fetchall(), ((2, "x"),))
            self.assertEqual([d[0] for d in c.description], ["1 + 1", "x"])
            c.execute("UPDATE shapes SET v = 'changed' WHERE id = 5")
            c.execute("DELETE FROM shapes WHERE id > 18")
            c.execute("SELECT COUNT(*), SUM(v = 'changed') FROM shapes")
            self.assertEqual(c.fetchall(), ((18, 1),))
            for k in (3, 6):  # the second run comes from the cache
                c.execute(f"SELECT COUNT(*)  AS n, MAX(k)+1 FROM shapes WHERE k > {k}")
                self.assertEqual([d[0] for d in c.description], ["n", "MAX(k)+1"])
        conn.close()

    def test_replaying_mariadb_binary_logs(self):
        files = [os.path.join(FIXTURES, "mysql-bin.000001"),
                 os.path.join(FIXTURES, "mysql-bin.000002.after-shutdown")]
        dump = subprocess.run(["mariadb-binlog", *files], capture_output=True, text=True,
                              check=True)
        load = subprocess.run(self.server.client_args(), input=dump.stdout, capture_output=True,
                              text=True)
        self.assertEqual(load.returncode, 0, load.stderr)
        rows = self.server.sql("SELECT COUNT(*) FROM fx.t1")
        self.assertGreater(int(rows[0][0]), 0)


if __name__ == "__main__":
    unittest.main()
