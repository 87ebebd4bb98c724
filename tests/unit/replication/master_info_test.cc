// master.info: MySQL 5.7's layout written and read back, the older layouts
// (the seeds' MySQL 5.1 files, MySQL 4.0), the real MariaDB 10.11 file of
// tests/fixtures, and one test per malformed input.
#include "replication/master_info.h"

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

MasterInfo MustParse(std::string_view text) {
  Result<MasterInfo> r = ParseMasterInfo(text, "master.info");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : MasterInfo{};
}

std::string MustFail(std::string_view text) {
  Result<MasterInfo> r = ParseMasterInfo(text, "master.info");
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code, ER_MASTER_INFO);
  return r.error().message;
}

MasterInfo Full() {
  MasterInfo mi;
  mi.log_file = "master-bin.000002";
  mi.log_pos = 751;
  mi.host = "127.0.0.1";
  mi.user = "repl_user";
  mi.password = "xyzzy";
  mi.port = 52543;
  mi.connect_retry = 10;
  mi.ssl = true;
  mi.ssl_ca = "/etc/ca.pem";
  mi.ssl_capath = "/etc/certs";
  mi.ssl_cert = "/etc/cert.pem";
  mi.ssl_cipher = "AES256-SHA";
  mi.ssl_key = "/etc/key.pem";
  mi.ssl_verify_server_cert = true;
  mi.heartbeat_period = 1.5;
  mi.bind = "10.0.0.2";
  mi.ignore_server_ids = {5, 7};
  mi.master_uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  mi.retry_count = 12;
  mi.ssl_crl = "/etc/crl.pem";
  mi.ssl_crlpath = "/etc/crls";
  mi.auto_position = true;
  mi.tls_version = "TLSv1.2";
  return mi;
}

TEST(MasterInfo, FormatIsMySql57Layout) {
  MasterInfo mi;
  mi.log_file = "master-bin.000002";
  mi.log_pos = 751;
  mi.host = "127.0.0.1";
  mi.user = "repl_user";
  mi.password = "xyzzy";
  EXPECT_EQ(FormatMasterInfo(mi),
            "25\n"
            "master-bin.000002\n"
            "751\n"
            "127.0.0.1\n"
            "repl_user\n"
            "xyzzy\n"
            "3306\n"
            "60\n"
            "0\n"
            "\n\n\n\n\n"  // SSL CA, CA path, cert, cipher, key
            "0\n"
            "30.000\n"
            "\n"   // bind
            "0\n"  // no ignored server ids
            "\n"   // master uuid
            "86400\n"
            "\n\n"  // crl, crlpath
            "0\n"
            "\n"    // channel
            "\n");  // tls version
}

TEST(MasterInfo, FormatIgnoreIdsAndHeartbeat) {
  std::string text = FormatMasterInfo(Full());
  EXPECT_NE(text.find("\n1.500\n10.0.0.2\n2 5 7\n"), std::string::npos) << text;
}

TEST(MasterInfo, RoundTrip) {
  EXPECT_EQ(MustParse(FormatMasterInfo(Full())), Full());
  EXPECT_EQ(MustParse(FormatMasterInfo(MasterInfo{})), MasterInfo{});
}

TEST(MasterInfo, RoundTripEmptyLogNameIsFirstLog) {
  MasterInfo mi;
  mi.host = "h";
  MasterInfo back = MustParse(FormatMasterInfo(mi));
  EXPECT_EQ(back.log_file, "");
  EXPECT_EQ(back.log_pos, 4u);
}

TEST(MasterInfo, MariaDbFixture) {
  MasterInfo mi = MustParse(ReadFixture("mariadb-10.11-replica/master.info"));
  EXPECT_EQ(mi.log_file, "master-bin.000002");
  EXPECT_EQ(mi.log_pos, 751u);
  EXPECT_EQ(mi.host, "127.0.0.1");
  EXPECT_EQ(mi.user, "repl_user");
  EXPECT_EQ(mi.password, "xyzzy");
  EXPECT_EQ(mi.port, 52543);
  EXPECT_EQ(mi.connect_retry, 60u);
  EXPECT_FALSE(mi.ssl);
  EXPECT_FALSE(mi.ssl_verify_server_cert);
  EXPECT_DOUBLE_EQ(mi.heartbeat_period, 30.0);
  EXPECT_TRUE(mi.ignore_server_ids.empty());
  // MariaDB's line 20 is a placeholder "0", not a retry count of 0.
  EXPECT_EQ(mi.retry_count, 86400u);
  EXPECT_FALSE(mi.auto_position);
}

// The seed's MySQL 5.1 file (000_*.txt): 15 lines, the last the verify flag.
TEST(MasterInfo, MySql51SeedLayout) {
  MasterInfo mi =
      MustParse("15\nmasterbin.001\n802\n127.0.0.1\nroot\nxyzzy\n9306\n1\n0\n\n\n\n\n\n0\n");
  EXPECT_EQ(mi.log_file, "masterbin.001");
  EXPECT_EQ(mi.log_pos, 802u);
  EXPECT_EQ(mi.host, "127.0.0.1");
  EXPECT_EQ(mi.user, "root");
  EXPECT_EQ(mi.password, "xyzzy");
  EXPECT_EQ(mi.port, 9306);
  EXPECT_EQ(mi.connect_retry, 1u);
  EXPECT_FALSE(mi.ssl);
  EXPECT_DOUBLE_EQ(mi.heartbeat_period, 30.0);  // not in the file: the default
  EXPECT_EQ(mi.retry_count, 86400u);
}

// The other seed's file (002_*.txt): a count of 14 (before 5.1.16, no verify
// line); the book shows its first 9 lines, the SSL lines being blank.
TEST(MasterInfo, MySql51FourteenLines) {
  MasterInfo mi =
      MustParse("14\nbin.000038\n6393\nmaster_host\nreplicant\nmy_pwd\n3306\n60\n0\n\n\n\n\n\n");
  EXPECT_EQ(mi.log_file, "bin.000038");
  EXPECT_EQ(mi.log_pos, 6393u);
  EXPECT_EQ(mi.host, "master_host");
  EXPECT_EQ(mi.user, "replicant");
  EXPECT_EQ(mi.password, "my_pwd");
  EXPECT_EQ(mi.port, 3306);
  EXPECT_EQ(mi.connect_retry, 60u);
}

TEST(MasterInfo, CountCoversOnlyItsLines) {
  // A count of 14 stops before the verify line: what follows is left over
  // from an earlier, longer file.
  MasterInfo mi = MustParse("14\nbin.1\n4\nh\nu\np\n3306\n60\n0\n\n\n\n\n\n1\ngarbage\n");
  EXPECT_FALSE(mi.ssl_verify_server_cert);
}

TEST(MasterInfo, MissingLastLinesTakeDefaults) {
  // As the seed prints it: the blank SSL lines at the end left out.
  MasterInfo mi = MustParse("14\nbin.000038\n6393\nmaster_host\nreplicant\nmy_pwd\n3306\n60\n0\n");
  EXPECT_EQ(mi.log_pos, 6393u);
  EXPECT_EQ(mi.ssl_ca, "");
  // A 5.7 file cut after the password.
  mi = MustParse("25\nbin.1\n120\nh\nu\np\n");
  EXPECT_EQ(mi.port, 3306);
  EXPECT_EQ(mi.connect_retry, 60u);
  EXPECT_EQ(mi.retry_count, 86400u);
}

TEST(MasterInfo, TrailingBlankLinesAndNoFinalNewline) {
  std::string text = FormatMasterInfo(Full());
  EXPECT_EQ(MustParse(text + "\n\n\n"), Full());
  // Without the final newline the last line (TLS version) still counts.
  text.pop_back();
  EXPECT_EQ(MustParse(text), Full());
}

TEST(MasterInfo, WindowsLineEnds) {
  std::string text;
  for (char c : FormatMasterInfo(Full())) {
    if (c == '\n') text += '\r';
    text += c;
  }
  EXPECT_EQ(MustParse(text), Full());
}

// MySQL 4.0 wrote no count: the first line is the log name (never a number),
// then six more lines. MySQL reads such a file so, and so does this.
TEST(MasterInfo, MySql40NoCountLine) {
  MasterInfo mi = MustParse("gbichot-bin.005\n79\nlocalhost\nroot\npw\n3306\n3\n");
  EXPECT_EQ(mi.log_file, "gbichot-bin.005");
  EXPECT_EQ(mi.log_pos, 79u);
  EXPECT_EQ(mi.host, "localhost");
  EXPECT_EQ(mi.connect_retry, 3u);
  // An empty first line is an empty log name (the master's first log).
  mi = MustParse("\n4\nlocalhost\nroot\npw\n");
  EXPECT_EQ(mi.log_file, "");
  EXPECT_EQ(mi.port, 3306);
}

TEST(MasterInfo, EmptyFile) {
  EXPECT_EQ(MustFail(""), "master.info: the file is empty");
  EXPECT_EQ(MustFail("\n\n"), "master.info: the file is empty");
}

TEST(MasterInfo, NonNumericPosition) {
  EXPECT_EQ(MustFail("25\nbin.1\nabc\nh\nu\np\n3306\n60\n"),
            "master.info line 3: 'abc' is not a number (Read_Master_Log_Pos)");
}

TEST(MasterInfo, MissingPositionLine) {
  EXPECT_EQ(MustFail("25\nbin.000001\n"),
            "master.info line 3: missing Read_Master_Log_Pos (the file has 2 lines)");
}

TEST(MasterInfo, MissingLogNameLine) {
  EXPECT_EQ(MustFail("25\n"), "master.info line 2: missing Master_Log_File (the file has 1 line)");
}

TEST(MasterInfo, MissingPasswordLine) {
  EXPECT_EQ(MustFail("25\nbin.1\n4\nh\nu\n"),
            "master.info line 6: missing Master_Password (the file has 5 lines)");
}

TEST(MasterInfo, PortOutOfRange) {
  EXPECT_EQ(MustFail("25\nbin.1\n4\nh\nu\np\n70000\n60\n"),
            "master.info line 7: 70000 is out of range for Master_Port (0 to 65535)");
}

TEST(MasterInfo, PortNotANumber) {
  EXPECT_EQ(MustFail("25\nbin.1\n4\nh\nu\np\n-1\n60\n"),
            "master.info line 7: '-1' is not a number (Master_Port)");
}

TEST(MasterInfo, CountLineTooSmall) {
  EXPECT_EQ(MustFail("7\nbin.1\n4\nh\nu\np\n3306\n"),
            "master.info line 1: the line count 7 is too small (a master.info file with a line "
            "count has at least 14 lines; one without starts with the log file name)");
}

// A first line that is not a number is a MySQL 4.0 log name, as MySQL takes
// it: the error then comes from the line after, the position.
TEST(MasterInfo, CountLineNotANumber) {
  EXPECT_EQ(MustFail("twenty-five\nbin.1\n4\nh\nu\np\n"),
            "master.info line 2: 'bin.1' is not a number (Read_Master_Log_Pos)");
}

TEST(MasterInfo, FlagNotZeroOrOne) {
  EXPECT_EQ(MustFail("25\nbin.1\n4\nh\nu\np\n3306\n60\nyes\n"),
            "master.info line 9: 'yes' is not 0 or 1 (Master_SSL_Allowed)");
}

TEST(MasterInfo, BadHeartbeat) {
  std::string head = "25\nbin.1\n4\nh\nu\np\n3306\n60\n0\n\n\n\n\n\n0\n";
  EXPECT_EQ(MustFail(head + "soon\n"),
            "master.info line 16: 'soon' is not a number of seconds (Master_Heartbeat_Period)");
  EXPECT_EQ(MustFail(head + "5000000.000\n"),
            "master.info line 16: 5000000.000 is out of range for Master_Heartbeat_Period (0 to "
            "4294967 seconds)");
}

TEST(MasterInfo, BadIgnoreServerIds) {
  std::string head = "25\nbin.1\n4\nh\nu\np\n3306\n60\n0\n\n\n\n\n\n0\n30.000\n\n";
  EXPECT_EQ(MustFail(head + "2 5\n"),
            "master.info line 18: '2 5' says 2 server ids and lists 1 "
            "(Replicate_Ignore_Server_Ids)");
  EXPECT_EQ(MustFail(head + "1 x\n"),
            "master.info line 18: 'x' is not a server id (Replicate_Ignore_Server_Ids)");
}

TEST(MasterInfo, NonNumericRetryCount) {
  std::string text = FormatMasterInfo(MasterInfo{});
  size_t at = text.find("\n86400\n");
  ASSERT_NE(at, std::string::npos);
  text.replace(at + 1, 5, "many");
  EXPECT_EQ(MustFail(text), "master.info line 20: 'many' is not a number (Master_Retry_Count)");
}

TEST(MasterInfo, ErrorNamesTheFileGiven) {
  Result<MasterInfo> r = ParseMasterInfo("25\nbin.1\nx\n", "/var/lib/mysql/master.info");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "/var/lib/mysql/master.info line 3: 'x' is not a number (Read_Master_Log_Pos)");
}

}  // namespace
}  // namespace reptut::replication
