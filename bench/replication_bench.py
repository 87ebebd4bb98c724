#!/usr/bin/python3
"""Replication benchmarks: a reptutd replica of a reptutd master beside a
mariadbd replica of a mariadbd master (binlog_format=STATEMENT), measured in
the same run on the same machine, printed as rows of bench.py's table
(reptutd, MariaDB, how many times better reptutd is). Not a test: it
asserts nothing; the targets are issue 9's.

    REPTUT_BIN=build/bin python3 bench/replication_bench.py [--time S] [--rounds N]
    python3 bench/bench.py --only replication      (the same rows)

Settings are bench.py's on both sides: commits written to the OS without an
fsync (innodb_flush_log_at_trx_commit=2; reptutd's commit log), sync_binlog=0,
MariaDB's default buffers, no parallel replication (slave_parallel_threads=0,
MariaDB's default) and MASTER_USE_GTID=no (file and position, as reptutd).

Sections:
  backlog   100,000 single-row autocommit INSERTs (sysbench oltp_insert, 4
            threads) logged by the master while the replica's SQL thread was
            stopped and its I/O thread copied them into the relay log; timed
            from START SLAVE SQL_THREAD until MASTER_POS_WAIT returns.
            Median of the rounds, taken in turns.
  lag       a writer paces 2,000 INSERT/s on the master (20 per 10 ms tick)
            and, after each tick's inserts, sets a heartbeat row to
            time.time() in microseconds (pt-heartbeat style); a reader polls
            the replica's row every millisecond and takes, for each new
            value, the time it first saw it minus the value. Two runs of
            half the time each per server, in turns, pooled; the first
            second of each is warm-up. The poll period adds 0-1 ms to every
            figure; writer, reader and both servers share the machine.
  fan-out   sysbench oltp_insert (1 thread, bench.py's binlog row) on a master
            with two replicas: stopped ("alone"), connected and applying,
            with their I/O threads only (what serving two dump threads and
            receiving costs, without two appliers competing for this
            machine's cores), stopped again; "alone" is the median of the
            first and last run. The replicas skip the rows of the first run
            (CHANGE MASTER TO the master's position after it): no catch-up.
  serveradm setup, add master/slave1/slave2, start all, replicate slave1 and
            slave2 from the master, a table and a row on the master through
            ./mysql, `serveradm sync`, the row selected on both slaves; the
            bundled flavor against the mariadb flavor, best of 2 warm runs.
  rss       VmRSS of a fresh replica with both threads running, connected to
            an idle master, a second after START SLAVE; its private
            memory (USS: RSS without the pages of shared libraries it shares)
            and the part of RSS that is mapped files (code, libraries).
"""

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench as B  # noqa: E402

import pymysql  # noqa: E402

REPL_USER = "repl"
REPL_PASSWORD = "bench"
BACKLOG_ROWS = int(os.environ.get("BENCH_BACKLOG_ROWS", "100000"))
LAG_RATE = 2000       # INSERTs per second on the master
LAG_TICK = 0.010      # seconds between heartbeats; LAG_RATE * LAG_TICK inserts per tick
LAG_POLL = 0.001      # the reader's poll period on the replica

_templates = {}


def template(kind):
    """A bootstrapped data directory of `kind`, made once per run and copied
    for every server (mariadb-install-db takes seconds)."""
    if kind not in _templates:
        s = B.Server(kind)
        s.bootstrap()
        _templates[kind] = s
    return _templates[kind].datadir


def remove_templates():
    for s in _templates.values():
        s.cleanup()
    _templates.clear()


class ReplServer(B.Server):
    """bench.Server with a server id, and the options of a master (log-bin,
    sync_binlog=0, statement-based for MariaDB) or of a replica (relay log,
    no automatic start, report-host/-port)."""

    def __init__(self, kind, server_id, master=False, replica=False):
        super().__init__(kind, log_bin=master)
        self.server_id = server_id
        self.replica = replica
        self._conn = None

    def bootstrap(self):
        shutil.copytree(template(self.kind), self.datadir, symlinks=True)

    def args(self):
        a = [x for x in super().args() if not x.startswith("--server-id=")]
        a.append(f"--server-id={self.server_id}")
        if self.log_bin and self.kind == "mariadb":
            a.append("--binlog-format=STATEMENT")
        if self.replica:
            a += ["--relay-log=relay-bin", "--skip-slave-start", "--report-host=127.0.0.1",
                  f"--report-port={self.port}"]
        return a

    def launch(self):
        self.bootstrap()
        self.start()
        return self

    def connect(self, db=None):
        return pymysql.connect(unix_socket=self.socket, user="root", password="", database=db,
                               autocommit=True, cursorclass=pymysql.cursors.DictCursor)

    def q(self, sql):
        """Rows of `sql` as dicts, over a connection kept open."""
        if self._conn is None:
            self._conn = self.connect()
        with self._conn.cursor() as c:
            c.execute(sql)
            return list(c.fetchall()) if c.description else []

    def stop(self):
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None
        return super().stop()


def master_status(m):
    r = m.q("SHOW MASTER STATUS")[0]
    return r["File"], int(r["Position"])


def slave_status(s):
    rows = s.q("SHOW SLAVE STATUS")
    return rows[0] if rows else None


def wait_for(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.01)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def check_errors(s):
    st = slave_status(s)
    if st and (st["Last_IO_Error"] or st["Last_SQL_Error"]):
        raise RuntimeError(f"replication error on {s.kind}: {st['Last_IO_Error']} "
                           f"{st['Last_SQL_Error']}")
    return st


def attach(replica, master):
    """CHANGE MASTER TO the master by file and position from its first
    binary log, START SLAVE, both threads running."""
    extra = ", MASTER_USE_GTID=no" if replica.kind == "mariadb" else ""
    replica.q(f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={master.port}, "
              f"MASTER_USER='{REPL_USER}', MASTER_PASSWORD='{REPL_PASSWORD}', "
              f"MASTER_CONNECT_RETRY=1{extra}")
    replica.q("START SLAVE")
    wait_for(lambda: (lambda st: st["Slave_IO_Running"] == "Yes"
                      and st["Slave_SQL_Running"] == "Yes")(check_errors(replica)),
             30, f"{replica.kind} replica threads running")


def sync(replica, master, timeout=600):
    f, p = master_status(master)
    w = replica.q(f"SELECT MASTER_POS_WAIT('{f}', {p}, {timeout}) AS w")[0]["w"]
    if w is None or int(w) < 0:
        raise RuntimeError(f"MASTER_POS_WAIT('{f}', {p}) returned {w} on {replica.kind}: "
                           f"{slave_status(replica)}")


def topology(kind, replicas):
    """A master with a database `test` and a replication user, and
    `replicas` fresh replicas replicating it from its first binary log."""
    m = ReplServer(kind, 1, master=True)
    rs = [ReplServer(kind, 2 + i, replica=True) for i in range(replicas)]
    servers = [m] + rs
    try:
        for s in servers:
            s.launch()
        m.q("CREATE DATABASE IF NOT EXISTS test")
        m.q(f"CREATE USER '{REPL_USER}'@'%' IDENTIFIED BY '{REPL_PASSWORD}'")
        m.q(f"GRANT REPLICATION SLAVE ON *.* TO '{REPL_USER}'@'%'")
        for r in rs:
            attach(r, m)
            sync(r, m)
    except BaseException:
        for s in servers:
            s.cleanup()
        raise
    return m, rs


def cleanup(*servers):
    for s in servers:
        s.cleanup()


def sysbench_cmd(server, *extra):
    return [B.SYSBENCH, "oltp_insert", "--db-driver=mysql", f"--mysql-socket={server.socket}",
            "--mysql-user=root", "--mysql-db=test", "--tables=1", "--db-ps-mode=disable"] + \
        list(extra)


# ---- 1. backlog ----

def backlog_round(m, r, rows):
    """Logs `rows` INSERTs on m with r's SQL thread stopped, waits until r's
    relay log has them, and returns the rows/s r's SQL thread applies."""
    r.q("STOP SLAVE SQL_THREAD")
    t_write = time.monotonic()
    subprocess.run(sysbench_cmd(m, "--threads=4", "--time=0", f"--events={rows}", "run"),
                   check=True, capture_output=True)
    f, p = master_status(m)
    wait_for(lambda: (lambda st: st["Master_Log_File"] == f
                      and int(st["Read_Master_Log_Pos"]) >= p)(check_errors(r)),
             120, f"{r.kind}'s relay log to hold the master's binary log")
    t_write = time.monotonic() - t_write
    waiter = r.connect()
    try:
        with waiter.cursor() as c:
            t0 = time.monotonic()
            r.q("START SLAVE SQL_THREAD")
            c.execute(f"SELECT MASTER_POS_WAIT('{f}', {p}, 600) AS w")
            w = c.fetchone()["w"]
            elapsed = time.monotonic() - t0
    finally:
        waiter.close()
    if w is None or int(w) < 0:
        raise RuntimeError(f"MASTER_POS_WAIT returned {w} on {r.kind}: {slave_status(r)}")
    want = m.q("SELECT COUNT(*) AS n FROM test.sbtest1")[0]["n"]
    got = r.q("SELECT COUNT(*) AS n FROM test.sbtest1")[0]["n"]
    if want != got:
        raise RuntimeError(f"{r.kind} replica has {got} rows, its master {want}")
    if os.environ.get("BENCH_VERBOSE"):
        print(f"    ({r.kind}: {rows} rows written and relayed in {t_write:.1f} s, "
              f"applied in {elapsed:.1f} s)", flush=True)
    return rows / elapsed


def bench_backlog(rounds):
    pairs = {}
    try:
        for kind in ("reptut", "mariadb"):
            m, (r,) = topology(kind, 1)
            pairs[kind] = (m, r)
            subprocess.run(sysbench_cmd(m, "--table-size=0", "prepare"), check=True,
                           capture_output=True)
            sync(r, m)
            # Warm-up: a small backlog through the same path, not counted.
            backlog_round(m, r, min(5000, BACKLOG_ROWS))
        rates = {k: [] for k in pairs}
        for i in range(rounds):
            order = list(pairs.items())
            if i % 2:
                order.reverse()
            for kind, (m, r) in order:
                rates[kind].append(backlog_round(m, r, BACKLOG_ROWS))
        med = {k: statistics.median(v) for k, v in rates.items()}
        B.row(f"backlog of {BACKLOG_ROWS // 1000}k INSERTs applied (rows/s)",
              med["reptut"], med["mariadb"], "rows/s")
        return pairs
    except BaseException:
        for m, r in pairs.values():
            cleanup(r, m)
        raise


# ---- 2. lag ----

def lag_writer(socket, seconds, ready, result):
    """Child process: paces LAG_RATE INSERT/s on the master, a heartbeat
    after each tick's inserts; puts (inserts, heartbeats, seconds) in result."""
    conn = pymysql.connect(unix_socket=socket, user="root", password="", database="test",
                           autocommit=True)
    per_tick = int(LAG_RATE * LAG_TICK)
    inserts = beats = 0
    with conn.cursor() as c:
        ready.wait()
        t0 = time.monotonic()
        tick = t0
        while tick - t0 < seconds:
            for _ in range(per_tick):
                c.execute("INSERT INTO lag_rows (v, s) VALUES (%d, 'abcdefghijklmnopqrstuvwxyz"
                          "0123456789abcdefghijklmnopqrstuvwxyz')" % inserts)
                inserts += 1
            c.execute("UPDATE hb SET ts = %d WHERE id = 1" % int(time.time() * 1e6))
            beats += 1
            tick += LAG_TICK
            pause = tick - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        elapsed = time.monotonic() - t0
    conn.close()
    result.put((inserts, beats, elapsed))


def measure_lag(m, r, seconds):
    m.q("CREATE TABLE IF NOT EXISTS test.hb (id INT PRIMARY KEY, ts BIGINT NOT NULL)")
    m.q("CREATE TABLE IF NOT EXISTS test.lag_rows (id INT AUTO_INCREMENT PRIMARY KEY, v INT, "
        "s CHAR(64))")
    m.q("REPLACE INTO test.hb VALUES (1, 0)")
    sync(r, m)
    ctx = multiprocessing.get_context("fork")
    ready, result = ctx.Event(), ctx.Queue()
    writer = ctx.Process(target=lag_writer, args=(m.socket, seconds + 1.0, ready, result))
    writer.start()
    lags = []
    conn = r.connect("test")
    try:
        with conn.cursor() as c:
            last = None
            ready.set()
            warm_until = time.time() + 1.0
            while writer.is_alive():
                c.execute("SELECT ts FROM hb WHERE id = 1")
                seen = time.time()
                ts = c.fetchone()["ts"]
                if ts != last:
                    last = ts
                    if ts and seen >= warm_until:
                        lags.append((seen * 1e6 - ts) / 1000.0)
                time.sleep(LAG_POLL)
        inserts, beats, elapsed = result.get(timeout=30)
    finally:
        conn.close()
        writer.join(30)
    sync(r, m)
    check_errors(r)
    return lags, inserts, elapsed


def bench_lag(pairs, seconds, rounds=2):
    """`rounds` runs of seconds/rounds per server, taken in turns, their
    heartbeats pooled: a noisy moment of a shared machine hits both."""
    lags = {k: [] for k in pairs}
    done = {k: [0, 0.0] for k in pairs}
    part = max(3.0, seconds / rounds)
    for i in range(rounds):
        order = list(pairs.items())
        if i % 2:
            order.reverse()
        for kind, (m, r) in order:
            got, inserts, elapsed = measure_lag(m, r, part)
            lags[kind] += got
            done[kind][0] += inserts
            done[kind][1] += elapsed

    def pct(kind, p):
        v = sorted(lags[kind])
        return v[min(len(v) - 1, int(p * len(v)))] if v else None
    for name, p in (("p50", 0.50), ("p99", 0.99), ("max", 1.0)):
        B.row(f"lag at {LAG_RATE} INSERT/s, {name} (ms)", pct("reptut", p), pct("mariadb", p),
              "ms", "lower")
    rate = {k: v[0] / v[1] for k, v in done.items()}
    B.row("  master INSERT/s the writer achieved", rate["reptut"], rate["mariadb"], "q/s")
    B.row("  heartbeats seen on the replica", len(lags["reptut"]), len(lags["mariadb"]), "count")


# ---- 3. fan-out ----

def bench_fanout(seconds):
    def sb(m):
        return B.sysbench(m, "oltp_insert", 1, seconds, prepare=False)

    def measure(kind):
        m, rs = topology(kind, 2)
        try:
            subprocess.run(sysbench_cmd(m, "--table-size=10000", "prepare"), check=True,
                           capture_output=True)
            for r in rs:
                sync(r, m)
                r.q("STOP SLAVE")
            alone = [sb(m)]
            # The replicas go on from here: the rows of the run without
            # them are skipped (the INSERTs that follow carry their
            # AUTO_INCREMENT values, INSERT_ID, so nothing collides).
            f, p = master_status(m)
            for r in rs:
                r.q(f"CHANGE MASTER TO MASTER_LOG_FILE='{f}', MASTER_LOG_POS={p}")
                r.q("START SLAVE")
            for r in rs:
                wait_for(lambda: (lambda st: st["Slave_IO_Running"] == "Yes"
                                  and st["Slave_SQL_Running"] == "Yes")(check_errors(r)),
                         30, f"{kind} replica threads running")
            applying = sb(m)
            for r in rs:
                sync(r, m)
                check_errors(r)
                r.q("STOP SLAVE SQL_THREAD")
            io_only = sb(m)
            for r in rs:
                check_errors(r)
                r.q("STOP SLAVE")
            alone.append(sb(m))
            return statistics.median(alone), applying, io_only
        finally:
            cleanup(*rs, m)

    res = {k: measure(k) for k in ("reptut", "mariadb")}
    rt, mr = res["reptut"], res["mariadb"]
    B.row("oltp_insert on a master alone (q/s)", rt[0], mr[0], "q/s")
    B.row("oltp_insert, 2 replicas applying (q/s)", rt[1], mr[1], "q/s")
    B.row("  kept with 2 replicas applying", rt[1] / rt[0], mr[1] / mr[0], "ratio")
    B.row("oltp_insert, 2 replicas I/O only (q/s)", rt[2], mr[2], "q/s")
    B.row("  kept with 2 replicas I/O only", rt[2] / rt[0], mr[2] / mr[0], "ratio")


# ---- 4. serveradm ----

def bench_serveradm_replication():
    import serveradm_bench
    cache = tempfile.mkdtemp(prefix="rt-bench-cache-")
    old = os.environ.get("SERVERADM_CACHE_DIR")
    os.environ["SERVERADM_CACHE_DIR"] = cache
    try:
        times, why = {}, {}
        for flavor in ("bundled", "mariadb"):
            runs = [serveradm_bench.replication_run(flavor) for _ in range(3)]  # 1st: cold
            ok = [t for t, _ in runs[1:] if t is not None]
            times[flavor] = min(ok) if ok else None
            why[flavor] = next((w for t, w in runs if t is None), "")
        B.row("serveradm 1 master 2 slaves, row on both (s)", times["bundled"],
              times["mariadb"], "s", "lower")
        for flavor, w in why.items():
            if w:
                print(f"    ({flavor} failed: {w})")
    finally:
        if old is None:
            os.environ.pop("SERVERADM_CACHE_DIR", None)
        else:
            os.environ["SERVERADM_CACHE_DIR"] = old
        shutil.rmtree(cache, ignore_errors=True)


# ---- 5. RSS ----

def uss_kib(pid):
    """Private memory: what the process adds beside the shared libraries."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total


def rss_file_kib(pid):
    """The part of RSS that is mapped files: the program's code and data and
    its shared libraries' (the kernel maps 64 KiB around each page touched)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssFile:"):
                return int(line.split()[1])
    return 0


def bench_replica_rss():
    rss, uss, files = {}, {}, {}
    for kind in ("reptut", "mariadb"):
        m, (r,) = topology(kind, 1)
        try:
            time.sleep(1.0)  # settle: both threads wait for events
            check_errors(r)
            rss[kind] = B.rss_kib(r.proc.pid)
            uss[kind] = uss_kib(r.proc.pid)
            files[kind] = rss_file_kib(r.proc.pid)
        finally:
            cleanup(r, m)
    B.row("idle replica RSS, both threads running (KiB)", rss["reptut"], rss["mariadb"], "KiB",
          "lower")
    B.row("  its private memory (USS, KiB)", uss["reptut"], uss["mariadb"], "KiB", "lower")
    B.row("  its code and libraries mapped (RssFile, KiB)", files["reptut"], files["mariadb"],
          "KiB", "lower")


def section(name, fn, *args):
    t0 = time.monotonic()
    try:
        return fn(*args)
    except Exception as e:  # a failing section leaves the others to run
        print(f"  {name}: failed: {e}", flush=True)
        return None
    finally:
        if os.environ.get("BENCH_VERBOSE"):
            print(f"    ({name}: {time.monotonic() - t0:.1f} s)", flush=True)


def bench_replication(seconds, rounds):
    print("  replication (targets: backlog >= 2x, lag p99 < 10 ms, master keeps >= 80% with 2"
          " replicas, serveradm >= 10x, replica RSS <= 10240 KiB)", flush=True)
    try:
        pairs = section("backlog", bench_backlog, rounds)
        if pairs:
            try:
                section("lag", bench_lag, pairs, seconds)
            finally:
                for m, r in pairs.values():
                    cleanup(r, m)
        section("fan-out", bench_fanout, seconds)
        section("serveradm", bench_serveradm_replication)
        section("rss", bench_replica_rss)
    finally:
        remove_templates()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--time", type=int, default=int(os.environ.get("BENCH_TIME", "10")))
    p.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    a = p.parse_args()
    print(f"Reptut replication benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} cores")
    print(f"  {'metric':<44} {'reptutd':>12} {'mariadb':>12} {'unit':<8} {'ratio':>8}")
    bench_replication(a.time, a.rounds)


if __name__ == "__main__":
    main()
