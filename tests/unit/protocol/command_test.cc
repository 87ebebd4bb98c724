#include "protocol/command.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace reptut::protocol {
namespace {

using testing::Bytes;

template <class T>
T Decode(const std::string& payload) {
  auto r = DecodeCommand(payload);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(std::holds_alternative<T>(r.value()));
  return std::get<T>(r.value());
}

TEST(CommandTest, Query) {
  EXPECT_EQ(Decode<ComQuery>(Bytes({0x03}) + "SELECT 1").query, "SELECT 1");
  EXPECT_EQ(Decode<ComQuery>(Bytes({0x03})).query, "");
}

TEST(CommandTest, QueryKeepsNulBytes) {
  std::string q("SELECT '\0'", 10);
  EXPECT_EQ(Decode<ComQuery>(Bytes({0x03}) + q).query, q);
}

TEST(CommandTest, QueryDropsTrailingNul) {
  // mariadb-slap --auto-generate-sql sends its statements NUL-terminated.
  EXPECT_EQ(Decode<ComQuery>(Bytes({0x03}) + std::string("SELECT 1\0", 9)).query, "SELECT 1");
  EXPECT_EQ(Decode<ComQuery>(Bytes({0x03}) + std::string("SELECT 1\0\0", 10)).query, "SELECT 1");
}

TEST(CommandTest, RefreshDebugProcessInfoResetConnection) {
  EXPECT_EQ(Decode<ComRefresh>(Bytes({0x07, 0x06})).options, 6);
  EXPECT_FALSE(DecodeCommand(Bytes({0x07})).ok());
  Decode<ComDebug>(Bytes({0x0D}));
  Decode<ComProcessInfo>(Bytes({0x0A}));
  Decode<ComResetConnection>(Bytes({0x1F}));
}

TEST(CommandTest, ChangeUser) {
  uint32_t caps =
      mysql::kClientSecureConnection | mysql::kClientPluginAuth | mysql::kClientProtocol41;
  ChangeUserRequest in;
  in.user = "alice";
  in.auth_response = std::string("\x01\0\x02", 3);
  in.database = "test";
  in.charset = 8;
  in.auth_plugin = "mysql_native_password";
  std::string args = EncodeChangeUser(in, caps);
  ComChangeUser c = Decode<ComChangeUser>(Bytes({0x11}) + args);
  auto out = DecodeChangeUser(c.args, caps);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->user, "alice");
  EXPECT_EQ(out->auth_response, in.auth_response);
  EXPECT_EQ(out->database, "test");
  EXPECT_EQ(out->charset, 8);
  EXPECT_EQ(out->auth_plugin, "mysql_native_password");
  EXPECT_EQ(EncodeCommand(Command(c)), Bytes({0x11}) + args);
}

TEST(CommandTest, ChangeUserOldStyle) {
  // Without CLIENT_SECURE_CONNECTION the auth response is NUL-terminated;
  // a client may stop after the database.
  std::string args = std::string("bob\0scr\0db\0", 11);
  auto out = DecodeChangeUser(args, mysql::kClientProtocol41);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->user, "bob");
  EXPECT_EQ(out->auth_response, "scr");
  EXPECT_EQ(out->database, "db");
  EXPECT_EQ(out->auth_plugin, "");
}

TEST(CommandTest, ChangeUserTruncatedIsMalformed) {
  EXPECT_FALSE(DecodeCommand(Bytes({0x11})).ok());
  auto r = DecodeChangeUser(std::string("alice", 5), mysql::kClientSecureConnection);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1835);
}

TEST(CommandTest, InitDb) {
  EXPECT_EQ(Decode<ComInitDb>(Bytes({0x02}) + "test").database, "test");
}

TEST(CommandTest, FieldList) {
  auto c = Decode<ComFieldList>(Bytes({0x04}) + "t1" + Bytes({0}) + "a%");
  EXPECT_EQ(c.table, "t1");
  EXPECT_EQ(c.wildcard, "a%");
}

TEST(CommandTest, FieldListWithoutNulIsMalformed) {
  auto r = DecodeCommand(Bytes({0x04}) + "t1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1835);
  EXPECT_FALSE(IsUnknownCommandError(r.error()));
}

TEST(CommandTest, ProcessKill) {
  EXPECT_EQ(Decode<ComProcessKill>(Bytes({0x0C, 0x2A, 0x01, 0, 0})).connection_id, 298u);
}

TEST(CommandTest, ProcessKillTruncated) {
  EXPECT_FALSE(DecodeCommand(Bytes({0x0C, 0x2A, 0x01, 0})).ok());
}

TEST(CommandTest, ShutdownLevelOptional) {
  EXPECT_EQ(Decode<ComShutdown>(Bytes({0x08})).level, 0);
  EXPECT_EQ(Decode<ComShutdown>(Bytes({0x08, 0x10})).level, 0x10);
}

TEST(CommandTest, SetOption) {
  EXPECT_EQ(Decode<ComSetOption>(Bytes({0x1B, 0x01, 0x00})).option, 1);
  EXPECT_FALSE(DecodeCommand(Bytes({0x1B, 0x01})).ok());
}

TEST(CommandTest, NoArgumentCommands) {
  Decode<ComPing>(Bytes({0x0E}));
  Decode<ComQuit>(Bytes({0x01}));
  Decode<ComStatistics>(Bytes({0x09}));
}

TEST(CommandTest, RegisterSlave) {
  std::string p = Bytes({0x15, 2, 0, 0, 0, 4}) + "host" + Bytes({4}) + "repl" + Bytes({0}) +
                  Bytes({0xEA, 0x0C, 0, 0, 0, 0, 1, 0, 0, 0});
  auto c = Decode<ComRegisterSlave>(p);
  EXPECT_EQ(c.server_id, 2u);
  EXPECT_EQ(c.host, "host");
  EXPECT_EQ(c.user, "repl");
  EXPECT_EQ(c.password, "");
  EXPECT_EQ(c.port, 3306);
  EXPECT_EQ(c.master_id, 1u);
}

TEST(CommandTest, RegisterSlaveHostLengthPastEnd) {
  EXPECT_FALSE(DecodeCommand(Bytes({0x15, 2, 0, 0, 0, 9}) + "host").ok());
}

TEST(CommandTest, RegisterSlaveMissingPort) {
  EXPECT_FALSE(DecodeCommand(Bytes({0x15, 2, 0, 0, 0, 0, 0, 0, 1})).ok());
}

TEST(CommandTest, BinlogDump) {
  auto c = Decode<ComBinlogDump>(Bytes({0x12, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0}) + "mysql-bin.000001");
  EXPECT_EQ(c.position, 4u);
  EXPECT_EQ(c.flags, 0);
  EXPECT_EQ(c.server_id, 2u);
  EXPECT_EQ(c.file, "mysql-bin.000001");
}

TEST(CommandTest, BinlogDumpTruncated) {
  EXPECT_FALSE(DecodeCommand(Bytes({0x12, 4, 0, 0, 0, 0, 0, 2, 0, 0})).ok());
}

TEST(CommandTest, EmptyPayloadIsUnknownCommand) {
  auto r = DecodeCommand("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1047);
  EXPECT_TRUE(IsUnknownCommandError(r.error()));
}

TEST(CommandTest, UnknownCommand) {
  for (int b : {0x00, 0x05, 0x1C, 0x20, 0xFF}) {
    auto r = DecodeCommand(Bytes({b}));
    ASSERT_FALSE(r.ok()) << b;
    EXPECT_EQ(r.error().code, 1047);
    EXPECT_EQ(r.error().sqlstate, "08S01");
    EXPECT_EQ(r.error().message, "Unknown command");
  }
}

TEST(CommandTest, EncodeRoundTrip) {
  Command cmds[] = {ComQuery{"SELECT 1"},
                    ComInitDb{"db"},
                    ComFieldList{"t", "%"},
                    ComProcessKill{77},
                    ComShutdown{0},
                    ComSetOption{1},
                    ComPing{},
                    ComQuit{},
                    ComStatistics{},
                    ComRegisterSlave{3, "h", "u", "p", 3307, 0, 0},
                    ComBinlogDump{4, 1, 9, "bin.000002"},
                    ComStmtPrepare{"SELECT ?"},
                    ComStmtClose{5},
                    ComStmtReset{6},
                    ComStmtSendLongData{7, 1, "blob"}};
  for (const Command& c : cmds) {
    std::string p = EncodeCommand(c);
    auto d = DecodeCommand(p);
    ASSERT_TRUE(d.ok()) << static_cast<int>(CommandByte(c));
    EXPECT_EQ(CommandByte(d.value()), CommandByte(c));
    EXPECT_EQ(EncodeCommand(d.value()), p);
  }
}

TEST(CommandTest, StmtExecuteKeepsPayload) {
  std::string p = Bytes({0x17, 9, 0, 0, 0, 0, 1, 0, 0, 0});
  auto c = Decode<ComStmtExecute>(p);
  EXPECT_EQ(c.statement_id, 9u);
  EXPECT_EQ(c.payload, p);
  EXPECT_EQ(EncodeCommand(Command(c)), p);
}

TEST(CommandTest, StmtCommandsTruncated) {
  EXPECT_FALSE(DecodeCommand(Bytes({0x17, 9, 0, 0})).ok());
  EXPECT_FALSE(DecodeCommand(Bytes({0x19, 9})).ok());
  EXPECT_FALSE(DecodeCommand(Bytes({0x1A})).ok());
  EXPECT_FALSE(DecodeCommand(Bytes({0x18, 1, 0, 0, 0, 1})).ok());
}

TEST(CommandTest, Names) {
  EXPECT_EQ(CommandName(mysql::kComQuery), "Query");
  EXPECT_EQ(CommandName(mysql::kComSleep), "Sleep");
  EXPECT_EQ(CommandName(mysql::kComBinlogDump), "Binlog Dump");
  EXPECT_EQ(CommandName(0xF0), "Error");
}

}  // namespace
}  // namespace reptut::protocol
