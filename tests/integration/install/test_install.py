"""The installed programs stand alone.

`cmake --install` of the build directory (the parent of REPTUT_BIN) into a
temporary prefix puts reptutd and serveradm side by side in bin/, the
templates and scenarios under share/reptut/ and the READMEs under
share/doc/reptut/. The installed serveradm, found through a PATH of only that
bin directory and /usr/bin:/bin, then sets up a tutorial directory with the
installed reptutd, starts it, and the server answers the real `mariadb`
client. serveradm is also run from a directory of its own, with reptutd
found on PATH only.

The helpers (cleanup of servers and processes, bounded waits) are the
serveradm tests' own.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "serveradm"))
from serveradm_harness import BIN, pid_alive, processes_in, remove_cache, wait_for  # noqa: E402

BUILD = os.path.dirname(os.path.abspath(BIN))
CMAKE = shutil.which("cmake")
BUILT = all(os.access(os.path.join(BIN, p), os.X_OK) for p in ("reptutd", "serveradm"))
_prefix = None


def setUpModule():
    global _prefix
    if CMAKE is None or not BUILT:
        return
    _prefix = tempfile.mkdtemp(prefix="rt-prefix-", dir="/tmp")
    proc = subprocess.run([CMAKE, "--install", BUILD, "--prefix", _prefix],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise AssertionError("cmake --install failed (%d):\n%s%s" % (
            proc.returncode, proc.stdout, proc.stderr))


def tearDownModule():
    if _prefix:
        shutil.rmtree(_prefix, ignore_errors=True)
    remove_cache()


def installed(*parts):
    return os.path.join(_prefix, *parts)


class InstalledTutorial:
    """A tutorial directory driven by `serveradm` looked up on `path`."""

    def __init__(self, test, path):
        self.test = test
        self.env = dict(os.environ, PATH=path)
        self.dir = tempfile.mkdtemp(prefix="rt-inst-", dir="/tmp")
        test.addCleanup(self.cleanup)

    def run(self, *args, check=True, timeout=120):
        # By name: the program is the one PATH finds.
        proc = subprocess.run(["serveradm"] + list(args), cwd=self.dir, env=self.env,
                              capture_output=True, text=True, timeout=timeout, input="")
        if check and proc.returncode != 0:
            self.test.fail("serveradm %s failed (%d):\n%s%s" % (
                " ".join(args), proc.returncode, proc.stdout, proc.stderr))
        return proc

    def status(self):
        return {r["name"]: r for r in json.loads(self.run("status", "--json").stdout)}

    def cleanup(self):
        if os.path.exists(os.path.join(self.dir, "serverconfig.toml")):
            try:
                self.run("stop", "all", check=False)
            except subprocess.TimeoutExpired:
                pass
        for pid in processes_in(self.dir):
            if pid_alive(pid):
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.dir, ignore_errors=True)


@unittest.skipUnless(CMAKE, "cmake is not on PATH")
@unittest.skipUnless(BUILT, "reptutd and serveradm are not built")
class InstallTest(unittest.TestCase):

    def test_files_are_where_a_user_expects_them(self):
        for program in ("reptutd", "serveradm"):
            self.assertTrue(os.access(installed("bin", program), os.X_OK), program)
        for name in ("README.md", "role-master.cnf", "bundled/server.cnf", "mariadb/server.cnf"):
            self.assertTrue(os.path.isfile(installed("share", "reptut", "sandbox-templates", name)),
                            name)
        for name in ("README.md", "basic-master-slave.yaml"):
            self.assertTrue(os.path.isfile(installed("share", "reptut", "scenarios", name)), name)
        for name in ("README.md", "serveradm.md"):
            self.assertTrue(os.path.isfile(installed("share", "doc", "reptut", name)), name)

    def test_installed_serveradm_runs_the_installed_reptutd(self):
        t = InstalledTutorial(self, installed("bin") + ":/usr/bin:/bin")
        t.run("setup")
        self.assertEqual(os.path.realpath(os.path.join(t.dir, "mysqld")),
                         os.path.realpath(installed("bin", "reptutd")))
        t.run("add", "name=master", "roles=master")
        t.run("start", "all")
        status = t.status()
        self.assertEqual(status["master"]["state"], "running")
        self.assertIn("master", t.run("status").stdout)
        self.assertEqual(os.path.basename(os.path.realpath(os.path.join(t.dir, "mysql"))),
                         "mariadb")
        answer = subprocess.run(
            [os.path.join(t.dir, "mysql"), "--defaults-file=master.cnf", "-uroot", "--batch",
             "--skip-column-names", "-e", "SELECT 1"],
            cwd=t.dir, env=t.env, capture_output=True, text=True, timeout=60)
        self.assertEqual((answer.returncode, answer.stdout.strip()), (0, "1"), answer.stderr)
        pid = status["master"]["pid"]
        t.run("stop", "all")
        wait_for(lambda: not pid_alive(pid), what="reptutd to exit")
        self.assertEqual(t.status()["master"]["state"], "stopped")

    def test_reptutd_is_found_on_path_when_not_next_to_serveradm(self):
        alone = tempfile.mkdtemp(prefix="rt-alone-", dir="/tmp")
        self.addCleanup(shutil.rmtree, alone, True)
        shutil.copy2(installed("bin", "serveradm"), alone)
        t = InstalledTutorial(self, alone + ":" + installed("bin") + ":/usr/bin:/bin")
        t.run("setup")
        self.assertEqual(os.path.realpath(os.path.join(t.dir, "mysqld")),
                         os.path.realpath(installed("bin", "reptutd")))

    def test_no_reptutd_anywhere_says_where_it_looked(self):
        alone = tempfile.mkdtemp(prefix="rt-alone-", dir="/tmp")
        self.addCleanup(shutil.rmtree, alone, True)
        shutil.copy2(installed("bin", "serveradm"), alone)
        t = InstalledTutorial(self, alone + ":/usr/bin:/bin")
        proc = t.run("setup", check=False)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("no reptutd in " + os.path.realpath(alone) + " nor on PATH", proc.stderr)


if __name__ == "__main__":
    unittest.main()
