#!/usr/bin/python3
"""Times `setup` + `add` of a master and two slaves + `start all`, for the
bundled flavor and, beside it, the mariadb flavor (the issue's performance
target: 0.3 s bundled, about 1.5 s mariadb). Bootstraps are cached per
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


def one_run(flavor):
    d = tempfile.mkdtemp(prefix="rt-bench-", dir="/tmp")
    steps = [["setup", "flavor=" + flavor], ["add", "name=master", "roles=master"],
             ["add", "name=slave1", "roles=slave"], ["add", "name=slave2", "roles=slave"],
             ["start", "all"]]
    try:
        t0 = time.monotonic()
        for step in steps:
            p = subprocess.run([SERVERADM] + step, cwd=d, capture_output=True, text=True)
            if p.returncode != 0:
                return None, "%s: %s" % (" ".join(step), p.stderr.strip().splitlines()[-1:])
        return time.monotonic() - t0, ""
    finally:
        subprocess.run([SERVERADM, "stop", "all"], cwd=d, capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cache = tempfile.mkdtemp(prefix="rt-bench-cache-")
    os.environ["SERVERADM_CACHE_DIR"] = cache
    print("setup + add master, slave1, slave2 + start all (seconds)")
    print("%-8s %8s %8s %8s" % ("flavor", "cold", "warm", "best"))
    try:
        for flavor in ("bundled", "mariadb"):
            times, why = [], ""
            for _ in range(runs + 1):
                t, why = one_run(flavor)
                if t is None:
                    break
                times.append(t)
            if not times:
                print("%-8s  n/a (%s)" % (flavor, why))
                continue
            warm = times[1:] or times
            print("%-8s %8.2f %8.2f %8.2f" % (flavor, times[0], sum(warm) / len(warm), min(warm)))
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
