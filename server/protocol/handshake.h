// The connection phase: the server's HandshakeV10, the client's
// HandshakeResponse41 and the AuthSwitchRequest the server sends when the
// client answered for another authentication plugin.
//
//   server: HandshakeV10 (seq 0)
//   client: HandshakeResponse41 (seq 1)
//   [server: AuthSwitchRequest (seq 2); client: auth data (seq 3)]
//   server: OK or ERR
//
// Both directions are here (the replica's I/O thread is a client).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/mysql_types.h"
#include "common/status.h"

namespace reptut::protocol {

inline constexpr const char* kNativePasswordPlugin = "mysql_native_password";
inline constexpr size_t kScrambleLength = 20;

// What reptutd announces. Not CLIENT_SSL (no TLS), not CLIENT_DEPRECATE_EOF
// (result sets end with EOF packets), not CLIENT_SESSION_TRACK (OK packets
// carry no state changes), not CLIENT_COMPRESS, not
// CLIENT_PS_MULTI_RESULTS (a prepared statement answers one result set). CLIENT_FOUND_ROWS
// is offered: the engine reads it from LoginRequest::client_capabilities.
// CLIENT_LOCAL_FILES: LOAD DATA LOCAL INFILE (exec_load.cc).
inline constexpr uint32_t kServerCapabilities =
    mysql::kClientLongPassword | mysql::kClientFoundRows | mysql::kClientLongFlag |
    mysql::kClientConnectWithDb | mysql::kClientNoSchema | mysql::kClientOdbc |
    mysql::kClientLocalFiles | mysql::kClientIgnoreSpace | mysql::kClientProtocol41 |
    mysql::kClientInteractive | mysql::kClientIgnoreSigpipe | mysql::kClientTransactions |
    mysql::kClientReserved | mysql::kClientSecureConnection | mysql::kClientMultiStatements |
    mysql::kClientMultiResults | mysql::kClientPluginAuth | mysql::kClientConnectAttrs |
    mysql::kClientPluginAuthLenencClientData | mysql::kClientCanHandleExpiredPasswords;

struct HandshakeV10 {
  std::string server_version = mysql::kServerVersion;
  uint32_t connection_id = 0;
  std::string scramble;  // kScrambleLength bytes, no NUL among them
  uint32_t capabilities = kServerCapabilities;
  uint8_t charset = mysql::kLatin1SwedishCi;  // the server's default collation
  uint16_t status_flags = mysql::kStatusAutocommit;
  std::string auth_plugin = kNativePasswordPlugin;
};

std::string EncodeHandshakeV10(const HandshakeV10& h);
// Errors: 1043 (bad handshake) for anything that does not parse, or the
// ERR packet's error when the server answered with one.
Result<HandshakeV10> DecodeHandshakeV10(std::string_view payload);

struct HandshakeResponse {
  uint32_t capabilities = 0;  // the client's flags
  uint32_t max_packet = 0;
  uint8_t charset = 0;
  std::string user;
  std::string auth_response;  // raw bytes (20 for mysql_native_password)
  std::string database;       // with CLIENT_CONNECT_WITH_DB, may be empty
  std::string auth_plugin;    // with CLIENT_PLUGIN_AUTH; empty when none was sent
  std::vector<std::pair<std::string, std::string>> attrs;  // CLIENT_CONNECT_ATTRS
};

// HandshakeResponse41. A client without CLIENT_PROTOCOL_41 (4.0 protocol),
// an SSL request (reptutd does not offer SSL) and every malformed or
// truncated payload give ER_HANDSHAKE_ERROR (1043, "Bad handshake").
Result<HandshakeResponse> DecodeHandshakeResponse(std::string_view payload);
std::string EncodeHandshakeResponse(const HandshakeResponse& r);

// 0xFE, plugin name NUL, plugin data (for mysql_native_password the
// 20-byte scramble and a NUL, as mysqld sends it).
std::string EncodeAuthSwitchRequest(std::string_view plugin, std::string_view data);

struct AuthSwitchRequest {
  std::string plugin;
  std::string data;  // without the trailing NUL
};
Result<AuthSwitchRequest> DecodeAuthSwitchRequest(std::string_view payload);

}  // namespace reptut::protocol
