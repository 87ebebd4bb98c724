"""COM_STMT_PREPARE runs nothing (issue 12).

Preparing a statement only parses it: several statements in one text are
refused with 1064 near the second one, as MariaDB 10.11 does (whatever
CLIENT_MULTI_STATEMENTS says), a write changes nothing until it is
executed, and the result columns a SELECT announces come from the
statement, not from a run of it (GET_LOCK in the select list is not called
at prepare). The message is the project's ER_PARSE_ERROR text ("MySQL
server version" where MariaDB says "MariaDB"). PyMySQL does not prepare
server-side, so the binary protocol commands go out through its low-level
packet methods.
The SQL-level PREPARE ... FROM is checked for the same two problems."""

import struct
import unittest

import pymysql
from pymysql.constants import CLIENT, COMMAND
from pymysql.protocol import FieldDescriptorPacket

from harness import Reptutd

SYNTAX = ("You have an error in your SQL syntax; check the manual that corresponds to "
          "your MySQL server version for the right syntax to use near '{}' at line {}")


def prepare(conn, sql):
    """COM_STMT_PREPARE: (statement id, column names, parameter count);
    pymysql.err.MySQLError for an ERR answer."""
    conn._execute_command(COMMAND.COM_STMT_PREPARE, sql)
    ok = conn._read_packet().get_all_data()
    assert ok[0] == 0, ok
    stmt_id, ncols, nparams = struct.unpack("<IHH", ok[1:9])
    for _ in range(nparams):
        conn._read_packet()
    if nparams:
        assert conn._read_packet().is_eof_packet()
    names = [conn._read_packet(FieldDescriptorPacket).name for _ in range(ncols)]
    if ncols:
        assert conn._read_packet().is_eof_packet()
    return stmt_id, names, nparams


def execute(conn, stmt_id):
    """COM_STMT_EXECUTE without parameters: the affected row count of an OK,
    or the number of rows of a result set, as ("ok", n) / ("rows", n)."""
    conn._execute_command(COMMAND.COM_STMT_EXECUTE, struct.pack("<IBI", stmt_id, 0, 1))
    first = conn._read_packet()
    if first.is_ok_packet():
        first.advance(1)
        return ("ok", first.read_length_encoded_integer())
    ncols = first.read_length_encoded_integer()
    for _ in range(ncols):
        conn._read_packet()
    assert conn._read_packet().is_eof_packet()
    rows = 0
    while not conn._read_packet().is_eof_packet():
        rows += 1
    return ("rows", rows)


class PrepareRunsNothing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()
        cls.server.sql("CREATE DATABASE p")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.server.sql("DROP TABLE IF EXISTS p.t; CREATE TABLE p.t (id INT PRIMARY KEY, n INT);"
                        "INSERT INTO p.t VALUES (1, 10), (2, 20)")
        self.conns = {
            "single": self.server.pymysql(database="p", autocommit=True),
            "multi": self.server.pymysql(database="p", autocommit=True,
                                         client_flag=CLIENT.MULTI_STATEMENTS),
        }

    def tearDown(self):
        for c in self.conns.values():
            c.close()

    def table(self):
        return self.server.sql("SELECT id, n FROM p.t ORDER BY id")

    def test_several_statements_are_refused_with_1064(self):
        cases = [
            ("SELECT 1; DELETE FROM t", "DELETE FROM t", 1),
            ("SELECT 1;DELETE FROM t", "DELETE FROM t", 1),
            ("SELECT 1 ;  DELETE FROM t;", "DELETE FROM t", 1),
            ("SELECT id FROM t;\nUPDATE t SET n = n + 1", "UPDATE t SET n = n + 1", 2),
            ("UPDATE t SET n = n + 1; SELECT 1", "SELECT 1", 1),
        ]
        for kind, conn in self.conns.items():
            for sql, near, line in cases:
                with self.subTest(kind=kind, sql=sql):
                    with self.assertRaises(pymysql.err.MySQLError) as cm:
                        prepare(conn, sql)
                    self.assertEqual(cm.exception.args[0], 1064)
                    self.assertEqual(cm.exception.args[1], SYNTAX.format(near, line))
                    self.assertEqual(self.table(), [["1", "10"], ["2", "20"]])
                    # The connection goes on.
                    self.assertEqual(prepare(conn, "SELECT 1;")[1], ["1"])
                    self.assertEqual(prepare(conn, "SELECT 1; /* c */")[1], ["1"])

    def test_a_write_happens_once_per_execute_only(self):
        conn = self.conns["multi"]
        stmt_id, names, nparams = prepare(conn, "UPDATE t SET n = n + 1 WHERE id = 1")
        self.assertEqual((names, nparams), ([], 0))
        self.assertEqual(self.table(), [["1", "10"], ["2", "20"]])
        self.assertEqual(execute(conn, stmt_id), ("ok", 1))
        self.assertEqual(self.table(), [["1", "11"], ["2", "20"]])
        self.assertEqual(execute(conn, stmt_id), ("ok", 1))
        self.assertEqual(self.table(), [["1", "12"], ["2", "20"]])
        stmt_id, _, _ = prepare(conn, "DELETE FROM t WHERE id = 2")
        self.assertEqual(self.table(), [["1", "12"], ["2", "20"]])

    def test_select_columns_come_without_a_run(self):
        conn, other = self.conns["single"], self.conns["multi"].cursor()

        def lock_free():
            other.execute("SELECT IS_FREE_LOCK('prep_lock')")
            return other.fetchall()[0][0]

        stmt_id, names, nparams = prepare(
            conn, "SELECT id, n AS m, GET_LOCK('prep_lock', 0) AS g FROM t")
        self.assertEqual((names, nparams), (["id", "m", "g"], 0))
        self.assertEqual(lock_free(), 1)  # GET_LOCK did not run
        self.assertEqual(execute(conn, stmt_id), ("rows", 2))
        self.assertEqual(lock_free(), 0)
        conn.cursor().execute("SELECT RELEASE_LOCK('prep_lock')")
        _, names, nparams = prepare(conn, "SELECT n FROM t WHERE id = ? LIMIT ?")
        self.assertEqual((names, nparams), (["n"], 2))
        self.assertEqual(prepare(conn, "SHOW TABLES")[1], ["Tables_in_p"])

    def test_errors_of_the_statement_come_at_prepare(self):
        conn = self.conns["single"]
        with self.assertRaises(pymysql.err.MySQLError) as cm:
            prepare(conn, "SELECT * FROM missing")
        self.assertEqual(cm.exception.args[0], 1146)
        with self.assertRaises(pymysql.err.MySQLError) as cm:
            prepare(conn, "SELEC 1")
        self.assertEqual(cm.exception.args[0], 1064)

    def test_sql_level_prepare_runs_nothing(self):
        for kind, conn in self.conns.items():
            with self.subTest(kind=kind):
                cur = conn.cursor()
                for sql in ["PREPARE s FROM 'SELECT 1; DELETE FROM t'",
                            "PREPARE s FROM 'UPDATE t SET n = n + 1'"]:
                    with self.assertRaises(pymysql.err.MySQLError):
                        cur.execute(sql)
                    self.assertEqual(self.table(), [["1", "10"], ["2", "20"]])


if __name__ == "__main__":
    unittest.main()
