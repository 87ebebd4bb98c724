"""sql_mode NO_BACKSLASH_ESCAPES: a backslash in a string literal is an
ordinary character, as in MySQL 5.7 / MariaDB 10.11. The server says so
in the status flags of its answers (SERVER_STATUS_NO_BACKSLASH_ESCAPES,
which mysql_real_escape_string follows), and a binary log written under
the mode replays elsewhere with the same values."""

import glob
import os
import shutil
import subprocess
import tempfile
import unittest

import pymysql

from harness import Reptutd

MARIADB_BINLOG = shutil.which("mariadb-binlog") or "/usr/bin/mariadb-binlog"
STATUS_NO_BACKSLASH_ESCAPES = 0x0200


class NoBackslashEscapes(unittest.TestCase):

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="reptut-nbe-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.server = Reptutd(root=self.root, name="master",
                              options={"log-bin": "master-bin"}).start()
        self.addCleanup(self.server.stop)
        self.conn = self.server.pymysql(database="test", autocommit=True)
        self.addCleanup(self.conn.close)

    def query(self, q, conn=None):
        with (conn or self.conn).cursor() as c:
            c.execute(q)
            return c.fetchall()

    def test_a_backslash_is_an_ordinary_character(self):
        self.assertEqual(self.query("SELECT 'a\\nb', LENGTH('a\\nb')"), (("a\nb", 3),))
        self.query("SET sql_mode = 'NO_BACKSLASH_ESCAPES'")
        self.assertEqual(self.query("SELECT 'a\\nb', LENGTH('a\\nb'), 'C:\\temp\\'"),
                         (("a\\nb", 4, "C:\\temp\\"),))
        # A quote is doubled, never escaped: 'it\'s' ends at the second quote.
        with self.assertRaises(pymysql.err.ProgrammingError) as cm:
            self.query("SELECT 'it\\'s'")
        self.assertEqual(cm.exception.args[0], 1064)
        self.assertEqual(self.query("SELECT 'it''s'"), (("it's",),))
        # Multi-statement text is split by the same rule.
        self.query("SET sql_mode = ''")
        self.assertEqual(self.query("SELECT 'x\\y'"), (("xy",),))

    def test_the_status_flag_tells_the_client(self):
        self.query("SET sql_mode = 'NO_BACKSLASH_ESCAPES'")
        self.assertTrue(self.conn.server_status & STATUS_NO_BACKSLASH_ESCAPES)
        self.query("SET sql_mode = DEFAULT")
        self.assertFalse(self.conn.server_status & STATUS_NO_BACKSLASH_ESCAPES)

    def test_the_binary_log_replays_with_the_same_values(self):
        self.query("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40))")
        self.query("SET sql_mode = 'NO_BACKSLASH_ESCAPES'")
        self.query("INSERT INTO t VALUES (1, 'C:\\new\\'), (2, 'tab\\t')")
        self.query("SET sql_mode = DEFAULT")
        self.query("INSERT INTO t VALUES (3, 'a\\\\b')")
        rows = self.query("SELECT id, v FROM t ORDER BY id")
        self.assertEqual(rows, ((1, "C:\\new\\"), (2, "tab\\t"), (3, "a\\b")))
        logs = sorted(glob.glob(os.path.join(self.server.datadir, "master-bin.[0-9]*")))
        replay = subprocess.run([MARIADB_BINLOG, "--no-defaults"] + logs, check=True,
                                capture_output=True, text=True).stdout
        other = Reptutd(root=self.root, name="other").start()
        self.addCleanup(other.stop)
        r = subprocess.run(other.client_args(), input=replay, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        conn = other.pymysql(database="test")
        self.addCleanup(conn.close)
        self.assertEqual(self.query("SELECT id, v FROM t ORDER BY id", conn), rows)


if __name__ == "__main__":
    unittest.main()
