#include "binlog/show_binlog_events.h"

#include "binlog/binlog_reader.h"
#include "common/errors.h"

namespace reptut::binlog {
namespace {

Error CommandError(const char* what) {
  return MakeError(ER_ERROR_WHEN_EXECUTING_COMMAND, {"SHOW BINLOG EVENTS", what});
}

}  // namespace

Result<std::vector<ShowEventRow>> ShowEventsOfFile(const std::string& path,
                                                   const std::string& log_name,
                                                   const ShowEventsRequest& request,
                                                   std::optional<uint64_t> end, InfoStyle style) {
  auto opened = BinlogReader::Open(path, ReaderOptions{}, log_name);
  if (!opened.ok()) return CommandError("Wrong offset or I/O error");
  BinlogReader& r = **opened;
  if (end) r.SetLimit(*end);
  r.Seek(request.from < kMagicSize ? kMagicSize : request.from);
  std::vector<ShowEventRow> rows;
  uint64_t skipped = 0;
  while (!request.limit || rows.size() < *request.limit) {
    auto next = r.Next();
    if (!next.ok()) return CommandError("Wrong offset or I/O error");
    if (!next->has_value()) break;
    if (skipped < request.offset) {
      ++skipped;
      continue;
    }
    const ReadEvent& e = **next;
    ShowEventRow row;
    row.log_name = log_name;
    row.pos = e.pos;
    row.event_type = std::string(EventTypeName(e.event.header.type));
    row.server_id = e.event.header.server_id;
    row.end_log_pos = e.event.header.end_log_pos;
    row.info = EventInfo(e.event, style);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<ShowEventRow>> ShowBinlogEvents(const BinlogWriter& writer,
                                                   const ShowEventsRequest& request,
                                                   InfoStyle style) {
  auto logs = writer.ListLogs();
  if (!logs.ok()) return logs.error();
  if (logs->empty()) return std::vector<ShowEventRow>{};
  std::string name = request.log_name ? BaseName(*request.log_name) : logs->front().name;
  bool found = false;
  for (const auto& l : *logs) found = found || l.name == name;
  if (!found) return CommandError("Could not find target log");
  LogPosition active = writer.Position();
  std::optional<uint64_t> end;
  if (name == active.file) end = active.pos;
  return ShowEventsOfFile(writer.PathOf(name), name, request, end, style);
}

}  // namespace reptut::binlog
