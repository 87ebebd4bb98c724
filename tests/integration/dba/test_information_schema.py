"""information_schema on reptutd: MySQL 5.7's tables and columns, queried as
any table (joins, WHERE, ORDER BY, GROUP BY), with the rows a user may see."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from harness import ClientError, Reptutd  # noqa: E402

# MySQL 5.7's columns of the tables the tools read (a subset of all).
MYSQL57_COLUMNS = {
    "SCHEMATA": "CATALOG_NAME SCHEMA_NAME DEFAULT_CHARACTER_SET_NAME DEFAULT_COLLATION_NAME "
                "SQL_PATH",
    "TABLES": "TABLE_CATALOG TABLE_SCHEMA TABLE_NAME TABLE_TYPE ENGINE VERSION ROW_FORMAT "
              "TABLE_ROWS AVG_ROW_LENGTH DATA_LENGTH MAX_DATA_LENGTH INDEX_LENGTH DATA_FREE "
              "AUTO_INCREMENT CREATE_TIME UPDATE_TIME CHECK_TIME TABLE_COLLATION CHECKSUM "
              "CREATE_OPTIONS TABLE_COMMENT",
    "COLUMNS": "TABLE_CATALOG TABLE_SCHEMA TABLE_NAME COLUMN_NAME ORDINAL_POSITION "
               "COLUMN_DEFAULT IS_NULLABLE DATA_TYPE CHARACTER_MAXIMUM_LENGTH "
               "CHARACTER_OCTET_LENGTH NUMERIC_PRECISION NUMERIC_SCALE DATETIME_PRECISION "
               "CHARACTER_SET_NAME COLLATION_NAME COLUMN_TYPE COLUMN_KEY EXTRA PRIVILEGES "
               "COLUMN_COMMENT GENERATION_EXPRESSION",
    "STATISTICS": "TABLE_CATALOG TABLE_SCHEMA TABLE_NAME NON_UNIQUE INDEX_SCHEMA INDEX_NAME "
                  "SEQ_IN_INDEX COLUMN_NAME COLLATION CARDINALITY SUB_PART PACKED NULLABLE "
                  "INDEX_TYPE COMMENT INDEX_COMMENT",
    "KEY_COLUMN_USAGE": "CONSTRAINT_CATALOG CONSTRAINT_SCHEMA CONSTRAINT_NAME TABLE_CATALOG "
                        "TABLE_SCHEMA TABLE_NAME COLUMN_NAME ORDINAL_POSITION "
                        "POSITION_IN_UNIQUE_CONSTRAINT REFERENCED_TABLE_SCHEMA "
                        "REFERENCED_TABLE_NAME REFERENCED_COLUMN_NAME",
    "TABLE_CONSTRAINTS": "CONSTRAINT_CATALOG CONSTRAINT_SCHEMA CONSTRAINT_NAME TABLE_SCHEMA "
                         "TABLE_NAME CONSTRAINT_TYPE",
    "REFERENTIAL_CONSTRAINTS": "CONSTRAINT_CATALOG CONSTRAINT_SCHEMA CONSTRAINT_NAME "
                               "UNIQUE_CONSTRAINT_CATALOG UNIQUE_CONSTRAINT_SCHEMA "
                               "UNIQUE_CONSTRAINT_NAME MATCH_OPTION UPDATE_RULE DELETE_RULE "
                               "TABLE_NAME REFERENCED_TABLE_NAME",
    "TRIGGERS": "TRIGGER_CATALOG TRIGGER_SCHEMA TRIGGER_NAME EVENT_MANIPULATION "
                "EVENT_OBJECT_SCHEMA EVENT_OBJECT_TABLE ACTION_ORDER ACTION_STATEMENT "
                "ACTION_TIMING DEFINER",
    "VIEWS": "TABLE_CATALOG TABLE_SCHEMA TABLE_NAME VIEW_DEFINITION CHECK_OPTION IS_UPDATABLE "
             "DEFINER SECURITY_TYPE CHARACTER_SET_CLIENT COLLATION_CONNECTION",
    "ROUTINES": "SPECIFIC_NAME ROUTINE_CATALOG ROUTINE_SCHEMA ROUTINE_NAME ROUTINE_TYPE "
                "ROUTINE_DEFINITION DEFINER",
    "EVENTS": "EVENT_CATALOG EVENT_SCHEMA EVENT_NAME DEFINER STATUS",
    "FILES": "FILE_ID FILE_NAME FILE_TYPE TABLESPACE_NAME LOGFILE_GROUP_NAME ENGINE "
             "TOTAL_EXTENTS EXTENT_SIZE INITIAL_SIZE EXTRA",
    "PARTITIONS": "TABLE_CATALOG TABLE_SCHEMA TABLE_NAME PARTITION_NAME TABLE_ROWS "
                  "TABLESPACE_NAME",
    "ENGINES": "ENGINE SUPPORT COMMENT TRANSACTIONS XA SAVEPOINTS",
    "CHARACTER_SETS": "CHARACTER_SET_NAME DEFAULT_COLLATE_NAME DESCRIPTION MAXLEN",
    "COLLATIONS": "COLLATION_NAME CHARACTER_SET_NAME ID IS_DEFAULT IS_COMPILED SORTLEN",
    "PROCESSLIST": "ID USER HOST DB COMMAND TIME STATE INFO",
    "GLOBAL_VARIABLES": "VARIABLE_NAME VARIABLE_VALUE",
    "SESSION_VARIABLES": "VARIABLE_NAME VARIABLE_VALUE",
    "GLOBAL_STATUS": "VARIABLE_NAME VARIABLE_VALUE",
    "USER_PRIVILEGES": "GRANTEE TABLE_CATALOG PRIVILEGE_TYPE IS_GRANTABLE",
    "SCHEMA_PRIVILEGES": "GRANTEE TABLE_CATALOG TABLE_SCHEMA PRIVILEGE_TYPE IS_GRANTABLE",
    "TABLE_PRIVILEGES": "GRANTEE TABLE_CATALOG TABLE_SCHEMA TABLE_NAME PRIVILEGE_TYPE "
                        "IS_GRANTABLE",
    "PLUGINS": "PLUGIN_NAME PLUGIN_VERSION PLUGIN_STATUS PLUGIN_TYPE PLUGIN_LIBRARY "
               "PLUGIN_AUTHOR PLUGIN_DESCRIPTION PLUGIN_LICENSE LOAD_OPTION",
}


class InformationSchemaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Reptutd(name="is").start()
        cls.server.sql(
            "CREATE DATABASE shop; "
            "CREATE TABLE shop.items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " name VARCHAR(40) NOT NULL, price DECIMAL(8,2) DEFAULT '1.50',"
            " sku CHAR(12), UNIQUE KEY sku (sku), KEY name_price (name, price))"
            " DEFAULT CHARSET=utf8mb4; "
            "INSERT INTO shop.items (name, sku) VALUES ('pen','A1'),('ink','A2'),('pad','A3'); "
            "CREATE TABLE shop.notes (body TEXT); "
            "CREATE DATABASE hr; CREATE TABLE hr.pay (who VARCHAR(10)); "
            "CREATE USER 'clerk'@'%' IDENTIFIED BY 'pw'; "
            "GRANT SELECT ON shop.* TO 'clerk'@'%'")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def q(self, sql, **kw):
        return self.server.sql(sql, **kw)

    def test_every_table_has_mysql57_columns(self):
        for table, columns in MYSQL57_COLUMNS.items():
            with self.subTest(table=table):
                cols = ", ".join(columns.split())
                self.q(f"SELECT {cols} FROM information_schema.{table} LIMIT 0")
                self.q(f"SELECT {cols.lower()} FROM INFORMATION_SCHEMA.{table.lower()} LIMIT 0")

    def test_tables_rows_and_auto_increment(self):
        rows = self.q("SELECT table_name, table_type, engine, table_rows, auto_increment,"
                      " table_collation FROM information_schema.tables"
                      " WHERE table_schema = 'shop' ORDER BY table_name")
        self.assertEqual(rows, [
            ["items", "BASE TABLE", "InnoDB", "3", "4", "utf8mb4_general_ci"],
            ["notes", "BASE TABLE", "InnoDB", "0", "NULL", "latin1_swedish_ci"]])
        # What mariadb-dump asks, with DATABASE().
        rows = self.q("SELECT engine, table_type FROM INFORMATION_SCHEMA.TABLES"
                      " WHERE table_schema = DATABASE() AND table_name = 'items'",
                      database="shop")
        self.assertEqual(rows, [["InnoDB", "BASE TABLE"]])

    def test_columns_describe_the_table(self):
        rows = self.q("SELECT column_name, ordinal_position, column_default, is_nullable,"
                      " data_type, character_maximum_length, numeric_precision, numeric_scale,"
                      " column_type, column_key, extra FROM information_schema.columns"
                      " WHERE table_schema = 'shop' AND table_name = 'items'"
                      " ORDER BY ordinal_position")
        self.assertEqual(rows, [
            ["id", "1", "NULL", "NO", "int", "NULL", "10", "0", "int(11)", "PRI",
             "auto_increment"],
            ["name", "2", "NULL", "NO", "varchar", "40", "NULL", "NULL", "varchar(40)", "MUL", ""],
            ["price", "3", "1.50", "YES", "decimal", "NULL", "8", "2", "decimal(8,2)", "", ""],
            ["sku", "4", "NULL", "YES", "char", "12", "NULL", "NULL", "char(12)", "UNI", ""]])
        # The same as SHOW COLUMNS.
        show = self.q("SHOW COLUMNS FROM shop.items")
        self.assertEqual([r[0] for r in show], [r[0] for r in rows])

    def test_statistics_and_constraints(self):
        rows = self.q("SELECT index_name, seq_in_index, column_name, non_unique"
                      " FROM information_schema.statistics"
                      " WHERE table_schema = 'shop' AND table_name = 'items'"
                      " ORDER BY index_name, seq_in_index")
        self.assertEqual(rows, [["PRIMARY", "1", "id", "0"], ["name_price", "1", "name", "1"],
                                ["name_price", "2", "price", "1"], ["sku", "1", "sku", "0"]])
        rows = self.q("SELECT constraint_name, constraint_type"
                      " FROM information_schema.table_constraints"
                      " WHERE table_schema = 'shop' ORDER BY constraint_name")
        self.assertEqual(rows, [["PRIMARY", "PRIMARY KEY"], ["sku", "UNIQUE"]])
        rows = self.q("SELECT constraint_name, column_name FROM information_schema.key_column_usage"
                      " WHERE table_schema = 'shop' ORDER BY constraint_name")
        self.assertEqual(rows, [["PRIMARY", "id"], ["sku", "sku"]])

    def test_joins_group_by_and_subqueries(self):
        rows = self.q(
            "SELECT t.table_name, COUNT(c.column_name) FROM information_schema.tables t"
            " JOIN information_schema.columns c"
            "  ON c.table_schema = t.table_schema AND c.table_name = t.table_name"
            " WHERE t.table_schema = 'shop' GROUP BY t.table_name ORDER BY t.table_name")
        self.assertEqual(rows, [["items", "4"], ["notes", "1"]])
        rows = self.q("SELECT schema_name FROM information_schema.schemata WHERE schema_name IN"
                      " (SELECT table_schema FROM information_schema.tables"
                      "  WHERE table_name = 'pay')")
        self.assertEqual(rows, [["hr"]])
        # Not pushed down: a condition on another column, an OR.
        rows = self.q("SELECT table_schema, table_name FROM information_schema.tables"
                      " WHERE table_schema = 'hr' OR table_name LIKE 'not%' ORDER BY 1")
        self.assertEqual(rows, [["hr", "pay"], ["shop", "notes"]])

    def test_schemata_and_variables(self):
        rows = self.q("SELECT schema_name, default_character_set_name"
                      " FROM information_schema.schemata ORDER BY schema_name")
        names = [r[0] for r in rows]
        self.assertEqual(names, sorted(["hr", "information_schema", "mysql", "shop", "test"]))
        rows = self.q("SELECT variable_value FROM information_schema.global_variables"
                      " WHERE variable_name = 'SERVER_ID'")
        self.assertEqual(rows, [["1"]])
        rows = self.q("SET SESSION sql_mode = 'ANSI_QUOTES'; SELECT variable_value FROM"
                      " information_schema.session_variables WHERE variable_name = 'SQL_MODE'")
        self.assertEqual(rows, [["ANSI_QUOTES"]])
        rows = self.q("SELECT COUNT(*) > 0 FROM information_schema.global_status"
                      " WHERE variable_name = 'UPTIME'")
        self.assertEqual(rows, [["1"]])
        # SESSION_STATUS counts this session's statements only.
        rows = self.q("SELECT 1; SELECT 2; SELECT variable_value FROM"
                      " information_schema.session_status WHERE variable_name = 'COM_SELECT'")
        self.assertEqual(rows, [["1"], ["2"], ["3"]])
        rows = self.q("SELECT id = CONNECTION_ID(), info FROM information_schema.processlist"
                      " WHERE id = CONNECTION_ID()")
        self.assertEqual(rows[0][0], "1")
        self.assertIn("information_schema.processlist", rows[0][1])

    def test_a_user_sees_only_what_it_may(self):
        rows = self.q("SELECT schema_name FROM information_schema.schemata ORDER BY 1",
                      user="clerk", password="pw", tcp=True)
        self.assertEqual(rows, [["information_schema"], ["shop"]])
        rows = self.q("SELECT DISTINCT table_schema FROM information_schema.tables"
                      " WHERE table_schema <> 'information_schema'",
                      user="clerk", password="pw", tcp=True)
        self.assertEqual(rows, [["shop"]])
        rows = self.q("SELECT grantee, table_schema, privilege_type"
                      " FROM information_schema.schema_privileges",
                      user="clerk", password="pw", tcp=True)
        self.assertEqual(rows, [["'clerk'@'%'", "shop", "SELECT"]])
        rows = self.q("SELECT privilege_type FROM information_schema.user_privileges",
                      user="clerk", password="pw", tcp=True)
        self.assertEqual(rows, [["USAGE"]])

    def test_use_show_describe_and_errors(self):
        rows = self.q("SHOW TABLES FROM information_schema LIKE 'TABLE%'")
        self.assertEqual(rows, [["TABLES"], ["TABLE_CONSTRAINTS"], ["TABLE_PRIVILEGES"]])
        rows = self.q("USE information_schema; SELECT DATABASE(); SELECT COUNT(*) FROM schemata"
                      " WHERE schema_name = 'shop'")
        self.assertEqual(rows, [["information_schema"], ["1"]])
        rows = self.q("DESCRIBE information_schema.ENGINES")
        self.assertEqual([r[0] for r in rows], MYSQL57_COLUMNS["ENGINES"].split())
        with self.assertRaises(ClientError) as e:
            self.q("SELECT * FROM information_schema.nosuch")
        self.assertIn("ERROR 1109", e.exception.stderr)
        self.assertIn("Unknown table 'nosuch' in information_schema", e.exception.stderr)
        with self.assertRaises(ClientError) as e:
            self.q("DELETE FROM information_schema.tables")
        self.assertIn("ERROR 1044", e.exception.stderr)
        self.assertIn("to database 'information_schema'", e.exception.stderr)

    def test_pymysql_prepared_and_text(self):
        conn = self.server.pymysql()
        try:
            with conn.cursor() as c:
                c.execute("SELECT table_name, table_rows FROM information_schema.tables"
                          " WHERE table_schema = %s AND table_name = %s", ("shop", "items"))
                self.assertEqual(c.fetchall(), (("items", 3),))
        finally:
            conn.close()


if __name__ == "__main__":
    unittest.main()
