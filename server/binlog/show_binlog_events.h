// SHOW BINLOG EVENTS [IN 'log'] [FROM pos] [LIMIT [offset,] count]: the rows,
// read from the files the writer lists. In the active log only published
// groups are shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binlog/binlog_writer.h"
#include "binlog/event_info.h"
#include "common/status.h"

namespace reptut::binlog {

struct ShowEventsRequest {
  std::optional<std::string> log_name;  // default: the first log in the index
  uint64_t from = kMagicSize;
  uint64_t offset = 0;            // LIMIT offset, count
  std::optional<uint64_t> limit;  // LIMIT count
};

struct ShowEventRow {
  std::string log_name;      // Log_name
  uint64_t pos = 0;          // Pos
  std::string event_type;    // Event_type
  uint32_t server_id = 0;    // Server_id
  uint64_t end_log_pos = 0;  // End_log_pos
  std::string info;          // Info
};

// Errors as MySQL words them: ER_ERROR_WHEN_EXECUTING_COMMAND "Error when
// executing command SHOW BINLOG EVENTS: Could not find target log" / "Wrong
// offset or I/O error".
Result<std::vector<ShowEventRow>> ShowBinlogEvents(const BinlogWriter& writer,
                                                   const ShowEventsRequest& request,
                                                   InfoStyle style = InfoStyle::kMysql57);

// The same over one file (no writer), e.g. for a relay log or a tool.
Result<std::vector<ShowEventRow>> ShowEventsOfFile(const std::string& path,
                                                   const std::string& log_name,
                                                   const ShowEventsRequest& request,
                                                   std::optional<uint64_t> end = std::nullopt,
                                                   InfoStyle style = InfoStyle::kMysql57);

}  // namespace reptut::binlog
