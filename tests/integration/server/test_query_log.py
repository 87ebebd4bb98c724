"""The general query log and the slow query log as MariaDB writes them:
--general-log / general_log_file (default <hostname>.log in the data
directory), SET GLOBAL general_log / log_output, the slow log with
long_query_time, FLUSH LOGS reopening the files, and what a replica's SQL
thread runs showing in the replica's general log."""

import os
import re
import socket
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))

from harness import REPTUTD, ClientError, Reptutd, wait_for  # noqa: E402
from replication_harness import new_server, start_replication, sync  # noqa: E402

# "261206  1:27:21\t     3 Query\tselect 1" or "\t\t     3 Query\tselect 1"
ENTRY = re.compile(r"^(?:\d{6} [ \d]\d:\d\d:\d\d\t|\t\t) *(\d+) ([A-Za-z ]+)\t(.*)$")


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def entries(path):
    """(thread id, command, argument) of each one-line entry of a general log."""
    out = []
    for line in read(path).splitlines():
        m = ENTRY.match(line)
        if m:
            out.append((int(m.group(1)), m.group(2), m.group(3)))
    return out


def header_start():
    """How a log file starts: reptutd's path and version, as mariadbd's."""
    return os.path.realpath(REPTUTD) + ", Version: "


def has_entry(path, command, argument):
    return any(c == command and a == argument for _, c, a in entries(path))


class GeneralLog(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd(options={"general-log": None})
        self.addCleanup(self.server.cleanup)
        self.path = os.path.join(self.server.dir, "general.log")
        self.server.options["general-log-file"] = self.path
        self.server.write_cnf()

    def test_header_and_entries_as_mariadb_writes_them(self):
        s = self.server.start()
        s.sql("SELECT 'qlog marker'; CREATE TABLE t (a INT); INSERT INTO t VALUES (1)",
              database="test")
        s.sql("SELECT COUNT(*) FROM t", database="test", tcp=True)
        def quit_of(argument):
            log = entries(self.path)
            ids = [i for i, c, a in log if c == "Query" and a == argument]
            return ids and (ids[0], "Quit", "") in log
        wait_for(lambda: quit_of("SELECT 'qlog marker'") and quit_of("SELECT COUNT(*) FROM t"),
                 what="the entries of both clients")
        lines = read(self.path).splitlines()
        self.assertRegex(lines[0], r"^/\S*reptutd, Version: \S+ \(.*\)\. started with:$")
        self.assertEqual(lines[1], f"Tcp port: {s.port}  Unix socket: {s.socket}")
        self.assertEqual(lines[2], "Time\t\t    Id Command\tArgument")
        self.assertRegex(lines[3], r"^\d{6} [ \d]\d:\d\d:\d\d\t *\d+ \w")

        log = entries(self.path)
        # The socket client: one thread id from Connect to Quit. The client
        # sends COM_INIT_DB for the database it is told to use.
        marker = [i for i, c, a in log if c == "Query" and a == "SELECT 'qlog marker'"]
        self.assertEqual(len(marker), 1)
        mine = [(c, a) for i, c, a in log if i == marker[0]]
        self.assertEqual(mine[0][0], "Connect")
        self.assertTrue(mine[0][1].startswith("root@localhost"), mine[0])
        self.assertTrue(mine[0][1].endswith(" using Socket"), mine[0])
        self.assertIn(("Query", "CREATE TABLE t (a INT)"), mine)
        self.assertIn(("Query", "INSERT INTO t VALUES (1)"), mine)
        self.assertEqual(mine[-1], ("Quit", ""))
        tcp = [i for i, c, a in log if c == "Query" and a == "SELECT COUNT(*) FROM t"][0]
        theirs = [(c, a) for i, c, a in log if i == tcp]
        self.assertEqual(theirs[0], ("Connect", "root@localhost on test using TCP/IP"))
        self.assertEqual(theirs[-1], ("Quit", ""))

    def test_init_db_entry(self):
        s = self.server.start()
        conn = s.pymysql()
        conn.select_db("test")
        conn.close()
        wait_for(lambda: has_entry(self.path, "Init DB", "test"), what="the Init DB entry")

    def test_concurrent_sessions_write_whole_entries(self):
        import threading
        s = self.server.start()

        def run(w):
            conn = s.pymysql(autocommit=True)
            with conn.cursor() as c:
                for n in range(50):
                    c.execute(f"SELECT 'writer {w} statement {n}'")
            conn.close()
        threads = [threading.Thread(target=run, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        want = {f"SELECT 'writer {w} statement {n}'" for w in range(4) for n in range(50)}
        wait_for(lambda: want <= {a for _, c, a in entries(self.path) if c == "Query"},
                 what="every statement of every writer")
        for line in read(self.path).splitlines()[3:]:
            self.assertRegex(line, ENTRY)

    def test_set_global_general_log_off_stops_entries(self):
        s = self.server.start()
        self.assertEqual(s.sql("SHOW VARIABLES LIKE 'general_log'"), [["general_log", "ON"]])
        self.assertEqual(s.sql("SHOW VARIABLES LIKE 'general_log_file'"),
                         [["general_log_file", self.path]])
        s.sql("SET GLOBAL general_log = OFF; SELECT 'hidden while off'")
        self.assertEqual(s.sql("SELECT @@global.general_log"), [["0"]])
        s.sql("SET GLOBAL general_log = ON; SELECT 'shown again'")
        wait_for(lambda: has_entry(self.path, "Query", "SELECT 'shown again'"),
                 what="the entry after general_log=ON")
        text = read(self.path)
        self.assertIn("SET GLOBAL general_log = OFF", text)
        self.assertNotIn("hidden while off", text)
        # Turning the log on opens the file again, with its header.
        self.assertEqual(text.count("Time\t\t    Id Command\tArgument\n"), 2)

    def test_log_output_none_writes_nothing(self):
        s = self.server.start()
        s.sql("SET GLOBAL log_output = 'NONE'; SELECT 'not written'")
        self.assertEqual(s.sql("SHOW VARIABLES LIKE 'log_output'"), [["log_output", "NONE"]])
        s.sql("SET GLOBAL log_output = 'table,file'; SELECT 'written'")
        self.assertEqual(s.sql("SELECT @@log_output"), [["FILE,TABLE"]])
        wait_for(lambda: has_entry(self.path, "Query", "SELECT 'written'"), what="the entry")
        self.assertNotIn("not written", read(self.path))

    def test_bad_values_are_refused(self):
        s = self.server.start()
        for statement, code in [("SET GLOBAL log_output = 'BAD'", 1231),
                                ("SET GLOBAL log_output = ''", 1231),
                                ("SET GLOBAL general_log_file = ''", 1231),
                                ("SET GLOBAL general_log_file = '/nonexistent-dir/x.log'", 1231),
                                ("SET GLOBAL long_query_time = 'abc'", 1232),
                                ("SET general_log = ON", 1229)]:
            with self.assertRaises(ClientError, msg=statement) as e:
                s.sql(statement)
            self.assertEqual(e.exception.code, code, statement)

    def test_general_log_file_set_at_run_time_is_against_datadir(self):
        s = self.server.start()
        s.sql("SET GLOBAL general_log_file = 'renamed.log'; SELECT 'in the new file'")
        moved = os.path.join(s.datadir, "renamed.log")
        wait_for(lambda: has_entry(moved, "Query", "SELECT 'in the new file'"),
                 what="the entry in the new file")
        self.assertTrue(read(moved).startswith(header_start()))
        self.assertNotIn("in the new file", read(self.path))

    def test_flush_logs_reopens_the_file(self):
        s = self.server.start()
        rotated = self.path + ".1"
        os.rename(self.path, rotated)
        s.sql("SELECT 'still the old file'; FLUSH GENERAL LOGS; SELECT 'in a new file'")
        wait_for(lambda: has_entry(self.path, "Query", "SELECT 'in a new file'"),
                 what="the entry in the reopened file")
        self.assertIn("still the old file", read(rotated))
        self.assertNotIn("in a new file", read(rotated))
        self.assertTrue(read(self.path).startswith(header_start()))


class DefaultFiles(unittest.TestCase):
    def test_default_files_are_named_for_the_host_in_the_datadir(self):
        s = Reptutd(options={"general-log": None, "slow-query-log": None})
        self.addCleanup(s.cleanup)
        s.start()
        host = socket.gethostname()
        self.assertEqual(s.sql("SHOW VARIABLES LIKE 'general_log_file'"),
                         [["general_log_file", f"{host}.log"]])
        self.assertEqual(s.sql("SHOW VARIABLES LIKE 'slow_query_log_file'"),
                         [["slow_query_log_file", f"{host}-slow.log"]])
        self.assertEqual(s.sql("SELECT @@global.long_query_time"), [["10.000000"]])
        s.sql("SELECT 'default file'")
        path = os.path.join(s.datadir, f"{host}.log")
        wait_for(lambda: has_entry(path, "Query", "SELECT 'default file'"),
                 what="the entry in <hostname>.log")

    def test_a_file_that_does_not_open_turns_the_log_off(self):
        s = Reptutd(options={"general-log": None, "general-log-file": "/nonexistent-dir/g.log"})
        self.addCleanup(s.cleanup)
        s.start()
        wait_for(lambda: s.sql("SELECT @@global.general_log") == [["0"]],
                 what="general_log to read OFF")
        self.assertIn("Could not use /nonexistent-dir/g.log for logging", s.read_log())
        s.sql("SET GLOBAL general_log_file = 'g.log'; SET GLOBAL general_log = ON; SELECT 'back'")
        wait_for(lambda: has_entry(os.path.join(s.datadir, "g.log"), "Query", "SELECT 'back'"),
                 what="the entry once the log is on again")

    def test_off_by_default(self):
        s = Reptutd()
        self.addCleanup(s.cleanup)
        s.start()
        self.assertEqual(s.sql("SELECT @@general_log, @@slow_query_log, @@log_output"),
                         [["0", "0", "FILE"]])
        s.sql("SELECT 'nothing'")
        self.assertFalse([n for n in os.listdir(s.datadir) if n.endswith(".log")])


class SlowLog(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd(options={"slow-query-log": None, "long-query-time": "0"})
        self.addCleanup(self.server.cleanup)
        self.path = os.path.join(self.server.dir, "slow.log")
        self.server.options["slow-query-log-file"] = self.path
        self.server.write_cnf()

    def test_long_query_time_zero_logs_each_statement(self):
        s = self.server.start()
        self.assertEqual(s.sql("SELECT @@long_query_time"), [["0.000000"]])
        s.sql("SELECT 'slow one', 2 UNION SELECT 'slow two', 3", database="test")
        wait_for(lambda: "SELECT 'slow one', 2 UNION SELECT 'slow two', 3;\n" in read(self.path),
                 what="the slow log entry")
        text = read(self.path)
        self.assertTrue(text.startswith(header_start()))
        self.assertIn("Time\t\t    Id Command\tArgument\n", text)
        entry = text[:text.index("SELECT 'slow one'")].split("# User@Host: ")[-1]
        lines = entry.splitlines()
        self.assertEqual(lines[0], "root[root] @ localhost []")
        self.assertRegex(lines[1], r"^# Thread_id: \d+  Schema: test  QC_hit: No$")
        self.assertRegex(lines[2], r"^# Query_time: \d+\.\d{6}  Lock_time: \d+\.\d{6}  "
                                   r"Rows_sent: 2  Rows_examined: \d+$")
        self.assertEqual(lines[3], "use `test`;")
        self.assertRegex(lines[4], r"^SET timestamp=\d+;$")
        self.assertRegex(text, r"(?m)^# Time: \d{6} [ \d]\d:\d\d:\d\d$")

    def test_slow_query_log_off_at_run_time(self):
        s = self.server.start()
        s.sql("SET GLOBAL slow_query_log = OFF; SELECT 'not slow-logged'")
        s.sql("SET GLOBAL slow_query_log = ON; SELECT 'slow-logged'")
        wait_for(lambda: "SELECT 'slow-logged';" in read(self.path), what="the entry")
        self.assertNotIn("not slow-logged", read(self.path))

    def test_flush_slow_logs_reopens_the_file(self):
        s = self.server.start()
        os.rename(self.path, self.path + ".1")
        s.sql("FLUSH SLOW LOGS; SELECT 'after the flush'")
        wait_for(lambda: "SELECT 'after the flush';" in read(self.path), what="the entry")
        self.assertTrue(read(self.path).startswith(header_start()))


class ReplicaSqlThread(unittest.TestCase):
    def test_replica_general_log_shows_what_the_sql_thread_applies(self):
        master = new_server(self, "master", 1, {"log-bin": "master-bin"}).start()
        path = os.path.join(master.root, "replica-general.log")
        slave = new_server(self, "slave", 2, {"general-log": None, "general-log-file": path},
                           root=master.root).start()
        start_replication(slave, master)
        master.sql("CREATE TABLE qlog_t (a INT)", database="test")
        master.sql("INSERT INTO qlog_t VALUES (42)", database="test")
        sync(slave, master)
        wait_for(lambda: has_entry(path, "Query", "INSERT INTO qlog_t VALUES (42)"),
                 what="the SQL thread's statement in the replica's general log")
        self.assertTrue(has_entry(path, "Query", "CREATE TABLE qlog_t (a INT)"))


if __name__ == "__main__":
    unittest.main()
