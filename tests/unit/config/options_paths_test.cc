// ParseServerOptions: how paths and log names are completed, as mysqld does.
#include <gtest/gtest.h>

#include "options_fixture.h"

namespace reptut::config {
namespace {

using PathsTest = testing::ServerOptionsTest;

TEST_F(PathsTest, RelativeDatadirIsMadeAbsolute) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=./master/data/"}).datadir, "/work/tut/master/data");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=../other"}).datadir, "/work/other");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=/var/lib/r"}).datadir, "/var/lib/r");
}

TEST_F(PathsTest, HomeIsExpanded) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=~/data"}).datadir, "/home/u/data");
}

TEST_F(PathsTest, RelativeDefaultsFileIsReadFromCurrentDirectory) {
  File("/work/tut/conf/m.cnf", "[mysqld]\nport=9\n");
  EXPECT_EQ(Ok({"--defaults-file=conf/m.cnf"}).port, 9);
}

TEST_F(PathsTest, PidFileDefault) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d"}).pid_file, "/work/tut/d/testhost.pid");
}

TEST_F(PathsTest, PidFileRelativeToDatadir) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=master.pid"}).pid_file,
            "/work/tut/d/master.pid");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=sub/master.pid"}).pid_file,
            "/work/tut/d/sub/master.pid");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=/run/m.pid"}).pid_file, "/run/m.pid");
}

// As mariadbd 10.11: the pid file is the name given, no ".pid" added, with
// or without another extension, absolute or relative to datadir.
TEST_F(PathsTest, PidFileIsWrittenAsNamed) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=master"}).pid_file,
            "/work/tut/d/master");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=master.pidfile"}).pid_file,
            "/work/tut/d/master.pidfile");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=sub.d/master"}).pid_file,
            "/work/tut/d/sub.d/master");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=/tmp/x/foo"}).pid_file, "/tmp/x/foo");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--pid-file=/tmp/x/foo.pidfile"}).pid_file,
            "/tmp/x/foo.pidfile");
}

TEST_F(PathsTest, LogErrorRelativeToDatadir) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--log-error=master.err"}).log_error,
            "/work/tut/d/master.err");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--log-error=master"}).log_error,
            "/work/tut/d/master.err");
  EXPECT_EQ(Ok({"--no-defaults", "--log-error=/var/log/r.log"}).log_error, "/var/log/r.log");
}

// Unlike the pid file, the error log gets ".err" when its name has none
// (as mariadbd 10.11), whether absolute or relative.
TEST_F(PathsTest, LogErrorGetsErrExtensionWhenItHasNone) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--log-error=/tmp/x/bar"}).log_error,
            "/tmp/x/bar.err");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--log-error=/tmp/x/bar.log"}).log_error,
            "/tmp/x/bar.log");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--log-error=bar.log"}).log_error,
            "/work/tut/d/bar.log");
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--log-error=sub.d/bar"}).log_error,
            "/work/tut/d/sub.d/bar.err");
}

TEST_F(PathsTest, LogErrorWithoutValueIsHostErrInDatadir) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--log-error"}).log_error,
            "/work/tut/d/testhost.err");
}

TEST_F(PathsTest, LogErrorUnsetIsStderr) {
  EXPECT_EQ(Ok({"--no-defaults"}).log_error, "");
  EXPECT_EQ(Ok({"--no-defaults", "--log-error=x", "--skip-log-error"}).log_error, "");
}

TEST_F(PathsTest, LogBinWithoutValue) {
  ServerOptions o = Ok({"--no-defaults", "--log-bin"});
  EXPECT_TRUE(o.log_bin_enabled);
  EXPECT_EQ(o.log_bin, "testhost-bin");
  EXPECT_EQ(o.log_bin_index, "testhost-bin.index");
}

TEST_F(PathsTest, LogBinEmptyValueIsDefaultName) {
  EXPECT_EQ(Ok({"--no-defaults", "--log-bin="}).log_bin, "testhost-bin");
}

TEST_F(PathsTest, LogBinNameDropsExtension) {
  ServerOptions o = Ok({"--no-defaults", "--log-bin=master-bin.log"});
  EXPECT_TRUE(o.log_bin_enabled);
  EXPECT_EQ(o.log_bin, "master-bin");
  EXPECT_EQ(Ok({"--no-defaults", "--log-bin=/var/log/r.d/bin"}).log_bin, "/var/log/r.d/bin");
}

TEST_F(PathsTest, SkipLogBin) {
  File("/work/tut/m.cnf", "[mysqld]\nlog-bin=master-bin\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf", "--skip-log-bin"});
  EXPECT_FALSE(o.log_bin_enabled);
  EXPECT_EQ(o.log_bin, "");
  EXPECT_EQ(o.all["log_bin"], "OFF");
  EXPECT_FALSE(Ok({"--defaults-file=m.cnf", "--disable-log-bin"}).log_bin_enabled);
}

TEST_F(PathsTest, RelayLogDefaults) {
  ServerOptions o = Ok({"--no-defaults"});
  EXPECT_EQ(o.relay_log, "testhost-relay-bin");
  EXPECT_EQ(o.relay_log_index, "testhost-relay-bin.index");
  EXPECT_EQ(o.relay_log_info_file, "relay-log.info");
  EXPECT_EQ(o.master_info_file, "master.info");
}

TEST_F(PathsTest, RelaySocketRelativeToDatadir) {
  EXPECT_EQ(Ok({"--no-defaults", "--datadir=d", "--socket=m.sock"}).socket, "/work/tut/d/m.sock");
}

TEST_F(PathsTest, TmpdirFromEnvironment) {
  env_.tmpdir = "/scratch";
  EXPECT_EQ(Ok({"--no-defaults"}).tmpdir, "/scratch");
}

TEST_F(PathsTest, RelativeBasedirIsMadeAbsolute) {
  EXPECT_EQ(Ok({"--no-defaults", "--basedir=mysql-5.1"}).basedir, "/work/tut/mysql-5.1");
}

}  // namespace
}  // namespace reptut::config
