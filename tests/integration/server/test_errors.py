"""Errors as MySQL sends them: the code on the wire, the connection still
usable after a statement error, and malformed or oversized packets answered
with an error and a closed connection, never a crash."""

import socket
import struct
import unittest

import pymysql

from harness import ClientError, Reptutd, read_packet


def err_code(payload):
    assert payload[0] == 0xFF, payload
    return struct.unpack("<H", payload[1:3])[0]


class StatementErrors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()
        cls.server.sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10));"
                       "CREATE USER plain@localhost IDENTIFIED BY 'pw';"
                       "GRANT SELECT ON test.* TO plain@localhost", database="test")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def code_of(self, conn, sql):
        with conn.cursor() as c:
            with self.assertRaises(pymysql.MySQLError) as cm:
                c.execute(sql)
        return cm.exception.args[0]

    def test_bad_sql_is_1064_and_the_connection_goes_on(self):
        conn = self.server.pymysql(database="test", autocommit=True)
        self.assertEqual(self.code_of(conn, "SELEC 1"), 1064)
        with conn.cursor() as c:
            c.execute("SELECT 1")
            self.assertEqual(c.fetchall(), ((1,),))
        conn.close()

    def test_parse_error_text_names_the_place(self):
        with self.assertRaises(ClientError) as cm:
            self.server.sql("SELECT * FROM WHERE", database="test")
        self.assertEqual(cm.exception.code, 1064)
        self.assertIn("near 'WHERE' at line 1", cm.exception.stderr)

    def test_wrong_password_is_1045(self):
        with self.assertRaises(pymysql.MySQLError) as cm:
            self.server.pymysql(user="plain", password="wrong")
        self.assertEqual(cm.exception.args[0], 1045)
        with self.assertRaises(ClientError) as cm:
            self.server.sql("SELECT 1", user="nobody", tcp=True)
        self.assertEqual(cm.exception.code, 1045)

    def test_missing_privileges_are_1227_and_1142(self):
        conn = self.server.pymysql(user="plain", password="pw", database="test", autocommit=True)
        self.assertEqual(self.code_of(conn, "SHOW MASTER STATUS"), 1227)
        self.assertEqual(self.code_of(conn, "SET GLOBAL server_id = 9"), 1227)
        self.assertEqual(self.code_of(conn, "INSERT INTO t VALUES (1, 'a')"), 1142)
        with conn.cursor() as c:
            c.execute("SELECT COUNT(*) FROM t")
        conn.close()

    def test_read_only_takes_effect_in_open_sessions(self):
        self.server.sql("CREATE USER IF NOT EXISTS writer@localhost IDENTIFIED BY 'pw';"
                        "GRANT SELECT, INSERT ON test.* TO writer@localhost")
        conn = self.server.pymysql(user="writer", password="pw", database="test", autocommit=True)
        with conn.cursor() as c:
            c.execute("INSERT INTO t VALUES (200, 'before')")
        self.server.sql("SET GLOBAL read_only = 1")
        try:
            self.assertEqual(self.code_of(conn, "INSERT INTO t VALUES (201, 'during')"), 1290)
            self.server.sql("INSERT INTO t VALUES (202, 'super')", database="test")
        finally:
            self.server.sql("SET GLOBAL read_only = 0")
        with conn.cursor() as c:
            c.execute("INSERT INTO t VALUES (203, 'after')")
            c.execute("SELECT id FROM t WHERE id BETWEEN 200 AND 203 ORDER BY id")
            self.assertEqual(c.fetchall(), ((200,), (202,), (203,)))
        conn.close()

    def test_codes_of_common_mistakes(self):
        conn = self.server.pymysql(autocommit=True)
        self.assertEqual(self.code_of(conn, "SELECT * FROM t"), 1046)
        self.assertEqual(self.code_of(conn, "USE nosuchdb"), 1049)
        self.assertEqual(self.code_of(conn, "SELECT * FROM test.nosuch"), 1146)
        self.assertEqual(self.code_of(conn, "CREATE TABLE test.t (a INT)"), 1050)
        with conn.cursor() as c:
            c.execute("INSERT INTO test.t VALUES (7, 'x')")
        self.assertEqual(self.code_of(conn, "INSERT INTO test.t VALUES (7, 'y')"), 1062)
        conn.close()

    def test_duplicate_entry_names_value_and_key(self):
        with self.assertRaises(ClientError) as cm:
            self.server.sql("INSERT INTO t VALUES (100, 'a'); INSERT INTO t VALUES (100, 'b')",
                            database="test")
        self.assertEqual(cm.exception.code, 1062)
        self.assertIn("Duplicate entry '100' for key 'PRIMARY'", cm.exception.stderr)
        with self.assertRaises(ClientError) as cm:
            self.server.sql("INSERT INTO t (v, id) VALUES ('it''s', 100)", database="test")
        self.assertIn("Duplicate entry '100' for key 'PRIMARY'", cm.exception.stderr)
        self.assertEqual(self.server.sql("SELECT 1"), [["1"]])


class MalformedPackets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(options={"max_allowed_packet": "1M"}).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def connect_raw(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        greeting = read_packet(s)
        self.assertEqual(greeting[0], 10)  # protocol version
        return s

    def assert_still_serving(self):
        self.assertEqual(self.server.sql("SELECT 1"), [["1"]])

    def test_truncated_handshake_response(self):
        s = self.connect_raw()
        s.sendall(b"\x02\x00\x00\x01\x85\xa6")
        reply = read_packet(s)
        self.assertIsNotNone(reply)
        self.assertEqual(reply[0], 0xFF)
        self.assertIsNone(read_packet(s))  # closed
        s.close()
        self.assert_still_serving()

    def test_garbage_then_close(self):
        s = self.connect_raw()
        s.sendall(b"\xff\xff\xff\x01" + b"\x00" * 100)
        s.close()
        self.assert_still_serving()

    def test_oversized_query_is_1153_and_closed(self):
        conn = self.server.pymysql(autocommit=True)
        with self.assertRaises(pymysql.MySQLError) as cm:
            with conn.cursor() as c:
                c.execute("SELECT '" + "x" * (2 * 1024 * 1024) + "'")
        self.assertIn(cm.exception.args[0], (1153, 2006, 2013))
        self.assert_still_serving()

    def test_oversized_packet_header_gets_1153(self):
        conn = self.server.pymysql(autocommit=True)
        sock = conn._sock
        size = 2 * 1024 * 1024
        header = bytes([size & 0xFF, (size >> 8) & 0xFF, (size >> 16) & 0xFF, 0])
        # mysqld reads the whole oversized packet, then answers 1153 and closes.
        payload = (b"\x03SELECT '" + b"x" * size)[:size]
        sock.sendall(header + payload)
        reply = read_packet(sock)
        self.assertIsNotNone(reply)
        self.assertEqual(err_code(reply), 1153)
        sock.close()
        self.assert_still_serving()


if __name__ == "__main__":
    unittest.main()
