"""LOAD DATA [LOCAL] INFILE, SELECT ... INTO OUTFILE / DUMPFILE and
mariadb-import on reptutd, as MySQL 5.7 / MariaDB 10.11 answer them: the
FIELDS / LINES / IGNORE / column list / SET clauses, the FILE privilege and
secure_file_priv, the OK info string and the row count warnings, a round
trip of awkward values, and the statement in the binary log (Begin_load_query
/ Execute_load_query, which mariadb-binlog decodes) reaching a replica."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))
from harness import ClientError, Reptutd  # noqa: E402
from replication_harness import query, slave_status, start_replication, sync  # noqa: E402
from mariadb_server import Mariadbd  # noqa: E402

IMPORT = shutil.which("mariadb-import") or "/usr/bin/mariadb-import"
MARIADB_BINLOG = shutil.which("mariadb-binlog") or "/usr/bin/mariadb-binlog"


class LoadDataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="reptut-load-")
        cls.files = os.path.join(cls.root, "files")
        os.makedirs(cls.files)
        cls.server = Reptutd(root=cls.root, name="master",
                             options={"log-bin": "master-bin", "secure-file-priv": cls.files})
        cls.server.start()
        cls.server.sql("CREATE DATABASE ld; CREATE USER 'nofile'@'localhost';"
                       " GRANT ALL ON ld.* TO 'nofile'@'localhost'")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        shutil.rmtree(cls.root, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.files, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    def run_ok(self, sql, local=False):
        """(affected rows, info string, warnings) of one statement."""
        conn = self.server.pymysql(database="ld", autocommit=True, local_infile=local)
        try:
            with conn.cursor() as c:
                n = c.execute(sql)
                info = conn._result.message
                if isinstance(info, bytes):
                    info = info.decode()
                if info and ord(info[0]) == len(info) - 1:
                    info = info[1:]  # PyMySQL keeps the length byte of the OK's info
                c.execute("SHOW WARNINGS")
                return n, info, [(w[1], w[2]) for w in c.fetchall()]
        finally:
            conn.close()

    def rows(self, sql):
        return [tuple(r.values()) for r in query(self.server, sql, database="ld")]

    def test_default_format(self):
        self.server.sql("CREATE TABLE ld.d (id INT PRIMARY KEY, name VARCHAR(20), price"
                        " DECIMAL(6,2))")
        path = self.write("d.txt", "1\tapple\t1.50\n2\t\\N\t2.00\n3\tta\\tb\\\\\\n\t3\n")
        n, info, warnings = self.run_ok(f"LOAD DATA INFILE '{path}' INTO TABLE d")
        self.assertEqual(n, 3)
        self.assertEqual(info, "Records: 3  Deleted: 0  Skipped: 0  Warnings: 0")
        self.assertEqual(warnings, [])
        got = self.rows("SELECT id, name, price * 100 FROM d ORDER BY id")
        self.assertEqual([(i, n, int(p)) for i, n, p in got],
                         [(1, "apple", 150), (2, None, 200), (3, "ta\tb\\\n", 300)])
        # Duplicates: an error, or skipped with IGNORE, or replaced.
        with self.assertRaises(Exception) as e:
            self.run_ok(f"LOAD DATA INFILE '{path}' INTO TABLE d")
        self.assertIn("1062", str(e.exception))
        n, info, warnings = self.run_ok(f"LOAD DATA INFILE '{path}' IGNORE INTO TABLE d")
        self.assertEqual(info, "Records: 3  Deleted: 0  Skipped: 3  Warnings: 3")
        self.assertEqual(warnings[0], (1062, "Duplicate entry '1' for key 'PRIMARY'"))
        path2 = self.write("d2.txt", "1\tAPPLE\t9\n")
        n, info, _ = self.run_ok(f"LOAD DATA INFILE '{path2}' REPLACE INTO TABLE d")
        self.assertEqual((n, info), (2, "Records: 1  Deleted: 1  Skipped: 0  Warnings: 0"))
        self.assertEqual(self.rows("SELECT name FROM d WHERE id = 1"), [("APPLE",)])

    def test_options_columns_and_set(self):
        self.server.sql("CREATE TABLE ld.o (id INT PRIMARY KEY, a VARCHAR(20), b VARCHAR(20),"
                        " c INT NOT NULL)")
        path = self.write("o.csv", 'header line\r\n'
                                   'xx1,"q,uoted","dou""ble",7\r\n'
                                   'junk xx2,plain,NULL,8\r\n'
                                   'no prefix here\r\n'
                                   'xx3,"only",\\N,\\N\r\n')
        n, info, warnings = self.run_ok(
            f"LOAD DATA LOW_PRIORITY INFILE '{path}' IGNORE INTO TABLE o CHARACTER SET utf8mb4"
            " COLUMNS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '\\\\'"
            " LINES STARTING BY 'xx' TERMINATED BY '\\r\\n' IGNORE 1 LINES"
            " (id, @a, b, c) SET a = UPPER(@a)")
        self.assertEqual(n, 3)
        self.assertEqual(info, "Records: 3  Deleted: 0  Skipped: 0  Warnings: 1")
        self.assertEqual([w[0] for w in warnings], [1263])
        self.assertEqual(self.rows("SELECT * FROM o ORDER BY id"), [
            (1, "Q,UOTED", "dou\"ble", 7), (2, "PLAIN", None, 8), (3, "ONLY", None, 0)])
        # Too few and too many fields: errors in strict mode, else warnings.
        path = self.write("o2.txt", "10\tx\n11\ty\tz\t1\textra\n")
        with self.assertRaises(ClientError) as e:
            self.server.sql(f"LOAD DATA INFILE '{path}' INTO TABLE o", database="ld")
        self.assertIn("ERROR 1261 ", e.exception.stderr)
        self.assertIn("Row 1 doesn't contain data for all columns", e.exception.stderr)
        n, info, warnings = self.run_ok(f"LOAD DATA INFILE '{path}' IGNORE INTO TABLE o")
        self.assertEqual(info, "Records: 2  Deleted: 0  Skipped: 0  Warnings: 3")
        self.assertEqual([w[0] for w in warnings], [1261, 1261, 1262])  # one per column
        self.assertEqual(self.rows("SELECT * FROM o WHERE id >= 10 ORDER BY id"),
                         [(10, "x", None, 0), (11, "y", "z", 1)])

    def test_local(self):
        self.server.sql("CREATE TABLE ld.l (id INT PRIMARY KEY, v VARCHAR(10))")
        # The client's file may be anywhere: secure_file_priv is the server's.
        path = os.path.join(self.root, "local.txt")
        with open(path, "w") as f:
            f.write("1\tone\n2\ttwo\n")
        n, info, _ = self.run_ok(f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE l", local=True)
        self.assertEqual((n, info), (2, "Records: 2  Deleted: 0  Skipped: 0  Warnings: 0"))
        # LOCAL skips duplicates rather than failing.
        n, info, _ = self.run_ok(f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE l", local=True)
        self.assertEqual(info, "Records: 2  Deleted: 0  Skipped: 2  Warnings: 2")
        # The mariadb client, and a file it cannot read (its own error 2).
        self.server.sql(f"LOAD DATA LOCAL INFILE '{path}' REPLACE INTO TABLE l",
                        database="ld", extra=["--local-infile=1"])
        with self.assertRaises(ClientError) as e:
            self.server.sql(f"LOAD DATA LOCAL INFILE '{path}.missing' INTO TABLE l",
                            database="ld", extra=["--local-infile=1"])
        self.assertIn("ERROR 2 ", e.exception.stderr)
        self.assertEqual(self.rows("SELECT * FROM l ORDER BY id"), [(1, "one"), (2, "two")])

    def test_errors(self):
        self.server.sql("CREATE TABLE ld.e (id INT)")
        missing = os.path.join(self.files, "missing.txt")
        with self.assertRaises(ClientError) as e:
            self.server.sql(f"LOAD DATA INFILE '{missing}' INTO TABLE e", database="ld")
        self.assertIn("ERROR 29 ", e.exception.stderr)
        self.assertIn("Errcode: 2", e.exception.stderr)
        outside = os.path.join(self.root, "outside.txt")
        with open(outside, "w") as f:
            f.write("1\n")
        for sql in (f"LOAD DATA INFILE '{outside}' INTO TABLE e",
                    f"SELECT * FROM e INTO OUTFILE '{outside}.out'"):
            with self.assertRaises(ClientError) as e:
                self.server.sql(sql, database="ld")
            self.assertIn("ERROR 1290 ", e.exception.stderr)
            self.assertIn("--secure-file-priv", e.exception.stderr)
        inside = self.write("e.txt", "1\n")
        for sql in (f"LOAD DATA INFILE '{inside}' INTO TABLE e",
                    f"SELECT * FROM e INTO OUTFILE '{inside}.out'"):
            with self.assertRaises(ClientError) as e:
                self.server.sql(sql, user="nofile", database="ld")
            self.assertIn("ERROR 1045 ", e.exception.stderr)
        with self.assertRaises(ClientError) as e:
            self.server.sql(f"SELECT * FROM e INTO OUTFILE '{inside}'", database="ld")
        self.assertIn("ERROR 1086 ", e.exception.stderr)
        with self.assertRaises(ClientError) as e:
            self.server.sql(f"LOAD DATA INFILE '{inside}' INTO TABLE nosuch", database="ld")
        self.assertIn("ERROR 1146 ", e.exception.stderr)

    def test_outfile_round_trip(self):
        self.server.sql("CREATE TABLE ld.r (id INT PRIMARY KEY, s VARCHAR(40), t TEXT,"
                        " d DOUBLE)")
        values = [(1, None, "tab\there", 1.5), (2, "new\nline", "back\\slash", None),
                  (3, "quote'\"s", "", -2.25), (4, "nul\0byte,comma", "NULL", 0.0),
                  (5, "\\N", "cr\r\nlf", 1e20)]
        conn = self.server.pymysql(database="ld", autocommit=True)
        try:
            with conn.cursor() as c:
                c.executemany("INSERT INTO r VALUES (%s, %s, %s, %s)", values)
        finally:
            conn.close()
        formats = ["",
                   " FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'"
                   " LINES TERMINATED BY '\\r\\n'",
                   " FIELDS TERMINATED BY '|' ENCLOSED BY '''' ESCAPED BY '' LINES STARTING BY '>'"]
        for i, fmt in enumerate(formats):
            out = os.path.join(self.files, f"r{i}.out")
            n, _, _ = self.run_ok(f"SELECT * FROM r ORDER BY id INTO OUTFILE '{out}'{fmt}")
            self.assertEqual(n, 5)
            self.assertEqual(os.stat(out).st_mode & 0o777, 0o666 & ~self.umask())
            if i == 2:
                continue  # without an escape character NUL/NULL cannot round-trip
            self.server.sql(f"CREATE TABLE ld.r{i} LIKE ld.r")
            n, info, _ = self.run_ok(f"LOAD DATA INFILE '{out}' INTO TABLE r{i}{fmt}")
            self.assertEqual(info, "Records: 5  Deleted: 0  Skipped: 0  Warnings: 0", fmt)
            self.assertEqual(self.rows(f"SELECT * FROM r{i} ORDER BY id"),
                             self.rows("SELECT * FROM r ORDER BY id"), fmt)
        with open(os.path.join(self.files, "r0.out"), "rb") as f:
            first = f.read().split(b"\n")[0]
        self.assertEqual(first, b"1\t\\N\ttab\\\there\t1.5")
        dump = os.path.join(self.files, "r.dump")
        n, _, _ = self.run_ok(f"SELECT s FROM r WHERE id = 2 INTO DUMPFILE '{dump}'")
        with open(dump, "rb") as f:
            self.assertEqual(f.read(), b"new\nline")

    @staticmethod
    def umask():
        m = os.umask(0)
        os.umask(m)
        return m

    def test_mariadb_import(self):
        self.server.sql("CREATE TABLE ld.imp (id INT PRIMARY KEY, v VARCHAR(10))")
        path = self.write("imp.txt", "1,a\n2,b\n")
        base = [IMPORT, "--no-defaults", "-uroot", f"--socket={self.server.socket}",
                "--fields-terminated-by=,"]
        r = subprocess.run(base + ["ld", path], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Records: 2", r.stdout)
        local = os.path.join(self.root, "imp.txt")
        with open(local, "w") as f:
            f.write("3,c\n")
        r = subprocess.run(base + ["--local", "--replace", "ld", local], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.rows("SELECT * FROM imp ORDER BY id"),
                         [(1, "a"), (2, "b"), (3, "c")])

    def test_binlog_and_replica(self):
        master = self.server
        replica = Reptutd(root=self.root, name="replica", server_id=2)
        self.addCleanup(replica.cleanup)
        replica.start()
        start_replication(replica, master)
        master.sql("CREATE TABLE ld.b (id INT PRIMARY KEY, v TEXT)")
        big = "".join(f"{i}\t{'x' * 200}\n" for i in range(1, 801))  # > one block
        path = self.write("b.txt", big)
        master.sql(f"LOAD DATA INFILE '{path}' INTO TABLE b (id, @v) SET v = CONCAT(@v, '!')",
                   database="ld")
        local = os.path.join(self.root, "b-local.txt")
        with open(local, "w") as f:
            f.write("1\treplaced\n5000\tnew\n")
        self.run_ok(f"LOAD DATA LOCAL INFILE '{local}' REPLACE INTO TABLE b", local=True)
        sync(replica, master)
        self.assertEqual(slave_status(replica)["Last_SQL_Error"], "")
        stmt = "SELECT COUNT(*), SUM(LENGTH(v)), MAX(id) FROM ld.b"
        self.assertEqual(query(replica, stmt), query(master, stmt))
        self.assertEqual(query(replica, "SELECT v FROM ld.b WHERE id = 1"),
                         [{"v": "replaced"}])
        leftovers = [f for f in os.listdir(replica.datadir) if f.startswith("SQL_LOAD")]
        self.assertEqual(leftovers, [])
        events = [r["Event_type"] for r in query(master, "SHOW BINLOG EVENTS")]
        for t in ("Begin_load_query", "Append_block", "Execute_load_query"):
            self.assertIn(t, events)
        files = [r["Log_name"] for r in query(master, "SHOW BINARY LOGS")]
        out = subprocess.run([MARIADB_BINLOG, "--local-load", self.root] +
                             [os.path.join(master.datadir, f) for f in files],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("LOAD DATA LOCAL INFILE", out.stdout)
        self.assertIn("REPLACE INTO TABLE b", out.stdout)


@unittest.skipUnless(os.access("/usr/sbin/mariadbd", os.X_OK), "mariadb-server is not installed")
class MariadbMasterLoadTest(unittest.TestCase):
    """A MariaDB 10.11 master's LOAD DATA (binlog_format=STATEMENT) applied
    by a reptutd replica."""

    def test_mariadb_load_data_replicates(self):
        master = Mariadbd(name="mariadb-master", server_id=1, log_bin="master-bin",
                          binlog_format="STATEMENT")
        self.addCleanup(master.cleanup)
        master.start()
        replica = Reptutd(root=master.root, name="replica", server_id=2)
        self.addCleanup(replica.cleanup)
        replica.start()
        start_replication(replica, master)
        master.sql("CREATE DATABASE ld; CREATE TABLE ld.m (id INT PRIMARY KEY, v TEXT,"
                   " w VARCHAR(10)) ENGINE=InnoDB")
        path = os.path.join(master.root, "m.txt")
        with open(path, "w") as f:
            f.write("".join(f"{i},\"{'y' * 150}\",\\N\n" for i in range(1, 1001)))
        conn = master.pymysql(database="ld", autocommit=True, local_infile=True)
        try:
            with conn.cursor() as c:
                c.execute(f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE m FIELDS TERMINATED BY"
                          " ',' OPTIONALLY ENCLOSED BY '\"' (id, @v, w) SET v = UPPER(@v)")
                c.execute(f"LOAD DATA LOCAL INFILE '{path}' REPLACE INTO TABLE m FIELDS"
                          " TERMINATED BY ',' ENCLOSED BY '\"' IGNORE 998 LINES (id, v, @skip)"
                          " SET w = 'again'")
        finally:
            conn.close()
        sync(replica, master)
        self.assertEqual(slave_status(replica)["Last_SQL_Errno"], 0)
        stmt = "SELECT COUNT(*) AS n, SUM(LENGTH(v)) AS l, SUM(w IS NULL) AS nulls FROM ld.m"
        self.assertEqual(query(replica, stmt), query(master, stmt))
        self.assertEqual(query(replica, "SELECT w FROM ld.m WHERE id = 1000"), [{"w": "again"}])


if __name__ == "__main__":
    unittest.main()
