"""Values reptutd used to get silently wrong, checked against what MariaDB
10.11 answers (the same tests run on a mariadbd with REPTUT_COMPARE_MARIADB=1):

- FOUND_ROWS() after SELECT SQL_CALC_FOUND_ROWS ... LIMIT is the count of the
  rows without the LIMIT; after any other SELECT the rows it returned.
- A multi-row INSERT (VALUES or SELECT) failing on a unique key names the
  duplicate value in its 1062 message, also for a UNIQUE key on a string
  column and a key of two columns ('a-b'), and leaves the table as it was.
"""

import os
import sys
import unittest

import pymysql

from harness import Reptutd

SETUP = """
CREATE TABLE t (id INT PRIMARY KEY, v INT);
INSERT INTO t VALUES (1, 10), (2, 20), (3, 30), (4, 40), (5, 50);
CREATE TABLE names (id INT PRIMARY KEY, name VARCHAR(20), UNIQUE KEY uname (name));
INSERT INTO names VALUES (1, 'ann');
CREATE TABLE pairs (a VARCHAR(10), b INT, UNIQUE KEY ab (a, b));
INSERT INTO pairs VALUES ('x', 1);
CREATE TABLE src (id INT);
INSERT INTO src VALUES (100), (101), (100);
"""


class Values(unittest.TestCase):
    @classmethod
    def make_server(cls):
        return Reptutd()

    @classmethod
    def setUpClass(cls):
        cls.server = cls.make_server()
        cls.server.start()
        cls.server.sql("CREATE DATABASE vals")
        cls.server.sql(SETUP, database="vals")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.conn = self.server.pymysql(database="vals", autocommit=True)

    def tearDown(self):
        self.conn.close()

    def rows(self, sql):
        with self.conn.cursor() as c:
            c.execute(sql)
            return c.fetchall()

    def found_rows(self):
        return self.rows("SELECT FOUND_ROWS()")[0][0]

    def error_of(self, sql):
        with self.conn.cursor() as c:
            with self.assertRaises(pymysql.MySQLError) as cm:
                c.execute(sql)
        return cm.exception.args[0], cm.exception.args[1]

    # ---- FOUND_ROWS ----

    def test_calc_found_rows_counts_without_the_limit(self):
        self.assertEqual(self.rows("SELECT SQL_CALC_FOUND_ROWS id FROM t ORDER BY id LIMIT 2"),
                         ((1,), (2,)))
        self.assertEqual(self.found_rows(), 5)
        # SELECT FOUND_ROWS() is a SELECT of one row.
        self.assertEqual(self.found_rows(), 1)
        self.rows("SELECT SQL_CALC_FOUND_ROWS id FROM t WHERE id > 1 ORDER BY id LIMIT 1, 2")
        self.assertEqual(self.found_rows(), 4)
        self.rows("SELECT SQL_CALC_FOUND_ROWS v FROM t WHERE v > 15 AND v < 45 LIMIT 1")
        self.assertEqual(self.found_rows(), 3)
        self.rows("SELECT SQL_CALC_FOUND_ROWS id FROM t UNION ALL SELECT id FROM t LIMIT 3")
        self.assertEqual(self.found_rows(), 10)
        self.rows("SELECT SQL_CALC_FOUND_ROWS id FROM t")
        self.assertEqual(self.found_rows(), 5)

    def test_found_rows_without_calc_is_the_rows_returned(self):
        self.assertEqual(len(self.rows("SELECT * FROM t LIMIT 2")), 2)
        self.assertEqual(self.found_rows(), 2)
        self.rows("SELECT * FROM t WHERE id > 10")
        self.assertEqual(self.found_rows(), 0)

    # ---- 1062 of a multi-row INSERT ----

    def test_duplicate_within_the_rows_is_named(self):
        self.assertEqual(self.error_of("INSERT INTO t (id) VALUES (15), (16), (15)"),
                         (1062, "Duplicate entry '15' for key 'PRIMARY'"))
        self.assertEqual(self.rows("SELECT COUNT(*) FROM t"), ((5,),))

    def test_duplicate_of_a_stored_row_is_named(self):
        self.assertEqual(self.error_of("INSERT INTO t VALUES (20, 0), (3, 0), (21, 0)"),
                         (1062, "Duplicate entry '3' for key 'PRIMARY'"))
        self.assertEqual(self.rows("SELECT COUNT(*) FROM t"), ((5,),))

    def test_duplicate_on_a_unique_string_key_is_named(self):
        self.assertEqual(
            self.error_of("INSERT INTO names VALUES (2, 'bob'), (3, 'cy'), (4, 'bob')"),
            (1062, "Duplicate entry 'bob' for key 'uname'"))
        self.assertEqual(self.error_of("INSERT INTO names (name, id) VALUES ('dee', 5), ('ann', 6)"),
                         (1062, "Duplicate entry 'ann' for key 'uname'"))
        self.assertEqual(self.rows("SELECT name FROM names"), (("ann",),))

    def test_duplicate_on_a_two_column_key_is_named(self):
        self.assertEqual(self.error_of("INSERT INTO pairs VALUES ('y', 1), ('x', 1)"),
                         (1062, "Duplicate entry 'x-1' for key 'ab'"))

    def test_duplicate_of_insert_select_is_named(self):
        self.assertEqual(self.error_of("INSERT INTO t (id) SELECT id FROM src"),
                         (1062, "Duplicate entry '100' for key 'PRIMARY'"))
        self.assertEqual(self.error_of("INSERT INTO t (id, v) SELECT id - 98, 0 FROM src"),
                         (1062, "Duplicate entry '2' for key 'PRIMARY'"))
        self.assertEqual(self.rows("SELECT COUNT(*) FROM t"), ((5,),))

    # ---- VALUES (), () ----

    def test_empty_rows_insert_default_rows(self):
        self.rows("CREATE TABLE d (id INT AUTO_INCREMENT PRIMARY KEY, v INT DEFAULT 7)")
        with self.conn.cursor() as c:
            self.assertEqual(c.execute("INSERT INTO d VALUES (), (), ()"), 3)
            self.assertEqual(c.lastrowid, 1)
            self.assertEqual(c.execute("INSERT INTO d () VALUES (), ()"), 2)
            self.assertEqual(c.lastrowid, 4)
        self.assertEqual(self.rows("SELECT id, v FROM d"), ((1, 7), (2, 7), (3, 7), (4, 7), (5, 7)))
        self.assertEqual(self.rows("SELECT LAST_INSERT_ID()"), ((4,),))


class ValuesReplicate(unittest.TestCase):
    """A reptutd replica of a reptutd master ends with the same rows."""

    def test_default_rows_replicate_identically(self):
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                        "replication"))
        from replication_harness import new_server, start_replication, sync
        master = new_server(self, "master", 1, {"log-bin": "master-bin"}).start()
        slave = new_server(self, "slave", 2, {"relay-log": "slave-relay-bin"},
                           root=master.root).start()
        start_replication(slave, master)
        master.sql("CREATE TABLE d (id INT AUTO_INCREMENT PRIMARY KEY, v INT DEFAULT 7);"
                   "INSERT INTO d VALUES (), ();"
                   "SET SESSION auto_increment_increment = 5; INSERT INTO d VALUES (), (), ();"
                   "CREATE TABLE k (id INT PRIMARY KEY); INSERT INTO k VALUES (1), (2)",
                   database="test")
        with self.assertRaises(Exception):
            master.sql("INSERT INTO k VALUES (3), (1)", database="test")
        sync(slave, master)
        for table in ("d", "k"):
            query = f"SELECT * FROM {table} ORDER BY id"
            self.assertEqual(slave.sql(query, database="test"),
                             master.sql(query, database="test"))
        self.assertEqual([tuple(r) for r in master.sql("SELECT id FROM d", database="test")],
                         [("1",), ("2",), ("6",), ("11",), ("16",)])


@unittest.skipUnless(os.environ.get("REPTUT_COMPARE_MARIADB"),
                     "set REPTUT_COMPARE_MARIADB=1 to run the same tests on mariadbd")
class SameOnMariaDB(Values):
    @classmethod
    def make_server(cls):
        from mariadb_server import Mariadbd
        return Mariadbd()


if __name__ == "__main__":
    unittest.main()
