"""mariadb-dump on reptutd in its common modes, and the restore of its dumps
(and of MariaDB 10.11's) into a fresh reptutd with the plain mariadb client,
rows compared. A dump with --master-data seeds a replica that then catches
up with its master, as the tutorials do it."""
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))
from harness import Reptutd  # noqa: E402
from mariadb_server import Mariadbd  # noqa: E402
from replication_harness import (REPL_PASSWORD, REPL_USER, create_repl_user,  # noqa: E402
                                 master_status, slave_status, start_replication, sync,
                                 wait_running)

DUMP = shutil.which("mariadb-dump") or "/usr/bin/mariadb-dump"

SCHEMA = """
CREATE DATABASE shop;
CREATE TABLE shop.items (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(40) NOT NULL,
  price DECIMAL(8,2),
  added DATETIME,
  note TEXT,
  KEY name (name));
CREATE TABLE shop.tags (item INT NOT NULL, tag VARCHAR(20) NOT NULL, PRIMARY KEY (item, tag));
CREATE DATABASE crm;
CREATE TABLE crm.people (pid BIGINT PRIMARY KEY, email VARCHAR(80) UNIQUE, age SMALLINT);
"""


def fill_sql(rows=300):
    out = []
    values = []
    for i in range(1, rows + 1):
        note = "NULL" if i % 7 == 0 else \
            "'line one\\nline two, it''s \\\\ \"quoted\" \\t tab %d'" % i
        values.append("('item %d', %d.%02d, '2024-0%d-1%d 12:3%d:00', %s)" % (
            i, i, i % 100, i % 9 + 1, i % 10, i % 10, note))
    out.append("INSERT INTO shop.items (name, price, added, note) VALUES " + ", ".join(values))
    out.append("INSERT INTO shop.tags VALUES " + ", ".join(
        "(%d, 'tag%d')" % (i, i % 5) for i in range(1, rows + 1)))
    out.append("INSERT INTO crm.people VALUES " + ", ".join(
        "(%d, 'p%d@example.com', %s)" % (i * 1000003, i, "NULL" if i % 5 == 0 else i % 90)
        for i in range(1, 101)))
    return ";\n".join(out) + ";\n"


def dump(server, *args):
    r = subprocess.run([DUMP, "--no-defaults", "-uroot", f"--socket={server.socket}"] +
                       list(args), capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError(f"mariadb-dump {' '.join(args)} failed ({r.returncode}):\n"
                             f"{r.stderr}")
    return r.stdout


def restore(server, text, database=None):
    args = server.client_args(database=database)
    r = subprocess.run(args, input=text, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError(f"restore failed ({r.returncode}):\n{r.stderr}")


def contents(server, tables=("shop.items", "shop.tags", "crm.people")):
    return {t: server.sql(f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}


class MariadbDumpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.source = Reptutd(name="source", options={"log-bin": "source-bin"}).start()
        cls.source.sql(SCHEMA + fill_sql(), batch_stdin=True)
        cls.expected = contents(cls.source)

    @classmethod
    def tearDownClass(cls):
        cls.source.cleanup()

    def fresh(self, name, server_id=2, options=None):
        s = Reptutd(name=name, server_id=server_id, options=options).start()
        self.addCleanup(s.cleanup)
        return s

    def test_plain_dump_round_trip(self):
        text = dump(self.source, "--databases", "shop", "crm")
        self.assertIn("LOCK TABLES `items` WRITE;", text)
        self.assertIn("AUTO_INCREMENT=301", text)  # SHOW CREATE TABLE carries the counter
        target = self.fresh("plain")
        restore(target, text)
        self.assertEqual(contents(target), self.expected)
        # The counter came along: the next row gets 301.
        target.sql("INSERT INTO shop.items (name) VALUES ('next')")
        self.assertEqual(target.sql("SELECT MAX(id) FROM shop.items"), [["301"]])

    def test_single_database_into_another_name(self):
        text = dump(self.source, "shop")
        self.assertNotIn("CREATE DATABASE", text)
        target = self.fresh("renamed")
        target.sql("CREATE DATABASE shop2")
        restore(target, text, database="shop2")
        self.assertEqual(target.sql("SELECT * FROM shop2.items ORDER BY 1"),
                         self.expected["shop.items"])

    def test_all_databases_with_accounts(self):
        self.source.sql("CREATE USER IF NOT EXISTS 'auditor'@'%' IDENTIFIED BY 'pw';"
                        " GRANT SELECT ON crm.* TO 'auditor'@'%'")
        text = dump(self.source, "--all-databases")
        target = self.fresh("all")
        restore(target, text)
        target.sql("FLUSH PRIVILEGES")
        self.assertEqual(contents(target), self.expected)
        self.assertEqual(target.sql("SELECT COUNT(*) FROM crm.people", user="auditor",
                                    password="pw", tcp=True), [["100"]])
        # The server starts again on what the restore wrote.
        target.stop()
        target.start(initialize=False)
        self.assertEqual(target.sql("SELECT COUNT(*) FROM shop.items"), [["300"]])

    def test_routines_triggers_events(self):
        text = dump(self.source, "--routines", "--triggers", "--events", "--databases", "shop")
        target = self.fresh("rte")
        restore(target, text)
        self.assertEqual(contents(target, ("shop.items",)),
                         {"shop.items": self.expected["shop.items"]})

    def test_master_data_seeds_a_replica(self):
        master = self.fresh("master", server_id=11, options={"log-bin": "master-bin"})
        master.sql(SCHEMA + fill_sql(50), batch_stdin=True)
        create_repl_user(master)
        text = dump(master, "--single-transaction", "--master-data=1", "--databases", "shop",
                    "crm")
        m = re.search(r"^CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+);",
                      text, re.M)
        self.assertIsNotNone(m, text[:2000])
        self.assertEqual((m.group(1), int(m.group(2))), master_status(master))
        # Written after the dump: the replica must get these through replication.
        master.sql("INSERT INTO shop.items (name) VALUES ('after the dump');"
                   " UPDATE crm.people SET age = 99 WHERE pid = 1000003")
        replica = self.fresh("replica", server_id=12)
        # The master first: a CHANGE MASTER TO naming a host resets the
        # position, as on MySQL; the dump then sets the file and position.
        replica.sql(f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={master.port},"
                    f" MASTER_USER='{REPL_USER}', MASTER_PASSWORD='{REPL_PASSWORD}',"
                    " MASTER_CONNECT_RETRY=1")
        restore(replica, text)  # runs the CHANGE MASTER TO file/position
        replica.sql("START SLAVE")
        wait_running(replica)
        sync(replica, master)
        self.assertEqual(contents(replica), contents(master))

    def test_master_data_2_is_a_comment_and_consistent(self):
        text = dump(self.source, "--single-transaction", "--master-data=2", "--databases", "shop")
        m = re.search(r"^-- CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+);",
                      text, re.M)
        self.assertIsNotNone(m)
        self.assertEqual((m.group(1), int(m.group(2))), master_status(self.source))

    def test_dump_slave(self):
        master = self.fresh("dsmaster", server_id=21, options={"log-bin": "m-bin"})
        replica = self.fresh("dsreplica", server_id=22)
        start_replication(replica, master)
        master.sql("CREATE DATABASE seen; CREATE TABLE seen.t (a INT); INSERT INTO seen.t"
                   " VALUES (1), (2)")
        sync(replica, master)
        text = dump(replica, "--dump-slave=2", "--single-transaction", "--databases", "seen")
        s = slave_status(replica)
        m = re.search(r"^-- CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+);",
                      text, re.M)
        self.assertIsNotNone(m, text[:2000])
        self.assertEqual((m.group(1), int(m.group(2))),
                         (s["Relay_Master_Log_File"], int(s["Exec_Master_Log_Pos"])))
        # mariadb-dump stopped the SQL thread for the dump and started it again.
        wait_running(replica)
        self.assertIn("INSERT INTO `t` VALUES", text)


class MariadbMadeDumpTest(unittest.TestCase):
    """Dumps made by MariaDB 10.11 restore into reptutd."""

    @classmethod
    def setUpClass(cls):
        cls.mariadb = Mariadbd(name="mariadb", log_bin="mdb-bin").start()
        cls.mariadb.sql(SCHEMA + fill_sql(), batch_stdin=True)
        cls.expected = contents(cls.mariadb)

    @classmethod
    def tearDownClass(cls):
        cls.mariadb.cleanup()

    def restore_into_reptutd(self, *args):
        text = dump(self.mariadb, *args)
        target = Reptutd(name="from-mariadb").start()
        self.addCleanup(target.cleanup)
        restore(target, text)
        return target

    def test_plain(self):
        target = self.restore_into_reptutd("--databases", "shop", "crm")
        self.assertEqual(contents(target), self.expected)

    def test_single_transaction_master_data(self):
        target = self.restore_into_reptutd("--single-transaction", "--master-data=2",
                                           "--databases", "shop", "crm")
        self.assertEqual(contents(target), self.expected)

    def test_all_databases_keeps_reptutd_grant_tables(self):
        """MariaDB's mysql schema is not reptutd's: its grant tables are refused
        with a clear error and the server keeps its accounts and starts again."""
        self.mariadb.sql("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'pw'")
        text = dump(self.mariadb, "--all-databases")
        target = Reptutd(name="all-from-mariadb").start()
        self.addCleanup(target.cleanup)
        r = subprocess.run(target.client_args(), input=text, capture_output=True, text=True,
                           timeout=120)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ERROR 1005", r.stderr)
        self.assertIn("grant table of reptutd", r.stderr)
        # With --force the rest goes in; the grant tables stay as they were.
        r = subprocess.run(target.client_args() + ["--force"], input=text, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(contents(target), self.expected)
        target.sql("FLUSH PRIVILEGES")
        self.assertEqual(target.sql("SELECT user, host FROM mysql.user"), [["root", "localhost"]])
        target.stop()
        target.start(initialize=False)
        self.assertEqual(target.sql("SELECT COUNT(*) FROM shop.items"), [["300"]])


class GrantTablesTest(unittest.TestCase):
    def test_drop_keeps_them_and_damage_needs_skip_grant_tables(self):
        server = Reptutd(name="grants").start()
        self.addCleanup(server.cleanup)
        server.sql("DROP TABLE IF EXISTS mysql.user")
        self.assertEqual(server.sql("SELECT user FROM mysql.user"), [["root"]])
        # Damaged by hand: start-up stops and says how to get in.
        server.sql("ALTER TABLE mysql.user DROP COLUMN Privileges")
        server.stop()
        with self.assertRaises(AssertionError) as e:
            server.start(initialize=False, timeout=5)
        self.assertIn("--skip-grant-tables", str(e.exception))
        server.options["skip-grant-tables"] = None
        server.write_cnf()
        server.start(initialize=False)
        self.assertIn("running with --skip-grant-tables", server.read_log())
        self.assertEqual(server.sql("SELECT COUNT(*) FROM mysql.user"), [["1"]])


if __name__ == "__main__":
    unittest.main()
