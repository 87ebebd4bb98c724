"""kill -9 during a stream of inserts: after each restart the binary log and
the tables agree exactly."""

import os
import re
import subprocess
import threading
import unittest

from harness import Reptutd, kill_during_writes, wait_for

MARIADB_BINLOG = "/usr/bin/mariadb-binlog"


def logged_ids(server):
    """The ids of the rows the binary log says were inserted."""
    files = sorted(f for f in os.listdir(server.datadir) if f.startswith("master-bin.0"))
    out = subprocess.run([MARIADB_BINLOG, *[os.path.join(server.datadir, f) for f in files]],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return sorted(int(m) for m in re.findall(r"INSERT INTO t VALUES \((\d+)\)", out.stdout))


class KillNineKeepsBinlogAndTablesTogether(unittest.TestCase):
    def test_twenty_kills(self):
        server = Reptutd(options={"log-bin": "master-bin", "sync_binlog": 1}).start()
        self.addCleanup(server.cleanup)
        server.sql("CREATE TABLE t (id INT PRIMARY KEY)", database="test")
        next_id = [1]
        for round_ in range(20):
            stop = threading.Event()

            def writer():
                try:
                    conn = server.pymysql(database="test", autocommit=True)
                    with conn.cursor() as c:
                        while not stop.is_set():
                            c.execute(f"INSERT INTO t VALUES ({next_id[0]})")
                            next_id[0] += 1
                except Exception:
                    pass  # the server died under us

            th = threading.Thread(target=writer)
            th.start()
            start = next_id[0]
            wait_for(lambda: next_id[0] >= start + 20, what="inserts to flow")
            server.kill9()
            stop.set()
            th.join(10)
            server.start(initialize=False)
            rows = sorted(int(r[0]) for r in server.sql("SELECT id FROM t", database="test"))
            self.assertEqual(rows, logged_ids(server), f"round {round_}")
            next_id[0] = (rows[-1] if rows else 0) + 1
            self.assertIn("ready for connections", server.read_log())
        # Each start after a kill found the last log still marked in use.
        self.assertGreaterEqual(server.read_log().count("Recovering after a crash"), 20)

    def test_kills_during_group_commits(self):
        """Four writers, so statements commit in groups: after each kill the
        binlog and the table agree, and every insert a client saw succeed
        is there."""
        server = Reptutd(options={"log-bin": "master-bin", "sync_binlog": 0}).start()
        self.addCleanup(server.cleanup)
        server.sql("CREATE TABLE t (id INT PRIMARY KEY)", database="test")
        acked = set()
        for round_ in range(5):
            key = lambda w, n, r=round_: r * 1000000 + w * 100000 + n  # noqa: E731
            acked |= {key(w, n) for w, n in kill_during_writes(
                server, 4, lambda w, n: f"INSERT INTO t VALUES ({key(w, n)})")}
            server.start(initialize=False)
            rows = sorted(int(r[0]) for r in server.sql("SELECT id FROM t", database="test"))
            self.assertEqual(rows, logged_ids(server), f"round {round_}")
            self.assertEqual(acked - set(rows), set(), f"round {round_}: acknowledged, then lost")

if __name__ == "__main__":
    unittest.main()
