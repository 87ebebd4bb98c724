// Design notes: the replica I/O thread's connection to its master.
//
// STATES (MasterConnection::State)
//
//   kNew --Connect()--> [connected: logged in] --the queries--> kQueried
//   kQueried --Register()--> kRegistered
//   kQueried | kRegistered --RequestDump()--> kDumping
//   kDumping --NextEvent()--> kDumping      (an event, or kTimeout)
//   any --a failure but kTimeout, or EOF of a non-blocking dump--> kClosed
//   ~MasterConnection: COM_QUIT (the library's mysql_close), socket closed
//
//   "connected" lives only inside Connect(): the queries follow the login
//   in the same call. A call made in a state that does not allow it fails
//   (kFatal, 1105) without touching the connection.
//
// WHO READS THE SOCKET
//   Connector/C does the handshake, the authentication and the text queries.
//   Its socket layer reads ahead: a short read fills a 16 KiB cache. The
//   master sends nothing that was not asked for, so once the last query's
//   result is consumed that cache is empty; Connect() checks it (through
//   ma_pvio.h, read only) and hands any bytes it does hold to our decoder,
//   where they are framed like the rest, so no byte can be lost or read
//   twice. From then on the library leaves the socket alone until
//   mysql_close(): COM_REGISTER_SLAVE, COM_BINLOG_DUMP and the event stream
//   go over mysql_get_socket() with protocol::EncodeCommand and
//   protocol::PacketDecoder, reading up to kReadChunk bytes per recv().
//
// INTERRUPTION
//   Interrupt() sets interrupted_ and makes an eventfd readable; it never
//   becomes unreadable again. Every wait polls that eventfd beside the
//   socket: our own (SendCommand, ReadPayload) and the library's, whose
//   poll() is replaced by ours through MARIADB_OPT_IO_WAIT. That hook has no
//   user-data argument, so the eventfd reaches it through a thread_local set
//   around each library call (LibraryCall). So a blocked TCP connect,
//   greeting, login, query, register or event read returns at once (the
//   library's socket is non-blocking; it waits only through the hook). Not
//   covered: the name lookup of a MASTER_HOST that is not an address
//   (getaddrinfo, bounded by the resolver's own timeouts).
//
// SEQUENCE IDS
//   Each command we send is packet 0; the master's answer, and for
//   COM_BINLOG_DUMP every event after it, go on from 1, modulo 256. seq_
//   is the id of the next packet either way; the decoder checks it.
//
// INVARIANTS
//   - mysql_ owns the socket (fd_); it is closed only by ~MasterConnection.
//   - In kQueried and after, the library's read-ahead cache holds nothing
//     that decoder_ has not been given.
//   - interrupted_ never goes back to false; once it is set every call
//     returns kInterrupted.
#include "replication/master_connection.h"

// clang-format off
#include <mysql.h>
#include <errmsg.h>
#include <ma_pvio.h>  // the library's read-ahead cache (Connect), read only
// clang-format on
#include <malloc.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <string_view>

#include "common/errors.h"
#include "protocol/command.h"
#include "protocol/responses.h"

namespace reptut::replication {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr size_t kReadChunk = 128 * 1024;
// How long the event stream is silent before the replica counts as idle
// and gives its free heap pages back (ReadPayload).
constexpr std::chrono::milliseconds kIdleTrim(200);

// Server error codes MySQL's replica counts as network errors that
// errors.h has no name for.
constexpr uint16_t kErOutOfResources = 1041;
constexpr uint16_t kErNetWriteInterrupted = 1161;
constexpr uint16_t kErNewAbortingConnection = 1184;
constexpr uint16_t kErConnectionKilled = 1927;

// MySQL's is_network_error() (sql/rpl_slave.cc), with MariaDB's additions:
// the errors after which a replica connects again instead of stopping.
bool IsNetworkCode(unsigned code) {
  switch (code) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case ER_CON_COUNT_ERROR:
    case ER_SERVER_SHUTDOWN:
    case ER_NET_READ_INTERRUPTED:
    case kErNetWriteInterrupted:
    case kErNewAbortingConnection:
    case kErConnectionKilled:
      return true;
    default:
      return false;
  }
}

bool IsClientCode(unsigned code) {
  return (code >= CR_MIN_ERROR && code <= CR_MAX_ERROR) || (code >= 5000 && code < 6000);
}

Error ClientError(uint16_t code, std::string message) {
  Error e;
  e.code = code;
  e.sqlstate = "HY000";
  e.message = std::move(message);
  return e;
}

Error ServerLost() {
  return ClientError(CR_SERVER_LOST, "Lost connection to MySQL server during query");
}

Error ServerGone() {
  return ClientError(CR_SERVER_GONE_ERROR, "MySQL server has gone away");
}

Error Malformed(const std::string& what) {
  return ClientError(CR_MALFORMED_PACKET, "Malformed packet (" + what + ")");
}

// Connector/C words a few messages differently from MySQL's client library
// ("Can't connect to server on ..."); a replica's users see MySQL's words.
std::string MySqlWording(std::string message) {
  static const std::pair<const char*, const char*> kRewrites[] = {
      {"Can't connect to server on ", "Can't connect to MySQL server on "},
      {"Lost connection to server ", "Lost connection to MySQL server "},
      {"Server has gone away", "MySQL server has gone away"},
      {"'handshake: reading initial communication packet'",
       "'reading initial communication packet'"},
  };
  for (const auto& [from, to] : kRewrites) {
    size_t at = message.find(from);
    if (at != std::string::npos) message.replace(at, std::strlen(from), to);
  }
  return message;
}

// The number in "... (111)" at the end of a message, or 0.
int TrailingNumber(const std::string& message) {
  if (message.size() < 3 || message.back() != ')') return 0;
  size_t open = message.rfind('(');
  if (open == std::string::npos) return 0;
  return std::atoi(message.c_str() + open + 1);
}

// --- the library's waits, through MARIADB_OPT_IO_WAIT -----------------------

struct WaitContext {
  int wake_fd = -1;
  int* connect_errno = nullptr;  // the SO_ERROR of a failed connect()
};

thread_local const WaitContext* t_wait = nullptr;

// Sets t_wait for the library calls made while it lives.
class LibraryCall {
 public:
  explicit LibraryCall(const WaitContext* context) : saved_(t_wait) { t_wait = context; }
  ~LibraryCall() { t_wait = saved_; }
  LibraryCall(const LibraryCall&) = delete;
  LibraryCall& operator=(const LibraryCall&) = delete;

 private:
  const WaitContext* saved_;
};

// What the library calls instead of its poll(): like poll, > 0 when the
// socket is ready, 0 on timeout (errno ETIMEDOUT), < 0 on error; also < 0
// (errno EINTR) as soon as the connection's eventfd is readable.
int WaitIo(my_socket fd, my_bool is_read, int timeout_ms) {
  const WaitContext* context = t_wait;
  pollfd fds[2] = {{static_cast<int>(fd), static_cast<short>(is_read ? POLLIN : POLLOUT), 0},
                   {context ? context->wake_fd : -1, POLLIN, 0}};
  const nfds_t count = context && context->wake_fd >= 0 ? 2 : 1;
  const auto deadline = Clock::now() + milliseconds(timeout_ms);
  int wait = timeout_ms > 0 ? timeout_ms : -1;
  for (;;) {
    int rc = ::poll(fds, count, wait);
    if (rc > 0) break;
    if (rc == 0) {
      errno = ETIMEDOUT;
      return 0;
    }
    if (errno != EINTR) return -1;
    if (timeout_ms > 0) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        errno = ETIMEDOUT;
        return 0;
      }
      wait = static_cast<int>(left);
    }
  }
  if (count == 2 && fds[1].revents != 0) {
    errno = EINTR;
    return -1;
  }
  if (!is_read && (fds[0].revents & (POLLERR | POLLHUP)) != 0) {
    // A connect() that failed. Connector/C would report the errno of its
    // connect() call (EINPROGRESS) rather than the reason: keep the reason.
    int error = 0;
    socklen_t len = sizeof error;
    if (::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error) {
      if (context && context->connect_errno) *context->connect_errno = error;
      errno = error;
      return -1;
    }
  }
  return 1;
}

void InitLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Connector/C starts OpenSSL in mysql_library_init (ma_tls_start:
    // OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG)), TLS or not. Started lean
    // first (reptutd's main does it too; this covers other users of the
    // class), what it asks for then is already done.
    InitOpenSslLean();
    mysql_library_init(0, nullptr, nullptr);
  });
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool ParseUnsigned(const std::optional<std::string>& value, uint64_t* out) {
  if (!value || value->empty()) return false;
  uint64_t v = 0;
  for (char c : *value) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

void InitOpenSslLean() {
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
                          OPENSSL_INIT_NO_ADD_ALL_DIGESTS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS,
                      nullptr);
}

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNetwork:
      return "network";
    case ErrorKind::kRefused:
      return "refused";
    case ErrorKind::kFatal:
      return "fatal";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kInterrupted:
      return "interrupted";
  }
  return "?";
}

// One text query's outcome: an error, or the first column of the first
// row (if any).
struct MasterConnection::QueryAnswer {
  unsigned error = 0;  // mysql_errno; 0: success
  std::string message;
  bool has_row = false;
  std::optional<std::string> value;  // nullopt: NULL (or no row)
};

MasterConnection::MasterConnection(MasterEndpoint endpoint, ReplicaIdentity me)
    : endpoint_(std::move(endpoint)),
      me_(std::move(me)),
      host_(endpoint_.host == "localhost" ? "127.0.0.1" : endpoint_.host),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      decoder_(endpoint_.max_event_bytes + 1),  // + the packet's 0x00
      read_buf_(new char[kReadChunk]) {}

MasterConnection::~MasterConnection() {
  if (mysql_ != nullptr) {
    WaitContext context{wake_fd_, nullptr};
    LibraryCall call(&context);
    mysql_close(mysql_);
  }
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void MasterConnection::Interrupt() {
  interrupted_.store(true);
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    ssize_t n = ::write(wake_fd_, &one, sizeof one);
    (void)n;  // a full counter is still readable
  }
}

ConnectionError MasterConnection::Misuse(const char* call) const {
  static const char* const kNames[] = {"new", "queried", "registered", "dumping", "closed"};
  return {ErrorKind::kFatal,
          MakeErrorMsg(ER_UNKNOWN_ERROR, std::string("MasterConnection::") + call +
                                             " called on a connection that is " +
                                             kNames[static_cast<int>(state_)]),
          false};
}

ConnectionError MasterConnection::Interrupted() {
  state_ = State::kClosed;
  return {ErrorKind::kInterrupted,
          MakeErrorMsg(ER_QUERY_INTERRUPTED,
                       "The connection to the master was interrupted (STOP SLAVE or shutdown)"),
          false};
}

ConnectionError MasterConnection::Fail(ErrorKind kind, Error error, bool from_master) {
  if (interrupted_.load()) return Interrupted();
  if (kind != ErrorKind::kTimeout) state_ = State::kClosed;
  return {kind, std::move(error), from_master};
}

// The library's last error, in MySQL's words. `connecting`: the login
// failed (every failure is retried there, as MySQL's connect_to_master
// does: client-side ones as network errors, the master's as refusals).
ConnectionError MasterConnection::LibraryError(bool connecting) {
  unsigned code = mysql_errno(mysql_);
  std::string message = mysql_error(mysql_);
  if (code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR) {
    // Over TCP this is MySQL's 2003, with the connect()'s real errno.
    int sys = connect_errno_ ? connect_errno_ : TrailingNumber(message);
    return Fail(ErrorKind::kNetwork,
                ClientError(CR_CONN_HOST_ERROR, "Can't connect to MySQL server on '" + host_ +
                                                    "' (" + std::to_string(sys) + ")"));
  }
  Error e;
  e.code = static_cast<uint16_t>(code);
  e.sqlstate = mysql_sqlstate(mysql_);
  const bool client = IsClientCode(code);
  e.message = client ? MySqlWording(std::move(message)) : std::move(message);
  if (IsNetworkCode(code) || (connecting && client)) {
    return Fail(ErrorKind::kNetwork, std::move(e), !client);
  }
  return Fail(connecting ? ErrorKind::kRefused : ErrorKind::kFatal, std::move(e), !client);
}

ConnectionResult<MasterFacts> MasterConnection::Connect() {
  if (interrupted_.load()) return Interrupted();
  if (state_ != State::kNew) return Misuse("Connect()");
  if (wake_fd_ < 0) {
    return Fail(ErrorKind::kFatal,
                MakeErrorMsg(ER_UNKNOWN_ERROR, std::string("Could not create an eventfd (") +
                                                   std::strerror(errno) + ")"));
  }
  InitLibraryOnce();
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) {
    return Fail(ErrorKind::kFatal, ClientError(CR_OUT_OF_MEMORY, "MySQL client ran out of memory"));
  }
  unsigned protocol = MYSQL_PROTOCOL_TCP;
  unsigned connect_timeout = std::max<uint32_t>(1, endpoint_.connect_timeout_seconds);
  unsigned net_timeout = std::max<uint32_t>(1, endpoint_.read_timeout_seconds);
  mysql_options(mysql_, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &net_timeout);
  mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &net_timeout);
  mysql_optionsv(mysql_, MARIADB_OPT_IO_WAIT, reinterpret_cast<void*>(&WaitIo));

  WaitContext context{wake_fd_, &connect_errno_};
  LibraryCall call(&context);
  if (mysql_real_connect(mysql_, host_.c_str(), endpoint_.user.c_str(), endpoint_.password.c_str(),
                         nullptr, endpoint_.port, nullptr, 0) == nullptr) {
    return LibraryError(/*connecting=*/true);
  }
  fd_ = static_cast<int>(mysql_get_socket(mysql_));

  MasterFacts facts;
  facts.version = mysql_get_server_info(mysql_);
  facts.mariadb = facts.version.find("MariaDB") != std::string::npos ||
                  facts.version.find("-maria-") != std::string::npos;
  unsigned long major = mysql_get_server_version(mysql_) / 10000;
  if (facts.version.empty() || !std::isdigit(static_cast<unsigned char>(facts.version[0])) ||
      major < 5) {
    return Fail(ErrorKind::kFatal,
                MakeError(ER_SLAVE_FATAL_ERROR, {"Master reported unrecognized MySQL version"}));
  }
  return AskMaster(std::move(facts));
}

MasterConnection::QueryAnswer MasterConnection::Query(const std::string& sql) {
  QueryAnswer a;
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
    a.error = mysql_errno(mysql_);
    a.message = mysql_error(mysql_);
    return a;
  }
  MYSQL_RES* res = mysql_store_result(mysql_);
  if (res != nullptr) {
    if (MYSQL_ROW row = mysql_fetch_row(res); row != nullptr && mysql_num_fields(res) > 0) {
      a.has_row = true;
      unsigned long* lengths = mysql_fetch_lengths(res);
      if (row[0] != nullptr) a.value = std::string(row[0], lengths[0]);
    }
    mysql_free_result(res);
  } else if (mysql_field_count(mysql_) != 0) {
    a.error = mysql_errno(mysql_);
    a.message = mysql_error(mysql_);
  }
  // A master never sends more results to one statement, but if it did
  // they must not stay in the library.
  while (a.error == 0 && mysql_more_results(mysql_)) {
    if (mysql_next_result(mysql_) > 0) {
      a.error = mysql_errno(mysql_);
      a.message = mysql_error(mysql_);
      break;
    }
    if (MYSQL_RES* more = mysql_store_result(mysql_)) mysql_free_result(more);
  }
  return a;
}

// The queries of MySQL 5.7's get_master_version_and_clock() and
// get_master_uuid(), and MariaDB's capability, each failure handled as
// those replicas handle it.
ConnectionResult<MasterFacts> MasterConnection::AskMaster(MasterFacts facts) {
  // Network errors reconnect; any other is fatal with this text.
  auto failed = [&](const QueryAnswer& a, const std::string& what) -> ConnectionError {
    if (IsNetworkCode(a.error) || interrupted_.load()) return LibraryError(false);
    return Fail(ErrorKind::kFatal,
                MakeErrorMsg(ER_SLAVE_FATAL_ERROR,
                             "The slave I/O thread stops because a fatal error is encountered "
                             "when it " +
                                 what + " Error: " +
                                 (a.error ? MySqlWording(a.message) : std::string("NULL"))));
  };

  // The clock: a master that will not tell leaves the difference at 0.
  QueryAnswer a = Query("SELECT UNIX_TIMESTAMP()");
  uint64_t master_time = 0;
  if (a.error == 0 && ParseUnsigned(a.value, &master_time)) {
    facts.clock_diff_seconds =
        static_cast<int64_t>(std::time(nullptr)) - static_cast<int64_t>(master_time);
  } else if (a.error != 0 && (IsNetworkCode(a.error) || interrupted_.load())) {
    return LibraryError(false);
  } else {
    facts.warnings.push_back(
        "\"SELECT UNIX_TIMESTAMP()\" failed on master, do not trust column Seconds_Behind_Master "
        "of SHOW SLAVE STATUS. Error: " +
        (a.error ? a.message + " (" + std::to_string(a.error) + ")" : std::string("no value")));
  }

  // The server id: ours again is a mistake replication cannot survive.
  a = Query("SELECT @@GLOBAL.SERVER_ID");
  uint64_t id = 0;
  if (a.error == 0 && ParseUnsigned(a.value, &id)) {
    facts.server_id = static_cast<uint32_t>(id);
    if (facts.server_id == me_.server_id && !me_.same_server_id_ok) {
      return Fail(ErrorKind::kFatal,
                  MakeError(ER_SLAVE_FATAL_ERROR,
                            {"The slave I/O thread stops because master and slave have equal "
                             "MySQL server ids; these ids must be different for replication to "
                             "work (or the --replicate-same-server-id option must be used on "
                             "slave but this does not always make sense; please check the manual "
                             "before using it)."}));
    }
  } else if (a.error == 0 || a.error == ER_UNKNOWN_SYSTEM_VARIABLE) {
    facts.warnings.push_back(
        "Unknown system variable 'SERVER_ID' on master, maybe it is a *VERY OLD MASTER*.");
  } else {
    return failed(a, "try to get the value of SERVER_ID variable from master.");
  }

  if (me_.heartbeat_period_seconds > 0) {
    auto ns = static_cast<uint64_t>(me_.heartbeat_period_seconds * 1e9);
    a = Query("SET @master_heartbeat_period= " + std::to_string(ns));
    if (a.error != 0) return failed(a, "tries to SET @master_heartbeat_period on master.");
  }

  // Checksums: the master sends CRC32s only to a replica that set this
  // variable (and refuses one that did not, with a CRC32 binary log).
  a = Query("SET @master_binlog_checksum= @@global.binlog_checksum");
  if (a.error == ER_UNKNOWN_SYSTEM_VARIABLE) {
    facts.crc32 = false;  // a master without checksums
  } else if (a.error != 0) {
    return failed(a, "tried to SET @master_binlog_checksum on master.");
  } else {
    a = Query("SELECT @master_binlog_checksum");
    if (a.error != 0 || !a.value) {
      return failed(a, "tried to SELECT @master_binlog_checksum.");
    }
    if (EqualsNoCase(*a.value, "CRC32")) {
      facts.crc32 = true;
    } else if (!EqualsNoCase(*a.value, "NONE")) {
      return Fail(ErrorKind::kFatal,
                  MakeErrorMsg(ER_SLAVE_FATAL_ERROR,
                               "The slave I/O thread was stopped because a fatal error is "
                               "encountered The checksum algorithm used by master is unknown to "
                               "slave. (binlog_checksum=" +
                                   *a.value + ")"));
    }
  }

  // A MariaDB master then sends its GTID events as they are (below 4 it
  // would rewrite them into BEGIN); the SQL thread skips them.
  a = Query("SET @mariadb_slave_capability=4");
  if (a.error != 0) return failed(a, "tried to SET @mariadb_slave_capability on master.");

  // Master_UUID of SHOW SLAVE STATUS. MariaDB has no such variable.
  if (!facts.mariadb) {
    a = Query("SELECT @@GLOBAL.SERVER_UUID");
    if (a.error == 0 && a.value) {
      facts.server_uuid = *a.value;
    } else if (a.error != 0 && (IsNetworkCode(a.error) || interrupted_.load())) {
      return LibraryError(false);
    }
  }
  if (interrupted_.load()) return Interrupted();

  // The library's read-ahead: bytes it holds beyond the last answer are
  // the start of what comes next; they go to our decoder (there should be
  // none).
  if (const MARIADB_PVIO* pvio = mysql_->net.pvio; pvio != nullptr && pvio->cache != nullptr) {
    const uchar* end = pvio->cache + pvio->cache_size;
    if (end > pvio->cache_pos) {
      decoder_.Feed(std::string_view(reinterpret_cast<const char*>(pvio->cache_pos),
                                     static_cast<size_t>(end - pvio->cache_pos)));
    }
  }
  state_ = State::kQueried;
  return facts;
}

ConnectionStatus MasterConnection::SendCommand(const std::string& payload) {
  std::string out;
  seq_ = 0;
  protocol::AppendPackets(&out, payload, &seq_);
  const int timeout_ms =
      static_cast<int>(std::max<uint32_t>(1, endpoint_.read_timeout_seconds) * 1000);
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::send(fd_, out.data() + done, out.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd fds[2] = {{fd_, POLLOUT, 0}, {wake_fd_, POLLIN, 0}};
      int rc = ::poll(fds, 2, timeout_ms);
      if (rc < 0 && errno == EINTR) continue;
      if (fds[1].revents != 0) return Interrupted();
      if (rc <= 0) return Fail(ErrorKind::kNetwork, ServerGone());
      continue;
    }
    return Fail(ErrorKind::kNetwork, ServerGone());
  }
  return ConnectionStatus();
}

ConnectionResult<std::string> MasterConnection::ReadPayload(milliseconds timeout) {
  timeout = std::clamp(timeout, milliseconds(0), milliseconds(INT32_MAX));
  auto deadline = Clock::now() + timeout;
  for (;;) {
    Result<std::optional<std::string>> next = decoder_.Next(&seq_);
    if (!next.ok()) {
      if (next.error().code == ER_NET_PACKET_TOO_LARGE) {
        return Fail(ErrorKind::kFatal,
                    MakeErrorMsg(ER_NET_PACKET_TOO_LARGE,
                                 "Got a packet bigger than 'slave_max_allowed_packet' bytes"));
      }
      return Fail(ErrorKind::kNetwork, next.error());  // 1156, out of order
    }
    if (*next) return std::move(**next);
    if (interrupted_.load()) return Interrupted();

    // Wait for bytes: the silence allowed is `timeout`, counted afresh
    // whenever some arrive.
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    // While dumping, a first short wait: if it ends without a byte, the
    // replica has gone idle (the SQL thread has long applied what came).
    const bool idle_check =
        trim_when_idle_ && state_ == State::kDumping && left > kIdleTrim.count();
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int rc = ::poll(fds, 2,
                    idle_check ? static_cast<int>(kIdleTrim.count())
                               : static_cast<int>(std::clamp<int64_t>(left, 0, INT32_MAX)));
    if (rc < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrorKind::kNetwork, ServerLost());
    }
    if (fds[1].revents != 0) return Interrupted();
    if (rc == 0) {
      if (idle_check) {
        trim_when_idle_ = false;
        ::malloc_trim(0);
        continue;  // the deadline is unchanged
      }
      return Fail(ErrorKind::kTimeout, MakeError(ER_NET_READ_INTERRUPTED));
    }
    ssize_t n = ::recv(fd_, read_buf_.get(), kReadChunk, MSG_DONTWAIT);
    if (n > 0) {
      trim_when_idle_ = true;
      decoder_.Feed(std::string_view(read_buf_.get(), static_cast<size_t>(n)));
      deadline = Clock::now() + timeout;
      continue;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    return Fail(ErrorKind::kNetwork, ServerLost());  // closed (0) or reset
  }
}

ConnectionStatus MasterConnection::Register() {
  if (interrupted_.load()) return Interrupted();
  if (state_ != State::kQueried) return Misuse("Register()");
  protocol::ComRegisterSlave c;
  c.server_id = me_.server_id;
  c.host = me_.report_host;
  c.user = me_.report_user;
  c.password = me_.report_password;
  c.port = me_.report_port;
  c.replication_rank = 0;
  c.master_id = 0;
  if (ConnectionStatus s = SendCommand(protocol::EncodeCommand(c)); !s.ok()) return s;

  ConnectionResult<std::string> reply =
      ReadPayload(milliseconds(std::max<uint32_t>(1, endpoint_.read_timeout_seconds) * 1000ll));
  if (!reply.ok()) {
    if (reply.error().kind == ErrorKind::kTimeout) return Fail(ErrorKind::kNetwork, ServerLost());
    return reply.error();
  }
  const std::string& p = *reply;
  if (!p.empty() && static_cast<uint8_t>(p[0]) == 0x00) {
    state_ = State::kRegistered;
    return ConnectionStatus();
  }
  if (std::optional<Error> err = protocol::DecodeErr(p)) {
    return Fail(ErrorKind::kRefused, std::move(*err), /*from_master=*/true);
  }
  return Fail(ErrorKind::kNetwork,
              Malformed("the answer to COM_REGISTER_SLAVE is neither OK nor ERR"));
}

ConnectionStatus MasterConnection::RequestDump(const std::string& file, uint64_t position,
                                               DumpMode mode) {
  if (interrupted_.load()) return Interrupted();
  if (state_ != State::kQueried && state_ != State::kRegistered) return Misuse("RequestDump()");
  if (position > UINT32_MAX) {
    return Fail(
        ErrorKind::kFatal,
        MakeErrorMsg(ER_WRONG_ARGUMENTS, "COM_BINLOG_DUMP cannot ask for position " +
                                             std::to_string(position) + " (positions are 32-bit)"));
  }
  protocol::ComBinlogDump c;
  c.position = static_cast<uint32_t>(std::max<uint64_t>(4, position));
  c.flags = static_cast<uint16_t>(mode);
  c.server_id = me_.server_id;
  c.file = file;
  if (ConnectionStatus s = SendCommand(protocol::EncodeCommand(c)); !s.ok()) return s;
  state_ = State::kDumping;
  return ConnectionStatus();
}

ConnectionResult<std::optional<std::string>> MasterConnection::NextEvent(milliseconds timeout) {
  if (interrupted_.load()) return Interrupted();
  if (state_ != State::kDumping) return Misuse("NextEvent()");
  ConnectionResult<std::string> payload = ReadPayload(timeout);
  if (!payload.ok()) return payload.error();
  std::string& p = *payload;
  if (p.empty()) return Fail(ErrorKind::kNetwork, Malformed("an empty packet in the event stream"));
  const auto first = static_cast<uint8_t>(p[0]);
  if (first == 0x00) {
    p.erase(0, 1);
    return std::optional<std::string>(std::move(p));
  }
  if (protocol::IsEofPacket(p)) {
    state_ = State::kClosed;
    return std::optional<std::string>();
  }
  if (std::optional<Error> err = protocol::DecodeErr(p)) {
    // What MySQL's replica stops on; any other ERR makes it reconnect.
    ErrorKind kind = ErrorKind::kRefused;
    if (err->code == ER_MASTER_FATAL_ERROR_READING_BINLOG || err->code == ER_NET_PACKET_TOO_LARGE ||
        err->code == kErOutOfResources) {
      kind = ErrorKind::kFatal;
    } else if (IsNetworkCode(err->code)) {
      kind = ErrorKind::kNetwork;
    }
    return Fail(kind, std::move(*err), /*from_master=*/true);
  }
  return Fail(ErrorKind::kNetwork,
              Malformed("a packet in the event stream starts with " + std::to_string(first)));
}

}  // namespace reptut::replication
