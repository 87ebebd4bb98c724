"""A damaged data file is named: a statement that meets a corrupt page
answers with the table (1034, MySQL's "Incorrect key file") or the file,
and the error log has an [ERROR] line with the file's path, where SQLite
alone says only "database disk image is malformed"."""

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
        self.server.start(initialize=False)

    def test_the_error_names_the_table_or_the_file_and_the_log_the_file(self):
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


if __name__ == "__main__":
    unittest.main()
