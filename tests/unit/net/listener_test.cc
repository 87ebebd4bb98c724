#include "net/listener.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace reptut::net {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/reptut-net-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

int ConnectTcp(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int ConnectUnix(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(ListenerTest, TcpOnEphemeralPort) {
  auto l = Listener::OpenTcp("127.0.0.1", 0);
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_GT(l->port(), 0);
  EXPECT_EQ(l->address(), "127.0.0.1");
  EXPECT_FALSE(l->is_unix());
  int c = ConnectTcp(l->port());
  ASSERT_GE(c, 0);
  int s = ::accept(l->fd(), nullptr, nullptr);
  ASSERT_GE(s, 0);
  EXPECT_EQ(PeerHost(s), "127.0.0.1");
  ::close(s);
  ::close(c);
}

TEST(ListenerTest, PortInUseHasMysqldWording) {
  auto first = Listener::OpenTcp("127.0.0.1", 0);
  ASSERT_TRUE(first.ok());
  uint16_t port = first->port();
  auto second = Listener::OpenTcp("127.0.0.1", port);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message,
            "Can't start server: Bind on TCP/IP port: Address already in use\n"
            "Do you already have another server running on port: " +
                std::to_string(port) + " ?");
}

TEST(ListenerTest, HostNameResolvesToIpv4First) {
  auto l = Listener::OpenTcp("localhost", 0);
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->address(), "127.0.0.1");
}

TEST(ListenerTest, UnresolvableHostName) {
  auto l = Listener::OpenTcp("no-such-host.invalid", 0);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().message, "Can't start server: cannot resolve hostname!");
}

TEST(ListenerTest, AddressNotOnThisHost) {
  auto l = Listener::OpenTcp("192.0.2.1", 0);  // TEST-NET-1
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.error().message.find("Can't start server: Bind on TCP/IP port: "), std::string::npos);
}

TEST(ListenerTest, AllAddressesTakeIpv4) {
  for (const char* any : {"*", "0.0.0.0", "::"}) {
    auto l = Listener::OpenTcp(any, 0);
    if (!l.ok() && std::string(any) == "::") GTEST_SKIP() << "no IPv6 here";
    ASSERT_TRUE(l.ok()) << any << ": " << l.error().message;
    int c = ConnectTcp(l->port());
    ASSERT_GE(c, 0) << any;
    int s = ::accept(l->fd(), nullptr, nullptr);
    ASSERT_GE(s, 0);
    EXPECT_EQ(PeerHost(s), "127.0.0.1") << any;  // IPv4-mapped shown as IPv4
    ::close(s);
    ::close(c);
  }
}

TEST(ListenerTest, UnixSocketAcceptsAndIsRemovedOnClose) {
  TempDir dir;
  std::string path = dir.File("mysql.sock");
  {
    auto l = Listener::OpenUnix(path);
    ASSERT_TRUE(l.ok()) << l.error().message;
    EXPECT_TRUE(l->is_unix());
    int c = ConnectUnix(path);
    ASSERT_GE(c, 0);
    int s = ::accept(l->fd(), nullptr, nullptr);
    ASSERT_GE(s, 0);
    EXPECT_EQ(PeerHost(s), "localhost");
    ::close(s);
    ::close(c);
  }
  struct stat st;
  EXPECT_NE(::lstat(path.c_str(), &st), 0);
}

TEST(ListenerTest, LiveUnixSocketIsAnError) {
  TempDir dir;
  std::string path = dir.File("mysql.sock");
  auto first = Listener::OpenUnix(path);
  ASSERT_TRUE(first.ok());
  auto second = Listener::OpenUnix(path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message,
            "Can't start server : Bind on unix socket: Address already in use\n"
            "Do you already have another server running on socket: " +
                path + " ?");
  // The live one still works.
  int c = ConnectUnix(path);
  EXPECT_GE(c, 0);
  ::close(c);
}

TEST(ListenerTest, StaleUnixSocketIsReplaced) {
  TempDir dir;
  std::string path = dir.File("mysql.sock");
  // A socket file nobody listens on, as a crashed server leaves it.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::close(fd);
  auto l = Listener::OpenUnix(path);
  ASSERT_TRUE(l.ok()) << l.error().message;
  int c = ConnectUnix(path);
  EXPECT_GE(c, 0);
  ::close(c);
}

TEST(ListenerTest, RegularFileAtSocketPathIsKept) {
  TempDir dir;
  std::string path = dir.File("mysql.sock");
  std::ofstream(path) << "not a socket";
  auto l = Listener::OpenUnix(path);
  ASSERT_FALSE(l.ok());
  struct stat st;
  ASSERT_EQ(::lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST(ListenerTest, SocketPathTooLong) {
  std::string path = "/tmp/" + std::string(200, 'x');
  auto l = Listener::OpenUnix(path);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().message.rfind("The socket file path is too long (> 107): ", 0), 0u);
}

TEST(ListenerTest, MoveKeepsOneOwner) {
  auto l = Listener::OpenTcp("127.0.0.1", 0);
  ASSERT_TRUE(l.ok());
  Listener a = std::move(l).value();
  Listener b = std::move(a);
  EXPECT_EQ(a.fd(), -1);  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_GE(b.fd(), 0);
}

}  // namespace
}  // namespace reptut::net
