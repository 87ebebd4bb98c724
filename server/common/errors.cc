#include "common/errors.h"

namespace reptut {
namespace {

struct Entry {
  uint16_t code;
  const char* sqlstate;
  const char* format;
};

constexpr Entry kEntries[] = {
    {ER_CANT_CREATE_TABLE, "HY000", "Can't create table %s"},
    {ER_CON_COUNT_ERROR, "08004", "Too many connections"},
    {ER_HANDSHAKE_ERROR, "08S01", "Bad handshake"},
    {ER_DBACCESS_DENIED_ERROR, "42000", "Access denied for user '%s'@'%s' to database '%s'"},
    {ER_ACCESS_DENIED_ERROR, "28000", "Access denied for user '%s'@'%s' (using password: %s)"},
    {ER_NO_DB_ERROR, "3D000", "No database selected"},
    {ER_UNKNOWN_COM_ERROR, "08S01", "Unknown command"},
    {ER_BAD_NULL_ERROR, "23000", "Column '%s' cannot be null"},
    {ER_BAD_DB_ERROR, "42000", "Unknown database '%s'"},
    {ER_TABLE_EXISTS_ERROR, "42S01", "Table '%s' already exists"},
    {ER_BAD_TABLE_ERROR, "42S02", "Unknown table '%s'"},
    {ER_NON_UNIQ_ERROR, "23000", "Column '%s' in %s is ambiguous"},
    {ER_SERVER_SHUTDOWN, "08S01", "Server shutdown in progress"},
    {ER_BAD_FIELD_ERROR, "42S22", "Unknown column '%s' in '%s'"},
    {ER_WRONG_FIELD_WITH_GROUP, "42000", "'%s' isn't in GROUP BY"},
    {ER_DUP_FIELDNAME, "42S21", "Duplicate column name '%s'"},
    {ER_DUP_KEYNAME, "42000", "Duplicate key name '%s'"},
    {ER_DUP_ENTRY, "23000", "Duplicate entry '%s' for key '%s'"},
    {ER_PARSE_ERROR, "42000",
     "You have an error in your SQL syntax; check the manual that corresponds to your MySQL "
     "server version for the right syntax to use near '%s' at line %d"},
    {ER_EMPTY_QUERY, "42000", "Query was empty"},
    {ER_NONUNIQ_TABLE, "42000", "Not unique table/alias: '%s'"},
    {ER_INVALID_DEFAULT, "42000", "Invalid default value for '%s'"},
    {ER_MULTIPLE_PRI_KEY, "42000", "Multiple primary key defined"},
    {ER_WRONG_AUTO_KEY, "42000",
     "Incorrect table definition; there can be only one auto column and it must be defined as "
     "a key"},
    {ER_NORMAL_SHUTDOWN, "HY000", "%s: Normal shutdown"},
    {ER_SHUTDOWN_COMPLETE, "HY000", "%s: Shutdown complete"},
    {ER_CANT_DROP_FIELD_OR_KEY, "42000", "Can't DROP '%s'; check that column/key exists"},
    {ER_NO_SUCH_THREAD, "HY000", "Unknown thread id: %s"},
    {ER_KILL_DENIED_ERROR, "HY000", "You are not owner of thread %s"},
    {ER_NO_TABLES_USED, "HY000", "No tables used"},
    {ER_TABLE_NOT_LOCKED_FOR_WRITE, "HY000",
     "Table '%s' was locked with a READ lock and can't be updated"},
    {ER_TABLE_NOT_LOCKED, "HY000", "Table '%s' was not locked with LOCK TABLES"},
    {ER_UNKNOWN_ERROR, "HY000", "%s"},
    {ER_UNKNOWN_TABLE, "42S02", "Unknown table '%s' in %s"},
    {ER_PASSWORD_ANONYMOUS_USER, "42000",
     "You are using MariaDB as an anonymous user and anonymous users are not allowed to modify "
     "user settings"},
    {ER_PASSWORD_NO_MATCH, "28000", "Can't find any matching row in the user table"},
    {ER_WRONG_VALUE_COUNT_ON_ROW, "21S01", "Column count doesn't match value count at row %s"},
    {ER_NONEXISTING_GRANT, "42000", "There is no such grant defined for user '%s' on host '%s'"},
    {ER_TABLEACCESS_DENIED_ERROR, "42000", "%s command denied to user '%s'@'%s' for table '%s'"},
    {ER_COLUMNACCESS_DENIED_ERROR, "42000",
     "%s command denied to user '%s'@'%s' for column '%s' in table '%s'"},
    {ER_NO_SUCH_TABLE, "42S02", "Table '%s.%s' doesn't exist"},
    {ER_NOT_ALLOWED_COMMAND, "42000", "The used command is not allowed with this MySQL version"},
    {ER_SYNTAX_ERROR, "42000",
     "You have an error in your SQL syntax; check the manual that corresponds to your MySQL "
     "server version for the right syntax to use"},
    {ER_NET_PACKET_TOO_LARGE, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes"},
    {ER_NET_PACKETS_OUT_OF_ORDER, "08S01", "Got packets out of order"},
    {ER_NET_READ_ERROR, "08S01", "Got an error reading communication packets"},
    {ER_NET_READ_INTERRUPTED, "08S01", "Got timeout reading communication packets"},
    {ER_NET_ERROR_ON_WRITE, "08S01", "Got an error writing communication packets"},
    {ER_TOO_LONG_STRING, "HY000", "Result string is longer than 'max_allowed_packet' bytes"},
    {ER_NO_SUCH_INDEX, "42S12", "Key '%s' doesn't exist in table '%s'"},
    {ER_FLUSH_MASTER_BINLOG_CLOSED, "HY000", "Binlog closed, cannot RESET MASTER"},
    {ER_LOCK_OR_ACTIVE_TRANSACTION, "HY000",
     "Can't execute the given command because you have active locked tables or an active "
     "transaction"},
    {ER_SLAVE_MUST_STOP, "HY000",
     "This operation cannot be performed with a running slave; run STOP SLAVE first"},
    {ER_SLAVE_NOT_RUNNING, "HY000",
     "This operation requires a running slave; configure slave and do START SLAVE"},
    {ER_SLAVE_WAS_RUNNING, "HY000", "Slave is already running"},
    {ER_SLAVE_WAS_NOT_RUNNING, "HY000", "Slave already has been stopped"},
    {ER_MISSING_SKIP_SLAVE, "HY000",
     "It is recommended to use --skip-slave-start when doing step-by-step replication with "
     "START SLAVE UNTIL; otherwise, you will get problems if you get an unexpected slave's "
     "mysqld restart"},
    {ER_UNTIL_COND_IGNORED, "HY000",
     "SQL thread is not to be started so UNTIL options are ignored"},
    {ER_SLAVE_INCIDENT, "HY000", "The incident %s occured on the master. Message: %s"},
    {ER_SLAVE_FATAL_ERROR, "HY000", "Fatal error: %s"},
    {ER_SLAVE_RELAY_LOG_READ_FAILURE, "HY000", "Relay log read failure: %s"},
    {ER_SLAVE_RELAY_LOG_WRITE_FAILURE, "HY000", "Relay log write failure: %s"},
    {ER_INSECURE_PLAIN_TEXT, "HY000",
     "Sending passwords in plain text without SSL/TLS is extremely insecure."},
    {ER_INSECURE_CHANGE_MASTER, "HY000",
     "Storing MySQL user name or password information in the master info repository is not "
     "secure and is therefore not recommended. Please consider using the USER and PASSWORD "
     "connection options for START SLAVE; see the 'START SLAVE Syntax' in the MySQL Manual for "
     "more information."},
    {ER_BAD_SLAVE, "HY000",
     "The server is not configured as slave; fix in config file or with CHANGE MASTER TO"},
    {ER_MASTER_INFO, "HY000",
     "Could not initialize master info structure; more error messages can be found in the "
     "MySQL error log"},
    {ER_LOCK_WAIT_TIMEOUT, "HY000", "Lock wait timeout exceeded; try restarting transaction"},
    {ER_READ_ONLY_TRANSACTION, "25000",
     "Update locks cannot be acquired during a READ UNCOMMITTED transaction"},
    {ER_WRONG_ARGUMENTS, "HY000", "Incorrect arguments to %s"},
    {ER_LOCK_DEADLOCK, "40001",
     "Deadlock found when trying to get lock; try restarting transaction"},
    {ER_ERROR_WHEN_EXECUTING_COMMAND, "HY000", "Error when executing command %s: %s"},
    {ER_CANT_UPDATE_WITH_READLOCK, "HY000",
     "Can't execute the query because you have a conflicting read lock"},
    {ER_SPECIFIC_ACCESS_DENIED_ERROR, "42000",
     "Access denied; you need (at least one of) the %s privilege(s) for this operation"},
    {ER_LOCAL_VARIABLE, "HY000",
     "Variable '%s' is a SESSION variable and can't be used with SET GLOBAL"},
    {ER_GLOBAL_VARIABLE, "HY000",
     "Variable '%s' is a GLOBAL variable and should be set with SET GLOBAL"},
    {ER_NO_DEFAULT, "42000", "Variable '%s' doesn't have a default value"},
    {ER_WRONG_VALUE_FOR_VAR, "42000", "Variable '%s' can't be set to the value of '%s'"},
    {ER_WRONG_TYPE_FOR_VAR, "42000", "Incorrect argument type to variable '%s'"},
    {ER_VAR_CANT_BE_READ, "HY000", "Variable '%s' can only be set, not read"},
    {ER_NOT_SUPPORTED_YET, "42000", "This version of MySQL doesn't yet support '%s'"},
    {ER_MASTER_FATAL_ERROR_READING_BINLOG, "HY000",
     "Got fatal error %s from master when reading data from binary log: '%s'"},
    {ER_UNKNOWN_SYSTEM_VARIABLE, "HY000", "Unknown system variable '%s'"},
    {ER_CANNOT_USER, "HY000", "Operation %s failed for %s"},
    {ER_DB_CREATE_EXISTS, "HY000", "Can't create database '%s'; database exists"},
    {ER_DB_DROP_EXISTS, "HY000", "Can't drop database '%s'; database doesn't exist"},
    {ER_CANT_CREATE_DB, "HY000", "Can't create database '%s' (errno: %s)"},
    {ER_QUERY_INTERRUPTED, "70100", "Query execution was interrupted"},
    {ER_NOT_KEYFILE, "HY000", "Incorrect key file for table '%s'; try to repair it"},
    {ER_CONNECTION_KILLED, "70100", "Connection was killed"},
    {ER_QUERY_TIMEOUT, "HY000",
     "Query execution was interrupted, maximum statement execution time exceeded"},
    {ER_STATEMENT_TIMEOUT, "70100",
     "Query execution was interrupted (max_statement_time exceeded)"},
    {EE_FILENOTFOUND, "HY000", "File '%s' not found (Errcode: %d \"%s\")"},
    {ER_FILE_EXISTS_ERROR, "HY000", "File '%s' already exists"},
    {ER_WARN_TOO_FEW_RECORDS, "01000", "Row %lu doesn't contain data for all columns"},
    {ER_WARN_TOO_MANY_RECORDS, "01000",
     "Row %lu was truncated; it contained more data than there were input columns"},
    {ER_WARN_NULL_TO_NOTNULL, "22004",
     "Column set to default value; NULL supplied to NOT NULL column '%s' at row %lu"},
    {ER_WRONG_FIELD_TERMINATORS, "42000",
     "Field separator argument is not what is expected; check the manual"},
    {ER_LOAD_FROM_FIXED_SIZE_ROWS_TO_VAR, "HY000",
     "You can't use fixed rowlength with BLOBs; please use 'fields terminated by'"},
    {ER_SP_DOES_NOT_EXIST, "42000", "%s %s does not exist"},
    {ER_TRUNCATED_WRONG_VALUE, "22007", "Truncated incorrect %s value: '%s'"},
    {ER_WARN_DATA_OUT_OF_RANGE, "22003", "Out of range value for column '%s' at row %s"},
    {ER_DATA_TOO_LONG, "22001", "Data too long for column '%s' at row %s"},
    {WARN_DATA_TRUNCATED, "01000", "Data truncated for column '%s' at row %s"},
    {ER_TRUNCATED_WRONG_VALUE_FOR_FIELD, "22007",
     "Incorrect %s value: '%s' for column %s at row %s"},
    {ER_OPTION_PREVENTS_STATEMENT, "HY000",
     "The MySQL server is running with the %s option so it cannot execute this statement"},
    {ER_BINLOG_PURGE_PROHIBITED, "HY000", "Binlog closed; cannot %s"},
    {ER_LOG_PURGE_UNKNOWN_ERR, "HY000", "Fatal error during log purge"},
    {ER_LOG_IN_USE, "HY000", "A purgeable log is in use, will not purge"},
    {ER_UNKNOWN_TARGET_BINLOG, "HY000", "Target log not found in binlog index"},
    {ER_IO_ERR_LOG_INDEX_READ, "HY000", "I/O error reading log index file"},
    {ER_UNKNOWN_STMT_HANDLER, "HY000", "Unknown prepared statement handler (%s) given to %s"},
    {ER_PS_MANY_PARAM, "HY000", "Prepared statement contains too many placeholders"},
    {ER_MALFORMED_PACKET, "HY000", "Malformed communication packet."},
    {ER_WRONG_STRING_LENGTH, "HY000",
     "String '%s' is too long for %s (should be no longer than %d)"},
};

const Entry* Find(uint16_t code) {
  for (const Entry& e : kEntries) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

}  // namespace

std::string_view SqlStateFor(uint16_t code) {
  const Entry* e = Find(code);
  return e ? e->sqlstate : "HY000";
}

std::string_view MessageFormatFor(uint16_t code) {
  const Entry* e = Find(code);
  return e ? e->format : "%s";
}

Error MakeError(uint16_t code, std::initializer_list<ErrorArg> args) {
  std::string_view fmt = MessageFormatFor(code);
  std::string out;
  auto it = args.begin();
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] == '%' && i + 1 < fmt.size()) {
      size_t j = i + 1;
      while (j < fmt.size() && (fmt[j] == 'l' || fmt[j] == 'u' || fmt[j] == 'd' || fmt[j] == 's')) {
        bool end = fmt[j] == 's' || fmt[j] == 'd' || fmt[j] == 'u';
        ++j;
        if (end) break;
      }
      if (j > i + 1) {
        if (it != args.end()) out += (it++)->text;
        i = j - 1;
        continue;
      }
    }
    out += fmt[i];
  }
  return Error{code, std::string(SqlStateFor(code)), std::move(out)};
}

Error MakeErrorMsg(uint16_t code, std::string message) {
  return Error{code, std::string(SqlStateFor(code)), std::move(message)};
}

}  // namespace reptut
