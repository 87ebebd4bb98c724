#include "replication/relay_log.h"

#include "binlog/binlog_index.h"

namespace reptut::replication {

Result<std::unique_ptr<RelayLog>> RelayLog::Open(const config::ServerOptions& o) {
  binlog::BinlogOptions bo = binlog::BinlogOptionsFrom(o);
  bo.log_bin = o.relay_log;
  bo.log_bin_index = o.relay_log_index;
  bo.max_binlog_size = o.max_relay_log_size ? o.max_relay_log_size : o.max_binlog_size;
  bo.sync_binlog = 0;  // a crash loses nothing the master cannot send again
  bo.expire_logs_days = 0;
  bo.relay_log = true;
  binlog::OpenReport report;
  Result<std::unique_ptr<binlog::BinlogWriter>> w = binlog::BinlogWriter::Open(bo, &report);
  if (!w.ok()) return w.error();
  std::unique_ptr<RelayLog> relay(new RelayLog(std::move(*w)));
  // relay_log_recovery: what the last run fetched is fetched again.
  binlog::LogPosition end = relay->writer_->Position();
  Result<binlog::PurgeResult> purged = relay->writer_->PurgeTo(end.file, nullptr);
  if (!purged.ok()) return purged.error();
  return relay;
}

Status RelayLog::Append(std::vector<std::string> events) {
  Result<binlog::LogPosition> at =
      writer_->AppendEncoded(std::move(events), /*publish=*/true, /*rewrite_positions=*/false);
  if (!at.ok()) return at.error();
  return Status::Ok();
}

Status RelayLog::Rotate(bool checksum) {
  writer_->SetChecksum(checksum);
  return writer_->Rotate();
}

Status RelayLog::Reset(bool checksum) {
  writer_->SetChecksum(checksum);
  return writer_->Reset();
}

binlog::LogPosition RelayLog::End() const {
  return writer_->Position();
}

bool RelayLog::WaitForUpdate(const binlog::LogPosition& seen, std::chrono::milliseconds timeout,
                             const std::atomic<bool>* stop) const {
  return writer_->WaitForUpdate(seen, timeout, stop);
}

void RelayLog::WakeWaiters() const {
  writer_->WakeWaiters();
}

bool RelayLog::checksum() const {
  return writer_->checksum();
}

Result<std::vector<binlog::LogFileInfo>> RelayLog::List() const {
  return writer_->ListLogs();
}

uint64_t RelayLog::Space() const {
  Result<std::vector<binlog::LogFileInfo>> logs = writer_->ListLogs();
  if (!logs.ok()) return 0;
  uint64_t total = 0;
  for (const auto& l : *logs) total += l.size;
  return total;
}

Status RelayLog::PurgeBefore(const std::string& file) {
  Result<binlog::PurgeResult> r = writer_->PurgeTo(file, nullptr);
  if (!r.ok()) return r.error();
  return Status::Ok();
}

std::string RelayLog::NextFile(const std::string& file) const {
  Result<std::vector<binlog::LogFileInfo>> logs = writer_->ListLogs();
  if (!logs.ok()) return "";
  for (size_t i = 0; i + 1 < logs->size(); ++i) {
    if ((*logs)[i].name == file) return (*logs)[i + 1].name;
  }
  return "";
}

bool RelayLog::Exists(const std::string& file) const {
  Result<std::vector<binlog::LogFileInfo>> logs = writer_->ListLogs();
  if (!logs.ok()) return false;
  for (const auto& l : *logs) {
    if (l.name == file) return true;
  }
  return false;
}

Result<std::vector<binlog::ShowEventRow>> RelayLog::ShowEvents(
    const binlog::ShowEventsRequest& r) const {
  return binlog::ShowBinlogEvents(*writer_, r);
}

Status RelayLog::Close() {
  return writer_->Close();
}

}  // namespace reptut::replication
