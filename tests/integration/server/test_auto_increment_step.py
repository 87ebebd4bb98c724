"""auto_increment_increment and auto_increment_offset: the AUTO_INCREMENT
values an INSERT hands out step by the increment from the offset, as on
MySQL 5.7 / MariaDB 10.11 - set in the option file, with SET GLOBAL and SET
SESSION; multi-row INSERT, INSERT ... SELECT, explicit values, SET
INSERT_ID, LAST_INSERT_ID() and the OK packet's insert id; the same values
as a real MariaDB for the same statements; and replication, where the
replica applies a statement with the master's increment and offset (the
dual-master lesson: two masters, odd and even ids, no collision)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))

from harness import Reptutd  # noqa: E402
from mariadb_server import Mariadbd  # noqa: E402
from replication_harness import new_server, query, start_replication, sync  # noqa: E402

HAVE_MARIADBD = os.access("/usr/sbin/mariadbd", os.X_OK)


def run(server, statements, database=None):
    """Runs statements on one connection; for each, (rows or None, the OK
    packet's insert id, warnings)."""
    conn = server.pymysql(database=database, autocommit=True)
    out = []
    try:
        with conn.cursor() as c:
            for sql in statements:
                c.execute(sql)
                rows = [tuple(r) for r in c.fetchall()] if c.description else None
                insert_id = None if rows is not None else c.lastrowid
                warnings = None
                if c.description is None and conn._result and conn._result.warning_count:
                    c.execute("SHOW WARNINGS")
                    warnings = [tuple(r) for r in c.fetchall()]
                out.append((sql, rows, insert_id, warnings))
    finally:
        conn.close()
    return out


def ids(server, table, database="test"):
    return [r[0] for r in run(server, [f"SELECT id FROM {table} ORDER BY id"], database)[0][1]]


class StepFromOptionFile(unittest.TestCase):
    """auto-increment-increment=2 / auto-increment-offset=2 in my.cnf."""

    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(options={"auto-increment-increment": "2",
                                      "auto-increment-offset": "2"}).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_option_file_sets_the_global_and_session_values(self):
        r = run(self.server, ["SELECT @@global.auto_increment_increment,"
                              " @@global.auto_increment_offset,"
                              " @@session.auto_increment_increment, @@auto_increment_offset",
                              "SHOW GLOBAL VARIABLES LIKE 'auto_increment%'"])
        self.assertEqual(r[0][1], [(2, 2, 2, 2)])
        self.assertEqual(r[1][1], [("auto_increment_increment", "2"),
                                   ("auto_increment_offset", "2")])

    def test_single_and_multi_row_inserts(self):
        r = run(self.server, [
            "CREATE TABLE one (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
            "INSERT INTO one (v) VALUES (1)",
            "INSERT INTO one (v) VALUES (2)",
            "INSERT INTO one VALUES (NULL, 3)",
            "SELECT LAST_INSERT_ID()",
            "INSERT INTO one (v) VALUES (4), (5), (6)",
            "SELECT LAST_INSERT_ID()",
            "INSERT INTO one SET v = 7",
            "INSERT INTO one (id, v) VALUES (0, 8)",
        ], database="test")
        self.assertEqual([x[2] for x in r[1:4]], [2, 4, 6])
        self.assertEqual(r[4][1], [(6,)])
        self.assertEqual(r[5][2], 8)  # the first of the three
        self.assertEqual(r[6][1], [(8,)])
        self.assertEqual((r[7][2], r[8][2]), (14, 16))
        self.assertEqual(ids(self.server, "one"), [2, 4, 6, 8, 10, 12, 14, 16])

    def test_set_session_explicit_ids_and_insert_id(self):
        s = self.server
        r = run(s, [
            "CREATE TABLE two (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
            "INSERT INTO two (v) VALUES (1)",
            "SET SESSION auto_increment_increment = 10, auto_increment_offset = 3",
            "INSERT INTO two (v) VALUES (2), (3)",
            "INSERT INTO two VALUES (50, 4)",
            "SELECT LAST_INSERT_ID()",
            "INSERT INTO two (v) VALUES (5)",
            "SET INSERT_ID = 1000",
            "INSERT INTO two (v) VALUES (6), (7)",
            "SELECT LAST_INSERT_ID()",
            "SET SESSION auto_increment_increment = 1",
            "INSERT INTO two (v) VALUES (8)",
        ], database="test")
        # The values MariaDB 10.11 gives for these statements.
        self.assertEqual(r[1][2], 2)
        # The table's counter after 2 is 4 (on the grid of 2 / 2): the
        # first of 3 + 10n from there is 13.
        self.assertEqual(r[3][2], 13)
        self.assertEqual(r[4][2], 50)  # the OK packet carries the row's own value
        self.assertEqual(r[5][1], [(13,)])  # LAST_INSERT_ID() only takes generated ones
        self.assertEqual(r[6][2], 53)
        self.assertEqual(r[8][2], 1000)
        self.assertEqual(r[9][1], [(1000,)])
        # After 1003 the counter stays on the grid of 10 / 3: 1013, where
        # the increment of 1 goes on.
        self.assertEqual(r[11][2], 1013)
        self.assertEqual(ids(s, "two"), [2, 13, 23, 50, 53, 1000, 1003, 1013])

    def test_repeated_statement_shapes(self):
        """Statements of one shape run from the statement cache with their
        literals bound: 0, NULL and given values still count row by row."""
        conn = self.server.pymysql(database="test", autocommit=True)
        try:
            with conn.cursor() as c:
                c.execute("CREATE TABLE shapes (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
                got = []
                for i in range(6):
                    c.execute(f"INSERT INTO shapes (id, v) VALUES (0, {i})")
                    got.append(c.lastrowid)
                    c.execute(f"INSERT INTO shapes (id, v) VALUES (NULL, {i}), (0, {i})")
                    got.append(c.lastrowid)
                c.execute("INSERT INTO shapes (id, v) VALUES (101, 1)")
                c.execute("INSERT INTO shapes (id, v) VALUES (0, 2)")
                got.append(c.lastrowid)
                c.execute("SELECT LAST_INSERT_ID()")
                self.assertEqual(c.fetchall(), ((102,),))
        finally:
            conn.close()
        self.assertEqual(got, [2, 4, 8, 10, 14, 16, 20, 22, 26, 28, 32, 34, 102])
        self.assertEqual(ids(self.server, "shapes"), list(range(2, 37, 2)) + [101, 102])

    def test_insert_select_and_column_not_named(self):
        s = self.server
        run(s, ["CREATE TABLE src (v INT)", "INSERT INTO src VALUES (1), (2), (3)",
                "CREATE TABLE three (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "INSERT INTO three (v) SELECT v FROM src ORDER BY v",
                "INSERT INTO three SELECT NULL, v * 10 FROM src ORDER BY v",
                "INSERT INTO three (v) SELECT v FROM three WHERE v < 3 ORDER BY v"],
            database="test")
        got = run(s, ["SELECT id, v FROM three ORDER BY id"], database="test")[0][1]
        self.assertEqual([v for _, v in got], [1, 2, 3, 10, 20, 30, 1, 2])
        self.assertTrue(all(i % 2 == 0 for i, _ in got), got)
        self.assertEqual(len({i for i, _ in got}), len(got))

    def test_set_global_reaches_new_sessions_only(self):
        s = self.server
        old = s.pymysql(database="test", autocommit=True)
        try:
            with old.cursor() as c:
                c.execute("CREATE TABLE four (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
                run(s, ["SET GLOBAL auto_increment_increment = 5, auto_increment_offset = 4"])
                try:
                    r = run(s, ["SELECT @@session.auto_increment_increment,"
                                " @@session.auto_increment_offset",
                                "INSERT INTO four (v) VALUES (1)",
                                "INSERT INTO four (v) VALUES (2)"], database="test")
                    self.assertEqual(r[0][1], [(5, 4)])
                    self.assertEqual((r[1][2], r[2][2]), (4, 9))
                    c.execute("INSERT INTO four (v) VALUES (3)")  # still 2 / 2
                    self.assertEqual(c.lastrowid, 14)  # as MariaDB: after the counter, 14
                finally:
                    run(s, ["SET GLOBAL auto_increment_increment = 2,"
                            " auto_increment_offset = 2"])
        finally:
            old.close()

    def test_out_of_range_values_are_cut_with_a_warning(self):
        r = run(self.server, ["SET SESSION auto_increment_increment = 0",
                              "SET SESSION auto_increment_offset = 70000",
                              "SELECT @@auto_increment_increment, @@auto_increment_offset"])
        self.assertEqual(r[0][3], [("Warning", 1292,
                                    "Truncated incorrect auto_increment_increment value: '0'")])
        self.assertEqual(r[1][3], [("Warning", 1292,
                                    "Truncated incorrect auto_increment_offset value: '70000'")])
        self.assertEqual(r[2][1], [(1, 65535)])


# Statements whose every answer (rows, the OK packet's insert id, warnings)
# must be MariaDB's, run on one connection.
SAME_AS_MARIADB = [
    "CREATE DATABASE d",
    "CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
    "INSERT INTO d.t VALUES (500, 0)",
    "SET SESSION auto_increment_increment = 2, auto_increment_offset = 2",
    "SET INSERT_ID = 100",
    "INSERT INTO d.t (v) VALUES (1), (2), (3)",
    "SELECT id FROM d.t ORDER BY id",
    "INSERT INTO d.t (v) VALUES (4)",
    "CREATE TABLE d.u (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
    "SET SESSION auto_increment_increment = 10, auto_increment_offset = 3",
    "INSERT INTO d.u (v) VALUES (1), (2), (3), (4)",
    # INSERT ... SELECT reserves 1, 2, 4 ... values: the counter jumps.
    "INSERT INTO d.u (v) SELECT v FROM d.u ORDER BY id",
    "SELECT id FROM d.u ORDER BY id",
    "SELECT LAST_INSERT_ID()",
    "SET SESSION auto_increment_increment = 1",
    "INSERT INTO d.u (v) VALUES (1)",
    # An offset greater than the increment: MySQL's arithmetic wraps.
    "CREATE TABLE d.w (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
    "SET SESSION auto_increment_increment = 3, auto_increment_offset = 5",
    "INSERT INTO d.w (v) VALUES (1), (2), (3)",
    "INSERT INTO d.w VALUES (10, 1)",
    "INSERT INTO d.w (v) VALUES (1)",
    "SELECT id FROM d.w ORDER BY id",
    "CREATE TABLE d.x (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
    "SET SESSION auto_increment_increment = 2, auto_increment_offset = 1",
    "INSERT INTO d.x VALUES (NULL, 1), (NULL, 2), (4, 3), (NULL, 4), (-3, 5), (NULL, 6)",
    "SELECT id FROM d.x ORDER BY id",
    "INSERT INTO d.x VALUES (NULL, 1)",
    "SELECT LAST_INSERT_ID()",
    "INSERT INTO d.x VALUES (100, 1)",
    "SELECT LAST_INSERT_ID()",
    "INSERT INTO d.x VALUES (101, 1), (102, 2)",
    "INSERT INTO d.x SET v = 5",
    "INSERT INTO d.x () VALUES ()",
    "REPLACE INTO d.x VALUES (NULL, 7)",
    "INSERT INTO d.x VALUES (NULL, 8) ON DUPLICATE KEY UPDATE v = 9",
    "INSERT IGNORE INTO d.x VALUES (NULL, 10), (1, 11), (NULL, 12)",
    "INSERT INTO d.x VALUES (0, 13), ('0', 14)",
    "INSERT INTO d.x SELECT NULL, 15 UNION ALL SELECT 0, 16 UNION ALL SELECT 200, 17"
    " UNION ALL SELECT NULL, 18",
    "INSERT INTO d.x (v, id) SELECT v, NULL FROM d.x WHERE v > 16 ORDER BY id"
    " ON DUPLICATE KEY UPDATE v = 99",
    "SELECT id, v FROM d.x ORDER BY id",
    # Increment 1 again: what the stepped statements left is the counter.
    "SET SESSION auto_increment_increment = 1, auto_increment_offset = 1",
    "INSERT INTO d.x VALUES (NULL, 1)",
    "INSERT INTO d.x VALUES (300, 1)",
    "SELECT LAST_INSERT_ID()",
    "INSERT INTO d.x VALUES (400, 1), (NULL, 2)",
    "SELECT LAST_INSERT_ID()",
    "SET SESSION auto_increment_increment = 0",
    "SET SESSION auto_increment_offset = 70000",
    "SELECT @@auto_increment_increment, @@auto_increment_offset",
    "SET auto_increment_increment = DEFAULT, auto_increment_offset = DEFAULT",
    "SELECT @@auto_increment_increment, @@auto_increment_offset",
]


@unittest.skipUnless(HAVE_MARIADBD, "mariadb-server is not installed")
class InsertIdBelowTheCounter(unittest.TestCase):
    """SET INSERT_ID (what a replica applies from an Intvar event) is used as
    given, also below the table's counter: a duplicate key then, as on
    MySQL - not a silent new id (which made dual masters drift apart)."""

    def test_insert_id_below_the_counter_is_a_duplicate_key(self):
        import pymysql
        server = Reptutd().start()
        self.addCleanup(server.cleanup)
        run(server, ["CREATE DATABASE IF NOT EXISTS test"])
        run(server, ["CREATE TABLE x (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                     "INSERT INTO x (v) VALUES (1), (2)"], database="test")
        conn = server.pymysql(database="test", autocommit=True)
        self.addCleanup(conn.close)
        with conn.cursor() as c:
            c.execute("SET INSERT_ID = 1")
            with self.assertRaises(pymysql.err.IntegrityError) as e:
                c.execute("INSERT INTO x (v) VALUES (3)")
            self.assertEqual(e.exception.args,
                             (1062, "Duplicate entry '1' for key 'PRIMARY'"))
            c.execute("SET INSERT_ID = 10")
            c.execute("INSERT INTO x (v) VALUES (4), (5)")
            c.execute("SELECT LAST_INSERT_ID()")
            self.assertEqual(c.fetchall(), ((10,),))
            c.execute("INSERT INTO x (v) VALUES (6)")
        self.assertEqual(ids(server, "x"), [1, 2, 10, 11, 12])


class SameAsMariadb(unittest.TestCase):
    def test_same_ids_as_mariadb(self):
        mariadb = Mariadbd(name="mariadb")
        self.addCleanup(mariadb.cleanup)
        reptut = Reptutd(root=mariadb.root, name="reptut")
        self.addCleanup(reptut.cleanup)
        mariadb.start()
        reptut.start()
        want = run(mariadb, SAME_AS_MARIADB)
        got = run(reptut, SAME_AS_MARIADB)
        for w, g in zip(want, got):
            if not w[0].startswith("SET"):
                # The warnings of SET only: reptutd's INSERT IGNORE does
                # not warn of the rows it skips (MariaDB: 1062).
                w, g = w[:3], g[:3]
            self.assertEqual(g, w)


MASTER_OPTS = {"log-bin": "master-bin"}
SLAVE_OPTS = {"relay-log": "slave-relay-bin", "relay-log-index": "slave-relay-bin.index"}
TABLES = ("SELECT id, v FROM d.t ORDER BY id", "SELECT id, v FROM d.u ORDER BY id")

MASTER_STATEMENTS = [
    "CREATE DATABASE d",
    "CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
    "CREATE TABLE d.u (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
    "INSERT INTO d.t (v) VALUES (1)",
    "INSERT INTO d.t (v) VALUES (2), (3), (4)",
    "INSERT INTO d.t VALUES (20, 5), (NULL, 6)",
    "INSERT INTO d.u (v) SELECT v FROM d.t ORDER BY id",
    "SET SESSION auto_increment_increment = 7, auto_increment_offset = 3",
    "INSERT INTO d.t (v) VALUES (7), (8)",
    "INSERT INTO d.u (v) SELECT v FROM d.u WHERE v < 4 ORDER BY id",
    "SET SESSION auto_increment_increment = 1, auto_increment_offset = 1",
    "INSERT INTO d.t (v) VALUES (9)",
]


class Replication(unittest.TestCase):
    """The replica applies the master's statements with the master's
    increment and offset (Query event status variables), not its own."""

    def check(self, master):
        replica = new_server(self, "replica", 2, dict(
            SLAVE_OPTS, **{"auto-increment-increment": "2", "auto-increment-offset": "2"}),
            root=master.root).start()
        start_replication(replica, master)
        run(master, MASTER_STATEMENTS)
        sync(replica, master)
        for sql in TABLES:
            self.assertEqual(query(replica, sql), query(master, sql), sql)
        t = [r["id"] for r in query(master, TABLES[0])]
        self.assertEqual(t[:6], [1, 3, 5, 7, 20, 21])
        return replica

    def test_reptutd_master(self):
        master = new_server(self, "master", 1, dict(
            MASTER_OPTS, **{"auto-increment-increment": "2", "auto-increment-offset": "1"}))
        self.check(master.start())

    @unittest.skipUnless(HAVE_MARIADBD, "mariadb-server is not installed")
    def test_mariadb_master(self):
        master = Mariadbd(name="mariadb-master", server_id=1, log_bin="master-bin",
                          binlog_format="STATEMENT",
                          options={"auto-increment-increment": "2",
                                   "auto-increment-offset": "1"})
        self.addCleanup(master.cleanup)
        self.check(master.start())

    def test_two_masters_of_each_other_never_collide(self):
        """The dual-master lesson: A (odd ids) and B (even ids) replicate
        each other; rows written on both sides end up on both, each id
        once."""
        a = new_server(self, "a", 1, dict(MASTER_OPTS, **SLAVE_OPTS, **{
            "auto-increment-increment": "2", "auto-increment-offset": "1"})).start()
        b = new_server(self, "b", 2, dict(MASTER_OPTS, **SLAVE_OPTS, **{
            "auto-increment-increment": "2", "auto-increment-offset": "2"}), root=a.root).start()
        start_replication(b, a)
        start_replication(a, b)
        run(a, ["CREATE DATABASE d", "CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY,"
                " v VARCHAR(10))"])
        sync(b, a)
        for n in range(3):
            run(a, [f"INSERT INTO d.t (v) VALUES ('a{n}')"])
            run(b, [f"INSERT INTO d.t (v) VALUES ('b{n}'), ('b{n}x')"])
        sync(b, a)
        sync(a, b)
        rows_a = query(a, "SELECT id, v FROM d.t ORDER BY id")
        self.assertEqual(rows_a, query(b, "SELECT id, v FROM d.t ORDER BY id"))
        self.assertEqual(len(rows_a), 9)
        for r in rows_a:
            self.assertEqual(r["id"] % 2, 1 if r["v"].startswith("a") else 0, rows_a)


if __name__ == "__main__":
    unittest.main()
