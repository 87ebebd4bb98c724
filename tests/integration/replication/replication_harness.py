"""Helpers for replication tests: make a server a replica of another, read
SHOW SLAVE STATUS as a dict, wait until a replica applied what its master
has. Servers are harness.Reptutd (or mariadb_server.Mariadbd, which has the
same client methods)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from harness import GiveUp, Reptutd, wait_for  # noqa: E402

REPL_USER = "repl_user"
REPL_PASSWORD = "xyzzy"


def query(server, sql, database=None, user="root", password=""):
    """Rows as dicts (pymysql over TCP, as root unless told)."""
    import pymysql
    conn = server.pymysql(database=database, user=user, password=password, autocommit=True,
                          cursorclass=pymysql.cursors.DictCursor)
    try:
        with conn.cursor() as c:
            c.execute(sql)
            return list(c.fetchall()) if c.description else []
    finally:
        conn.close()


def slave_status(server):
    rows = query(server, "SHOW SLAVE STATUS")
    return rows[0] if rows else None


def master_status(server):
    rows = query(server, "SHOW MASTER STATUS")
    return rows[0]["File"], int(rows[0]["Position"])


def create_repl_user(master, host="%"):
    master.sql(f"CREATE USER IF NOT EXISTS '{REPL_USER}'@'{host}' IDENTIFIED BY '{REPL_PASSWORD}';"
               f" GRANT REPLICATION SLAVE ON *.* TO '{REPL_USER}'@'{host}'")


def change_master(slave, master, extra=""):
    slave.sql(f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={master.port}, "
              f"MASTER_USER='{REPL_USER}', MASTER_PASSWORD='{REPL_PASSWORD}', "
              f"MASTER_CONNECT_RETRY=1{extra}")


def start_replication(slave, master, extra="", user=True):
    if user:
        create_repl_user(master)
    change_master(slave, master, extra)
    slave.sql("START SLAVE")
    wait_running(slave)


def wait_running(slave, timeout=15):
    def both():
        s = slave_status(slave)
        # A thread that stopped with an error stays stopped; an I/O error
        # while the thread retries the connection is not the end.
        if s and ((s["Last_SQL_Error"] and s["Slave_SQL_Running"] == "No") or
                  (s["Last_IO_Error"] and s["Slave_IO_Running"] == "No")):
            raise GiveUp(f"replication error: {s['Last_IO_Error']} {s['Last_SQL_Error']}")
        if s and (s["Last_IO_Error"] or s["Last_SQL_Error"]):
            raise AssertionError(f"replication error: {s['Last_IO_Error']} "
                                 f"{s['Last_SQL_Error']}")  # retried until the timeout
        return s and s["Slave_IO_Running"] == "Yes" and s["Slave_SQL_Running"] == "Yes"
    wait_for(both, timeout, "both slave threads running")


def sync(slave, master, timeout=30):
    """Waits until `slave` applied everything `master` has logged now."""
    f, p = master_status(master)
    rows = query(slave, f"SELECT MASTER_POS_WAIT('{f}', {p}, {timeout}) AS w")
    w = rows[0]["w"]
    if w is None or int(w) < 0:
        raise AssertionError(f"MASTER_POS_WAIT('{f}', {p}) returned {w}; "
                             f"slave status: {slave_status(slave)}")


def wait_sql_error(slave, timeout=15):
    def stopped():
        s = slave_status(slave)
        return s if s["Slave_SQL_Running"] == "No" and s["Last_SQL_Errno"] else None
    return wait_for(stopped, timeout, "the SQL thread to stop with an error")


def new_server(test, name, server_id, options=None, root=None):
    s = Reptutd(root=root, name=name, server_id=server_id, options=options)
    test.addCleanup(s.cleanup)
    return s
