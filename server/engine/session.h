// A client session: the state one connection carries (current database,
// user, variables, transaction) and the statements it runs. The network
// layer calls these methods for the commands of the protocol; the replica's
// SQL thread calls Query() directly, with a sink of its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/response.h"

namespace reptut::engine {

class Server;
class SessionState;  // private to the engine

// What the network layer learned during the handshake.
struct LoginRequest {
  std::string user;
  std::string client_host;   // "localhost" for a Unix socket, else the peer IP
  uint16_t client_port = 0;  // the peer's TCP port (0 over a Unix socket)
  bool over_socket = false;
  std::string scramble;       // the 20 bytes the server sent
  std::string auth_response;  // what the client answered (mysql_native_password)
  std::string database;       // CLIENT_CONNECT_WITH_DB, may be empty
  uint32_t client_capabilities = 0;
};

class Session {
 public:
  // Created by Server::NewSession().
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  uint32_t id() const;  // CONNECTION_ID()

  // Checks the account and password; on success the session is logged in.
  // Errors: 1045 access denied, 1044/1049 for the database.
  Status Login(const LoginRequest& request);

  // COM_QUERY: one or more statements (several only if multi-statements
  // are enabled). Each statement's answer goes to the sink, with
  // kStatusMoreResultsExist set on all but the last.
  void Query(std::string_view sql, ResponseSink& sink);

  // COM_STMT_PREPARE (exec_prepare.cc), in two steps, neither of which runs
  // anything. SingleStatement(): the one statement of `text` (trimmed, no
  // ';'), or 1064 near the second statement when there are several, as
  // MySQL refuses them at prepare. Describe(): parses `sql` (the statement
  // with literals in place of its '?') and gives the columns of its result
  // set, from the statement itself (a SELECT is prepared by SQLite but not
  // stepped); no columns for statements without a result set. Parse
  // errors, unknown tables and missing privileges are its errors.
  Result<std::string> SingleStatement(std::string_view text);
  Result<std::vector<ColumnInfo>> Describe(std::string_view sql);

  // COM_INIT_DB.
  void InitDb(std::string_view db, ResponseSink& sink);
  // COM_FIELD_LIST: columns of a table (the sink gets SendColumns + SendEof).
  void FieldList(std::string_view table, std::string_view wildcard, ResponseSink& sink);
  // COM_STATISTICS: the one-line status text.
  std::string Statistics();
  // COM_PROCESS_KILL.
  void Kill(uint32_t thread_id, ResponseSink& sink);
  // COM_SHUTDOWN (needs SHUTDOWN privilege); on success the server stops.
  void Shutdown(ResponseSink& sink);
  // COM_SET_OPTION: 0 = multi statements on, 1 = off.
  void SetMultiStatements(bool on);
  // COM_RESET_CONNECTION: the open transaction is rolled back, LOCK TABLES,
  // GET_LOCK() locks and a global read lock released, user variables
  // forgotten, session variables back to the global values, LAST_INSERT_ID()
  // 0. The network layer drops the prepared statements and answers OK.
  void ResetConnection();
  // COM_CHANGE_USER: resets the session (as ResetConnection) and logs in
  // again as request.user, checking the password against the scramble of
  // the first handshake. Errors as Login's (1045: the connection ends).
  Status ChangeUser(const LoginRequest& request);
  // COM_REFRESH: `options` holds REFRESH_* bits (1 GRANT, 2 LOG, 4 TABLES,
  // 8 HOSTS, 16 STATUS); each is done as its FLUSH statement (RELOAD
  // needed). Other bits (64 SLAVE, 128 MASTER, MariaDB's) are ignored. One
  // OK or ERR.
  void Refresh(uint32_t options, ResponseSink& sink);
  // COM_DEBUG: SUPER needed (1227); the answer is OK.
  void Debug(ResponseSink& sink);

  // SHOW STATUS counters that the network layer sees: a command other than
  // COM_QUERY (Com_stmt_*, Com_admin_commands), the bytes of a command and
  // its answer, a connection that ended without COM_QUIT (Aborted_clients)
  // and a handshake or login that failed (Aborted_connects).
  void CountCommand(uint8_t command);
  void CountTraffic(uint64_t received, uint64_t sent);
  void CountAbortedClient();
  void CountAbortedConnect();
  // COM_PING etc. need nothing from the engine.

  // The process-list "Command" column the network layer keeps current
  // ("Sleep", "Query", "Binlog Dump", ...).
  void SetCommand(std::string_view command);

  // Called by the engine (KILL from another session, shutdown) to break
  // this session's connection: the network layer registers a function that
  // shuts its socket down.
  void SetInterruptHandler(std::function<void()> handler);
  // The same for KILL QUERY, for a server thread that stops on it.
  void SetQueryInterruptHandler(std::function<void()> handler);
  // Tells whether the client has hung up: a running statement then stops
  // (interrupts.h). Called on whichever thread runs the statement.
  void SetClientGoneCheck(std::function<bool()> gone);

  // True once the session has been killed (the network layer ends it).
  bool killed() const;
  // Its flag, for waits that end when the session is killed.
  const std::atomic<bool>& killed_flag() const;

  // --- For the replication threads -------------------------------------
  // The account's global privileges include one of `privileges`
  // (sql::kPriv* bits), e.g. REPLICATION SLAVE for a binlog dump.
  bool HasGlobalPrivilege(uint64_t privileges) const;
  // A user variable's value as text; nullopt when unset (or NULL). A
  // replica says what it understands this way (@master_binlog_checksum,
  // @master_heartbeat_period, @mariadb_slave_capability).
  std::optional<std::string> UserVariable(std::string_view name) const;
  // The process-list "State" column ("" clears it).
  void SetState(std::string_view state);
  // The process-list "User" and "Host" of a server thread (the replica's
  // "system user") that never logs in.
  void SetSystemUser(std::string_view user, std::string_view host);
  // Whether SHOW PROCESSLIST lists the session (a replica thread's session
  // is listed only while the thread runs).
  void SetListed(bool listed);
  const std::string& user() const;
  const std::string& host() const;

 private:
  friend class Server;
  friend class Applier;
  friend Result<struct SavedReplicaState> ReadReplicaState(Server& server);
  explicit Session(std::unique_ptr<SessionState> state);
  std::unique_ptr<SessionState> state_;
};

}  // namespace reptut::engine
