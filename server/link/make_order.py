#!/usr/bin/python3
"""Writes server/link/reptutd.order: the functions a replica and its master
run (start-up, CHANGE MASTER/START SLAVE, a few replicated statements, idle),
replica's first, as linker symbol names. server/CMakeLists.txt links reptutd
with lld --symbol-ordering-file=reptutd.order so that this code is packed at
the start of .text: the kernel maps file pages 64 KiB around each one
touched, so code scattered over all of .text made all of it resident (about
4 MiB of an idle replica's RSS; about 2 MiB once packed). A stale file only
orders less well: names no longer in the binary are skipped.

    python3 server/link/make_order.py BUILD_DIR/bin      (needs valgrind)

Runs the servers under callgrind (slow: about a minute), then rebuild.
"""

import glob
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def executed(path):
    """The function names callgrind saw run in reptutd itself, in order of
    first appearance."""
    obs, fns, cur_ob, seen, out = {}, {}, None, set(), []
    pat = re.compile(r"^(c?ob|c?fn|c?fl|c?fi|c?fe)=\((\d+)\)(?: (.*))?$")
    with open(path, errors="replace") as f:
        for line in f:
            m = pat.match(line.rstrip("\n"))
            if not m:
                continue
            kind, ident, name = m.groups()
            if kind in ("ob", "cob"):
                if name:
                    obs[ident] = name
                if kind == "ob":
                    cur_ob = obs[ident]
            elif kind in ("fn", "cfn"):
                if name:
                    fns[ident] = name
                if kind == "fn" and cur_ob and os.path.basename(cur_ob) == "reptutd":
                    n = fns[ident].split("'")[0]  # callgrind's 'N recursion suffix
                    if n not in seen and not n.startswith("0x"):
                        seen.add(n)
                        out.append(n)
    return out


def main():
    real_bin = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/bin")
    work = tempfile.mkdtemp(prefix="reptut-order-")
    try:
        wrapper = os.path.join(work, "reptutd")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec valgrind --tool=callgrind --demangle=no "
                    f"--callgrind-out-file={work}/cg.%p {real_bin}/reptutd \"$@\"\n")
        os.chmod(wrapper, 0o755)
        os.environ["REPTUT_BIN"] = work
        sys.path.insert(0, os.path.join(HERE, "../../bench"))
        import replication_bench as R  # noqa: E402  (reads REPTUT_BIN)
        try:
            m, (r,) = R.topology("reptut", 1)
            try:
                m.q("CREATE TABLE test.t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20))")
                m.q("INSERT INTO test.t (v) VALUES ('a'), ('b')")
                m.q("UPDATE test.t SET v = 'c' WHERE id = 1")
                m.q("DELETE FROM test.t WHERE id = 2")
                R.sync(r, m)
                r.q("SHOW SLAVE STATUS")
                time.sleep(1.0)
            finally:
                R.cleanup(r, m)
        finally:
            R.remove_templates()
        names, replica_first = [], []
        for path in glob.glob(os.path.join(work, "cg.*")):
            with open(path, errors="replace") as f:
                head = f.read(4096)
            (replica_first if "--server-id=2" in head else names).append(path)
        order, seen = [], set()
        for path in replica_first + names:
            for n in executed(path):
                if n not in seen:
                    seen.add(n)
                    order.append(n)
        out = os.path.join(HERE, "reptutd.order")
        with open(out, "w") as f:
            f.write("\n".join(order) + "\n")
        print(f"{out}: {len(order)} symbols")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
