#include "args.h"

#include <gtest/gtest.h>

#include "failure.h"

namespace serveradm {
namespace {

TEST(Args, SeedSyntaxAndLongOptionsAreTheSame) {
  Args a = ParseArgs({"add", "name=master", "roles=master", "server-id=5"});
  Args b = ParseArgs({"add", "--name=master", "--roles", "master", "--server_id", "5"});
  EXPECT_EQ(a.command, "add");
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(a.GetOr("server_id", ""), "5");
}

TEST(Args, FlagsPositionalsAndTheSeedsRoleSpelling) {
  Args a = ParseArgs({"status", "--json", "master", "role=slave", "--explain"});
  EXPECT_TRUE(a.Flag("json"));
  EXPECT_TRUE(a.Flag("explain"));
  EXPECT_EQ(a.positional, std::vector<std::string>{"master"});
  EXPECT_EQ(a.GetOr("roles", ""), "slave");
}

TEST(Args, LongOptionWithoutValueIsAnError) {
  EXPECT_THROW(ParseArgs({"add", "--name"}), UsageError);
}

TEST(Args, UnknownKeysAreNamedWithTheValidOnes) {
  Args a = ParseArgs({"add", "name=x", "colour=red"});
  try {
    CheckArgs(a, {"name", "roles"}, {}, 0);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown option 'colour' (valid: name, roles)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(CheckArgs(ParseArgs({"list", "--json"}), {}, {}, 0), UsageError);
  EXPECT_THROW(CheckArgs(ParseArgs({"list", "extra"}), {}, {}, 0), UsageError);
  EXPECT_NO_THROW(CheckArgs(ParseArgs({"list", "--explain"}), {}, {}, 0));
}

TEST(Args, Numbers) {
  Args a = ParseArgs({"add", "port=12000", "server_id=x1"});
  EXPECT_EQ(a.GetNumber("port", 65535), 12000u);
  EXPECT_THROW(a.GetNumber("server_id", 100), UsageError);
  EXPECT_THROW(ParseArgs({"add", "port=70000"}).GetNumber("port", 65535), UsageError);
  EXPECT_FALSE(a.GetNumber("missing", 1).has_value());
}

TEST(Roles, AsTheSeedSpellsThem) {
  EXPECT_EQ(ParseRoles("master").ToString(), "master");
  EXPECT_EQ(ParseRoles("slave").ToString(), "slave");
  EXPECT_EQ(ParseRoles("master,slave").ToString(), "master,slave");
  EXPECT_EQ(ParseRoles("slave,master").ToString(), "master,slave");
  try {
    ParseRoles("mastr");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("valid roles: master, slave, master,slave"),
              std::string::npos);
  }
  EXPECT_THROW(ParseRoles(""), UsageError);
  EXPECT_THROW(ParseRoles("master,"), UsageError);
}

}  // namespace
}  // namespace serveradm
