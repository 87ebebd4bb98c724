"""pt-online-schema-change on reptutd: it copies the table into a new one
with the change, keeps the copy current through AFTER INSERT / UPDATE /
DELETE triggers while it copies, swaps the tables with RENAME TABLE and
drops the old table and its triggers. Rows written meanwhile all arrive;
nothing of the tool is left behind; a replica follows."""
import os
import shutil
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))
from harness import Reptutd, wait_for  # noqa: E402
from replication_harness import start_replication, sync  # noqa: E402


def tool(name):
    return shutil.which(name) or f"/usr/bin/{name}"


@unittest.skipUnless(os.path.exists(tool("pt-online-schema-change")),
                     "percona-toolkit is not installed")
class PtOnlineSchemaChange(unittest.TestCase):
    def setUp(self):
        self.master = Reptutd(options={"log-bin": "m-bin"}).start()
        self.addCleanup(self.master.cleanup)
        self.master.sql("CREATE DATABASE shop; CREATE TABLE shop.items (id INT NOT NULL "
                        "AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20), price INT, KEY "
                        "price (price))")
        values = ",".join(f"({i}, 'n{i}', {i % 97})" for i in range(1, 2001))
        self.master.sql(f"INSERT INTO shop.items VALUES {values}")

    def run_tool(self, *extra):
        r = subprocess.run([tool("pt-online-schema-change"), "--alter", "ADD COLUMN c INT",
                            f"D=shop,t=items,h=127.0.0.1,P={self.master.port},u=root",
                            "--execute", *extra], capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Successfully altered `shop`.`items`.", r.stdout)
        return r.stdout

    def check_result(self, server):
        self.assertEqual(server.sql("SHOW TABLES FROM shop"), [["items"]])
        self.assertEqual(server.sql("SHOW TRIGGERS FROM shop"), [])
        self.assertEqual(server.sql("SELECT count(*) FROM information_schema.TRIGGERS"), [["0"]])
        cols = [r[0] for r in server.sql("SHOW COLUMNS FROM shop.items")]
        self.assertEqual(cols, ["id", "name", "price", "c"])
        self.assertEqual(server.sql("SHOW INDEX FROM shop.items WHERE Key_name = 'price'")[0][4],
                         "price")

    def test_alter_with_writes_meanwhile(self):
        replica = Reptutd(root=self.master.root, name="replica", server_id=2).start()
        self.addCleanup(replica.stop)
        start_replication(replica, self.master)
        # One writer inserts, updates and deletes while the tool works; what
        # the server acknowledged is the model the table must match.
        model = {i: (f"n{i}", i % 97) for i in range(1, 2001)}
        stop = threading.Event()
        done = []
        errors = []

        def triggers_made():
            rows = self.master.sql("SELECT count(*) FROM information_schema.TRIGGERS")
            return rows == [["3"]] or stop.is_set()

        def writer():
            try:
                conn = self.master.pymysql(database="shop", autocommit=True)
                n = 0
                # From when the tool's triggers exist, for a bounded number
                # of rounds (rows added at the end as fast as it copies would
                # keep it copying).
                wait_for(triggers_made, 60, "the tool's triggers")
                with conn.cursor() as c:
                    while not stop.is_set() and n < 1500:
                        n += 1
                        new_id = 100000 + n
                        c.execute(f"INSERT INTO items (id, name, price) VALUES ({new_id}, "
                                  f"'w{n}', {n})")
                        model[new_id] = (f"w{n}", n)
                        upd = 1 + (n * 7) % 2000
                        c.execute(f"UPDATE items SET name = 'u{n}' WHERE id = {upd}")
                        if upd in model:
                            model[upd] = (f"u{n}", model[upd][1])
                        dele = 1 + (n * 13) % 2000
                        c.execute(f"DELETE FROM items WHERE id = {dele}")
                        model.pop(dele, None)
                        done.append(n)
                conn.close()
            except Exception as e:  # reported below
                errors.append(e)

        th = threading.Thread(target=writer)
        th.start()
        try:
            # The replica is not checked for lag: SHOW SLAVE HOSTS names it
            # "localhost", which DBD::mysql reads as a socket of its own.
            self.run_tool("--chunk-size", "200", "--sleep", "0.05",
                          "--recursion-method", "none")
        finally:
            stop.set()
            th.join(60)
        self.assertEqual(errors, [])
        self.assertGreater(len(done), 5)
        rows = self.master.sql("SELECT id, name, price, c FROM shop.items ORDER BY id")
        want = [[str(i), name, str(price), "NULL"] for i, (name, price) in sorted(model.items())]
        self.assertEqual(rows, want)
        self.check_result(self.master)
        sync(replica, self.master)
        self.assertEqual(replica.sql("SELECT id, name, price, c FROM shop.items ORDER BY id"),
                         rows)
        self.check_result(replica)

    def test_alter_and_drop_column_again(self):
        self.run_tool()
        self.check_result(self.master)
        r = subprocess.run([tool("pt-online-schema-change"), "--alter", "DROP COLUMN c",
                            f"D=shop,t=items,h=127.0.0.1,P={self.master.port},u=root",
                            "--execute"], capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual([r[0] for r in self.master.sql("SHOW COLUMNS FROM shop.items")],
                         ["id", "name", "price"])
        self.assertEqual(self.master.sql("SELECT count(*), sum(price) FROM shop.items"),
                         [["2000", str(sum(i % 97 for i in range(1, 2001)))]])
        self.assertEqual(self.master.sql("SHOW TRIGGERS FROM shop"), [])


if __name__ == "__main__":
    unittest.main()
