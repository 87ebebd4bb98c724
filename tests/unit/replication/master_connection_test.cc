// MasterConnection against a real MariaDB 10.11 master: Debian's mariadbd,
// started once per test suite in a temporary directory (skipped when it is
// not installed), and against sockets that never answer.
#include "replication/master_connection.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <mysql.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "binlog/crc32.h"

namespace reptut::replication {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint8_t kQueryEvent = 2;
constexpr uint8_t kRotateEvent = 4;
constexpr uint8_t kFormatDescriptionEvent = 15;
constexpr uint8_t kHeartbeatEvent = 27;
constexpr uint8_t kBinlogCheckpointEvent = 161;
constexpr uint8_t kGtidListEvent = 163;

// --- helpers ----------------------------------------------------------------

// A TCP port on 127.0.0.1 nobody listens on now (bound, then released).
uint16_t FreePort() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(s);
    return 0;
  }
  ::close(s);
  return ntohs(a.sin_port);
}

// Starts a program with its output appended to `log`; returns its pid.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

// Waits up to `limit` for `pid` to exit; its exit status, or -1.
int WaitExit(pid_t pid, seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string FirstExisting(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

using Rows = std::vector<std::vector<std::string>>;

// Debian's mariadbd as a master: server id 1, binary log master-bin,
// statement format, max_allowed_packet 64M; user repl@'%' (password
// "replpass") with REPLICATION SLAVE.
class Master {
 public:
  static std::unique_ptr<Master> Start(std::string* why) {
    std::string mariadbd = FirstExisting({"/usr/sbin/mariadbd", "/usr/libexec/mariadbd"});
    std::string install =
        FirstExisting({"/usr/bin/mariadb-install-db", "/usr/scripts/mariadb-install-db"});
    if (mariadbd.empty() || install.empty()) {
      *why = "mariadb-server is not installed (scripts/install-deps.sh)";
      return nullptr;
    }
    char tmpl[] = "/tmp/reptut-conn-test-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      *why = "mkdtemp failed";
      return nullptr;
    }
    auto m = std::unique_ptr<Master>(new Master(tmpl));
    std::vector<std::string> bootstrap = {
        install, "--no-defaults", "--datadir=" + m->dir_ + "/data",
        "--auth-root-authentication-method=normal", "--skip-test-db",
        // Its own temporary directory: bootstraps running at the same time
        // in /tmp lost their temporary tables.
        "--tmpdir=" + m->dir_};
    if (::geteuid() == 0) bootstrap.push_back("--user=root");
    int rc = WaitExit(Spawn(bootstrap, m->dir_ + "/install.log"), seconds(120));
    if (rc != 0) {
      *why = "mariadb-install-db failed (" + std::to_string(rc) + "):\n" +
             ReadFile(m->dir_ + "/install.log");
      return nullptr;
    }
    m->port_ = FreePort();
    std::vector<std::string> args = {mariadbd,
                                     "--no-defaults",
                                     "--datadir=" + m->dir_ + "/data",
                                     "--socket=" + m->socket(),
                                     "--port=" + std::to_string(m->port_),
                                     "--bind-address=127.0.0.1",
                                     "--pid-file=" + m->dir_ + "/mariadbd.pid",
                                     "--log-error=" + m->dir_ + "/error.log",
                                     "--tmpdir=" + m->dir_,
                                     "--server-id=1",
                                     "--log-bin=master-bin",
                                     "--binlog-format=STATEMENT",
                                     "--max-allowed-packet=64M",
                                     "--skip-name-resolve",
                                     "--innodb-buffer-pool-size=16M"};
    if (::geteuid() == 0) args.push_back("--user=root");
    m->pid_ = Spawn(args, m->dir_ + "/stdout.log");
    // Ready when root logs in through the socket.
    auto deadline = std::chrono::steady_clock::now() + seconds(60);
    for (;;) {
      int status = 0;
      if (::waitpid(m->pid_, &status, WNOHANG) == m->pid_) {
        m->pid_ = -1;
        *why = "mariadbd exited:\n" + ReadFile(m->dir_ + "/error.log");
        return nullptr;
      }
      if (MYSQL* c = m->Login()) {
        mysql_close(c);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        *why = "mariadbd did not accept a login within 60 s:\n" + ReadFile(m->dir_ + "/error.log");
        return nullptr;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    std::string error;
    for (const char* sql : {"DELETE FROM mysql.global_priv WHERE User = ''", "FLUSH PRIVILEGES",
                            "CREATE USER 'repl'@'%' IDENTIFIED BY 'replpass'",
                            "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'", "CREATE DATABASE d",
                            "CREATE TABLE d.t (a INT) ENGINE=InnoDB"}) {
      if (!m->Run(sql, nullptr, &error)) {
        *why = std::string(sql) + ": " + error;
        return nullptr;
      }
    }
    return m;
  }

  ~Master() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      WaitExit(pid_, seconds(30));
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  uint16_t port() const { return port_; }
  std::string socket() const { return dir_ + "/mysql.sock"; }

  // Runs one statement as root; rows of a result set into *rows.
  bool Run(const std::string& sql, Rows* rows = nullptr, std::string* error = nullptr) {
    MYSQL* c = Login();
    if (c == nullptr) {
      if (error) *error = "cannot log in";
      return false;
    }
    bool ok = mysql_real_query(c, sql.data(), sql.size()) == 0;
    if (ok) {
      if (MYSQL_RES* res = mysql_store_result(c)) {
        unsigned n = mysql_num_fields(res);
        while (MYSQL_ROW row = mysql_fetch_row(res)) {
          unsigned long* len = mysql_fetch_lengths(res);
          std::vector<std::string> r;
          for (unsigned i = 0; i < n; ++i)
            r.emplace_back(row[i] ? std::string(row[i], len[i]) : "NULL");
          if (rows) rows->push_back(std::move(r));
        }
        mysql_free_result(res);
      }
    } else if (error) {
      *error = mysql_error(c);
    }
    mysql_close(c);
    return ok;
  }

  void Sql(const std::string& sql, Rows* rows = nullptr) {
    std::string error;
    ASSERT_TRUE(Run(sql, rows, &error)) << sql.substr(0, 200) << ": " << error;
  }

  // SHOW MASTER STATUS: the file and position the next event goes to.
  std::pair<std::string, uint64_t> Position() {
    Rows rows;
    Run("SHOW MASTER STATUS", &rows);
    if (rows.empty()) return {"", 0};
    return {rows[0][0], std::stoull(rows[0][1])};
  }

 private:
  explicit Master(std::string dir) : dir_(std::move(dir)) {}

  MYSQL* Login() {
    MYSQL* c = mysql_init(nullptr);
    unsigned long max_packet = 64ul << 20;
    mysql_options(c, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
    if (mysql_real_connect(c, nullptr, "root", nullptr, nullptr, 0, socket().c_str(), 0) ==
        nullptr) {
      mysql_close(c);
      return nullptr;
    }
    return c;
  }

  std::string dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

struct Header {
  uint32_t timestamp = 0;
  uint8_t type = 0;
  uint32_t server_id = 0;
  uint32_t size = 0;
  uint32_t log_pos = 0;
  uint16_t flags = 0;
};

uint32_t Le(const std::string& b, size_t at, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[at + i]);
  return v;
}

Header Parse(const std::string& ev) {
  Header h;
  if (ev.size() < 19) return h;
  h.timestamp = Le(ev, 0, 4);
  h.type = static_cast<uint8_t>(ev[4]);
  h.server_id = Le(ev, 5, 4);
  h.size = Le(ev, 9, 4);
  h.log_pos = Le(ev, 13, 4);
  h.flags = static_cast<uint16_t>(Le(ev, 17, 2));
  return h;
}

// The event's last 4 bytes are the CRC32 of the rest.
bool CrcMatches(const std::string& ev) {
  if (ev.size() < 23) return false;
  return binlog::Crc32(0, std::string_view(ev).substr(0, ev.size() - 4)) ==
         Le(ev, ev.size() - 4, 4);
}

// --- the fixture ------------------------------------------------------------

class MasterConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { master_ = Master::Start(&why_).release(); }
  static void TearDownTestSuite() {
    delete master_;
    master_ = nullptr;
  }
  void SetUp() override {
    // Only a machine without MariaDB skips; a server that would not start is a failure.
    if (master_ == nullptr && why_.find("not installed") != std::string::npos) GTEST_SKIP() << why_;
    ASSERT_NE(master_, nullptr) << why_;
  }

  static MasterEndpoint Endpoint() {
    MasterEndpoint e;
    e.host = "127.0.0.1";
    e.port = master_->port();
    e.user = "repl";
    e.password = "replpass";
    e.connect_timeout_seconds = 10;
    e.read_timeout_seconds = 30;
    return e;
  }
  static ReplicaIdentity Me(uint32_t server_id = 2) {
    ReplicaIdentity me;
    me.server_id = server_id;
    return me;
  }

  // Connected, registered and dumping from file/pos.
  static std::unique_ptr<MasterConnection> Dumping(const std::string& file, uint64_t pos,
                                                   DumpMode mode = DumpMode::kBlocking,
                                                   ReplicaIdentity me = Me(),
                                                   MasterEndpoint endpoint = Endpoint()) {
    auto conn = std::make_unique<MasterConnection>(endpoint, me);
    ConnectionResult<MasterFacts> facts = conn->Connect();
    EXPECT_TRUE(facts.ok()) << facts.error().error.ToString();
    if (!facts.ok()) return nullptr;
    ConnectionStatus reg = conn->Register();
    EXPECT_TRUE(reg.ok()) << reg.error().error.ToString();
    ConnectionStatus dump = conn->RequestDump(file, pos, mode);
    EXPECT_TRUE(dump.ok()) << dump.error().error.ToString();
    if (!reg.ok() || !dump.ok()) return nullptr;
    return conn;
  }

  // Reads events until one satisfies `want` (at most `limit` events, each
  // within 10 s); fails the test otherwise.
  template <class Pred>
  static std::string ReadUntil(MasterConnection& conn, Pred want, int limit = 2000) {
    for (int i = 0; i < limit; ++i) {
      ConnectionResult<std::optional<std::string>> ev = conn.NextEvent(seconds(10));
      if (!ev.ok()) {
        ADD_FAILURE() << "NextEvent: " << ErrorKindName(ev.error().kind) << " "
                      << ev.error().error.ToString();
        return "";
      }
      if (!*ev) {
        ADD_FAILURE() << "the stream ended";
        return "";
      }
      if (want(**ev)) return std::move(**ev);
    }
    ADD_FAILURE() << "no such event in " << limit << " events";
    return "";
  }

  static Master* master_;
  static std::string why_;
};

Master* MasterConnectionTest::master_ = nullptr;
std::string MasterConnectionTest::why_;

// --- connecting ---------------------------------------------------------------

TEST_F(MasterConnectionTest, ConnectLearnsWhatTheMasterIs) {
  MasterConnection conn(Endpoint(), Me());
  EXPECT_EQ(conn.state(), MasterConnection::State::kNew);
  ConnectionResult<MasterFacts> facts = conn.Connect();
  ASSERT_TRUE(facts.ok()) << facts.error().error.ToString();
  EXPECT_EQ(facts->server_id, 1u);
  EXPECT_TRUE(facts->crc32);
  EXPECT_TRUE(facts->mariadb);
  EXPECT_NE(facts->version.find("MariaDB"), std::string::npos) << facts->version;
  EXPECT_EQ(facts->version.rfind("5.5.5-", 0), std::string::npos) << facts->version;
  EXPECT_EQ(facts->server_uuid, "");
  EXPECT_LE(std::llabs(facts->clock_diff_seconds), 1) << "same machine, same clock";
  EXPECT_TRUE(facts->warnings.empty()) << facts->warnings[0];
  EXPECT_EQ(conn.state(), MasterConnection::State::kQueried);
}

TEST_F(MasterConnectionTest, LocalhostMeansTcpTo127001) {
  MasterEndpoint e = Endpoint();
  e.host = "localhost";
  MasterConnection conn(e, Me());
  ConnectionResult<MasterFacts> facts = conn.Connect();
  ASSERT_TRUE(facts.ok()) << facts.error().error.ToString();
  EXPECT_EQ(facts->server_id, 1u);
}

TEST_F(MasterConnectionTest, EqualServerIdsAreFatal) {
  MasterConnection conn(Endpoint(), Me(1));
  ConnectionResult<MasterFacts> facts = conn.Connect();
  ASSERT_FALSE(facts.ok());
  const ConnectionError& e = facts.error();
  EXPECT_EQ(e.kind, ErrorKind::kFatal);
  EXPECT_FALSE(e.retry());
  EXPECT_FALSE(e.from_master);
  EXPECT_EQ(e.error.code, 1593);
  EXPECT_EQ(e.error.message,
            "Fatal error: The slave I/O thread stops because master and slave have equal MySQL "
            "server ids; these ids must be different for replication to work (or the "
            "--replicate-same-server-id option must be used on slave but this does not always "
            "make sense; please check the manual before using it).");
  EXPECT_EQ(conn.state(), MasterConnection::State::kClosed);

  // Unless --replicate-same-server-id says it is meant.
  ReplicaIdentity same = Me(1);
  same.same_server_id_ok = true;
  MasterConnection allowed(Endpoint(), same);
  ConnectionResult<MasterFacts> ok = allowed.Connect();
  ASSERT_TRUE(ok.ok()) << ok.error().error.ToString();
  EXPECT_EQ(ok->server_id, 1u);
}

TEST_F(MasterConnectionTest, WrongPasswordIsRefused1045NotANetworkError) {
  MasterEndpoint e = Endpoint();
  e.password = "wrong";
  MasterConnection conn(e, Me());
  ConnectionResult<MasterFacts> facts = conn.Connect();
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.error().kind, ErrorKind::kRefused);
  EXPECT_TRUE(facts.error().from_master);
  EXPECT_TRUE(facts.error().retry());  // a replica keeps trying, as MySQL's does
  EXPECT_EQ(facts.error().error.code, 1045);
  EXPECT_EQ(facts.error().error.message.rfind("Access denied for user 'repl'@", 0), 0u)
      << facts.error().error.message;
}

TEST_F(MasterConnectionTest, RegisterRefusedByTheMasterIsRetried) {
  master_->Sql("CREATE USER IF NOT EXISTS 'norepl'@'%' IDENTIFIED BY 'pw'");
  MasterEndpoint e = Endpoint();
  e.user = "norepl";
  e.password = "pw";
  MasterConnection conn(e, Me());
  ConnectionResult<MasterFacts> facts = conn.Connect();  // the queries need no privilege
  ASSERT_TRUE(facts.ok()) << facts.error().error.ToString();
  ConnectionStatus reg = conn.Register();
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().kind, ErrorKind::kRefused);
  EXPECT_TRUE(reg.error().retry());
  EXPECT_TRUE(reg.error().from_master);
  // MariaDB's answer to a user without REPLICATION SLAVE, as it sends it.
  EXPECT_EQ(reg.error().error.code, 1045);
  EXPECT_EQ(reg.error().error.message, "Access denied for user 'norepl'@'%' (using password: YES)");
  EXPECT_EQ(conn.state(), MasterConnection::State::kClosed);
}

// --- register and dump ----------------------------------------------------------

TEST_F(MasterConnectionTest, DumpFromTheFirstFileStartsWithFakeRotateAndFormatDescription) {
  std::unique_ptr<MasterConnection> conn = Dumping("", 4);
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(conn->state(), MasterConnection::State::kDumping);

  ConnectionResult<std::optional<std::string>> ev = conn->NextEvent(seconds(10));
  ASSERT_TRUE(ev.ok() && *ev) << ev.error().error.ToString();
  Header rotate = Parse(**ev);
  EXPECT_EQ(rotate.type, kRotateEvent);
  EXPECT_EQ(rotate.timestamp, 0u);
  EXPECT_EQ(rotate.log_pos, 0u);
  EXPECT_EQ(rotate.flags, 0x20);  // LOG_EVENT_ARTIFICIAL_F
  EXPECT_EQ(rotate.server_id, 1u);
  EXPECT_EQ(rotate.size, (*ev)->size());
  EXPECT_EQ(Le(**ev, 19, 4), 4u);                                             // the position...
  EXPECT_EQ((*ev)->substr(27, (*ev)->size() - 27 - 4), "master-bin.000001");  // ...the file, a CRC
  EXPECT_TRUE(CrcMatches(**ev));

  ev = conn->NextEvent(seconds(10));
  ASSERT_TRUE(ev.ok() && *ev) << ev.error().error.ToString();
  Header fde = Parse(**ev);
  EXPECT_EQ(fde.type, kFormatDescriptionEvent);
  EXPECT_EQ(fde.size, (*ev)->size());
  EXPECT_EQ(fde.log_pos, 4 + fde.size);
  EXPECT_TRUE(CrcMatches(**ev));

  // A MariaDB master's own events follow, as they are (capability 4).
  ev = conn->NextEvent(seconds(10));
  ASSERT_TRUE(ev.ok() && *ev) << ev.error().error.ToString();
  EXPECT_EQ(Parse(**ev).type, kGtidListEvent);
  ev = conn->NextEvent(seconds(10));
  ASSERT_TRUE(ev.ok() && *ev) << ev.error().error.ToString();
  EXPECT_EQ(Parse(**ev).type, kBinlogCheckpointEvent);

  // A statement on the master arrives as its Query event.
  master_->Sql("INSERT INTO d.t VALUES (4711) /* first-file marker */");
  std::string query = ReadUntil(*conn, [](const std::string& e) {
    return Parse(e).type == kQueryEvent && e.find("first-file marker") != std::string::npos;
  });
  ASSERT_FALSE(query.empty());
  EXPECT_NE(query.find("INSERT INTO d.t VALUES (4711) /* first-file marker */"), std::string::npos);
  EXPECT_EQ(Parse(query).size, query.size());
  EXPECT_EQ(Parse(query).server_id, 1u);
  EXPECT_TRUE(CrcMatches(query));
}

TEST_F(MasterConnectionTest, RegisteredReplicaIsInShowSlaveHosts) {
  ReplicaIdentity me = Me(7);
  me.report_host = "replica-seven";
  me.report_port = 13307;
  std::unique_ptr<MasterConnection> conn = Dumping("", 4, DumpMode::kBlocking, me);
  ASSERT_NE(conn, nullptr);
  ConnectionResult<std::optional<std::string>> ev = conn->NextEvent(seconds(10));
  ASSERT_TRUE(ev.ok() && *ev);
  Rows hosts;
  master_->Sql("SHOW SLAVE HOSTS", &hosts);
  bool found = false;
  for (const auto& row : hosts) {
    if (row[0] == "7") {
      found = true;
      EXPECT_EQ(row[1], "replica-seven");
      EXPECT_EQ(row[2], "13307");
    }
  }
  EXPECT_TRUE(found) << "SHOW SLAVE HOSTS has no server 7";
}

TEST_F(MasterConnectionTest, IdleStreamDeliversHeartbeats) {
  ReplicaIdentity me = Me();
  me.heartbeat_period_seconds = 0.2;
  auto [file, pos] = master_->Position();
  std::unique_ptr<MasterConnection> conn = Dumping(file, pos, DumpMode::kBlocking, me);
  ASSERT_NE(conn, nullptr);
  std::string hb =
      ReadUntil(*conn, [](const std::string& e) { return Parse(e).type == kHeartbeatEvent; });
  ASSERT_FALSE(hb.empty());
  Header h = Parse(hb);
  EXPECT_EQ(h.size, hb.size());
  EXPECT_EQ(h.timestamp, 0u);
  EXPECT_EQ(h.server_id, 1u);
  EXPECT_EQ(hb.substr(19, hb.size() - 19 - 4), file);  // the master's current file, then a CRC
  // Another one: the stream stays idle and alive.
  hb = ReadUntil(*conn, [](const std::string& e) { return Parse(e).type == kHeartbeatEvent; });
  EXPECT_FALSE(hb.empty());
}

TEST_F(MasterConnectionTest, TimeoutLeavesTheStreamUsable) {
  auto [file, pos] = master_->Position();
  std::unique_ptr<MasterConnection> conn = Dumping(file, pos);
  ASSERT_NE(conn, nullptr);
  // The fake Rotate and the FDE, then nothing.
  std::string fde = ReadUntil(
      *conn, [](const std::string& e) { return Parse(e).type == kFormatDescriptionEvent; });
  EXPECT_EQ(Parse(fde).log_pos, 0u);  // not at the start: the FDE does not move the position
  ConnectionResult<std::optional<std::string>> ev = conn->NextEvent(milliseconds(0));
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().kind, ErrorKind::kTimeout);
  EXPECT_EQ(ev.error().error.code, 1159);
  EXPECT_EQ(conn->state(), MasterConnection::State::kDumping);
  master_->Sql("INSERT INTO d.t VALUES (1) /* after a timeout */");
  std::string query = ReadUntil(*conn, [](const std::string& e) {
    return Parse(e).type == kQueryEvent && e.find("after a timeout") != std::string::npos;
  });
  EXPECT_FALSE(query.empty());
}

TEST_F(MasterConnectionTest, DumpThreadKilledOnTheMasterIsANetworkError) {
  auto [file, pos] = master_->Position();
  std::unique_ptr<MasterConnection> conn = Dumping(file, pos);
  ASSERT_NE(conn, nullptr);
  ReadUntil(*conn, [](const std::string& e) { return Parse(e).type == kFormatDescriptionEvent; });
  // Every dump thread (those of earlier tests linger until they next
  // write), ours among them.
  Rows ids;
  master_->Sql("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND = 'Binlog Dump'", &ids);
  ASSERT_FALSE(ids.empty());
  for (const auto& id : ids) master_->Run("KILL " + id[0]);
  ConnectionResult<std::optional<std::string>> ev = conn->NextEvent(seconds(30));
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().kind, ErrorKind::kNetwork) << ev.error().error.ToString();
  EXPECT_TRUE(ev.error().retry());
  EXPECT_EQ(conn->state(), MasterConnection::State::kClosed);
}

TEST_F(MasterConnectionTest, MissingFileIsTheMastersErr1236) {
  std::unique_ptr<MasterConnection> conn = Dumping("no-such-bin.000042", 4);
  ASSERT_NE(conn, nullptr);
  ConnectionResult<std::optional<std::string>> ev = conn->NextEvent(seconds(10));
  ASSERT_FALSE(ev.ok());
  const ConnectionError& e = ev.error();
  EXPECT_EQ(e.kind, ErrorKind::kFatal);
  EXPECT_TRUE(e.from_master);
  EXPECT_EQ(e.error.code, 1236);
  EXPECT_EQ(e.error.sqlstate, "HY000");
  EXPECT_EQ(e.error.message, "Could not find first log file name in binary log index file");
  EXPECT_EQ(conn->state(), MasterConnection::State::kClosed);
}

TEST_F(MasterConnectionTest, NonBlockingDumpEndsAndSequenceIdsWrap) {
  // More than 256 packets, so that the sequence id wraps around.
  master_->Sql("CREATE TABLE IF NOT EXISTS d.many (a INT) ENGINE=Aria");
  for (int i = 0; i < 300; ++i)
    master_->Sql("INSERT INTO d.many VALUES (" + std::to_string(i) + ")");
  std::unique_ptr<MasterConnection> conn = Dumping("", 4, DumpMode::kNonBlocking);
  ASSERT_NE(conn, nullptr);
  int events = 0, inserts = 0;
  for (;;) {
    ConnectionResult<std::optional<std::string>> ev = conn->NextEvent(seconds(10));
    ASSERT_TRUE(ev.ok()) << ev.error().error.ToString();
    if (!*ev) break;
    ++events;
    ASSERT_EQ(Parse(**ev).size, (*ev)->size());
    ASSERT_TRUE(CrcMatches(**ev)) << "event " << events;
    if (Parse(**ev).type == kQueryEvent && (*ev)->find("INSERT INTO d.many") != std::string::npos)
      ++inserts;
  }
  EXPECT_GT(events, 600);
  EXPECT_EQ(inserts, 300);
  EXPECT_EQ(conn->state(), MasterConnection::State::kClosed);
  // The end is the end.
  ConnectionResult<std::optional<std::string>> after = conn->NextEvent(seconds(1));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().kind, ErrorKind::kFatal);
}

TEST_F(MasterConnectionTest, CallsOutOfOrderAreRefusedWithoutHarm) {
  MasterConnection conn(Endpoint(), Me());
  ConnectionResult<std::optional<std::string>> early = conn.NextEvent(seconds(1));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().kind, ErrorKind::kFatal);
  EXPECT_NE(early.error().error.message.find("NextEvent()"), std::string::npos);
  EXPECT_FALSE(conn.Register().ok());
  EXPECT_EQ(conn.state(), MasterConnection::State::kNew);
  ConnectionResult<MasterFacts> facts = conn.Connect();
  ASSERT_TRUE(facts.ok()) << facts.error().error.ToString();
  // Dumping without registering is allowed (mariadb-binlog does it).
  ASSERT_TRUE(conn.RequestDump("", 4, DumpMode::kNonBlocking).ok());
  EXPECT_FALSE(conn.Register().ok());
  ConnectionResult<std::optional<std::string>> ev = conn.NextEvent(seconds(10));
  ASSERT_TRUE(ev.ok() && *ev);
  EXPECT_EQ(Parse(**ev).type, kRotateEvent);
}

TEST_F(MasterConnectionTest, InterruptEndsABlockedNextEvent) {
  auto [file, pos] = master_->Position();
  std::unique_ptr<MasterConnection> conn = Dumping(file, pos);
  ASSERT_NE(conn, nullptr);
  ReadUntil(*conn, [](const std::string& e) { return Parse(e).type == kFormatDescriptionEvent; });
  auto reader =
      std::async(std::launch::async, [&] { return conn->NextEvent(std::chrono::hours(1)); });
  // Nothing arrives: it must not return until interrupted. (Interrupt()
  // is sticky, so the order of these two threads does not matter.)
  EXPECT_EQ(reader.wait_for(milliseconds(200)), std::future_status::timeout);
  conn->Interrupt();
  ASSERT_EQ(reader.wait_for(seconds(30)), std::future_status::ready);
  ConnectionResult<std::optional<std::string>> ev = reader.get();
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().kind, ErrorKind::kInterrupted);
  // And stays interrupted.
  EXPECT_EQ(conn->NextEvent(seconds(1)).error().kind, ErrorKind::kInterrupted);
}

TEST_F(MasterConnectionTest, EventLargerThan16MiBArrivesWhole) {
  master_->Sql("CREATE TABLE IF NOT EXISTS d.big (b LONGBLOB) ENGINE=InnoDB");
  auto [file, pos] = master_->Position();
  MasterEndpoint e = Endpoint();
  e.max_event_bytes = 64 << 20;  // slave_max_allowed_packet, as the master's max_allowed_packet
  std::unique_ptr<MasterConnection> conn = Dumping(file, pos, DumpMode::kBlocking, Me(), e);
  ASSERT_NE(conn, nullptr);
  const std::string blob(17 * 1000 * 1000, 'x');
  master_->Sql("INSERT INTO d.big VALUES ('" + blob + "') /* big */");
  std::string query = ReadUntil(*conn, [](const std::string& ev) {
    return Parse(ev).type == kQueryEvent && ev.size() > 1000;
  });
  ASSERT_FALSE(query.empty());
  EXPECT_GT(query.size(), size_t{16} << 20);
  EXPECT_EQ(Parse(query).size, query.size());
  EXPECT_TRUE(CrcMatches(query));
  EXPECT_NE(query.find(blob + "') /* big */"), std::string::npos);
}

TEST_F(MasterConnectionTest, EventLargerThanTheLimitIsFatal1153) {
  master_->Sql("CREATE TABLE IF NOT EXISTS d.big (b LONGBLOB) ENGINE=InnoDB");
  auto [file, pos] = master_->Position();
  MasterEndpoint e = Endpoint();
  e.max_event_bytes = 1 << 20;
  std::unique_ptr<MasterConnection> conn = Dumping(file, pos, DumpMode::kBlocking, Me(), e);
  ASSERT_NE(conn, nullptr);
  master_->Sql("INSERT INTO d.big VALUES ('" + std::string(2 << 20, 'y') + "')");
  ConnectionResult<std::optional<std::string>> ev = conn->NextEvent(seconds(10));
  while (ev.ok() && *ev) ev = conn->NextEvent(seconds(10));
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().kind, ErrorKind::kFatal);
  EXPECT_EQ(ev.error().error.code, 1153);
  EXPECT_FALSE(ev.error().from_master);
}

// --- no master ------------------------------------------------------------------

TEST(MasterConnectionNoServerTest, ClosedPortIsANetworkError2003) {
  MasterEndpoint e;
  e.host = "localhost";
  e.port = FreePort();
  e.user = "repl";
  MasterConnection conn(e, ReplicaIdentity{});
  ConnectionResult<MasterFacts> facts = conn.Connect();
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.error().kind, ErrorKind::kNetwork);
  EXPECT_TRUE(facts.error().retry());
  EXPECT_FALSE(facts.error().from_master);
  EXPECT_EQ(facts.error().error.code, 2003);
  EXPECT_EQ(facts.error().error.message, "Can't connect to MySQL server on '127.0.0.1' (111)");
}

// A master that accepts the connection and never greets: Interrupt() ends
// the wait inside the client library.
TEST(MasterConnectionNoServerTest, InterruptEndsABlockedConnect) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len), 0);

  MasterEndpoint e;
  e.host = "127.0.0.1";
  e.port = ntohs(a.sin_port);
  e.user = "repl";
  e.connect_timeout_seconds = 3600;
  e.read_timeout_seconds = 3600;
  MasterConnection conn(e, ReplicaIdentity{});
  auto connecting = std::async(std::launch::async, [&] { return conn.Connect(); });
  EXPECT_EQ(connecting.wait_for(milliseconds(200)), std::future_status::timeout)
      << "no greeting yet";
  conn.Interrupt();
  ASSERT_EQ(connecting.wait_for(seconds(30)), std::future_status::ready);
  ConnectionResult<MasterFacts> facts = connecting.get();
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.error().kind, ErrorKind::kInterrupted);
  EXPECT_EQ(conn.state(), MasterConnection::State::kClosed);
  ::close(listener);
}

}  // namespace
}  // namespace reptut::replication
