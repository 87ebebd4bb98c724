"""MySQL triggers on reptutd: CREATE / DROP TRIGGER (errors 1359, 1360,
1363, 1415, 1142), triggers firing for INSERT / UPDATE / DELETE with NEW.
and OLD., SHOW TRIGGERS, SHOW CREATE TRIGGER, information_schema.TRIGGERS,
triggers following their table (ALTER, RENAME, DROP, TRUNCATE fires none),
surviving a restart and a kill -9, replicated to a reptutd replica (where
they fire for the replicated statements), and a mariadb-dump --triggers
restored through the mariadb client."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "replication"))
from harness import MARIADB, Reptutd, kill_during_writes  # noqa: E402
from replication_harness import start_replication, sync  # noqa: E402

# What pt-online-schema-change 3.x sends for the UPDATE trigger: a BEGIN ...
# END body, tables qualified with their database, <=> and !(...).
UPDATE_TRIGGER = (
    "CREATE TRIGGER `copy_upd` AFTER UPDATE ON `shop`.`items` FOR EACH ROW BEGIN "
    "DELETE IGNORE FROM `shop`.`items_copy` WHERE !(OLD.`id` <=> NEW.`id`) AND "
    "`shop`.`items_copy`.`id` <=> OLD.`id`;REPLACE INTO `shop`.`items_copy` (`id`, `name`) "
    "VALUES (NEW.`id`, NEW.`name`);END ")


def mariadb_dump():
    for name in ("mariadb-dump", "mysqldump"):
        for d in ("/usr/bin", "/usr/local/bin"):
            if os.path.exists(os.path.join(d, name)):
                return os.path.join(d, name)
    return None


class Triggers(unittest.TestCase):
    def setUp(self):
        self.server = Reptutd(options={"log-bin": "m-bin"}).start()
        self.addCleanup(self.server.cleanup)
        self.server.sql("CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY, "
                        "name VARCHAR(20)); CREATE TABLE shop.items_copy (id INT PRIMARY KEY, "
                        "name VARCHAR(20)); CREATE TABLE shop.log (n INT AUTO_INCREMENT "
                        "PRIMARY KEY, msg VARCHAR(60))")
        self.conn = self.server.pymysql(database="shop", autocommit=True)
        self.addCleanup(self.close_conn)

    def close_conn(self):
        if self.conn.open:
            self.conn.close()

    def q(self, sql):
        with self.conn.cursor() as c:
            c.execute(sql)
            return [list(r) for r in c.fetchall()] if c.description else []

    def error(self, sql):
        import pymysql
        with self.assertRaises(pymysql.MySQLError) as e:
            self.q(sql)
        return e.exception.args[0], e.exception.args[1]

    def make_copy_triggers(self):
        self.q("CREATE TRIGGER `shop`.`copy_del` AFTER DELETE ON `shop`.`items` FOR EACH ROW "
               "DELETE IGNORE FROM `shop`.`items_copy` WHERE `shop`.`items_copy`.`id` <=> "
               "OLD.`id`")
        self.q(UPDATE_TRIGGER)
        self.q("CREATE TRIGGER `copy_ins` AFTER INSERT ON `shop`.`items` FOR EACH ROW REPLACE "
               "INTO `shop`.`items_copy` (`id`, `name`) VALUES (NEW.`id`, NEW.`name`)")

    def test_triggers_keep_a_copy_of_the_table(self):
        self.make_copy_triggers()
        self.q("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        self.q("UPDATE items SET name = 'bb' WHERE id = 2")
        self.q("UPDATE items SET id = 30 WHERE id = 3")
        self.q("DELETE FROM items WHERE id = 1")
        self.q("REPLACE INTO items VALUES (4, 'd')")
        want = [[2, "bb"], [4, "d"], [30, "c"]]
        self.assertEqual(self.q("SELECT * FROM items ORDER BY id"), want)
        self.assertEqual(self.q("SELECT * FROM items_copy ORDER BY id"), want)
        # A statement that fails rolls back its triggers' changes too.
        self.error("INSERT INTO items VALUES (5, 'e'), (2, 'dup')")
        self.assertEqual(self.q("SELECT * FROM items_copy ORDER BY id"), want)
        # In a transaction rolled back, the triggered changes go as well.
        self.q("BEGIN")
        self.q("INSERT INTO items VALUES (6, 'f')")
        self.assertEqual(self.q("SELECT count(*) FROM items_copy"), [[4]])
        self.q("ROLLBACK")
        self.assertEqual(self.q("SELECT count(*) FROM items_copy"), [[3]])

    def test_before_triggers_and_expressions(self):
        self.q("CREATE TRIGGER bi BEFORE INSERT ON items FOR EACH ROW INSERT INTO log (msg) "
               "VALUES (CONCAT('insert ', NEW.id, ' ', UPPER(NEW.name)))")
        self.q("CREATE TRIGGER bu BEFORE UPDATE ON items FOR EACH ROW INSERT INTO log (msg) "
               "VALUES (CONCAT(OLD.name, ' -> ', NEW.name))")
        self.q("CREATE DEFINER = CURRENT_USER TRIGGER bd BEFORE DELETE ON items FOR EACH ROW "
               "BEGIN INSERT INTO log (msg) VALUES (CONCAT('delete ', OLD.id)); "
               "INSERT INTO log (msg) VALUES ('; in a string and END'); END")
        self.q("INSERT INTO items VALUES (1, 'x')")
        self.q("UPDATE items SET name = 'y'")
        self.q("DELETE FROM items")
        self.assertEqual(self.q("SELECT msg FROM log ORDER BY n"),
                         [["insert 1 X"], ["x -> y"], ["delete 1"],
                          ["; in a string and END"]])
        # TRUNCATE fires no DELETE trigger, and the triggers stay.
        self.q("INSERT INTO items VALUES (2, 'z')")
        self.q("TRUNCATE TABLE items")
        self.assertEqual(self.q("SELECT msg FROM log ORDER BY n DESC LIMIT 1"), [["insert 2 Z"]])
        self.assertEqual(len(self.q("SHOW TRIGGERS")), 3)

    def test_a_trigger_writes_under_its_own_tables_types(self):
        # The statement that fires the trigger stores into `dated` (an INT, a
        # DATE); the trigger stores text into `log`: each value is checked
        # against its own column.
        self.q("CREATE TABLE dated (id INT PRIMARY KEY, d DATE)")
        self.q("CREATE TRIGGER di AFTER INSERT ON dated FOR EACH ROW INSERT INTO log (msg) "
               "VALUES (CONCAT('row ', NEW.id, ' on ', NEW.d))")
        self.q("INSERT INTO dated VALUES (1, '2020-1-2')")
        self.assertEqual(self.q("SELECT msg FROM log"), [["row 1 on 2020-01-02"]])
        self.assertEqual(self.error("INSERT INTO dated VALUES (2, '2020-13-45')")[0], 1292)
        self.assertEqual(self.q("SELECT COUNT(*) FROM log"), [[1]])

    def test_errors(self):
        self.q("CREATE TRIGGER t1 AFTER INSERT ON items FOR EACH ROW DELETE FROM log")
        self.assertEqual(self.error("CREATE TRIGGER t1 AFTER DELETE ON items FOR EACH ROW "
                                    "DELETE FROM log")[0], 1359)
        self.q("CREATE TRIGGER IF NOT EXISTS t1 AFTER DELETE ON items FOR EACH ROW "
               "DELETE FROM log")
        self.assertEqual(self.q("SHOW WARNINGS")[0][1], 1359)
        self.assertEqual(self.error("DROP TRIGGER nope"), (1360, "Trigger does not exist"))
        self.q("DROP TRIGGER IF EXISTS nope")
        self.assertEqual(self.q("SHOW WARNINGS")[0][1], 1360)
        self.assertEqual(self.error("CREATE TRIGGER t2 AFTER INSERT ON nope FOR EACH ROW "
                                    "DELETE FROM log")[0], 1146)
        self.assertEqual(self.error("CREATE TRIGGER t2 AFTER INSERT ON items FOR EACH ROW "
                                    "DELETE FROM log WHERE n = OLD.id")[0], 1363)
        self.assertEqual(self.error("CREATE TRIGGER t2 AFTER DELETE ON items FOR EACH ROW "
                                    "DELETE FROM log WHERE n = NEW.id")[0], 1363)
        self.assertEqual(self.error("CREATE TRIGGER t2 AFTER DELETE ON items FOR EACH ROW "
                                    "SELECT 1")[0], 1415)
        self.assertEqual(self.error("CREATE TRIGGER t2 AFTER UPDATE ON items FOR EACH ROW "
                                    "DELETE FROM log WHERE n = OLD.nope"),
                         (1054, "Unknown column 'nope' in 'OLD'"))
        self.assertEqual(self.error("CREATE TRIGGER t2 BEFORE INSERT ON items FOR EACH ROW "
                                    "SET NEW.name = 'x'")[0], 1235)
        self.assertEqual(self.error("CREATE TRIGGER t2 BEFORE INSERT ON items FOR EACH ROW "
                                    "CREATE TABLE x (a INT)")[0], 1235)
        # The TRIGGER privilege on the table is needed.
        self.server.sql("CREATE USER 'app'@'%'; GRANT SELECT, INSERT, DELETE ON shop.* TO "
                        "'app'@'%'")
        app = self.server.pymysql(user="app", database="shop", autocommit=True)
        self.addCleanup(app.close)
        import pymysql
        with self.assertRaises(pymysql.MySQLError) as e:
            with app.cursor() as c:
                c.execute("CREATE TRIGGER t3 AFTER INSERT ON items FOR EACH ROW DELETE FROM log")
        self.assertEqual(e.exception.args[0], 1142)
        with self.assertRaises(pymysql.MySQLError) as e:
            with app.cursor() as c:
                c.execute("DROP TRIGGER t1")
        self.assertEqual(e.exception.args[0], 1142)
        self.server.sql("GRANT TRIGGER ON shop.* TO 'app'@'%'")
        app2 = self.server.pymysql(user="app", database="shop", autocommit=True)
        self.addCleanup(app2.close)
        with app2.cursor() as c:
            c.execute("DROP TRIGGER t1")
        self.assertEqual(self.q("SHOW TRIGGERS"), [])

    def test_show_triggers_show_create_and_information_schema(self):
        self.make_copy_triggers()
        rows = self.q("SHOW TRIGGERS FROM shop LIKE 'items'")
        self.assertEqual([r[:3] + [r[4]] for r in rows],
                         [["copy_del", "DELETE", "items", "AFTER"],
                          ["copy_upd", "UPDATE", "items", "AFTER"],
                          ["copy_ins", "INSERT", "items", "AFTER"]])
        self.assertTrue(rows[1][3].startswith("BEGIN DELETE IGNORE FROM `shop`.`items_copy`"))
        self.assertEqual(rows[0][7], "root@localhost")
        self.assertEqual(self.q("SHOW TRIGGERS LIKE 'log'"), [])
        self.assertEqual([r[0] for r in self.q("SHOW TRIGGERS WHERE `Event` = 'INSERT'")],
                         ["copy_ins"])
        with self.conn.cursor() as c:
            c.execute("SHOW TRIGGERS")
            self.assertEqual([d[0] for d in c.description],
                             ["Trigger", "Event", "Table", "Statement", "Timing", "Created",
                              "sql_mode", "Definer", "character_set_client",
                              "collation_connection", "Database Collation"])
            c.execute("SHOW CREATE TRIGGER shop.copy_ins")
            self.assertEqual([d[0] for d in c.description],
                             ["Trigger", "sql_mode", "SQL Original Statement",
                              "character_set_client", "collation_connection",
                              "Database Collation", "Created"])
            row = c.fetchone()
        self.assertEqual(row[0], "copy_ins")
        self.assertEqual(row[2], "CREATE DEFINER=`root`@`localhost` TRIGGER `copy_ins` AFTER "
                                 "INSERT ON `items` FOR EACH ROW REPLACE INTO "
                                 "`shop`.`items_copy` (`id`, `name`) VALUES (NEW.`id`, "
                                 "NEW.`name`)")
        self.assertEqual(self.error("SHOW CREATE TRIGGER nope")[0], 1360)
        rows = self.q("SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_MANIPULATION, "
                      "EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_TIMING, ACTION_ORIENTATION, "
                      "DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'shop' "
                      "AND EVENT_OBJECT_TABLE = 'items' AND EVENT_MANIPULATION = 'INSERT' "
                      "AND ACTION_TIMING = 'AFTER'")
        self.assertEqual(rows, [["shop", "copy_ins", "INSERT", "items", 1, "AFTER", "ROW",
                                 "root@localhost"]])
        self.assertEqual(self.q("SELECT count(*) FROM information_schema.TRIGGERS"), [[3]])

    def test_triggers_follow_their_table(self):
        self.q("CREATE TRIGGER ai AFTER INSERT ON items FOR EACH ROW INSERT INTO log (msg) "
               "VALUES (NEW.name)")
        self.q("ALTER TABLE items ADD COLUMN price INT")
        self.q("INSERT INTO items VALUES (1, 'after alter', 5)")
        self.q("RENAME TABLE items TO goods")
        self.assertEqual([r[2] for r in self.q("SHOW TRIGGERS")], ["goods"])
        self.q("INSERT INTO goods VALUES (2, 'after rename', 6)")
        self.assertEqual(self.q("SELECT msg FROM log ORDER BY n"),
                         [["after alter"], ["after rename"]])
        self.q("DROP TABLE goods")
        self.assertEqual(self.q("SHOW TRIGGERS"), [])
        self.assertEqual(self.error("DROP TRIGGER ai")[0], 1360)
        # The name is free again.
        self.q("CREATE TRIGGER ai AFTER INSERT ON log FOR EACH ROW DELETE FROM items_copy")

    def test_trigger_survives_restart_and_kill(self):
        self.q("CREATE TRIGGER ai AFTER INSERT ON items FOR EACH ROW INSERT INTO log (msg) "
               "VALUES (NEW.name)")
        self.close_conn()
        self.server.stop()
        self.server.start()
        self.server.sql("INSERT INTO shop.items VALUES (1, 'after restart')")
        self.server.sql("CREATE TRIGGER shop.ad AFTER DELETE ON shop.items FOR EACH ROW "
                        "INSERT INTO log (msg) VALUES (CONCAT('gone ', OLD.name))")
        self.server.kill9()
        self.server.start()
        self.server.sql("DELETE FROM shop.items")
        self.assertEqual(self.server.sql("SELECT msg FROM shop.log ORDER BY n"),
                         [["after restart"], ["gone after restart"]])
        self.assertEqual(self.server.sql("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                                         "ORDER BY 1"), [["ad"], ["ai"]])

    def test_statements_replayed_after_kill_fire_their_triggers(self):
        self.make_copy_triggers()
        self.close_conn()
        acked = kill_during_writes(
            self.server, 2, lambda w, n: f"INSERT INTO items VALUES ({w * 1000000 + n}, 'x')",
            database="shop")
        self.server.start()
        items = {int(r[0]) for r in self.server.sql("SELECT id FROM shop.items")}
        copy = {int(r[0]) for r in self.server.sql("SELECT id FROM shop.items_copy")}
        self.assertEqual(items, copy)
        self.assertTrue({w * 1000000 + n for w, n in acked} <= items)

    def test_binlog_and_replica(self):
        replica = Reptutd(root=self.server.root, name="replica", server_id=2).start()
        self.addCleanup(replica.stop)
        start_replication(replica, self.server)
        self.make_copy_triggers()
        self.q("INSERT INTO items VALUES (1, 'a'), (2, 'b')")
        self.q("UPDATE items SET name = 'B' WHERE id = 2")
        self.q("DELETE FROM items WHERE id = 1")
        self.q("DROP TRIGGER copy_del")
        self.q("DELETE FROM items")
        events = [r[5].replace("use `shop`; ", "")
                  for r in self.server.sql("SHOW BINLOG EVENTS")]
        self.assertIn("CREATE DEFINER=`root`@`localhost` TRIGGER `shop`.`copy_ins` AFTER INSERT "
                      "ON `shop`.`items` FOR EACH ROW REPLACE INTO `shop`.`items_copy` (`id`, "
                      "`name`) VALUES (NEW.`id`, NEW.`name`)", events)
        self.assertIn("DROP TRIGGER `shop`.`copy_del`", events)
        sync(replica, self.server)
        self.assertEqual(replica.sql("SELECT * FROM shop.items_copy"), [["2", "B"]])
        self.assertEqual(replica.sql("SELECT * FROM shop.items_copy"),
                         self.server.sql("SELECT * FROM shop.items_copy"))
        self.assertEqual(replica.sql("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                                     "ORDER BY 1"), [["copy_ins"], ["copy_upd"]])

    def test_mariadb_client_delimiter(self):
        self.server.sql("DELIMITER ;;\nCREATE TRIGGER shop.bi BEFORE INSERT ON shop.items FOR "
                        "EACH ROW BEGIN\n  INSERT INTO log (msg) VALUES ('one');\n  INSERT INTO "
                        "log (msg) VALUES ('two');\nEND;;\nDELIMITER ;\nINSERT INTO shop.items "
                        "VALUES (1, 'x');\n", batch_stdin=True)
        self.assertEqual(self.server.sql("SELECT msg FROM shop.log ORDER BY n"),
                         [["one"], ["two"]])

    def test_multi_statement_query_keeps_the_body_whole(self):
        from pymysql.constants import CLIENT
        conn = self.server.pymysql(database="shop", autocommit=True,
                                   client_flag=CLIENT.MULTI_STATEMENTS)
        self.addCleanup(conn.close)
        with conn.cursor() as c:
            c.execute("CREATE TRIGGER ai AFTER INSERT ON items FOR EACH ROW BEGIN "
                      "INSERT INTO log (msg) VALUES (CASE WHEN NEW.id > 1 THEN 'big' ELSE "
                      "'small' END); INSERT INTO items_copy VALUES (NEW.id, 'end;'); END; "
                      "INSERT INTO items VALUES (1, 'a'), (2, 'b'); "
                      "SELECT msg FROM log ORDER BY n")
            while c.nextset():
                pass
        self.assertEqual(self.q("SELECT msg FROM log ORDER BY n"), [["small"], ["big"]])
        self.assertEqual(self.q("SELECT * FROM items_copy ORDER BY id"),
                         [[1, "end;"], [2, "end;"]])

    @unittest.skipUnless(mariadb_dump(), "mariadb-dump is not installed")
    def test_dump_with_triggers_restores_into_a_fresh_database(self):
        self.q("CREATE TRIGGER ai AFTER INSERT ON items FOR EACH ROW BEGIN INSERT INTO log "
               "(msg) VALUES (CONCAT('new ', NEW.name)); INSERT INTO items_copy VALUES "
               "(NEW.id, NEW.name); END")
        self.q("INSERT INTO items VALUES (1, 'a')")
        r = subprocess.run([mariadb_dump(), "--no-defaults", "-uroot",
                            f"--socket={self.server.socket}", "--triggers", "shop"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER "
                      "`ai` AFTER INSERT ON `items` FOR EACH ROW BEGIN", r.stdout)
        self.server.sql("CREATE DATABASE shop2")
        r2 = subprocess.run([MARIADB, "--no-defaults", "-uroot",
                             f"--socket={self.server.socket}", "shop2"], input=r.stdout,
                            capture_output=True, text=True, timeout=60)
        self.assertEqual(r2.returncode, 0, r2.stderr)
        self.assertEqual(self.server.sql("SELECT * FROM shop2.items_copy"), [["1", "a"]])
        self.server.sql("INSERT INTO shop2.items VALUES (2, 'b')")
        self.assertEqual(self.server.sql("SELECT * FROM shop2.items_copy ORDER BY id"),
                         [["1", "a"], ["2", "b"]])
        self.assertEqual(self.server.sql("SELECT msg FROM shop2.log ORDER BY n"),
                         [["new a"], ["new b"]])
        # The original database is untouched.
        self.assertEqual(self.server.sql("SELECT count(*) FROM shop.log"), [["1"]])
        self.assertEqual(self.server.sql("SELECT TRIGGER_SCHEMA FROM information_schema.TRIGGERS"
                                         " ORDER BY 1"), [["shop"], ["shop2"]])


if __name__ == "__main__":
    unittest.main()
