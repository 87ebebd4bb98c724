// A client connection, from accept() to close().
//
// Each accepted socket gets a thread (NetServer::Spawn) that builds a
// Connection and calls Run(). The connection moves through these states;
// the function named makes each transition:
//
//   ACCEPTED        Greet(): more than max_connections + 1 client
//                   connections (this one included), or NewSession()
//                   fails: an ERR without SQLSTATE (1040 Too many
//                   connections) goes out in place of the handshake
//                                                            -> CLOSED
//                   else the session's interrupt handler is set to shut the
//                   socket down                              -> GREETING
//   GREETING        Authenticate(): HandshakeV10 with a new scramble, seq 0
//                                                            -> AWAIT_RESPONSE
//   AWAIT_RESPONSE  Authenticate(): read HandshakeResponse41 (seq 1). The
//                   whole handshake, greeting to OK/ERR, must be done within
//                   @@global.connect_timeout seconds (a deadline, however
//                   slowly the bytes come): else "Got timeout reading
//                   communication packets", closed without an answer.
//                   Before the login a packet may carry 64 KiB at most;
//                   larger (read and thrown away) or unparsable: ERR 1043
//                   Bad handshake. Either counts in Aborted_connects
//                                                            -> CLOSED
//                   (Writes time out after net_write_timeout, 60 s.)
//                   The client answered for another plugin (or none) and
//                   knows CLIENT_PLUGIN_AUTH                 -> AUTH_SWITCH
//                   else                                     -> LOGIN
//   AUTH_SWITCH     Authenticate(): AuthSwitchRequest for
//                   mysql_native_password with the same scramble; read
//                   the client's token                       -> LOGIN
//   LOGIN           Authenticate(): Session::Login(). Error: its ERR
//                                                            -> CLOSED
//                   More than max_connections client connections and
//                   the account lacks SUPER (the one extra connection is
//                   SUPER's, as in MySQL): ERR 1040           -> CLOSED
//                   OK (autocommit status); from here a packet may carry
//                   @@global.max_allowed_packet (as it was at connect)
//                                                            -> IDLE
//   IDLE            CommandLoop(): sequence id 0, read a command payload,
//                   waiting up to wait_timeout (8 hours).
//                   Peer gone / read error / timeout: "Aborted connection"
//                                                            -> CLOSED
//                   Too large (1153) or out of order (1156): ERR -> CLOSED
//                   A payload                                -> BUSY
//   BUSY            Dispatch(): decode and run the command, the engine
//                   writing through a WireSink; Session::SetCommand() names
//                   it for the process list and "Sleep" after.
//                   Unknown command: ERR 1047               -> IDLE
//                   Malformed known command: ERR 1835       -> CLOSED
//                   COM_QUIT                                 -> CLOSED
//                   COM_BINLOG_DUMP / COM_REGISTER_SLAVE go to
//                   HandleReplicationCommand()               -> IDLE | CLOSED
//                   COM_CHANGE_USER: ChangeUser() logs in again (the
//                   same scramble; an AuthSwitchRequest when the client
//                   used another plugin); wrong password: ERR 1045
//                                                            -> CLOSED
//                   COM_RESET_CONNECTION: the session is reset and the
//                   prepared statements dropped; OK          -> IDLE
//                   COM_STMT_*: DispatchStatementCommand() keeps the
//                   prepared texts and runs them with the parameters
//                   substituted, rows in the binary protocol -> IDLE
//                   Flush fails or the session was killed    -> CLOSED
//                   else                                     -> IDLE
//   CLOSED          Run(): the session is destroyed, the socket closed.
//
// Another thread ends a connection only through the socket: KILL and
// shutdown call the session's interrupt handler, NetServer::Stop() calls
// SocketHandle::Shutdown(); either makes the blocked read or write fail,
// and the connection thread takes the path to CLOSED itself.
#include "net/connection.h"

#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <variant>

#include "common/errors.h"
#include "common/log.h"
#include "net/listener.h"
#include "net/replication_commands.h"
#include "net/wire_sink.h"
#include "protocol/handshake.h"
#include "protocol/native_password.h"
#include "protocol/prepared.h"
#include "protocol/responses.h"
#include "sql/statement.h"

namespace reptut::net {
namespace {

// mysqld's defaults: connect_timeout, wait_timeout, net_write_timeout.
constexpr int kConnectTimeoutSeconds = 10;
// The largest packet a client may send before it is logged in (the
// handshake response, the auth switch answer): a login needs far less.
constexpr size_t kMaxHandshakePayload = 64 * 1024;
constexpr int kWaitTimeoutSeconds = 28800;
constexpr int kNetWriteTimeoutSeconds = 60;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

uint8_t HandshakeCollation(const std::string& cs) {
  if (cs == "utf8" || cs == "utf8mb3") return mysql::kUtf8GeneralCi;
  if (cs == "utf8mb4") return mysql::kUtf8mb4GeneralCi;
  if (cs == "binary") return mysql::kBinary;
  if (cs == "ascii") return mysql::kAsciiGeneralCi;
  return mysql::kLatin1SwedishCi;
}

Connection::Connection(engine::Server& server, const config::ServerOptions& options,
                       std::shared_ptr<SocketHandle> socket, bool over_unix_socket,
                       const std::atomic<bool>* stopping, const std::atomic<size_t>* clients)
    : server_(server),
      options_(options),
      socket_(std::move(socket)),
      over_unix_socket_(over_unix_socket),
      stopping_(stopping),
      clients_(clients),
      status_flags_(mysql::kStatusAutocommit),
      channel_(socket_->fd(), kMaxHandshakePayload) {}

uint64_t Connection::GlobalNumber(const std::string& name, uint64_t fallback) const {
  std::optional<std::string> v = server_.GlobalVariable(name);
  if (!v || v->empty()) return fallback;
  char* end = nullptr;
  unsigned long long n = std::strtoull(v->c_str(), &end, 10);
  return end && *end == '\0' ? n : fallback;
}

uint16_t Connection::FreshStatusFlags() const {
  // A new (or reset) session starts with @@global.autocommit.
  return GlobalNumber("autocommit", 1) != 0 ? mysql::kStatusAutocommit : 0;
}

void Connection::Run() {
  try {
    host_ = over_unix_socket_ ? "localhost" : PeerHost(socket_->fd());
    port_ = over_unix_socket_ ? 0 : PeerPort(socket_->fd());
    if (Greet() && Authenticate()) CommandLoop();
  } catch (const std::exception& e) {
    log::Write(log::Level::kError, std::string("Connection thread failed: ") + e.what(), id_);
  } catch (...) {
    log::Write(log::Level::kError, "Connection thread failed", id_);
  }
  session_.reset();
  socket_->Close();
}

Result<std::string> Connection::SwitchToNativePassword(const std::string& scramble) {
  channel_.Write(protocol::EncodeAuthSwitchRequest(protocol::kNativePasswordPlugin, scramble));
  if (!channel_.Flush()) return MakeError(ER_NET_ERROR_ON_WRITE);
  return channel_.Read();
}

engine::LoginRequest Connection::LoginFor(const std::string& user, const std::string& database,
                                          const std::string& scramble, const std::string& token,
                                          uint32_t capabilities) const {
  engine::LoginRequest login;
  login.user = user;
  login.client_host = host_;
  login.client_port = port_;
  login.over_socket = over_unix_socket_;
  login.scramble = scramble;
  login.auth_response = token;
  login.database = database;
  login.client_capabilities = capabilities;
  return login;
}

void Connection::SendError(const Error& error) {
  channel_.Write(protocol::EncodeErr(error));
  channel_.Flush();
}

void Connection::LogAborted(const std::string& why) const {
  if (stopping_ && stopping_->load()) return;  // cut by the server's shutdown
  std::string text = "Aborted connection " + std::to_string(id_) + " to db: '" +
                     (database_.empty() ? "unconnected" : database_) + "' user: '" +
                     (logged_in_ ? user_ : "unauthenticated") + "' host: '" + host_ + "' (" + why +
                     ")";
  log::Write(log::Level::kWarning, text, id_);
}

bool Connection::FailHandshake(const Error& error) {
  session_->CountAbortedConnect();
  if (error.code == ER_NET_PACKET_TOO_LARGE) {
    SendError(MakeError(ER_HANDSHAKE_ERROR));
  } else if (error.code != ER_NET_READ_ERROR && error.code != ER_NET_READ_INTERRUPTED &&
             error.code != ER_NET_ERROR_ON_WRITE) {
    SendError(error);  // the client still reads
  }
  LogAborted(error.code == ER_NET_READ_ERROR && channel_.peer_closed()
                 ? "Got an error reading communication packets"
                 : error.message);
  return false;
}

bool Connection::Greet() {
  max_allowed_packet_ = static_cast<size_t>(
      GlobalNumber("max_allowed_packet", static_cast<uint64_t>(options_.max_allowed_packet)));
  max_connections_ = GlobalNumber("max_connections", options_.max_connections);
  // As mysqld: max_connections + 1 may connect; the last is SUPER's
  // (checked at the login).
  Result<std::unique_ptr<engine::Session>> session = MakeError(ER_CON_COUNT_ERROR);
  if (!clients_ || clients_->load() <= max_connections_ + 1) session = server_.NewSession();
  if (!session.ok()) {
    // Before the handshake the client cannot read a SQLSTATE.
    channel_.ResetSequence();
    channel_.Write(protocol::EncodeErr(session.error(), /*with_sqlstate=*/false));
    channel_.Flush();
    return false;
  }
  session_ = std::move(session).value();
  id_ = session_->id();
  std::shared_ptr<SocketHandle> socket = socket_;
  session_->SetInterruptHandler([socket] { socket->Shutdown(); });
  // A running statement stops when the client has hung up (or the server
  // shut the socket for its shutdown): only this thread closes the fd.
  session_->SetClientGoneCheck([socket] {
    pollfd p{socket->fd(), POLLRDHUP, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  });
  return true;
}

bool Connection::Authenticate() {
  // connect_timeout bounds the whole handshake, not each read of it: a
  // client that sends a byte a second must not keep its slot.
  uint64_t connect_timeout = GlobalNumber("connect_timeout", kConnectTimeoutSeconds);
  if (connect_timeout == 0 || connect_timeout > 31536000) connect_timeout = kConnectTimeoutSeconds;
  channel_.SetMaxPayload(kMaxHandshakePayload);
  channel_.SetReadTimeout(static_cast<int>(connect_timeout));
  channel_.SetReadDeadline(std::chrono::steady_clock::now() +
                           std::chrono::seconds(connect_timeout));
  channel_.SetWriteTimeout(kNetWriteTimeoutSeconds);
  scramble_ = protocol::GenerateScramble();
  const std::string& scramble = scramble_;
  protocol::HandshakeV10 hello;
  hello.connection_id = id_;
  hello.scramble = scramble;
  hello.charset = HandshakeCollation(options_.character_set_server);
  hello.status_flags = status_flags_ = FreshStatusFlags();
  channel_.ResetSequence();
  channel_.Write(protocol::EncodeHandshakeV10(hello));
  if (!channel_.Flush()) return false;

  auto payload = channel_.Read();
  if (!payload.ok()) return FailHandshake(payload.error());
  auto response = protocol::DecodeHandshakeResponse(payload.value());
  if (!response.ok()) return FailHandshake(response.error());
  user_ = response->user;
  capabilities_ = response->capabilities;

  std::string token = response->auth_response;
  bool client_plugin_auth = response->capabilities & mysql::kClientPluginAuth;
  if (client_plugin_auth && response->auth_plugin != protocol::kNativePasswordPlugin) {
    // caching_sha2_password, client_ed25519, none at all: ask for ours.
    Result<std::string> answer = SwitchToNativePassword(scramble);
    if (!answer.ok()) return FailHandshake(answer.error());
    token = std::move(answer).value();
  }

  engine::LoginRequest login =
      LoginFor(response->user, response->database, scramble, token, response->capabilities);
  Status st = session_->Login(login);
  if (!st.ok()) {
    session_->CountAbortedConnect();
    SendError(st.error());
    return false;
  }
  if (clients_ && clients_->load() > max_connections_ &&
      !session_->HasGlobalPrivilege(sql::kPrivSuper)) {
    session_->CountAbortedConnect();
    SendError(MakeError(ER_CON_COUNT_ERROR));
    return false;
  }
  logged_in_ = true;
  database_ = response->database;
  channel_.SetReadDeadline(std::nullopt);
  channel_.SetMaxPayload(max_allowed_packet_);
  channel_.SetReadTimeout(kWaitTimeoutSeconds);
  status_flags_ = FreshStatusFlags();
  protocol::OkPacket ok;
  ok.status_flags = status_flags_;
  channel_.Write(protocol::EncodeOk(ok));
  bool sent = channel_.Flush();
  ReportTraffic();
  return sent;
}

void Connection::ReportTraffic() {
  session_->CountTraffic(channel_.bytes_read() - reported_read_,
                         channel_.bytes_written() - reported_written_);
  reported_read_ = channel_.bytes_read();
  reported_written_ = channel_.bytes_written();
}

void Connection::CommandLoop() {
  while (true) {
    channel_.ResetSequence();
    auto payload = channel_.Read();
    if (!payload.ok()) {
      const Error& e = payload.error();
      if (session_->killed()) return;
      if (e.code == ER_NET_PACKET_TOO_LARGE || e.code == ER_NET_PACKETS_OUT_OF_ORDER) SendError(e);
      if (!(stopping_ && stopping_->load())) session_->CountAbortedClient();
      LogAborted(e.message);
      return;
    }
    bool keep = Dispatch(payload.value());
    bool sent = channel_.Flush();
    ReportTraffic();
    if (!sent) {
      if (!session_->killed()) {
        session_->CountAbortedClient();
        LogAborted(MakeError(ER_NET_ERROR_ON_WRITE).message);
      }
      return;
    }
    if (!keep || session_->killed()) return;
  }
}

bool Connection::Dispatch(const std::string& payload) {
  auto command = protocol::DecodeCommand(payload);
  if (!command.ok()) {
    channel_.Write(protocol::EncodeErr(command.error()));
    // An unknown command is answered and forgotten; a malformed one ends
    // the connection.
    return protocol::IsUnknownCommandError(command.error());
  }
  uint8_t byte = protocol::CommandByte(command.value());
  session_->SetCommand(protocol::CommandName(byte));
  session_->CountCommand(byte);
  bool keep = DispatchCommand(command.value());
  session_->SetCommand("Sleep");
  return keep;
}

bool Connection::DispatchCommand(const protocol::Command& command) {
  WireSink sink(channel_, &status_flags_);
  auto require_answer = [&] {
    if (!sink.responded() && !session_->killed()) {
      sink.SendError(MakeErrorMsg(ER_UNKNOWN_ERROR, "The engine sent no answer"));
    }
  };
  return std::visit(
      Overloaded{
          [&](const protocol::ComQuit&) { return false; },
          [&](const protocol::ComPing&) {
            protocol::OkPacket ok;
            ok.status_flags = status_flags_;
            channel_.Write(protocol::EncodeOk(ok));
            return true;
          },
          [&](const protocol::ComStatistics&) {
            channel_.Write(session_->Statistics());
            return true;
          },
          [&](const protocol::ComQuery& c) {
            session_->Query(c.query, sink);
            require_answer();
            return true;
          },
          [&](const protocol::ComInitDb& c) {
            session_->InitDb(c.database, sink);
            require_answer();
            return true;
          },
          [&](const protocol::ComFieldList& c) {
            WireSink list_sink(channel_, &status_flags_, WireSink::Mode::kFieldList);
            session_->FieldList(c.table, c.wildcard, list_sink);
            if (!list_sink.responded() && !session_->killed()) {
              list_sink.SendError(MakeErrorMsg(ER_UNKNOWN_ERROR, "The engine sent no answer"));
            }
            return true;
          },
          [&](const protocol::ComProcessKill& c) {
            session_->Kill(c.connection_id, sink);
            require_answer();
            return true;
          },
          [&](const protocol::ComShutdown&) {
            session_->Shutdown(sink);
            require_answer();
            return true;
          },
          [&](const protocol::ComSetOption& c) {
            if (c.option > 1) {
              channel_.Write(protocol::EncodeErr(MakeError(ER_UNKNOWN_COM_ERROR)));
              return true;
            }
            session_->SetMultiStatements(c.option == 0);
            channel_.Write(protocol::EncodeEof(0, status_flags_));
            return true;
          },
          [&](const protocol::ComRegisterSlave&) {
            return HandleReplicationCommand(server_, *session_, channel_, command,
                                            &status_flags_) == ReplicationOutcome::kContinue;
          },
          [&](const protocol::ComBinlogDump&) {
            return HandleReplicationCommand(server_, *session_, channel_, command,
                                            &status_flags_) == ReplicationOutcome::kContinue;
          },
          [&](const protocol::ComRefresh& c) {
            session_->Refresh(c.options, sink);
            require_answer();
            return true;
          },
          [&](const protocol::ComDebug&) {
            session_->Debug(sink);
            require_answer();
            return true;
          },
          [&](const protocol::ComProcessInfo&) {
            session_->Query("SHOW PROCESSLIST", sink);
            require_answer();
            return true;
          },
          [&](const protocol::ComResetConnection&) {
            session_->ResetConnection();
            statements_.clear();
            status_flags_ = FreshStatusFlags();
            protocol::OkPacket ok;
            ok.status_flags = status_flags_;
            channel_.Write(protocol::EncodeOk(ok));
            return true;
          },
          [&](const protocol::ComChangeUser& c) { return ChangeUser(c); },
          [&](const auto&) { return DispatchStatementCommand(command); },
      },
      command);
}

bool Connection::ChangeUser(const protocol::ComChangeUser& command) {
  auto request = protocol::DecodeChangeUser(command.args, capabilities_);
  if (!request.ok()) {
    channel_.Write(protocol::EncodeErr(request.error()));
    return false;
  }
  std::string token = request->auth_response;
  if ((capabilities_ & mysql::kClientPluginAuth) && !request->auth_plugin.empty() &&
      request->auth_plugin != protocol::kNativePasswordPlugin) {
    Result<std::string> answer = SwitchToNativePassword(scramble_);
    if (!answer.ok()) {
      LogAborted(answer.error().message);
      return false;
    }
    token = std::move(answer).value();
  }
  engine::LoginRequest login =
      LoginFor(request->user, request->database, scramble_, token, capabilities_);
  statements_.clear();
  status_flags_ = FreshStatusFlags();
  user_ = request->user;
  Status st = session_->ChangeUser(login);
  if (!st.ok()) {
    // mysqld ends the connection after a failed COM_CHANGE_USER.
    logged_in_ = false;
    database_.clear();
    channel_.Write(protocol::EncodeErr(st.error()));
    return false;
  }
  database_ = request->database;
  protocol::OkPacket ok;
  ok.status_flags = status_flags_;
  channel_.Write(protocol::EncodeOk(ok));
  return true;
}

// mysqld knows a statement's result columns when it prepares it, and
// clients (sysbench) decide from that count whether to read a result set.
// The engine describes the statement with NULL (or, failing that, 0) in
// place of each parameter, without running it.
Result<std::vector<engine::ColumnInfo>> Connection::DescribeColumns(const PreparedStatement& st) {
  Result<std::vector<engine::ColumnInfo>> first = std::vector<engine::ColumnInfo>{};
  for (const char* literal : {"NULL", "0"}) {
    std::vector<std::string> literals(st.param_count, literal);
    auto r = session_->Describe(protocol::SubstitutePlaceholders(st.sql, literals));
    if (r.ok() || st.param_count == 0) return r;
    if (literal == std::string_view("NULL")) first = std::move(r);
  }
  return first;
}

bool Connection::DispatchStatementCommand(const protocol::Command& command) {
  auto unknown = [](uint32_t id, const char* where) {
    return MakeError(ER_UNKNOWN_STMT_HANDLER, {std::to_string(id), where});
  };
  if (const auto* c = std::get_if<protocol::ComStmtPrepare>(&command)) {
    // Nothing runs here: several statements are refused (1064) and the
    // result columns come from the statement, not from a run of it.
    Result<std::string> one = session_->SingleStatement(c->query);
    if (!one.ok()) {
      channel_.Write(protocol::EncodeErr(one.error()));
      return true;
    }
    PreparedStatement st;
    st.sql = std::move(*one);
    st.param_count = protocol::CountPlaceholders(st.sql);
    if (st.param_count > 0xFFFF) {
      channel_.Write(protocol::EncodeErr(MakeError(ER_PS_MANY_PARAM)));
      return true;
    }
    Result<std::vector<engine::ColumnInfo>> described = DescribeColumns(st);
    if (!described.ok()) {
      channel_.Write(protocol::EncodeErr(described.error()));
      return true;
    }
    std::vector<engine::ColumnInfo> columns = std::move(*described);
    uint32_t id = next_statement_id_++;
    channel_.Write(protocol::EncodePrepareOk(id, static_cast<uint16_t>(columns.size()),
                                             static_cast<uint16_t>(st.param_count), 0));
    if (st.param_count > 0) {
      std::string def = protocol::EncodeColumnDefinition(protocol::ParameterDefinition());
      for (size_t i = 0; i < st.param_count; ++i) channel_.Write(def);
      channel_.Write(protocol::EncodeEof(0, status_flags_));
    }
    if (!columns.empty()) {
      for (const engine::ColumnInfo& column : columns) {
        channel_.Write(protocol::EncodeColumnDefinition(ToColumnDefinition(column)));
      }
      channel_.Write(protocol::EncodeEof(0, status_flags_));
    }
    statements_.emplace(id, std::move(st));
    return true;
  }
  if (const auto* c = std::get_if<protocol::ComStmtExecute>(&command)) {
    auto it = statements_.find(c->statement_id);
    if (it == statements_.end()) {
      channel_.Write(protocol::EncodeErr(unknown(c->statement_id, "mysqld_stmt_execute")));
      return true;
    }
    PreparedStatement& st = it->second;
    auto exec = protocol::DecodeStmtExecute(c->payload, st.param_count, &st.types, st.long_data);
    st.long_data.clear();
    if (!exec.ok()) {
      channel_.Write(protocol::EncodeErr(exec.error()));
      return true;
    }
    std::string sql = protocol::SubstitutePlaceholders(st.sql, exec->literals);
    WireSink sink(channel_, &status_flags_, WireSink::Mode::kBinaryResultSet);
    session_->Query(sql, sink);
    if (!sink.responded() && !session_->killed()) {
      sink.SendError(MakeErrorMsg(ER_UNKNOWN_ERROR, "The engine sent no answer"));
    }
    return true;
  }
  if (const auto* c = std::get_if<protocol::ComStmtClose>(&command)) {
    statements_.erase(c->statement_id);  // no answer
    return true;
  }
  if (const auto* c = std::get_if<protocol::ComStmtReset>(&command)) {
    auto it = statements_.find(c->statement_id);
    if (it == statements_.end()) {
      channel_.Write(protocol::EncodeErr(unknown(c->statement_id, "mysqld_stmt_reset")));
      return true;
    }
    it->second.long_data.clear();
    protocol::OkPacket ok;
    ok.status_flags = status_flags_;
    channel_.Write(protocol::EncodeOk(ok));
    return true;
  }
  if (const auto* c = std::get_if<protocol::ComStmtSendLongData>(&command)) {
    auto it = statements_.find(c->statement_id);
    if (it != statements_.end() && c->param < it->second.param_count) {  // no answer
      auto& slots = it->second.long_data;
      if (slots.size() < it->second.param_count) slots.resize(it->second.param_count);
      if (!slots[c->param]) slots[c->param] = std::string();
      slots[c->param]->append(c->data);
    }
    return true;
  }
  return true;
}

}  // namespace reptut::net
