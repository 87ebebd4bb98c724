#include "flavor.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "failure.h"

namespace serveradm {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Flavor, NamesAndUnknownOnes) {
  EXPECT_EQ(MakeFlavor("bundled")->Name(), "bundled");
  EXPECT_EQ(MakeFlavor("mariadb")->Name(), "mariadb");
  try {
    MakeFlavor("oracle");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("valid flavors: bundled, mariadb"), std::string::npos);
  }
}

TEST(Flavor, BundledBootstrapIsReptutdInitializeInsecure) {
  auto f = MakeFlavor("bundled");
  Programs p = f->Resolve("/b/reptutd", "/b");
  auto cmd = f->BootstrapCommand(p, "/t/m/data", "");
  EXPECT_EQ(cmd, (std::vector<std::string>{"/b/reptutd", "--no-defaults", "--initialize-insecure",
                                           "--datadir=/t/m/data"}));
  EXPECT_FALSE(f->HasBootstrapSql());
}

TEST(Flavor, MariadbBootstrapHasNoAnonymousUsersAndRunsItsSql) {
  auto f = MakeFlavor("mariadb");
  Programs p = f->Resolve("/usr/sbin/mariadbd", "/usr");
  auto cmd = f->BootstrapCommand(p, "/t/m/data", "/c/bootstrap.sql");
  EXPECT_TRUE(Has(cmd, "--no-defaults"));
  EXPECT_TRUE(Has(cmd, "--datadir=/t/m/data"));
  EXPECT_TRUE(Has(cmd, "--auth-root-authentication-method=normal"));
  EXPECT_TRUE(Has(cmd, "--skip-test-db"));
  EXPECT_TRUE(Has(cmd, "--extra-file=/c/bootstrap.sql"));
  EXPECT_TRUE(f->HasBootstrapSql());
  // A backup leaves out the replication state of the server it came from.
  EXPECT_TRUE(Has(f->BackupExcludes(), "master.info"));
  EXPECT_TRUE(Has(f->BackupExcludes(), "relay-log.info"));
}

TEST(Flavor, MariadbWithAMissingBasedirSaysWhereItLooked) {
  try {
    MakeFlavor("mariadb")->Candidates("/tmp", "/nonexistent-basedir");
    FAIL();
  } catch (const Failure& e) {
    EXPECT_EQ(e.step(), "find mariadbd");
    EXPECT_NE(e.cause().find("/nonexistent-basedir"), std::string::npos);
  }
}

}  // namespace
}  // namespace serveradm
