"""Running statements can be stopped, as in MySQL 5.7 / MariaDB 10.11:
KILL QUERY (1317, the connection stays), KILL (the connection ends),
max_execution_time (3024, SELECT only), max_statement_time (1969), the
client hanging up, and the server's shutdown.

The statement used is a three-way cross join of a 1,000-row table (10^9
rows to count): it runs for minutes unless something stops it. Every wait
here has a bound; none asserts how fast the stop was."""

import socket
import threading
import unittest

import pymysql

from harness import Reptutd, wait_for

LONG_SELECT = "SELECT count(*) FROM big a, big b, big c"


class KillRunningStatements(unittest.TestCase):
    options = None

    def setUp(self):
        self.server = Reptutd(options=self.options).start()
        self.addCleanup(self.server.cleanup)
        values = ",".join(f"({i})" for i in range(1000))
        self.server.sql("CREATE TABLE big (i INT PRIMARY KEY); "
                        f"INSERT INTO big VALUES {values}; "
                        "CREATE TABLE t (id INT PRIMARY KEY, v BIGINT); "
                        "INSERT INTO t VALUES (1, 0)", database="test")
        self.admin = self.connect()

    def connect(self):
        # A bounded read: a statement that is never stopped fails the test
        # instead of hanging it.
        conn = self.server.pymysql(database="test", autocommit=True, read_timeout=120)
        self.addCleanup(lambda: conn.open and conn.close())
        return conn

    def query(self, conn, q):
        with conn.cursor() as c:
            c.execute(q)
            return c.fetchall()

    def in_background(self, conn, *statements):
        """Runs the statements on conn in a thread; the returned dict gets
        'rows' of the last one, or 'error'."""
        result = {}

        def run():
            try:
                for q in statements:
                    result["rows"] = self.query(conn, q)
            except Exception as e:  # reported through result
                result["error"] = e

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        result["thread"] = thread
        return result

    def wait_running(self, conn_id, text):
        """Until SHOW PROCESSLIST shows the connection running `text`."""
        def running():
            for row in self.query(self.admin, "SHOW PROCESSLIST"):
                if row[0] == conn_id and row[4] == "Query" and (row[7] or "").startswith(text):
                    return True
            return False
        wait_for(running, timeout=30, what=f"connection {conn_id} to run {text!r}")

    def error_of(self, result):
        result["thread"].join(60)
        self.assertFalse(result["thread"].is_alive(), "the statement was not stopped")
        self.assertIn("error", result, result.get("rows"))
        return result["error"]

    def listed(self, conn_id):
        return any(r[0] == conn_id for r in self.query(self.admin, "SHOW PROCESSLIST"))

    def test_kill_query_stops_the_select_and_keeps_the_connection(self):
        conn = self.connect()
        result = self.in_background(conn, LONG_SELECT)
        self.wait_running(conn.thread_id(), "SELECT count(*)")
        self.query(self.admin, f"KILL QUERY {conn.thread_id()}")
        e = self.error_of(result)
        self.assertEqual(e.args[0], 1317, e.args)
        self.assertEqual(e.args[1], "Query execution was interrupted")
        # The connection goes on, and the next statement is not killed.
        self.assertEqual(self.query(conn, "SELECT 1"), ((1,),))

    def test_kill_ends_the_connection_running_a_statement(self):
        conn = self.connect()
        conn_id = conn.thread_id()
        result = self.in_background(conn, LONG_SELECT)
        self.wait_running(conn_id, "SELECT count(*)")
        self.query(self.admin, f"KILL {conn_id}")
        e = self.error_of(result)
        # The socket is closed under the client (MariaDB says 1927 first
        # when it can; the client may see only the lost connection).
        self.assertIn(e.args[0], (1927, 2013, 2006), e.args)
        wait_for(lambda: not self.listed(conn_id), timeout=30,
                 what="the killed connection to leave the process list")

    def test_max_execution_time_stops_a_select(self):
        conn = self.connect()
        self.query(conn, "SET SESSION max_execution_time = 200")
        with self.assertRaises(pymysql.err.MySQLError) as cm:
            self.query(conn, LONG_SELECT)
        self.assertEqual(cm.exception.args[0], 3024, cm.exception.args)
        self.assertEqual(cm.exception.args[1], "Query execution was interrupted, "
                         "maximum statement execution time exceeded")
        self.assertEqual(self.query(conn, "SELECT count(*) FROM big"), ((1000,),))

    def test_max_statement_time_stops_a_statement(self):
        conn = self.connect()
        self.query(conn, "SET max_statement_time = 0.2")
        self.assertEqual(self.query(conn, "SELECT @@max_statement_time"), (("0.200000",),))
        with self.assertRaises(pymysql.err.MySQLError) as cm:
            self.query(conn, LONG_SELECT)
        self.assertEqual(cm.exception.args[0], 1969, cm.exception.args)
        self.query(conn, "SET max_statement_time = 0")
        self.assertEqual(self.query(conn, "SELECT 2"), ((2,),))

    def test_a_client_that_hangs_up_stops_its_statement(self):
        conn = self.connect()
        conn_id = conn.thread_id()
        result = self.in_background(conn, LONG_SELECT)
        self.wait_running(conn_id, "SELECT count(*)")
        conn._sock.shutdown(socket.SHUT_RDWR)
        self.error_of(result)
        wait_for(lambda: not self.listed(conn_id), timeout=30,
                 what="the statement of a client that hung up to stop")

    def test_kill_query_of_the_first_write_of_a_transaction(self):
        conn = self.connect()
        result = self.in_background(
            conn, "BEGIN",
            f"UPDATE t SET v = ({LONG_SELECT}) WHERE id = 1")
        self.wait_running(conn.thread_id(), "UPDATE t SET v")
        self.query(self.admin, f"KILL QUERY {conn.thread_id()}")
        e = self.error_of(result)
        self.assertEqual(e.args[0], 1317, e.args)
        # The transaction goes on, without the statement.
        self.query(conn, "INSERT INTO t VALUES (2, 2)")
        self.query(conn, "COMMIT")
        self.assertEqual(self.query(self.admin, "SELECT id, v FROM t ORDER BY id"),
                         ((1, 0), (2, 2)))

    def test_shutdown_stops_a_running_statement(self):
        conn = self.connect()
        result = self.in_background(conn, LONG_SELECT)
        self.wait_running(conn.thread_id(), "SELECT count(*)")
        self.assertEqual(self.server.stop(timeout=60), 0, self.server.read_log())
        self.error_of(result)


if __name__ == "__main__":
    unittest.main()
