// MySQL server error codes, their SQLSTATE and message formats, as a MySQL
// 5.7 / MariaDB server sends them. MakeError(ER_X, args...) fills the
// printf-style format with the arguments (each a string or an integer).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reptut {

enum ErrorCode : uint16_t {
  ER_CANT_CREATE_TABLE = 1005,
  ER_CON_COUNT_ERROR = 1040,
  ER_HANDSHAKE_ERROR = 1043,
  ER_DBACCESS_DENIED_ERROR = 1044,
  ER_ACCESS_DENIED_ERROR = 1045,
  ER_NO_DB_ERROR = 1046,
  ER_UNKNOWN_COM_ERROR = 1047,
  ER_BAD_NULL_ERROR = 1048,
  ER_BAD_DB_ERROR = 1049,
  ER_TABLE_EXISTS_ERROR = 1050,
  ER_BAD_TABLE_ERROR = 1051,
  ER_NON_UNIQ_ERROR = 1052,
  ER_SERVER_SHUTDOWN = 1053,
  ER_BAD_FIELD_ERROR = 1054,
  ER_WRONG_FIELD_WITH_GROUP = 1055,
  ER_DUP_FIELDNAME = 1060,
  ER_DUP_KEYNAME = 1061,
  ER_DUP_ENTRY = 1062,
  ER_PARSE_ERROR = 1064,
  ER_EMPTY_QUERY = 1065,
  ER_NONUNIQ_TABLE = 1066,
  ER_INVALID_DEFAULT = 1067,
  ER_MULTIPLE_PRI_KEY = 1068,
  ER_WRONG_AUTO_KEY = 1075,
  ER_NORMAL_SHUTDOWN = 1077,
  ER_SHUTDOWN_COMPLETE = 1079,
  ER_CANT_DROP_FIELD_OR_KEY = 1091,
  ER_NO_SUCH_THREAD = 1094,
  ER_KILL_DENIED_ERROR = 1095,
  ER_NO_TABLES_USED = 1096,
  ER_TABLE_NOT_LOCKED_FOR_WRITE = 1099,
  ER_TABLE_NOT_LOCKED = 1100,
  ER_UNKNOWN_ERROR = 1105,
  ER_WRONG_VALUE_COUNT_ON_ROW = 1136,
  ER_NONEXISTING_GRANT = 1141,
  ER_TABLEACCESS_DENIED_ERROR = 1142,
  ER_COLUMNACCESS_DENIED_ERROR = 1143,
  ER_NO_SUCH_TABLE = 1146,
  ER_NOT_ALLOWED_COMMAND = 1148,
  ER_SYNTAX_ERROR = 1149,
  ER_NET_PACKET_TOO_LARGE = 1153,
  ER_NET_PACKETS_OUT_OF_ORDER = 1156,
  ER_NET_READ_ERROR = 1158,
  ER_NET_READ_INTERRUPTED = 1159,
  ER_NET_ERROR_ON_WRITE = 1160,
  ER_TOO_LONG_STRING = 1162,
  ER_NO_SUCH_INDEX = 1176,
  ER_FLUSH_MASTER_BINLOG_CLOSED = 1186,
  ER_LOCK_OR_ACTIVE_TRANSACTION = 1192,
  ER_MASTER_INFO = 1201,
  ER_SLAVE_MUST_STOP = 1198,
  ER_SLAVE_NOT_RUNNING = 1199,
  ER_BAD_SLAVE = 1200,
  ER_LOCK_WAIT_TIMEOUT = 1205,
  ER_READ_ONLY_TRANSACTION = 1207,
  ER_LOCK_DEADLOCK = 1213,
  ER_CANT_UPDATE_WITH_READLOCK = 1223,
  ER_SPECIFIC_ACCESS_DENIED_ERROR = 1227,
  ER_LOCAL_VARIABLE = 1228,
  ER_GLOBAL_VARIABLE = 1229,
  ER_NO_DEFAULT = 1230,
  ER_WRONG_VALUE_FOR_VAR = 1231,
  ER_WRONG_TYPE_FOR_VAR = 1232,
  ER_VAR_CANT_BE_READ = 1233,
  ER_NOT_SUPPORTED_YET = 1235,
  ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236,
  ER_WRONG_ARGUMENTS = 1210,
  ER_UNKNOWN_SYSTEM_VARIABLE = 1193,
  ER_CANNOT_USER = 1396,
  ER_PASSWORD_NO_MATCH = 1133,
  ER_PASSWORD_ANONYMOUS_USER = 1131,
  ER_UNKNOWN_TABLE = 1109,
  ER_DB_CREATE_EXISTS = 1007,
  ER_DB_DROP_EXISTS = 1008,
  ER_CANT_CREATE_DB = 1006,
  ER_QUERY_INTERRUPTED = 1317,
  ER_NOT_KEYFILE = 1034,        // a damaged data file, the table known
  ER_CONNECTION_KILLED = 1927,  // MariaDB: KILL of a connection running a statement
  ER_QUERY_TIMEOUT = 3024,      // MySQL 5.7: max_execution_time
  ER_STATEMENT_TIMEOUT = 1969,  // MariaDB: max_statement_time
  // Files (LOAD DATA, SELECT ... INTO OUTFILE).
  EE_FILENOTFOUND = 29,
  ER_FILE_EXISTS_ERROR = 1086,
  ER_WARN_TOO_FEW_RECORDS = 1261,
  ER_WARN_TOO_MANY_RECORDS = 1262,
  ER_WARN_NULL_TO_NOTNULL = 1263,
  ER_WRONG_FIELD_TERMINATORS = 1083,
  ER_LOAD_FROM_FIXED_SIZE_ROWS_TO_VAR = 1409,
  ER_SP_DOES_NOT_EXIST = 1305,
  ER_TRUNCATED_WRONG_VALUE = 1292,
  ER_WARN_DATA_OUT_OF_RANGE = 1264,
  ER_DATA_TOO_LONG = 1406,
  WARN_DATA_TRUNCATED = 1265,
  ER_TRUNCATED_WRONG_VALUE_FOR_FIELD = 1366,
  ER_OPTION_PREVENTS_STATEMENT = 1290,
  ER_ERROR_WHEN_EXECUTING_COMMAND = 1220,
  ER_BINLOG_PURGE_PROHIBITED = 1375,
  ER_LOG_PURGE_UNKNOWN_ERR = 1377,
  ER_LOG_IN_USE = 1378,
  ER_UNKNOWN_TARGET_BINLOG = 1373,
  ER_IO_ERR_LOG_INDEX_READ = 1374,
  ER_WRONG_STRING_LENGTH = 1470,
  ER_UNKNOWN_STMT_HANDLER = 1243,
  ER_PS_MANY_PARAM = 1390,
  ER_MALFORMED_PACKET = 1835,
  // Replication (the replica's statements and threads).
  ER_SLAVE_WAS_RUNNING = 1254,
  ER_SLAVE_WAS_NOT_RUNNING = 1255,
  ER_MISSING_SKIP_SLAVE = 1278,
  ER_UNTIL_COND_IGNORED = 1279,
  ER_SLAVE_INCIDENT = 1590,
  ER_SLAVE_FATAL_ERROR = 1593,
  ER_SLAVE_RELAY_LOG_READ_FAILURE = 1594,
  ER_SLAVE_RELAY_LOG_WRITE_FAILURE = 1595,
  ER_INSECURE_PLAIN_TEXT = 1759,
  ER_INSECURE_CHANGE_MASTER = 1760,
};

// SQLSTATE for a code ("HY000" for the generic ones).
std::string_view SqlStateFor(uint16_t code);

// Message format (printf-style, %s and %d/%lu only) for a code.
std::string_view MessageFormatFor(uint16_t code);

// One argument of MakeError: a string or an integer rendered as decimal.
struct ErrorArg {
  ErrorArg(std::string_view s) : text(s) {}                    // NOLINT
  ErrorArg(const char* s) : text(s) {}                         // NOLINT
  ErrorArg(const std::string& s) : text(s) {}                  // NOLINT
  ErrorArg(long long v) : text(std::to_string(v)) {}           // NOLINT
  ErrorArg(unsigned long long v) : text(std::to_string(v)) {}  // NOLINT
  ErrorArg(int v) : text(std::to_string(v)) {}                 // NOLINT
  ErrorArg(unsigned v) : text(std::to_string(v)) {}            // NOLINT
  ErrorArg(long v) : text(std::to_string(v)) {}                // NOLINT
  ErrorArg(unsigned long v) : text(std::to_string(v)) {}       // NOLINT
  std::string text;
};

Error MakeError(uint16_t code, std::initializer_list<ErrorArg> args = {});

// An error with a message written here rather than MySQL's template.
Error MakeErrorMsg(uint16_t code, std::string message);

}  // namespace reptut
