"""Administrative privileges, seen from a client (issue 12):

1. SET GLOBAL needs SUPER for every variable (a USAGE user could set
   sql_mode, lock_wait_timeout or autocommit for everyone's new sessions);
   1227 "Access denied; you need (at least one of) the SUPER privilege(s)
   for this operation", with the privilege list MariaDB 10.11 names.
   KILL of another user's thread needs SUPER (PROCESS only shows it): 1095
   "You are not owner of thread N".
2. CREATE USER / GRANT ... IDENTIFIED BY 'pw', SET PASSWORD ... =
   PASSWORD('pw') / = 'pw' and ALTER USER ... IDENTIFIED BY 'pw' reach the
   binary log (and, without --log-bin, the redo log) with the password's
   hash, as MySQL logs them (IDENTIFIED BY PASSWORD '*...', SET PASSWORD
   ... = '*...'): no plaintext in SHOW BINLOG EVENTS, in mariadb-binlog's
   dump or in the log files; the dump replayed into a fresh server, a
   replica and a crash recovery still let the users log in with their
   passwords. (MariaDB 10.11 itself logs CREATE USER and GRANT in clear and
   only SET PASSWORD hashed, so these tests run against reptutd only.)
3. The schema of a table the user has no privilege on is not shown: SHOW
   CREATE TABLE (1142 "SHOW command denied"), SHOW COLUMNS / DESCRIBE /
   SHOW INDEX (1142 "SELECT command denied"), CREATE TABLE x LIKE db.t
   (1142 "SELECT command denied"), also for a table that does not exist;
   SHOW TABLE STATUS / SHOW TABLES of a database the user has nothing in is
   1044, and list only the tables the user has a privilege on.

The error codes and texts of 1 and 3 were taken from MariaDB 10.11: the
SameOnMariaDB classes run the same tests against it (MariaDB names the
table `db`.`t` in 1142, reptutd 't' as MySQL 5.7 does).

Run: cd tests/integration/server && REPTUT_BIN=<build>/bin REPTUT_SOURCE=<src> \
     PYTHONPATH=<src>/tests/integration python3 -m unittest -v test_privilege_admin
"""

import glob
import hashlib
import os
import subprocess
import sys
import unittest

import pymysql

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from harness import Reptutd, wait_for  # noqa: E402

SUPER_ONLY = ("Access denied; you need (at least one of) the SUPER privilege(s) "
              "for this operation")


def mysql_hash(password):
    return "*" + hashlib.sha1(hashlib.sha1(password.encode()).digest()).hexdigest().upper()


def error_of(conn, sql):
    """(code, message) of the error `sql` gives, or None when it succeeds."""
    try:
        with conn.cursor() as c:
            c.execute(sql)
            if c.description:
                c.fetchall()
        return None
    except (pymysql.err.OperationalError, pymysql.err.ProgrammingError,
            pymysql.err.InternalError) as e:
        return e.args[0], e.args[1]


def one(conn, sql):
    with conn.cursor() as c:
        c.execute(sql)
        return c.fetchone()


def rows(conn, sql):
    with conn.cursor() as c:
        c.execute(sql)
        return list(c.fetchall())


class ServerTest(unittest.TestCase):
    SETUP = []

    @classmethod
    def make_server(cls):
        return Reptutd()

    @classmethod
    def setUpClass(cls):
        cls.server = cls.make_server()
        cls.server.start()
        root = cls.server.pymysql(autocommit=True)
        for sql in cls.SETUP:
            with root.cursor() as c:
                c.execute(sql)
        root.close()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def connect(self, user="root", password=None):
        if password is None:
            password = "" if user == "root" else "pw"
        conn = self.server.pymysql(user=user, password=password, autocommit=True)
        self.addCleanup(conn.close)
        return conn


class SetGlobalAndKill(ServerTest):
    SETUP = [
        "CREATE USER 'plain'@'%' IDENTIFIED BY 'pw'",
        "CREATE USER 'other'@'%' IDENTIFIED BY 'pw'",
        "CREATE USER 'watcher'@'%' IDENTIFIED BY 'pw'",
        "GRANT PROCESS ON *.* TO 'watcher'@'%'",
        "CREATE USER 'admin'@'%' IDENTIFIED BY 'pw'",
        "GRANT SUPER ON *.* TO 'admin'@'%'",
    ]

    def globals_now(self):
        return one(self.connect(), "SELECT @@GLOBAL.sql_mode, @@GLOBAL.lock_wait_timeout, "
                                   "@@GLOBAL.autocommit")

    def test_set_global_needs_super(self):
        before = self.globals_now()
        plain = self.connect("plain")
        for sql in ("SET GLOBAL sql_mode = 'ANSI_QUOTES'",
                    "SET GLOBAL lock_wait_timeout = 1",
                    "SET GLOBAL autocommit = 0",
                    "SET @@global.sql_mode = ''",
                    "SET GLOBAL wait_timeout = 100",
                    "SET GLOBAL max_allowed_packet = 1048576",
                    "SET GLOBAL default_storage_engine = 'InnoDB'"):
            self.assertEqual(error_of(plain, sql), (1227, SUPER_ONLY), sql)
        # The global values, and so every new session's, did not change.
        self.assertEqual(self.globals_now(), before)
        fresh = self.connect("other")
        self.assertEqual(one(fresh, "SELECT @@SESSION.sql_mode, @@SESSION.lock_wait_timeout, "
                                    "@@SESSION.autocommit"), before)

    def test_privilege_list_as_mariadb_names_it(self):
        plain = self.connect("plain")
        for sql, privs in (("SET GLOBAL max_connections = 10", "SUPER, CONNECTION ADMIN"),
                           ("SET GLOBAL connect_timeout = 5", "SUPER, CONNECTION ADMIN"),
                           ("SET GLOBAL sync_binlog = 0", "SUPER, BINLOG ADMIN"),
                           ("SET SESSION sql_log_bin = 0", "SUPER, BINLOG ADMIN"),
                           ("SET GLOBAL slave_net_timeout = 30",
                            "SUPER, REPLICATION SLAVE ADMIN")):
            self.assertEqual(error_of(plain, sql),
                             (1227, f"Access denied; you need (at least one of) the {privs} "
                                    "privilege(s) for this operation"), sql)

    def test_one_refused_variable_refuses_the_whole_statement(self):
        plain = self.connect("plain")
        one(plain, "SELECT 1")
        mode = one(plain, "SELECT @@SESSION.sql_mode")[0]
        self.assertEqual(error_of(plain, "SET sql_mode = 'ANSI_QUOTES', GLOBAL lock_wait_timeout"
                                         " = 3"), (1227, SUPER_ONLY))
        self.assertEqual(one(plain, "SELECT @@SESSION.sql_mode")[0], mode)

    def test_session_variables_need_no_privilege(self):
        plain = self.connect("plain")
        for sql in ("SET SESSION sql_mode = 'ANSI_QUOTES'", "SET lock_wait_timeout = 7",
                    "SET autocommit = 1", "SET @@session.wait_timeout = 100"):
            self.assertIsNone(error_of(plain, sql), sql)
        self.assertEqual(one(plain, "SELECT @@SESSION.lock_wait_timeout")[0], 7)

    def test_super_sets_globals_for_new_sessions(self):
        admin = self.connect("admin")
        before = one(admin, "SELECT @@GLOBAL.lock_wait_timeout")[0]
        self.addCleanup(lambda: self.connect().cursor().execute(
            f"SET GLOBAL lock_wait_timeout = {before}"))
        self.assertIsNone(error_of(admin, "SET GLOBAL lock_wait_timeout = 123"))
        self.assertEqual(one(self.connect("other"), "SELECT @@SESSION.lock_wait_timeout")[0],
                         123)

    def test_kill_of_another_users_thread_needs_super(self):
        victim = self.connect("other")
        vid = one(victim, "SELECT CONNECTION_ID()")[0]
        for who in ("watcher", "plain"):
            conn = self.connect(who)
            for sql in (f"KILL {vid}", f"KILL QUERY {vid}", f"KILL CONNECTION {vid}"):
                self.assertEqual(error_of(conn, sql), (1095, f"You are not owner of thread {vid}"),
                                 f"{who}: {sql}")
        self.assertEqual(one(victim, "SELECT 1")[0], 1)  # still connected
        self.assertEqual(error_of(self.connect("watcher"), "KILL 987654"),
                         (1094, "Unknown thread id: 987654"))

    def test_kill_of_own_thread_and_by_super(self):
        victim = self.connect("other")
        vid = one(victim, "SELECT CONNECTION_ID()")[0]
        # The same user may kill its other connection's query.
        self.assertIsNone(error_of(self.connect("other"), f"KILL QUERY {vid}"))
        self.assertIsNone(error_of(self.connect("admin"), f"KILL {vid}"))

        def gone():
            try:
                victim.ping(reconnect=False)
                return False
            except pymysql.err.Error:
                return True
        wait_for(gone, 10, "the killed connection to close")


class SchemaOfHiddenTables(ServerTest):
    SETUP = [
        "CREATE DATABASE secret",
        "CREATE TABLE secret.t (id INT PRIMARY KEY, pw VARCHAR(20), KEY (pw))",
        "CREATE TABLE secret.visible (id INT PRIMARY KEY, note VARCHAR(20))",
        "CREATE DATABASE hidden",
        "CREATE TABLE hidden.h (id INT PRIMARY KEY)",
        "CREATE DATABASE mine",
        "CREATE USER 'u'@'%' IDENTIFIED BY 'pw'",
        "GRANT ALL ON mine.* TO 'u'@'%'",
        "GRANT INSERT ON secret.visible TO 'u'@'%'",
    ]

    def assertDenied(self, conn, sql, command, table, db="secret"):
        err = error_of(conn, sql)
        self.assertIsNotNone(err, sql)
        self.assertEqual(err[0], 1142, f"{sql}: {err}")
        self.assertRegex(err[1], rf"^{command} command denied to user '[^']*'@'[^']*' for table "
                                 rf"(`{db}`\.`{table}`|'{table}')$", sql)

    def test_schema_statements_refused(self):
        u = self.connect("u")
        for table in ("t", "nosuch"):
            self.assertDenied(u, f"SHOW CREATE TABLE secret.{table}", "SHOW", table)
            for sql in (f"SHOW COLUMNS FROM secret.{table}",
                        f"SHOW FULL COLUMNS FROM secret.{table}",
                        f"SHOW FIELDS FROM {table} FROM secret",
                        f"DESCRIBE secret.{table}",
                        f"DESC secret.{table}",
                        f"EXPLAIN secret.{table}",
                        f"SHOW INDEX FROM secret.{table}",
                        f"SHOW KEYS FROM {table} FROM secret"):
                self.assertDenied(u, sql, "SELECT", table)

    def test_create_table_like_refused(self):
        u = self.connect("u")
        self.assertDenied(u, "CREATE TABLE mine.copy LIKE secret.t", "SELECT", "t")
        self.assertDenied(u, "CREATE TABLE mine.copy LIKE secret.nosuch", "SELECT", "nosuch")
        # INSERT on secret.visible is not SELECT.
        self.assertDenied(u, "CREATE TABLE mine.copy LIKE secret.visible", "SELECT", "visible")
        self.assertEqual(rows(u, "SHOW TABLES FROM mine"), [])

    def test_table_status_of_a_database_with_nothing(self):
        u = self.connect("u")
        for sql in ("SHOW TABLE STATUS FROM hidden", "SHOW TABLE STATUS FROM hidden LIKE 'h'",
                    "SHOW TABLES FROM hidden"):
            err = error_of(u, sql)
            self.assertIsNotNone(err, sql)
            self.assertEqual(err[0], 1044, sql)
            self.assertRegex(err[1], r"^Access denied for user 'u'@'[^']*' to database 'hidden'$")

    def test_only_tables_with_a_privilege_are_listed(self):
        u = self.connect("u")
        self.assertEqual([r[0] for r in rows(u, "SHOW TABLE STATUS FROM secret")], ["visible"])
        self.assertEqual([r[0] for r in rows(u, "SHOW TABLES FROM secret")], ["visible"])

    def test_a_table_privilege_shows_the_schema(self):
        u = self.connect("u")
        self.assertEqual(rows(u, "SHOW CREATE TABLE secret.visible")[0][0], "visible")
        self.assertEqual([r[0] for r in rows(u, "DESCRIBE secret.visible")], ["id", "note"])
        self.assertEqual([r[4] for r in rows(u, "SHOW INDEX FROM secret.visible")], ["id"])
        self.assertEqual([r[0] for r in rows(u, "SHOW COLUMNS FROM secret.visible")],
                         ["id", "note"])

    def test_root_and_own_database_unchanged(self):
        root = self.connect()
        self.assertEqual([r[0] for r in rows(root, "DESCRIBE secret.t")], ["id", "pw"])
        self.assertEqual(len(rows(root, "SHOW TABLE STATUS FROM secret")), 2)
        u = self.connect("u")
        with u.cursor() as c:
            c.execute("CREATE TABLE mine.own (a INT PRIMARY KEY)")
            c.execute("CREATE TABLE mine.own2 LIKE mine.own")
        self.addCleanup(lambda: self.connect().cursor().execute(
            "DROP TABLE IF EXISTS mine.own, mine.own2"))
        self.assertEqual([r[0] for r in rows(u, "DESCRIBE mine.own2")], ["a"])


class SetGlobalAndKillOnMariaDB(SetGlobalAndKill):
    @classmethod
    def make_server(cls):
        from mariadb_server import Mariadbd
        return Mariadbd()


class SchemaOfHiddenTablesOnMariaDB(SchemaOfHiddenTables):
    @classmethod
    def make_server(cls):
        from mariadb_server import Mariadbd
        return Mariadbd()


# ---- 2: passwords in the commit logs ----

# (statement, user, password) - run in order by root; after them each user
# logs in with its password.
ACCOUNT_STATEMENTS = [
    ("CREATE USER 'ua'@'%' IDENTIFIED BY 'plainAlpha1'", "ua", "plainAlpha1"),
    ("GRANT SELECT ON *.* TO 'ub'@'%' IDENTIFIED BY 'plainBravo2'", "ub", "plainBravo2"),
    ("CREATE USER 'uc'@'%'", None, None),
    ("SET PASSWORD FOR 'uc'@'%' = PASSWORD('plainCharlie3')", "uc", "plainCharlie3"),
    ("CREATE USER 'ud'@'%' IDENTIFIED BY 'plainDelta4x'", None, None),
    ("SET PASSWORD FOR 'ud'@'%' = 'plainDelta4'", "ud", "plainDelta4"),
    ("CREATE USER 'ue'@'%' IDENTIFIED WITH mysql_native_password BY 'plainEcho5'", "ue",
     "plainEcho5"),
    ("GRANT USAGE ON *.* TO 'uf'@'%' IDENTIFIED BY /* a comment */ \"plainFox6\"", "uf",
     "plainFox6"),
    ("ALTER USER 'ua'@'%' IDENTIFIED BY 'plainAlpha7'", "ua", "plainAlpha7"),
]
PLAINTEXTS = ["plainAlpha1", "plainBravo2", "plainCharlie3", "plainDelta4", "plainDelta4x",
              "plainEcho5", "plainFox6", "plainAlpha7"]
# The password each user has at the end.
FINAL = {"ua": "plainAlpha7", "ub": "plainBravo2", "uc": "plainCharlie3", "ud": "plainDelta4",
         "ue": "plainEcho5", "uf": "plainFox6"}


def run_account_statements(server):
    root = server.pymysql(autocommit=True)
    try:
        with root.cursor() as c:
            for sql, _, _ in ACCOUNT_STATEMENTS:
                c.execute(sql)
    finally:
        root.close()
    # A user changing its own password.
    conn = server.pymysql(user="ub", password="plainBravo2", autocommit=True)
    with conn.cursor() as c:
        c.execute("SET PASSWORD = PASSWORD('plainSelf8')")
    conn.close()


def files_bytes(paths):
    out = b""
    for p in paths:
        with open(p, "rb") as f:
            out += f.read()
    return out


class PasswordsInLogs(unittest.TestCase):
    def new_server(self, **kw):
        s = Reptutd(**kw)
        self.addCleanup(s.cleanup)
        return s

    def assertLogsIn(self, server, passwords):
        for user, pw in passwords.items():
            conn = server.pymysql(user=user, password=pw)
            self.assertEqual(one(conn, "SELECT CURRENT_USER()")[0], f"{user}@%")
            conn.close()
            with self.assertRaises(pymysql.err.OperationalError, msg=user):
                server.pymysql(user=user, password=pw + "wrong")

    def assertNoPlaintext(self, text, where):
        for pw in PLAINTEXTS + ["plainSelf8"]:
            self.assertNotIn(pw, text, where)

    def final_passwords(self):
        return dict(FINAL, ub="plainSelf8")

    def test_binlog_holds_hashes_and_replays(self):
        master = self.new_server(options={"log-bin": "master-bin"})
        master.start()
        run_account_statements(master)
        self.assertLogsIn(master, self.final_passwords())

        root = master.pymysql(autocommit=True)
        info = "\n".join(r[5] for r in rows(root, "SHOW BINLOG EVENTS"))
        root.close()
        self.assertNoPlaintext(info, "SHOW BINLOG EVENTS")
        for pw in PLAINTEXTS + ["plainSelf8"]:
            self.assertIn(mysql_hash(pw), info)
        self.assertIn(f"IDENTIFIED BY PASSWORD '{mysql_hash('plainAlpha1')}'", info)
        self.assertIn(f"IDENTIFIED WITH mysql_native_password AS '{mysql_hash('plainEcho5')}'",
                      info)
        self.assertIn(f"SET PASSWORD FOR 'uc'@'%'='{mysql_hash('plainCharlie3')}'", info)

        files = sorted(glob.glob(os.path.join(master.datadir, "master-bin.0*")))
        self.assertTrue(files)
        self.assertNoPlaintext(files_bytes(files).decode("latin1"), "binlog files")
        dump = subprocess.run(["mariadb-binlog", *files], capture_output=True, text=True,
                              check=True, timeout=60)
        self.assertNoPlaintext(dump.stdout, "mariadb-binlog")
        self.assertIn(mysql_hash("plainFox6"), dump.stdout)

        fresh = self.new_server(name="fresh")
        fresh.start()
        load = subprocess.run(fresh.client_args(), input=dump.stdout, capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(load.returncode, 0, load.stderr)
        self.assertLogsIn(fresh, self.final_passwords())

    def test_replica_users_log_in(self):
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                        "replication"))
        from replication_harness import start_replication, sync
        master = self.new_server(name="master", server_id=1,
                                 options={"log-bin": "master-bin"})
        master.start()
        replica = self.new_server(name="replica", server_id=2,
                                  options={"log-bin": "replica-bin", "log-slave-updates": None})
        replica.start()
        start_replication(replica, master)
        run_account_statements(master)
        sync(replica, master)
        self.assertLogsIn(replica, self.final_passwords())
        files = glob.glob(os.path.join(replica.datadir, "replica-bin.0*"))
        files += glob.glob(os.path.join(replica.datadir, "*relay*"))
        self.assertTrue(files)
        self.assertNoPlaintext(files_bytes(files).decode("latin1"), "replica logs")

    def test_redo_log_and_recovery_hold_no_plaintext(self):
        server = self.new_server()
        server.start()
        run_account_statements(server)
        redo = glob.glob(os.path.join(server.datadir, "reptut-redo*"))
        self.assertTrue(redo, os.listdir(server.datadir))
        data = files_bytes([p for p in redo if os.path.isfile(p)]).decode("latin1")
        self.assertNoPlaintext(data, "redo log")
        self.assertIn(mysql_hash("plainSelf8"), data)
        # Crash, recover (which replays the redo log), and log in.
        server.kill9()
        server.start(initialize=False)
        self.assertLogsIn(server, self.final_passwords())
        self.assertNoPlaintext(server.read_log(), "error log")
        server.stop()
        everything = []
        for dirpath, _, names in os.walk(server.datadir):
            everything += [os.path.join(dirpath, n) for n in names]
        self.assertNoPlaintext(files_bytes(everything).decode("latin1"), "data directory")


if __name__ == "__main__":
    unittest.main()
