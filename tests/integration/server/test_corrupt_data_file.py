"""A damaged data file is named: a statement that meets a corrupt page
answers with the table (1034, MySQL's "Incorrect key file") or the file,
and the error log has an [ERROR] line with the file's path, where SQLite
alone says only "database disk image is malformed". A start after a crash
checks every data file and names the damaged ones and their tables."""

import os
import unittest

import pymysql

from harness import Reptutd


class CorruptDataFile(unittest.TestCase):

    def setUp(self):
        self.server = Reptutd().start()
        self.addCleanup(self.server.cleanup)
        self.server.sql("CREATE DATABASE shop; CREATE TABLE shop.items "
                        "(id INT PRIMARY KEY, name VARCHAR(200))")
        rows = ",".join(f"({i}, '{'x' * 150}')" for i in range(2000))
        self.server.sql(f"INSERT INTO shop.items VALUES {rows};", batch_stdin=True)
        self.server.stop()
        # Every page past the first few overwritten: the table's b-tree
        # pages are garbage, the schema page is intact.
        path = os.path.join(self.server.datadir, "shop.db")
        self.assertTrue(os.path.exists(path), os.listdir(self.server.datadir))
        # The clean shutdown checkpointed the WAL into the file: without it,
        # the file is what SQLite reads.
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        with open(path, "r+b") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(4 * 4096)
            f.write(b"\xa5" * (size - 4 * 4096))

    def test_the_error_names_the_table_or_the_file_and_the_log_the_file(self):
        self.server.start(initialize=False)
        conn = self.server.pymysql(database="shop", autocommit=True)
        self.addCleanup(conn.close)
        with self.assertRaises(pymysql.err.MySQLError) as cm:
            with conn.cursor() as c:
                c.execute("SELECT count(*), sum(length(name)) FROM items")
                c.fetchall()
                c.execute("INSERT INTO items VALUES (5000, 'y')")
        code, message = cm.exception.args
        if code == 1034:
            self.assertEqual(message,
                             "Incorrect key file for table 'shop.items'; try to repair it")
        else:
            self.assertIn("shop.db", message)
            self.assertIn("is corrupt", message)
        errors = [line for line in self.server.read_log().splitlines()
                  if "[ERROR]" in line and "shop.db" in line and "is corrupt" in line]
        self.assertTrue(errors, self.server.read_log()[-2000:])

    def test_a_start_after_a_crash_names_the_damaged_table(self):
        # A crash (kill -9 after a write elsewhere): the next start checks
        # every data file and names the damaged one and its table.
        self.server.start(initialize=False)
        self.server.sql("CREATE TABLE test.t (a INT); INSERT INTO test.t VALUES (1)")
        self.server.kill9()
        self.server.start(initialize=False)
        log = self.server.read_log()
        damaged = [line for line in log.splitlines()
                   if "[ERROR]" in line and "shop.db is damaged" in line]
        self.assertTrue(damaged, log[-3000:])
        self.assertIn("(tables shop.items)", damaged[0])
        # The other databases are whole and in use.
        self.assertEqual(self.server.sql("SELECT a FROM test.t"), [["1"]])


if __name__ == "__main__":
    unittest.main()
