#include "protocol/native_password.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "test_bytes.h"

namespace reptut::protocol {
namespace {

using testing::Hex;

// Expected values computed outside this code base (Python hashlib):
//   '*' + sha1(sha1(p)).hexdigest().upper()
TEST(NativePasswordTest, HashTextKnownVectors) {
  EXPECT_EQ(NativePasswordHashText("xyzzy"), "*151AF6B8C3A6AA09CFCCBD34601F2D309ED54888");
  EXPECT_EQ(NativePasswordHashText("password"), "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
  EXPECT_EQ(NativePasswordHashText("secret"), "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7");
  EXPECT_EQ(NativePasswordHashText(""), "");
}

TEST(NativePasswordTest, Sha1KnownVector) {
  EXPECT_EQ(Hex(Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(NativePasswordTest, HashIsRawFormOfText) {
  EXPECT_EQ(Hex(NativePasswordHash("xyzzy")), "151af6b8c3a6aa09cfccbd34601f2d309ed54888");
  EXPECT_EQ(NativePasswordHash(""), "");
}

TEST(NativePasswordTest, ParseHashText) {
  auto h = ParseNativePasswordHashText("*151af6b8c3a6aa09cfccbd34601f2d309ed54888");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, NativePasswordHash("xyzzy"));
  EXPECT_EQ(ParseNativePasswordHashText(""), std::string());
  EXPECT_FALSE(ParseNativePasswordHashText("151AF6B8C3A6AA09CFCCBD34601F2D309ED54888").has_value());
  EXPECT_FALSE(ParseNativePasswordHashText("*151AF6B8C3A6AA09CFCCBD34601F2D309ED5488").has_value());
  EXPECT_FALSE(
      ParseNativePasswordHashText("*151AF6B8C3A6AA09CFCCBD34601F2D309ED5488G").has_value());
}

// Token for scramble "abcdefghij0123456789" and password "xyzzy", computed
// with Python: sha1(p) XOR sha1(scramble + sha1(sha1(p))).
TEST(NativePasswordTest, TokenKnownVector) {
  EXPECT_EQ(Hex(NativePasswordToken("xyzzy", "abcdefghij0123456789")),
            "ad49d8b5a173de8adac2f665851668ff0ac8e31c");
  EXPECT_EQ(NativePasswordToken("", "abcdefghij0123456789"), "");
}

TEST(NativePasswordTest, VerifyAcceptsRightPassword) {
  std::string scramble = "abcdefghij0123456789";
  std::string stored = NativePasswordHash("xyzzy");
  EXPECT_TRUE(VerifyNativePassword(scramble, NativePasswordToken("xyzzy", scramble), stored));
}

TEST(NativePasswordTest, VerifyRejectsWrongPassword) {
  std::string scramble = "abcdefghij0123456789";
  std::string stored = NativePasswordHash("xyzzy");
  EXPECT_FALSE(VerifyNativePassword(scramble, NativePasswordToken("plugh", scramble), stored));
}

TEST(NativePasswordTest, VerifyRejectsOtherScramble) {
  std::string stored = NativePasswordHash("xyzzy");
  std::string token = NativePasswordToken("xyzzy", "abcdefghij0123456789");
  EXPECT_FALSE(VerifyNativePassword("bbcdefghij0123456789", token, stored));
}

TEST(NativePasswordTest, VerifyRejectsWrongLengths) {
  std::string scramble = "abcdefghij0123456789";
  std::string stored = NativePasswordHash("xyzzy");
  std::string token = NativePasswordToken("xyzzy", scramble);
  EXPECT_FALSE(VerifyNativePassword(scramble, token.substr(0, 19), stored));
  EXPECT_FALSE(VerifyNativePassword(scramble, token + "x", stored));
  EXPECT_FALSE(VerifyNativePassword(scramble, "", stored));
}

TEST(NativePasswordTest, EmptyPasswordMatchesOnlyEmptyToken) {
  std::string scramble = "abcdefghij0123456789";
  EXPECT_TRUE(VerifyNativePassword(scramble, "", ""));
  EXPECT_FALSE(VerifyNativePassword(scramble, NativePasswordToken("x", scramble), ""));
}

// SHA1 through OpenSSL's EVP interface, not through the code under test.
std::string EvpSha1(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha1(), nullptr);
  return std::string(reinterpret_cast<char*>(md), len);
}

TEST(NativePasswordTest, TokenMatchesIndependentComputation) {
  for (const std::string password : {"xyzzy", "password", "p\xc3\xa4ss w0rd", "x"}) {
    std::string scramble = GenerateScramble();
    std::string stage1 = EvpSha1(password);
    std::string stored = EvpSha1(stage1);
    std::string mix = EvpSha1(scramble + stored);
    std::string expected(20, '\0');
    for (int i = 0; i < 20; ++i) expected[i] = static_cast<char>(stage1[i] ^ mix[i]);
    EXPECT_EQ(NativePasswordHash(password), stored) << password;
    EXPECT_EQ(NativePasswordToken(password, scramble), expected) << password;
    EXPECT_TRUE(VerifyNativePassword(scramble, expected, stored)) << password;
  }
}

TEST(NativePasswordTest, ScrambleIsPrintableWithoutNul) {
  for (int i = 0; i < 200; ++i) {
    std::string s = GenerateScramble();
    ASSERT_EQ(s.size(), 20u);
    for (char c : s) {
      EXPECT_GE(c, 0x21);
      EXPECT_LE(c, 0x7E);
      EXPECT_NE(c, '$');
    }
  }
  EXPECT_NE(GenerateScramble(), GenerateScramble());
}

}  // namespace
}  // namespace reptut::protocol
