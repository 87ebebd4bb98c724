#!/usr/bin/python3
"""Times `setup` + `add` of a master and two slaves + `start all`, for the
bundled flavor and, beside it, the mariadb flavor (the issue's performance
target: 0.3 s bundled, about 1.5 s mariadb); then the same followed by
replication: `replicate` both slaves from the master, a table and a row on
the master through ./mysql, `sync`, and the row selected on both slaves
(target: bundled at least 10 times faster). Bootstraps are cached per
server program, so the first run of a flavor ("cold") also pays one
bootstrap; later ones ("warm") copy the cached data directory.

    REPTUT_BIN=build/bin python3 bench/serveradm_bench.py [RUNS]

Not a unit test: no assertions on time, which depends on the machine's load.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("REPTUT_BIN", os.path.join(os.path.dirname(__file__), "../build/bin"))
SERVERADM = os.path.join(BIN, "serveradm")


SETUP = [["setup"], ["add", "name=master", "roles=master"],
         ["add", "name=slave1", "roles=slave"], ["add", "name=slave2", "roles=slave"],
         ["start", "all"]]
ROW = "Yeah! Replication!"


def _sql(d, server, statement):
    """The tutorial's client: ./mysql --defaults-file=NAME.cnf."""
    return subprocess.run([os.path.join(d, "mysql"), "--defaults-file=%s.cnf" % server, "-uroot",
                           "--batch", "--skip-column-names", "test", "-e", statement],
                          cwd=d, capture_output=True, text=True)


def _timed(flavor, steps):
    """Runs `steps` in a fresh tutorial directory: serveradm arguments, or
    (server, SQL, expected output or None) for ./mysql. Returns (seconds,
    "") or (None, what failed)."""
    d = tempfile.mkdtemp(prefix="rt-bench-", dir="/tmp")
    try:
        t0 = time.monotonic()
        for step in steps:
            if isinstance(step, tuple):
                server, statement, want = step
                p = _sql(d, server, statement)
                if p.returncode != 0 or (want is not None and p.stdout.strip() != want):
                    return None, "%s on %s: %r %s" % (statement, server, p.stdout.strip(),
                                                      p.stderr.strip())
                continue
            if step[0] == "setup":
                step = step + ["flavor=" + flavor]
            p = subprocess.run([SERVERADM] + step, cwd=d, capture_output=True, text=True)
            if p.returncode != 0:
                return None, "%s: %s" % (" ".join(step), p.stderr.strip().splitlines()[-1:])
        return time.monotonic() - t0, ""
    finally:
        subprocess.run([SERVERADM, "stop", "all"], cwd=d, capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def one_run(flavor):
    """setup + add master, slave1, slave2 + start all."""
    return _timed(flavor, SETUP)


def replication_run(flavor):
    """From an empty directory to a row of the master verified on two slaves."""
    return _timed(flavor, SETUP + [
        ["replicate", "slave1", "from=master"], ["replicate", "slave2", "from=master"],
        ("master", "CREATE TABLE tbl (a CHAR(40))", None),
        ("master", "INSERT INTO tbl VALUES ('%s')" % ROW, None),
        ["sync"],
        ("slave1", "SELECT * FROM tbl", ROW), ("slave2", "SELECT * FROM tbl", ROW)])


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cache = tempfile.mkdtemp(prefix="rt-bench-cache-")
    os.environ["SERVERADM_CACHE_DIR"] = cache
    try:
        for title, run in (("setup + add master, slave1, slave2 + start all", one_run),
                           ("the same + replicate both slaves, a row on the master, sync, the"
                            " row on both slaves", replication_run)):
            print(title + " (seconds)")
            print("%-8s %8s %8s %8s" % ("flavor", "cold", "warm", "best"))
            for flavor in ("bundled", "mariadb"):
                times, why = [], ""
                for _ in range(runs + 1):
                    t, why = run(flavor)
                    if t is None:
                        break
                    times.append(t)
                if not times:
                    print("%-8s  n/a (%s)" % (flavor, why))
                    continue
                warm = times[1:] or times
                print("%-8s %8.2f %8.2f %8.2f" % (flavor, times[0], sum(warm) / len(warm),
                                                  min(warm)))
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
