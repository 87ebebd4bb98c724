// The replica I/O thread's connection to its master, as a MySQL 5.7 replica
// makes it: log in (MariaDB Connector/C), ask the master what a replica asks
// (its clock, server id, checksum setting, ...), register
// (COM_REGISTER_SLAVE), ask for the binary log (COM_BINLOG_DUMP) and read the
// events the master sends. See the design notes at the top of
// master_connection.cc.
//
//   MasterConnection conn(endpoint, me);
//   ConnectionResult<MasterFacts> facts = conn.Connect();
//   ConnectionStatus st = conn.Register();         // if facts.ok()
//   st = conn.RequestDump(file, pos);              // if st.ok()
//   ConnectionResult<std::optional<std::string>> ev = conn.NextEvent(timeout);
//
// Every failure says what the caller does about it (ErrorKind): connect
// again after MASTER_CONNECT_RETRY, stop the I/O thread, or (NextEvent) wait
// longer. A connection is used once: after any failure but a timeout it is
// closed, and the caller makes a new MasterConnection to connect again.
//
// Threads: one thread makes every call; Interrupt() may come from any thread
// at any time while the object lives.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"
#include "protocol/packet.h"

struct st_mysql;  // Connector/C's MYSQL

namespace reptut::replication {

// Starts OpenSSL lean, once per process, before anything else does: no
// config file (openssl.cnf), no legacy name tables of every cipher and
// digest, no error strings. reptutd uses OpenSSL for digests only (EVP_md5,
// SHA1, EVP_sha256 ...: fetched from the default provider all the same) and
// its connection to a master has no TLS; Connector/C's mysql_library_init
// would otherwise start all of it (about 1.6 MiB of libcrypto resident).
// Idempotent; no effect once OpenSSL has been started.
void InitOpenSslLean();

// Where the master is (CHANGE MASTER TO) and how long to wait for it.
struct MasterEndpoint {
  std::string host;  // MASTER_HOST; "localhost" means TCP to 127.0.0.1 (never a Unix socket)
  uint16_t port = 3306;
  std::string user;
  std::string password;
  // The TCP connection and the master's greeting.
  uint32_t connect_timeout_seconds = 10;
  // An answer to a query or to COM_REGISTER_SLAVE, and each write
  // (slave_net_timeout). The event stream has NextEvent's own timeout.
  uint32_t read_timeout_seconds = 60;
  // The largest event accepted (slave_max_allowed_packet); a larger one is
  // a fatal 1153.
  size_t max_event_bytes = size_t{1} << 30;
};

// What this replica tells the master about itself.
struct ReplicaIdentity {
  uint32_t server_id = 0;
  // --replicate-same-server-id: a master with our server id is accepted.
  bool same_server_id_ok = false;
  // MASTER_HEARTBEAT_PERIOD: the master sends a Heartbeat event after this
  // long without events. 0: no heartbeats (the variable is not set).
  double heartbeat_period_seconds = 0;
  // COM_REGISTER_SLAVE (SHOW SLAVE HOSTS on the master): --report-host,
  // --report-user, --report-password, --report-port. Each string is cut to
  // 255 bytes.
  std::string report_host;
  std::string report_user;
  std::string report_password;
  uint16_t report_port = 0;
};

// What Connect() learned about the master.
struct MasterFacts {
  uint32_t server_id = 0;   // 0 when the master would not say
  std::string server_uuid;  // @@server_uuid; "" for MariaDB (which has none)
  std::string version;      // e.g. "10.11.19-MariaDB-0+deb12u1-log" (no "5.5.5-" prefix)
  bool mariadb = false;     // the version says MariaDB
  // binlog_checksum=CRC32: every event, artificial ones included, ends
  // with a 4-byte CRC32. false: NONE (or a master that has no checksums).
  bool crc32 = false;
  // This server's clock minus the master's, in seconds (Seconds_Behind_Master
  // subtracts it); 0 when the master would not tell its time.
  int64_t clock_diff_seconds = 0;
  // What a replica writes to its error log as warnings about this master
  // (e.g. "SELECT UNIX_TIMESTAMP()" failed): for the caller to log.
  std::vector<std::string> warnings;
};

// What the caller does about a failure.
enum class ErrorKind : uint8_t {
  // The connection could not be made or broke: refused, reset, closed by
  // the master, no answer within read_timeout_seconds, a malformed or
  // out-of-order packet. Connect again after MASTER_CONNECT_RETRY.
  kNetwork,
  // The master answered with an error at a step a replica retries: a
  // refused login (1045 access denied, ...), COM_REGISTER_SLAVE's ERR, an
  // ERR in the event stream other than the fatal ones. Not a network
  // error, but handled like one: connect again after MASTER_CONNECT_RETRY.
  kRefused,
  // Stop the I/O thread; the error is Last_IO_Errno / Last_IO_Error: equal
  // server ids (1593), a master older than 5.0, an unknown checksum
  // algorithm, the master's 1236 in the event stream, an event larger than
  // max_event_bytes (1153).
  kFatal,
  // NextEvent only: nothing arrived within its timeout. The connection is
  // intact; the caller decides when silence means a dead master
  // (slave_net_timeout) and connects again.
  kTimeout,
  // Interrupt() was called (STOP SLAVE, shutdown).
  kInterrupted,
};

const char* ErrorKindName(ErrorKind kind);  // "network", "refused", ...

struct ConnectionError {
  ErrorKind kind = ErrorKind::kFatal;
  // MySQL's error number and text (e.g. 2003 "Can't connect to MySQL server
  // on '127.0.0.1' (111)"), or the master's ERR packet as it was sent.
  Error error;
  // `error` is an ERR packet from the master, unchanged (1045 at login,
  // 1236 in the event stream, ...).
  bool from_master = false;

  // kNetwork or kRefused: connect again after MASTER_CONNECT_RETRY.
  bool retry() const { return kind == ErrorKind::kNetwork || kind == ErrorKind::kRefused; }
};

// A value or a ConnectionError.
template <class T>
class [[nodiscard]] ConnectionResult {
 public:
  ConnectionResult(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  ConnectionResult(ConnectionError e) : v_(std::move(e)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const ConnectionError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ConnectionError> v_;
};

// Success or a ConnectionError.
class [[nodiscard]] ConnectionStatus {
 public:
  ConnectionStatus() = default;                                  // success
  ConnectionStatus(ConnectionError e) : error_(std::move(e)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  const ConnectionError& error() const { return *error_; }

 private:
  std::optional<ConnectionError> error_;
};

// COM_BINLOG_DUMP's flags.
enum class DumpMode : uint16_t {
  kBlocking = 0,     // the master waits for new events at the end (a replica)
  kNonBlocking = 1,  // BINLOG_DUMP_NON_BLOCK: the master ends the stream with EOF
};

class MasterConnection {
 public:
  // Which calls may come next. Connect() makes kNew kQueried; Register()
  // kQueried kRegistered; RequestDump() kQueried or kRegistered kDumping;
  // a failure (other than NextEvent's timeout) or the end of a non-blocking
  // stream makes any state kClosed.
  enum class State { kNew, kQueried, kRegistered, kDumping, kClosed };

  MasterConnection(MasterEndpoint endpoint, ReplicaIdentity me);
  ~MasterConnection();  // logs out (COM_QUIT) and closes the socket
  MasterConnection(const MasterConnection&) = delete;
  MasterConnection& operator=(const MasterConnection&) = delete;

  // Logs in and asks what a MySQL 5.7 replica asks before it dumps:
  //   SELECT UNIX_TIMESTAMP()                            (the clock difference)
  //   SELECT @@GLOBAL.SERVER_ID                          (equal to ours: fatal 1593)
  //   SET @master_heartbeat_period= <ns>                 (when the period is not 0)
  //   SET @master_binlog_checksum= @@global.binlog_checksum
  //   SELECT @master_binlog_checksum                     (NONE or CRC32, else fatal)
  //   SET @mariadb_slave_capability=4                    (GTID events as they are)
  //   SELECT @@GLOBAL.SERVER_UUID                        (not asked of MariaDB)
  // each failure treated as MySQL's replica treats it (fatal, tolerated with
  // a warning, or a network error). A login that fails gives the client
  // library's error (2003 for a refused connection, kNetwork) or the
  // master's (1045, kRefused).
  ConnectionResult<MasterFacts> Connect();

  // COM_REGISTER_SLAVE with our server id and report-* values (rank 0,
  // master id 0). The master's ERR is kRefused: MySQL retries registering
  // after MASTER_CONNECT_RETRY. (MySQL 5.7 registers only when report-host
  // is set, MariaDB always: the caller chooses.)
  ConnectionStatus Register();

  // COM_BINLOG_DUMP from `position` (below 4: 4) of `file` ("": the
  // master's first binary log). The master's answer (events, or an ERR
  // such as 1236 for a missing file) comes from NextEvent().
  ConnectionStatus RequestDump(const std::string& file, uint64_t position,
                               DumpMode mode = DumpMode::kBlocking);

  // The next event, exactly as the master sent it (common header first,
  // checksum included; the packet's 0x00 byte removed), a multi-packet one
  // whole. nullopt: the end of a non-blocking stream (the connection is
  // then closed). Errors: kTimeout when nothing arrived for `timeout` (0:
  // only what is already here), the master's ERR (from_master; 1236 is
  // kFatal), kNetwork when the connection closed or broke, kInterrupted.
  // Reads in large chunks: events already received cost no system call.
  ConnectionResult<std::optional<std::string>> NextEvent(std::chrono::milliseconds timeout);

  // From any thread: makes the call in progress (Connect, Register,
  // RequestDump, NextEvent) and every later one return kInterrupted
  // promptly. Nothing else may be called from other threads, and the
  // caller keeps the object alive until Interrupt() returns.
  void Interrupt();

  State state() const { return state_; }

 private:
  struct QueryAnswer;

  ConnectionError Misuse(const char* call) const;
  ConnectionError Interrupted();
  ConnectionError Fail(ErrorKind kind, Error error, bool from_master = false);
  ConnectionError LibraryError(bool connecting);
  ConnectionResult<MasterFacts> AskMaster(MasterFacts facts);
  QueryAnswer Query(const std::string& sql);
  ConnectionStatus SendCommand(const std::string& payload);
  // The next payload; kTimeout after `timeout` without a byte.
  ConnectionResult<std::string> ReadPayload(std::chrono::milliseconds timeout);

  const MasterEndpoint endpoint_;
  const ReplicaIdentity me_;
  std::string host_;  // what the library connects to ("localhost" -> "127.0.0.1")
  State state_ = State::kNew;
  st_mysql* mysql_ = nullptr;
  int fd_ = -1;       // the library's socket, ours once the queries are done
  int wake_fd_ = -1;  // eventfd: readable once Interrupt() was called
  std::atomic<bool> interrupted_{false};
  int connect_errno_ = 0;  // the real errno of a failed TCP connect
  protocol::PacketDecoder decoder_;
  uint8_t seq_ = 0;  // the sequence id the next packet (either way) has
  std::unique_ptr<char[]> read_buf_;
  // Bytes came since the stream last went quiet: when it goes quiet again
  // (kIdleTrim without a byte while dumping) the process's free heap pages
  // are given back (malloc_trim), once, so that an idle replica does not
  // keep the peak of what its threads allocated resident.
  bool trim_when_idle_ = true;
};

}  // namespace reptut::replication
