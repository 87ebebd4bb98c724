"""Shared helpers of the integration tests: real reptutd processes on free
loopback ports in temporary directories, the real `mariadb` client, and
bounded waits (never a bare sleep)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BIN = os.environ.get("REPTUT_BIN", os.path.join(os.path.dirname(__file__), "../../build/bin"))
REPTUTD = os.path.join(BIN, "reptutd")
MARIADB = shutil.which("mariadb") or "/usr/bin/mariadb"


def free_port():
    """A TCP port nobody listens on now (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_packet(sock):
    """One MySQL protocol packet's payload from a raw socket; None when the
    server closed the connection first."""
    header = b""
    while len(header) < 4:
        chunk = sock.recv(4 - len(header))
        if not chunk:
            return None
        header += chunk
    length = header[0] | header[1] << 8 | header[2] << 16
    payload = b""
    while len(payload) < length:
        chunk = sock.recv(length - len(payload))
        if not chunk:
            return None
        payload += chunk
    return payload


class GiveUp(AssertionError):
    """Raised by a wait_for condition that can never hold any more (a
    replica stopped with an error): wait_for fails at once with it."""


def wait_for(condition, timeout=10.0, what="condition", interval=0.01):
    """Polls condition() until it returns a true value or timeout passes."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except GiveUp:
            raise
        except Exception as e:  # the condition may fail while a server starts
            last_error = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}"
                         + (f" (last error: {last_error})" if last_error else ""))


class ClientError(Exception):
    def __init__(self, returncode, stderr):
        super().__init__(stderr.strip())
        self.returncode = returncode
        self.stderr = stderr
        # "ERROR 1064 (42000) at line 1: ..."
        m = re.search(r"ERROR (\d+)", stderr)
        self.code = int(m.group(1)) if m else None


class Reptutd:
    """One reptutd in its own directory: data dir, option file, socket, log."""

    def __init__(self, root=None, name="server", options=None, server_id=1):
        self.own_root = root is None
        self.root = root or tempfile.mkdtemp(prefix="reptut-it-")
        self.name = name
        self.dir = os.path.join(self.root, name)
        os.makedirs(self.dir, exist_ok=True)
        self.datadir = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mysql.sock")
        self.log = os.path.join(self.dir, "error.log")
        self.pid_file = os.path.join(self.dir, "reptutd.pid")
        self.cnf = os.path.join(self.dir, "my.cnf")
        self.port = free_port()
        self.server_id = server_id
        self.options = dict(options or {})
        self.proc = None
        self.write_cnf()

    def write_cnf(self):
        lines = ["[mysqld]",
                 f"datadir = {self.datadir}",
                 f"port = {self.port}",
                 f"socket = {self.socket}",
                 "bind-address = 127.0.0.1",
                 f"log-error = {self.log}",
                 f"pid-file = {self.pid_file}",
                 f"server-id = {self.server_id}"]
        for k, v in self.options.items():
            lines.append(k if v is None else f"{k} = {v}")
        with open(self.cnf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def initialize(self):
        subprocess.run([REPTUTD, "--no-defaults", "--initialize-insecure",
                        f"--datadir={self.datadir}"], check=True, capture_output=True, timeout=30)

    def start(self, initialize=True, timeout=10):
        if initialize and not os.path.isdir(self.datadir):
            self.initialize()
        self.proc = subprocess.Popen([REPTUTD, f"--defaults-file={self.cnf}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for(self._ready, timeout, f"{self.name} to accept a login")
        except AssertionError:
            self.stop()
            raise AssertionError(f"{self.name} did not start; log:\n{self.read_log()}")
        return self

    def _ready(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"reptutd exited with {self.proc.returncode}:\n{self.read_log()}")
        r = subprocess.run([MARIADB, "--no-defaults", "-uroot", f"--socket={self.socket}",
                            "-N", "-B", "-e", "SELECT 1"], capture_output=True, text=True,
                           timeout=5)
        return r.returncode == 0

    def read_log(self):
        try:
            with open(self.log) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self, timeout=10):
        """Clean shutdown with SIGTERM; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode
        if self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None
        return code

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None

    def cleanup(self):
        self.stop()
        if self.own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    # ---- clients ----

    def client_args(self, user="root", password=None, tcp=False, database=None):
        args = [MARIADB, "--no-defaults", f"-u{user}"]
        if password is not None:
            args.append(f"-p{password}")
        if tcp:
            args += ["-h127.0.0.1", f"-P{self.port}", "--protocol=TCP"]
        else:
            args.append(f"--socket={self.socket}")
        if database:
            args.append(database)
        return args

    def sql(self, statements, user="root", password=None, tcp=False, database=None,
            batch_stdin=False, extra=()):
        """Runs statements with the mariadb client; returns its rows (tab
        separated, no headers) or raises ClientError."""
        args = self.client_args(user, password, tcp, database) + ["-N", "-B"] + list(extra)
        if batch_stdin:
            r = subprocess.run(args, input=statements, capture_output=True, text=True, timeout=60)
        else:
            r = subprocess.run(args + ["-e", statements], capture_output=True, text=True,
                               timeout=60)
        if r.returncode != 0:
            raise ClientError(r.returncode, r.stderr)
        return [line.split("\t") for line in r.stdout.splitlines()]

    def pymysql(self, user="root", password="", database=None, tcp=True, **kw):
        import pymysql
        if tcp:
            return pymysql.connect(host="127.0.0.1", port=self.port, user=user,
                                   password=password, database=database, **kw)
        return pymysql.connect(unix_socket=self.socket, user=user, password=password,
                               database=database, **kw)


def kill_during_writes(server, writers, statement, at_least=20, database="test"):
    """Starts `writers` threads, each running statement(w, n) for n = 0, 1,
    ... over its own autocommit connection; once every writer has had
    `at_least` statements acknowledged, kills the server with -9 and waits
    for the threads. Returns the set of (w, n) the server acknowledged."""
    import threading

    stop = threading.Event()
    counts = [0] * writers
    acked = set()

    def writer(w):
        n = 0
        try:
            conn = server.pymysql(database=database, autocommit=True)
            with conn.cursor() as c:
                while not stop.is_set():
                    c.execute(statement(w, n))
                    acked.add((w, n))
                    n += 1
                    counts[w] = n
        except Exception:
            pass  # the server died under us

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for th in threads:
        th.start()
    try:
        wait_for(lambda: min(counts) >= at_least, what="statements from every writer")
    finally:
        server.kill9()
        stop.set()
        for th in threads:
            th.join(10)
    return acked
