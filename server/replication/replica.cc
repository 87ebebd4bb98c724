#include "replication/replica.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "binlog/binlog_index.h"
#include "common/errors.h"
#include "common/log.h"
#include "replication/master_info.h"
#include "replication/relay_log_info.h"
#include "replication/slave_status.h"

namespace reptut::replication {
namespace {

std::string InDatadir(const config::ServerOptions& o, const std::string& name) {
  if (!name.empty() && name.front() == '/') return name;
  return o.datadir + "/" + name;
}

FilterOptions FilterOptionsOf(const config::ServerOptions& o) {
  FilterOptions f;
  f.do_db = o.replicate_do_db;
  f.ignore_db = o.replicate_ignore_db;
  f.do_table = o.replicate_do_table;
  f.ignore_table = o.replicate_ignore_table;
  f.wild_do_table = o.replicate_wild_do_table;
  f.wild_ignore_table = o.replicate_wild_ignore_table;
  return f;
}

engine::StatementNote Note(uint16_t code, std::string level = "Note") {
  Error e = MakeError(code);
  return {std::move(level), code, e.message};
}

}  // namespace

std::string ErrorTimestamp() {
  time_t now = ::time(nullptr);
  struct tm tm;
  localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%y%m%d %H:%M:%S", &tm);
  return buf;
}

Result<std::unique_ptr<Replica>> Replica::Open(engine::Server& server,
                                               const config::ServerOptions& options) {
  Result<ReplicationFilter> filter = ReplicationFilter::Make(FilterOptionsOf(options));
  if (!filter.ok()) return filter.error();
  std::unique_ptr<Replica> r(new Replica(server, options, std::move(*filter)));
  Result<std::optional<std::string>> text = r->master_info_.Read();
  if (!text.ok()) {
    log::ErrorLine("Error reading master configuration: " + text.error().message);
    return r;
  }
  if (!*text) return r;  // never a replica
  Result<MasterInfo> mi = ParseMasterInfo(**text, r->master_info_.path());
  if (!mi.ok()) {
    log::ErrorLine("Error reading master configuration: " + mi.error().message);
    log::ErrorLine("Failed to initialize the master info structure");
    return r;
  }
  Result<engine::SavedReplicaState> saved = engine::ReadReplicaState(server);
  if (!saved.ok()) return saved.error();
  binlog::LogPosition exec{mi->log_file, mi->log_pos};
  if (saved->present) exec = saved->torn ? saved->batch_start : saved->position.master;
  {
    std::lock_guard<std::mutex> lock(r->ctx_.mu);
    r->ctx_.configured = true;
    r->ctx_.mi = *mi;
    // relay_log_recovery: the I/O thread fetches again from what is applied.
    r->ctx_.mi.log_file = exec.file;
    r->ctx_.mi.log_pos = exec.pos;
    r->ctx_.sql.exec = exec;
  }
  REPTUT_RETURN_IF_ERROR(r->EnsureRelayLog());
  REPTUT_RETURN_IF_ERROR(r->EnsureApplier());
  if (saved->present && saved->torn) {
    log::Warning(
        "Slave: the last transactions the SQL thread applied reached some databases "
        "only (the server stopped in the middle of their commit); applying them again "
        "from '" +
        saved->batch_start.file + "' position " + std::to_string(saved->batch_start.pos) +
        ", each database skipping what it has");
    r->applier_->SkipAppliedUntil(*saved);
  }
  r->WriteMasterInfo();
  r->WriteRelayLogInfo();
  return r;
}

Replica::Replica(engine::Server& server, const config::ServerOptions& options,
                 ReplicationFilter filter)
    : ctx_(server, options),
      filter_(std::move(filter)),
      master_info_(InDatadir(options, options.master_info_file), 0600),
      relay_info_(InDatadir(options, options.relay_log_info_file), 0640) {}

Replica::~Replica() {
  Shutdown();
}

Status Replica::EnsureRelayLog() {
  if (relay_) return Status::Ok();
  Result<std::unique_ptr<RelayLog>> relay = RelayLog::Open(ctx_.options);
  if (!relay.ok()) return relay.error();
  relay_ = std::move(*relay);
  ctx_.relay = relay_.get();
  std::lock_guard<std::mutex> lock(ctx_.mu);
  ctx_.sql.relay = {relay_->End().file, 4};
  return Status::Ok();
}

Status Replica::EnsureApplier() {
  if (applier_) return Status::Ok();
  engine::Applier::Options o;
  o.log_updates = ctx_.options.log_slave_updates && ctx_.options.log_bin_enabled;
  if (!filter_.empty()) {
    o.filter = [this](const sql::Statement& st, std::string_view db) {
      return filter_.Allows(st, db);
    };
  }
  Result<std::unique_ptr<engine::Applier>> a = engine::Applier::Create(ctx_.server, std::move(o));
  if (!a.ok()) return a.error();
  applier_ = std::move(*a);
  applier_->session().SetListed(false);  // listed while the SQL thread runs
  return Status::Ok();
}

void Replica::WriteMasterInfo() {
  MasterInfo mi;
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    if (!ctx_.configured) return;
    mi = ctx_.mi;
  }
  Status w = master_info_.Write(FormatMasterInfo(mi));
  if (!w.ok()) log::ErrorLine("Slave: " + w.message());
}

void Replica::WriteRelayLogInfo() {
  RelayLogInfo ri;
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    if (!ctx_.configured || !relay_) return;
    ri.relay_log_file = relay_->IndexEntry(ctx_.sql.relay.file);
    ri.relay_log_pos = ctx_.sql.relay.pos;
    ri.master_log_file = ctx_.sql.exec.file;
    ri.master_log_pos = ctx_.sql.exec.pos;
  }
  Status w = relay_info_.Write(FormatRelayLogInfo(ri));
  if (!w.ok()) log::ErrorLine("Slave: " + w.message());
}

void Replica::StartAtBoot() {
  std::lock_guard<std::mutex> lock(statements_mu_);
  bool configured;
  {
    std::lock_guard<std::mutex> l(ctx_.mu);
    configured = ctx_.configured;
  }
  if (!configured || ctx_.options.skip_slave_start) return;
  Status st = StartThreads(true, true);
  if (!st.ok()) log::ErrorLine("Slave: " + st.message());
}

void Replica::Shutdown() {
  std::lock_guard<std::mutex> lock(statements_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  StopThreads(true, true);
  io_.reset();
  sql_.reset();
  WriteMasterInfo();
  WriteRelayLogInfo();
  applier_.reset();
  if (relay_) {
    Status c = relay_->Close();
    if (!c.ok()) log::ErrorLine("Closing the relay log: " + c.message());
  }
}

Status Replica::StartThreads(bool io, bool sql) {
  REPTUT_RETURN_IF_ERROR(EnsureRelayLog());
  if (sql && applier_ && applier_->session().killed() && !(sql_ && sql_->running())) {
    // KILL of the SQL thread's session: a session stays killed, so the
    // thread starts again with a new one (and, as in MariaDB, a new Id).
    sql_.reset();
    applier_.reset();
    REPTUT_RETURN_IF_ERROR(EnsureApplier());
    // A torn batch (engine/applier.h) not applied again yet still is.
    Result<engine::SavedReplicaState> saved = engine::ReadReplicaState(ctx_.server);
    if (saved.ok() && saved->present && saved->torn) applier_->SkipAppliedUntil(*saved);
  }
  REPTUT_RETURN_IF_ERROR(EnsureApplier());
  if (!sql_) sql_ = std::make_unique<SqlThread>(ctx_, *applier_, [this] { WriteRelayLogInfo(); });
  if (!io_) io_ = std::make_unique<IoThread>(ctx_, [this] { WriteMasterInfo(); });
  if (sql && !sql_->running()) {
    // sql_slave_skip_counter is taken by the SQL thread when it starts.
    uint64_t skip = std::strtoull(
        ctx_.server.GlobalVariable("sql_slave_skip_counter").value_or("0").c_str(), nullptr, 10);
    ctx_.server.SetGlobalVariable("sql_slave_skip_counter", "0");
    {
      std::lock_guard<std::mutex> lock(ctx_.mu);
      ctx_.sql.skip_counter = skip;
    }
    sql_->Start();
  }
  if (io && !io_->running()) io_->Start();
  return Status::Ok();
}

void Replica::StopThreads(bool io, bool sql) {
  if (io && io_) io_->Stop();
  if (sql && sql_) sql_->Stop();
}

// ---------------------------------------------------------------------------
// Statements.

Status Replica::ChangeMaster(const sql::ChangeMasterOptions& o,
                             std::vector<engine::StatementNote>* notes) {
  std::lock_guard<std::mutex> lock(statements_mu_);
  if ((io_ && io_->running()) || (sql_ && sql_->running())) {
    return MakeError(ER_SLAVE_MUST_STOP);
  }
  if (o.host && o.host->empty()) return MakeError(ER_WRONG_ARGUMENTS, {"MASTER_HOST"});
  // master.info keeps one value per line: a line break would shift every
  // field after it when the file is read back (MySQL 8 refuses it too).
  for (const auto& [name, value] :
       {std::pair{"MASTER_HOST", &o.host}, std::pair{"MASTER_USER", &o.user},
        std::pair{"MASTER_PASSWORD", &o.password}, std::pair{"MASTER_LOG_FILE", &o.log_file},
        std::pair{"RELAY_LOG_FILE", &o.relay_log_file}}) {
    if (*value && (*value)->find_first_of("\r\n") != std::string::npos) {
      return MakeError(ER_WRONG_ARGUMENTS, {name});
    }
  }
  if (o.use_gtid && *o.use_gtid != "no") {
    return MakeErrorMsg(
        ER_NOT_SUPPORTED_YET,
        "This version of MySQL doesn't yet support 'MASTER_USE_GTID=" + *o.use_gtid +
            "' (this server replicates by file and position: MASTER_USE_GTID=no)");
  }
  // Accepted by the parser, not done by this server: refused rather than
  // ignored, so a lesson never believes it has a delayed or encrypted link.
  if (o.ssl && *o.ssl) {
    return MakeErrorMsg(ER_NOT_SUPPORTED_YET,
                        "This version of MySQL doesn't yet support 'MASTER_SSL=1' (the replica "
                        "connects to its master without TLS)");
  }
  for (const auto& [name, value] : o.raw) {
    if (name == "MASTER_DELAY" && value != "0") {
      return MakeErrorMsg(ER_NOT_SUPPORTED_YET,
                          "This version of MySQL doesn't yet support 'MASTER_DELAY' (delayed "
                          "replication)");
    }
  }
  if (o.heartbeat_period && (*o.heartbeat_period < 0 || *o.heartbeat_period > 4294967)) {
    return MakeErrorMsg(1703,
                        "The requested value for the heartbeat period is either negative or "
                        "exceeds the maximum allowed (4294967 seconds).");
  }
  if (o.relay_log_file && !o.relay_log_file->empty()) {
    REPTUT_RETURN_IF_ERROR(EnsureRelayLog());
    if (!relay_->Exists(binlog::BaseName(*o.relay_log_file))) {
      return MakeErrorMsg(1380,
                          "Failed initializing relay log position: Could not find target "
                          "log during relay log initialization");
    }
  }
  MasterInfo mi;
  binlog::LogPosition exec;
  bool was_configured;
  {
    std::lock_guard<std::mutex> l(ctx_.mu);
    mi = ctx_.mi;
    exec = ctx_.sql.exec;
    was_configured = ctx_.configured;
  }
  if (!was_configured) {
    mi = MasterInfo{};
    mi.heartbeat_period = ctx_.options.slave_net_timeout / 2.0;
    mi.retry_count = ctx_.options.master_retry_count;
    exec = {"", 4};
  }
  bool new_master = false;
  if (o.host && *o.host != mi.host) new_master = true;
  if (o.port && *o.port != mi.port) new_master = true;
  if (o.host) mi.host = *o.host;
  if (o.port) mi.port = static_cast<uint16_t>(*o.port);
  if (o.user) mi.user = *o.user;
  if (o.password) mi.password = *o.password;
  if (o.connect_retry) mi.connect_retry = static_cast<uint32_t>(*o.connect_retry);
  if (o.heartbeat_period) mi.heartbeat_period = *o.heartbeat_period;
  for (const auto& [name, value] : o.raw) {
    if (name == "MASTER_RETRY_COUNT" && !value.empty() &&
        value.find_first_not_of("0123456789") == std::string::npos && value.size() < 10) {
      mi.retry_count = static_cast<uint32_t>(std::stoul(value));
    }
  }
  bool relay_pos_given = o.relay_log_file || o.relay_log_pos;
  if (o.log_file || o.log_pos) {
    if (o.log_file) {
      mi.log_file = *o.log_file;
      if (!o.log_pos) mi.log_pos = 4;
    } else {
      mi.log_file = exec.file;
    }
    if (o.log_pos) mi.log_pos = std::max<uint64_t>(4, *o.log_pos);
    exec = {mi.log_file, mi.log_pos};
  } else if (new_master && !relay_pos_given) {
    // Another master: from its first binary log.
    mi.log_file.clear();
    mi.log_pos = 4;
    exec = {"", 4};
  } else {
    // The I/O thread fetches again what the SQL thread has not applied.
    mi.log_file = exec.file;
    mi.log_pos = exec.pos;
  }
  REPTUT_RETURN_IF_ERROR(EnsureRelayLog());
  binlog::LogPosition relay_pos;
  if (relay_pos_given) {
    {
      std::lock_guard<std::mutex> l(ctx_.mu);
      relay_pos = ctx_.sql.relay;
    }
    if (o.relay_log_file) relay_pos.file = binlog::BaseName(*o.relay_log_file);
    if (o.relay_log_pos) relay_pos.pos = std::max<uint64_t>(4, *o.relay_log_pos);
  } else {
    Status reset = relay_->Reset(relay_->checksum());
    if (!reset.ok()) return reset;
    relay_pos = {relay_->End().file, 4};
  }
  REPTUT_RETURN_IF_ERROR(EnsureApplier());
  Status stored = applier_->StoreState(engine::ReplicaPosition{relay_pos, exec});
  if (!stored.ok()) return stored;
  {
    std::lock_guard<std::mutex> l(ctx_.mu);
    ctx_.configured = true;
    ctx_.mi = mi;
    ctx_.sql.relay = relay_pos;
    ctx_.sql.exec = exec;
    ctx_.sql.last_master_timestamp = 0;
  }
  WriteMasterInfo();
  WriteRelayLogInfo();
  if (o.user || o.password) {
    notes->push_back(Note(ER_INSECURE_PLAIN_TEXT));
    notes->push_back(Note(ER_INSECURE_CHANGE_MASTER));
  }
  return Status::Ok();
}

Status Replica::StartSlave(const sql::ReplInfo& what, std::vector<engine::StatementNote>* notes) {
  std::lock_guard<std::mutex> lock(statements_mu_);
  {
    std::lock_guard<std::mutex> l(ctx_.mu);
    if (!ctx_.configured) return MakeError(ER_BAD_SLAVE);
  }
  bool io = what.io_thread || !what.sql_thread;
  bool sql = what.sql_thread || !what.io_thread;
  bool io_running = io_ && io_->running();
  bool sql_running = sql_ && sql_->running();
  if ((!io || io_running) && (!sql || sql_running)) {
    notes->push_back(Note(ER_SLAVE_WAS_RUNNING));
    return Status::Ok();
  }
  if (what.until != sql::ReplInfo::Until::kNone) {
    if (!sql || sql_running) {
      notes->push_back(Note(ER_UNTIL_COND_IGNORED));
    } else {
      std::lock_guard<std::mutex> l(ctx_.mu);
      ctx_.sql.until =
          what.until == sql::ReplInfo::Until::kMasterLog ? Until::kMaster : Until::kRelay;
      ctx_.sql.until_pos = {binlog::BaseName(what.until_file), what.until_pos};
      if (!ctx_.options.skip_slave_start) notes->push_back(Note(ER_MISSING_SKIP_SLAVE));
    }
  } else if (sql && !sql_running) {
    std::lock_guard<std::mutex> l(ctx_.mu);
    ctx_.sql.until = Until::kNone;
  }
  return StartThreads(io && !io_running, sql && !sql_running);
}

Status Replica::StopSlave(const sql::ReplInfo& what, std::vector<engine::StatementNote>* notes) {
  std::lock_guard<std::mutex> lock(statements_mu_);
  bool io = what.io_thread || !what.sql_thread;
  bool sql = what.sql_thread || !what.io_thread;
  bool io_running = io_ && io_->running();
  bool sql_running = sql_ && sql_->running();
  if ((!io || !io_running) && (!sql || !sql_running)) {
    notes->push_back(Note(ER_SLAVE_WAS_NOT_RUNNING));
  }
  StopThreads(io, sql);
  WriteMasterInfo();
  WriteRelayLogInfo();
  return Status::Ok();
}

Status Replica::ResetSlave(bool all) {
  std::lock_guard<std::mutex> lock(statements_mu_);
  if ((io_ && io_->running()) || (sql_ && sql_->running())) {
    return MakeError(ER_SLAVE_MUST_STOP);
  }
  if (relay_) REPTUT_RETURN_IF_ERROR(relay_->Reset(relay_->checksum()));
  if (applier_) REPTUT_RETURN_IF_ERROR(applier_->StoreState(std::nullopt));
  Status m = master_info_.Remove();
  Status r = relay_info_.Remove();
  if (!m.ok()) return m;
  if (!r.ok()) return r;
  std::lock_guard<std::mutex> l(ctx_.mu);
  ctx_.mi.log_file.clear();
  ctx_.mi.log_pos = 4;
  ctx_.sql.exec = {"", 4};
  ctx_.sql.relay = {relay_ ? relay_->End().file : "", 4};
  ctx_.sql.last_master_timestamp = 0;
  ctx_.sql.error.Clear();
  ctx_.io.error.Clear();
  ctx_.io.master_server_id = 0;
  if (all) {
    ctx_.configured = false;
    ctx_.mi = MasterInfo{};
  }
  return Status::Ok();
}

std::vector<std::pair<std::string, std::string>> Replica::StatusVariables() {
  std::lock_guard<std::mutex> lock(ctx_.mu);
  // MySQL: ON while the I/O thread is connected and the SQL thread runs.
  bool running = ctx_.io.running == IoRunning::kYes && ctx_.sql.running;
  char period[32];
  std::snprintf(period, sizeof period, "%.3f", ctx_.configured ? ctx_.mi.heartbeat_period : 0.0);
  return {{"Slave_heartbeat_period", period},
          {"Slave_open_temp_tables", "0"},
          {"Slave_received_heartbeats", std::to_string(ctx_.io.heartbeats)},
          {"Slave_retried_transactions", "0"},
          {"Slave_running", running ? "ON" : "OFF"}};
}

engine::ResultTable Replica::SlaveStatus() {
  engine::ResultTable t;
  for (const StatusColumn& c : SlaveStatusColumns()) {
    t.columns.push_back({c.name, c.numeric ? mysql::kTypeLongLong : mysql::kTypeVarString});
  }
  replication::SlaveStatus s;
  {
    std::lock_guard<std::mutex> lock(ctx_.mu);
    if (!ctx_.configured) return t;
    const MasterInfo& mi = ctx_.mi;
    s.io_state = ctx_.io.state;
    s.master_host = mi.host;
    s.master_user = mi.user;
    s.master_port = mi.port;
    s.connect_retry = mi.connect_retry;
    s.master_log_file = mi.log_file;
    s.read_master_log_pos = mi.log_pos;
    s.relay_log_file = ctx_.sql.relay.file;
    s.relay_log_pos = ctx_.sql.relay.pos;
    s.relay_master_log_file = ctx_.sql.exec.file;
    s.io_running = ctx_.io.running == IoRunning::kYes          ? "Yes"
                   : ctx_.io.running == IoRunning::kConnecting ? "Connecting"
                                                               : "No";
    s.sql_running = ctx_.sql.running;
    s.replicate_do_db = filter_.DoDb();
    s.replicate_ignore_db = filter_.IgnoreDb();
    s.replicate_do_table = filter_.DoTable();
    s.replicate_ignore_table = filter_.IgnoreTable();
    s.replicate_wild_do_table = filter_.WildDoTable();
    s.replicate_wild_ignore_table = filter_.WildIgnoreTable();
    s.last_errno = ctx_.sql.error.code;
    s.last_error = ctx_.sql.error.message;
    s.skip_counter = ctx_.sql.skip_counter;
    s.exec_master_log_pos = ctx_.sql.exec.pos;
    s.relay_log_space = relay_ ? relay_->Space() : 0;
    if (ctx_.sql.until != Until::kNone) {
      s.until_condition = ctx_.sql.until == Until::kMaster ? "Master" : "Relay";
      s.until_log_file = ctx_.sql.until_pos.file;
      s.until_log_pos = ctx_.sql.until_pos.pos;
    }
    // Seconds_Behind_Master, by MySQL's rules.
    if (!ctx_.sql.running) {
      s.seconds_behind_master.reset();
    } else if (ctx_.sql.exec.file == mi.log_file && ctx_.sql.exec.pos == mi.log_pos) {
      if (ctx_.io.running == IoRunning::kYes) {
        s.seconds_behind_master = 0;
      } else {
        s.seconds_behind_master.reset();
      }
    } else if (ctx_.sql.last_master_timestamp > 0) {
      int64_t behind = static_cast<int64_t>(::time(nullptr)) - ctx_.sql.last_master_timestamp -
                       ctx_.io.clock_diff;
      s.seconds_behind_master = std::max<int64_t>(0, behind);
    } else {
      s.seconds_behind_master = 0;
    }
    s.last_io_errno = ctx_.io.error.code;
    s.last_io_error = ctx_.io.error.message;
    s.last_sql_errno = ctx_.sql.error.code;
    s.last_sql_error = ctx_.sql.error.message;
    s.ignore_server_ids = mi.ignore_server_ids;
    s.master_server_id = ctx_.io.master_server_id;
    s.master_uuid = ctx_.io.master_uuid;
    s.master_info_file = master_info_.path();
    s.sql_running_state = ctx_.sql.state;
    s.master_retry_count = mi.retry_count;
    s.last_io_error_timestamp = ctx_.io.error.timestamp;
    s.last_sql_error_timestamp = ctx_.sql.error.timestamp;
  }
  t.rows.push_back(SlaveStatusRow(s));
  return t;
}

Result<engine::ResultTable> Replica::RelaylogEvents(const sql::ShowInfo& show) {
  engine::ResultTable t;
  t.columns = {{"Log_name", mysql::kTypeVarString},   {"Pos", mysql::kTypeLongLong},
               {"Event_type", mysql::kTypeVarString}, {"Server_id", mysql::kTypeLongLong},
               {"End_log_pos", mysql::kTypeLongLong}, {"Info", mysql::kTypeVarString}};
  if (!relay_) return t;
  binlog::ShowEventsRequest r;
  if (!show.log_file.empty()) r.log_name = binlog::BaseName(show.log_file);
  if (show.from_pos) r.from = *show.from_pos;
  if (show.limit_offset) r.offset = *show.limit_offset;
  if (show.limit_count) r.limit = *show.limit_count;
  Result<std::vector<binlog::ShowEventRow>> rows = relay_->ShowEvents(r);
  if (!rows.ok()) {
    Error e = rows.error();
    // MySQL names the statement it ran.
    std::string m = e.message;
    size_t at = m.find("SHOW BINLOG EVENTS");
    if (at != std::string::npos) m.replace(at, 18, "SHOW RELAYLOG EVENTS");
    return MakeErrorMsg(e.code, m);
  }
  for (const binlog::ShowEventRow& row : *rows) {
    t.rows.push_back({row.log_name, std::to_string(row.pos), row.event_type,
                      std::to_string(row.server_id), std::to_string(row.end_log_pos), row.info});
  }
  return t;
}

Status Replica::FlushRelayLogs() {
  std::lock_guard<std::mutex> lock(statements_mu_);
  if (!relay_) return Status::Ok();
  return relay_->Rotate(relay_->checksum());
}

std::optional<int64_t> Replica::MasterPosWait(const std::string& file, int64_t pos,
                                              double timeout_seconds,
                                              const std::atomic<bool>& killed) {
  if (file.empty() || pos < 0) return std::nullopt;
  binlog::LogPosition target{binlog::BaseName(file), static_cast<uint64_t>(pos)};
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::microseconds(static_cast<int64_t>(timeout_seconds * 1e6));
  std::unique_lock<std::mutex> lock(ctx_.mu);
  if (!ctx_.configured || !ctx_.sql.running) return std::nullopt;
  uint64_t start = ctx_.sql.events_applied;
  for (;;) {
    if (engine::CompareLogPositions(ctx_.sql.exec, target) >= 0) {
      return static_cast<int64_t>(ctx_.sql.events_applied - start);
    }
    if (!ctx_.sql.running || killed.load()) return std::nullopt;
    auto now = std::chrono::steady_clock::now();
    if (timeout_seconds > 0 && now >= deadline) return -1;
    auto slice = std::chrono::milliseconds(100);
    if (timeout_seconds > 0) {
      slice =
          std::min(slice, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                              std::chrono::milliseconds(1));
    }
    ctx_.changed.wait_for(lock, slice);
  }
}

}  // namespace reptut::replication
