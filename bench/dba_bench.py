#!/usr/bin/python3
"""The DBA tool chain against reptutd and MariaDB in the same run (issue 11):

- mariadb-dump of a 1,000,000-row table (sysbench's sbtest1) and its
  restore through the mariadb client, wall time of each;
- the information_schema queries mariadb-dump and the Percona tools send,
  with 100 databases of 20 tables: milliseconds per query (target < 10 ms).

    REPTUT_BIN=build/bin python3 bench/dba_bench.py [ROWS]

Prints rows of bench.py's table; asserts nothing.
"""

import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402

DUMP = shutil.which("mariadb-dump") or "/usr/bin/mariadb-dump"

IS_QUERIES = [
    ("is: TABLES, one table (ms)",
     "SELECT engine, table_type FROM INFORMATION_SCHEMA.TABLES"
     " WHERE table_schema = 'db57' AND table_name = 't7'"),
    ("is: COLUMNS of one table (ms)",
     "SELECT column_name, extra, data_type FROM information_schema.columns"
     " WHERE table_schema = 'db57' AND table_name = 't7' ORDER BY ordinal_position"),
    ("is: TABLES of one schema, with rows (ms)",
     "SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = 'db57'"),
    ("is: all 2,000 tables (ms)",
     "SELECT COUNT(*) FROM information_schema.tables WHERE table_type = 'BASE TABLE'"),
]


def make_schemas(server):
    sql = []
    for d in range(100):
        sql.append(f"CREATE DATABASE db{d}")
        for t in range(20):
            sql.append(f"CREATE TABLE db{d}.t{t} (id INT PRIMARY KEY, a VARCHAR(20), b INT,"
                       f" KEY b (b))")
    subprocess.run([bench.CLIENT, "--no-defaults", "-uroot", f"--socket={server.socket}"],
                   input=";\n".join(sql) + ";\n", text=True, check=True, capture_output=True)


def time_queries(server, rounds=50):
    import pymysql
    conn = pymysql.connect(unix_socket=server.socket, user="root", autocommit=True)
    out = {}
    try:
        with conn.cursor() as c:
            for name, q in IS_QUERIES:
                c.execute(q)
                c.fetchall()
                t0 = time.monotonic()
                for _ in range(rounds):
                    c.execute(q)
                    c.fetchall()
                out[name] = (time.monotonic() - t0) / rounds * 1000
    finally:
        conn.close()
    return out


def dump_and_restore(server, rows):
    base = [bench.SYSBENCH, "oltp_read_only", "--db-driver=mysql",
            f"--mysql-socket={server.socket}", "--mysql-user=root", "--mysql-db=test",
            "--tables=1", f"--table-size={rows}"]
    server.sql("CREATE DATABASE IF NOT EXISTS test")
    subprocess.run(base + ["prepare"], check=True, capture_output=True)
    path = os.path.join(server.dir, "dump.sql")
    t0 = time.monotonic()
    with open(path, "w") as f:
        subprocess.run([DUMP, "--no-defaults", "-uroot", f"--socket={server.socket}", "test",
                        "sbtest1"], stdout=f, check=True)
    dumped = time.monotonic() - t0
    server.sql("CREATE DATABASE restored")
    t0 = time.monotonic()
    with open(path) as f:
        subprocess.run([bench.CLIENT, "--no-defaults", "-uroot", f"--socket={server.socket}",
                        "restored"], stdin=f, check=True)
    restored = time.monotonic() - t0
    return dumped, restored, os.path.getsize(path)


def bench_dba(rows=1000000, row=None):
    show = row or bench.row
    results = {}
    for kind in ("reptut", "mariadb"):
        s = bench.Server(kind)
        try:
            s.bootstrap()
            s.start()
            d, r, size = dump_and_restore(s, rows)
            make_schemas(s)
            results[kind] = {"dump": d, "restore": r, "size": size, "is": time_queries(s)}
        finally:
            s.cleanup()
    a, b = results["reptut"], results["mariadb"]
    show(f"mariadb-dump {rows:,} rows (s)", a["dump"], b["dump"], "s", "lower")
    show(f"restore {rows:,} rows, mariadb client (s)", a["restore"], b["restore"], "s", "lower")
    show("dump size (MiB)", a["size"] / 2**20, b["size"] / 2**20, "MiB", "lower")
    for name, _ in IS_QUERIES:
        show(name, a["is"][name], b["is"][name], "ms", "lower")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    print(f"  {'metric':<44} {'reptutd':>12} {'mariadb':>12} {'unit':<8} {'ratio':>8}")
    bench_dba(n)
