"""SELECT privilege on every table an expression reads, wherever the
expression is: SET @x = (SELECT ...), SET SESSION var = (SELECT ...), DO,
subqueries in a SELECT list or WHERE, INSERT ... VALUES ((SELECT ...)),
UPDATE ... SET a = (SELECT ...), and SHOW ... WHERE (SELECT ...) (issue 12:
SET @h = (SELECT ... FROM mysql.user) gave a USAGE-only user the password
hashes).

A table the user may not read is refused with 1142 before anything runs or
is assigned, also when the table does not exist (as MariaDB 10.11 does: the
answers below were taken from it; MariaDB words the table `db`.`t`, reptutd
'table' as MySQL 5.7 does). Tables the user may read still work, and a
missing one there is 1146.
"""

import os
import unittest

import pymysql

from harness import Reptutd

SETUP = """
CREATE DATABASE allowed_db;
CREATE TABLE allowed_db.t (id INT PRIMARY KEY, v INT);
INSERT INTO allowed_db.t VALUES (1, 10), (2, 20);
CREATE DATABASE secret_db;
CREATE TABLE secret_db.s (id INT PRIMARY KEY, pw VARCHAR(20));
INSERT INTO secret_db.s VALUES (1, 'hunter2');
CREATE USER usage_only@localhost IDENTIFIED BY 'pw';
CREATE USER dbuser@localhost IDENTIFIED BY 'pw';
GRANT SELECT, INSERT, UPDATE, DELETE ON allowed_db.* TO dbuser@localhost;
"""

# Statements refused with 1142 for the table named, for both users.
READS_SECRET = [
    ("SET @h = (SELECT group_concat(concat(User, ':', Password)) FROM mysql.user)", "user"),
    ("SET @h = (SELECT COUNT(*) FROM mysql.user)", "user"),
    ("SET SESSION wait_timeout = (SELECT COUNT(*) + 100 FROM secret_db.s)", "s"),
    ("SET @@session.wait_timeout = (SELECT COUNT(*) + 100 FROM secret_db.s)", "s"),
    ("SET @b = (SELECT 1 FROM secret_db.nope)", "nope"),
    ("DO (SELECT COUNT(*) FROM secret_db.s)", "s"),
    ("SELECT 1, (SELECT pw FROM secret_db.s LIMIT 1)", "s"),
    ("SELECT pw FROM secret_db.s INTO @x", "s"),
    ("SHOW VARIABLES WHERE (SELECT COUNT(*) FROM secret_db.s) > 0", "s"),
    ("SHOW DATABASES WHERE (SELECT COUNT(*) FROM secret_db.s) > 0", "s"),
]

# Refused with 1142 for dbuser, who may read and write allowed_db.t (the
# USAGE-only user has no current database here: 1046 in MariaDB too).
READS_SECRET_FROM_ALLOWED_DB = [
    "SELECT id FROM t WHERE id IN (SELECT id FROM secret_db.s)",
    "SELECT id FROM t WHERE EXISTS (SELECT 1 FROM secret_db.s WHERE pw LIKE 'h%')",
    "INSERT INTO t VALUES (10, (SELECT COUNT(*) FROM secret_db.s))",
    "INSERT INTO t SELECT id + 100, 0 FROM secret_db.s",
    "UPDATE t SET v = (SELECT COUNT(*) FROM secret_db.s)",
    "DELETE FROM t WHERE id IN (SELECT id FROM secret_db.s)",
]


class PrivilegeOfExpressions(unittest.TestCase):
    @classmethod
    def make_server(cls):
        return Reptutd()

    @classmethod
    def setUpClass(cls):
        cls.server = cls.make_server()
        cls.server.start()
        cls.server.sql(SETUP)

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def connect(self, user, database=None):
        conn = self.server.pymysql(user=user, password="pw", database=database, tcp=False,
                                   autocommit=True)
        self.addCleanup(conn.close)
        return conn

    def assertDenied(self, conn, user, sql, table):
        with conn.cursor() as c:
            with self.assertRaises(pymysql.MySQLError, msg=sql) as cm:
                c.execute(sql)
        code, message = cm.exception.args
        self.assertEqual(code, 1142, f"{sql}: {message}")
        self.assertIn(f"SELECT command denied to user '{user}'@'localhost' for table", message)
        self.assertIn(table, message)

    def query(self, conn, sql):
        with conn.cursor() as c:
            c.execute(sql)
            return c.fetchall()

    def test_usage_only_user_reads_no_table_through_expressions(self):
        conn = self.connect("usage_only")
        for sql, table in READS_SECRET:
            with self.subTest(sql=sql):
                self.assertDenied(conn, "usage_only", sql, table)
        self.assertDenied(conn, "usage_only", "SET @x = (SELECT COUNT(*) FROM allowed_db.t)", "t")
        self.assertDenied(conn, "usage_only", "SET @y = (SELECT 1 FROM allowed_db.nope)", "nope")
        self.assertEqual(self.query(conn, "SELECT @h, @b, @x, @y"), ((None, None, None, None),))

    def test_the_issue_query_leaks_no_hashes(self):
        conn = self.connect("usage_only")
        self.assertDenied(conn, "usage_only",
                          "SET @h=(SELECT group_concat(concat(User,':',Password)) FROM mysql.user)",
                          "user")
        self.assertEqual(self.query(conn, "SELECT @h"), ((None,),))

    def test_user_of_one_database_reads_no_other_through_expressions(self):
        conn = self.connect("dbuser", "allowed_db")
        for sql, table in READS_SECRET:
            with self.subTest(sql=sql):
                self.assertDenied(conn, "dbuser", sql, table)
        for sql in READS_SECRET_FROM_ALLOWED_DB:
            with self.subTest(sql=sql):
                self.assertDenied(conn, "dbuser", sql, "s")
        # Nothing was written or assigned.
        self.assertEqual(self.query(conn, "SELECT id, v FROM t ORDER BY id"), ((1, 10), (2, 20)))
        self.assertEqual(self.query(conn, "SELECT @h, @b, @x"), ((None, None, None),))

    def test_a_refused_value_assigns_none_of_the_statement(self):
        conn = self.connect("dbuser", "allowed_db")
        self.assertDenied(conn, "dbuser", "SET @a = 1, @b = (SELECT pw FROM secret_db.s)", "s")
        self.assertDenied(conn, "dbuser",
                          "SET SESSION wait_timeout = 1234, @c = (SELECT pw FROM secret_db.s)",
                          "s")
        self.assertEqual(self.query(conn, "SELECT @a, @b, @c"), ((None, None, None),))
        self.assertNotEqual(self.query(conn, "SELECT @@session.wait_timeout"), ((1234,),))

    def test_allowed_tables_still_work(self):
        conn = self.connect("dbuser", "allowed_db")
        self.query(conn, "SET @x = (SELECT COUNT(*) FROM allowed_db.t)")
        self.assertEqual(self.query(conn, "SELECT @x"), ((2,),))
        self.query(conn, "SET @s = (SELECT SUM(v) FROM t), @one = 1")
        self.assertEqual(self.query(conn, "SELECT @s, @one"), ((30, 1),))
        self.query(conn, "SET SESSION wait_timeout = (SELECT COUNT(*) + 100 FROM t)")
        self.assertEqual(self.query(conn, "SELECT @@session.wait_timeout"), ((102,),))
        self.query(conn, "DO (SELECT COUNT(*) FROM t)")
        self.assertEqual(self.query(conn, "SELECT 1, (SELECT v FROM t WHERE id = 1)"), ((1, 10),))
        self.assertEqual(
            self.query(conn, "SHOW VARIABLES WHERE Variable_name = 'wait_timeout' "
                             "AND (SELECT COUNT(*) FROM t) > 0"),
            (("wait_timeout", "102"),))
        with conn.cursor() as c:
            with self.assertRaises(pymysql.MySQLError) as cm:
                c.execute("SET @y = (SELECT 1 FROM allowed_db.nope)")
        self.assertEqual(cm.exception.args[0], 1146)

    def test_root_still_reads_everything(self):
        conn = self.server.pymysql(tcp=False, autocommit=True)
        self.addCleanup(conn.close)
        self.query(conn, "SET @h = (SELECT pw FROM secret_db.s)")
        self.assertEqual(self.query(conn, "SELECT @h"), (("hunter2",),))
        self.query(conn, "SET @n = (SELECT COUNT(*) FROM mysql.user WHERE User = 'dbuser')")
        self.assertEqual(self.query(conn, "SELECT @n"), ((1,),))


@unittest.skipUnless(os.environ.get("REPTUT_COMPARE_MARIADB"),
                     "set REPTUT_COMPARE_MARIADB=1 to run the same checks on mariadbd")
class SameOnMariaDB(PrivilegeOfExpressions):
    """The reference: the same tests against Debian's MariaDB."""

    @classmethod
    def make_server(cls):
        from mariadb_server import Mariadbd
        return Mariadbd()


if __name__ == "__main__":
    unittest.main()
