"""A real MariaDB server (Debian's mariadbd) for integration tests: as the
replica of a reptutd master, as the master of a reptutd replica, or as the
reference a reptutd answer is compared with.

Mariadbd has the client methods of harness.Reptutd (sql, client_args,
pymysql, read_log) and the same life cycle (start, stop, kill9, cleanup),
so that tests and helpers take either. Each server lives in its own
directory: data directory, socket, pid file and error log; it listens on a
free port of 127.0.0.1 only and reads no option file (--no-defaults).

    m = Mariadbd(server_id=1, log_bin="master-bin", binlog_format="STATEMENT")
    m.start()
    m.sql("CREATE DATABASE d")
    ...
    m.cleanup()

The data directory is made by mariadb-install-db once per process (root
without a password, no test database) and copied for every server after
that; the anonymous accounts are dropped at the first start (a replica
logging in as 'repl' from localhost would otherwise match ''@'localhost').
"""

import atexit
import getpass
import os
import shutil
import signal
import subprocess
import tempfile
import threading

from harness import ClientError, Reptutd, free_port, wait_for  # noqa: F401

MARIADBD = os.environ.get("MARIADBD", "/usr/sbin/mariadbd")
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"

# Small InnoDB files and buffers: a test server starts in well under a
# second and its data directory is ~20 MB.
SMALL_SERVER_OPTIONS = {
    "innodb-log-file-size": "4M",
    "innodb-buffer-pool-size": "16M",
    "skip-name-resolve": None,
    "performance-schema": "OFF",
}

_template_lock = threading.Lock()
_template_dir = None


def _run_as_user():
    """mariadbd refuses to run as root without --user=root."""
    return "root" if os.geteuid() == 0 else getpass.getuser()


def _option_args(options):
    return [f"--{k}" if v is None else f"--{k}={v}" for k, v in options.items()]


def bootstrapped_datadir():
    """A data directory made by mariadb-install-db, once per process (a
    template the servers copy)."""
    global _template_dir
    with _template_lock:
        if _template_dir is None:
            root = tempfile.mkdtemp(prefix="reptut-mariadb-template-")
            atexit.register(shutil.rmtree, root, True)
            datadir = os.path.join(root, "data")
            r = subprocess.run(
                [INSTALL_DB, "--no-defaults", f"--datadir={datadir}",
                 "--auth-root-authentication-method=normal", "--skip-test-db",
                 f"--user={_run_as_user()}", f"--tmpdir={root}"]
                + _option_args(SMALL_SERVER_OPTIONS),
                capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise AssertionError(f"mariadb-install-db failed:\n{r.stdout}\n{r.stderr}")
            _template_dir = datadir
        return _template_dir


class Mariadbd:
    """One mariadbd in its own directory.

    server_id:     --server-id
    log_bin:       --log-bin=<value> (None: no binary log); e.g. "master-bin"
    binlog_format: --binlog-format (e.g. "STATEMENT"), only with log_bin
    options:       more mariadbd options, {"name": value or None}, e.g.
                   {"report-host": "replica1", "log-slave-updates": None}
    """

    def __init__(self, root=None, name="mariadb", server_id=1, log_bin=None,
                 binlog_format=None, options=None):
        self.own_root = root is None
        self.root = root or tempfile.mkdtemp(prefix="reptut-it-")
        self.name = name
        self.dir = os.path.join(self.root, name)
        os.makedirs(self.dir, exist_ok=True)
        self.datadir = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mysql.sock")
        self.log = os.path.join(self.dir, "error.log")
        self.pid_file = os.path.join(self.dir, "mariadbd.pid")
        self.port = free_port()
        self.server_id = server_id
        self.log_bin = log_bin
        self.binlog_format = binlog_format
        self.options = dict(options or {})
        self.proc = None
        self._accounts_cleaned = False

    # ---- life cycle ----

    def initialize(self):
        shutil.copytree(bootstrapped_datadir(), self.datadir, symlinks=True)

    def command(self):
        args = [MARIADBD, "--no-defaults", f"--user={_run_as_user()}",
                f"--datadir={self.datadir}", f"--port={self.port}",
                "--bind-address=127.0.0.1", f"--socket={self.socket}",
                f"--pid-file={self.pid_file}", f"--log-error={self.log}",
                f"--server-id={self.server_id}", f"--tmpdir={self.dir}"]
        if self.log_bin is not None:
            args.append(f"--log-bin={self.log_bin}")
            if self.binlog_format:
                args.append(f"--binlog-format={self.binlog_format}")
        options = dict(SMALL_SERVER_OPTIONS)
        options.update(self.options)
        return args + _option_args(options)

    def start(self, initialize=True, timeout=30):
        if initialize and not os.path.isdir(self.datadir):
            self.initialize()
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        try:
            wait_for(self._ready, timeout, f"{self.name} (mariadbd) to accept a login")
        except AssertionError:
            self.stop()
            raise AssertionError(f"{self.name} (mariadbd) did not start; log:\n{self.read_log()}")
        if not self._accounts_cleaned:
            # Not logged: a replica of this server must not see it.
            self.sql("SET sql_log_bin=0; DELETE FROM mysql.global_priv WHERE User='';"
                     " FLUSH PRIVILEGES")
            self._accounts_cleaned = True
        return self

    def _ready(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"mariadbd exited with {self.proc.returncode}:\n"
                                 f"{self.read_log()}")
        r = subprocess.run(self.client_args() + ["-N", "-B", "-e", "SELECT 1"],
                           capture_output=True, text=True, timeout=5)
        return r.returncode == 0

    def stop(self, timeout=30):
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
        self.proc = None
        return code

    def kill9(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def cleanup(self):
        self.stop()
        if self.own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def binlog_path(self, name):
        return os.path.join(self.datadir, name)

    # ---- clients (the same as Reptutd's) ----

    client_args = Reptutd.client_args
    sql = Reptutd.sql
    pymysql = Reptutd.pymysql
    read_log = Reptutd.read_log
