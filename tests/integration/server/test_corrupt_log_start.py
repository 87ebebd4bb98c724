"""A damaged commit log at start-up (engine/recovery.cc): kill -9 while
acknowledged statements are in the last log file but not yet in the data
files, then damage that file.

- A complete event with a bad checksum, where recovery needs it: start-up is
  refused with an [ERROR] naming the file, the position and what would be
  lost; with recovery-accept-loss it starts, says what was lost, and the
  statements before the damage are there.
- A partial last event (a write kill -9 interrupted) is a quiet repair.
- Damage where everything is in the data files already: a [Warning], and
  nothing is lost.
Each for the binary log (--log-bin) and the redo log (without it)."""

import os
import sqlite3
import struct
import subprocess
import unittest

from harness import REPTUTD, Reptutd, wait_for

QUERY_EVENT = 2
XID_EVENT = 16


def last_log_file(server, stem):
    files = sorted(f for f in os.listdir(server.datadir)
                   if f.startswith(stem + ".") and f[len(stem) + 1:].isdigit())
    return os.path.join(server.datadir, files[-1])


def events(path):
    """(pos, type, length, bytes) of each complete event; stops at the end,
    at a zero tail (the preallocated redo log) or at an incomplete event."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 4
    out = []
    while pos + 19 <= len(data):
        length = struct.unpack_from("<I", data, pos + 9)[0]
        if length < 19 or pos + length > len(data):
            break
        out.append((pos, data[pos + 4], length, data[pos:pos + length]))
        pos += length
    return out


def recorded_position(server, db="test"):
    """The commit log position the database's data file has reached."""
    conn = sqlite3.connect(os.path.join(server.datadir, db + ".db"))
    try:
        row = conn.execute("SELECT file, pos FROM _reptut_binlog_pos").fetchone()
    finally:
        conn.close()
    return (row[0], int(row[1])) if row else ("", 0)


def insert_events(path):
    return [e for e in events(path)
            if e[1] == QUERY_EVENT and b"INSERT INTO t VALUES" in e[3]]


def flip(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0xFF]))


def start_refused(server, timeout=30):
    """Starts reptutd expecting it to give up; returns its exit code."""
    proc = subprocess.Popen([REPTUTD, f"--defaults-file={server.cnf}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("reptutd started on a damaged log:\n" + server.read_log())


def rows(server):
    return sorted(int(r[0]) for r in server.sql("SELECT id FROM t", database="test"))


class CorruptLogAtStart(unittest.TestCase):
    def make(self, redo, extra=None):
        options = {} if redo else {"log-bin": "master-bin", "sync_binlog": 1}
        options.update(extra or {})
        server = Reptutd(options=options).start()
        self.addCleanup(server.cleanup)
        server.sql("CREATE TABLE t (id INT PRIMARY KEY)", database="test")
        return server

    def stem(self, redo):
        return "reptut-redo" if redo else "master-bin"

    def crash_with_unapplied(self, server, redo, count=6):
        """Inserts `count` rows (acknowledged), kills -9 before SQLite
        commits them; returns (log path, every id inserted, INSERT events
        past what the data file has: the last ids). The commit is deferred
        up to 200 ms: tried again (bounded) if the flusher got there first."""
        next_id = 1
        for _ in range(10):
            ids = list(range(1, next_id + count))
            conn = server.pymysql(database="test", autocommit=True)
            with conn.cursor() as c:
                for i in ids[next_id - 1:]:
                    c.execute(f"INSERT INTO t VALUES ({i})")
            server.kill9()
            conn.close()
            path = last_log_file(server, self.stem(redo))
            file, pos = recorded_position(server)
            pending = [e for e in insert_events(path)
                       if file != os.path.basename(path) or e[0] >= pos]
            if len(pending) >= 2:
                return path, ids, pending
            server.start(initialize=False)
            next_id = ids[-1] + 1
        self.fail("could not kill the server while statements were only in the log")

    def log_since(self, server, mark):
        return server.read_log()[mark:]

    def check_refused_then_accepted(self, redo):
        server = self.make(redo)
        path, ids, pending = self.crash_with_unapplied(server, redo)
        # A bad byte in the body of the first INSERT the data file lacks:
        # the event's length is intact, its checksum is not, and valid events
        # follow it.
        pos, _, length, _ = pending[0]
        flip(path, pos + length - 8)
        mark = len(server.read_log())
        code = start_refused(server)
        self.assertNotEqual(code, 0)
        log = self.log_since(server, mark)
        errors = [line for line in log.splitlines() if "[ERROR]" in line]
        text = "\n".join(errors)
        kind = "redo log" if redo else "binary log"
        self.assertIn(f"The {kind} file '{path}' is damaged at position {pos}", text, log)
        self.assertIn("would be lost", text)
        self.assertIn(f"{len(pending) - 1} statements in {len(pending) - 1} transactions", text)
        self.assertIn("--recovery-accept-loss", text)
        self.assertIn("Aborting", text)
        if redo:
            self.assertNotIn("binlog", text.lower())
            self.assertNotIn("binary log", text)

        # Refused again: nothing was cut.
        self.assertNotEqual(start_refused(server), 0)

        server.options["recovery-accept-loss"] = 1
        server.write_cnf()
        mark = len(server.read_log())
        server.start(initialize=False)
        log = self.log_since(server, mark)
        warnings = "\n".join(line for line in log.splitlines() if "[Warning]" in line)
        self.assertIn(f"damaged at position {pos}", warnings, log)
        self.assertIn("recovery_accept_loss is set", warnings)
        self.assertIn("statements that the data files do not have are lost", warnings)
        self.assertIn(("Redo log '" if redo else "Binlog '"), warnings)
        self.assertIn("truncated", warnings)
        # Everything before the damaged group is there, nothing after it.
        lost = len(pending)
        self.assertEqual(rows(server), ids[:len(ids) - lost])
        server.stop()

        # The log was cut: a start without the option is fine now.
        del server.options["recovery-accept-loss"]
        server.write_cnf()
        server.start(initialize=False)
        self.assertEqual(rows(server), ids[:len(ids) - lost])

    def test_binlog_damage_refuses_start(self):
        self.check_refused_then_accepted(redo=False)

    def test_redo_log_damage_refuses_start(self):
        self.check_refused_then_accepted(redo=True)

    def test_binlog_bad_length_with_events_after_refuses_start(self):
        """A length that runs past the end of the file looks like a partial
        last event, but valid events follow it: damage, not a torn tail."""
        server = self.make(redo=False)
        path, ids, pending = self.crash_with_unapplied(server, redo=False)
        pos = pending[0][0]
        with open(path, "r+b") as f:
            f.seek(pos + 11)
            f.write(b"\x7f")
        mark = len(server.read_log())
        self.assertNotEqual(start_refused(server), 0)
        log = self.log_since(server, mark)
        self.assertIn(f"The binary log file '{path}' is damaged at position {pos}", log)
        self.assertIn(f"{len(pending) - 1} statements in {len(pending) - 1} transactions", log)

    def check_torn_tail(self, redo):
        server = self.make(redo)
        path, ids, pending = self.crash_with_unapplied(server, redo)
        evs = events(path)
        pos, _, length, _ = evs[-1]  # the last group's Xid
        if redo:
            # A copy into the mapping that stopped: the event's end is zeros.
            with open(path, "r+b") as f:
                f.seek(pos + 21)
                f.write(b"\0" * (length - 21))
        else:
            with open(path, "r+b") as f:
                f.truncate(pos + length - 5)
        mark = len(server.read_log())
        server.start(initialize=False)
        log = self.log_since(server, mark)
        self.assertNotIn("[ERROR]", log)
        self.assertNotIn("[Warning]", log)
        kind = "Redo log" if redo else "Binlog"
        self.assertIn(f"{kind} './{os.path.basename(path)}': truncated", log)
        self.assertIn(f"a partial last event at position {pos}", log)
        # The torn group is gone, every one before it replayed.
        self.assertEqual(rows(server), ids[:-1])

    def test_binlog_torn_tail_is_quiet(self):
        self.check_torn_tail(redo=False)

    def test_redo_log_torn_tail_is_quiet(self):
        self.check_torn_tail(redo=True)

    def check_damage_in_data_files(self, redo):
        server = self.make(redo)
        conn = server.pymysql(database="test", autocommit=True)
        with conn.cursor() as c:
            for i in range(1, 6):
                c.execute(f"INSERT INTO t VALUES ({i})")
            # A read commits what was deferred: the data file has it all.
            c.execute("SELECT COUNT(*) FROM t")
        path = last_log_file(server, self.stem(redo))
        wait_for(lambda: recorded_position(server)[1] >= events(path)[-1][0],
                 what="the data file to have every insert")
        server.kill9()
        conn.close()
        pos, _, length, _ = insert_events(path)[1]
        flip(path, pos + length - 8)
        mark = len(server.read_log())
        server.start(initialize=False)
        log = self.log_since(server, mark)
        self.assertNotIn("[ERROR]", log)
        warnings = "\n".join(line for line in log.splitlines() if "[Warning]" in line)
        kind = "redo log" if redo else "binary log"
        self.assertIn(f"The {kind} file '{path}' is damaged at position {pos}", warnings, log)
        self.assertIn("so they lose nothing", warnings)
        self.assertEqual(rows(server), [1, 2, 3, 4, 5])

    def test_binlog_damage_in_data_files_is_a_warning(self):
        self.check_damage_in_data_files(redo=False)

    def test_redo_log_damage_in_data_files_is_a_warning(self):
        self.check_damage_in_data_files(redo=True)


if __name__ == "__main__":
    unittest.main()
