#include "protocol/handshake.h"

#include <gtest/gtest.h>

#include "protocol/responses.h"
#include "test_bytes.h"

namespace reptut::protocol {
namespace {

using testing::Bytes;

const std::string kScramble = "abcdefghij0123456789";

TEST(HandshakeTest, V10ByteLayout) {
  HandshakeV10 h;
  h.connection_id = 5;
  h.scramble = kScramble;
  std::string expected = Bytes({0x0A});
  expected += std::string("5.7.99-reptut-log") + '\0';
  expected += Bytes({0x05, 0x00, 0x00, 0x00});
  expected += "abcdefgh";
  expected += Bytes({0x00});
  expected += Bytes({0xDF, 0xF7});  // capabilities, low 16 bits
  expected += Bytes({0x08});        // latin1_swedish_ci
  expected += Bytes({0x02, 0x00});  // SERVER_STATUS_AUTOCOMMIT
  expected += Bytes({0x7B, 0x00});  // capabilities, high 16 bits
  expected += Bytes({21});          // scramble length + NUL
  expected += std::string(10, '\0');
  expected += std::string("ij0123456789") + '\0';
  expected += std::string("mysql_native_password") + '\0';
  EXPECT_EQ(EncodeHandshakeV10(h), expected);
}

TEST(HandshakeTest, AnnouncesWhatIsImplementedOnly) {
  EXPECT_TRUE(kServerCapabilities & mysql::kClientProtocol41);
  EXPECT_TRUE(kServerCapabilities & mysql::kClientSecureConnection);
  EXPECT_TRUE(kServerCapabilities & mysql::kClientPluginAuth);
  EXPECT_TRUE(kServerCapabilities & mysql::kClientMultiStatements);
  EXPECT_TRUE(kServerCapabilities & mysql::kClientMultiResults);
  EXPECT_FALSE(kServerCapabilities & mysql::kClientSsl);
  EXPECT_FALSE(kServerCapabilities & mysql::kClientDeprecateEof);
  EXPECT_FALSE(kServerCapabilities & mysql::kClientSessionTrack);
  EXPECT_FALSE(kServerCapabilities & mysql::kClientCompress);
  EXPECT_TRUE(kServerCapabilities & mysql::kClientLocalFiles);  // LOAD DATA LOCAL
  EXPECT_FALSE(kServerCapabilities & mysql::kClientPsMultiResults);
}

TEST(HandshakeTest, V10RoundTrip) {
  HandshakeV10 h;
  h.connection_id = 0x01020304;
  h.scramble = kScramble;
  auto d = DecodeHandshakeV10(EncodeHandshakeV10(h));
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(d->server_version, "5.7.99-reptut-log");
  EXPECT_EQ(d->connection_id, 0x01020304u);
  EXPECT_EQ(d->scramble, kScramble);
  EXPECT_EQ(d->capabilities, kServerCapabilities);
  EXPECT_EQ(d->auth_plugin, "mysql_native_password");
}

TEST(HandshakeTest, V10DecodeOfErrPacketGivesTheError) {
  auto d = DecodeHandshakeV10(EncodeErr(Error{1040, "08004", "Too many connections"}, false));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, 1040);
  EXPECT_EQ(d.error().message, "Too many connections");
}

TEST(HandshakeTest, V10DecodeTruncated) {
  std::string full = [] {
    HandshakeV10 h;
    h.scramble = kScramble;
    return EncodeHandshakeV10(h);
  }();
  for (size_t n : {0, 1, 10, 25, 40, 50}) {
    EXPECT_FALSE(DecodeHandshakeV10(full.substr(0, n)).ok()) << n;
  }
}

// What the MariaDB client (Connector/C) sends: lenenc auth data, a
// database, the plugin name and connection attributes.
std::string MariadbStyleResponse() {
  uint32_t caps = mysql::kClientLongPassword | mysql::kClientProtocol41 |
                  mysql::kClientSecureConnection | mysql::kClientPluginAuth |
                  mysql::kClientPluginAuthLenencClientData | mysql::kClientConnectWithDb |
                  mysql::kClientConnectAttrs | mysql::kClientMultiStatements;
  std::string s;
  s += Bytes({static_cast<int>(caps & 0xFF), static_cast<int>((caps >> 8) & 0xFF),
              static_cast<int>((caps >> 16) & 0xFF), static_cast<int>(caps >> 24)});
  s += Bytes({0x00, 0x00, 0x00, 0x01});  // max packet 16M
  s += Bytes({45});                      // utf8mb4_general_ci
  s += std::string(23, '\0');
  s += std::string("root") + '\0';
  s += Bytes({20});
  s += std::string(20, 'T');
  s += std::string("test") + '\0';
  s += std::string("mysql_native_password") + '\0';
  s += Bytes({0x0F, 0x04}) + "_pid" + Bytes({0x03}) + "123" + Bytes({0x03}) + "_os" +
       Bytes({0x01}) + "x";
  return s;
}

TEST(HandshakeTest, ResponseMariadbStyle) {
  auto r = DecodeHandshakeResponse(MariadbStyleResponse());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->user, "root");
  EXPECT_EQ(r->auth_response, std::string(20, 'T'));
  EXPECT_EQ(r->database, "test");
  EXPECT_EQ(r->auth_plugin, "mysql_native_password");
  EXPECT_EQ(r->charset, 45);
  EXPECT_EQ(r->max_packet, 1u << 24);
  ASSERT_EQ(r->attrs.size(), 2u);
  EXPECT_EQ(r->attrs[0].first, "_pid");
  EXPECT_EQ(r->attrs[0].second, "123");
  EXPECT_EQ(r->attrs[1].first, "_os");
  EXPECT_EQ(r->attrs[1].second, "x");
}

TEST(HandshakeTest, ResponseEveryTruncationFails) {
  std::string full = MariadbStyleResponse();
  // Cut anywhere before the end of the auth data: always an error.
  size_t auth_end = 4 + 4 + 1 + 23 + 5 + 1 + 20;
  for (size_t n = 0; n < auth_end; ++n) {
    auto r = DecodeHandshakeResponse(full.substr(0, n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.error().code, 1043) << n;
  }
  // And anywhere inside the attributes.
  for (size_t n = full.size() - 15; n < full.size(); ++n) {
    EXPECT_FALSE(DecodeHandshakeResponse(full.substr(0, n)).ok()) << n;
  }
}

TEST(HandshakeTest, ResponseOneByteAuthLength) {
  HandshakeResponse in;
  in.capabilities = mysql::kClientProtocol41 | mysql::kClientSecureConnection;
  in.user = "bob";
  in.auth_response = std::string(20, '\x01');
  auto r = DecodeHandshakeResponse(EncodeHandshakeResponse(in));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->user, "bob");
  EXPECT_EQ(r->auth_response, in.auth_response);
  EXPECT_EQ(r->auth_plugin, "");
}

TEST(HandshakeTest, ResponseNulTerminatedAuth) {
  HandshakeResponse in;
  in.capabilities = mysql::kClientProtocol41;
  in.user = "old";
  in.auth_response = "abcdefgh";
  auto r = DecodeHandshakeResponse(EncodeHandshakeResponse(in));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->auth_response, "abcdefgh");
}

TEST(HandshakeTest, ResponseEmptyPassword) {
  HandshakeResponse in;
  in.capabilities = mysql::kClientProtocol41 | mysql::kClientSecureConnection |
                    mysql::kClientPluginAuth | mysql::kClientPluginAuthLenencClientData;
  in.user = "root";
  in.auth_plugin = "mysql_native_password";
  auto r = DecodeHandshakeResponse(EncodeHandshakeResponse(in));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->auth_response, "");
  EXPECT_EQ(r->auth_plugin, "mysql_native_password");
}

TEST(HandshakeTest, ResponseOtherPluginIsReported) {
  HandshakeResponse in;
  in.capabilities =
      mysql::kClientProtocol41 | mysql::kClientSecureConnection | mysql::kClientPluginAuth;
  in.user = "root";
  in.auth_response = std::string(32, 'x');
  in.auth_plugin = "caching_sha2_password";
  auto r = DecodeHandshakeResponse(EncodeHandshakeResponse(in));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->auth_plugin, "caching_sha2_password");
  EXPECT_EQ(r->auth_response.size(), 32u);
}

TEST(HandshakeTest, ResponsePluginAuthFlagButPacketEndsEarly) {
  HandshakeResponse in;
  in.capabilities = mysql::kClientProtocol41 | mysql::kClientSecureConnection;
  in.user = "u";
  in.auth_response = "12345678901234567890";
  std::string p = EncodeHandshakeResponse(in);
  p[2] = static_cast<char>(p[2] | 0x08);  // claim CLIENT_PLUGIN_AUTH, send no name
  auto r = DecodeHandshakeResponse(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->auth_plugin, "");
}

TEST(HandshakeTest, ResponseWithoutProtocol41IsRejected) {
  std::string p = MariadbStyleResponse();
  p[1] = static_cast<char>(p[1] & ~0x02);  // clear CLIENT_PROTOCOL_41 (0x200)
  auto r = DecodeHandshakeResponse(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1043);
  EXPECT_EQ(r.error().message, "Bad handshake");
}

TEST(HandshakeTest, SslRequestIsRejected) {
  uint32_t caps = mysql::kClientProtocol41 | mysql::kClientSsl;
  std::string p = Bytes(
      {static_cast<int>(caps & 0xFF), static_cast<int>((caps >> 8) & 0xFF), 0, 0, 0, 0, 0, 1, 33});
  p += std::string(23, '\0');
  EXPECT_FALSE(DecodeHandshakeResponse(p).ok());
}

TEST(HandshakeTest, ResponseUserWithoutNul) {
  std::string p = MariadbStyleResponse().substr(0, 32) + "rootroot";
  EXPECT_FALSE(DecodeHandshakeResponse(p).ok());
}

TEST(HandshakeTest, ResponseAuthLengthPastEnd) {
  HandshakeResponse in;
  in.capabilities = mysql::kClientProtocol41 | mysql::kClientSecureConnection;
  in.user = "u";
  in.auth_response = "abc";
  std::string p = EncodeHandshakeResponse(in);
  p[p.size() - 4] = 100;  // the 1-byte length
  EXPECT_FALSE(DecodeHandshakeResponse(p).ok());
}

TEST(HandshakeTest, ResponseLenencAuthOverflow) {
  HandshakeResponse in;
  in.capabilities = mysql::kClientProtocol41 | mysql::kClientPluginAuthLenencClientData;
  in.user = "u";
  std::string p = EncodeHandshakeResponse(in);
  p.pop_back();  // the empty lenenc string
  p += Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F});
  EXPECT_FALSE(DecodeHandshakeResponse(p).ok());
}

TEST(HandshakeTest, ResponseDatabaseWithoutNul) {
  HandshakeResponse in;
  in.capabilities =
      mysql::kClientProtocol41 | mysql::kClientSecureConnection | mysql::kClientConnectWithDb;
  in.user = "u";
  std::string p = EncodeHandshakeResponse(in) + "db";
  p.erase(p.size() - 3, 1);  // drop the empty database's NUL, leaving "db" unterminated
  EXPECT_FALSE(DecodeHandshakeResponse(p).ok());
}

TEST(HandshakeTest, ResponseAttrsLengthPastEnd) {
  std::string p = MariadbStyleResponse();
  p[p.size() - 16] = 0x7F;  // the attributes' total length
  EXPECT_FALSE(DecodeHandshakeResponse(p).ok());
}

TEST(HandshakeTest, ResponseAttrKeyPastAttrsEnd) {
  HandshakeResponse in;
  in.capabilities = mysql::kClientProtocol41 | mysql::kClientSecureConnection |
                    mysql::kClientPluginAuth | mysql::kClientConnectAttrs;
  in.user = "u";
  in.auth_plugin = "mysql_native_password";
  std::string p = EncodeHandshakeResponse(in);
  p.pop_back();                        // the empty attrs block
  p += Bytes({0x02, 0x05, 'a', 'b'});  // block of 2 whose key claims 5
  EXPECT_FALSE(DecodeHandshakeResponse(p).ok());
}

TEST(HandshakeTest, AuthSwitchRequestLayout) {
  std::string p = EncodeAuthSwitchRequest("mysql_native_password", kScramble);
  std::string expected =
      Bytes({0xFE}) + "mysql_native_password" + Bytes({0}) + kScramble + Bytes({0});
  EXPECT_EQ(p, expected);
  auto d = DecodeAuthSwitchRequest(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->plugin, "mysql_native_password");
  EXPECT_EQ(d->data, kScramble);
}

TEST(HandshakeTest, AuthSwitchRequestMalformed) {
  EXPECT_FALSE(DecodeAuthSwitchRequest("").ok());
  EXPECT_FALSE(DecodeAuthSwitchRequest(Bytes({0x00})).ok());
  EXPECT_FALSE(DecodeAuthSwitchRequest(Bytes({0xFE, 'a', 'b'})).ok());
}

}  // namespace
}  // namespace reptut::protocol
