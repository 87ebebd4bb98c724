"""The tutorial's statements through the real clients people use: Debian's
mariadb client over TCP and the Unix socket (-e and batch from stdin), and
PyMySQL."""

import unittest

from harness import Reptutd

SEED = """
CREATE USER repl_user@localhost;
GRANT REPLICATION SLAVE ON *.* TO repl_user@localhost IDENTIFIED BY 'xyzzy';
CREATE TABLE tbl (a CHAR(20));
INSERT INTO tbl VALUES ('Yeah! Replication!');
"""


class MariadbClient(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd().start()
        self.addCleanup(self.server.cleanup)

    def test_seed_over_socket_in_batch_mode(self):
        self.server.sql(SEED, database="test", batch_stdin=True)
        self.assertEqual(self.server.sql("SHOW TABLES", database="test"), [["tbl"]])
        self.assertEqual(self.server.sql("SELECT * FROM tbl", database="test"),
                         [["Yeah! Replication!"]])

    def test_seed_over_tcp_with_dash_e(self):
        for stmt in SEED.strip().splitlines():
            self.server.sql(stmt, database="test", tcp=True)
        self.assertEqual(self.server.sql("SELECT a FROM test.tbl", tcp=True),
                         [["Yeah! Replication!"]])

    def test_replication_user_logs_in_over_loopback_tcp(self):
        self.server.sql(SEED, database="test", batch_stdin=True)
        rows = self.server.sql("SELECT CURRENT_USER()", user="repl_user", password="xyzzy",
                               tcp=True)
        self.assertEqual(rows, [["repl_user@localhost"]])
        grants = self.server.sql("SHOW GRANTS", user="repl_user", password="xyzzy", tcp=True)
        self.assertIn("GRANT REPLICATION SLAVE ON *.* TO 'repl_user'@'localhost'", grants[0][0])

    def test_table_output_has_headers(self):
        self.server.sql(SEED, database="test", batch_stdin=True)
        import subprocess
        out = subprocess.run(self.server.client_args(database="test") + ["-t", "-e",
                             "SELECT * FROM tbl"], capture_output=True, text=True, check=True)
        self.assertIn("| a                  |", out.stdout)
        self.assertIn("| Yeah! Replication! |", out.stdout)

    def test_system_variables_and_functions(self):
        rows = self.server.sql("SELECT @@server_id, DATABASE(), CONNECTION_ID() > 0, "
                               "CONCAT('a', 'b'), VERSION()", database="test")
        self.assertEqual(rows[0][:4], ["1", "test", "1", "ab"])
        self.assertTrue(rows[0][4].startswith("5.7."))
        rows = self.server.sql("SHOW VARIABLES LIKE 'server_id'")
        self.assertEqual(rows, [["server_id", "1"]])

    def test_user_variable_used_by_a_later_statement(self):
        self.server.sql("CREATE TABLE t1 (a CHAR(40)); SET @TITLE = 'Post PostModern Man';"
                        "INSERT INTO t1 VALUES (@title); SELECT * FROM t1", database="test")
        self.assertEqual(self.server.sql("SELECT a FROM t1", database="test"),
                         [["Post PostModern Man"]])

    def test_auto_increment_and_last_insert_id(self):
        rows = self.server.sql(
            "CREATE TABLE contacts2 (contact_id INT AUTO_INCREMENT KEY, name VARCHAR(50), "
            "telephone CHAR(16));"
            "INSERT INTO contacts2 (name, telephone) VALUES ('Rusty Osborne', '001-504-838-1234');"
            "INSERT INTO contacts2 VALUES (0, 'B', '2'), (NULL, 'C', '3');"
            "SELECT LAST_INSERT_ID();", database="test")
        self.assertEqual(rows, [["2"]])
        self.assertEqual(self.server.sql("SELECT contact_id, name FROM contacts2 ORDER BY 1",
                                         database="test"),
                         [["1", "Rusty Osborne"], ["2", "B"], ["3", "C"]])

    def test_databases_and_describe(self):
        self.server.sql("CREATE DATABASE shop; CREATE TABLE shop.items (id INT NOT NULL "
                        "PRIMARY KEY, name VARCHAR(30) DEFAULT 'x')")
        self.assertIn(["shop"], self.server.sql("SHOW DATABASES"))
        self.assertEqual(self.server.sql("DESCRIBE shop.items"),
                         [["id", "int(11)", "NO", "PRI", "NULL", ""],
                          ["name", "varchar(30)", "YES", "", "x", ""]])
        self.server.sql("DROP DATABASE shop")
        self.assertNotIn(["shop"], self.server.sql("SHOW DATABASES"))


class PyMySQLClient(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd().start()
        self.addCleanup(self.server.cleanup)

    def test_seed_statements(self):
        conn = self.server.pymysql(database="test", autocommit=True)
        with conn.cursor() as c:
            for stmt in SEED.strip().splitlines():
                c.execute(stmt)
            c.execute("SHOW TABLES")
            self.assertEqual(c.fetchall(), (("tbl",),))
            c.execute("SELECT * FROM tbl")
            self.assertEqual(c.fetchall(), (("Yeah! Replication!",),))
        conn.close()

    def test_types_of_columns(self):
        conn = self.server.pymysql(database="test", autocommit=True)
        with conn.cursor() as c:
            c.execute("CREATE TABLE t (i INT, d DOUBLE, s VARCHAR(10))")
            c.execute("INSERT INTO t VALUES (%s, %s, %s)", (42, 1.5, "x"))
            c.execute("SELECT i, d, s FROM t")
            self.assertEqual(c.fetchall(), ((42, 1.5, "x"),))
        conn.close()

    def test_transactions_commit_and_rollback(self):
        conn = self.server.pymysql(database="test")
        with conn.cursor() as c:
            c.execute("CREATE TABLE t (a INT)")
            c.execute("INSERT INTO t VALUES (1)")
            conn.commit()
            c.execute("INSERT INTO t VALUES (2)")
            conn.rollback()
            c.execute("SELECT a FROM t")
            self.assertEqual(c.fetchall(), ((1,),))
        conn.close()


if __name__ == "__main__":
    unittest.main()
