"""Protocol commands DBA tools and connectors send besides COM_QUERY:
COM_CHANGE_USER (MySQLdb's change_user), COM_RESET_CONNECTION, COM_REFRESH
(mariadb-admin refresh / flush-logs), COM_DEBUG, COM_PROCESS_INFO, a
COM_QUERY whose text ends in a NUL byte (mariadb-slap), a prepared
`LIMIT ?` bound as a string (DBD::MariaDB server-side prepare), and every
mariadb-admin command a DBA runs against a server."""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import MySQLdb  # noqa: E402
import pymysql  # noqa: E402

from harness import Reptutd  # noqa: E402

MARIADB_ADMIN = shutil.which("mariadb-admin") or "/usr/bin/mariadb-admin"
MARIADB_SLAP = shutil.which("mariadb-slap") or "/usr/bin/mariadb-slap"

COM_REFRESH = 0x07
COM_RESET_CONNECTION = 0x1F
COM_QUERY = 0x03


def raw_command(conn, command, args=b""):
    """Sends one command on a PyMySQL connection; returns the first packet
    of the answer (PyMySQL raises for an ERR packet)."""
    conn._execute_command(command, args)
    return conn._read_packet()


class ProtocolCommands(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(options={"log-bin": "master-bin"}).start()
        cls.server.sql("CREATE USER 'alice'@'%' IDENTIFIED BY 'secret';"
                       "GRANT ALL ON test.* TO 'alice'@'%';"
                       "CREATE TABLE test.t (a INT PRIMARY KEY);"
                       "INSERT INTO test.t VALUES (1), (2), (3), (4)")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def mysqldb(self, user="root", passwd="", db=""):
        conn = MySQLdb.connect(host="127.0.0.1", port=self.server.port, user=user,
                               passwd=passwd, db=db)
        self.addCleanup(conn.close)
        return conn

    def one(self, conn, sql):
        cur = conn.cursor()
        cur.execute(sql)
        return cur.fetchone()

    def admin(self, *args, user="root", password=None):
        cmd = [MARIADB_ADMIN, "--no-defaults", f"-u{user}", f"--socket={self.server.socket}"]
        if password is not None:
            cmd.append(f"-p{password}")
        return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=60)

    # ---- COM_CHANGE_USER ----

    def test_change_user_logs_in_as_another_user_with_a_fresh_session(self):
        conn = self.mysqldb()
        cur = conn.cursor()
        cur.execute("SET @kept = 1, SESSION sql_mode = 'ANSI_QUOTES'")
        conn.change_user("alice", "secret", "test")
        self.assertEqual(self.one(conn, "SELECT CURRENT_USER(), USER() LIKE 'alice@%', DATABASE()"),
                         ("alice@%", 1, "test"))
        self.assertEqual(self.one(conn, "SELECT @kept"), (None,))
        self.assertEqual(self.one(conn, "SELECT @@session.sql_mode = @@global.sql_mode"), (1,))
        self.assertEqual(self.one(conn, "SELECT COUNT(*) FROM t"), (4,))
        conn.change_user("root", "", "")
        self.assertEqual(self.one(conn, "SELECT CURRENT_USER(), DATABASE()"),
                         ("root@localhost", None))

    def test_change_user_rolls_back_the_open_transaction(self):
        conn = self.mysqldb(db="test")
        cur = conn.cursor()
        cur.execute("BEGIN")
        cur.execute("INSERT INTO t VALUES (100)")
        conn.change_user("root", "", "test")
        self.assertEqual(self.one(conn, "SELECT COUNT(*) FROM t WHERE a = 100"), (0,))

    def test_change_user_with_a_wrong_password_is_1045_and_closes_the_connection(self):
        conn = self.mysqldb()
        with self.assertRaises(MySQLdb.OperationalError) as e:
            conn.change_user("alice", "wrong", "")
        self.assertEqual(e.exception.args[0], 1045)
        self.assertIn("Access denied for user 'alice'", e.exception.args[1])
        with self.assertRaises(MySQLdb.OperationalError) as e:
            conn.cursor().execute("SELECT 1")
        self.assertIn(e.exception.args[0], (2006, 2013))

    # ---- COM_RESET_CONNECTION ----

    def test_reset_connection_resets_the_session(self):
        conn = self.server.pymysql(database="test")
        self.addCleanup(conn.close)
        other = self.server.pymysql(database="test")
        self.addCleanup(other.close)
        cur = conn.cursor()
        cur.execute("SET @v = 7, SESSION auto_increment_increment = 5")
        cur.execute("LOCK TABLES t WRITE")
        cur.execute("BEGIN")
        cur.execute("INSERT INTO t VALUES (200)")
        self.assertTrue(raw_command(conn, COM_RESET_CONNECTION).is_ok_packet())
        cur.execute("SELECT @v, @@session.auto_increment_increment, "
                    "(SELECT COUNT(*) FROM t WHERE a = 200)")
        self.assertEqual(cur.fetchone(), (None, 1, 0))
        # The table lock is gone: another session writes at once.
        ocur = other.cursor()
        ocur.execute("SET SESSION lock_wait_timeout = 5")
        ocur.execute("INSERT INTO t VALUES (201)")
        ocur.execute("DELETE FROM t WHERE a = 201")
        other.commit()

    # ---- COM_REFRESH, COM_DEBUG, COM_PROCESS_INFO and mariadb-admin ----

    def binlog_count(self):
        return len(self.server.sql("SHOW BINARY LOGS"))

    def test_mariadb_admin_flush_logs_and_refresh_rotate_the_binary_log(self):
        before = self.binlog_count()
        r = self.admin("flush-logs")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.binlog_count(), before + 1)
        r = self.admin("refresh")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.binlog_count(), before + 2)

    def test_com_refresh_needs_reload(self):
        conn = self.server.pymysql(user="alice", password="secret")
        self.addCleanup(conn.close)
        with self.assertRaises(pymysql.err.OperationalError) as e:
            raw_command(conn, COM_REFRESH, b"\x02")
        self.assertEqual(e.exception.args[0], 1227)

    def test_every_mariadb_admin_command_a_dba_runs(self):
        for args in (["ping"], ["status"], ["extended-status"], ["variables"], ["processlist"],
                     ["--verbose", "processlist"], ["debug"], ["refresh"], ["flush-logs"],
                     ["flush-status"], ["flush-privileges"], ["flush-tables"], ["version"]):
            with self.subTest(args=args):
                r = self.admin(*args)
                self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Uptime:", self.admin("status").stdout)
        self.assertRegex(self.admin("extended-status").stdout, r"\| Com_select +\| \d+")
        self.assertRegex(self.admin("variables").stdout, r"\| server_uuid +\| [0-9a-f-]{36}")
        self.assertRegex(self.admin("processlist").stdout, r"\| Id +\| User")

    # mariadb-admin sends "set password='*<hash>',sql_log_off=0".
    def test_mariadb_admin_password_sets_the_password(self):
        # mariadb-admin first sets sql_log_off, which needs SUPER (as on MySQL).
        self.server.sql("CREATE USER 'bob'@'localhost' IDENTIFIED BY 'old';"
                        "GRANT SUPER ON *.* TO 'bob'@'localhost'")
        self.addCleanup(self.server.sql, "DROP USER 'bob'@'localhost'")
        r = self.admin("password", "new", user="bob", password="old")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.server.sql("SELECT CURRENT_USER()", user="bob", password="new"),
                         [["bob@localhost"]])

    def test_mariadb_admin_password_needs_super_for_sql_log_off(self):
        r = self.admin("password", "new", user="alice", password="secret")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Can't turn off logging", r.stderr)

    def test_mariadb_admin_debug_needs_super(self):
        r = self.admin("debug", user="alice", password="secret")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Access denied", r.stderr)

    # ---- COM_QUERY ending in NUL ----

    def test_query_text_ending_in_nul_is_accepted(self):
        conn = self.server.pymysql()
        self.addCleanup(conn.close)
        conn._execute_command(COM_QUERY, b"SELECT 41 + 1\0")
        result = pymysql.connections.MySQLResult(conn)
        result.read()
        self.assertEqual(result.rows, ((42,),))

    def test_mariadb_slap_auto_generated_load(self):
        r = subprocess.run([MARIADB_SLAP, "--no-defaults", "-uroot",
                            f"--socket={self.server.socket}", "--auto-generate-sql",
                            "--concurrency=2", "--iterations=1", "--number-of-queries=40"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        self.assertIn("Average number of seconds to run all queries", r.stdout)

    # ---- LIMIT ? bound as a string ----

    def test_server_side_prepared_limit_bound_as_string(self):
        script = (
            "use DBI; my $dbh = DBI->connect('DBI:MariaDB:database=test;host=127.0.0.1;port='"
            " . $ARGV[0] . ';mariadb_server_prepare=1', 'root', '', {RaiseError => 1});"
            " my $sth = $dbh->prepare('SELECT a FROM t ORDER BY a LIMIT ?');"
            " $sth->execute('2'); print join(',', map { $_->[0] } @{$sth->fetchall_arrayref}), \"\\n\";"
            " $sth = $dbh->prepare('SELECT a FROM t ORDER BY a LIMIT ?, ?');"
            " $sth->execute('1', '2'); print join(',', map { $_->[0] } @{$sth->fetchall_arrayref}), \"\\n\";"
            " $sth = $dbh->prepare('SELECT a FROM t ORDER BY a LIMIT ? OFFSET ?');"
            " $sth->execute(1, '3'); print join(',', map { $_->[0] } @{$sth->fetchall_arrayref}), \"\\n\";"
        )
        r = subprocess.run(["perl", "-e", script, str(self.server.port)], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["1,2", "2,3", "4"])


if __name__ == "__main__":
    unittest.main()
