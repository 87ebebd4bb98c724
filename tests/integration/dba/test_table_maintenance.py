"""CHECK / ANALYZE / OPTIMIZE / REPAIR / CHECKSUM TABLE on reptutd, answered
as MariaDB 10.11 answers them for InnoDB tables (the rows were taken from a
real mariadbd): their rows, a missing table's rows, the privileges they
need, which of them reach the binary log, CHECKSUM TABLE agreeing between a
master and its replica, and Debian's mariadb-check run on them."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))
from harness import ClientError, Reptutd  # noqa: E402
from replication_harness import query, slave_status, start_replication, sync  # noqa: E402

CHECK = shutil.which("mariadb-check") or "/usr/bin/mariadb-check"

SCHEMA = """
CREATE DATABASE shop;
CREATE TABLE shop.items (id INT NOT NULL PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2),
  KEY name (name));
INSERT INTO shop.items VALUES (1, 'apple', 1.50), (2, NULL, 2.00), (3, 'pear', NULL);
CREATE TABLE shop.tags (item INT NOT NULL, tag VARCHAR(20) NOT NULL, PRIMARY KEY (item, tag));
INSERT INTO shop.tags VALUES (1, 'fruit'), (3, 'fruit');
"""

OK_NOTE_OPTIMIZE = "Table does not support optimize, doing recreate + analyze instead"
NO_REPAIR = "The storage engine for the table doesn't support repair"


def rows(server, sql, user="root"):
    return [tuple(r) for r in server.sql(sql, user=user)]


class TableMaintenanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(name="maint", options={"log-bin": "master-bin"})
        cls.server.start()
        cls.server.sql(SCHEMA)

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_check_table(self):
        s = self.server
        self.assertEqual(rows(s, "CHECK TABLE shop.items"),
                         [("shop.items", "check", "status", "OK")])
        self.assertEqual(rows(s, "CHECK TABLE shop.items, shop.nosuch FAST QUICK"), [
            ("shop.items", "check", "status", "OK"),
            ("shop.nosuch", "check", "Error", "Table 'shop.nosuch' doesn't exist"),
            ("shop.nosuch", "check", "status", "Operation failed")])
        self.assertEqual([tuple(r) for r in s.sql("CHECK TABLES tags, items FOR UPGRADE EXTENDED",
                                                  database="shop")][1],
                         ("shop.items", "check", "status", "OK"))
        self.assertEqual(rows(s, "CHECK TABLE nosuchdb.t")[0],
                         ("nosuchdb.t", "check", "Error", "Table 'nosuchdb.t' doesn't exist"))
        with self.assertRaises(ClientError) as e:
            s.sql("CHECK TABLE items")
        self.assertIn("ERROR 1046", e.exception.stderr)

    def test_check_table_columns(self):
        conn = self.server.pymysql(database="shop")
        try:
            with conn.cursor() as c:
                c.execute("CHECK TABLE items")
                self.assertEqual([d[0] for d in c.description],
                                 ["Table", "Op", "Msg_type", "Msg_text"])
                c.execute("CHECKSUM TABLE items")
                self.assertEqual([d[0] for d in c.description], ["Table", "Checksum"])
                self.assertIsInstance(c.fetchone()[1], int)
        finally:
            conn.close()

    def test_check_reports_corruption(self):
        # The index's definition rewritten behind SQLite's back (it now claims
        # another column than its entries hold): CHECK TABLE says Corrupt.
        s = Reptutd(name="corrupt")
        self.addCleanup(s.cleanup)
        s.start()
        s.sql("CREATE DATABASE d; CREATE TABLE d.t (a INT PRIMARY KEY, b INT, KEY b (b));"
              " INSERT INTO d.t VALUES (1, 10), (2, 20), (3, 30)")
        self.assertEqual(rows(s, "CHECK TABLE d.t"), [("d.t", "check", "status", "OK")])
        s.stop()
        path = _sqlite_file_with_table(s.datadir, "t")
        c = sqlite3.connect(path)
        try:
            name, sql = c.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND"
                                  " tbl_name='t' AND sql IS NOT NULL").fetchone()
            c.execute("PRAGMA writable_schema=ON")
            c.execute("UPDATE sqlite_master SET sql=? WHERE name=?",
                      (re.sub(r"\([^)]*\)\s*$", "(`a`)", sql), name))
            c.commit()
        finally:
            c.close()
        s.start(initialize=False)
        out = rows(s, "CHECK TABLE d.t")
        self.assertEqual(out[-1], ("d.t", "check", "error", "Corrupt"), out)
        self.assertGreaterEqual(len(out), 2, out)
        self.assertTrue(all(r[2] == "Error" for r in out[:-1]), out)
        self.assertEqual(rows(s, "CHECK TABLE d.t QUICK")[-1][3], "OK")

    def test_analyze_optimize_repair(self):
        s = self.server
        self.assertEqual(rows(s, "ANALYZE TABLE shop.items"),
                         [("shop.items", "analyze", "status", "OK")])
        self.assertEqual(rows(s, "ANALYZE LOCAL TABLE shop.items, shop.nosuch"), [
            ("shop.items", "analyze", "status", "OK"),
            ("shop.nosuch", "analyze", "Error", "Table 'shop.nosuch' doesn't exist"),
            ("shop.nosuch", "analyze", "status", "Operation failed")])
        self.assertEqual(rows(s, "OPTIMIZE TABLE shop.items"), [
            ("shop.items", "optimize", "note", OK_NOTE_OPTIMIZE),
            ("shop.items", "optimize", "status", "OK")])
        self.assertEqual(rows(s, "OPTIMIZE NO_WRITE_TO_BINLOG TABLE shop.nosuch"), [
            ("shop.nosuch", "optimize", "Error", "Table 'shop.nosuch' doesn't exist"),
            ("shop.nosuch", "optimize", "status", "Operation failed")])
        self.assertEqual(rows(s, "REPAIR TABLE shop.items QUICK EXTENDED USE_FRM"),
                         [("shop.items", "repair", "note", NO_REPAIR)])
        self.assertEqual(rows(s, "REPAIR LOCAL TABLE shop.nosuch"), [
            ("shop.nosuch", "repair", "Error", "Table 'shop.nosuch' doesn't exist"),
            ("shop.nosuch", "repair", "status", "Operation failed")])
        # The table is still whole and usable afterwards.
        self.assertEqual(rows(s, "SELECT COUNT(*) FROM shop.items WHERE name = 'pear'"),
                         [("1",)])

    def test_checksum_table(self):
        s = self.server
        s.sql("CREATE TABLE shop.ck (a INT PRIMARY KEY, b VARCHAR(10))")
        self.addCleanup(s.sql, "DROP TABLE shop.ck")
        self.assertEqual(rows(s, "CHECKSUM TABLE shop.ck"), [("shop.ck", "0")])
        s.sql("INSERT INTO shop.ck VALUES (1, 'x'), (2, NULL)")
        first = rows(s, "CHECKSUM TABLE shop.ck")[0][1]
        self.assertNotEqual(first, "0")
        self.assertEqual(rows(s, "CHECKSUM TABLE shop.ck EXTENDED"), [("shop.ck", first)])
        # Rows in another order: the same sum.
        s.sql("DELETE FROM shop.ck; INSERT INTO shop.ck VALUES (2, NULL), (1, 'x')")
        self.assertEqual(rows(s, "CHECKSUM TABLE shop.ck")[0][1], first)
        s.sql("UPDATE shop.ck SET b = 'y' WHERE a = 1")
        self.assertNotEqual(rows(s, "CHECKSUM TABLE shop.ck")[0][1], first)
        # NULL and an Error warning for a missing table, as MariaDB.
        out = s.sql("CHECKSUM TABLE shop.ck, shop.nosuch; SHOW WARNINGS")
        self.assertEqual(out[1], ["shop.nosuch", "NULL"])
        self.assertEqual(out[2], ["Error", "1146", "Table 'shop.nosuch' doesn't exist"])
        # QUICK: no live checksum, NULL (InnoDB).
        self.assertEqual(rows(s, "CHECKSUM TABLE shop.ck QUICK"), [("shop.ck", "NULL")])

    def test_privileges(self):
        s = self.server
        s.sql("CREATE USER reader@'%'; GRANT SELECT ON shop.* TO reader@'%';"
              " CREATE USER writer@'%'; GRANT SELECT, INSERT ON shop.* TO writer@'%';"
              " CREATE USER nobody@'%'")
        self.addCleanup(s.sql, "DROP USER reader@'%', writer@'%', nobody@'%'")
        self.assertEqual(rows(s, "CHECK TABLE shop.items", user="reader"),
                         [("shop.items", "check", "status", "OK")])
        self.assertEqual(len(rows(s, "CHECKSUM TABLE shop.items", user="reader")), 1)
        for stmt in ("ANALYZE TABLE shop.items", "OPTIMIZE TABLE shop.items",
                     "REPAIR TABLE shop.items"):
            with self.assertRaises(ClientError) as e:
                s.sql(stmt, user="reader")
            self.assertIn("ERROR 1142", e.exception.stderr)
            self.assertIn("INSERT command denied to user 'reader'", e.exception.stderr)
            self.assertEqual(rows(s, stmt, user="writer")[-1][0], "shop.items")
        for stmt in ("CHECK TABLE shop.items", "CHECKSUM TABLE shop.items"):
            with self.assertRaises(ClientError) as e:
                s.sql(stmt, user="nobody")
            self.assertIn("SELECT command denied to user 'nobody'", e.exception.stderr)

    def test_binlogging(self):
        s = self.server

        def queries():
            return [r["Info"] for r in query(s, "SHOW BINLOG EVENTS")
                    if r["Event_type"] == "Query"]

        before = len(queries())
        s.sql("ANALYZE TABLE shop.items; ANALYZE LOCAL TABLE shop.tags;"
              " OPTIMIZE NO_WRITE_TO_BINLOG TABLE shop.items; REPAIR LOCAL TABLE shop.items;"
              " CHECK TABLE shop.items; CHECKSUM TABLE shop.items;"
              " OPTIMIZE TABLE shop.tags; REPAIR TABLE shop.tags, shop.nosuch")
        logged = [q for q in queries()[before:] if q not in ("BEGIN", "COMMIT")]
        self.assertEqual(len(logged), 3, logged)
        self.assertIn("ANALYZE TABLE shop.items", logged[0])
        self.assertIn("OPTIMIZE TABLE shop.tags", logged[1])
        self.assertIn("REPAIR TABLE shop.tags, shop.nosuch", logged[2])

    def test_mariadb_check(self):
        s = self.server

        def run(*args):
            r = subprocess.run([CHECK, "--no-defaults", "-uroot", f"--socket={s.socket}"] +
                               list(args), capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, f"mariadb-check {args}: {r.stdout}\n{r.stderr}")
            self.assertEqual(r.stderr, "")
            return r.stdout

        def ok_lines(out):
            return {line.split()[0]: line.split(None, 1)[1].strip()
                    for line in out.splitlines() if line.strip()}

        out = ok_lines(run("--databases", "shop"))
        self.assertEqual(out.get("shop.items"), "OK", out)
        self.assertEqual(out.get("shop.tags"), "OK", out)
        out = run("--all-databases")
        self.assertIn("shop.items", out)
        for line in out.splitlines():
            self.assertTrue(line.rstrip().endswith("OK"), out)
        for flag in ("--analyze", "--check-upgrade", "--auto-repair"):
            out = ok_lines(run(flag, "shop"))
            self.assertEqual(out.get("shop.items"), "OK", (flag, out))
        out = run("--optimize", "shop")
        self.assertIn("note     : " + OK_NOTE_OPTIMIZE, out)
        self.assertIn("status   : OK", out)
        out = run("--repair", "shop")
        self.assertIn("note     : " + NO_REPAIR, out)
        out = run("--check-upgrade", "--all-databases", "--auto-repair")
        self.assertIn("shop.tags", out)
        self.assertEqual(ok_lines(run("shop", "items")), {"shop.items": "OK"})


class ChecksumReplicationTest(unittest.TestCase):
    def test_checksum_agrees_on_master_and_replica(self):
        master = Reptutd(name="master", server_id=1, options={"log-bin": "master-bin"})
        self.addCleanup(master.cleanup)
        replica = Reptutd(name="replica", server_id=2)
        self.addCleanup(replica.cleanup)
        master.start()
        replica.start()
        master.sql(SCHEMA + "INSERT INTO shop.items VALUES (4, 'fig', 0.25), (5, 'plum', 3.10);"
                   " UPDATE shop.items SET price = price * 3 WHERE id > 3;"
                   " ANALYZE TABLE shop.items; OPTIMIZE TABLE shop.tags")
        start_replication(replica, master)
        sync(replica, master)
        stmt = "CHECKSUM TABLE shop.items, shop.tags"
        on_master = rows(master, stmt)
        self.assertEqual(rows(replica, stmt), on_master)
        self.assertNotIn("NULL", [r[1] for r in on_master])
        # ANALYZE / OPTIMIZE / REPAIR reach the replica and apply there.
        master.sql("ANALYZE TABLE shop.items; OPTIMIZE TABLE shop.items; REPAIR TABLE shop.tags;"
                   " INSERT INTO shop.tags VALUES (4, 'fruit')")
        sync(replica, master)
        status = slave_status(replica)
        self.assertEqual((status["Slave_SQL_Running"], status["Last_SQL_Errno"]), ("Yes", 0))
        on_master = rows(master, stmt)
        self.assertEqual(rows(replica, stmt), on_master)
        # A row changed on the replica alone: the sums differ.
        replica.sql("UPDATE shop.items SET name = 'apples' WHERE id = 1")
        self.assertNotEqual(rows(replica, stmt)[0], on_master[0])
        self.assertEqual(rows(replica, stmt)[1], on_master[1])


def _sqlite_file_with_table(datadir, table):
    """The SQLite file in the data directory that holds `table`."""
    for root, _, names in os.walk(datadir):
        for n in sorted(names):
            p = os.path.join(root, n)
            try:
                with open(p, "rb") as f:
                    if f.read(16) != b"SQLite format 3\x00":
                        continue
            except OSError:
                continue
            c = sqlite3.connect(p)
            try:
                if c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                             (table,)).fetchone():
                    return p
            finally:
                c.close()
    raise AssertionError(f"no SQLite file holds table {table} in {datadir}")


if __name__ == "__main__":
    unittest.main()
