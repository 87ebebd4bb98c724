#include "tutorial_config.h"

#include <gtest/gtest.h>

#include "failure.h"

namespace serveradm {
namespace {

TEST(TutorialConfig, RoundTripKeepsServerOrder) {
  TutorialConfig c;
  c.flavor = "mariadb";
  c.mysqld = "/usr/sbin/mariadbd";
  c.basedir = "/usr";
  c.servers.push_back({"zeta", "master", 12000, 1, ""});
  c.servers.push_back({"alpha", "slave", 12001, 2, "zeta"});
  TutorialConfig back = TutorialConfig::FromToml(c.ToToml(), "test");
  EXPECT_EQ(back.flavor, "mariadb");
  EXPECT_EQ(back.mysqld, "/usr/sbin/mariadbd");
  ASSERT_EQ(back.servers.size(), 2u);
  EXPECT_EQ(back.servers[0].name, "zeta");
  EXPECT_EQ(back.servers[1].name, "alpha");
  EXPECT_EQ(back.servers[1].master, "zeta");
  EXPECT_EQ(back.servers[1].port, 12001);
  EXPECT_TRUE(back.Find("alpha")->IsSlave());
  EXPECT_FALSE(back.Find("alpha")->IsMaster());
  EXPECT_EQ(back.Find("nobody"), nullptr);
}

TEST(TutorialConfig, BrokenFileNamesTheLine) {
  try {
    TutorialConfig::FromToml("[tutorial]\nflavor = \n", "serverconfig.toml");
    FAIL();
  } catch (const Failure& e) {
    EXPECT_NE(e.cause().find("line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(TutorialConfig::FromToml("[[server]]\nname = 'x'\n", "s"), Failure);
}

TEST(ServerEntry, Roles) {
  ServerEntry both{"m", "master,slave", 1, 1, ""};
  EXPECT_TRUE(both.IsMaster());
  EXPECT_TRUE(both.IsSlave());
}

}  // namespace
}  // namespace serveradm
