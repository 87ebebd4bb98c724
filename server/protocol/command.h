// The commands a client sends after login: the first payload byte is the
// command (mysql::Command), the rest its arguments.
//
//   COM_QUIT, COM_PING, COM_STATISTICS   no arguments (extra bytes ignored)
//   COM_QUERY                            the statement text (string<EOF>);
//                                        trailing NUL bytes are dropped, as
//                                        mysqld does (mariadb-slap sends one)
//   COM_REFRESH                          1-byte REFRESH_* options
//   COM_DEBUG, COM_PROCESS_INFO,
//   COM_RESET_CONNECTION                 no arguments
//   COM_CHANGE_USER                      kept raw: its layout depends on the
//                                        capabilities (DecodeChangeUser)
//   COM_INIT_DB                          the database name (string<EOF>)
//   COM_FIELD_LIST                       table NUL, wildcard (string<EOF>)
//   COM_PROCESS_KILL                     4-byte connection id
//   COM_SHUTDOWN                         optional 1-byte shutdown level
//   COM_SET_OPTION                       2-byte option
//   COM_REGISTER_SLAVE                   4 server id, 1+host, 1+user,
//                                        1+password, 2 port, 4 rank,
//                                        4 master id
//   COM_BINLOG_DUMP                      4 position, 2 flags, 4 server id,
//                                        file name (string<EOF>)
//   COM_STMT_PREPARE                     the statement text
//   COM_STMT_EXECUTE                     4 statement id, the rest kept raw
//   COM_STMT_CLOSE, COM_STMT_RESET       4 statement id
//   COM_STMT_SEND_LONG_DATA              4 statement id, 2 parameter, data
//
// DecodeCommand errors: an empty payload or a command reptutd does not
// know gives ER_UNKNOWN_COM_ERROR (1047), after which mysqld goes on with
// the next command; a known command with missing bytes gives
// ER_MALFORMED_PACKET (1835).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/mysql_types.h"
#include "common/status.h"

namespace reptut::protocol {

struct ComQuit {};
struct ComPing {};
struct ComStatistics {};
struct ComQuery {
  std::string query;
};
struct ComInitDb {
  std::string database;
};
struct ComFieldList {
  std::string table;
  std::string wildcard;
};
struct ComProcessKill {
  uint32_t connection_id = 0;
};
struct ComShutdown {
  uint8_t level = 0;  // SHUTDOWN_DEFAULT
};
struct ComSetOption {
  uint16_t option = 0;  // 0 MYSQL_OPTION_MULTI_STATEMENTS_ON, 1 ..._OFF
};
struct ComRegisterSlave {
  uint32_t server_id = 0;
  std::string host;
  std::string user;
  std::string password;
  uint16_t port = 0;
  uint32_t replication_rank = 0;
  uint32_t master_id = 0;
};
struct ComBinlogDump {
  uint32_t position = 0;
  uint16_t flags = 0;  // 1 = BINLOG_DUMP_NON_BLOCK
  uint32_t server_id = 0;
  std::string file;
};

struct ComRefresh {
  uint8_t options = 0;  // REFRESH_GRANT 1, _LOG 2, _TABLES 4, _HOSTS 8, _STATUS 16, ...
};
struct ComDebug {};
struct ComProcessInfo {};
struct ComResetConnection {};
struct ComChangeUser {
  std::string args;  // the payload after the command byte
};

// COM_CHANGE_USER's arguments: user NUL; the auth response (1-byte length
// and bytes with CLIENT_SECURE_CONNECTION, else NUL-terminated); database
// NUL; then, when present, 2-byte character set, the auth plugin name NUL
// (CLIENT_PLUGIN_AUTH) and connection attributes (ignored).
struct ChangeUserRequest {
  std::string user;
  std::string auth_response;
  std::string database;
  uint16_t charset = 0;
  std::string auth_plugin;  // empty: not sent
};
Result<ChangeUserRequest> DecodeChangeUser(std::string_view args, uint32_t capabilities);
std::string EncodeChangeUser(const ChangeUserRequest& request, uint32_t capabilities);

// Prepared statements (see prepared.h).
struct ComStmtPrepare {
  std::string query;
};
struct ComStmtExecute {
  uint32_t statement_id = 0;
  std::string payload;  // the whole payload: its parameters decode against the statement
};
struct ComStmtClose {
  uint32_t statement_id = 0;
};
struct ComStmtReset {
  uint32_t statement_id = 0;
};
struct ComStmtSendLongData {
  uint32_t statement_id = 0;
  uint16_t param = 0;
  std::string data;
};

using Command =
    std::variant<ComQuit, ComPing, ComStatistics, ComQuery, ComInitDb, ComFieldList, ComProcessKill,
                 ComShutdown, ComSetOption, ComRegisterSlave, ComBinlogDump, ComStmtPrepare,
                 ComStmtExecute, ComStmtClose, ComStmtReset, ComStmtSendLongData, ComRefresh,
                 ComDebug, ComProcessInfo, ComResetConnection, ComChangeUser>;

Result<Command> DecodeCommand(std::string_view payload);

// The command byte of a decoded command.
mysql::Command CommandByte(const Command& command);

// The payload that sends this command (for tests and client code).
std::string EncodeCommand(const Command& command);

// The name mysqld shows for a command in the process list ("Query",
// "Init DB", "Field List", "Binlog Dump", ...).
std::string_view CommandName(uint8_t command);

// True for the error DecodeCommand gives for an unknown command: answer it
// and go on; any other decode error ends the connection.
inline bool IsUnknownCommandError(const Error& e) {
  return e.code == 1047;
}

}  // namespace reptut::protocol
