"""The master's side of replication in reptutd: COM_REGISTER_SLAVE and
COM_BINLOG_DUMP, with real clients - `mariadb-binlog -R`, a real MariaDB
10.11 replica (Debian's mariadbd), and a raw protocol client - and, for the
errors, the same requests sent to a real MariaDB master, whose answers
reptutd must give word for word."""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from harness import Reptutd, wait_for  # noqa: E402
from mariadb_server import Mariadbd  # noqa: E402
from replication_harness import master_status, query, slave_status  # noqa: E402

MARIADB_BINLOG = shutil.which("mariadb-binlog") or "/usr/bin/mariadb-binlog"
REPL_USER = "repl"
REPL_PASSWORD = "slavepass"

WAITING = "Master has sent all binlog to slave; waiting for more updates"
IN_USE_OFFSET = 4 + 17  # the FDE's flags in a binlog file

COM_REGISTER_SLAVE = 0x15
COM_BINLOG_DUMP = 0x12


# ---- helpers --------------------------------------------------------------

def processlist(server):
    return query(server, "SHOW PROCESSLIST")


def dump_rows(server):
    return [r for r in processlist(server) if r["Command"] == "Binlog Dump"]


def create_repl_user(master, user=REPL_USER, grant="REPLICATION SLAVE"):
    master.sql(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{REPL_PASSWORD}'"
               + (f"; GRANT {grant} ON *.* TO '{user}'@'%'" if grant else ""))


def change_master(replica, master, log_file="master-bin.000001", log_pos=4, user=REPL_USER,
                  extra=""):
    replica.sql(f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={master.port}, "
                f"MASTER_USER='{user}', MASTER_PASSWORD='{REPL_PASSWORD}', "
                f"MASTER_LOG_FILE='{log_file}', MASTER_LOG_POS={log_pos}, "
                f"MASTER_USE_GTID=no, MASTER_CONNECT_RETRY=1{extra}")


def wait_running(replica, timeout=30):
    def running():
        s = slave_status(replica)
        if s["Last_IO_Errno"] or s["Last_SQL_Errno"]:
            raise AssertionError(f"replication error: {s['Last_IO_Error']} {s['Last_SQL_Error']}")
        return s["Slave_IO_Running"] == "Yes" and s["Slave_SQL_Running"] == "Yes"
    wait_for(running, timeout, "the replica's threads to run")


def wait_synced(replica, master, timeout=30):
    """Until the replica applied what the master logged so far."""
    f, p = master_status(master)
    w = query(replica, f"SELECT MASTER_POS_WAIT('{f}', {p}, {timeout}) AS w")[0]["w"]
    if w is None or int(w) < 0:
        raise AssertionError(f"MASTER_POS_WAIT('{f}', {p}) gave {w}; {slave_status(replica)}")


def wait_io_error(replica, timeout=30):
    """The replica's I/O thread error once it has one."""
    def failed():
        s = slave_status(replica)
        return s if s["Last_IO_Errno"] else None
    s = wait_for(failed, timeout, "an I/O thread error on the replica")
    return int(s["Last_IO_Errno"]), s["Last_IO_Error"]


class RawClient:
    """A replica client written by hand: pymysql's connection for the login
    and the SET statements, then COM_REGISTER_SLAVE / COM_BINLOG_DUMP sent
    and read as raw packets."""

    def __init__(self, server, user="root", password="", sets=()):
        self.conn = server.pymysql(user=user, password=password, autocommit=True)
        with self.conn.cursor() as c:
            for s in sets:
                c.execute(s)

    def register(self, server_id, host="", port=0):
        h = host.encode()
        self.conn._execute_command(
            COM_REGISTER_SLAVE,
            struct.pack("<IB", server_id, len(h)) + h + struct.pack("<BBHII", 0, 0, port, 0, 0))
        return self.conn._read_packet().get_all_data()

    def dump(self, file, pos, flags=1, server_id=0):
        self.conn._execute_command(COM_BINLOG_DUMP,
                                   struct.pack("<IHI", pos, flags, server_id) + file.encode())

    def next(self):
        """('event', bytes) or ('eof', None); an ERR raises pymysql's error."""
        data = self.conn._read_packet().get_all_data()
        if data[0] == 0xFE and len(data) < 9:
            return "eof", None
        return "event", data[1:]

    def events(self, limit=10000):
        out = []
        for _ in range(limit):
            kind, ev = self.next()
            if kind == "eof":
                return out
            out.append(ev)
        raise AssertionError("no end of the dump")

    def error(self):
        """The error the dump ends with: (code, message)."""
        import pymysql
        try:
            self.events()
        except pymysql.err.MySQLError as e:
            return e.args[0], e.args[1]
        raise AssertionError("the dump ended without an error")

    def close(self):
        """Closes the socket as a process that ends does (no COM_QUIT)."""
        self.conn._force_close()


def event_type(ev):
    return ev[4]


def event_header(ev):
    ts, typ, server_id, length, log_pos, flags = struct.unpack("<IBIIIH", ev[:19])
    return {"ts": ts, "type": typ, "server_id": server_id, "length": length,
            "log_pos": log_pos, "flags": flags}


class Base(unittest.TestCase):

    def new_master(self, log_bin=True, server_id=1):
        options = {"log-bin": "master-bin"} if log_bin else {}
        m = Reptutd(name=f"master{server_id}", server_id=server_id, options=options)
        self.addCleanup(m.cleanup)
        return m.start()

    def new_mariadb(self, server_id, log_bin=None, options=None):
        m = Mariadbd(name=f"mariadb{server_id}", server_id=server_id, log_bin=log_bin,
                     binlog_format="STATEMENT" if log_bin else None, options=options)
        self.addCleanup(m.cleanup)
        return m.start()

    def new_replica(self, server_id=2):
        r = Mariadbd(name=f"replica{server_id}", server_id=server_id, options={
            "report-host": f"replica{server_id}", "skip-slave-start": None})
        r.options["report-port"] = r.port
        self.addCleanup(r.cleanup)
        return r.start()


# ---- mariadb-binlog --read-from-remote-server ------------------------------

class RemoteBinlogTest(Base):

    def test_raw_fetch_of_every_log_is_the_files(self):
        master = self.new_master()
        master.sql("CREATE DATABASE d1; CREATE TABLE d1.t (id INT AUTO_INCREMENT PRIMARY KEY,"
                   " v VARCHAR(20)); INSERT INTO d1.t (v) VALUES ('one'), ('two')")
        master.sql("FLUSH LOGS")
        master.sql("SET @v = 'three'; INSERT INTO d1.t (v) VALUES (@v)")
        master.sql("FLUSH LOGS")
        master.sql("BEGIN; INSERT INTO d1.t (v) VALUES ('four'); INSERT INTO d1.t (v)"
                   " VALUES ('five'); COMMIT")
        out = tempfile.mkdtemp(prefix="reptut-raw-")
        self.addCleanup(shutil.rmtree, out, True)
        r = subprocess.run([MARIADB_BINLOG, "--no-defaults", "--read-from-remote-server",
                            "-h127.0.0.1", f"-P{master.port}", "-uroot", "--raw",
                            "--to-last-log", f"--result-file={out}/", "master-bin.000001"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        logs = [row[0] for row in master.sql("SHOW BINARY LOGS")]
        self.assertEqual(logs, ["master-bin.000001", "master-bin.000002", "master-bin.000003"])
        self.assertEqual(sorted(os.listdir(out)), logs)
        for name in logs:
            with open(os.path.join(master.datadir, name), "rb") as f:
                stored = bytearray(f.read())
            with open(os.path.join(out, name), "rb") as f:
                fetched = f.read()
            if name == logs[-1]:
                # The active log's FDE has the in-use flag, which a master
                # clears when it sends the FDE (its CRC does not cover it).
                self.assertEqual(stored[IN_USE_OFFSET] & 1, 1)
                stored[IN_USE_OFFSET] &= ~1
            self.assertEqual(fetched, bytes(stored), name)
        # And mariadb-binlog reads them as a binary log, checksums included.
        text = subprocess.run([MARIADB_BINLOG, "--no-defaults", "--verify-binlog-checksum"]
                              + [os.path.join(out, n) for n in logs],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("INSERT INTO d1.t (v) VALUES ('five')", text.stdout)

    def test_stop_never_streams_what_the_master_writes(self):
        master = self.new_master()
        master.sql("CREATE DATABASE d1; CREATE TABLE d1.t (v VARCHAR(40))")
        proc = subprocess.Popen([MARIADB_BINLOG, "--no-defaults", "--read-from-remote-server",
                                 "-h127.0.0.1", f"-P{master.port}", "-uroot", "--stop-never",
                                 "master-bin.000001"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output = []

        def reader():
            for line in proc.stdout:
                output.append(line)
        t = threading.Thread(target=reader, daemon=True)
        t.start()
        try:
            wait_for(lambda: any("CREATE TABLE d1.t" in line for line in output), 20,
                     "mariadb-binlog to print the table's creation")
            row = wait_for(lambda: [r for r in dump_rows(master) if r["State"] == WAITING], 20,
                           "the dump to wait for updates")[0]
            self.assertEqual(row["User"], "root")
            master.sql("INSERT INTO d1.t VALUES ('streamed after it waited')")
            wait_for(lambda: any("streamed after it waited" in line for line in output), 20,
                     "mariadb-binlog to print the new statement")
            master.sql("FLUSH LOGS")
            master.sql("INSERT INTO d1.t VALUES ('in the second log')")
            wait_for(lambda: any("in the second log" in line for line in output), 20,
                     "mariadb-binlog to follow the rotation")
        finally:
            proc.kill()
            proc.wait()
            t.join(10)
            proc.stdout.close()
        # The client is gone: the dump waiting for updates ends with it.
        wait_for(lambda: not dump_rows(master), 10, "the dump to end with its client")


# ---- a real MariaDB 10.11 replica -----------------------------------------

class MariadbReplicaTest(Base):

    def setUp(self):
        self.master = self.new_master()
        create_repl_user(self.master)
        self.replica = self.new_replica()

    def assert_same(self, sql):
        self.assertEqual(self.replica.sql(sql), self.master.sql(sql), sql)

    def assert_converged(self):
        wait_synced(self.replica, self.master)
        self.assert_same("SELECT id, v FROM d1.t ORDER BY id")
        self.assert_same("SELECT id, n FROM d2.u ORDER BY id")

    def test_replica_converges_across_flush_logs_and_a_master_restart(self):
        m = self.master
        change_master(self.replica, m)
        self.replica.sql("START SLAVE")
        wait_running(self.replica)
        m.sql("CREATE DATABASE d1; CREATE DATABASE d2;"
              " CREATE TABLE d1.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40));"
              " CREATE TABLE d2.u (id INT AUTO_INCREMENT PRIMARY KEY, n INT)")
        m.sql("INSERT INTO d1.t (v) VALUES ('a'), ('b'); INSERT INTO d2.u (n) VALUES (7)")
        m.sql("SET @greeting = 'hello'; INSERT INTO d1.t (v) VALUES (CONCAT(@greeting, '!'))")
        m.sql("BEGIN; INSERT INTO d1.t (v) VALUES ('in a transaction');"
              " INSERT INTO d2.u (n) VALUES (1), (2); UPDATE d2.u SET n = n + 10 WHERE id = 1;"
              " COMMIT")
        m.sql("USE d2; INSERT INTO u (n) VALUES (LAST_INSERT_ID())")
        self.assert_converged()
        self.assertEqual(self.replica.sql("SELECT v FROM d1.t WHERE id = 3"), [["hello!"]])

        m.sql("FLUSH LOGS")
        m.sql("INSERT INTO d1.t (v) VALUES ('after flush logs')")
        m.sql("DELETE FROM d2.u WHERE n = 2")
        self.assert_converged()
        self.assertEqual(slave_status(self.replica)["Master_Log_File"], "master-bin.000002")

        self.assertEqual(m.stop(), 0)
        m.start()
        m.sql("INSERT INTO d1.t (v) VALUES ('after the restart')")
        m.sql("BEGIN; UPDATE d1.t SET v = 'changed' WHERE id = 1; INSERT INTO d2.u (n)"
              " VALUES (99); COMMIT")
        wait_running(self.replica)
        self.assert_converged()
        s = slave_status(self.replica)
        self.assertEqual(s["Master_Log_File"], master_status(m)[0])
        self.assertEqual(s["Last_IO_Errno"], 0)

    def test_show_slave_hosts_and_the_process_list(self):
        change_master(self.replica, self.master)
        self.replica.sql("START SLAVE")
        wait_running(self.replica)
        hosts = wait_for(lambda: self.master.sql("SHOW SLAVE HOSTS"), 20, "SHOW SLAVE HOSTS")
        self.assertEqual(hosts, [["2", "replica2", str(self.replica.port), "1"]])
        row = wait_for(lambda: [r for r in dump_rows(self.master) if r["State"] == WAITING], 20,
                       "a Binlog Dump waiting for updates")[0]
        self.assertEqual(row["User"], REPL_USER)
        self.replica.sql("STOP SLAVE")
        wait_for(lambda: not self.master.sql("SHOW SLAVE HOSTS"), 20,
                 "the replica to leave SHOW SLAVE HOSTS")
        wait_for(lambda: not dump_rows(self.master), 20, "the dump to end")

    def test_heartbeats_keep_an_idle_replica_current(self):
        change_master(self.replica, self.master, extra=", MASTER_HEARTBEAT_PERIOD=0.2")
        self.replica.sql("START SLAVE")
        wait_running(self.replica)

        def heartbeats():
            return int(self.replica.sql("SHOW STATUS LIKE 'Slave_received_heartbeats'")[0][1])
        first = heartbeats()
        wait_for(lambda: heartbeats() >= first + 5, 20, "five heartbeats")
        s = slave_status(self.replica)
        self.assertEqual(s["Slave_IO_Running"], "Yes")
        self.assertEqual(s["Seconds_Behind_Master"], 0)
        self.assertEqual(s["Last_IO_Errno"], 0)

    def test_kill_ends_the_dump_and_the_replica_reconnects(self):
        change_master(self.replica, self.master)
        self.replica.sql("START SLAVE")
        wait_running(self.replica)
        row = wait_for(lambda: dump_rows(self.master), 20, "a Binlog Dump")[0]
        self.master.sql(f"KILL {row['Id']}")
        wait_for(lambda: [r for r in dump_rows(self.master) if r["Id"] != row["Id"]], 20,
                 "the replica's new dump")
        self.assertNotIn(row["Id"], [r["Id"] for r in processlist(self.master)])
        self.master.sql("CREATE DATABASE after_kill")
        wait_synced(self.replica, self.master)
        self.assertIn(["after_kill"], self.replica.sql("SHOW DATABASES"))


# ---- errors: reptutd answers as a MariaDB master does ---------------------

class ErrorTest(Base):
    """Each request goes to a reptutd master and to a MariaDB master (both
    with --log-bin=master-bin); the replica shows the same error text."""

    def setUp(self):
        self.reptutd = self.new_master()
        self.mariadb = self.new_mariadb(11, log_bin="master-bin")
        for m in (self.reptutd, self.mariadb):
            create_repl_user(m)
            create_repl_user(m, user="norepl", grant=None)
        self.replica = self.new_replica()

    def io_error(self, master, **kw):
        change_master(self.replica, master, **kw)
        self.replica.sql("START SLAVE IO_THREAD")
        error = wait_io_error(self.replica)
        self.replica.sql("STOP SLAVE; RESET SLAVE ALL")
        return error

    def test_missing_log(self):
        ours = self.io_error(self.reptutd, log_file="master-bin.000099")
        theirs = self.io_error(self.mariadb, log_file="master-bin.000099")
        self.assertEqual(ours, theirs)
        self.assertEqual(ours, (1236, "Got fatal error 1236 from master when reading data from "
                                "binary log: 'Could not find first log file name in binary log"
                                " index file'"))

    def test_position_past_the_end(self):
        ours = self.io_error(self.reptutd, log_pos=99999)
        theirs = self.io_error(self.mariadb, log_pos=99999)
        self.assertEqual(ours, theirs)
        self.assertIn("Client requested master to start replication from impossible position;"
                      " the first event 'master-bin.000001' at 99999", ours[1])

    def test_user_without_replication_slave(self):
        ours = self.io_error(self.reptutd, user="norepl")
        theirs = self.io_error(self.mariadb, user="norepl")
        self.assertEqual(ours, theirs)
        self.assertIn("Access denied for user 'norepl'@'%' (using password: YES)", ours[1])
        # COM_BINLOG_DUMP itself asks for the privilege by name.
        for master in (self.reptutd, self.mariadb):
            c = RawClient(master, user="norepl", password=REPL_PASSWORD,
                          sets=["SET @master_binlog_checksum = @@global.binlog_checksum"])
            c.dump("master-bin.000001", 4)
            self.assertEqual(c.error(), (1227, "Access denied; you need (at least one of) the "
                                               "REPLICATION SLAVE privilege(s) for this operation"))
            c.close()

    def test_dump_without_the_checksum_variable(self):
        texts = []
        for master in (self.reptutd, self.mariadb):
            c = RawClient(master)
            c.dump("master-bin.000001", 4)
            kind, ev = c.next()  # the fake Rotate goes first
            self.assertEqual(event_type(ev), 4)
            self.assertEqual(event_header(ev)["length"], 19 + 8 + len("master-bin.000001"))
            code, text = c.error()
            self.assertEqual(code, 1236)
            c.close()
            texts.append(text)
        # The last byte read is the end of the FDE, whose size differs.
        prefix = ("Slave can not handle replication events with the checksum that master is "
                  "configured to log; the first event 'master-bin.000001' at 4, the last event "
                  "read from 'master-bin.000001' at 4, the last byte read from "
                  "'master-bin.000001' at ")
        for text in texts:
            self.assertTrue(text.startswith(prefix), text)

    def test_position_inside_an_event(self):
        self.reptutd.sql("CREATE DATABASE d1")
        c = RawClient(self.reptutd, sets=["SET @master_binlog_checksum = 'CRC32'"])
        c.dump("master-bin.000001", master_status(self.reptutd)[1] - 10)
        code, text = c.error()
        self.assertEqual(code, 1236)
        self.assertRegex(text, r"^(bogus data in log event|binlog truncated in the middle of "
                               r"event; consider out of disk space on master|event read from "
                               r"binlog did not pass crc check|log event entry exceeded "
                               r"max_allowed_packet; Increase max_allowed_packet on master); "
                               r"the first event 'master-bin.000001' at \d+, ")
        c.close()

    def test_binary_log_off(self):
        plain = self.new_master(log_bin=False, server_id=5)
        c = RawClient(plain, sets=["SET @master_binlog_checksum = 'CRC32'"])
        c.dump("master-bin.000001", 4)
        self.assertEqual(c.error(), (1236, "Binary log is not open"))
        c.close()


# ---- the raw protocol ------------------------------------------------------

class StreamTest(Base):

    def test_stream_as_a_mariadb_master_sends_it(self):
        """Fake Rotate, FDE (in-use flag clear), the events; past 4 the FDE
        has end_log_pos 0 and created 0; the second fake Rotate follows the
        FDE's checksum; a non-blocking dump ends with EOF."""
        master = self.new_master()
        master.sql("CREATE DATABASE d1")
        master.sql("CREATE TABLE d1.t (v INT)")
        f, end = master_status(master)
        c = RawClient(master, sets=["SET @master_binlog_checksum = 'NONE'"])
        c.dump(f, 4)
        events = c.events()
        c.close()
        rotate, fde = event_header(events[0]), event_header(events[1])
        self.assertEqual((rotate["type"], rotate["ts"], rotate["log_pos"], rotate["flags"]),
                         (4, 0, 0, 0x20))
        self.assertEqual(rotate["length"], 19 + 8 + len(f))  # no CRC: the replica said NONE
        self.assertEqual(struct.unpack("<Q", events[0][19:27])[0], 4)
        self.assertEqual(events[0][27:].decode(), f)
        self.assertEqual((fde["type"], fde["flags"]), (15, 0))
        self.assertEqual(fde["log_pos"], 4 + fde["length"])
        self.assertEqual(event_header(events[-1])["log_pos"], end)

        # From the second event on, then across a rotation.
        second = 4 + fde["length"] + event_header(events[2])["length"]
        master.sql("FLUSH LOGS")
        c = RawClient(master, sets=["SET @master_binlog_checksum = 'NONE'"])
        c.dump(f, second)
        events = c.events()
        c.close()
        fde = event_header(events[1])
        self.assertEqual(fde["log_pos"], 0)
        self.assertEqual(struct.unpack("<I", events[1][19 + 2 + 50:19 + 2 + 50 + 4])[0], 0)
        self.assertEqual(event_header(events[2])["log_pos"],
                         second + event_header(events[2])["length"])
        types = [event_type(e) for e in events]
        i = types.index(4, 2)  # the real Rotate at the end of the first log
        self.assertEqual(event_header(events[i])["flags"], 0)
        fake = event_header(events[i + 1])
        self.assertEqual((fake["type"], fake["log_pos"], fake["flags"]), (4, 0, 0x20))
        # The FDE said CRC32: the second fake Rotate carries a CRC.
        self.assertEqual(fake["length"], 19 + 8 + len("master-bin.000002") + 4)
        self.assertEqual(event_type(events[i + 2]), 15)

    def test_register_and_an_empty_file_name(self):
        master = self.new_master()
        c = RawClient(master, sets=["SET @master_binlog_checksum = @@global.binlog_checksum"])
        self.assertEqual(c.register(42, "", 3310)[0], 0)
        hosts = master.sql("SHOW SLAVE HOSTS")
        self.assertEqual(len(hosts), 1)
        self.assertEqual(hosts[0][0], "42")
        self.assertEqual(hosts[0][2:], ["3310", "1"])
        c.dump("", 4)
        events = c.events()
        self.assertEqual(events[0][27:-4].decode(), "master-bin.000001")
        c.close()
        wait_for(lambda: not master.sql("SHOW SLAVE HOSTS"), 10, "the registration to go")

    def test_purge_keeps_the_log_a_dump_reads(self):
        import socket
        master = self.new_master()
        master.sql("CREATE DATABASE d1; CREATE TABLE d1.big (v LONGTEXT)")
        # More than the socket buffers hold, so that the dump is still in
        # the first log while the client does not read.
        conn = master.pymysql(autocommit=True)
        with conn.cursor() as cur:
            for _ in range(12):
                cur.execute("INSERT INTO d1.big VALUES ('" + "x" * 1000000 + "')")
        conn.close()
        master.sql("FLUSH LOGS")
        master.sql("FLUSH LOGS")
        c = RawClient(master, sets=["SET @master_binlog_checksum = @@global.binlog_checksum"])
        c.conn._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.dump("master-bin.000001", 4, flags=0, server_id=77)
        self.assertEqual(event_type(c.next()[1]), 4)
        wait_for(lambda: dump_rows(master), 10, "the dump")
        conn = master.pymysql(autocommit=True)
        with conn.cursor() as cur:
            cur.execute("PURGE BINARY LOGS TO 'master-bin.000003'")
            cur.execute("SHOW WARNINGS")
            warnings = cur.fetchall()
        conn.close()
        self.assertEqual(warnings, (("Warning", 1378, "A purgeable log is in use, will not purge"),))
        logs = [r[0] for r in master.sql("SHOW BINARY LOGS")]
        self.assertEqual(logs[0], "master-bin.000001")
        # The client half-closes (it still holds the socket, reading
        # nothing): the dump, stuck sending, ends all the same.
        c.conn._sock.shutdown(socket.SHUT_WR)
        wait_for(lambda: not dump_rows(master), 20, "the dump to end with its client")
        c.close()
        master.sql("PURGE BINARY LOGS TO 'master-bin.000003'")
        self.assertEqual([r[0] for r in master.sql("SHOW BINARY LOGS")], ["master-bin.000003"])


if __name__ == "__main__":
    unittest.main()
