"""Long statements are parsed in time proportional to their length: a
2 MB chain of additions used to take minutes (each operator copied the
text parsed so far). A chain deeper than SQLite's expression limit is
refused with its message; a long IN list is answered. Every read here has
a bound; none asserts a time."""

import unittest

import pymysql

from harness import Reptutd


class LongStatements(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()
        cls.conn = cls.server.pymysql(database="test", autocommit=True, read_timeout=60)
        with cls.conn.cursor() as c:
            c.execute("CREATE TABLE t (id INT PRIMARY KEY)")
            c.execute("INSERT INTO t VALUES " + ",".join(f"({i})" for i in range(1000)))

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        cls.server.cleanup()

    def query(self, q):
        with self.conn.cursor() as c:
            c.execute(q)
            return c.fetchall()

    def test_a_chain_of_a_million_operators_is_refused_at_once(self):
        for op in ("+", " AND ", " OR ", "*"):
            with self.subTest(op=op):
                with self.assertRaises(pymysql.err.MySQLError) as cm:
                    self.query("SELECT 1" + (op + "1") * 500000)
                self.assertIn("Expression tree is too large", cm.exception.args[1])
                # The connection is still there.
                self.assertEqual(self.query("SELECT 1"), ((1,),))

    def test_a_chain_within_the_limit_is_computed(self):
        self.assertEqual(self.query("SELECT 1" + "+1" * 900), ((901,),))

    def test_an_in_list_of_100000_values(self):
        values = ",".join(str(i) for i in range(0, 200000, 2))
        self.assertEqual(self.query(f"SELECT count(*) FROM t WHERE id IN ({values})"),
                         ((500,),))


if __name__ == "__main__":
    unittest.main()
