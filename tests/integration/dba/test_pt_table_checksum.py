"""Percona's pt-table-checksum on reptutd: a master alone, then a master and
a reptutd replica found through SHOW PROCESSLIST and through SHOW SLAVE
HOSTS. The checksums are computed by the replica replaying the master's
REPLACE ... SELECT (statement-based replication), so a converged replica
reports no differences and a row changed behind the master's back is one
differing chunk. Also EXPLAIN, which the tool uses to size and check its
chunks: MySQL 5.7's columns, a row estimate, the index used."""
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))
from harness import ClientError, Reptutd  # noqa: E402
from replication_harness import query, start_replication, sync  # noqa: E402

PTC = shutil.which("pt-table-checksum") or "/usr/bin/pt-table-checksum"

SCHEMA = """
CREATE DATABASE shop;
CREATE TABLE shop.items (id INT NOT NULL PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2),
  made DATETIME, note TEXT, KEY name (name));
CREATE TABLE shop.tags (item INT NOT NULL, tag VARCHAR(20) NOT NULL, PRIMARY KEY (item, tag));
CREATE TABLE shop.empty (id INT NOT NULL PRIMARY KEY);
CREATE TABLE shop.logs (msg VARCHAR(10), n INT, KEY n (n));
"""


def fill(server):
    items = ",".join(
        f"({i}, {'NULL' if i % 7 == 0 else repr('n%d' % i)}, {i}.25, "
        f"'2024-01-0{1 + i % 9} 10:00:00', {'NULL' if i % 3 else repr('x' * i)})"
        for i in range(1, 41))
    tags = ",".join(f"({i}, 't{j}')" for i in range(1, 15) for j in range(3))
    # logs: a non-unique index, 4 rows per value.
    logs = ",".join(f"('m{i}', {i // 4})" for i in range(60))
    server.sql(SCHEMA + f"INSERT INTO shop.items VALUES {items};"
               f"INSERT INTO shop.tags VALUES {tags}; INSERT INTO shop.logs VALUES {logs};")


def checksum(master, *extra):
    """Runs the tool (it checks binlog_format is STATEMENT everywhere); returns
    (exit code, {table: its row of the report}, stdout + stderr)."""
    args = [PTC, f"h=127.0.0.1,P={master.port},u=root", "--databases", "shop"] + list(extra)
    r = subprocess.run(args, capture_output=True, text=True, timeout=180)
    tables = {}
    header = None
    for line in r.stdout.splitlines():
        cols = line.split()
        if cols and cols[0] == "TS":
            header = cols
        elif header and len(cols) == len(header):
            row = dict(zip(header, cols))
            tables[row["TABLE"]] = row
    return r.returncode, tables, r.stdout + r.stderr


class ExplainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(name="explain")
        cls.server.start()
        fill(cls.server)
        cls.server.sql("CREATE USER 'reader'@'%'; GRANT SELECT ON shop.tags TO 'reader'@'%'")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def explain(self, sql, user="root"):
        return query(self.server, sql, user=user)

    def test_columns(self):
        conn = self.server.pymysql(database="shop")
        try:
            with conn.cursor() as c:
                c.execute("EXPLAIN SELECT * FROM items")
                self.assertEqual([d[0] for d in c.description],
                                 ["id", "select_type", "table", "partitions", "type",
                                  "possible_keys", "key", "key_len", "ref", "rows", "filtered",
                                  "Extra"])
        finally:
            conn.close()

    def test_full_scan_estimates_the_table(self):
        (row,) = self.explain("EXPLAIN SELECT * FROM shop.items WHERE 1=1")
        self.assertEqual((row["id"], row["select_type"], row["table"], row["type"]),
                         (1, "SIMPLE", "items", "ALL"))
        self.assertIsNone(row["key"])
        self.assertEqual(int(row["rows"]), 40)

    def test_primary_key_range(self):
        (row,) = self.explain("EXPLAIN SELECT COUNT(*) FROM shop.items FORCE INDEX(`PRIMARY`) "
                              "WHERE ((`id` >= '5')) AND ((`id` <= '9')) /*checksum chunk*/")
        self.assertEqual((row["type"], row["key"], row["possible_keys"]),
                         ("range", "PRIMARY", "PRIMARY"))
        self.assertEqual(row["key_len"], "4")
        self.assertEqual(int(row["rows"]), 5)

    def test_unique_lookup_and_secondary_index(self):
        (row,) = self.explain("EXPLAIN SELECT name FROM shop.items WHERE id = 3")
        self.assertEqual((row["type"], row["key"], int(row["rows"])), ("const", "PRIMARY", 1))
        (row,) = self.explain("EXPLAIN SELECT * FROM shop.items AS i WHERE i.name = 'n3'")
        self.assertEqual((row["table"], row["type"], row["key"]), ("i", "ref", "name"))
        self.assertEqual(row["key_len"], "23")  # varchar(20) latin1, nullable

    def test_composite_primary_key(self):
        (row,) = self.explain("EXPLAIN SELECT * FROM shop.tags WHERE item = 2 AND tag = 't1'")
        self.assertEqual((row["type"], row["key"], int(row["rows"])), ("const", "PRIMARY", 1))
        (row,) = self.explain("EXPLAIN SELECT * FROM shop.tags WHERE ((item > 2) OR "
                              "(item = 2 AND tag >= 't1'))")
        self.assertEqual(row["key"], "PRIMARY")

    def test_or_of_ranges(self):
        # As MariaDB 10.11 answers it.
        (row,) = self.explain("EXPLAIN SELECT COUNT(*) FROM shop.logs FORCE INDEX(n) WHERE "
                              "((n > 3) OR (n IS NULL AND 1 = 1)) AND ((n <= 5))")
        self.assertEqual((row["type"], row["key"], row["key_len"], int(row["rows"])),
                         ("range", "n", "5", 8))

    def test_forced_index(self):
        # SQLite scans (the OR has a term no index serves); MySQL follows
        # FORCE INDEX over the index its conditions name.
        sql = ("EXPLAIN SELECT * FROM shop.logs FORCE INDEX(`n`) WHERE "
               "((`n` > 3) OR (msg = 'm1'))")
        (row,) = self.explain(sql)
        self.assertEqual((row["type"], row["key"], row["key_len"]), ("range", "n", "5"))
        # Without the hint, or with conditions not on its column: the plan as is.
        (row,) = self.explain(sql.replace(" FORCE INDEX(`n`)", ""))
        self.assertEqual((row["type"], row["key"]), ("ALL", None))
        (row,) = self.explain("EXPLAIN SELECT * FROM shop.logs FORCE INDEX(n) WHERE msg = 'm1'")
        self.assertEqual((row["type"], row["key"], int(row["rows"])), ("ALL", None, 60))

    def test_join_and_statements(self):
        rows = self.explain("EXPLAIN SELECT * FROM shop.items i JOIN shop.tags t "
                            "ON t.item = i.id")
        self.assertEqual(sorted(r["table"] for r in rows), ["i", "t"])
        (row,) = self.explain("EXPLAIN UPDATE shop.items SET name = 'x' WHERE id = 4")
        self.assertEqual((row["select_type"], row["key"]), ("UPDATE", "PRIMARY"))
        (row,) = self.explain("EXPLAIN DELETE FROM shop.items WHERE id > 100")
        self.assertEqual(row["select_type"], "DELETE")
        (row,) = self.explain("EXPLAIN SELECT 1")
        self.assertEqual(row["Extra"], "No tables used")
        # Nothing was changed.
        self.assertEqual(self.server.sql("SELECT COUNT(*), MAX(name) FROM shop.items "
                                         "WHERE id = 4"), [["1", "n4"]])

    # COM_STMT_PREPARE of an EXPLAIN is answered 1235 (the prepare path
    # describes kExplain through ExecShow).
    def test_server_side_prepared(self):
        script = (
            "use DBI; my $d = DBI->connect('DBI:mysql:host=127.0.0.1;port=' . $ARGV[0] ."
            " ';mysql_server_prepare=1', 'root', '', {RaiseError => 1});"
            " my $s = $d->prepare('EXPLAIN SELECT * FROM shop.items WHERE id >= ? AND id <= ?');"
            " $s->execute(3, 9); my $r = $s->fetchrow_hashref; print \"$r->{key}\\n\";")
        r = subprocess.run(["perl", "-e", script, str(self.server.port)], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout), (0, "PRIMARY\n"), r.stderr)

    def test_privileges_and_errors(self):
        (row,) = self.explain("EXPLAIN SELECT * FROM shop.tags", user="reader")
        self.assertEqual(row["table"], "tags")
        with self.assertRaises(ClientError) as e:
            self.server.sql("EXPLAIN SELECT * FROM shop.items", user="reader")
        self.assertIn("ERROR 1142", e.exception.stderr)
        with self.assertRaises(ClientError) as e:
            self.server.sql("EXPLAIN SELECT * FROM shop.nosuch")
        self.assertIn("ERROR 1146", e.exception.stderr)
        with self.assertRaises(ClientError) as e:
            self.server.sql("EXPLAIN FORMAT=JSON SELECT 1")
        self.assertIn("ERROR 1235", e.exception.stderr)
        # information_schema needs no grant.
        rows = self.explain("EXPLAIN SELECT * FROM information_schema.TABLES", user="reader")
        self.assertGreaterEqual(len(rows), 1)


class ChecksumFunctionsTest(unittest.TestCase):
    """The functions of the tool's checksum query, with MySQL's results."""

    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(name="functions")
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def one(self, sql):
        return self.server.sql(sql)[0]

    def test_functions(self):
        self.assertEqual(self.one("SELECT CRC32('a'), CRC32('test-string')"),
                         ["3904355907", "1922069637"])
        self.assertEqual(self.one("SELECT CONV(255, 10, 16), LOWER(CONV('ff', 16, 10)), "
                                  "CONV(-1, 10, 16), CONV(-1, 10, -10), CONV(10, 1, 10)"),
                         ["FF", "255", "FFFFFFFFFFFFFFFF", "-1", "NULL"])
        self.assertEqual(self.one("SELECT CONCAT_WS('#', 1, NULL, 'a'), ISNULL(NULL), "
                                  "ISNULL(1), COALESCE(NULL, 0)"), ["1#a", "1", "0", "0"])

    def test_bit_aggregates(self):
        s = self.server
        s.sql("CREATE DATABASE b; CREATE TABLE b.t (v BIGINT); "
              "INSERT INTO b.t VALUES (1), (3), (NULL), (6)")
        self.assertEqual(self.one("SELECT BIT_XOR(v), BIT_OR(v), BIT_AND(v) FROM b.t"),
                         ["4", "7", "0"])
        self.assertEqual(self.one("SELECT BIT_XOR(v), BIT_OR(v), BIT_AND(v) FROM b.t "
                                  "WHERE v > 100"), ["0", "0", "18446744073709551615"])
        # The tool's chunk checksum; CONCAT_WS of a NULL alone is '' (CRC32 0).
        self.assertEqual(self.one("SELECT COALESCE(LOWER(CONV(BIT_XOR(CAST(CRC32("
                                  "CONCAT_WS('#', v)) AS UNSIGNED)), 10, 16)), 0) FROM b.t"),
                         self.one("SELECT LOWER(CONV(CRC32('1') ^ CRC32('3') ^ CRC32('6'), "
                                  "10, 16))"))


class StandaloneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.master = Reptutd(name="alone", options={"log-bin": "m-bin"})
        cls.master.start()
        fill(cls.master)

    @classmethod
    def tearDownClass(cls):
        cls.master.cleanup()

    def test_whole_tables(self):
        code, tables, out = checksum(self.master, "--recursion-method=none")
        self.assertEqual(code, 0, out)
        self.assertEqual({t: (r["ERRORS"], r["DIFFS"], r["ROWS"]) for t, r in tables.items()},
                         {"shop.items": ("0", "0", "40"), "shop.tags": ("0", "0", "42"),
                          "shop.empty": ("0", "0", "0"), "shop.logs": ("0", "0", "60")}, out)
        rows = query(self.master, "SELECT tbl, this_cnt, master_cnt, this_crc = master_crc AS same "
                                  "FROM percona.checksums WHERE tbl = 'items'")
        self.assertEqual(rows, [{"tbl": "items", "this_cnt": 40, "master_cnt": 40, "same": 1}])

    def test_chunks(self):
        code, tables, out = checksum(self.master, "--recursion-method=none", "--chunk-size=7",
                                     "--chunk-time=0",
                                     "--tables=shop.items,shop.tags,shop.logs")
        self.assertEqual(code, 0, out)
        self.assertNotIn("Skipping chunk", out)
        # 116 for logs, as MariaDB 10.11 counts: the chunks of a non-unique
        # index overlap where their boundaries are equal.
        self.assertEqual((tables["shop.items"]["ROWS"], tables["shop.tags"]["ROWS"],
                          tables["shop.logs"]["ROWS"]), ("40", "42", "116"), out)
        self.assertGreater(int(tables["shop.logs"]["CHUNKS"]), 3, out)
        self.assertGreater(int(tables["shop.items"]["CHUNKS"]), 3, out)
        self.assertGreater(int(tables["shop.tags"]["CHUNKS"]), 3, out)
        (row,) = query(self.master, "SELECT SUM(this_cnt) AS n FROM percona.checksums "
                                    "WHERE tbl = 'items'")
        self.assertEqual(int(row["n"]), 40)


def diff_chunks(replica):
    return query(replica, "SELECT db, tbl, chunk FROM percona.checksums WHERE "
                          "this_crc <> master_crc OR this_cnt <> master_cnt")


class StandaloneFunctionTest(unittest.TestCase):
    """--function=MD5: the checksum is XORed in 16-digit slices of the row's
    MD5, kept in @crc by an assignment inside the query."""

    @classmethod
    def setUpClass(cls):
        cls.master = Reptutd(name="md5", options={"log-bin": "m-bin"})
        cls.master.start()
        fill(cls.master)

    @classmethod
    def tearDownClass(cls):
        cls.master.cleanup()

    def test_md5_and_sha1(self):
        for function in ("MD5", "SHA1"):
            with self.subTest(function=function):
                code, tables, out = checksum(self.master, "--recursion-method=none",
                                             f"--function={function}", "--chunk-size=10",
                                             "--chunk-time=0", "--tables=shop.items")
                self.assertEqual(code, 0, out)
                self.assertEqual((tables["shop.items"]["ROWS"], tables["shop.items"]["ERRORS"]),
                                 ("40", "0"), out)
                # (The chunks past the ends are empty: their crc is '0'.)
                rows = query(self.master, "SELECT this_crc FROM percona.checksums "
                                          "WHERE tbl = 'items' AND this_cnt > 0")
                self.assertEqual(len(rows), 4)
                width = 32 if function == "MD5" else 40
                self.assertTrue(all(re.fullmatch("[0-9a-f]{%d}" % width, r["this_crc"])
                                    for r in rows), rows)

    def test_slices_equal_the_hash(self):
        # What the tool checks before using a hash function.
        (row,) = query(self.master,
                       "SELECT CONCAT(LPAD(CONV(BIT_XOR(CAST(CONV(SUBSTRING(@crc := MD5('a'), "
                       "1, 16), 16, 10) AS UNSIGNED)), 10, 16), 16, '0'), LPAD(CONV(BIT_XOR("
                       "CAST(CONV(SUBSTRING(@crc, 17, 16), 16, 10) AS UNSIGNED)), 10, 16), 16, "
                       "'0')) AS t FROM (SELECT NULL) AS x")
        self.assertEqual(row["t"].lower(), "0cc175b9c0f1b6a831c399e269772661")


class ReplicaByHostsTest(unittest.TestCase):
    """--recursion-method=hosts: the replica is found in SHOW SLAVE HOSTS
    (its report-host and report-port)."""

    @classmethod
    def setUpClass(cls):
        cls.master = Reptutd(name="master", options={"log-bin": "m-bin"}, server_id=1)
        cls.master.start()
        cls.replica = Reptutd(root=cls.master.root, name="replica", server_id=2,
                              options={"log-bin": "r-bin", "report-host": "127.0.0.1"})
        cls.replica.options["report-port"] = cls.replica.port
        cls.replica.write_cnf()
        try:
            cls.replica.start()
            start_replication(cls.replica, cls.master)
            fill(cls.master)
            sync(cls.replica, cls.master)
        except BaseException:
            cls.replica.cleanup()
            cls.master.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.replica.cleanup()
        cls.master.cleanup()

    def run_tool(self, *extra):
        code, tables, out = checksum(self.master, "--recursion-method=hosts", *extra)
        sync(self.replica, self.master)
        return code, tables, out

    def test_converged_then_changed(self):
        for chunking in ((), ("--chunk-size=10", "--chunk-time=0")):
            with self.subTest(chunking=chunking):
                code, tables, out = self.run_tool(*chunking)
                self.assertEqual(code, 0, out)
                self.assertEqual({t: r["DIFFS"] for t, r in tables.items()},
                                 {"shop.items": "0", "shop.tags": "0", "shop.empty": "0",
                                  "shop.logs": "0"}, out)
                self.assertEqual(diff_chunks(self.replica), [])
        # Every chunk's checksum reached the replica by replication.
        self.assertEqual(query(self.replica, "SELECT COUNT(*) AS n FROM percona.checksums"),
                         query(self.master, "SELECT COUNT(*) AS n FROM percona.checksums"))
        # A row changed on the replica alone: one chunk differs.
        self.replica.sql("UPDATE shop.items SET name = 'changed' WHERE id = 25")
        self.addCleanup(self.replica.sql, "UPDATE shop.items SET name = 'n25' WHERE id = 25")
        code, tables, out = self.run_tool("--chunk-size=10", "--chunk-time=0")
        self.assertNotEqual(code, 0, out)
        self.assertEqual((tables["shop.items"]["DIFFS"], tables["shop.tags"]["DIFFS"]),
                         ("1", "0"), out)
        (chunk,) = diff_chunks(self.replica)
        self.assertEqual((chunk["db"], chunk["tbl"]), ("shop", "items"))
        # --replicate-check-only reports it without checksumming again.
        r = subprocess.run([PTC, f"h=127.0.0.1,P={self.master.port},u=root",
                            "--no-check-binlog-format", "--recursion-method=hosts",
                            "--replicate-check-only"], capture_output=True, text=True,
                           timeout=120)
        self.assertIn("Differences on", r.stdout, r.stdout + r.stderr)
        self.assertRegex(r.stdout, re.compile(r"^shop\.items\s+%d\s+" % chunk["chunk"], re.M))


class AssignmentReplicationTest(unittest.TestCase):
    """A statement assigning a user variable it reads replicates from the
    variable's value before it ran (as the tool's MD5 checksum does)."""

    def test_insert_select_numbering_rows(self):
        master = Reptutd(name="amaster", options={"log-bin": "m-bin"}, server_id=1)
        self.addCleanup(master.cleanup)
        master.start()
        replica = Reptutd(root=master.root, name="areplica", server_id=2)
        self.addCleanup(replica.cleanup)
        replica.start()
        start_replication(replica, master)
        master.sql("CREATE DATABASE d; CREATE TABLE d.src (v VARCHAR(5));"
                   "CREATE TABLE d.seq (n INT, v VARCHAR(5), h CHAR(32));"
                   "INSERT INTO d.src VALUES ('a'), ('b'), ('c');"
                   "SET @n := 10; INSERT INTO d.seq SELECT @n := @n + 1, v, "
                   "SUBSTRING(@h := MD5(v), 1, 4) FROM d.src ORDER BY v; SELECT @n")
        sync(replica, master)
        want = [["11", "a", "0cc1"], ["12", "b", "92eb"], ["13", "c", "4a8a"]]
        self.assertEqual(master.sql("SELECT * FROM d.seq ORDER BY n"), want)
        self.assertEqual(replica.sql("SELECT * FROM d.seq ORDER BY n"), want)
        self.assertEqual(master.sql("SET @n := 10; SELECT @n := @n + 1, @n"), [["11", "11"]])


def socket_query(server, sql):
    import pymysql
    conn = server.pymysql(tcp=False, autocommit=True, cursorclass=pymysql.cursors.DictCursor)
    try:
        with conn.cursor() as c:
            c.execute(sql)
            return list(c.fetchall()) if c.description else []
    finally:
        conn.close()


class ReplicaByProcesslistTest(unittest.TestCase):
    """--recursion-method=processlist: the tool takes the host of the
    master's Binlog Dump thread (SHOW FULL PROCESSLIST's Host, "host:port")
    and connects to it with the master's port. So the master listens on
    127.0.0.2 and the replica on 127.0.0.1 with the same port number: the
    replica's connection to the master comes from 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        cls.replica = Reptutd(name="replica", server_id=2, options={"log-bin": "r-bin"})
        cls.master = Reptutd(root=cls.replica.root, name="master", server_id=1,
                             options={"log-bin": "m-bin", "bind-address": "127.0.0.2"})
        cls.master.port = cls.replica.port
        cls.master.write_cnf()
        try:
            cls.master.start()
            cls.replica.start()
            cls.master.sql(f"CREATE USER 'repl'@'%' IDENTIFIED BY 'pw'; "
                           f"GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'")
            cls.replica.sql(f"CHANGE MASTER TO MASTER_HOST='127.0.0.2', "
                            f"MASTER_PORT={cls.master.port}, MASTER_USER='repl', "
                            f"MASTER_PASSWORD='pw', MASTER_CONNECT_RETRY=1; START SLAVE")
            fill(cls.master)
            cls.sync()
        except BaseException:
            cls.replica.cleanup()
            cls.master.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.replica.cleanup()
        cls.master.cleanup()

    @classmethod
    def sync(cls):
        (st,) = socket_query(cls.master, "SHOW MASTER STATUS")
        (row,) = socket_query(cls.replica, f"SELECT MASTER_POS_WAIT('{st['File']}', "
                                           f"{st['Position']}, 30) AS w")
        assert row["w"] is not None and int(row["w"]) >= 0, row

    # SHOW PROCESSLIST's Host is "host:port" for TCP clients, as MySQL shows
    # it: the tool reads the replica's host from it.
    def test_binlog_dump_host_has_a_port(self):
        dumps = [p for p in socket_query(self.master, "SHOW FULL PROCESSLIST")
                 if p["Command"] == "Binlog Dump"]
        self.assertEqual(len(dumps), 1)
        self.assertRegex(dumps[0]["Host"], r"^(localhost|127\.0\.0\.1):\d+$")

    def test_converged_then_changed(self):
        args = [PTC, f"h=127.0.0.2,P={self.master.port},u=root", "--no-check-binlog-format",
                "--databases", "shop", "--recursion-method=processlist", "--chunk-size=10",
                "--chunk-time=0"]
        r = subprocess.run(args, capture_output=True, text=True, timeout=180)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("no slaves", r.stdout + r.stderr)
        self.sync()
        self.assertEqual(socket_query(self.replica, "SELECT COUNT(*) AS n FROM percona.checksums "
                                                    "WHERE this_crc <> master_crc"), [{"n": 0}])
        self.replica.sql("UPDATE shop.tags SET tag = 'changed' WHERE item = 9 AND tag = 't0'")
        r = subprocess.run(args, capture_output=True, text=True, timeout=180)
        # ERRORS DIFFS ROWS DIFF_ROWS CHUNKS SKIPPED TIME TABLE
        self.assertRegex(r.stdout, re.compile(r"\s0\s+1\s+\d+\s+\d+\s+\d+\s+\d+\s+[\d.]+"
                                              r"\s+shop\.tags$", re.M), r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
