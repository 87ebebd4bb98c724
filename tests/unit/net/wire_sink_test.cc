#include "net/wire_sink.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "protocol/packet.h"
#include "protocol/responses.h"

namespace reptut::net {
namespace {

// Reads every payload the sink wrote, checking sequence ids from 1.
std::vector<std::string> Payloads(int fd) {
  std::string all;
  char buf[4096];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    all.append(buf, static_cast<size_t>(n));
  }
  protocol::PacketDecoder d(1 << 20);
  d.Feed(all);
  std::vector<std::string> out;
  uint8_t seq = 1;
  while (true) {
    auto r = d.Next(&seq);
    EXPECT_TRUE(r.ok());
    if (!r.ok() || !r.value()) break;
    out.push_back(*r.value());
  }
  return out;
}

class WireSinkTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int fds_[2];
};

engine::ColumnInfo Column(const std::string& name) {
  engine::ColumnInfo c;
  c.schema = "test";
  c.table = c.org_table = "t";
  c.name = c.org_name = name;
  c.type = mysql::kTypeLong;
  c.length = 11;
  return c;
}

TEST_F(WireSinkTest, ResultSetFraming) {
  PacketChannel ch(fds_[0], 1024);
  // As after reading a command packet (seq 0).
  ch.ResetSequence();
  std::string cmd;
  uint8_t seq = 0;
  protocol::AppendPackets(&cmd, "\x03select", &seq);
  ASSERT_EQ(::write(fds_[1], cmd.data(), cmd.size()), static_cast<ssize_t>(cmd.size()));
  ASSERT_TRUE(ch.Read().ok());

  uint16_t status = mysql::kStatusAutocommit;
  WireSink sink(ch, &status);
  sink.SendColumns({Column("a"), Column("b")});
  EXPECT_TRUE(sink.SendRow({std::string("1"), std::nullopt}));
  sink.SendEof(0, mysql::kStatusAutocommit | mysql::kStatusMoreResultsExist);
  ASSERT_TRUE(ch.Flush());
  EXPECT_TRUE(sink.finished());
  EXPECT_EQ(status, mysql::kStatusAutocommit | mysql::kStatusMoreResultsExist);

  auto p = Payloads(fds_[1]);
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[0], std::string("\x02", 1));
  auto c0 = protocol::DecodeColumnDefinition(p[1]);
  ASSERT_TRUE(c0.ok());
  EXPECT_EQ(c0->name, "a");
  EXPECT_EQ(protocol::DecodeColumnDefinition(p[2])->name, "b");
  EXPECT_EQ(p[3], protocol::EncodeEof(0, mysql::kStatusAutocommit));
  EXPECT_EQ(p[4], std::string("\x01"
                              "1\xFB",
                              3));
  EXPECT_EQ(p[5], protocol::EncodeEof(0, 0x000A));
}

TEST_F(WireSinkTest, FieldListFraming) {
  PacketChannel ch(fds_[0], 1024);
  ch.ResetSequence();
  std::string cmd;
  uint8_t seq = 0;
  protocol::AppendPackets(&cmd, std::string("\x04t\0", 3), &seq);
  ASSERT_EQ(::write(fds_[1], cmd.data(), cmd.size()), static_cast<ssize_t>(cmd.size()));
  ASSERT_TRUE(ch.Read().ok());
  uint16_t status = mysql::kStatusAutocommit;
  WireSink sink(ch, &status, WireSink::Mode::kFieldList);
  sink.SendColumns({Column("a")});
  sink.SendEof(0, mysql::kStatusAutocommit);
  ASSERT_TRUE(ch.Flush());
  auto p = Payloads(fds_[1]);
  ASSERT_EQ(p.size(), 2u);                             // no column count
  EXPECT_EQ(static_cast<uint8_t>(p[0].back()), 0xFB);  // NULL default
  EXPECT_EQ(p[1], protocol::EncodeEof(0, mysql::kStatusAutocommit));
}

TEST_F(WireSinkTest, OkAndError) {
  PacketChannel ch(fds_[0], 1024);
  ch.ResetSequence();
  std::string cmd;
  uint8_t seq = 0;
  protocol::AppendPackets(&cmd, "\x03x", &seq);
  ASSERT_EQ(::write(fds_[1], cmd.data(), cmd.size()), static_cast<ssize_t>(cmd.size()));
  ASSERT_TRUE(ch.Read().ok());
  uint16_t status = 0;
  WireSink sink(ch, &status);
  engine::OkInfo ok;
  ok.affected_rows = 3;
  sink.SendOk(ok, mysql::kStatusAutocommit | mysql::kStatusMoreResultsExist);
  sink.SendError(Error{1146, "42S02", "Table 'test.x' doesn't exist"});
  ASSERT_TRUE(ch.Flush());
  auto p = Payloads(fds_[1]);
  ASSERT_EQ(p.size(), 2u);
  auto okp = protocol::DecodeOk(p[0]);
  ASSERT_TRUE(okp.ok());
  EXPECT_EQ(okp->affected_rows, 3u);
  EXPECT_EQ(okp->status_flags, 0x000A);
  auto err = protocol::DecodeErr(p[1]);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code, 1146);
  EXPECT_EQ(err->sqlstate, "42S02");
}

TEST_F(WireSinkTest, SendRowReportsGoneClient) {
  PacketChannel ch(fds_[0], 1024);
  uint16_t status = 0;
  WireSink sink(ch, &status);
  ::close(fds_[1]);
  fds_[1] = ::socket(AF_UNIX, SOCK_STREAM, 0);  // keep TearDown simple
  sink.SendColumns({Column("a")});
  ch.Flush();
  EXPECT_FALSE(sink.SendRow({std::string("1")}));
}

}  // namespace
}  // namespace reptut::net
