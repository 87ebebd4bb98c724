"""Limits on connections. The handshake of an unauthenticated client has
connect_timeout seconds in all (mysqld and MariaDB 10.11 apply it to each
read, which lets a client sending a byte a second keep its slot), and small
packets: a huge handshake response is thrown away and answered 1043 Bad
handshake (MariaDB's answer to a bad one), not kept in memory. As MySQL
5.7: max_connections ordinary logins, then 1040 Too many connections, with
one more connection kept for SUPER; SET GLOBAL max_allowed_packet and SET
GLOBAL autocommit reach the connections made after it."""

import os
import select
import socket
import struct
import threading
import unittest

import pymysql

from harness import Reptutd, read_packet, wait_for

CLIENT_LONG_PASSWORD = 0x1
CLIENT_PROTOCOL_41 = 0x200
CLIENT_SECURE_CONNECTION = 0x8000
CLIENT_PLUGIN_AUTH = 0x80000


def err_code(payload):
    assert payload is not None and payload[0] == 0xFF, payload
    return struct.unpack("<H", payload[1:3])[0]


def handshake_response(user=b"root", filler=0):
    """A HandshakeResponse41 packet (sequence 1) for `user` with an empty
    password; `filler` extra bytes after the user name make it as large as
    wanted."""
    caps = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION
    payload = (struct.pack("<IIB23x", caps, 16 * 1024 * 1024, 33) + user + b"\0" + b"\0"
               + b"\0" * filler)
    return struct.pack("<I", len(payload))[:3] + b"\x01" + payload


def close_quietly(conn):
    try:
        conn.close()
    except pymysql.MySQLError:
        pass  # closed already


def status_value(conn, name):
    with conn.cursor() as c:
        c.execute(f"SHOW GLOBAL STATUS LIKE '{name}'")
        return int(c.fetchone()[1])


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


class UnauthenticatedClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()
        cls.root = cls.server.pymysql(autocommit=True)

    @classmethod
    def tearDownClass(cls):
        cls.root.close()
        cls.server.cleanup()

    def connect_raw(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        self.addCleanup(s.close)
        greeting = read_packet(s)
        self.assertEqual(greeting[0], 10)  # protocol version
        return s

    def set_global(self, name, value, restore):
        with self.root.cursor() as c:
            c.execute(f"SET GLOBAL {name} = {value}")
        self.addCleanup(lambda: self.root.cursor().execute(f"SET GLOBAL {name} = {restore}"))

    def test_a_slow_handshake_ends_after_connect_timeout_in_all(self):
        self.set_global("connect_timeout", 2, 10)
        aborted = status_value(self.root, "Aborted_connects")
        s = self.connect_raw()
        # 200 bytes at one a second would take minutes; each byte comes well
        # within connect_timeout of the last, so only a deadline on the
        # whole handshake stops it.
        data = handshake_response(filler=160)
        closed_after = None
        for i in range(len(data)):
            try:
                s.send(data[i:i + 1])
            except OSError:
                closed_after = i
                break
            if i == 1:
                # Meanwhile an ordinary login goes through.
                other = self.server.pymysql()
                with other.cursor() as c:
                    c.execute("SELECT 1")
                    self.assertEqual(c.fetchone(), (1,))
                other.close()
            readable, _, _ = select.select([s], [], [], 1.0)
            if readable:
                try:
                    got = s.recv(100)
                except OSError:
                    got = b""
                self.assertEqual(got, b"", "the server answered a handshake cut by its deadline")
                closed_after = i
                break
        self.assertIsNotNone(closed_after, "the slow client was never disconnected")
        self.assertLess(closed_after, len(data) - 1)
        wait_for(lambda: status_value(self.root, "Aborted_connects") == aborted + 1, 10,
                 "Aborted_connects to count the timed out handshake")
        wait_for(lambda: "Got timeout reading communication packets" in self.server.read_log(),
                 10, "the aborted connection in the error log")

    def test_connect_timeout_is_kept_in_range(self):
        self.set_global("connect_timeout", 1, 10)
        with self.root.cursor() as c:
            c.execute("SELECT @@global.connect_timeout")
            self.assertEqual(c.fetchone(), (2,))

    def test_an_oversized_handshake_response_is_refused_not_kept(self):
        aborted = status_value(self.root, "Aborted_connects")
        pid = self.server.proc.pid
        before = peak_rss_kib(pid)
        clients = 16
        size = 3 * 1024 * 1024  # under max_allowed_packet (16M): only the handshake limit applies
        socks = [self.connect_raw() for _ in range(clients)]
        data = handshake_response(filler=size)
        # All but the last byte on every connection first: a server that
        # kept the packets would hold all of them at once.
        senders = [threading.Thread(target=s.sendall, args=(data[:-1],)) for s in socks]
        for t in senders:
            t.start()
        for t in senders:
            t.join(60)
            self.assertFalse(t.is_alive())
        for s in socks:
            s.sendall(data[-1:])
        for s in socks:
            self.assertEqual(err_code(read_packet(s)), 1043)  # Bad handshake
            self.assertIsNone(read_packet(s))  # then closed
        grown_kib = peak_rss_kib(pid) - before
        self.assertLess(grown_kib, clients * size // 1024 // 3,
                        f"the server's peak RSS grew by {grown_kib} KiB")
        wait_for(lambda: status_value(self.root, "Aborted_connects") == aborted + clients, 10,
                 "Aborted_connects to count the refused handshakes")
        # The server still serves.
        with self.root.cursor() as c:
            c.execute("SELECT 1")
            self.assertEqual(c.fetchone(), (1,))

    def test_a_small_handshake_response_still_logs_in(self):
        s = self.connect_raw()
        s.sendall(handshake_response(filler=100))
        reply = read_packet(s)
        self.assertEqual(reply[0], 0x00, reply)  # OK


class MaxConnections(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(options={"max_connections": 3}).start()
        cls.server.sql("CREATE USER u@'%' IDENTIFIED BY 'p'; GRANT SELECT ON *.* TO u@'%'")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def login(self, user, password=""):
        c = self.server.pymysql(user=user, password=password)
        self.addCleanup(close_quietly, c)
        return c

    def login_refused(self, user, password=""):
        with self.assertRaises(pymysql.MySQLError) as cm:
            self.login(user, password)
        return cm.exception.args[0]

    def root_when_free(self):
        """root logs in as soon as a refused client's connection has ended."""
        def attempt():
            try:
                return self.login("root")
            except pymysql.MySQLError as e:
                if e.args[0] != 1040:
                    raise
                return None
        return wait_for(attempt, 10, "root to get the connection kept for SUPER")

    def test_one_connection_past_max_connections_is_for_super(self):
        users = [self.login("u", "p") for _ in range(3)]
        for c in users:
            with c.cursor() as cur:
                cur.execute("SELECT 1")
        self.assertEqual(self.login_refused("u", "p"), 1040)
        root = self.root_when_free()
        with root.cursor() as cur:
            cur.execute("SELECT CURRENT_USER()")
            self.assertEqual(cur.fetchone(), ("root@localhost",))
            cur.execute("SHOW VARIABLES LIKE 'max_connections'")
            self.assertEqual(cur.fetchone(), ("max_connections", "3"))
        # Past max_connections + 1 nobody gets in, SUPER or not.
        self.assertEqual(self.login_refused("root"), 1040)
        # A slot that frees up is anyone's again.
        users.pop().close()
        root.close()

        def user_in():
            try:
                return self.login("u", "p")
            except pymysql.MySQLError as e:
                if e.args[0] != 1040:
                    raise
                return None
        wait_for(user_in, 10, "an ordinary login once a connection has ended")


class GlobalsReachNewConnections(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()
        cls.server.sql("CREATE TABLE test.t (a INT PRIMARY KEY)")
        cls.root = cls.server.pymysql(autocommit=True)

    @classmethod
    def tearDownClass(cls):
        cls.root.close()
        cls.server.cleanup()

    def set_global(self, name, value, restore):
        with self.root.cursor() as c:
            c.execute(f"SET GLOBAL {name} = {value}")
        self.addCleanup(lambda: self.root.cursor().execute(f"SET GLOBAL {name} = {restore}"))

    def connect(self, **kw):
        c = self.server.pymysql(database="test", **kw)
        self.addCleanup(close_quietly, c)
        return c

    def test_max_allowed_packet_applies_to_new_connections(self):
        old = self.connect(autocommit=True)
        self.set_global("max_allowed_packet", 1024 * 1024, 16 * 1024 * 1024)
        new = self.connect(autocommit=True)
        with new.cursor() as c:
            c.execute("SELECT @@max_allowed_packet, @@global.max_allowed_packet")
            self.assertEqual(c.fetchone(), (1048576, 1048576))
        big = "SELECT LENGTH('" + "x" * (2 * 1024 * 1024) + "')"
        # A connection made before keeps the value it started with.
        with old.cursor() as c:
            c.execute(big)
            self.assertEqual(c.fetchone(), (2 * 1024 * 1024,))
        with self.assertRaises(pymysql.MySQLError) as cm:
            with new.cursor() as c:
                c.execute(big)
        self.assertEqual(cm.exception.args[0], 1153)

    def test_max_allowed_packet_is_kept_in_range(self):
        self.set_global("max_allowed_packet", 1000, 16 * 1024 * 1024)
        with self.root.cursor() as c:
            c.execute("SELECT @@global.max_allowed_packet")
            self.assertEqual(c.fetchone(), (1024,))
            c.execute("SET GLOBAL max_allowed_packet = 1048577")
            c.execute("SELECT @@global.max_allowed_packet")
            self.assertEqual(c.fetchone(), (1048576,))
            # A connection keeps its own value (MariaDB and MySQL: 1621).
            for q in ("SET max_allowed_packet = 1048576",
                      "SET SESSION max_allowed_packet = 1048576"):
                with self.assertRaises(pymysql.MySQLError) as cm:
                    c.execute(q)
                self.assertEqual(cm.exception.args[0], 1621)

    def test_global_autocommit_off_reaches_new_sessions(self):
        watcher = self.connect(autocommit=True)
        self.set_global("autocommit", 0, 1)
        # autocommit=None: PyMySQL leaves the session as the server made it.
        c = self.connect(autocommit=None)
        self.assertFalse(c.get_autocommit())  # the login's OK says so
        with c.cursor() as cur:
            cur.execute("SELECT @@autocommit, @@session.autocommit")
            self.assertEqual(cur.fetchone(), (0, 0))
            cur.execute("INSERT INTO t VALUES (1)")

        def rows():
            with watcher.cursor() as w:
                w.execute("SELECT COUNT(*) FROM t WHERE a = 1")
                return w.fetchone()[0]
        self.assertEqual(rows(), 0)  # not committed yet
        c.commit()
        self.assertEqual(rows(), 1)
        # COM_RESET_CONNECTION starts again from the global value too.
        with c.cursor() as cur:
            cur.execute("SET autocommit = 1")
        c._execute_command(0x1F, b"")  # COM_RESET_CONNECTION
        self.assertTrue(c._read_packet().is_ok_packet())
        with c.cursor() as cur:
            cur.execute("SELECT @@autocommit")
            self.assertEqual(cur.fetchone(), (0,))
            cur.execute("ROLLBACK")


if __name__ == "__main__":
    unittest.main()
