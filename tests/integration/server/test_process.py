"""reptutd as a process: options as mysqld takes them, the error log, a port
already taken, clean shutdown by SIGTERM, SHUTDOWN and mariadb-admin."""

import os
import shutil
import socket
import subprocess
import tempfile
import unittest

from harness import REPTUTD, Reptutd, free_port, wait_for


class Process(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd()
        self.addCleanup(self.server.cleanup)

    def test_error_log_lines(self):
        self.server.start()
        self.assertEqual(self.server.stop(), 0)
        log = self.server.read_log()
        self.assertIn("[Note]", log)
        self.assertIn("ready for connections", log)
        self.assertIn(f"port: {self.server.port}", log)
        self.assertIn(f"socket: '{self.server.socket}'", log)
        self.assertIn("Shutdown complete", log)
        self.assertFalse(os.path.exists(self.server.pid_file))

    def test_pid_file_holds_the_pid(self):
        self.server.start()
        with open(self.server.pid_file) as f:
            self.assertEqual(int(f.read().strip()), self.server.proc.pid)

    def test_port_in_use_is_a_clear_error(self):
        holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", self.server.port))
        holder.listen(1)
        self.addCleanup(holder.close)
        self.server.initialize()
        r = subprocess.run([REPTUTD, f"--defaults-file={self.server.cnf}"], capture_output=True,
                           text=True, timeout=20)
        self.assertEqual(r.returncode, 1)
        log = self.server.read_log()
        self.assertIn("Address already in use", log)
        self.assertIn(str(self.server.port), log)

    def test_second_server_on_the_same_data_directory_is_refused(self):
        self.server.start()
        self.server.sql("CREATE TABLE test.kept (a INT)")
        self.server.sql("INSERT INTO test.kept VALUES (1)")
        port = free_port()
        log = os.path.join(self.server.dir, "second.log")
        r = subprocess.run([REPTUTD, "--no-defaults", f"--datadir={self.server.datadir}",
                            f"--port={port}", f"--socket={self.server.socket}2",
                            f"--log-error={log}", "--server-id=2"],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(r.returncode, 1)
        with open(log) as f:
            text = f.read()
        self.assertIn("Unable to lock the data directory", text)
        self.assertIn(self.server.datadir, text)
        # The first server goes on, its data untouched.
        self.assertEqual(self.server.sql("SELECT a FROM test.kept"), [["1"]])

    def test_shutdown_statement_and_mariadb_admin(self):
        self.server.start()
        self.server.sql("SHUTDOWN")
        self.assertEqual(self.server.proc.wait(10), 0)
        self.server.proc = None
        self.server.start(initialize=False)
        subprocess.run(["mariadb-admin", "--no-defaults", "-uroot",
                        f"--socket={self.server.socket}", "shutdown"], check=True, timeout=20)
        self.assertEqual(self.server.proc.wait(10), 0)
        self.server.proc = None
        self.assertIn("Shutdown complete", self.server.read_log())

    def test_unknown_option_in_file_names_file_and_line(self):
        with open(self.server.cnf, "a") as f:
            f.write("no-such-option = 1\n")
        self.server.initialize()
        r = subprocess.run([REPTUTD, f"--defaults-file={self.server.cnf}"], capture_output=True,
                           text=True, timeout=20)
        self.assertEqual(r.returncode, 1)
        text = r.stderr + self.server.read_log()
        self.assertIn("no-such-option", text)
        self.assertIn(self.server.cnf, text)

    def test_option_without_group(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        cnf = os.path.join(d, "bad.cnf")
        with open(cnf, "w") as f:
            f.write("port = 1234\n[mysqld]\n")
        r = subprocess.run([REPTUTD, f"--defaults-file={cnf}"], capture_output=True, text=True,
                           timeout=20)
        self.assertEqual(r.returncode, 1)
        self.assertIn("at line 1", r.stderr)

    def test_command_line_options_like_mysqld(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        datadir = os.path.join(d, "data")
        subprocess.run([REPTUTD, "--no-defaults", "--initialize-insecure", f"--datadir={datadir}"],
                       check=True, capture_output=True, timeout=30)
        port = free_port()
        sock = os.path.join(d, "s.sock")
        proc = subprocess.Popen([REPTUTD, "--no-defaults", f"--datadir={datadir}", f"--port={port}",
                                 f"--socket={sock}", "--server_id=7", "--loose-no-such-thing=1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            probe = Reptutd(root=d, name="probe")
            probe.socket = sock
            wait_for(lambda: subprocess.run(probe.client_args() + ["-N", "-e", "SELECT 1"],
                                            capture_output=True).returncode == 0,
                     what="reptutd to accept a login")
            self.assertEqual(probe.sql("SELECT @@server_id, @@port"), [["7", str(port)]])
        finally:
            proc.terminate()
            proc.wait(10)

    def test_sigterm_is_a_clean_shutdown(self):
        self.server.start()
        self.assertEqual(self.server.stop(), 0)
        self.assertIn("Normal shutdown", self.server.read_log())

    def test_initialize_refuses_a_used_data_directory(self):
        self.server.initialize()
        r = subprocess.run([REPTUTD, "--no-defaults", "--initialize-insecure",
                            f"--datadir={self.server.datadir}"], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 1)


if __name__ == "__main__":
    unittest.main()


class AdminCommands(unittest.TestCase):
    """The commands mariadb-admin sends: COM_PING, COM_STATISTICS,
    COM_PROCESS_INFO/SHOW PROCESSLIST, COM_PROCESS_KILL."""

    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def admin(self, *args):
        return subprocess.run(["mariadb-admin", "--no-defaults", "-uroot",
                               f"--socket={self.server.socket}", *args],
                              capture_output=True, text=True, timeout=20)

    def test_ping_and_status(self):
        r = self.admin("ping")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("mysqld is alive", r.stdout)
        r = self.admin("status")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Uptime:", r.stdout)
        self.assertIn("Threads:", r.stdout)

    def test_processlist_and_kill(self):
        conn = self.server.pymysql(database="test")
        with conn.cursor() as c:
            c.execute("SELECT CONNECTION_ID()")
            victim = c.fetchone()[0]
        rows = self.server.sql("SHOW PROCESSLIST")
        self.assertIn(str(victim), [r[0] for r in rows])
        r = self.admin("kill", str(victim))
        self.assertEqual(r.returncode, 0, r.stderr)
        wait_for(lambda: str(victim) not in [r[0] for r in self.server.sql("SHOW PROCESSLIST")],
                 what="the killed connection to leave the process list")
        import pymysql
        with self.assertRaises(pymysql.MySQLError):
            with conn.cursor() as c:
                c.execute("SELECT 1")
        with self.assertRaises(Exception):
            self.server.sql("KILL 999999")

    def test_variables(self):
        r = self.admin("variables")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("server_id", r.stdout)
