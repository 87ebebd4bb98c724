// NetServer with the real engine, driven by a raw protocol client: what the
// network layer itself promises (handshake bytes, login, authentication
// switch, sequence ids, the errors that close a connection, many clients,
// Stop). SQL semantics are the engine's tests.
#include "net/net_server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/server.h"
#include "protocol/handshake.h"
#include "protocol/native_password.h"
#include "protocol/packet.h"
#include "protocol/responses.h"

namespace reptut::net {
namespace {

using protocol::AppendPackets;

// A blocking client speaking just enough of the protocol.
class RawClient {
 public:
  static std::unique_ptr<RawClient> Unix(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return nullptr;
    }
    return std::unique_ptr<RawClient>(new RawClient(fd));
  }
  static std::unique_ptr<RawClient> Tcp(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return nullptr;
    }
    return std::unique_ptr<RawClient>(new RawClient(fd));
  }
  ~RawClient() { ::close(fd_); }

  // Next payload; nullopt when the server closed the connection.
  std::optional<std::string> Read() {
    char buf[16384];
    while (true) {
      auto r = decoder_.Next(&seq_);
      if (!r.ok()) return std::nullopt;
      if (r.value()) return *r.value();
      timeval tv{10, 0};
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      decoder_.Feed(std::string_view(buf, static_cast<size_t>(n)));
    }
  }
  void Send(std::string_view payload) {
    std::string wire;
    AppendPackets(&wire, payload, &seq_);
    SendRaw(wire);
  }
  void SendRaw(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  // A new command: sequence 0.
  void Command(std::string_view payload) {
    seq_ = 0;
    Send(payload);
  }
  uint8_t seq() const { return seq_; }
  void set_seq(uint8_t s) { seq_ = s; }

  // Handshake and login; returns the server's last answer to it.
  std::optional<std::string> Login(const std::string& user, const std::string& password,
                                   const std::string& plugin = protocol::kNativePasswordPlugin) {
    auto hello = Read();
    if (!hello) return std::nullopt;
    auto h = protocol::DecodeHandshakeV10(*hello);
    if (!h.ok()) return std::nullopt;
    handshake_ = h.value();
    protocol::HandshakeResponse r;
    r.capabilities = mysql::kClientProtocol41 | mysql::kClientSecureConnection |
                     mysql::kClientPluginAuth | mysql::kClientLongPassword |
                     mysql::kClientTransactions | mysql::kClientMultiResults;
    r.max_packet = 1 << 24;
    r.charset = mysql::kUtf8mb4GeneralCi;
    r.user = user;
    r.auth_plugin = plugin;
    r.auth_response = plugin == protocol::kNativePasswordPlugin
                          ? protocol::NativePasswordToken(password, handshake_.scramble)
                          : std::string(32, 'x');
    Send(protocol::EncodeHandshakeResponse(r));
    auto answer = Read();
    if (answer && !answer->empty() && static_cast<uint8_t>((*answer)[0]) == 0xFE) {
      auto sw = protocol::DecodeAuthSwitchRequest(*answer);
      if (!sw.ok()) return std::nullopt;
      switch_ = sw.value();
      Send(protocol::NativePasswordToken(password, sw->data));
      answer = Read();
    }
    return answer;
  }

  const protocol::HandshakeV10& handshake() const { return handshake_; }
  const std::optional<protocol::AuthSwitchRequest>& auth_switch() const { return switch_; }

 private:
  explicit RawClient(int fd) : fd_(fd), decoder_(1 << 26) {}
  int fd_;
  protocol::PacketDecoder decoder_;
  uint8_t seq_ = 0;
  protocol::HandshakeV10 handshake_;
  std::optional<protocol::AuthSwitchRequest> switch_;
};

bool IsOk(const std::optional<std::string>& p) {
  return p && !p->empty() && (*p)[0] == 0x00;
}

std::optional<Error> AsErr(const std::optional<std::string>& p) {
  if (!p) return std::nullopt;
  return protocol::DecodeErr(*p);
}

class NetServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/reptut-netsrv-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    options_.datadir = dir_ + "/data";
    options_.socket = dir_ + "/mysql.sock";
    options_.bind_address = "127.0.0.1";
    options_.port = 0;
    ASSERT_TRUE(engine::Server::Initialize(options_).ok());
  }
  void TearDown() override {
    net_.reset();
    if (server_) server_->Close();
    server_.reset();
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  void StartServer() {
    auto s = engine::Server::Open(options_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    server_ = std::move(s).value();
    net_ = std::make_unique<NetServer>();
    Status st = net_->Start(options_, *server_);
    ASSERT_TRUE(st.ok()) << st.message();
  }
  std::unique_ptr<RawClient> LoggedIn() {
    auto c = RawClient::Unix(options_.socket);
    EXPECT_TRUE(c);
    if (!c) return nullptr;
    auto ok = c->Login("root", "");
    EXPECT_TRUE(IsOk(ok));
    return c;
  }

  std::string dir_;
  config::ServerOptions options_;
  std::unique_ptr<engine::Server> server_;
  std::unique_ptr<NetServer> net_;
};

TEST_F(NetServerTest, ListensOnTcpAndSocketAndCleansUp) {
  StartServer();
  EXPECT_GT(net_->tcp_port(), 0);
  struct stat st;
  ASSERT_EQ(::lstat(options_.socket.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  net_->Stop();
  EXPECT_NE(::lstat(options_.socket.c_str(), &st), 0);
}

TEST_F(NetServerTest, PortInUse) {
  StartServer();
  config::ServerOptions second = options_;
  second.port = net_->tcp_port();
  second.socket = dir_ + "/other.sock";
  NetServer other;
  Status st = other.Start(second, *server_);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "Can't start server: Bind on TCP/IP port: Address already in use\n"
            "Do you already have another server running on port: " +
                std::to_string(second.port) + " ?");
}

TEST_F(NetServerTest, SkipNetworkingListensOnSocketOnly) {
  options_.skip_networking = true;
  StartServer();
  EXPECT_EQ(net_->tcp_port(), 0);
  EXPECT_TRUE(LoggedIn());
}

TEST_F(NetServerTest, HandshakeBytes) {
  StartServer();
  auto c = RawClient::Unix(options_.socket);
  ASSERT_TRUE(c);
  auto hello = c->Read();
  ASSERT_TRUE(hello);
  EXPECT_EQ((*hello)[0], 10);
  auto h = protocol::DecodeHandshakeV10(*hello);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->server_version, "5.7.99-reptut-log");
  EXPECT_EQ(h->capabilities, protocol::kServerCapabilities);
  EXPECT_EQ(h->charset, mysql::kLatin1SwedishCi);
  EXPECT_EQ(h->status_flags, mysql::kStatusAutocommit);
  EXPECT_EQ(h->auth_plugin, "mysql_native_password");
  ASSERT_EQ(h->scramble.size(), 20u);
  for (char ch : h->scramble) EXPECT_NE(ch, '\0');
  EXPECT_GT(h->connection_id, 0u);
}

TEST_F(NetServerTest, LoginPingQuitOverSocket) {
  StartServer();
  auto c = RawClient::Unix(options_.socket);
  ASSERT_TRUE(c);
  auto ok = c->Login("root", "");
  ASSERT_TRUE(IsOk(ok));
  EXPECT_EQ(c->seq(), 3);  // handshake 0, response 1, OK 2
  c->Command("\x0e");
  auto pong = c->Read();
  EXPECT_TRUE(IsOk(pong));
  EXPECT_EQ(c->seq(), 2);
  c->Command("\x01");
  EXPECT_FALSE(c->Read());  // closed without an answer
}

TEST_F(NetServerTest, LoginOverTcp) {
  StartServer();
  auto c = RawClient::Tcp(net_->tcp_port());
  ASSERT_TRUE(c);
  auto answer = c->Login("root", "");
  ASSERT_TRUE(answer);
  // Either way the answer is a well-formed OK or ERR for 'root'@'127.0.0.1'.
  if (!IsOk(answer)) {
    auto e = AsErr(answer);
    ASSERT_TRUE(e);
    EXPECT_NE(e->message.find("127.0.0.1"), std::string::npos) << e->message;
  }
}

TEST_F(NetServerTest, AuthSwitchForAnotherPlugin) {
  StartServer();
  auto c = RawClient::Unix(options_.socket);
  ASSERT_TRUE(c);
  auto ok = c->Login("root", "", "caching_sha2_password");
  ASSERT_TRUE(c->auth_switch());
  EXPECT_EQ(c->auth_switch()->plugin, "mysql_native_password");
  EXPECT_EQ(c->auth_switch()->data, c->handshake().scramble);
  EXPECT_TRUE(IsOk(ok));
  EXPECT_EQ(c->seq(), 5);  // switch 2, token 3, OK 4
}

TEST_F(NetServerTest, AuthSwitchWhenNoPluginNamed) {
  StartServer();
  auto c = RawClient::Unix(options_.socket);
  ASSERT_TRUE(c);
  auto ok = c->Login("root", "", "");
  EXPECT_TRUE(c->auth_switch());
  EXPECT_TRUE(IsOk(ok));
}

TEST_F(NetServerTest, WrongPasswordIsDeniedAndClosed) {
  StartServer();
  auto c = RawClient::Unix(options_.socket);
  ASSERT_TRUE(c);
  auto answer = c->Login("root", "not-the-password");
  auto e = AsErr(answer);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1045);
  EXPECT_EQ(e->sqlstate, "28000");
  EXPECT_FALSE(c->Read());
}

TEST_F(NetServerTest, BadHandshakeResponse) {
  StartServer();
  auto c = RawClient::Unix(options_.socket);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Read());
  c->Send(std::string("\x00\x00", 2));
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1043);
  EXPECT_FALSE(c->Read());
}

TEST_F(NetServerTest, UnknownCommandKeepsTheConnection) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->Command(std::string("\x05") + "db");  // COM_CREATE_DB, gone since MySQL 5.1
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1047);
  c->Command("\x0e");
  EXPECT_TRUE(IsOk(c->Read()));
}

TEST_F(NetServerTest, MalformedCommandClosesTheConnection) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->Command(std::string("\x0c\x01", 2));  // COM_PROCESS_KILL without its 4 bytes
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1835);
  EXPECT_FALSE(c->Read());
}

TEST_F(NetServerTest, OversizedPacketIsRefusedThenClosed) {
  options_.max_allowed_packet = 1024;
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->Command("\x03SELECT '" + std::string(5000, 'x') + "'");
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1153);
  EXPECT_EQ(e->sqlstate, "08S01");
  EXPECT_FALSE(c->Read());
}

TEST_F(NetServerTest, PacketsOutOfOrderCloseTheConnection) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->set_seq(7);
  c->Send("\x0e");
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1156);
  EXPECT_FALSE(c->Read());
}

// COM_BINLOG_DUMP on a server without --log-bin: MySQL's 1236, and the
// dump's connection ends there; the server goes on.
TEST_F(NetServerTest, BinlogDumpWithoutABinaryLogAnswers1236) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->Command(std::string("\x12\x04\0\0\0\0\0\x02\0\0\0bin.000001", 21));
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1236);
  EXPECT_EQ(e->message, "Binary log is not open");
  auto again = LoggedIn();
  ASSERT_TRUE(again);
  again->Command("\x0e");
  EXPECT_TRUE(IsOk(again->Read()));
}

TEST_F(NetServerTest, SetOptionAnswersEof) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->Command(std::string("\x1b\x00\x00", 3));
  auto eof = c->Read();
  ASSERT_TRUE(eof);
  EXPECT_TRUE(protocol::IsEofPacket(*eof));
  c->Command(std::string("\x1b\x07\x00", 3));
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1047);
}

TEST_F(NetServerTest, SelectOneResultSetFraming) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->Command("\x03SELECT 1");
  auto count = c->Read();
  ASSERT_TRUE(count);
  ASSERT_EQ(*count, std::string("\x01", 1));
  auto def = c->Read();
  ASSERT_TRUE(def);
  EXPECT_TRUE(protocol::DecodeColumnDefinition(*def).ok());
  auto eof1 = c->Read();
  ASSERT_TRUE(eof1);
  EXPECT_TRUE(protocol::IsEofPacket(*eof1));
  auto row = c->Read();
  ASSERT_TRUE(row);
  EXPECT_EQ(*row, std::string("\x01"
                              "1",
                              2));
  auto eof2 = c->Read();
  ASSERT_TRUE(eof2);
  EXPECT_TRUE(protocol::IsEofPacket(*eof2));
  EXPECT_EQ(c->seq(), 6);
}

TEST_F(NetServerTest, PreparedStatementRoundTrip) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  c->Command("\x16SELECT ? + 1");
  auto ok = c->Read();
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->size(), 12u);
  ASSERT_EQ((*ok)[0], 0x00);
  uint32_t id = static_cast<uint8_t>((*ok)[1]);
  uint16_t columns = static_cast<uint8_t>((*ok)[5]);
  EXPECT_EQ(static_cast<uint8_t>((*ok)[7]), 1);  // one parameter
  EXPECT_EQ(columns, 1);                         // learnt by the trial run
  auto param = c->Read();
  ASSERT_TRUE(param);
  EXPECT_EQ(protocol::DecodeColumnDefinition(*param)->name, "?");
  ASSERT_TRUE(protocol::IsEofPacket(*c->Read()));
  ASSERT_TRUE(protocol::DecodeColumnDefinition(*c->Read()).ok());
  ASSERT_TRUE(protocol::IsEofPacket(*c->Read()));

  std::string exec("\x17", 1);
  exec += std::string(1, static_cast<char>(id)) + std::string("\0\0\0\0\1\0\0\0", 8);
  exec += std::string("\0\1", 2);  // no NULLs, types follow
  exec += std::string(1, static_cast<char>(mysql::kTypeLong)) + std::string(1, '\0');
  exec += std::string("\x29\0\0\0", 4);  // 41
  c->Command(exec);
  auto count = c->Read();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, std::string("\x01", 1));
  auto def = protocol::DecodeColumnDefinition(*c->Read());
  ASSERT_TRUE(def.ok());
  ASSERT_TRUE(protocol::IsEofPacket(*c->Read()));
  auto row = c->Read();
  ASSERT_TRUE(row);
  EXPECT_EQ((*row)[0], 0x00);  // binary row
  // 41 + 1 in the binary form of whatever integer type the engine chose.
  std::string value = row->substr(2);
  if (def->type == mysql::kTypeLongLong) {
    EXPECT_EQ(value, std::string("\x2a\0\0\0\0\0\0\0", 8));
  } else if (def->type == mysql::kTypeLong) {
    EXPECT_EQ(value, std::string("\x2a\0\0\0", 4));
  } else {
    EXPECT_EQ(value, std::string("\x02") + "42");
  }
  ASSERT_TRUE(protocol::IsEofPacket(*c->Read()));

  c->Command(std::string("\x19", 1) + std::string(1, static_cast<char>(id)) +
             std::string("\0\0\0", 3));  // COM_STMT_CLOSE: no answer
  c->Command(exec);
  auto e = AsErr(c->Read());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 1243);
}

TEST_F(NetServerTest, FortyClientsAtOnce) {
  StartServer();
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&] {
      auto c = RawClient::Unix(options_.socket);
      if (!c || !IsOk(c->Login("root", ""))) return;
      for (int j = 0; j < 10; ++j) {
        c->Command("\x0e");
        if (!IsOk(c->Read())) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all 40 at once
      c->Command("\x01");
      ++good;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 40);
}

TEST_F(NetServerTest, StopCutsIdleConnections) {
  StartServer();
  auto c = LoggedIn();
  ASSERT_TRUE(c);
  auto t0 = std::chrono::steady_clock::now();
  net_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  EXPECT_FALSE(c->Read());
  EXPECT_FALSE(RawClient::Unix(options_.socket));
}

}  // namespace
}  // namespace reptut::net
