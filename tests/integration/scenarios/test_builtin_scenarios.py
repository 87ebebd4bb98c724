"""Every built-in scenario passes on the bundled flavor (reptutd) and on the
mariadb flavor (Debian's mariadbd), run as `serveradm scenario run NAME
flavor=F --json`: the report parses, says passed, and every step passed (or
was skipped because it names the other flavor only)."""

import shutil
import unittest

from scenario_harness import ScenarioTest, failure_text, remove_cache
from scenario_harness import SERVERADM
import subprocess

BUILTIN = [line.split()[0] for line in subprocess.run(
    [SERVERADM, "scenario", "list"], capture_output=True, text=True).stdout.splitlines()
    if line and not line.startswith("serveradm") and line.split()[1:2] != []
    and line.split()[1].isdigit()]


def tearDownModule():
    remove_cache()


class _Builtin(ScenarioTest):
    flavor = None

    def check(self, name):
        p, report = self.run_json(name, self.flavor)
        self.assertTrue(report["passed"], failure_text(report))
        self.assertEqual(p.returncode, 0, p.stderr)
        for s in report["steps"]:
            self.assertIn(s["status"], ("passed", "skipped"), failure_text(report))
            self.assertTrue(s["why"] or s["kind"] == "note", s)
        # A passing run leaves nothing behind.
        self.assertEqual(self.tutorial_dirs(), [])


def _add_tests(cls):
    for name in BUILTIN:
        def test(self, name=name):
            self.check(name)
        setattr(cls, "test_" + name.replace("-", "_"), test)
    return cls


@_add_tests
class BundledFlavor(_Builtin):
    flavor = "bundled"

    def test_the_ten_lessons_are_built_in(self):
        for name in ("basic-master-slave", "binlog-tour", "add-slave", "clone-slave",
                     "dual-master", "point-in-time-recovery", "broken-slave", "outage",
                     "promote-slave", "read-scale-out"):
            self.assertIn(name, BUILTIN)


@_add_tests
class MariadbFlavor(_Builtin):
    flavor = "mariadb"

    def setUp(self):
        if not (shutil.which("mariadbd") or shutil.which("mariadbd", path="/usr/sbin")):
            self.skipTest("Debian's mariadb-server is not installed (scripts/install-deps.sh)")
        super().setUp()


if __name__ == "__main__":
    unittest.main()
