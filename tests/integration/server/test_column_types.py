"""Declared column types are enforced as MySQL 5.7 / MariaDB 10.11 enforce
them: in strict mode (the default sql_mode) a value that does not fit is
refused with MySQL's error, and nothing of the statement is stored; without
strict mode (or with INSERT IGNORE) it is cut or clipped and the statement
warns. Every expected value here is what MariaDB 10.11 answers for the same
statement. A real MariaDB replica of such a master holds the same rows."""

import datetime
import decimal
import os
import subprocess
import sys
import unittest

import pymysql

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))

from harness import Reptutd  # noqa: E402
from mariadb_server import Mariadbd  # noqa: E402
from replication_harness import start_replication, sync  # noqa: E402

TABLE = ("CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(3), i INT NOT NULL"
         " DEFAULT 0, u INT UNSIGNED, d DATE, e ENUM('a','b'), m DECIMAL(5,2), dt DATETIME,"
         " s SET('x','y'), y YEAR, b BINARY(3))")


class Base(unittest.TestCase):

    def new_server(self, options=None, server_id=1):
        s = Reptutd(name=f"server{server_id}", server_id=server_id, options=options)
        self.addCleanup(s.cleanup)
        return s.start()

    def connect(self, server):
        conn = server.pymysql(database="test", autocommit=True)
        self.addCleanup(conn.close)
        return conn

    def run_sql(self, conn, q, args=None):
        with conn.cursor() as c:
            c.execute(q, args)
            return c.fetchall()

    def refused(self, conn, q):
        """The error (code, message) of a statement that must fail."""
        with self.assertRaises(pymysql.err.MySQLError) as cm:
            self.run_sql(conn, q)
        return cm.exception.args[0], cm.exception.args[1]

    def warnings(self, conn):
        return [(w[0], int(w[1]), w[2]) for w in self.run_sql(conn, "SHOW WARNINGS")]


class StrictMode(Base):

    def setUp(self):
        self.server = self.new_server()
        self.conn = self.connect(self.server)
        self.run_sql(self.conn, TABLE)

    def test_the_issues_values_are_refused_with_mysqls_errors(self):
        cases = [
            ("INSERT INTO t (v) VALUES ('abcdef')",
             1406, "Data too long for column 'v' at row 1"),
            ("INSERT INTO t (i) VALUES ('abc')",
             1366, "Incorrect integer value: 'abc' for column `test`.`t`.`i` at row 1"),
            ("INSERT INTO t (u) VALUES (-5)",
             1264, "Out of range value for column 'u' at row 1"),
            ("INSERT INTO t (d) VALUES ('2020-13-45')",
             1292, "Incorrect date value: '2020-13-45' for column `test`.`t`.`d` at row 1"),
            ("INSERT INTO t (e) VALUES ('zzz')",
             1265, "Data truncated for column 'e' at row 1"),
            ("INSERT INTO t (m) VALUES (12345.678)",
             1264, "Out of range value for column 'm' at row 1"),
            ("INSERT INTO t (i) VALUES ('12abc')",
             1265, "Data truncated for column 'i' at row 1"),
            ("INSERT INTO t (dt) VALUES ('2020-01-05 25:00:00')",
             1292, "Incorrect datetime value: '2020-01-05 25:00:00' for column `test`.`t`.`dt`"
                   " at row 1"),
        ]
        for q, code, message in cases:
            with self.subTest(q):
                self.assertEqual(self.refused(self.conn, q), (code, message))
        self.assertEqual(self.run_sql(self.conn, "SELECT COUNT(*) FROM t"), ((0,),))

    def test_a_bad_row_fails_the_whole_statement(self):
        self.assertEqual(self.refused(self.conn, "INSERT INTO t (v) VALUES ('ok'), ('toolong')"),
                         (1406, "Data too long for column 'v' at row 2"))
        self.assertEqual(self.refused(self.conn, "INSERT INTO t (v) SELECT 'abcd'"),
                         (1406, "Data too long for column 'v' at row 1"))
        self.assertEqual(self.refused(self.conn, "INSERT INTO t (v) VALUES (CONCAT('ab', 'cd'))"),
                         (1406, "Data too long for column 'v' at row 1"))
        self.assertEqual(self.run_sql(self.conn, "SELECT COUNT(*) FROM t"), ((0,),))

    def test_a_column_the_table_lacks_is_1054(self):
        for q in ["INSERT INTO t (id, zz) VALUES (1, 2)", "INSERT INTO t (id, zz) SELECT 1, 2"]:
            self.assertEqual(self.refused(self.conn, q),
                             (1054, "Unknown column 'zz' in 'INSERT INTO'"))

    def test_update_checks_the_rows_it_changes(self):
        self.run_sql(self.conn, "INSERT INTO t (id, v) VALUES (1, 'ab'), (2, 'cd')")
        # No row matches: nothing to refuse.
        self.run_sql(self.conn, "UPDATE t SET v = 'toolong' WHERE id = 99")
        self.assertEqual(self.refused(self.conn, "UPDATE t SET v = CONCAT(v, 'zz') WHERE id = 1"),
                         (1406, "Data too long for column 'v' at row 1"))
        self.assertEqual(self.refused(
            self.conn, "INSERT INTO t (id, v) VALUES (1, 'x') ON DUPLICATE KEY UPDATE v = 'long'"),
            (1406, "Data too long for column 'v' at row 1"))
        self.assertEqual(self.run_sql(self.conn, "SELECT v FROM t ORDER BY id"),
                         (("ab",), ("cd",)))

    def test_variables_and_repeated_statements_are_checked_too(self):
        self.run_sql(self.conn, "SET @x = 'toolong'")
        self.assertEqual(self.refused(self.conn, "INSERT INTO t (v) VALUES (@x)"),
                         (1406, "Data too long for column 'v' at row 1"))
        # Statements of one shape run from the statement cache, with their
        # literals bound: the same checks.
        for k in range(5):
            self.run_sql(self.conn, "INSERT INTO t (v, d) VALUES ('v%d', '2020-1-%d')" % (k, k + 1))
        self.assertEqual(self.refused(self.conn, "INSERT INTO t (v, d) VALUES ('v55', '2020-1-32')"),
                         (1292, "Incorrect date value: '2020-1-32' for column `test`.`t`.`d` at"
                                " row 1"))
        self.assertEqual(self.refused(self.conn, "INSERT INTO t (v, d) VALUES ('v555', '2020-1-3')"),
                         (1406, "Data too long for column 'v' at row 1"))
        self.assertEqual(self.run_sql(self.conn, "SELECT v, d FROM t ORDER BY id LIMIT 2"),
                         (("v0", datetime.date(2020, 1, 1)), ("v1", datetime.date(2020, 1, 2))))
        self.assertEqual(self.run_sql(self.conn, "SELECT COUNT(*) FROM t"), ((5,),))

    def test_server_side_prepared_statements_are_checked(self):
        # DBD::MariaDB with mariadb_server_prepare: COM_STMT_PREPARE and
        # COM_STMT_EXECUTE with bound parameters.
        script = (
            "use DBI; my $dbh = DBI->connect('DBI:MariaDB:database=test;host=127.0.0.1;port='"
            " . $ARGV[0] . ';mariadb_server_prepare=1', 'root', '', {PrintError => 0});"
            " my $st = $dbh->prepare('INSERT INTO t (v, d, i) VALUES (?, ?, ?)');"
            " for my $r (['ab', '2020-1-2', 5], ['abcd', '2020-01-02', 1],"
            "            ['ab', '2020-13-01', 1], ['ab', '2020-01-01', 'x']) {"
            "   print(($st->execute(@$r) ? 'ok' : $dbh->err . ' ' . $dbh->errstr), \"\\n\"); }"
        )
        r = subprocess.run(["perl", "-e", script, str(self.server.port)], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), [
            "ok",
            "1406 Data too long for column 'v' at row 1",
            "1292 Incorrect date value: '2020-13-01' for column `test`.`t`.`d` at row 1",
            "1366 Incorrect integer value: 'x' for column `test`.`t`.`i` at row 1"])
        self.assertEqual(self.run_sql(self.conn, "SELECT v, d, i FROM t"),
                         (("ab", datetime.date(2020, 1, 2), 5),))

    def test_values_are_stored_as_mysql_stores_them(self):
        self.run_sql(self.conn, "INSERT INTO t (id, v, i, d, e, m, dt, s, y, b) VALUES "
                     "(1, 'ab   ', '1.5', '2020-1-5', 'B', 123.456, '20200105101112', 'y,x',"
                     " 69, 'ab')")
        self.assertEqual(self.warnings(self.conn), [
            ("Note", 1265, "Data truncated for column 'v' at row 1"),
            ("Note", 1265, "Data truncated for column 'm' at row 1")])
        self.assertEqual(self.run_sql(
            self.conn, "SELECT v, i, d, e, m, dt, s, y, HEX(b) FROM t"),
            (("ab ", 2, datetime.date(2020, 1, 5), "b", decimal.Decimal("123.46"),
              datetime.datetime(2020, 1, 5, 10, 11, 12), "x,y", 2069, "616200"),))


class NonStrictMode(Base):

    def setUp(self):
        self.server = self.new_server()
        self.conn = self.connect(self.server)
        self.run_sql(self.conn, TABLE)

    def test_values_are_cut_with_a_warning(self):
        self.run_sql(self.conn, "SET sql_mode = ''")
        self.run_sql(self.conn, "INSERT INTO t (id, v, i, u, d, e, m) VALUES "
                     "(1, 'abcdef', 'abc', -5, '2020-13-45', 'zzz', 12345.678)")
        # (MariaDB lists them in column order; reptutd lists the literals'
        # first, then the values computed as the row is written.)
        self.assertEqual(sorted(self.warnings(self.conn)), sorted([
            ("Warning", 1265, "Data truncated for column 'v' at row 1"),
            ("Warning", 1366, "Incorrect integer value: 'abc' for column `test`.`t`.`i` at row 1"),
            ("Warning", 1264, "Out of range value for column 'u' at row 1"),
            ("Warning", 1265, "Data truncated for column 'd' at row 1"),
            ("Warning", 1265, "Data truncated for column 'e' at row 1"),
            ("Warning", 1264, "Out of range value for column 'm' at row 1")]))
        self.assertEqual(self.run_sql(self.conn, "SELECT v, i, u, CAST(d AS CHAR), e, m FROM t"),
                         (("abc", 0, 0, "0000-00-00", "", decimal.Decimal("999.99")),))

    def test_insert_ignore_warns_in_strict_mode(self):
        self.run_sql(self.conn, "INSERT IGNORE INTO t (id, v) VALUES (1, 'abcdef'), (2, 'xyzw')")
        self.assertEqual(self.warnings(self.conn), [
            ("Warning", 1265, "Data truncated for column 'v' at row 1"),
            ("Warning", 1265, "Data truncated for column 'v' at row 2")])
        self.run_sql(self.conn, "UPDATE IGNORE t SET v = CONCAT(v, 'zzzz') WHERE id = 1")
        self.assertEqual(self.run_sql(self.conn, "SELECT v FROM t ORDER BY id"),
                         (("abc",), ("xyz",)))


class AlterTable(Base):

    def test_a_changed_type_converts_the_rows_as_mariadb(self):
        server = self.new_server()
        conn = self.connect(server)
        self.run_sql(conn, "CREATE TABLE al (id INT PRIMARY KEY, v VARCHAR(5), i VARCHAR(10))")
        self.run_sql(conn, "INSERT INTO al VALUES (1, 'abcd', '12'), (2, 'ab', 'x')")
        self.assertEqual(self.refused(conn, "ALTER TABLE al MODIFY v VARCHAR(3)"),
                         (1265, "Data truncated for column 'v' at row 1"))
        self.assertEqual(self.refused(conn, "ALTER TABLE al MODIFY i INT"),
                         (1292, "Truncated incorrect INTEGER value: 'x'"))
        # Refused: the table is as it was.
        self.assertEqual(self.run_sql(conn, "SHOW CREATE TABLE al")[0][1].count("varchar(5)"), 1)
        self.run_sql(conn, "SET sql_mode = ''")
        self.run_sql(conn, "ALTER TABLE al MODIFY v VARCHAR(3)")
        self.assertEqual(self.warnings(conn),
                         [("Warning", 1265, "Data truncated for column 'v' at row 1")])
        self.assertEqual(self.run_sql(conn, "SELECT v FROM al ORDER BY id"), (("abc",), ("ab",)))


class Replication(Base):

    def test_a_mariadb_replica_holds_the_same_rows(self):
        master = self.new_server({"log-bin": "master-bin"})
        replica = Mariadbd(name="replica", server_id=2, options={"skip-slave-start": None})
        self.addCleanup(replica.cleanup)
        replica.start()
        start_replication(replica, master)
        master.sql("CREATE DATABASE cv")
        conn = master.pymysql(database="cv", autocommit=True)
        self.addCleanup(conn.close)
        self.run_sql(conn, TABLE)
        # Refused on the master: never logged, so never sent.
        self.refused(conn, "INSERT INTO t (id, v) VALUES (1, 'abcdef')")
        # Cut on the master: the replica, under the event's sql_mode, cuts
        # the same way.
        self.run_sql(conn, "SET sql_mode = ''")
        self.run_sql(conn, "INSERT INTO t (id, v, i, d, e, m) VALUES "
                     "(2, 'abcdef', 'abc', '2020-13-45', 'zzz', 12345.678)")
        self.run_sql(conn, "SET sql_mode = DEFAULT")
        self.run_sql(conn, "INSERT INTO t (id, v, d, dt) VALUES (3, 'ab', '2020-1-5', 20200105)")
        sync(replica, master)
        q = "SELECT id, v, i, CAST(d AS CHAR), e, m, dt FROM cv.t ORDER BY id"
        replica_conn = replica.pymysql(autocommit=True)
        self.addCleanup(replica_conn.close)
        self.assertEqual(self.run_sql(replica_conn, q), self.run_sql(conn, q))
        self.assertEqual(len(self.run_sql(conn, q)), 2)


if __name__ == "__main__":
    unittest.main()
