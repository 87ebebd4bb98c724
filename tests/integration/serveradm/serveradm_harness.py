"""Shared helpers for serveradm's integration tests.

Each test gets a fresh tutorial directory under /tmp (short, because Unix
socket paths are limited to 107 bytes), runs the built serveradm in it as a
person would, and checks with the real `mariadb` client through the links
serveradm made. Every server a test started is stopped in a cleanup, also
when the test fails, and the test checks that no process is left behind.
Waits are bounded polls, never bare sleeps.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

# CI machines may share their loopback network with other runs of these
# tests (in other containers, whose processes and port claims this one
# cannot see): each test process allocates from its own random base.
if not os.environ.get("SERVERADM_BASE_PORT"):
    import random
    os.environ["SERVERADM_BASE_PORT"] = str(random.randrange(13000, 30000, 50))

BIN = os.environ.get("REPTUT_BIN", os.path.join(os.path.dirname(__file__), "../../../build/bin"))
SERVERADM = os.path.join(BIN, "serveradm")
SOURCE = os.environ.get("REPTUT_SOURCE", os.path.join(os.path.dirname(__file__), "../../.."))

# One bootstrap cache for the whole run, not the user's ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="rt-cache-")
os.environ["SERVERADM_CACHE_DIR"] = _CACHE


def remove_cache():
    shutil.rmtree(_CACHE, ignore_errors=True)


def wait_for(predicate, timeout=30.0, interval=0.02, what="condition"):
    """Polls predicate() until it returns a true value, bounded by timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def processes_in(directory):
    """Pids of processes whose command line or cwd lies in `directory`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cwd = os.readlink("/proc/%s/cwd" % entry)
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        exe = cmd.split(" ", 1)[0]
        if "serveradm" in exe or "python" in exe:
            continue
        if cwd.startswith(directory + "/") or cwd == directory:
            found.append(int(entry))
    return found


def hold_port(port):
    """Listens on 127.0.0.1:port like an unrelated server; None if taken."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # As servers do: a connection of an earlier server in TIME_WAIT does
    # not keep a listener off the port.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        return None
    s.listen(1)
    return s


def claimed_by_a_tutorial(port):
    """True if a tutorial directory's server owns `port` (serveradm's claims)."""
    registry = os.environ.get("SERVERADM_PORT_REGISTRY")
    if not registry and os.path.isdir(os.environ.get("XDG_RUNTIME_DIR") or "/nonexistent"):
        registry = os.path.join(os.environ["XDG_RUNTIME_DIR"], "reptut-ports")
    if not registry:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        registry = os.path.join(cache, "reptut", "ports")
    claim = os.path.join(registry, str(port))
    try:
        with open(claim) as f:
            owner = f.readline().strip()
        config = os.path.join(owner, "serverconfig.toml")
        with open(config) as f:
            if re.search(r"(?m)^port = %d$" % port, f.read()):
                return True
        # Pending: claimed by an `add` that has not saved the config yet.
        claimed = os.stat(claim).st_mtime_ns
        return (claimed > os.stat(config).st_mtime_ns and
                time.time_ns() - claimed < 120 * 10**9)
    except OSError:
        return False


def hold_next_free_port(start=None):
    """Holds the port serveradm's next `add` would pick; returns the socket."""
    if start is None:
        start = int(os.environ["SERVERADM_BASE_PORT"])
    for port in range(start, start + 1000):
        if claimed_by_a_tutorial(port):
            continue
        s = hold_port(port)
        if s:
            return s
    raise AssertionError("no free port to hold")


class Tutorial:
    """One tutorial directory and the serveradm commands run in it."""

    def __init__(self, test, prefix="rt-"):
        self.test = test
        self.dir = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
        test.addCleanup(self.cleanup)

    def run(self, *args, check=True, timeout=120, input=None):
        proc = subprocess.run([SERVERADM] + list(args), cwd=self.dir, capture_output=True,
                              text=True, timeout=timeout, input=input if input is not None else "")
        if check and proc.returncode != 0:
            self.test.fail("serveradm %s failed (%d):\n%s%s" % (
                " ".join(args), proc.returncode, proc.stdout, proc.stderr))
        return proc

    def status(self):
        rows = json.loads(self.run("status", "--json").stdout)
        return {r["name"]: r for r in rows}

    def sql(self, server, statement, database="test", check=True):
        """Runs SQL with the real client, as ./mysql --defaults-file=NAME.cnf -uroot."""
        proc = subprocess.run(
            [os.path.join(self.dir, "mysql"), "--defaults-file=%s.cnf" % server, "-uroot",
             "--batch", "--skip-column-names", database, "-e", statement],
            cwd=self.dir, capture_output=True, text=True, timeout=60)
        if check and proc.returncode != 0:
            self.test.fail("SQL on %s failed: %s\n%s" % (server, statement, proc.stderr))
        return proc.stdout

    def pids(self):
        out = {}
        for name in os.listdir(self.dir):
            pidfile = os.path.join(self.dir, name, name + ".pid")
            if os.path.isfile(pidfile):
                try:
                    out[name] = int(open(pidfile).read().split()[0])
                except (ValueError, IndexError):
                    pass
        return out

    def cleanup(self):
        if os.path.exists(os.path.join(self.dir, "serverconfig.toml")):
            try:
                subprocess.run([SERVERADM, "stop", "all"], cwd=self.dir, capture_output=True,
                               timeout=120)
            except subprocess.TimeoutExpired:
                pass
        # Only processes that live in this directory (mysqld's cwd is its
        # data directory): a stale pid file's pid may belong to anyone now.
        for pid in processes_in(self.dir):
            if pid_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.dir, ignore_errors=True)
