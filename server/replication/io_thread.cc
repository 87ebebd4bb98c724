// Design notes: the replica's I/O thread.
//
// STATES (Slave_IO_State, as MySQL 5.7 words them; Slave_IO_Running in [])
//
//   stopped --Start()--> "Connecting to master" [Connecting]
//     --connected--> "Checking master version" (the queries a replica asks)
//     --> "Registering slave on master" (COM_REGISTER_SLAVE)
//     --> "Requesting binlog dump" (COM_BINLOG_DUMP at Read_Master_Log_Pos)
//     --> "Waiting for master to send event" [Yes]
//         <--> "Queueing master event to the relay log"
//   A network error (the connection breaks, nothing for slave_net_timeout
//   seconds, a refused connection) goes to
//     "Reconnecting after a failed master event read" /
//     "Waiting to reconnect after a failed registration on master" /
//     "Waiting to reconnect after a failed binlog dump request" [Connecting]
//   and tries again every MASTER_CONNECT_RETRY seconds, up to
//   master_retry_count times, from the position it had (across the master's
//   rotations and purges meanwhile: a purged log is a 1236 then).
//   A fatal error (the master's 1236, equal server ids, a master older than
//   5.0) or Stop() ends the thread: stopped [No], Last_IO_Errno/Error set.
//   KILL of the thread's session (its interrupt handler) ends it as Stop()
//   does, with no error (MariaDB 10.11); START SLAVE starts it again.
//   KILL QUERY of it does not break the connection: the thread ends, with
//   no error either, when the next event or heartbeat arrives (not
//   queued), the read fails, or at the next step or pause of connecting;
//   its Command is "Killed" meanwhile (MariaDB 10.11).
//   Run() makes every transition; Stop() only breaks the connection
//   (MasterConnection::Interrupt) and wakes a sleep.
//
// WHAT IT WRITES
//   Each event to the relay log as the master sent it, except heartbeats
//   (they only say the master is alive) and events of this server's own
//   server id (a ring of dual masters), which only move the position.
//   Read_Master_Log_Pos follows the events' end_log_pos; the master's
//   Rotate (fake or real) names the next file. master.info is rewritten
//   after each batch of events.
//
// INVARIANTS
//   - ctx.mi.log_file/log_pos is always the end of an event that is in the
//     relay log (or that was deliberately dropped), so reconnecting there
//     neither loses nor repeats an event.
//   - The relay log file's checksum setting is the master's: a reader
//     checks every event of a file alike.
#include "replication/io_thread.h"

#include <variant>

#include "binlog/dump_events.h"
#include "binlog/event_codec.h"
#include "common/errors.h"
#include "common/log.h"
#include "replication/master_connection.h"
#include "replication/relay_log.h"

namespace reptut::replication {
namespace {

constexpr size_t kMaxBatchEvents = 512;
constexpr size_t kMaxBatchBytes = 4 * 1024 * 1024;

}  // namespace

IoThread::IoThread(ReplicaContext& ctx, std::function<void()> write_info)
    : ctx_(ctx), write_info_(std::move(write_info)) {}

IoThread::~IoThread() {
  Stop();
}

void IoThread::Start() {
  if (thread_.joinable()) thread_.join();
  stop_ = false;
  query_killed_ = false;
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    ctx_.io.running = IoRunning::kConnecting;
    ctx_.io.state = "Connecting to master";
    ctx_.io.error.Clear();
  }
  running_ = true;
  ctx_.changed.notify_all();
  thread_ = std::thread([this] { Run(); });
}

void IoThread::Interrupt() {
  stop_ = true;
  {
    std::lock_guard<std::mutex> lock(conn_mu_);
    if (conn_) conn_->Interrupt();
  }
  { std::lock_guard<std::mutex> lock(sleep_mu_); }
  sleep_cv_.notify_all();
}

void IoThread::InterruptQuery() {
  query_killed_ = true;
  { std::lock_guard<std::mutex> lock(sleep_mu_); }
  sleep_cv_.notify_all();
}

void IoThread::Stop() {
  Interrupt();
  if (thread_.joinable()) thread_.join();
}

bool IoThread::Sleep(uint32_t seconds) {
  std::unique_lock<std::mutex> lock(sleep_mu_);
  sleep_cv_.wait_for(lock, std::chrono::seconds(seconds),
                     [&] { return stop_.load() || query_killed_.load(); });
  return !stop_.load() && !query_killed_.load();
}

void IoThread::Run() {
  RelayLog& relay = *ctx_.relay;
  const config::ServerOptions& o = ctx_.options;
  // The thread's line in SHOW PROCESSLIST.
  std::unique_ptr<engine::Session> session;
  if (auto made = ctx_.server.NewSession(); made.ok()) {
    session = std::move(*made);
    session->SetSystemUser("system user", "");
    session->SetCommand("Connect");
    // KILL <id> stops the thread as STOP SLAVE IO_THREAD does (MariaDB:
    // Slave_IO_Running No, Last_IO_Errno 0). The engine calls this on the
    // killer's thread.
    session->SetInterruptHandler([this] { Interrupt(); });
    // KILL QUERY: see InterruptQuery. Called on the killer's thread, under
    // the session's locks (SetCommand takes only the info lock).
    engine::Session* me = session.get();
    session->SetQueryInterruptHandler([this, me] {
      InterruptQuery();
      me->SetCommand("Killed");
    });
  }
  auto set_state = [&](const char* state, IoRunning running) {
    if (session) session->SetState(state);
    {
      std::lock_guard<std::mutex> lock(ctx_.mu);
      ctx_.io.state = state;
      ctx_.io.running = running;
    }
    ctx_.changed.notify_all();
  };
  auto fail = [&](uint32_t code, const std::string& message) {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    ctx_.io.error = {code, message, ErrorTimestamp()};
  };

  bool first_connection = true;
  uint64_t retries = 0;
  bool fatal = false;
  const char* reconnect_state = nullptr;  // why we connect again
  bool killed_reading = false;            // STOP SLAVE or KILL while waiting for events
  bool reconnecting = false;              // after a failed read, until the dump starts
  // KILL QUERY ends the thread at the points MariaDB checks it.
  auto query_killed = [&] {
    if (!query_killed_) return false;
    stop_ = true;
    return true;
  };
  while (!stop_ && !fatal && !query_killed()) {
    MasterInfo mi;
    {
      std::lock_guard<std::mutex> lock(ctx_.mu);
      mi = ctx_.mi;
    }
    std::string who = "'" + mi.user + "@" + mi.host + ":" + std::to_string(mi.port) + "'";
    set_state(reconnect_state ? reconnect_state : "Connecting to master", IoRunning::kConnecting);

    MasterEndpoint endpoint;
    endpoint.host = mi.host;
    endpoint.port = mi.port;
    endpoint.user = mi.user;
    endpoint.password = mi.password;
    endpoint.connect_timeout_seconds =
        std::max<uint32_t>(1, std::min<uint32_t>(o.slave_net_timeout, 10));
    endpoint.read_timeout_seconds = o.slave_net_timeout;
    ReplicaIdentity me;
    me.server_id = o.server_id;
    me.report_host = o.report_host;
    me.report_port = o.report_port.value_or(o.port);
    me.heartbeat_period_seconds = mi.heartbeat_period;
    me.same_server_id_ok = o.replicate_same_server_id;

    auto conn = std::make_unique<MasterConnection>(endpoint, me);
    {
      std::lock_guard<std::mutex> lock(conn_mu_);
      conn_ = conn.get();
    }
    auto drop = [&] {
      std::lock_guard<std::mutex> lock(conn_mu_);
      conn_ = nullptr;
    };
    if (stop_ || query_killed()) {
      drop();
      break;
    }
    // Connect and ask what a replica asks.
    ConnectionResult<MasterFacts> facts = conn->Connect();
    if (!facts.ok()) {
      drop();
      if (stop_ || facts.error().kind == ErrorKind::kInterrupted) break;
      const Error& e = facts.error().error;
      if (facts.error().kind == ErrorKind::kFatal) {
        fail(e.code, e.message);
        log::ErrorLine("Slave I/O thread: " + e.message);
        fatal = true;
        break;
      }
      ++retries;
      std::string msg = "error " + std::string(reconnect_state ? "reconnecting" : "connecting") +
                        " to master " + who + " - retry-time: " + std::to_string(mi.connect_retry) +
                        "  retries: " + std::to_string(retries) + "  message: " + e.message;
      fail(e.code, msg);
      log::ErrorLine("Slave I/O thread: " + msg);
      if (retries > mi.retry_count) {
        log::ErrorLine("Slave I/O thread: gave up after " + std::to_string(retries) + " retries");
        fatal = true;
        break;
      }
      reconnect_state = "Connecting to master";
      if (!Sleep(mi.connect_retry)) break;
      continue;
    }
    if (query_killed()) {
      drop();
      break;
    }
    for (const std::string& w : facts->warnings) log::Warning("Slave I/O thread: " + w);
    {
      std::lock_guard<std::mutex> lock(ctx_.mu);
      ctx_.io.master_server_id = facts->server_id;
      ctx_.io.master_uuid = facts->server_uuid;
      ctx_.io.clock_diff = facts->clock_diff_seconds;
    }
    set_state("Registering slave on master", IoRunning::kConnecting);
    ConnectionStatus reg = conn->Register();
    if (query_killed()) {
      drop();
      break;
    }
    if (!reg.ok()) {
      drop();
      if (stop_ || reg.error().kind == ErrorKind::kInterrupted) break;
      const Error& e = reg.error().error;
      fail(e.code, "Master command COM_REGISTER_SLAVE failed: " + e.message);
      log::ErrorLine("Slave I/O thread: Master command COM_REGISTER_SLAVE failed: " + e.message);
      reconnect_state = "Waiting to reconnect after a failed registration on master";
      set_state(reconnect_state, IoRunning::kConnecting);
      if (!Sleep(mi.connect_retry)) break;
      continue;
    }
    // The relay log takes the master's checksum setting, and a new file
    // when the thread starts.
    if (first_connection || relay.checksum() != facts->crc32) {
      Status rot = relay.Rotate(facts->crc32);
      if (!rot.ok()) {
        drop();
        fail(ER_SLAVE_RELAY_LOG_WRITE_FAILURE, "Relay log write failure: " + rot.message());
        fatal = true;
        break;
      }
    }
    first_connection = false;
    set_state("Requesting binlog dump", IoRunning::kConnecting);
    ConnectionStatus dump = conn->RequestDump(mi.log_file, mi.log_pos);
    if (query_killed()) {
      drop();
      break;
    }
    if (!dump.ok()) {
      drop();
      if (stop_ || dump.error().kind == ErrorKind::kInterrupted) break;
      fail(dump.error().error.code, dump.error().error.message);
      reconnect_state = "Waiting to reconnect after a failed binlog dump request";
      set_state(reconnect_state, IoRunning::kConnecting);
      if (!Sleep(mi.connect_retry)) break;
      continue;
    }
    retries = 0;
    reconnecting = false;
    {
      std::lock_guard<std::mutex> lock(ctx_.mu);
      ctx_.io.error.Clear();
    }
    log::Note("Slave I/O thread: connected to master " + who + ",replication started in log '" +
              (mi.log_file.empty() ? "FIRST" : mi.log_file) + "' at position " +
              std::to_string(mi.log_pos));
    set_state("Waiting for master to send event", IoRunning::kYes);

    // The stream.
    std::string read_file = mi.log_file;
    uint64_t read_pos = mi.log_pos;
    std::vector<std::string> batch;
    size_t batch_bytes = 0;
    bool skipped_last = false;  // the last event was one of this server's own
    bool reconnect = false;
    while (!stop_ && !fatal && !reconnect) {
      if (session && session->killed()) {  // (the handler has set stop_ too)
        stop_ = true;
        killed_reading = true;
        break;
      }
      auto timeout = batch.empty() ? std::chrono::milliseconds(o.slave_net_timeout * 1000ll)
                                   : std::chrono::milliseconds(0);
      ConnectionResult<std::optional<std::string>> next = conn->NextEvent(timeout);
      bool flush = false;
      bool batch_timeout = !next.ok() && next.error().kind == ErrorKind::kTimeout && !batch.empty();
      if (!batch_timeout && query_killed()) {
        // KILL QUERY: what came now (an event, a heartbeat, an error) is
        // dropped; what was read before goes to the relay log.
        killed_reading = true;
        flush = true;
      } else if (!next.ok()) {
        const Error& e = next.error().error;
        ErrorKind kind = next.error().kind;
        if (kind == ErrorKind::kTimeout && !batch.empty()) {
          flush = true;  // nothing more right now: write what we have
        } else if (stop_ || kind == ErrorKind::kInterrupted) {
          killed_reading = true;
          break;
        } else if (kind == ErrorKind::kFatal && next.error().from_master) {
          std::string msg = "Got fatal error " + std::to_string(e.code) +
                            " from master when reading data from binary log: '" + e.message + "'";
          fail(ER_MASTER_FATAL_ERROR_READING_BINLOG, msg);
          log::ErrorLine("Slave I/O thread: " + msg);
          fatal = true;
          flush = true;
        } else if (kind == ErrorKind::kFatal) {
          fail(e.code, e.message);
          log::ErrorLine("Slave I/O thread: " + e.message);
          fatal = true;
          flush = true;
        } else {
          log::Warning("Slave I/O thread: Failed reading log event, reconnecting to retry, log '" +
                       read_file + "' at position " + std::to_string(read_pos) + " (" + e.message +
                       ")");
          reconnect = true;
          flush = true;
        }
      } else if (!*next) {
        reconnect = true;  // the master ended the stream
        flush = true;
      } else {
        std::string& ev = **next;
        Result<binlog::EventHeader> h = binlog::DecodeHeader(ev);
        if (!h.ok()) {
          fail(ER_SLAVE_RELAY_LOG_WRITE_FAILURE,
               "Relay log write failure: could not queue event from master (" + h.error().message +
                   ")");
          fatal = true;
          flush = true;
        } else if (h->type == binlog::kHeartbeatEvent) {
          std::lock_guard<std::mutex> lock(ctx_.mu);
          ctx_.io.heartbeats++;
          ctx_.io.last_heartbeat = std::chrono::steady_clock::now();
        } else {
          bool queue = true;
          if (h->type == binlog::kRotateEvent) {
            binlog::DecodeContext dc;
            dc.has_checksum = facts->crc32;
            dc.verify_checksum = false;
            Result<binlog::Event> rot = binlog::DecodeEvent(ev, dc);
            if (rot.ok()) {
              if (const auto* r = std::get_if<binlog::RotateEvent>(&rot->body)) {
                read_file = r->next_file;
                read_pos = r->position;
              }
            }
          } else if (h->type == binlog::kFormatDescriptionEvent) {
            if (h->end_log_pos != 0) read_pos = h->end_log_pos;
          } else {
            if (h->end_log_pos != 0) read_pos = h->end_log_pos;
            if (h->server_id == o.server_id && !o.replicate_same_server_id) queue = false;
          }
          if (queue) {
            batch_bytes += ev.size();
            batch.push_back(std::move(ev));
            skipped_last = false;
          } else {
            skipped_last = true;
          }
          // (Read_Master_Log_Pos moves when the batch is in the relay log.)
          if (batch.size() >= kMaxBatchEvents || batch_bytes >= kMaxBatchBytes) flush = true;
          if (!queue && batch.empty()) flush = true;
        }
      }
      if (flush) {
        if (skipped_last) {
          // The last events were this server's own: a Rotate of the
          // master's coordinates tells the SQL thread how far they went.
          batch.push_back(
              binlog::EncodeFakeRotate(read_file, read_pos, facts->server_id, relay.checksum()));
          skipped_last = false;
        }
        if (!batch.empty()) {
          Status w = relay.Append(std::move(batch));
          batch.clear();
          batch_bytes = 0;
          if (!w.ok()) {
            fail(ER_SLAVE_RELAY_LOG_WRITE_FAILURE, "Relay log write failure: " + w.message());
            log::ErrorLine("Slave I/O thread: Relay log write failure: " + w.message());
            fatal = true;
            break;
          }
        }
        {
          std::lock_guard<std::mutex> lock(ctx_.mu);
          ctx_.mi.log_file = read_file;
          ctx_.mi.log_pos = read_pos;
        }
        ctx_.changed.notify_all();
        if (write_info_) write_info_();
      }
    }
    drop();
    conn.reset();
    reconnect_state = "Reconnecting after a failed master event read";
    if (reconnect && !stop_ && !fatal) {
      reconnecting = true;
      set_state(reconnect_state, IoRunning::kConnecting);
      // The first attempt at once; then every connect_retry seconds.
    }
  }
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    ctx_.io.running = IoRunning::kNo;
    ctx_.io.state.clear();
  }
  std::string file;
  uint64_t pos;
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    file = ctx_.mi.log_file;
    pos = ctx_.mi.log_pos;
  }
  // MySQL 5.7 writes both lines after STOP SLAVE or KILL; MariaDB 10.11
  // the second one only.
  if (stop_ && killed_reading) log::Note("Slave I/O thread killed while reading event");
  if ((stop_ || query_killed_) && reconnecting && !fatal) {
    log::Note(
        "Slave I/O thread killed during or after a reconnect done to recover from failed "
        "read");
  }
  log::Note("Slave I/O thread exiting, read up to log '" + file + "', position " +
            std::to_string(pos));
  if (session) {
    session->SetInterruptHandler(nullptr);
    session->SetQueryInterruptHandler(nullptr);
  }
  running_ = false;
  ctx_.changed.notify_all();
  if (write_info_) write_info_();
}

}  // namespace reptut::replication
