// Design notes: the replica's SQL thread.
//
// STATES (Slave_SQL_Running_State, as MySQL 5.7 words them)
//
//   stopped --Start()--> reading "Reading event from the relay log"
//   reading --relay log drained--> waiting "Slave has read all relay log;
//             waiting for more updates"   (ReadNext: End() reached)
//   waiting --the I/O thread appended--> reading        (RelayLog::WaitForUpdate)
//   reading/waiting --Stop(), an error, the UNTIL position--> stopped (Run returns)
//   KILL of the thread's session stops it as Stop() does, with no error
//   (MariaDB 10.11); a group whose statement ran while the KILL came fails
//   with 1927 and is undone with the open batch. The session stays killed,
//   so START SLAVE gives the thread a new Applier (replica.cc).
//
// WHAT IT DOES
//   Reads the relay log from ctx.sql.relay, event by event, never past the
//   relay log's End() in the active file. It cuts the master's events into
//   groups: Query "BEGIN" (or a MariaDB Gtid event) ... Xid / Query COMMIT /
//   ROLLBACK, or a single statement with its context events (Intvar, Rand,
//   User_var). Each complete group goes to the engine's Applier
//   (engine/applier.h), which runs it inside the open batch; the batch is
//   committed when the relay log is drained, after kMaxBatchGroups groups or
//   kMaxBatchTime, before stopping, and before the UNTIL position is
//   reported. Only then do ctx.sql's positions move (SHOW SLAVE STATUS,
//   MASTER_POS_WAIT, relay-log.info): a client that saw the position sees
//   the rows.
//   Events that are not statements (the relay log's own FDE and Rotate, the
//   master's FDE, fake and real Rotate, Stop, MariaDB's Gtid_list and
//   Binlog_checkpoint) only move the positions. A Rotate of this server
//   (flag LOG_EVENT_RELAY_LOG_F) moves to the next relay file, and the
//   finished files are purged (relay_log_purge). A Rotate of the master
//   names its next file (Relay_Master_Log_File).
//   Groups of this server's own server id (dual masters) are skipped, as are
//   sql_slave_skip_counter groups; both still move the position.
//
// INVARIANTS
//   - ctx.sql.exec / ctx.sql.relay are always a group boundary that the data
//     files have committed (or only control events past one).
//   - A failing group is undone alone; the groups before it are committed,
//     the thread stops with Last_SQL_Errno/Last_SQL_Error set and the
//     positions at the start of the failing group, so START SLAVE retries it.
//   - A relay file is purged only once no group still open started in it.
//   - A torn batch (engine/applier.h) being applied again is committed
//     whole, at its end, or rolled back (rewind): never a part of it, which
//     would record that a database lacks groups it has. The SQL thread
//     waits, without the write gate, until the I/O thread has fetched it
//     all; UNTIL and relay log purging wait for its end too.
#include "replication/sql_thread.h"

#include <variant>

#include "binlog/binlog_reader.h"
#include "common/errors.h"
#include "common/log.h"
#include "replication/relay_log.h"

namespace reptut::replication {
namespace {

constexpr size_t kMaxBatchGroups = 2000;
constexpr auto kMaxBatchTime = std::chrono::milliseconds(50);
constexpr const char* kStateReading = "Reading event from the relay log";
constexpr const char* kStateWaiting = "Slave has read all relay log; waiting for more updates";

using binlog::LogPosition;

bool IsGroupEnd(const binlog::Event& e) {
  if (std::holds_alternative<binlog::XidEvent>(e.body)) return true;
  if (const auto* q = std::get_if<binlog::QueryEvent>(&e.body)) {
    return q->query == "COMMIT" || q->query == "ROLLBACK";
  }
  return false;
}

bool IsBegin(const binlog::Event& e) {
  const auto* q = std::get_if<binlog::QueryEvent>(&e.body);
  return q && q->query == "BEGIN";
}

// Event types whose row images a statement-based replica cannot apply.
bool IsRowEvent(uint8_t type) {
  return type == binlog::kTableMapEvent ||
         (type >= binlog::kPreGaWriteRowsEvent && type <= binlog::kDeleteRowsEventV1) ||
         (type >= binlog::kWriteRowsEvent && type <= binlog::kDeleteRowsEvent) ||
         (type >= 166 && type <= 171);
}

}  // namespace

SqlThread::SqlThread(ReplicaContext& ctx, engine::Applier& applier,
                     std::function<void()> write_info)
    : ctx_(ctx), applier_(applier), write_info_(std::move(write_info)) {}

SqlThread::~SqlThread() {
  Stop();
}

void SqlThread::Start() {
  if (thread_.joinable()) thread_.join();
  stop_ = false;
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    ctx_.sql.running = true;
    ctx_.sql.state = kStateReading;
    ctx_.sql.error.Clear();
  }
  running_ = true;
  ctx_.changed.notify_all();
  thread_ = std::thread([this] { Run(); });
}

void SqlThread::Interrupt() {
  stop_ = true;
  ctx_.changed.notify_all();
  if (ctx_.relay) ctx_.relay->WakeWaiters();  // an idle thread waits on the relay log
}

void SqlThread::Stop() {
  Interrupt();
  if (thread_.joinable()) thread_.join();
}

void SqlThread::Run() {
  RelayLog& relay = *ctx_.relay;
  const uint32_t own_id = ctx_.options.server_id;
  const bool same_id_ok = ctx_.options.replicate_same_server_id;
  const bool purge = ctx_.options.relay_log_purge;
  engine::ReplicaPosition pos;  // where the thread stands between groups
  uint64_t skip = 0;
  Until until = Until::kNone;
  LogPosition until_pos;
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    pos.relay = ctx_.sql.relay;
    pos.master = ctx_.sql.exec;
    skip = ctx_.sql.skip_counter;
    until = ctx_.sql.until;
    until_pos = ctx_.sql.until_pos;
  }
  applier_.SetPosition(pos);
  log::Note("Slave SQL thread initialized, starting replication in log '" + pos.master.file +
            "' at position " + std::to_string(pos.master.pos) + ", relay log '" +
            relay.IndexEntry(pos.relay.file) + "' position: " + std::to_string(pos.relay.pos));

  ThreadError error;
  engine::Session& session = applier_.session();
  auto set_state = [&](const char* state) {
    session.SetState(state);
    std::lock_guard<std::mutex> lock(ctx_.mu);
    ctx_.sql.state = state;
  };
  session.SetListed(true);
  // KILL <id> stops the thread as STOP SLAVE SQL_THREAD does (MariaDB 10.11:
  // Slave_SQL_Running No, Last_SQL_Errno 0); a statement it is running is
  // interrupted (the engine sees the killed flag) and its group fails with
  // that error. Called on the killer's thread.
  session.SetInterruptHandler([this] { Interrupt(); });
  // KILL QUERY stops it too (MariaDB 10.11: Last_SQL_Errno 0 when idle; a
  // statement it cuts short fails its group with 1317).
  session.SetQueryInterruptHandler([this] { Interrupt(); });
  set_state(kStateReading);
  int64_t last_master_ts = 0;
  uint64_t events = 0;
  engine::ReplicaPosition published = pos;
  // ctx.sql (SHOW SLAVE STATUS, MASTER_POS_WAIT) and relay-log.info move to
  // `pos` once the data files have it.
  auto publish = [&] {
    {
      std::lock_guard<std::mutex> lock(ctx_.mu);
      ctx_.sql.relay = pos.relay;
      ctx_.sql.exec = pos.master;
      if (last_master_ts) ctx_.sql.last_master_timestamp = last_master_ts;
      ctx_.sql.events_applied += events;
      ctx_.sql.skip_counter = skip;
    }
    events = 0;
    published = pos;
    ctx_.changed.notify_all();
    if (write_info_) write_info_();
  };
  auto commit = [&]() -> bool {
    if (applier_.in_batch()) {
      // A torn batch being applied again commits whole or not at all.
      if (applier_.reapplying()) return true;
      Status c = applier_.Commit();
      if (!c.ok()) {
        error = {c.code(), c.message(), ErrorTimestamp()};
        return false;
      }
    }
    publish();
    return true;
  };
  auto until_done = [&]() {
    if (applier_.reapplying()) return false;  // UNTIL waits for the torn batch's end
    if (until == Until::kMaster) return engine::CompareLogPositions(pos.master, until_pos) >= 0;
    if (until == Until::kRelay) return engine::CompareLogPositions(pos.relay, until_pos) >= 0;
    return false;
  };

  std::unique_ptr<binlog::BinlogReader> reader;
  std::string reader_file;
  auto open = [&](const std::string& file, uint64_t at) -> bool {
    reader.reset();
    Result<std::unique_ptr<binlog::BinlogReader>> r =
        binlog::BinlogReader::Open(relay.PathOf(file), {}, relay.IndexEntry(file));
    if (!r.ok()) {
      error = {ER_SLAVE_FATAL_ERROR,
               "Fatal error: Failed to open the relay log '" + relay.IndexEntry(file) +
                   "' (relay_log_pos " + std::to_string(at) + "): " + r.error().message,
               ErrorTimestamp()};
      return false;
    }
    reader = std::move(*r);
    reader_file = file;
    if (at > reader->position()) reader->Seek(at);
    return true;
  };

  engine::EventGroup group;
  bool in_group = false;  // `group` holds the events of a group not finished yet
  bool in_txn = false;    // that group began with BEGIN or a Gtid: it ends at Xid/COMMIT
  bool group_is_own = false;
  std::string group_file;  // the relay file it started in
  std::string master_file = pos.master.file;
  auto batch_started = std::chrono::steady_clock::now();
  bool until_reached = false;

  // Control events outside a group move the position, nothing else.
  auto advance = [&](const LogPosition& relay_after, uint32_t end_log_pos) {
    if (in_group) return;
    pos.relay = relay_after;
    if (end_log_pos != 0) pos.master = {master_file, end_log_pos};
  };

  // Re-applying a torn batch: undo what is applied of it and start again
  // from the published position (where the batch starts).
  auto rewind = [&]() -> bool {
    if (applier_.in_batch()) applier_.Rollback();
    pos = published;
    master_file = pos.master.file;
    in_group = false;
    group.events.clear();
    return open(pos.relay.file, pos.relay.pos);
  };
  // Whether the I/O thread has fetched the master's log up to `p`.
  auto fetched = [&](const LogPosition& p) {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    return engine::CompareLogPositions({ctx_.mi.log_file, ctx_.mi.log_pos}, p) >= 0;
  };

  bool ok = open(pos.relay.file, pos.relay.pos);
  if (ok && until_done()) until_reached = true;
  while (ok && !until_reached && !stop_.load()) {
    if (session.killed()) break;
    if (applier_.reapplying() && !applier_.in_batch() && !in_group &&
        !fetched(applier_.reapply_end())) {
      // The torn batch is applied in one go: wait until the relay log has
      // all of it (the I/O thread fetches it again), without the write gate.
      set_state(kStateWaiting);
      {
        std::unique_lock<std::mutex> lock(ctx_.mu);
        ctx_.changed.wait_for(lock, std::chrono::milliseconds(100));
      }
      set_state(kStateReading);
      continue;
    }
    LogPosition end = relay.End();
    reader->SetLimit(end.file == reader_file ? end.pos : UINT64_MAX);
    Result<std::optional<binlog::ReadEvent>> next = reader->Next();
    if (!next.ok()) {
      error = {ER_SLAVE_RELAY_LOG_READ_FAILURE,
               "Relay log read failure: Could not parse relay log event entry. The possible "
               "reasons are: the master's binary log is corrupted, the slave's relay log is "
               "corrupted, or a bug in the master's or slave's code. (" +
                   next.error().message + ")",
               ErrorTimestamp()};
      break;
    }
    if (!*next) {
      if (applier_.reapplying() && (applier_.in_batch() || in_group)) {
        // The relay log ends inside the torn batch: give the gate back and
        // start the batch again once the I/O thread has more.
        if (!rewind()) break;
        set_state(kStateWaiting);
        relay.WaitForUpdate(end, std::chrono::milliseconds(100), &stop_);
        set_state(kStateReading);
        continue;
      }
      // Drained, for now: what is applied becomes visible.
      if (applier_.in_batch() ||
          !(published.relay == pos.relay && published.master == pos.master)) {
        if (!commit()) break;
      }
      if (end.file != reader_file && relay.Exists(end.file)) {
        // A relay file that ended without a Rotate (it should not): go on
        // with the next one.
        std::string following = relay.NextFile(reader_file);
        if (!following.empty()) {
          if (!in_group) pos.relay = {following, 4};
          if (!open(following, 4)) break;
          continue;
        }
      }
      set_state(kStateWaiting);
      relay.WaitForUpdate(end, std::chrono::milliseconds(1000), &stop_);
      set_state(kStateReading);
      continue;
    }
    binlog::ReadEvent& re = **next;
    binlog::Event& ev = re.event;
    const uint8_t type = ev.header.type;
    const LogPosition after{reader_file, reader->position()};

    // This server's own events of the relay log.
    if (ev.header.flags & binlog::kFlagRelayLog) {
      if (const auto* r = std::get_if<binlog::RotateEvent>(&ev.body)) {
        std::string following = r->next_file;
        // The Rotate is written just before the next file is made.
        for (int tries = 0; tries < 1000 && !relay.Exists(following) && !stop_; ++tries) {
          relay.WaitForUpdate(end, std::chrono::milliseconds(1), &stop_);
        }
        if (!in_group) pos.relay = {following, 4};
        if (!open(following, 4)) break;
        if (purge && !in_group && !applier_.reapplying()) (void)relay.PurgeBefore(following);
      } else {
        advance(after, 0);
      }
      continue;
    }
    // The master's control events.
    if (type == binlog::kFormatDescriptionEvent) {
      const auto& fde = std::get<binlog::FormatDescriptionEvent>(ev.body);
      if (in_group && fde.create_timestamp != 0 && ev.header.end_log_pos != 0) {
        // The master started again: the group it was writing never committed.
        log::Warning(
            "Slave SQL: the master restarted in the middle of a transaction; its "
            "events in the relay log are dropped");
        in_group = false;
        group.events.clear();
      }
      advance(after, ev.header.end_log_pos);
      continue;
    }
    if (const auto* r = std::get_if<binlog::RotateEvent>(&ev.body)) {
      master_file = r->next_file;
      if (!in_group) {
        pos.relay = after;
        pos.master = {r->next_file, r->position};
      }
      continue;
    }
    if (type == binlog::kStopEvent || type == binlog::kGtidListEvent ||
        type == binlog::kBinlogCheckpointEvent || type == binlog::kStartEncryptionEvent ||
        type == binlog::kHeartbeatEvent || type == binlog::kPreviousGtidsEvent ||
        type == binlog::kAnnotateRowsEvent || type == binlog::kIgnorableEvent ||
        type == binlog::kRowsQueryEvent) {
      advance(after, ev.header.end_log_pos);
      continue;
    }
    if (IsRowEvent(type)) {
      error = {ER_NOT_SUPPORTED_YET,
               "Error executing row event: this server replicates statements only; the master "
               "must log with binlog_format=STATEMENT (event at " +
                   relay.IndexEntry(reader_file) + " position " + std::to_string(re.pos) + ")",
               ErrorTimestamp()};
      break;
    }
    if (type == binlog::kIncidentEvent) {
      error = {ER_SLAVE_INCIDENT,
               "The incident LOST_EVENTS occured on the master. Message: (see the master's "
               "binary log at " +
                   master_file + " position " + std::to_string(ev.header.end_log_pos) + ")",
               ErrorTimestamp()};
      break;
    }

    // Statements and their context: part of a group.
    if (!in_group) {
      in_group = true;
      in_txn = false;
      group_is_own = false;
      group.events.clear();
      group_file = reader_file;
    }
    if (ev.header.server_id == own_id && !same_id_ok) group_is_own = true;
    bool done = false;
    if (const auto* g = std::get_if<binlog::GtidEvent>(&ev.body)) {
      in_txn = (g->flags2 & 1) == 0;  // FL_STANDALONE: one statement, no BEGIN
    } else if (IsBegin(ev)) {
      in_txn = true;
    } else if (IsGroupEnd(ev)) {
      done = true;
    } else if (type == binlog::kQueryEvent || type == binlog::kExecuteLoadQueryEvent) {
      done = !in_txn;  // (Execute_load_query: LOAD DATA, after its Begin_load_query)
    }
    int64_t ts = ev.header.timestamp;
    if (const auto* q = std::get_if<binlog::QueryEvent>(&ev.body)) ts += q->exec_time;
    group.events.push_back(std::move(ev));
    if (!done) continue;

    // A whole group.
    in_group = false;
    group.master_file = master_file;
    group.end.relay = after;
    group.end.master = {master_file, group.events.back().header.end_log_pos};
    if (until_done()) {
      until_reached = true;
      break;
    }
    size_t count = group.events.size();
    if (group_is_own) {
      group.events.clear();  // this server's own changes, back from a ring
    } else if (skip > 0) {
      skip -= std::min<uint64_t>(skip, count);
      group.events.clear();
    }
    if (!applier_.in_batch()) batch_started = std::chrono::steady_clock::now();
    Status applied = applier_.ApplyGroup(group);
    if (!applied.ok()) {
      // (A KILL that interrupted a statement: 1927, as MariaDB.)
      error = {applied.code(), applied.message(), ErrorTimestamp()};
      log::ErrorLine("Slave SQL: " + applied.message() +
                     ", Error_code: " + std::to_string(applied.code()));
      (void)commit();  // the groups before it
      break;
    }
    if (session.killed() && applier_.in_batch() && !group.events.empty()) {
      // KILL while the group ran: MariaDB fails the statement it cut short
      // (e.g. a SLEEP() that returned early) with 1927 and stops before the
      // group. The open batch is undone; START SLAVE applies it again.
      const binlog::QueryEvent* last = nullptr;
      for (const binlog::Event& e : group.events) {
        const auto* q = std::get_if<binlog::QueryEvent>(&e.body);
        if (q && !IsBegin(e) && !IsGroupEnd(e)) last = q;
      }
      std::string msg = "Error 'Connection was killed' on query. Default database: '" +
                        (last ? last->db : std::string()) + "'. Query: '" +
                        (last ? last->query : std::string()) + "'";
      error = {ER_CONNECTION_KILLED, msg, ErrorTimestamp()};
      log::ErrorLine("Slave SQL: " + msg + ", Error_code: " + std::to_string(ER_CONNECTION_KILLED));
      break;
    }
    pos = group.end;
    events += count;
    if (ts > 0) last_master_ts = ts;
    if (purge && group_file != reader_file && !applier_.reapplying()) {
      (void)relay.PurgeBefore(reader_file);
    }
    if (!applier_.in_batch()) {
      publish();  // a DDL group committed itself
    } else if (applier_.batch_groups() >= kMaxBatchGroups ||
               std::chrono::steady_clock::now() - batch_started >= kMaxBatchTime || until_done()) {
      if (!commit()) break;
    }
    if (until_done()) until_reached = true;
  }
  if (error.code == 0 && !applier_.reapplying()) {
    (void)commit();
  } else if (applier_.in_batch()) {
    applier_.Rollback();
  }
  if (error.code == 0 && !until_reached && (stop_.load() || session.killed())) {
    // STOP SLAVE or KILL: MariaDB 10.11's words.
    log::Note("Error reading relay log event: slave SQL thread was killed");
  }
  if (until_reached && error.code == 0) {
    log::Note("Slave SQL thread stopped because it reached its UNTIL position " +
              std::to_string(until_pos.pos));
  }
  if (error.code != 0 && error.code != ER_CONNECTION_KILLED) {
    log::ErrorLine(
        "Error running query, slave SQL thread aborted. Fix the problem, and restart the slave "
        "SQL thread with \"SLAVE START\". We stopped at log '" +
        published.master.file + "' position " + std::to_string(published.master.pos));
  }
  log::Note("Slave SQL thread exiting, replication stopped in log '" + published.master.file +
            "' at position " + std::to_string(published.master.pos));
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    if (error.code != 0) ctx_.sql.error = error;
    ctx_.sql.running = false;
    ctx_.sql.state.clear();
    ctx_.sql.until = Until::kNone;
    ctx_.sql.until_pos = {};
  }
  session.SetInterruptHandler(nullptr);
  session.SetQueryInterruptHandler(nullptr);
  session.SetState("");
  session.SetListed(false);
  running_ = false;
  ctx_.changed.notify_all();
  if (write_info_) write_info_();
}

}  // namespace reptut::replication
