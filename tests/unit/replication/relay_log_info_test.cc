// relay-log.info: MySQL 5.7's layout written and read back, the seed's
// count-less layout, the real MariaDB 10.11 file of tests/fixtures, and one
// test per malformed input.
#include "replication/relay_log_info.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/errors.h"

namespace reptut::replication {
namespace {

std::string ReadFixture(const std::string& relative) {
  std::ifstream f(std::string(REPTUT_FIXTURES_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(f.good()) << relative;
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

RelayLogInfo MustParse(std::string_view text) {
  Result<RelayLogInfo> r = ParseRelayLogInfo(text, "relay-log.info");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : RelayLogInfo{};
}

std::string MustFail(std::string_view text) {
  Result<RelayLogInfo> r = ParseRelayLogInfo(text, "relay-log.info");
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code, ER_UNKNOWN_ERROR);
  return r.error().message;
}

RelayLogInfo Sample() {
  RelayLogInfo ri;
  ri.relay_log_file = "./slave-relay-bin.000003";
  ri.relay_log_pos = 693;
  ri.master_log_file = "master-bin.000002";
  ri.master_log_pos = 751;
  ri.sql_delay = 3600;
  ri.workers = 4;
  return ri;
}

// MySQL 5.7 counts 7 values and writes an eighth, the (empty) channel name.
TEST(RelayLogInfo, FormatIsMySql57Layout) {
  EXPECT_EQ(FormatRelayLogInfo(Sample()),
            "7\n./slave-relay-bin.000003\n693\nmaster-bin.000002\n751\n3600\n4\n1\n\n");
}

TEST(RelayLogInfo, RoundTrip) {
  EXPECT_EQ(MustParse(FormatRelayLogInfo(Sample())), Sample());
  EXPECT_EQ(MustParse(FormatRelayLogInfo(RelayLogInfo{})), RelayLogInfo{});
}

// The seed (002_*.txt): four lines, no count.
TEST(RelayLogInfo, SeedLayoutWithoutCount) {
  RelayLogInfo ri = MustParse("/var/log/mysql/relay.000002\n555\nbin.000011\n497\n");
  EXPECT_EQ(ri.relay_log_file, "/var/log/mysql/relay.000002");
  EXPECT_EQ(ri.relay_log_pos, 555u);
  EXPECT_EQ(ri.master_log_file, "bin.000011");
  EXPECT_EQ(ri.master_log_pos, 497u);
  EXPECT_EQ(ri.sql_delay, 0u);
  EXPECT_EQ(ri.id, 1u);
}

// MariaDB 10.11 writes a count of 5 (up to SQL_Delay); the fixture has a
// leftover line after those, which the count excludes.
TEST(RelayLogInfo, MariaDbFixture) {
  RelayLogInfo ri = MustParse(ReadFixture("mariadb-10.11-replica/relay-log.info"));
  EXPECT_EQ(ri.relay_log_file, "./slave-relay-bin.000005");
  EXPECT_EQ(ri.relay_log_pos, 693u);
  EXPECT_EQ(ri.master_log_file, "master-bin.000002");
  EXPECT_EQ(ri.master_log_pos, 751u);
  EXPECT_EQ(ri.sql_delay, 0u);
  EXPECT_EQ(ri.workers, 0u);
}

TEST(RelayLogInfo, CountExcludesLeftoverLines) {
  RelayLogInfo ri = MustParse("5\n./r.000001\n4\nm.000001\n120\n30\n99\n");
  EXPECT_EQ(ri.sql_delay, 30u);
  EXPECT_EQ(ri.workers, 0u);  // line 7 is not covered by the count
}

TEST(RelayLogInfo, MissingLastLinesTakeDefaults) {
  RelayLogInfo ri = MustParse("7\n./r.000001\n4\nm.000001\n120\n");
  EXPECT_EQ(ri.master_log_pos, 120u);
  EXPECT_EQ(ri.sql_delay, 0u);
  EXPECT_EQ(ri.id, 1u);
}

TEST(RelayLogInfo, TrailingBlankLinesAndNoFinalNewline) {
  EXPECT_EQ(MustParse(FormatRelayLogInfo(Sample()) + "\n\n"), Sample());
  EXPECT_EQ(MustParse("7\n./slave-relay-bin.000003\n693\nmaster-bin.000002\n751\n3600\n4\n1"),
            Sample());
}

TEST(RelayLogInfo, EmptyFile) {
  EXPECT_EQ(MustFail(""), "relay-log.info: the file is empty");
}

TEST(RelayLogInfo, NonNumericRelayPosition) {
  EXPECT_EQ(MustFail("7\n./r.000001\nabc\nm.000001\n120\n"),
            "relay-log.info line 3: 'abc' is not a number (Relay_Log_Pos)");
}

TEST(RelayLogInfo, NonNumericMasterPosition) {
  EXPECT_EQ(MustFail("/var/log/mysql/relay.000002\n555\nbin.000011\n4 97\n"),
            "relay-log.info line 4: '4 97' is not a number (Exec_Master_Log_Pos)");
}

TEST(RelayLogInfo, MissingMasterPosition) {
  EXPECT_EQ(MustFail("7\n./r.000001\n4\nm.000001\n"),
            "relay-log.info line 5: missing Exec_Master_Log_Pos (the file has 4 lines)");
}

TEST(RelayLogInfo, FirstBadLineIsReported) {
  // Line 3 is bad and the file also ends too early: line 3 is named.
  EXPECT_EQ(MustFail("7\n./r.000001\nx\n"),
            "relay-log.info line 3: 'x' is not a number (Relay_Log_Pos)");
}

TEST(RelayLogInfo, CountTooSmall) {
  EXPECT_EQ(MustFail("4\n./r.000001\n4\nm.000001\n120\n"),
            "relay-log.info line 1: the count 4 is too small (a relay-log.info file with a count "
            "has at least 5 values; one without starts with the relay log name)");
}

TEST(RelayLogInfo, SqlDelayOutOfRange) {
  EXPECT_EQ(MustFail("5\n./r.000001\n4\nm.000001\n120\n4294967296\n"),
            "relay-log.info line 6: 4294967296 is out of range for SQL_Delay (0 to 2147483647)");
}

}  // namespace
}  // namespace reptut::replication
