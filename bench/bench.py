#!/usr/bin/python3
"""Reptut's benchmark: reptutd beside MariaDB, measured in the same run on
the same machine, printed as a table with ratios. Not a test: it asserts
nothing; the targets are in the issues.

    python3 bench/bench.py [--time SECONDS] [--rounds N]
                           [--only server,sysbench,binlog,serveradm,replication,scenarios,dba]

Sections:
  server     idle RSS after start, start-to-ready, clean shutdown (SIGTERM)
  sysbench   oltp_insert and oltp_point_select, 1 and 4 threads,
             --db-ps-mode=disable, comparable durability: every commit is
             written to the OS before the client is answered, without an
             fsync (innodb_flush_log_at_trx_commit=2 on both: InnoDB's redo
             log; reptutd's commit log, see server/engine/group_commit.h)
  binlog     oltp_insert with log-bin on (sync_binlog=0) against off
  serveradm  setup + add of a master and two slaves + start all
  replication  a replica's backlog, lag under a steady load, a master's rate
             with two replicas, serveradm's master and two slaves to a
             replicated row, a replica's RSS (bench/replication_bench.py)
  scenarios  every built-in scenario, one after the other, on each flavor
             (bench/scenario_bench.py)
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("REPTUT_BIN", os.path.join(HERE, "../build/bin"))
REPTUTD = os.path.join(BIN, "reptutd")
MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
CLIENT = shutil.which("mariadb") or "/usr/bin/mariadb"
SYSBENCH = shutil.which("sysbench") or "/usr/bin/sysbench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Server:
    """A server of one kind in a fresh directory: 'reptut' or 'mariadb'."""

    def __init__(self, kind, log_bin=False):
        self.kind = kind
        self.dir = tempfile.mkdtemp(prefix=f"bench-{kind}-", dir="/tmp")
        self.datadir = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "s.sock")
        self.port = free_port()
        self.log_bin = log_bin
        self.proc = None

    def bootstrap(self):
        if self.kind == "reptut":
            subprocess.run([REPTUTD, "--no-defaults", "--initialize-insecure",
                            f"--datadir={self.datadir}"], check=True, capture_output=True)
        else:
            subprocess.run([INSTALL_DB, "--no-defaults", f"--datadir={self.datadir}",
                            "--auth-root-authentication-method=normal", "--skip-test-db",
                            "--user=root"], check=True, capture_output=True)

    def args(self):
        common = [f"--datadir={self.datadir}", f"--port={self.port}", f"--socket={self.socket}",
                  "--bind-address=127.0.0.1", "--server-id=1",
                  f"--log-error={os.path.join(self.dir, 'error.log')}",
                  f"--pid-file={os.path.join(self.dir, 'server.pid')}"]
        if self.log_bin:
            common += ["--log-bin=bench-bin", "--sync-binlog=0"]
        if self.kind == "reptut":
            # Same durability as the MariaDB below: no fsync at each commit.
            return [REPTUTD, "--no-defaults", "--innodb-flush-log-at-trx-commit=2"] + common
        return [MARIADBD, "--no-defaults", "--user=root", "--innodb-flush-log-at-trx-commit=2",
                "--skip-name-resolve", "--max-connections=200"] + common

    def login_ok(self):
        r = subprocess.run([CLIENT, "--no-defaults", "-uroot", f"--socket={self.socket}", "-N",
                            "-e", "SELECT 1"], capture_output=True)
        return r.returncode == 0

    def start(self):
        """Starts the server; returns seconds from spawn to the first login."""
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.args(), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = t0 + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited during start")
            if os.path.exists(self.socket) and self.login_ok():
                return time.monotonic() - t0
            time.sleep(0.002)
        raise RuntimeError(f"{self.kind} did not start")

    def sql(self, text):
        subprocess.run([CLIENT, "--no-defaults", "-uroot", f"--socket={self.socket}", "-e", text],
                       check=True, capture_output=True)

    def stop(self):
        """Clean shutdown; returns seconds from SIGTERM to exit."""
        if not self.proc:
            return 0.0
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        return time.monotonic() - t0

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def sysbench(server, test, threads, seconds, table_size=10000, prepare=True):
    base = [SYSBENCH, test, "--db-driver=mysql", f"--mysql-socket={server.socket}",
            "--mysql-user=root", "--mysql-db=test", "--tables=1", f"--table-size={table_size}",
            "--db-ps-mode=disable"]
    if prepare:
        subprocess.run(base + ["cleanup"], capture_output=True)
        subprocess.run(base + ["prepare"], check=True, capture_output=True)
    out = subprocess.run(base + [f"--threads={threads}", f"--time={seconds}", "run"],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("queries:"):
            return float(line.split("(")[1].split()[0])
    raise RuntimeError("sysbench printed no rate:\n" + out)


ROWS = []


def row(metric, ours, theirs, unit, better="higher"):
    if theirs and ours:
        ratio = ours / theirs if better == "higher" else theirs / ours
        r = f"{ratio:.2f}x"
    else:
        r = "n/a"
    ROWS.append((metric, ours, theirs, unit, r))
    print(f"  {metric:<44} {fmt(ours):>12} {fmt(theirs):>12} {unit:<8} {r:>8}", flush=True)


def fmt(v):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"
    return str(v)


def bench_server():
    results = {}
    for kind in ("reptut", "mariadb"):
        s = Server(kind)
        try:
            s.bootstrap()
            ready = s.start()
            s.sql("SELECT 1")
            time.sleep(1.0)  # idle: nothing runs; the figure is taken after a second
            rss = rss_kib(s.proc.pid) / 1024.0
            down = s.stop()
            results[kind] = (ready, rss, down)
        finally:
            s.cleanup()
    row("start to ready (s)", results["reptut"][0], results["mariadb"][0], "s", "lower")
    row("idle RSS after start (MiB)", results["reptut"][1], results["mariadb"][1], "MiB", "lower")
    row("clean shutdown (s)", results["reptut"][2], results["mariadb"][2], "s", "lower")


def with_servers(log_bin, fn):
    servers = {k: Server(k, log_bin=log_bin) for k in ("reptut", "mariadb")}
    try:
        for s in servers.values():
            s.bootstrap()
            s.start()
            s.sql("CREATE DATABASE IF NOT EXISTS test")
        return fn(servers)
    finally:
        for s in servers.values():
            s.cleanup()


def alternating(servers, measure, rounds):
    """The median of `rounds` measurements of each server, taken in turns
    (reptutd, MariaDB, MariaDB, reptutd, ...), so that a machine that speeds
    up or slows down during the run (a shared VM does) favours neither."""
    values = {k: [] for k in servers}
    for r in range(rounds):
        order = list(servers.items())
        if r % 2:
            order.reverse()
        for k, s in order:
            values[k].append(measure(s))
    return {k: statistics.median(v) for k, v in values.items()}


def bench_sysbench(seconds, rounds):
    def run(servers):
        for test in ("oltp_insert", "oltp_point_select"):
            for threads in (1, 4):
                rates = alternating(servers, lambda s: sysbench(s, test, threads, seconds), rounds)
                row(f"{test}, {threads} thread(s) (queries/s)", rates["reptut"],
                    rates["mariadb"], "q/s")
    with_servers(False, run)


def bench_binlog(seconds, rounds):
    rates = {}
    for log_bin in (False, True):
        rates[log_bin] = with_servers(log_bin, lambda servers: alternating(
            servers, lambda s: sysbench(s, "oltp_insert", 1, seconds), rounds))
    row("oltp_insert, log-bin on (queries/s)", rates[True]["reptut"], rates[True]["mariadb"], "q/s")
    keep = rates[True]["reptut"] / rates[False]["reptut"]
    keep_m = rates[True]["mariadb"] / rates[False]["mariadb"]
    row("oltp_insert kept with log-bin (on/off)", keep, keep_m, "ratio")


def bench_serveradm():
    sys.path.insert(0, HERE)
    import serveradm_bench
    times = {}
    for flavor in ("bundled", "mariadb"):
        runs = [serveradm_bench.one_run(flavor) for _ in range(3)]
        ok = [t for t, why in runs if t is not None]
        times[flavor] = min(ok) if ok else None
    row("serveradm setup+add 3+start all (s, best of 3)", times["bundled"], times["mariadb"], "s",
        "lower")


def bench_replication(seconds, rounds):
    # replication_bench imports this file as `bench`: the same module when
    # run as a script, not a second copy.
    sys.modules.setdefault("bench", sys.modules[__name__])
    sys.path.insert(0, HERE)
    import replication_bench
    replication_bench.bench_replication(seconds, rounds)


def bench_scenarios(rounds):
    sys.path.insert(0, HERE)
    import scenario_bench
    scenario_bench.bench_scenarios(rounds, row)


def bench_dba():
    sys.path.insert(0, HERE)
    import dba_bench
    dba_bench.bench_dba(int(os.environ.get("BENCH_DUMP_ROWS", "1000000")), row)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--time", type=int, default=int(os.environ.get("BENCH_TIME", "10")))
    p.add_argument("--only",
                   default="server,sysbench,binlog,serveradm,replication,scenarios,dba")
    p.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")),
                   help="sysbench figures: median of this many alternating runs")
    a = p.parse_args()
    only = a.only.split(",")
    print(f"Reptut benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores")
    print(f"  sysbench: {a.time} s runs, median of {a.rounds} taken in turns with MariaDB")
    print(f"  {'metric':<44} {'reptutd':>12} {'mariadb':>12} {'unit':<8} {'ratio':>8}")
    print("  (ratio: how many times better reptutd is; targets: RSS <= 10 MiB, start <= 50 ms,"
          " shutdown <= 50 ms, sysbench >= 1.5x, log-bin keeps >= 80%)")
    if "server" in only:
        bench_server()
    if "sysbench" in only:
        bench_sysbench(a.time, a.rounds)
    if "binlog" in only:
        bench_binlog(a.time, a.rounds)
    if "serveradm" in only:
        bench_serveradm()
    if "replication" in only:
        bench_replication(a.time, a.rounds)
    if "scenarios" in only:
        bench_scenarios(a.rounds)
    if "dba" in only:
        bench_dba()


if __name__ == "__main__":
    main()
