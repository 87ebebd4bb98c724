#!/usr/bin/python3
"""Times every built-in scenario, one after the other, on the bundled flavor
(reptutd) and on the mariadb flavor in the same run: `serveradm scenario run
NAME flavor=F --json`, wall time of the whole command (fresh directory,
setup, servers, steps, clean-up). Targets (issue 10): all ten on bundled in
under 5 s, and at least 10x faster than mariadb.

    REPTUT_BIN=build/bin python3 bench/scenario_bench.py [ROUNDS]

Prints a table; asserts nothing. Bootstraps are cached (a first round warms
the cache and is not counted).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("REPTUT_BIN", os.path.join(os.path.dirname(__file__), "../build/bin"))
SERVERADM = os.path.join(BIN, "serveradm")


def builtin_names():
    out = subprocess.run([SERVERADM, "scenario", "list"], capture_output=True, text=True).stdout
    return [l.split()[0] for l in out.splitlines()
            if len(l.split()) > 1 and l.split()[1].isdigit()]


def run_all(flavor, names, tmp):
    """Seconds per scenario (None when it failed), run one after the other."""
    env = dict(os.environ, TMPDIR=tmp)
    times = {}
    for n in names:
        t0 = time.monotonic()
        p = subprocess.run([SERVERADM, "scenario", "run", n, "flavor=" + flavor, "--json"],
                           capture_output=True, text=True, env=env)
        t = time.monotonic() - t0
        try:
            ok = json.loads(p.stdout)["passed"]
        except ValueError:
            ok = False
        times[n] = t if ok and p.returncode == 0 else None
    return times


def bench_scenarios(rounds=3, row=None):
    names = builtin_names()
    tmp = tempfile.mkdtemp(prefix="rt-scb-", dir="/tmp")
    cache = tempfile.mkdtemp(prefix="rt-scb-cache-", dir="/tmp")
    os.environ["SERVERADM_CACHE_DIR"] = cache
    try:
        best = {}
        for flavor in ("bundled", "mariadb"):
            run_all(flavor, names[:1], tmp)  # warms the bootstrap cache
            runs = [run_all(flavor, names, tmp) for _ in range(rounds)]
            # Per scenario, the best round; the total is the best round's sum.
            totals = [sum(r.values()) if all(v is not None for v in r.values()) else None
                      for r in runs]
            ok = [t for t in totals if t is not None]
            best[flavor] = (min(ok) if ok else None,
                            {n: min((r[n] for r in runs if r[n] is not None), default=None)
                             for n in names})
        show = row or _print_row
        for n in names:
            show(f"scenario {n} (s)", best["bundled"][1][n], best["mariadb"][1][n], "s", "lower")
        show(f"all {len(names)} scenarios, one after the other (s)", best["bundled"][0],
             best["mariadb"][0], "s", "lower")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


def _print_row(metric, ours, theirs, unit, better="lower"):
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"
    ratio = f"{theirs / ours:.2f}x" if ours and theirs else "n/a"
    print(f"  {metric:<52} {fmt(ours):>10} {fmt(theirs):>10} {unit:<4} {ratio:>8}", flush=True)


if __name__ == "__main__":
    print(f"  {'metric':<52} {'bundled':>10} {'mariadb':>10} {'unit':<4} {'ratio':>8}")
    print("  (targets: all ten on bundled < 5 s; >= 10x faster than mariadb)")
    bench_scenarios(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
