// LoadDefaults: the option-file selection any MySQL program makes.
#include "config/defaults.h"

#include <gtest/gtest.h>

#include "options_fixture.h"

namespace reptut::config {
namespace {

class DefaultsTest : public testing::ServerOptionsTest {
 protected:
  Result<LoadedDefaults> Load(std::vector<std::string> args, std::vector<std::string> groups) {
    args.insert(args.begin(), "mysql");
    return LoadDefaults(args, groups, env_, fs_);
  }
};

TEST_F(DefaultsTest, ClientGroupsOfTheTutorialFile) {
  File("/work/tut/master.cnf",
       "[mysqld]\nport=12000\n[mysql]\nprompt='master> '\nhost = localhost\n[client]\nport=12000\n"
       "socket=/tmp/master.sock\n");
  auto r = Load({"--defaults-file=master.cnf", "-uroot"}, {"client", "mysql"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->options.size(), 4u);
  EXPECT_EQ(r->options[0].entry.name, "prompt");
  EXPECT_EQ(r->options[0].entry.value, "master> ");
  EXPECT_EQ(r->options[0].entry.Origin(), "/work/tut/master.cnf:4");
  EXPECT_FALSE(r->options[0].from_default_search);
  EXPECT_EQ(r->rest, std::vector<std::string>{"-uroot"});
  EXPECT_EQ(r->Arguments(),
            (std::vector<std::string>{"--prompt=master> ", "--host=localhost", "--port=12000",
                                      "--socket=/tmp/master.sock", "-uroot"}));
}

TEST_F(DefaultsTest, DefaultSearchIsMarked) {
  File("/etc/my.cnf", "[client]\nuser=a\n");
  auto r = Load({}, {"client"});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->options.size(), 1u);
  EXPECT_TRUE(r->options[0].from_default_search);
  EXPECT_EQ(r->files_read, std::vector<std::string>{"/etc/my.cnf"});
}

TEST_F(DefaultsTest, LeadingArgumentsInAnyOrderEachOnce) {
  File("/work/tut/m.cnf", "[client]\nuser=a\n[client.x]\nuser=b\n");
  auto r = Load({"--defaults-group-suffix=.x", "--defaults-file=m.cnf", "--print-defaults",
                 "--defaults-file=other.cnf"},
                {"client"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->print_defaults);
  ASSERT_EQ(r->options.size(), 2u);
  EXPECT_EQ(r->options[1].entry.value, "b");
  EXPECT_EQ(r->rest, std::vector<std::string>{"--defaults-file=other.cnf"});
}

TEST_F(DefaultsTest, PrintDefaultsOnlyRightAfterThem) {
  auto r = Load({"--no-defaults", "--port=1", "--print-defaults"}, {"client"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->print_defaults);
  EXPECT_EQ(r->rest, (std::vector<std::string>{"--port=1", "--print-defaults"}));
}

}  // namespace
}  // namespace reptut::config
