"""A user's table may share its name with an information_schema table
(events, tables, columns, ...). A connection that asked for it before
another connection created it then sees the table and its rows, never
the information_schema table: the scenario `outage` (a table
test.events on a replica) used to read 0 rows for ever, at random."""

import unittest

import pymysql

from harness import Reptutd

NAMES = ["events", "tables", "columns", "views", "triggers", "routines", "files",
         "partitions", "engines", "plugins", "processlist", "schemata", "statistics"]


class InformationSchemaNames(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def query(self, conn, sql):
        with conn.cursor() as c:
            c.execute(sql)
            return c.fetchall()

    def test_a_table_created_by_another_connection_is_seen_with_its_rows(self):
        reader = self.server.pymysql(autocommit=True)
        writer = self.server.pymysql(autocommit=True)
        self.addCleanup(reader.close)
        self.addCleanup(writer.close)
        for name in NAMES:
            with self.subTest(table=name):
                db = f"names_{name}"
                with self.assertRaises(pymysql.err.ProgrammingError):
                    self.query(reader, f"SELECT COUNT(*) FROM {db}.{name}")
                self.query(writer, f"CREATE DATABASE {db}")
                with self.assertRaises(pymysql.err.ProgrammingError):
                    self.query(reader, f"SELECT COUNT(*) FROM {db}.{name}")
                self.query(writer, f"CREATE TABLE {db}.{name} (id INT PRIMARY KEY)")
                self.assertEqual(self.query(reader, f"SELECT COUNT(*) FROM {db}.{name}"), ((0,),))
                self.query(writer, f"INSERT INTO {db}.{name} VALUES (1), (2)")
                self.assertEqual(self.query(reader, f"SELECT COUNT(*) FROM {db}.{name}"), ((2,),))
                # information_schema's own table still answers for its name.
                rows = self.query(reader, "SELECT COUNT(*) FROM information_schema.tables "
                                          f"WHERE table_schema = '{db}'")
                self.assertEqual(rows, ((1,),))

    def test_column_metadata_names_information_schema_tables(self):
        conn = self.server.pymysql(autocommit=True)
        self.addCleanup(conn.close)
        with conn.cursor() as c:
            c.execute("SELECT table_name FROM information_schema.tables LIMIT 1")
            c.fetchall()
            # PyMySQL's description has no table; the raw field has it.
            self.assertEqual(c._result.fields[0].table_name.upper(), "TABLES")


if __name__ == "__main__":
    unittest.main()
