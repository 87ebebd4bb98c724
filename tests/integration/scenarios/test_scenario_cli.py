"""`serveradm scenario`: list and show, a failing expectation reported with
what was expected and seen, --json, bad scenario files refused before
anything runs (file:line:col), --step (Enter runs a step, q stops with the
servers up), --keep and --here, and the exercise flow (run --exercise,
check, check --continue)."""

import json
import os
import re
import subprocess
import unittest

from scenario_harness import SERVERADM, ScenarioTest, remove_cache, processes_in

HEAD = """title: A small lesson
summary: |
  One master, one table.
servers:
  - {name: m, roles: master}
steps:
  - add: m
    why: a server with a binary log
  - start: m
    why: it must run to answer
  - sql: |
      CREATE DATABASE IF NOT EXISTS test;
      CREATE TABLE test.t (id INT PRIMARY KEY);
      INSERT INTO test.t VALUES (1), (2)
    on: m
    why: two rows
"""

WRONG = HEAD + """  - expect: SELECT COUNT(*) FROM test.t
    on: m
    value: 3
    why: a deliberately wrong expectation
  - note: never reached
"""


def tearDownModule():
    remove_cache()


class ListAndShow(ScenarioTest):
    def test_list_names_the_built_in_scenarios(self):
        p = self.serveradm("scenario", "list")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("basic-master-slave", p.stdout)
        self.assertIn("steps", p.stdout)

    def test_show_prints_steps_and_reasons_and_runs_nothing(self):
        p = self.serveradm("scenario", "show", "basic-master-slave")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("why: ", p.stdout)
        self.assertIn("CHANGE MASTER TO", p.stdout)
        self.assertIn("serveradm add name=master roles=master", p.stdout)
        self.assertEqual(self.tutorial_dirs(), [])
        self.assertEqual(processes_in(self.tmp), [])

    def test_unknown_scenario(self):
        p = self.serveradm("scenario", "run", "no-such-lesson")
        self.assertEqual(p.returncode, 1)
        self.assertIn("'no-such-lesson' is neither a built-in scenario (basic-master-slave",
                      p.stderr)


class Failures(ScenarioTest):
    def test_a_wrong_expectation_fails_with_expected_and_seen(self):
        path = self.write("wrong.yaml", WRONG)
        p = self.serveradm("scenario", "run", path)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        out = p.stdout
        self.assertRegex(out, r"4/5 FAIL +\d+\.\d\ds  expect on m: SELECT COUNT\(\*\) FROM test\.t")
        self.assertIn("why: a deliberately wrong expectation", out)
        self.assertIn("expected: value '3'", out)
        self.assertIn("seen:     value '2'", out)
        self.assertIn("last lines of m's error log:", out)
        self.assertIn("ready for connections", out)
        self.assertNotIn("never reached", out)
        # The directory is kept for a look, its servers stopped.
        dirs = self.tutorial_dirs()
        self.assertEqual(len(dirs), 1)
        self.assertIn("kept for a look: " + os.path.join(self.tmp, dirs[0]), out)
        self.assertEqual(processes_in(self.tmp), [])

    def test_json_report_of_a_failure(self):
        path = self.write("wrong.yaml", WRONG)
        p, report = self.run_json(path)
        self.assertEqual(p.returncode, 1)
        self.assertFalse(report["passed"])
        self.assertEqual(report["outcome"], "failed at step 4")
        self.assertEqual([s["status"] for s in report["steps"]],
                         ["passed", "passed", "passed", "failed"])
        failed = report["steps"][3]
        self.assertEqual(failed["kind"], "expect")
        self.assertEqual(failed["expected"], "value '3'")
        self.assertEqual(failed["seen"], "value '2'")
        self.assertIn("m", failed["error_logs"])
        self.assertIsInstance(failed["seconds"], float)

    def test_json_report_of_a_pass(self):
        path = self.write("good.yaml", HEAD)
        p, report = self.run_json(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(report["passed"])
        self.assertEqual(len(report["steps"]), 3)
        self.assertEqual(report["steps"][2]["commands"][0],
                         "[m] SQL> CREATE DATABASE IF NOT EXISTS test;")
        self.assertEqual(self.tutorial_dirs(), [])

    def test_an_expected_error_code(self):
        path = self.write("err.yaml", HEAD + """  - sql: INSERT INTO test.t VALUES (1)
    on: m
    error: 1062
    why: a duplicate key is refused
  - expect: SELECT * FROM test.nope
    on: m
    error: 1146
    why: no such table
""")
        p = self.serveradm("scenario", "run", path)
        self.assertEqual(p.returncode, 0, p.stdout)
        bad = self.write("err2.yaml", HEAD + """  - sql: INSERT INTO test.t VALUES (3)
    on: m
    error: 1062
    why: this insert succeeds, so the step fails
""")
        p = self.serveradm("scenario", "run", bad)
        self.assertEqual(p.returncode, 1)
        self.assertIn("expected: error 1062", p.stdout)
        self.assertIn("seen:     no error", p.stdout)

    def test_wait_for_times_out_with_its_message(self):
        path = self.write("wait.yaml", HEAD + """  - wait_for: SELECT COUNT(*) FROM test.t
    on: m
    value: 5
    timeout: 0.3
    message: the rows never came
    why: a bounded wait
""")
        p = self.serveradm("scenario", "run", path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("the rows never came (not true within 0.3 s)", p.stdout)
        self.assertIn("seen:     value '2'", p.stdout)


class Sessions(ScenarioTest):
    def test_user_password_and_database_of_a_step(self):
        path = self.write("users.yaml", HEAD + """  - sql: |
      CREATE USER IF NOT EXISTS 'ann'@'localhost' IDENTIFIED BY 'pw';
      GRANT SELECT ON test.* TO 'ann'@'localhost'
    on: m
    why: an account that may only read test
  - expect: SELECT CURRENT_USER(), DATABASE(), COUNT(*) FROM t
    on: m
    user: ann
    password: pw
    database: test
    rows: [['ann@localhost', test, 2]]
    why: the step runs as ann, in test
  - sql: INSERT INTO t VALUES (9)
    on: m
    user: ann
    password: pw
    database: test
    error: 1142
    why: ann may not write
  - expect: SELECT 1
    on: m
    user: ann
    password: wrong
    error: 1045
    why: a wrong password is refused
  - sql: SHOW MASTER STATUS
    on: m
    capture: {f: File}
    why: a captured value
  - expect: SHOW MASTER STATUS
    on: m
    fields: {File: {matches: '^${f}$'}}
    why: a captured value inside a regular expression
""")
        p = self.serveradm("scenario", "run", path)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


class BadInput(ScenarioTest):
    """Refused before anything starts, with file:line:col and exit status 2."""

    def refused(self, text, where_what):
        path = self.write("bad.yaml", text)
        p = self.serveradm("scenario", "run", path)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("scenario refused, nothing was run", p.stderr)
        self.assertIn(path + ":" + where_what, p.stderr)
        self.assertEqual(self.tutorial_dirs(), [])
        self.assertEqual(p.stdout, "")

    def test_yaml_error(self):
        self.refused(HEAD + "  - note: [unclosed\n", "18:1: YAML error: end of sequence flow not found")

    def test_unknown_step_kind(self):
        self.refused(HEAD + "  - wait: SELECT 1\n    on: m\n    why: x\n",
                     "17:5: unknown step kind 'wait' (kinds: add, expect,")

    def test_missing_field(self):
        self.refused(HEAD + "  - expect: SELECT 1\n    value: 1\n    why: x\n",
                     "17:5: missing 'on:' (the server to query)")

    def test_undeclared_server(self):
        self.refused(HEAD + "  - start: slave\n    why: x\n",
                     "17:12: server 'slave' is not declared in 'servers:' (declared: m)")

    def test_capture_used_before_it_is_set(self):
        self.refused(HEAD + "  - sql: SELECT '${pos}'\n    on: m\n    why: x\n",
                     "17:10: ${pos} is used before any step captures it")

    def test_unknown_key(self):
        self.refused(HEAD + "  - sql: SELECT 1\n    on: m\n    as: root\n    why: x\n",
                     "19:5: unknown key 'as' in a sql step")


class Classroom(ScenarioTest):
    def test_step_mode_runs_on_enter_and_q_leaves_the_servers_up(self):
        path = self.write("good.yaml", HEAD)
        p = self.serveradm("scenario", "run", path, "--step", stdin="\n\nq\n")
        self.assertEqual(p.returncode, 4, p.stdout + p.stderr)
        out = p.stdout
        self.assertIn("── Step 1/3: add m", out)
        self.assertIn("   why: a server with a binary log", out)
        self.assertIn("   serveradm add name=m roles=master", out)
        self.assertIn("── Step 3/3: sql on m", out)
        self.assertIn("   [m] SQL> INSERT INTO test.t VALUES (1), (2);", out)
        self.assertIn("Stopped before step 3", out)
        dirs = self.tutorial_dirs()
        self.assertEqual(len(dirs), 1)
        d = os.path.join(self.tmp, dirs[0])
        # The server runs, to explore: the table was not created (step 3 not run).
        q = subprocess.run(["./mysql", "--defaults-file=m.cnf", "-uroot", "-N", "-e",
                            "SHOW DATABASES"], cwd=d, capture_output=True, text=True, timeout=30)
        self.assertEqual(q.returncode, 0, q.stderr)
        self.stop_all(d)

    def test_a_short_line_per_step_and_a_spinner_on_a_terminal(self):
        import pty
        import select
        path = self.write("slow.yaml", HEAD + """  - shell: sleep 0.8
    why: a step that takes a while
""")
        master, slave = pty.openpty()
        env = dict(os.environ, TMPDIR=self.tmp)
        proc = subprocess.Popen([SERVERADM, "scenario", "run", path], cwd=self.tmp, env=env,
                                stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
        os.close(slave)
        out = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        self.assertEqual(proc.wait(timeout=60), 0, out)
        text = out.decode(errors="replace")
        # The spinner redraws the waiting step's line in place...
        self.assertRegex(text, r"\r\x1b\[K[|/\\-] 4/4 shell: sleep 0\.8 \(\d+s\)")
        # ...and what stays is one line per step, without server output.
        lines = [l.split("\r\x1b[K")[-1] for l in text.replace("\r\n", "\n").split("\n")]
        steps = [l for l in lines if re.match(r"^\d/4 ok ", l)]
        self.assertEqual(len(steps), 4, text)
        self.assertNotIn("[Note]", text)

    def test_ctrl_c_stops_the_servers_and_keeps_the_directory(self):
        import signal
        import time
        path = self.write("long.yaml", HEAD + """  - wait_for: SELECT COUNT(*) FROM test.t
    on: m
    value: 99
    timeout: 60
    why: a wait that would last a minute
""")
        env = dict(os.environ, TMPDIR=self.tmp)
        proc = subprocess.Popen([SERVERADM, "scenario", "run", path], cwd=self.tmp, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        # Interrupt once a server runs (the handler is in place by then);
        # whichever step is running gives up and the run stops there.
        deadline = time.monotonic() + 30
        while not processes_in(self.tmp) and time.monotonic() < deadline:
            time.sleep(0.02)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        self.assertLess(time.monotonic() - t0, 10)
        self.assertEqual(proc.returncode, 130, out + err)
        self.assertRegex(out, r"Interrupted at step [2-4]: the servers were stopped")
        self.assertEqual(processes_in(self.tmp), [])
        self.assertEqual(len(self.tutorial_dirs()), 1)

    def test_keep_leaves_the_servers_running(self):
        path = self.write("good.yaml", HEAD)
        p = self.serveradm("scenario", "run", path, "--keep")
        self.assertEqual(p.returncode, 0, p.stdout)
        d = os.path.join(self.tmp, self.tutorial_dirs()[0])
        self.assertIn("left running in " + d, p.stdout)
        q = subprocess.run(["./mysql", "--defaults-file=m.cnf", "-uroot", "-N", "-e",
                            "SELECT COUNT(*) FROM test.t"], cwd=d, capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(q.stdout.strip(), "2")
        self.stop_all(d)

    def test_here_uses_the_current_directory(self):
        path = self.write("good.yaml", HEAD)
        here = os.path.join(self.tmp, "class")
        os.mkdir(here)
        p = self.serveradm("scenario", "run", path, "--here", cwd=here)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(os.path.exists(os.path.join(here, "m.cnf")))
        self.assertEqual(self.tutorial_dirs(), [])
        self.stop_all(here)


EXERCISE = HEAD + """  - sql: INSERT INTO test.t VALUES (3)
    on: m
    exercise: true
    task: insert a row with id 3 into test.t on m
    why: you write the row yourself
    check:
      - expect: SELECT COUNT(*) FROM test.t WHERE id = 3
        on: m
        value: 1
        why: the row with id 3 is there
  - expect: SELECT COUNT(*) FROM test.t
    on: m
    value: 3
    why: three rows now
"""


class Exercise(ScenarioTest):
    def test_run_stops_at_the_exercise_then_check_and_continue(self):
        path = self.write("ex.yaml", EXERCISE)
        p = self.serveradm("scenario", "run", path, "--exercise")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("Exercise (step 4 of 5): insert a row with id 3 into test.t on m", p.stdout)
        d = os.path.join(self.tmp, self.tutorial_dirs()[0])
        self.assertIn("cd " + d + " && serveradm scenario check", p.stdout)
        self.assertTrue(os.path.exists(os.path.join(d, "scenario-state.toml")))

        p = self.serveradm("scenario", "check", path, cwd=d)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("missing: expect on m: SELECT COUNT(*) FROM test.t WHERE id = 3", p.stdout)
        self.assertIn("expected value '1'", p.stdout)
        self.assertIn("seen value '0'", p.stdout)

        # The student does it by hand.
        q = subprocess.run(["./mysql", "--defaults-file=m.cnf", "-uroot", "-e",
                            "INSERT INTO test.t VALUES (3)"], cwd=d, capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(q.returncode, 0, q.stderr)
        p = self.serveradm("scenario", "check", path, cwd=d)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("right:   expect on m", p.stdout)
        self.assertIn("All checks hold.", p.stdout)

        p = self.serveradm("scenario", "check", path, "--continue", "--json", cwd=d)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        report = json.loads(p.stdout)
        self.assertTrue(report["passed"])
        self.assertEqual([s["index"] for s in report["steps"]], [4, 5])
        self.assertFalse(os.path.exists(os.path.join(d, "scenario-state.toml")))
        self.stop_all(d)

    def test_the_broken_slave_exercise_fixed_by_hand(self):
        p = self.serveradm("scenario", "run", "broken-slave", "--exercise")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("Exercise (step", p.stdout)
        self.assertIn("make it replicate", p.stdout)
        d = os.path.join(self.tmp, self.tutorial_dirs()[0])
        p = self.serveradm("scenario", "check", "broken-slave", cwd=d)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("missing: wait_for on slave: SHOW SLAVE STATUS", p.stdout)
        self.assertIn("seen Slave_SQL_Running = 'No'", p.stdout)
        # The student removes the slave's own row and starts the slave again.
        q = subprocess.run(["./mysql", "--defaults-file=slave.cnf", "-uroot", "-e",
                            "DELETE FROM test.users WHERE id = 2; START SLAVE"],
                           cwd=d, capture_output=True, text=True, timeout=30)
        self.assertEqual(q.returncode, 0, q.stderr)
        p = self.serveradm("scenario", "check", "broken-slave", "--continue", cwd=d)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("All checks hold.", p.stdout)
        self.assertIn("Scenario broken-slave completed", p.stdout)
        self.stop_all(d)

    def test_check_without_an_exercise(self):
        p = self.serveradm("scenario", "check", "basic-master-slave")
        self.assertEqual(p.returncode, 1)
        self.assertIn("no exercise in progress", p.stderr)

    def test_a_normal_run_does_the_exercise_step_itself(self):
        path = self.write("ex.yaml", EXERCISE)
        p = self.serveradm("scenario", "run", path)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("Passed: 5 steps", p.stdout)


class Flavors(ScenarioTest):
    def test_a_scenario_for_one_flavor_is_skipped_on_the_other(self):
        path = self.write("only.yaml", HEAD.replace("servers:", "flavors: [mariadb]\nservers:", 1))
        p = self.serveradm("scenario", "run", path)
        self.assertEqual(p.returncode, 0)
        self.assertIn("skipped on bundled: the scenario runs only on mariadb", p.stdout)

    def test_a_step_for_one_flavor_is_skipped_on_the_other(self):
        path = self.write("step.yaml", HEAD + """  - sql: SELECT 1
    on: m
    flavors: [mariadb]
    why: a MariaDB-only statement
""")
        p, report = self.run_json(path)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(report["steps"][3]["status"], "skipped")
        self.assertEqual(report["steps"][3]["skip_reason"], "only on mariadb")


if __name__ == "__main__":
    unittest.main()
