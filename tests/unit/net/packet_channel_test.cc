#include "net/packet_channel.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "protocol/packet.h"

namespace reptut::net {
namespace {

struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  void CloseClient() {
    ::close(fds[1]);
    fds[1] = -1;
  }
  void SendFromClient(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(fds[1], bytes.data(), bytes.size());
      ASSERT_GT(n, 0);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  std::string ReadAtClient(size_t n) {
    std::string out;
    char buf[4096];
    while (out.size() < n) {
      ssize_t got = ::read(fds[1], buf, std::min(sizeof buf, n - out.size()));
      if (got <= 0) break;
      out.append(buf, static_cast<size_t>(got));
    }
    return out;
  }
  int fds[2] = {-1, -1};  // [0] server side, [1] client side
};

std::string Frame(std::string_view payload, uint8_t seq) {
  std::string out;
  protocol::AppendPackets(&out, payload, &seq);
  return out;
}

TEST(PacketChannelTest, ReadsAPayload) {
  SocketPair sp;
  PacketChannel ch(sp.fds[0], 1024);
  sp.SendFromClient(Frame("\x03SELECT 1", 0));
  auto r = ch.Read();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), "\x03SELECT 1");
  EXPECT_EQ(ch.sequence(), 1);
}

TEST(PacketChannelTest, WriteContinuesSequence) {
  SocketPair sp;
  PacketChannel ch(sp.fds[0], 1024);
  sp.SendFromClient(Frame("\x0e", 0));
  ASSERT_TRUE(ch.Read().ok());
  ch.Write("ok");
  ASSERT_TRUE(ch.Flush());
  EXPECT_EQ(sp.ReadAtClient(6), Frame("ok", 1));
}

TEST(PacketChannelTest, PeerCloseIsReadError) {
  SocketPair sp;
  PacketChannel ch(sp.fds[0], 1024);
  sp.SendFromClient(std::string("\x05\x00", 2));  // half a header
  sp.CloseClient();
  auto r = ch.Read();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1158);
  EXPECT_TRUE(ch.peer_closed());
}

TEST(PacketChannelTest, OversizedPayloadIsDrainedThenRejected) {
  SocketPair sp;
  PacketChannel ch(sp.fds[0], 100);
  std::string big = Frame(std::string(300000, 'x'), 0);
  std::thread writer([&] { sp.SendFromClient(big); });
  auto r = ch.Read();
  writer.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1153);
  EXPECT_EQ(ch.sequence(), 1);  // the ERR goes out as packet 1
}

TEST(PacketChannelTest, OutOfOrderIsRejected) {
  SocketPair sp;
  PacketChannel ch(sp.fds[0], 100);
  sp.SendFromClient(Frame("x", 3));
  auto r = ch.Read();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1156);
}

TEST(PacketChannelTest, WriteAfterPeerGoneFailsQuietly) {
  SocketPair sp;
  PacketChannel ch(sp.fds[0], 100);
  sp.CloseClient();
  ch.Write("x");
  EXPECT_FALSE(ch.Flush());
  EXPECT_TRUE(ch.broken());
  ch.Write("y");  // no crash, no SIGPIPE
  EXPECT_FALSE(ch.Flush());
}

TEST(PacketChannelTest, ReadTimeout) {
  SocketPair sp;
  PacketChannel ch(sp.fds[0], 100);
  ch.SetReadTimeout(1);
  auto r = ch.Read();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1159);
}

}  // namespace
}  // namespace reptut::net
