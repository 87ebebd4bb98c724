"""Binary logs written by reptutd as Debian's mariadb-binlog reads them, and
point-in-time recovery through the mariadb client."""

import os
import subprocess
import unittest

from harness import MARIADB, Reptutd

MARIADB_BINLOG = "/usr/bin/mariadb-binlog"

TUTORIAL = """
CREATE TABLE t1 (a CHAR(40));
INSERT INTO t1 VALUES ('Stuck In A Loop');
SET @TITLE = 'Post PostModern Man';
INSERT INTO t1 VALUES (@TITLE);
CREATE TABLE contacts2 (contact_id INT AUTO_INCREMENT KEY, name VARCHAR(50), telephone CHAR(16));
INSERT INTO contacts2 (name, telephone) VALUES ('Rusty Osborne', '001-504-838-1234');
INSERT INTO contacts2 (name, telephone) VALUES ('Second', '2'), ('Third', '3');
BEGIN;
UPDATE contacts2 SET telephone = '555' WHERE contact_id = 2;
DELETE FROM contacts2 WHERE contact_id = 3;
COMMIT;
"""


def binlog_text(*files, extra=()):
    r = subprocess.run([MARIADB_BINLOG, *extra, *files], capture_output=True, text=True,
                       timeout=60)
    return r


class MariadbBinlogReadsOurLogs(unittest.TestCase):
    def setUp(self):
        self.master = Reptutd(options={"log-bin": "master-bin"}).start()
        self.addCleanup(self.master.cleanup)

    def logs(self):
        rows = self.master.sql("SHOW BINARY LOGS")
        return [os.path.join(self.master.datadir, r[0]) for r in rows]

    def test_every_file_decodes_cleanly_with_context(self):
        self.master.sql(TUTORIAL, database="test", batch_stdin=True)
        self.master.sql("FLUSH LOGS")
        self.master.sql("INSERT INTO test.t1 VALUES ('after flush')")
        self.assertEqual(self.master.stop(), 0)
        files = sorted(f for f in os.listdir(self.master.datadir) if f.startswith("master-bin.0"))
        self.assertEqual(len(files), 2)
        paths = [os.path.join(self.master.datadir, f) for f in files]
        for extra in ((), ("--verify-binlog-checksum",)):
            r = binlog_text(*paths, extra=extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("Warning", r.stderr)
            self.assertNotIn("ERROR", r.stderr)
        out = binlog_text(*paths).stdout
        self.assertIn("use `test`", out)
        self.assertIn("SET TIMESTAMP=", out)
        self.assertIn("SET INSERT_ID=1", out)
        self.assertIn("SET @`title`:=_latin1 X'506F737420506F73744D6F6465726E204D616E'", out)
        self.assertIn("INSERT INTO t1 VALUES (@TITLE)", out)
        self.assertIn("Rotate to master-bin.000002", out)

    def test_set_timestamp_stamps_the_events_until_reset(self):
        # The same session before, during and after SET TIMESTAMP (the server
        # keeps the value between statements and must notice each SET).
        self.master.sql("CREATE TABLE t2 (a INT); INSERT INTO t2 VALUES (1);"
                        "SET TIMESTAMP = 1700000000; INSERT INTO t2 VALUES (2);"
                        "SET TIMESTAMP = DEFAULT; INSERT INTO t2 VALUES (3)", database="test")
        self.assertEqual(self.master.stop(), 0)
        out = binlog_text(*[os.path.join(self.master.datadir, f)
                            for f in sorted(os.listdir(self.master.datadir))
                            if f.startswith("master-bin.0")]).stdout
        stamps = {}
        for chunk in out.split("# at "):
            for value in ("1", "2", "3"):
                if f"INSERT INTO t2 VALUES ({value})" in chunk:
                    stamps[value] = int(chunk.split("SET TIMESTAMP=")[1].split("/")[0])
        self.assertEqual(stamps["2"], 1700000000)
        self.assertGreater(stamps["1"], 1700000000)
        self.assertGreater(stamps["3"], 1700000000)

    def test_index_lists_the_logs_in_order(self):
        self.master.sql("FLUSH LOGS; FLUSH LOGS")
        with open(os.path.join(self.master.datadir, "master-bin.index")) as f:
            entries = [line.strip() for line in f if line.strip()]
        self.assertEqual([os.path.basename(e) for e in entries],
                         ["master-bin.000001", "master-bin.000002", "master-bin.000003"])

    def test_point_in_time_recovery_rebuilds_identical_tables(self):
        self.master.sql(TUTORIAL, database="test", batch_stdin=True)
        self.master.sql("CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, "
                        "price DECIMAL(6,2)); INSERT INTO shop.items VALUES (1, 9.99), (2, 5)")
        pos_before_drop = int(self.master.sql("SHOW MASTER STATUS")[0][1])
        self.master.sql("DROP TABLE test.t1")
        expected = {
            "test.contacts2": self.master.sql("SELECT * FROM test.contacts2 ORDER BY 1"),
            "shop.items": self.master.sql("SELECT * FROM shop.items ORDER BY 1"),
        }
        logs = self.logs()
        fresh = Reptutd(root=self.master.root, name="fresh").start()
        self.addCleanup(fresh.stop)
        dump = binlog_text(*logs, extra=(f"--stop-position={pos_before_drop}",))
        self.assertEqual(dump.returncode, 0, dump.stderr)
        load = subprocess.run(fresh.client_args(), input=dump.stdout, capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(load.returncode, 0, load.stderr)
        for table, rows in expected.items():
            self.assertEqual(fresh.sql(f"SELECT * FROM {table} ORDER BY 1"), rows, table)
        # Stopped just before the DROP: t1 is still there with both rows.
        self.assertEqual(fresh.sql("SELECT a FROM test.t1 ORDER BY a"),
                         [["Post PostModern Man"], ["Stuck In A Loop"]])


if __name__ == "__main__":
    unittest.main()
