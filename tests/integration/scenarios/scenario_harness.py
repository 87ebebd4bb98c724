"""Running `serveradm scenario` as a person would, in a temporary directory.

Each test gets its own TMPDIR (short: Unix socket paths are limited to 107
bytes), where `scenario run` makes its tutorial directories; at the end no
server may be left running there and the directory is removed.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import unittest

BIN = os.environ.get("REPTUT_BIN", os.path.join(os.path.dirname(__file__), "../../../build/bin"))
SERVERADM = os.path.join(BIN, "serveradm")

# One bootstrap cache for the whole run, not the user's ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="rt-sc-cache-")
os.environ["SERVERADM_CACHE_DIR"] = _CACHE
# Other runs of these tests may share the loopback network (see
# serveradm_harness): allocate ports from a random base.
if not os.environ.get("SERVERADM_BASE_PORT"):
    import random
    os.environ["SERVERADM_BASE_PORT"] = str(random.randrange(13000, 30000, 50))


def remove_cache():
    shutil.rmtree(_CACHE, ignore_errors=True)


def processes_in(directory):
    """Pids of server processes whose cwd or command line lies in `directory`."""
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
        if "serveradm" in cmd.split(" ", 1)[0] or "python" in cmd.split(" ", 1)[0]:
            continue
        if cwd.startswith(directory + "/") or (" " + directory + "/") in cmd:
            found.append(int(entry))
    return found


class ScenarioTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rt-sc-", dir="/tmp")
        self.addCleanup(self._clean)

    def _clean(self):
        left = processes_in(self.tmp)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.assertEqual(left, [], "server processes left running in " + self.tmp)

    def serveradm(self, *args, cwd=None, stdin=None, timeout=300):
        env = dict(os.environ, TMPDIR=self.tmp)
        return subprocess.run([SERVERADM] + list(args), cwd=cwd or self.tmp, env=env,
                              input=stdin if stdin is not None else "", capture_output=True,
                              text=True, timeout=timeout)

    def run_json(self, name, flavor="bundled", *extra):
        p = self.serveradm("scenario", "run", name, "flavor=" + flavor, "--json", *extra)
        try:
            report = json.loads(p.stdout)
        except ValueError:
            self.fail("--json output does not parse (exit %d):\n%s\n%s" %
                      (p.returncode, p.stdout, p.stderr))
        return p, report

    def tutorial_dirs(self):
        return sorted(d for d in os.listdir(self.tmp) if d.startswith("reptut-scenario-"))

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def stop_all(self, directory):
        subprocess.run([SERVERADM, "stop", "all"], cwd=directory, capture_output=True, timeout=120)


def failure_text(report):
    """The failed steps of a JSON report, readable in an assertion message."""
    out = ["%s on %s: %s" % (report["scenario"], report["flavor"], report["outcome"])]
    for s in report["steps"]:
        if s["status"] == "failed":
            out.append("step %d %s" % (s["index"], s["label"]))
            for key in ("commands", "detail", "expected", "seen", "checks"):
                if s.get(key):
                    out.append("  %s: %s" % (key, s[key]))
            for server, tail in s["error_logs"].items():
                out.append("  %s's error log:\n    %s" % (server, tail.replace("\n", "\n    ")))
    return "\n".join(out)
