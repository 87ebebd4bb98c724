// COM_REGISTER_SLAVE and COM_BINLOG_DUMP on a connection (see the header).
// A blocking dump owns one helper thread, the HangupWatcher: it sleeps in
// poll() on the socket (POLLRDHUP) and on an eventfd. The socket's read side
// shut (the replica hung up, KILL, server shutdown) -> it shuts the socket
// down both ways, so that a dump blocked sending to a replica that stopped
// reading fails at once, calls DumpThread::RequestStop() and ends. The dump
// over -> the eventfd wakes it and it ends. It touches nothing else; the
// connection thread closes the socket only after joining it.
#include "net/replication_commands.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "common/errors.h"
#include "engine/slave_registry.h"
#include "protocol/responses.h"
#include "replication/dump_thread.h"
#include "sql/statement.h"

namespace reptut::net {
namespace {

// The dump's packets go to the connection's channel.
class ChannelSink : public replication::PacketSink {
 public:
  explicit ChannelSink(PacketChannel& channel) : channel_(channel) {}
  void Write(std::string_view payload) override { channel_.Write(payload); }
  bool Flush() override { return channel_.Flush(); }
  bool broken() const override { return channel_.broken(); }

 private:
  PacketChannel& channel_;
};

// Once the socket's read side is shut - the peer closed the connection, or
// this server shut it down (KILL, shutdown) - shuts it down both ways and
// calls on_hangup(). A replica sends nothing during a dump, so only
// POLLRDHUP (and errors) are watched.
class HangupWatcher {
 public:
  HangupWatcher(int fd, std::function<void()> on_hangup) {
    wake_ = ::eventfd(0, EFD_CLOEXEC);
    if (wake_ < 0) return;  // the dump then notices in its 1 s wait slices
    thread_ = std::thread([this, fd, on_hangup = std::move(on_hangup)] {
      pollfd fds[2] = {{fd, POLLRDHUP, 0}, {wake_, POLLIN, 0}};
      while (true) {
        int n = ::poll(fds, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || fds[1].revents != 0) return;
        if (fds[0].revents != 0) {
          ::shutdown(fd, SHUT_RDWR);
          on_hangup();
          return;
        }
      }
    });
  }
  ~HangupWatcher() {
    if (thread_.joinable()) {
      uint64_t one = 1;
      ssize_t rc = ::write(wake_, &one, sizeof one);
      (void)rc;
      thread_.join();
    }
    if (wake_ >= 0) ::close(wake_);
  }
  HangupWatcher(const HangupWatcher&) = delete;
  HangupWatcher& operator=(const HangupWatcher&) = delete;

 private:
  int wake_ = -1;
  std::thread thread_;
};

// Keeps the first column of the first row a statement answers.
class FirstValueSink : public engine::ResponseSink {
 public:
  void SendOk(const engine::OkInfo&, uint16_t) override {}
  void SendError(const Error&) override {}
  void SendColumns(const std::vector<engine::ColumnInfo>&) override {}
  bool SendRow(const engine::Row& row) override {
    if (!value && !row.empty() && row[0]) value = *row[0];
    return true;
  }
  void SendEof(uint16_t, uint16_t) override {}
  std::optional<std::string> value;
};

// What mysqld answers COM_REGISTER_SLAVE without REPLICATION SLAVE
// (check_access() with any_db): 1045 naming the account, e.g. "Access
// denied for user 'repl'@'%' (using password: YES)". The account (user
// and host pattern) and whether it has a password come from the first line
// of the session's SHOW GRANTS.
Error RegisterAccessDenied(engine::Session& session) {
  std::string user = session.user();
  std::string host = session.host();
  bool password = true;
  FirstValueSink grants;
  session.Query("SHOW GRANTS", grants);
  if (grants.value) {
    // GRANT ... ON *.* TO 'user'@'host'[ IDENTIFIED BY PASSWORD '*...']...
    const std::string& g = *grants.value;
    size_t to = g.find(" TO '");
    size_t at = to == std::string::npos ? to : g.find("'@'", to + 5);
    size_t end = at == std::string::npos ? at : g.find('\'', at + 3);
    if (end != std::string::npos) {
      user = g.substr(to + 5, at - (to + 5));
      host = g.substr(at + 3, end - (at + 3));
      password = g.find(" IDENTIFIED BY PASSWORD ", end) != std::string::npos;
    }
  }
  return MakeError(ER_ACCESS_DENIED_ERROR, {user, host, password ? "YES" : "NO"});
}

ReplicationOutcome RegisterSlave(engine::Server& server, engine::Session& session,
                                 PacketChannel& channel, const protocol::ComRegisterSlave& c,
                                 uint16_t status_flags) {
  if (!session.HasGlobalPrivilege(sql::kPrivReplicationSlave)) {
    channel.Write(protocol::EncodeErr(RegisterAccessDenied(session)));
    return ReplicationOutcome::kContinue;
  }
  engine::SlaveHost host;
  host.session_id = session.id();
  host.server_id = c.server_id;
  // Without report-host the replica is listed under its address (MariaDB).
  host.host = c.host.empty() ? session.host() : c.host;
  host.port = c.port;
  host.user = c.user;
  host.password = c.password;
  host.master_id = c.master_id != 0 ? c.master_id : server.server_id();
  server.slaves().Register(host);
  protocol::OkPacket ok;
  ok.status_flags = status_flags;
  channel.Write(protocol::EncodeOk(ok));
  return ReplicationOutcome::kContinue;
}

// @master_heartbeat_period (nanoseconds) as the replica set it.
uint64_t HeartbeatPeriod(const engine::Session& session) {
  std::optional<std::string> v = session.UserVariable("master_heartbeat_period");
  if (!v) return 0;
  long double ns = std::strtold(v->c_str(), nullptr);
  return ns > 0 ? static_cast<uint64_t>(ns) : 0;
}

ReplicationOutcome BinlogDump(engine::Server& server, engine::Session& session,
                              PacketChannel& channel, const protocol::ComBinlogDump& c,
                              uint16_t status_flags) {
  if (!session.HasGlobalPrivilege(sql::kPrivReplicationSlave)) {
    channel.Write(
        protocol::EncodeErr(MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {"REPLICATION SLAVE"})));
    return ReplicationOutcome::kContinue;
  }
  session.SetCommand("Binlog Dump");
  replication::DumpContext context;
  context.binlog = server.binlog();
  context.server_id = server.server_id();
  context.checksum_variable = session.UserVariable("master_binlog_checksum");
  context.heartbeat_period_ns = HeartbeatPeriod(session);
  context.set_state = [&session](std::string_view state) { session.SetState(state); };
  engine::SlaveRegistry& slaves = server.slaves();
  uint32_t id = session.id();
  context.set_reading = [&slaves, id](const std::string& file) { slaves.SetReading(id, file); };
  context.killed = &session.killed_flag();

  replication::DumpRequest request;
  request.file = c.file;
  request.position = c.position;
  request.flags = c.flags;
  request.replica_server_id = c.server_id;

  ChannelSink sink(channel);
  replication::DumpThread dump(std::move(context), sink);
  replication::DumpEnd end;
  {
    std::optional<HangupWatcher> watcher;
    bool blocking = !(c.flags & replication::kDumpNonBlock) && c.server_id != 0;
    if (blocking) watcher.emplace(channel.fd(), [&dump] { dump.RequestStop(); });
    end = dump.Run(request);
  }
  switch (end.how) {
    case replication::DumpEnd::How::kEndOfLog:
      channel.Write(protocol::EncodeEof(0, status_flags));
      break;
    case replication::DumpEnd::How::kError:
      channel.Write(protocol::EncodeErr(end.error));
      break;
    case replication::DumpEnd::How::kStopped:
      break;
  }
  session.SetState("");
  return ReplicationOutcome::kClose;
}

}  // namespace

ReplicationOutcome HandleReplicationCommand(engine::Server& server, engine::Session& session,
                                            PacketChannel& channel,
                                            const protocol::Command& command,
                                            uint16_t* status_flags) {
  if (const auto* c = std::get_if<protocol::ComRegisterSlave>(&command)) {
    return RegisterSlave(server, session, channel, *c, *status_flags);
  }
  if (const auto* c = std::get_if<protocol::ComBinlogDump>(&command)) {
    return BinlogDump(server, session, channel, *c, *status_flags);
  }
  channel.Write(protocol::EncodeErr(MakeError(ER_UNKNOWN_COM_ERROR)));
  return ReplicationOutcome::kContinue;
}

}  // namespace reptut::net
