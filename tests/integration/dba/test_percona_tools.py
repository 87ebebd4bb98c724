"""Percona Toolkit's read-only DBA tools on reptutd: pt-show-grants (SHOW
CREATE USER and SHOW GRANTS for every account of mysql.user, and its output
loads back), pt-duplicate-key-checker (SHOW CREATE TABLE, EXPLAIN),
pt-heartbeat (a table the master updates, a replica's delay read from it)
and pt-mysql-summary (SHOW STATUS / VARIABLES / PROCESSLIST and friends, a
full report with nothing on stderr)."""
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))
from harness import ClientError, Reptutd  # noqa: E402
from replication_harness import start_replication, sync  # noqa: E402


def tool(name):
    return shutil.which(name) or f"/usr/bin/{name}"


def run(args, timeout=120):
    r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def dsn(server):
    return f"h=127.0.0.1,P={server.port},u=root"


@unittest.skipUnless(os.path.exists(tool("pt-show-grants")), "percona-toolkit is not installed")
class PerconaToolsTest(unittest.TestCase):
    def setUp(self):
        self.master = Reptutd(options={"log-bin": "m-bin"}).start()
        self.addCleanup(self.master.cleanup)

    def test_show_grants_prints_every_account_and_loads_back(self):
        self.master.sql("CREATE USER 'app'@'%' IDENTIFIED BY 'pw';"
                        "GRANT SELECT, INSERT ON test.* TO 'app'@'%';"
                        "CREATE USER 'ro'@'localhost'; GRANT SELECT ON *.* TO 'ro'@'localhost'")
        code, out, err = run([tool("pt-show-grants"), dsn(self.master)])
        self.assertEqual(code, 0, out + err)
        self.assertEqual(err, "")
        self.assertIn("-- Grants for 'app'@'%'", out)
        self.assertIn("CREATE USER IF NOT EXISTS 'app'@'%';", out)
        self.assertIn("GRANT INSERT, SELECT ON `test`.* TO 'app'@'%';", out)
        self.assertIn("GRANT SELECT ON *.* TO 'ro'@'localhost';", out)
        self.assertIn("GRANT ALL PRIVILEGES ON *.* TO 'root'@'localhost' WITH GRANT OPTION;",
                      out)
        self.assertRegex(out, r"ALTER USER 'app'@'%' IDENTIFIED WITH 'mysql_native_password' "
                              r"AS '\*[0-9A-F]{40}'")
        # The dump recreates the accounts on another server: same grants,
        # same password.
        other = Reptutd(name="other").start()
        self.addCleanup(other.cleanup)
        other.sql(out, batch_stdin=True)
        for who in ("'app'@'%'", "'ro'@'localhost'"):
            self.assertEqual(other.sql(f"SHOW GRANTS FOR {who}"),
                             self.master.sql(f"SHOW GRANTS FOR {who}"))
        self.assertEqual(other.sql("SELECT 1", user="app", password="pw", tcp=True), [["1"]])

    def test_show_create_user(self):
        self.master.sql("CREATE USER 'app'@'%' IDENTIFIED BY 'pw'")
        rows = self.master.sql("SHOW CREATE USER 'app'@'%'")
        self.assertRegex(rows[0][0], r"^CREATE USER 'app'@'%' IDENTIFIED WITH "
                                     r"'mysql_native_password' AS '\*[0-9A-F]{40}' REQUIRE NONE")
        with self.assertRaises(ClientError) as e:
            self.master.sql("SHOW CREATE USER 'nobody'@'%'")
        self.assertEqual(e.exception.code, 1396)

    def test_duplicate_key_checker_finds_a_left_prefix_index(self):
        self.master.sql("CREATE DATABASE shop; CREATE TABLE shop.items (id INT NOT NULL "
                        "PRIMARY KEY, name VARCHAR(20), price INT, KEY name (name), "
                        "KEY name_price (name, price))")
        code, out, err = run([tool("pt-duplicate-key-checker"), dsn(self.master),
                              "--databases", "shop"])
        self.assertEqual(code, 0, out + err)
        self.assertIn("# name is a left-prefix of name_price", out)
        self.assertIn("ALTER TABLE `shop`.`items` DROP INDEX `name`;", out)
        self.assertRegex(out, r"# Total Duplicate Indexes\s+1")

    def test_heartbeat_on_a_master_and_its_replica(self):
        replica = Reptutd(root=self.master.root, name="replica", server_id=2).start()
        self.addCleanup(replica.stop)
        start_replication(replica, self.master)
        code, out, err = run([tool("pt-heartbeat"), dsn(self.master), "-D", "test", "--update",
                              "--create-table", "--run-time", "2", "--interval", "1"])
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.master.sql("SELECT server_id FROM test.heartbeat"), [["1"]])
        sync(replica, self.master)
        code, out, err = run([tool("pt-heartbeat"), dsn(replica), "-D", "test", "--check",
                              "--master-server-id", "1"])
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out.strip(), r"^\d+\.\d\d$")  # the replica's delay in seconds
        code, out, err = run([tool("pt-heartbeat"), dsn(replica), "-D", "test", "--monitor",
                              "--run-time", "2", "--master-server-id", "1"])
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"\d+\.\d\ds \[\s+\d+\.\d\ds,")
        # pt-mysql-summary sees both ends of the replication.
        for server, line in ((replica, "Is a slave, has 0 slaves connected"),
                             (self.master, "Is not a slave, has 1 slaves connected")):
            code, out, err = run([tool("pt-mysql-summary"), "--sleep", "1", "--host",
                                  "127.0.0.1", "--port", str(server.port), "--user", "root"])
            self.assertEqual((code, err), (0, ""), out)
            self.assertRegex(out, r"Replication \| " + line)

    def test_mysql_summary_prints_a_full_report(self):
        self.master.sql("CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, "
                        "name VARCHAR(20))")
        code, out, err = run([tool("pt-mysql-summary"), "--sleep", "1", "--host", "127.0.0.1",
                              "--port", str(self.master.port), "--user", "root", "--databases",
                              "shop"], timeout=180)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(err, "")
        for section in ("Report On Port", "Processlist", "Status Counters", "Table cache",
                        "Schema", "Noteworthy Technologies", "MyISAM", "Security",
                        "Binary Logging", "Noteworthy Variables", "The End"):
            self.assertRegex(out, re.compile(r"^# " + re.escape(section) + r"\b.*#{3,}$",
                                             re.MULTILINE))
        self.assertRegex(out, r"Version \| 5\.7\.\d+-reptut")
        self.assertRegex(out, r"binlog_format \| STATEMENT")
        self.assertRegex(out, r"\n  shop +1 ")


if __name__ == "__main__":
    unittest.main()
