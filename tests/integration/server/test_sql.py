"""SQL as a replication course uses it: databases side by side, statements
repeated with other values (the statement cache), replaying MariaDB's own
binary logs through mariadb-binlog."""

import os
import subprocess
import unittest

from harness import Reptutd

FIXTURES = os.path.join(os.environ.get("REPTUT_SOURCE", "../../.."), "tests", "fixtures",
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

    def test_functions_people_type(self):
        rows = self.server.sql(
            "SELECT DATE_ADD('2024-01-31', INTERVAL 1 MONTH), "
            "DATE_SUB('2024-03-01 10:00:00', INTERVAL 2 HOUR), '2024-12-31' + INTERVAL 1 DAY, "
            "YEAR('2024-05-06'), DATEDIFF('2024-03-01','2024-02-01'), "
            "DATE_FORMAT('2024-05-06 13:04:05', '%Y/%m/%d %H:%i:%s %W %M'), LPAD('5', 3, '0'), "
            "REPEAT('ab', 3), 'abc' REGEXP '^A', FIND_IN_SET('b','a,b,c'), "
            "SUBSTRING_INDEX('a.b.c', '.', -2), CRC32('hello'), TRUNCATE(1.789, 1), "
            "CONCAT('a', 1, NULL) IS NULL, IFNULL(NULL, 'x'), UNIX_TIMESTAMP('1970-01-02 00:00:00') > 0")
        self.assertEqual(rows, [["2024-02-29", "2024-03-01 08:00:00", "2025-01-01", "2024", "29",
                                 "2024/05/06 13:04:05 Monday May", "005", "ababab", "1", "2",
                                 "b.c", "907060870", "1.7", "1", "x", "1"]])
        self.assertEqual(self.server.sql("SELECT GET_LOCK('l', 1), IS_FREE_LOCK('l'), "
                                         "RELEASE_LOCK('l')"), [["1", "0", "1"]])

    def test_system_variables(self):
        from harness import ClientError
        s = self.server
        self.assertEqual(s.sql("SET GLOBAL sync_binlog = 1; SELECT @@global.sync_binlog"),
                         [["1"]])
        self.assertEqual(s.sql("SET SESSION sql_mode = ''; SET @@session.autocommit = 0;"
                               "SELECT @@sql_mode, @@autocommit"), [["", "0"]])
        self.assertEqual(s.sql("SET autocommit = OFF; SHOW SESSION VARIABLES LIKE 'autocommit'"),
                         [["autocommit", "OFF"]])
        for stmt, code in (("SET @@no_such_variable = 1", 1193),
                           ("SET GLOBAL timestamp = 5", 1228),
                           ("SET server_id = 5", 1229),
                           ("SET GLOBAL version = 'x'", 1238)):
            with self.assertRaises(ClientError) as cm:
                s.sql(stmt)
            self.assertEqual(cm.exception.code, code, stmt)

    def test_unsupported_function_is_a_clear_error(self):
        from harness import ClientError
        with self.assertRaises(ClientError) as cm:
            self.server.sql("SELECT TIMESTAMPDIFF(DAY, '2024-01-01', '2024-01-31')")
        self.assertEqual(cm.exception.code, 1235)
        self.assertIn("TIMESTAMPDIFF", cm.exception.stderr)

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
