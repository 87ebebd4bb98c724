"""Crash recovery gives a replayed statement the values its functions had.

An autocommitted write is acknowledged once its events are in the commit
log (the binary log, or the redo log without --log-bin); SQLite may commit
it later. After kill -9 start-up replays what SQLite lacks through a
session of its own: CONNECTION_ID() must still give the writer's thread
id (the Query event's), and USER(), CURRENT_USER(), UUID(), UUID_SHORT()
and SYSDATE() the values the statement had, which the log carries as
User_var events @`reptut_<function>_<n>` before the statement. The log
stays readable by mariadb-binlog; with the binary log in STATEMENT format
the statement gets MariaDB's Note 1592."""

import os
import re
import shutil
import subprocess
import threading
import time
import unittest

from harness import Reptutd, kill_during_writes

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ROW_VALUES = "CONNECTION_ID(), USER(), CURRENT_USER(), UUID(), UUID(), UUID_SHORT(), SYSDATE()"


def insert(w, n):
    """Two rows a statement: UUID() is called four times, in row order."""
    base = w * 100000 + n * 2
    return (f"INSERT INTO t VALUES ({base}, {w}, {ROW_VALUES}), "
            f"({base + 1}, {w}, {ROW_VALUES})")


def logged_statements(files):
    """{first row id: (thread id, {user variable: value})} of each INSERT
    in the logs, as mariadb-binlog reads them."""
    dump = subprocess.run(["mariadb-binlog", *files], capture_output=True, text=True,
                          timeout=60)
    assert dump.returncode == 0, dump.stderr
    out = {}
    values = {}
    thread_id = None
    for line in dump.stdout.splitlines():
        m = re.match(r"#.*\bthread_id=(\d+)", line)
        if m:
            thread_id = int(m.group(1))
        m = re.match(r"SET @`(reptut_\w+)`:=(.*?)/\*!\*/;$", line)
        if m:
            name, v = m.groups()
            s = re.match(r"_\w+ X'([0-9A-Fa-f]*)' COLLATE", v)
            values[name] = bytes.fromhex(s.group(1)).decode() if s else v
            continue
        m = re.match(r"INSERT INTO t VALUES \((\d+),", line)
        if m:
            out[int(m.group(1))] = (thread_id, values)
            values = {}
    return out


class ReplayedValues(unittest.TestCase):
    def run_case(self, options):
        s = Reptutd(options=options).start()
        self.addCleanup(s.cleanup)
        s.sql("CREATE TABLE t (id INT PRIMARY KEY, w INT, cid BIGINT, u VARCHAR(200), "
              "cu VARCHAR(200), uu1 CHAR(36), uu2 CHAR(36), us BIGINT UNSIGNED, sd DATETIME)",
              database="test")
        started = time.time()
        # A read commits the deferred statements: the rows before it are
        # in SQLite, those after it (some) only in the log at the kill.
        committed = []

        def reader():
            try:
                conn = s.pymysql(database="test", autocommit=True)
                with conn.cursor() as c:
                    while not committed:
                        c.execute("SELECT COUNT(*) FROM t")
                        if c.fetchone()[0] >= 60:
                            committed.append(True)
                conn.close()
            except Exception:
                pass  # the server died first: the test still runs

        th = threading.Thread(target=reader)
        th.start()
        try:
            acked = kill_during_writes(s, 3, insert, at_least=60)
        finally:
            committed.append(0)
            th.join(10)
        # The logs as the crash left them (start-up purges a replayed redo log).
        saved = os.path.join(s.dir, "logs-at-kill")
        os.makedirs(saved)
        files = []
        for f in sorted(os.listdir(s.datadir)):
            if re.fullmatch(r"(master-bin|reptut-redo)\.\d+", f):
                shutil.copy(os.path.join(s.datadir, f), saved)
                files.append(os.path.join(saved, f))
        s.start(initialize=False)
        with open(s.log) as f:
            log = f.read()
        applied = re.findall(r"Recovery: applied (\d+) statements", log)
        rows = s.sql("SELECT id, w, cid, u, cu, uu1, uu2, us, sd FROM t ORDER BY id",
                     database="test")
        by_id = {int(r[0]): r for r in rows}
        for w, n in acked:
            self.assertIn(w * 100000 + n * 2, by_id, "acknowledged, then lost")
        # Each writer's rows, replayed or not, have its connection's values.
        for w in range(3):
            mine = [r for r in rows if r[1] == str(w)]
            self.assertTrue(mine)
            self.assertEqual(len({r[2] for r in mine}), 1, f"writer {w}: CONNECTION_ID()")
            self.assertEqual(len({r[3] for r in mine}), 1, f"writer {w}: USER()")
            self.assertEqual(len({r[4] for r in mine}), 1, f"writer {w}: CURRENT_USER()")
            self.assertRegex(mine[0][3], r"^root@")
            self.assertEqual(mine[0][4], "root@localhost")
        cids = {r[2] for r in rows}
        self.assertEqual(len(cids), 3, "one connection id a writer")
        uuids = [r[5] for r in rows] + [r[6] for r in rows]
        for u in uuids:
            self.assertRegex(u, UUID)
        self.assertEqual(len(set(uuids)), len(uuids), "UUID() repeats")
        shorts = [r[7] for r in rows]
        self.assertEqual(len(set(shorts)), len(shorts), "UUID_SHORT() repeats")
        for r in rows:
            t = time.mktime(time.strptime(r[8], "%Y-%m-%d %H:%M:%S"))
            self.assertLessEqual(started - 2, t, r)
            self.assertLessEqual(t, time.time() + 2, r)
        # Every row has what the log recorded for its statement: the
        # statements SQLite had and those the replay gave back alike.
        logged = logged_statements(files)
        checked = 0
        for first, (thread_id, values) in logged.items():
            if first not in by_id:
                continue  # only in the log of an earlier run: none here
            checked += 1
            for row, base in ((by_id[first], 1), (by_id[first + 1], 3)):
                self.assertEqual(row[2], str(thread_id), row)
                self.assertEqual(row[3], values["reptut_user_1"], row)
                self.assertEqual(row[4], values["reptut_current_user_1"], row)
                self.assertEqual(row[5], values[f"reptut_uuid_{base}"], row)
                self.assertEqual(row[6], values[f"reptut_uuid_{base + 1}"], row)
                self.assertEqual(row[7], values[f"reptut_uuid_short_{(base + 1) // 2}"], row)
                self.assertEqual(row[8], values[f"reptut_sysdate_{(base + 1) // 2}"], row)
        self.assertEqual(checked, len(rows) // 2, "a row whose statement is not in the log")
        # Some statements were replayed (else the test shows nothing).
        self.assertTrue(applied and int(applied[-1]) > 0, log[-2000:])
        return s

    def test_redo_log(self):
        s = self.run_case({})
        # No binary log: no Note 1592.
        self.assertEqual(s.sql("INSERT INTO t VALUES (-1, 9, " + ROW_VALUES + "); SHOW WARNINGS",
                               database="test"), [])

    def test_binary_log(self):
        s = self.run_case({"log-bin": "master-bin"})
        note = ["Note", "1592",
                "Unsafe statement written to the binary log using statement format since "
                "BINLOG_FORMAT = STATEMENT. Statement is unsafe because it uses a system "
                "function that may return a different value on the slave"]
        self.assertEqual(s.sql("INSERT INTO t VALUES (-1, 9, CONNECTION_ID(), 'u', 'cu', UUID(),"
                               " 'x', 1, NOW()); SHOW WARNINGS", database="test"), [note])
        self.assertEqual(s.sql("INSERT INTO t VALUES (-2, 9, CONNECTION_ID(), 'u', 'cu', 'a',"
                               " 'b', 1, NOW()); SHOW WARNINGS", database="test"), [])
        self.assertEqual(s.sql("SET binlog_format = MIXED; INSERT INTO t VALUES (-3, 9, 1, USER(),"
                               " 'cu', 'a', 'b', 1, NOW()); SHOW WARNINGS", database="test"), [])


if __name__ == "__main__":
    unittest.main()
