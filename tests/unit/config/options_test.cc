// ParseServerOptions: which files are read, precedence, option syntax and
// type checking.
#include <gtest/gtest.h>

#include "options_fixture.h"

namespace reptut::config {
namespace {

using Test = testing::ServerOptionsTest;

constexpr const char* kMasterCnf =
    "[mysqld]\n"
    "server-id = 1\n"
    "log-bin = master-bin.log\n"
    "port = 12000\n"
    "socket = /tmp/master.sock\n"
    "datadir = master/data\n"
    "\n"
    "[mysql]\n"
    "prompt = 'master> '\n"
    "host = localhost\n"
    "port = 12000\n";

TEST_F(Test, TutorialMasterCnf) {
  File("/work/tut/master.cnf", kMasterCnf);
  ServerOptions o = Ok({"--defaults-file=master.cnf"});
  EXPECT_EQ(o.server_id, 1u);
  EXPECT_TRUE(o.log_bin_enabled);
  EXPECT_EQ(o.log_bin, "master-bin");
  EXPECT_EQ(o.log_bin_index, "master-bin.index");
  EXPECT_EQ(o.port, 12000);
  EXPECT_EQ(o.socket, "/tmp/master.sock");
  EXPECT_EQ(o.datadir, "/work/tut/master/data");
  EXPECT_EQ(o.all.count("prompt"), 0u);  // [mysql] is the client's
  EXPECT_EQ(o.all.count("host"), 0u);
  EXPECT_EQ(o.origin["port"], "/work/tut/master.cnf:4");
  EXPECT_TRUE(o.warnings.empty());
  EXPECT_EQ(o.files_read, std::vector<std::string>{"/work/tut/master.cnf"});
}

TEST_F(Test, DefaultsWithNoDefaults) {
  File("/etc/my.cnf", "[mysqld]\nport=1\n");
  ServerOptions o = Ok({"--no-defaults"});
  EXPECT_EQ(o.port, 3306);
  EXPECT_EQ(o.socket, "/tmp/mysql.sock");
  EXPECT_EQ(o.bind_address, "127.0.0.1");
  EXPECT_EQ(o.datadir, "/work/tut/data");
  EXPECT_EQ(o.pid_file, "/work/tut/data/testhost.pid");
  EXPECT_FALSE(o.log_bin_enabled);
  EXPECT_EQ(o.log_error, "");
  EXPECT_EQ(o.server_id, 0u);
  EXPECT_EQ(o.tmpdir, "/tmp");
  EXPECT_TRUE(o.files_read.empty());
}

TEST_F(Test, DefaultSearchOrderLaterFileWins) {
  File("/etc/my.cnf", "[mysqld]\nport=1\nserver-id=1\nsocket=/a\n");
  File("/etc/mysql/my.cnf", "[mysqld]\nport=2\nserver-id=2\n");
  File("/home/u/.my.cnf", "[mysqld]\nport=3\n");
  ServerOptions o = Ok({});
  EXPECT_EQ(o.port, 3);
  EXPECT_EQ(o.server_id, 2u);
  EXPECT_EQ(o.socket, "/a");
  EXPECT_EQ(o.files_read,
            (std::vector<std::string>{"/etc/my.cnf", "/etc/mysql/my.cnf", "/home/u/.my.cnf"}));
}

TEST_F(Test, MysqlHomeIsSearched) {
  env_.mysql_home = "/opt/m";
  File("/etc/my.cnf", "[mysqld]\nport=1\n");
  File("/opt/m/my.cnf", "[mysqld]\nport=2\n");
  EXPECT_EQ(Ok({}).port, 2);
}

TEST_F(Test, ExtraFileAfterGlobalFilesBeforeUserFile) {
  File("/etc/my.cnf", "[mysqld]\nport=1\nserver-id=1\nsocket=/a\n");
  File("/work/tut/extra.cnf", "[mysqld]\nport=2\nserver-id=2\n");
  File("/home/u/.my.cnf", "[mysqld]\nport=3\n");
  ServerOptions o = Ok({"--defaults-extra-file=extra.cnf"});
  EXPECT_EQ(o.socket, "/a");
  EXPECT_EQ(o.server_id, 2u);
  EXPECT_EQ(o.port, 3);
}

TEST_F(Test, DefaultsFileIsTheOnlyFileRead) {
  File("/etc/my.cnf", "[mysqld]\nserver-id=9\n");
  File("/home/u/.my.cnf", "[mysqld]\nsocket=/home\n");
  File("/work/tut/master.cnf", "[mysqld]\nport=1\n");
  ServerOptions o = Ok({"--defaults-file=master.cnf"});
  EXPECT_EQ(o.port, 1);
  EXPECT_EQ(o.server_id, 0u);
  EXPECT_EQ(o.socket, "/tmp/mysql.sock");
}

TEST_F(Test, DefaultsFileWinsOverExtraFileAsInMysqld) {
  File("/work/tut/master.cnf", "[mysqld]\nport=1\n");
  File("/work/tut/extra.cnf", "[mysqld]\nport=2\n");
  EXPECT_EQ(Ok({"--defaults-extra-file=extra.cnf", "--defaults-file=master.cnf"}).port, 1);
}

TEST_F(Test, CommandLineOverridesFiles) {
  File("/work/tut/master.cnf", "[mysqld]\nport=1\nserver-id=5\n");
  ServerOptions o = Ok({"--defaults-file=master.cnf", "--port=2"});
  EXPECT_EQ(o.port, 2);
  EXPECT_EQ(o.server_id, 5u);
  EXPECT_EQ(o.origin["port"], "command line");
  EXPECT_EQ(o.origin["server_id"], "/work/tut/master.cnf:3");
}

TEST_F(Test, LaterSettingWins) {
  File("/work/tut/m.cnf", "[mysqld]\nport=1\n[reptutd]\nport=2\n[mysqld]\nport=3\n");
  EXPECT_EQ(Ok({"--defaults-file=m.cnf"}).port, 3);
  EXPECT_EQ(Ok({"--defaults-file=m.cnf", "--port=4", "-P", "5"}).port, 5);
}

TEST_F(Test, MissingDefaultsFile) {
  EXPECT_EQ(Err({"--defaults-file=nope.cnf"}),
            "Could not open required defaults file: /work/tut/nope.cnf");
}

TEST_F(Test, MissingExtraFile) {
  EXPECT_EQ(Err({"--defaults-extra-file=/x/nope.cnf"}),
            "Could not open required defaults file: /x/nope.cnf");
}

TEST_F(Test, DefaultsFileMustComeFirst) {
  File("/work/tut/master.cnf", "[mysqld]\nport=1\n");
  EXPECT_EQ(Err({"--port=2", "--defaults-file=master.cnf"}),
            "unknown variable 'defaults-file=master.cnf'");
}

TEST_F(Test, NoDefaultsMustComeFirst) {
  EXPECT_EQ(Err({"--port=2", "--no-defaults"}), "unknown option '--no-defaults'");
}

TEST_F(Test, GroupsRead) {
  File("/work/tut/m.cnf",
       "[mysqld]\nport=1\n[server]\nserver-id=2\n[mysqld-5.7]\nsocket=/s\n[reptutd]\n"
       "sqlite-synchronous=FULL\n[client]\nuser=x\n[mysqld_safe]\nnice=0\n[mariadb]\nfoo=1\n"
       "[mysqld-8.0]\nbar=1\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf"});
  EXPECT_EQ(o.port, 1);
  EXPECT_EQ(o.server_id, 2u);
  EXPECT_EQ(o.socket, "/s");
  EXPECT_EQ(o.sqlite_synchronous, "FULL");
  EXPECT_EQ(o.all.count("user"), 0u);
}

TEST_F(Test, GroupSuffixAddsGroups) {
  File("/work/tut/m.cnf",
       "[mysqld]\nport=1\nserver-id=1\n[mysqld.m2]\nport=2\n[reptutd.m2]\n"
       "server-id=7\n[mysqld.other]\nsocket=/o\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf", "--defaults-group-suffix=.m2"});
  EXPECT_EQ(o.port, 2);
  EXPECT_EQ(o.server_id, 7u);
  EXPECT_EQ(o.socket, "/tmp/mysql.sock");
}

TEST_F(Test, GroupSuffixFromEnvironment) {
  env_.group_suffix = ".m2";
  File("/work/tut/m.cnf", "[mysqld]\nport=1\n[mysqld.m2]\nport=2\n");
  EXPECT_EQ(Ok({"--defaults-file=m.cnf"}).port, 2);
}

TEST_F(Test, DashAndUnderscoreAreTheSame) {
  File("/work/tut/m.cnf", "[mysqld]\nserver_id=3\nmax-allowed-packet=1M\nbind_address=0.0.0.0\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf", "--max_connections=10", "--skip_networking"});
  EXPECT_EQ(o.server_id, 3u);
  EXPECT_EQ(o.max_allowed_packet, 1u << 20);
  EXPECT_EQ(o.bind_address, "0.0.0.0");
  EXPECT_EQ(o.max_connections, 10u);
  EXPECT_TRUE(o.skip_networking);
  EXPECT_EQ(o.all["max_allowed_packet"], "1048576");
}

TEST_F(Test, UnknownOptionOnCommandLine) {
  EXPECT_EQ(Err({"--no-defaults", "--foo"}), "unknown option '--foo'");
  EXPECT_EQ(Err({"--no-defaults", "--foo=1"}), "unknown variable 'foo=1'");
  EXPECT_EQ(Err({"--no-defaults", "--skip-foo"}), "unknown option '--skip-foo'");
}

TEST_F(Test, UnknownOptionInDefaultsFileIsFatal) {
  File("/work/tut/master.cnf", "[mysqld]\nport=1\nfoo=1\nbar\n");
  EXPECT_EQ(Err({"--defaults-file=master.cnf"}),
            "unknown variable 'foo=1' in config file /work/tut/master.cnf at line 3");
}

TEST_F(Test, UnknownBareOptionInFile) {
  File("/work/tut/master.cnf", "[mysqld]\nthis is not an option\n");
  EXPECT_EQ(
      Err({"--defaults-file=master.cnf"}),
      "unknown option '--this is not an option' in config file /work/tut/master.cnf at line 2");
}

TEST_F(Test, UnknownOptionInExtraFileIsFatal) {
  File("/work/tut/x.cnf", "[mysqld]\nfoo=1\n");
  EXPECT_EQ(Err({"--defaults-extra-file=/work/tut/x.cnf"}),
            "unknown variable 'foo=1' in config file /work/tut/x.cnf at line 2");
}

TEST_F(Test, UnknownOptionInDefaultSearchIsAWarning) {
  File("/etc/mysql/my.cnf",
       "[client-server]\nsocket=/run/mysqld/mysqld.sock\n!includedir /etc/mysql/conf.d/\n"
       "!includedir /etc/mysql/mariadb.conf.d/\n");
  Dir("/etc/mysql/conf.d");
  File("/etc/mysql/mariadb.conf.d/50-server.cnf",
       "[server]\n[mysqld]\npid-file = /run/mysqld/mysqld.pid\nbasedir = /usr\n"
       "expire_logs_days = 10\ncharacter-set-server = utf8mb4\ncollation-server = "
       "utf8mb4_general_ci\nwsrep_on = OFF\n[mariadb]\n[mariadb-10.11]\n");
  ServerOptions o = Ok({});
  EXPECT_EQ(o.socket, "/tmp/mysql.sock");  // [client-server] is MariaDB's, not ours
  EXPECT_EQ(o.pid_file, "/run/mysqld/mysqld.pid");
  EXPECT_EQ(o.character_set_server, "utf8mb4");
  EXPECT_EQ(o.expire_logs_days, 10u);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_EQ(o.warnings[0],
            "unknown variable 'wsrep_on=OFF' in config file "
            "/etc/mysql/mariadb.conf.d/50-server.cnf at line 8");
}

TEST_F(Test, BadValueInDefaultSearchIsStillAnError) {
  File("/etc/my.cnf", "[mysqld]\nport=abc\n");
  EXPECT_EQ(Err({}),
            "Incorrect integer value: 'abc' for port in config file /etc/my.cnf at line 2");
}

TEST_F(Test, LooseUnknownIsAWarning) {
  ServerOptions o = Ok({"--no-defaults", "--loose-foo=1", "--loose-bar"});
  ASSERT_EQ(o.warnings.size(), 2u);
  EXPECT_EQ(o.warnings[0], "unknown variable 'loose-foo=1'");
  EXPECT_EQ(o.warnings[1], "unknown option '--loose-bar'");
}

TEST_F(Test, LooseKnownApplies) {
  File("/work/tut/m.cnf", "[mysqld]\nloose-server-id=4\nloose_innodb_buffer_pool_size=8M\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf", "--loose-port=7"});
  EXPECT_EQ(o.server_id, 4u);
  EXPECT_EQ(o.port, 7);
  EXPECT_EQ(o.all["innodb_buffer_pool_size"], "8M");
  EXPECT_TRUE(o.warnings.empty());
}

TEST_F(Test, LooseBadValueIsStillAnError) {
  EXPECT_EQ(Err({"--no-defaults", "--loose-port=x"}), "Incorrect integer value: 'x' for port");
}

TEST_F(Test, BooleanForms) {
  EXPECT_TRUE(Ok({"--no-defaults", "--read-only"}).read_only);
  EXPECT_TRUE(Ok({"--no-defaults", "--read-only=1"}).read_only);
  EXPECT_TRUE(Ok({"--no-defaults", "--read-only=ON"}).read_only);
  EXPECT_TRUE(Ok({"--no-defaults", "--read-only=true"}).read_only);
  EXPECT_FALSE(Ok({"--no-defaults", "--read-only=0"}).read_only);
  EXPECT_FALSE(Ok({"--no-defaults", "--read-only=OFF"}).read_only);
  EXPECT_FALSE(Ok({"--no-defaults", "--read-only=FALSE"}).read_only);
}

TEST_F(Test, SkipDisableEnable) {
  EXPECT_FALSE(Ok({"--no-defaults", "--read-only", "--skip-read-only"}).read_only);
  EXPECT_FALSE(Ok({"--no-defaults", "--read-only", "--disable-read-only"}).read_only);
  EXPECT_TRUE(Ok({"--no-defaults", "--skip-read-only", "--enable-read-only"}).read_only);
  ServerOptions o = Ok({"--no-defaults", "--skip-log-slave-updates"});
  EXPECT_FALSE(o.log_slave_updates);
  EXPECT_EQ(o.all["log_slave_updates"], "OFF");
}

TEST_F(Test, PrefixesTakeUnderscoresToo) {
  ServerOptions o = Ok({"--no-defaults", "--read-only", "--skip_read_only", "--loose_port=7",
                        "--enable_log_slave_updates"});
  EXPECT_FALSE(o.read_only);
  EXPECT_EQ(o.port, 7);
  EXPECT_TRUE(o.log_slave_updates);
}

TEST_F(Test, SkipOptionsNamedSkip) {
  File("/work/tut/m.cnf",
       "[mysqld]\nskip-networking\nskip-grant-tables\nskip-slave-start\nskip-external-locking\n"
       "skip-name-resolve\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf"});
  EXPECT_TRUE(o.skip_networking);
  EXPECT_TRUE(o.skip_grant_tables);
  EXPECT_TRUE(o.skip_slave_start);
  EXPECT_EQ(o.all["skip_external_locking"], "ON");
  EXPECT_EQ(o.all["skip_name_resolve"], "ON");
}

TEST_F(Test, SkipWithValueIsAnError) {
  EXPECT_EQ(Err({"--no-defaults", "--skip-read-only=1"}),
            "option '--skip-read-only' cannot take an argument");
}

TEST_F(Test, UnrecognizedBooleanIsOffWithWarning) {
  File("/work/tut/m.cnf", "[mysqld]\nread-only=maybe\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf", "--read-only=maybe"});
  EXPECT_FALSE(o.read_only);
  ASSERT_EQ(o.warnings.size(), 2u);
  EXPECT_EQ(o.warnings[0],
            "option 'read_only': boolean value 'maybe' wasn't recognized. Set to OFF. in config "
            "file /work/tut/m.cnf at line 2");
  EXPECT_EQ(o.warnings[1],
            "option 'read_only': boolean value 'maybe' wasn't recognized. Set to OFF.");
}

TEST_F(Test, NumericSuffixes) {
  File("/work/tut/m.cnf",
       "[mysqld]\nmax_allowed_packet=64M\nmax_binlog_size=1G\n"
       "max_relay_log_size=512K\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf"});
  EXPECT_EQ(o.max_allowed_packet, 64u << 20);
  EXPECT_EQ(o.max_binlog_size, 1u << 30);
  EXPECT_EQ(o.max_relay_log_size, 512u << 10);
}

TEST_F(Test, BadNumberInFile) {
  File("/work/tut/master.cnf", "[mysqld]\nserver-id=1\n\nport=abc\n");
  EXPECT_EQ(
      Err({"--defaults-file=master.cnf"}),
      "Incorrect integer value: 'abc' for port in config file /work/tut/master.cnf at line 4");
}

TEST_F(Test, BadSuffixInFile) {
  File("/work/tut/master.cnf", "[mysqld]\nmax_allowed_packet=16MB\n");
  EXPECT_EQ(Err({"--defaults-file=master.cnf"}),
            "Unknown suffix 'M' used for variable 'max_allowed_packet' (value '16MB') in config "
            "file /work/tut/master.cnf at line 2");
}

TEST_F(Test, NegativeServerId) {
  EXPECT_EQ(Err({"--no-defaults", "--server-id=-1"}),
            "Incorrect unsigned value: '-1' for server_id");
}

TEST_F(Test, OutOfRangeIsAdjustedWithWarning) {
  ServerOptions o = Ok({"--no-defaults", "--port=99999999"});
  EXPECT_EQ(o.port, 65535);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_EQ(o.warnings[0], "option 'port': unsigned value 99999999 adjusted to 65535");
}

TEST_F(Test, MissingValueOnCommandLine) {
  EXPECT_EQ(Err({"--no-defaults", "--port"}), "option '--port' requires an argument");
  EXPECT_EQ(Err({"--no-defaults", "--socket"}), "option '--socket' requires an argument");
}

TEST_F(Test, MissingValueInFile) {
  File("/work/tut/master.cnf", "[mysqld]\nport\nsocket=/s\n");
  EXPECT_EQ(Err({"--defaults-file=master.cnf"}),
            "option '--port' requires an argument in config file /work/tut/master.cnf at line 2");
}

TEST_F(Test, ValueAsNextArgument) {
  ServerOptions o = Ok({"--no-defaults", "--port", "3307", "--socket", "/tmp/x.sock", "--log-bin",
                        "--server-id", "3"});
  EXPECT_EQ(o.port, 3307);
  EXPECT_EQ(o.socket, "/tmp/x.sock");
  EXPECT_TRUE(o.log_bin_enabled);
  EXPECT_EQ(o.log_bin, "testhost-bin");  // --log-bin's value is optional: not taken from next
  EXPECT_EQ(o.server_id, 3u);
}

TEST_F(Test, ValueForOptionTakingNone) {
  EXPECT_EQ(Err({"--no-defaults", "--version=1"}), "option '--version' cannot take an argument");
}

TEST_F(Test, ShortOptions) {
  ServerOptions o =
      Ok({"--no-defaults", "-P", "3307", "-S/tmp/s.sock", "-h", "d", "-u", "root", "-V"});
  EXPECT_EQ(o.port, 3307);
  EXPECT_EQ(o.socket, "/tmp/s.sock");
  EXPECT_EQ(o.datadir, "/work/tut/d");
  EXPECT_EQ(o.all["user"], "root");
  EXPECT_TRUE(o.version);
  EXPECT_EQ(Ok({"--no-defaults", "-P3308"}).port, 3308);
}

TEST_F(Test, ShortOptionCluster) {
  ServerOptions o = Ok({"--no-defaults", "-v?"});
  EXPECT_TRUE(o.verbose);
  EXPECT_TRUE(o.help);
  ServerOptions p = Ok({"--no-defaults", "-vP", "4000"});
  EXPECT_TRUE(p.verbose);
  EXPECT_EQ(p.port, 4000);
}

TEST_F(Test, ShortOptionErrors) {
  EXPECT_EQ(Err({"--no-defaults", "-Z"}), "unknown option '-Z'");
  EXPECT_EQ(Err({"--no-defaults", "-P"}), "option '-P' requires an argument");
  EXPECT_EQ(Err({"--no-defaults", "-Pabc"}), "Incorrect integer value: 'abc' for port");
}

TEST_F(Test, HelpVersionVerbose) {
  ServerOptions o = Ok({"--no-defaults", "--help", "--verbose", "--version"});
  EXPECT_TRUE(o.help);
  EXPECT_TRUE(o.verbose);
  EXPECT_TRUE(o.version);
}

TEST_F(Test, StrayArgument) {
  EXPECT_EQ(Err({"--no-defaults", "--port=1", "extra"}),
            "Too many arguments (first extra is 'extra').");
  EXPECT_EQ(Err({"--no-defaults", "--", "x"}), "Too many arguments (first extra is 'x').");
}

TEST_F(Test, PrintDefaults) {
  File("/work/tut/master.cnf", "[mysqld]\nserver-id = 1\nlog-bin\n[mysql]\nprompt=x\n");
  ServerOptions o = Ok({"--defaults-file=master.cnf", "--print-defaults", "--port=5"});
  EXPECT_TRUE(o.print_defaults);
  EXPECT_EQ(o.arguments, (std::vector<std::string>{"--server-id=1", "--log-bin", "--port=5"}));
  EXPECT_EQ(PrintDefaultsText(o, "./mysqld"),
            "./mysqld would have been started with the following arguments:\n"
            "--server-id=1 --log-bin --port=5 \n");
}

TEST_F(Test, PrintDefaultsDoesNotCheckValues) {
  File("/work/tut/master.cnf", "[mysqld]\nport=abc\nfoo=1\n");
  EXPECT_TRUE(Ok({"--defaults-file=master.cnf", "--print-defaults"}).print_defaults);
}

TEST_F(Test, PrintDefaultsStillReportsFileErrors) {
  File("/work/tut/master.cnf", "port=1\n");
  EXPECT_EQ(Err({"--defaults-file=master.cnf", "--print-defaults"}),
            "Found option without preceding group in config file /work/tut/master.cnf at line 1");
}

TEST_F(Test, RepeatableOptionsAccumulate) {
  File("/work/tut/m.cnf",
       "[mysqld]\nbinlog-do-db=a\nbinlog-do-db=b\nbinlog-ignore-db=c\n"
       "replicate-do-db=d\nreplicate-ignore-db=e\nreplicate-ignore-db=f\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf", "--binlog-do-db=g"});
  EXPECT_EQ(o.binlog_do_db, (std::vector<std::string>{"a", "b", "g"}));
  EXPECT_EQ(o.binlog_ignore_db, std::vector<std::string>{"c"});
  EXPECT_EQ(o.replicate_do_db, std::vector<std::string>{"d"});
  EXPECT_EQ(o.replicate_ignore_db, (std::vector<std::string>{"e", "f"}));
  EXPECT_EQ(o.all["binlog_do_db"], "a,b,g");
}

TEST_F(Test, EnumsTakeAnyCase) {
  ServerOptions o = Ok({"--no-defaults", "--binlog-format=row", "--binlog-checksum=none"});
  EXPECT_EQ(o.binlog_format, "ROW");
  EXPECT_EQ(o.binlog_checksum, "NONE");
}

TEST_F(Test, BadEnum) {
  EXPECT_EQ(Err({"--no-defaults", "--binlog-format=foo"}),
            "Error while setting value 'foo' to 'binlog_format'");
}

TEST_F(Test, ReplicaOptions) {
  File("/work/tut/slave.cnf",
       "[mysqld]\nserver-id=2\nrelay-log-index = slave-relay-bin.index\nrelay-log = "
       "slave-relay-bin\nlog-slave-updates\nskip-slave-start\nreport-host=slave1\nreport-port="
       "12001\n"
       "master-info-file=mi.info\nrelay-log-info-file=rli.info\n");
  ServerOptions o = Ok({"--defaults-file=slave.cnf"});
  EXPECT_EQ(o.relay_log, "slave-relay-bin");
  EXPECT_EQ(o.relay_log_index, "slave-relay-bin.index");
  EXPECT_TRUE(o.log_slave_updates);
  EXPECT_TRUE(o.skip_slave_start);
  EXPECT_EQ(o.report_host, "slave1");
  EXPECT_EQ(o.report_port, 12001);
  EXPECT_EQ(o.master_info_file, "mi.info");
  EXPECT_EQ(o.relay_log_info_file, "rli.info");
}

TEST_F(Test, BinlogOptions) {
  ServerOptions o = Ok({"--no-defaults", "--log-bin=mysql-bin", "--log-bin-index=idx.index",
                        "--sync-binlog=1", "--expire-logs-days=3", "--max-binlog-size=4096"});
  EXPECT_EQ(o.log_bin, "mysql-bin");
  EXPECT_EQ(o.log_bin_index, "idx.index");
  EXPECT_EQ(o.sync_binlog, 1u);
  EXPECT_EQ(o.expire_logs_days, 3u);
  EXPECT_EQ(o.max_binlog_size, 4096u);
}

TEST_F(Test, AcceptedOptionsAreKeptNotActedOn) {
  File("/work/tut/my.cnf",
       "[mysqld]\nskip-external-locking\nkey_buffer_size = 16M\ntable_open_cache = 64\n"
       "sort_buffer_size = 512K\nthread_stack = 192K\nthread_cache_size = 8\n"
       "query_cache_limit = 1M\nquery_cache_size = 16M\ndefault-storage-engine = InnoDB\n"
       "collation-server = utf8_general_ci\ninit-connect = 'SET NAMES utf8'\n"
       "lower_case_table_names = 1\ninnodb_buffer_pool_size = 128M\ninnodb_file_per_table\n"
       "log_warnings = 2\ngeneral_log = 0\ngeneral_log_file = /tmp/g.log\nslow_query_log = 1\n"
       "slow_query_log_file = /tmp/s.log\nlong_query_time = 2.5\nlanguage = "
       "/usr/share/mysql/english\n"
       "lc-messages-dir = /usr/share/mysql\nskip-name-resolve\nexplicit_defaults_for_timestamp\n"
       "default-time-zone = '+00:00'\ngtid-mode = ON\nenforce-gtid-consistency\n"
       "slave-skip-errors = 1062\nmaster-retry-count = 10\nmax_heap_table_size = 32M\n"
       "tmp_table_size = 32M\nopen_files_limit = 1024\nperformance_schema = OFF\nsymbolic-links=0\n"
       "console\ncore-file\nwait_timeout = 600\ninteractive_timeout = 600\nnet_read_timeout = 30\n"
       "net_write_timeout = 60\nconnect_timeout = 10\nevent-scheduler = OFF\nlocal-infile = 0\n"
       "secure-file-priv = ''\nssl-ca = /etc/ca.pem\nskip-ssl\nuser = mysql\n");
  ServerOptions o = Ok({"--defaults-file=my.cnf"});
  EXPECT_TRUE(o.warnings.empty());
  EXPECT_EQ(o.all["key_buffer_size"], "16777216");
  EXPECT_EQ(o.all["init_connect"], "SET NAMES utf8");
  EXPECT_EQ(o.all["gtid_mode"], "ON");
  EXPECT_EQ(o.all["innodb_file_per_table"], "ON");  // named alone
  EXPECT_EQ(o.all["enforce_gtid_consistency"], "ON");
  EXPECT_EQ(o.all["ssl"], "OFF");
  EXPECT_EQ(o.all["long_query_time"], "2.5");
  EXPECT_EQ(o.origin["key_buffer_size"], "/work/tut/my.cnf:3");
}

TEST_F(Test, AcceptedOptionsAreTypeChecked) {
  File("/work/tut/my.cnf", "[mysqld]\nkey_buffer_size = lots\n");
  EXPECT_EQ(Err({"--defaults-file=my.cnf"}),
            "Incorrect integer value: 'lots' for key_buffer_size in config file /work/tut/my.cnf "
            "at line 2");
  EXPECT_EQ(Err({"--no-defaults", "--long-query-time=abc"}),
            "Invalid decimal value for option 'long_query_time'");
}

TEST_F(Test, InnodbFlushMapsOntoSqliteSynchronous) {
  EXPECT_EQ(Ok({"--no-defaults", "--innodb-flush-log-at-trx-commit=1"}).sqlite_synchronous, "FULL");
  EXPECT_EQ(Ok({"--no-defaults", "--innodb-flush-log-at-trx-commit=2"}).sqlite_synchronous,
            "NORMAL");
  EXPECT_EQ(
      Ok({"--no-defaults", "--innodb-flush-log-at-trx-commit=1", "--sqlite-synchronous=normal"})
          .sqlite_synchronous,
      "NORMAL");
  EXPECT_EQ(Ok({"--no-defaults"}).sqlite_synchronous, "NORMAL");
}

TEST_F(Test, SettingsOfOtherKinds) {
  ServerOptions o = Ok({"--no-defaults", "--sql-mode=ANSI", "--character-set-server=utf8",
                        "--max-connections=20", "--skip-grant-tables", "--initialize-insecure",
                        "--tmpdir=/var/tmp", "--basedir=/opt/reptut"});
  EXPECT_EQ(o.sql_mode, "ANSI");
  EXPECT_EQ(o.character_set_server, "utf8");
  EXPECT_EQ(o.max_connections, 20u);
  EXPECT_TRUE(o.skip_grant_tables);
  EXPECT_TRUE(o.initialize_insecure);
  EXPECT_EQ(o.tmpdir, "/var/tmp");
  EXPECT_EQ(o.basedir, "/opt/reptut");
}

TEST_F(Test, WorldWritableDefaultsFileIsIgnored) {
  File("/work/tut/m.cnf", "[mysqld]\nport=1\n", 0666);
  ServerOptions o = Ok({"--defaults-file=m.cnf"});
  EXPECT_EQ(o.port, 3306);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_NE(o.warnings[0].find("World-writable config file"), std::string::npos);
}

}  // namespace
}  // namespace reptut::config

namespace reptut::config {
namespace {

using PrefixTest = testing::ServerOptionsTest;

TEST_F(PrefixTest, UniquePrefixWorksWithAWarning) {
  ServerOptions o = Ok({"--no-defaults", "--max_allowed=1M"});
  EXPECT_EQ(o.max_allowed_packet, 1u << 20);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_EQ(o.warnings[0],
            "Using unique option prefix 'max_allowed' is error-prone and can break in the future. "
            "Please use the full name 'max_allowed_packet' instead.");
}

TEST_F(PrefixTest, UniquePrefixAfterSkip) {
  EXPECT_TRUE(Ok({"--no-defaults", "--skip-grant"}).skip_grant_tables);
  EXPECT_FALSE(Ok({"--no-defaults", "--read-only", "--skip-read-o"}).read_only);
}

TEST_F(PrefixTest, AmbiguousPrefix) {
  EXPECT_EQ(Err({"--no-defaults", "--relay=x"}),
            "ambiguous option '--relay=x' (relay_log, relay_log_index)");
}

TEST_F(PrefixTest, AmbiguousPrefixInFile) {
  File("/work/tut/m.cnf", "[mysqld]\nrelay-log-i=x\n");
  EXPECT_EQ(Err({"--defaults-file=m.cnf"}),
            "ambiguous option '--relay-log-i=x' (relay_log_index, relay_log_info_file) in config "
            "file /work/tut/m.cnf at line 2");
}

TEST_F(PrefixTest, FilesReadIncludeIncludedFiles) {
  File("/work/tut/m.cnf", "[mysqld]\n!include /work/tut/inc.cnf\n");
  File("/work/tut/inc.cnf", "[mysqld]\nport=4\n");
  ServerOptions o = Ok({"--defaults-file=m.cnf"});
  EXPECT_EQ(o.port, 4);
  EXPECT_EQ(o.files_read, (std::vector<std::string>{"/work/tut/m.cnf", "/work/tut/inc.cnf"}));
}

}  // namespace
}  // namespace reptut::config
