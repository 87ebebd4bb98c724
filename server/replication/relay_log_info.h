// The relay-log.info file a replica keeps: where the SQL thread stands, in
// the relay log and in the master's binary log. A pure codec (text in, text
// out); replica.cc reads and writes the file.
//
// THE FILE (MySQL 5.7's Relay_log_info::write_info): one value per line;
// the first line is a count of VALUE lines (it does not count itself,
// unlike master.info's), and 5.7 writes 7 there although it writes an
// eighth value, the channel name, which only a count of 8 makes MySQL read:
//
//    line  value                        SHOW SLAVE STATUS column
//     1    7                            (number of values read)
//     2    ./slave-relay-bin.000003     Relay_Log_File (the path, as the index has it)
//     3    693                          Relay_Log_Pos
//     4    master-bin.000002            Relay_Master_Log_File
//     5    751                          Exec_Master_Log_Pos
//     6    0                            SQL_Delay
//     7    0                            number of parallel workers
//     8    1                            id (always 1)
//     9    (empty)                      Channel_Name
//
// Older layouts: MySQL before 5.6 and the seed's example have no count line,
// only lines 2-5 ("/var/log/mysql/relay.000002", "555", "bin.000011",
// "497"); MySQL 5.6 writes a count of 5, 6 or 7; MariaDB 10.x writes a count
// of 5 (up to SQL_Delay). The file is rewritten in place, not truncated:
// lines after those the count covers are leftovers, not values.
//
// PARSING: a first line that is a number of 5 or more is the count; one that
// is not a number is the relay log name of the old layout (what MySQL does);
// a number below 5 is an error (MySQL would take it for a relay log name,
// which has an extension and so is never a number). The four positions must
// be there; SQL_Delay, workers and id take their defaults when the file ends
// before them. Numbers must be decimal and in range; a trailing '\r' is
// dropped from each line. Errors are ER_UNKNOWN_ERROR values whose message
// says the file, the line and what is wrong:
// "relay-log.info line 3: 'abc' is not a number (Relay_Log_Pos)".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reptut::replication {

struct RelayLogInfo {
  std::string relay_log_file;   // as written: "./slave-relay-bin.000003" (path of the relay log)
  uint64_t relay_log_pos = 4;   // Relay_Log_Pos
  std::string master_log_file;  // Relay_Master_Log_File
  uint64_t master_log_pos = 0;  // Exec_Master_Log_Pos
  uint32_t sql_delay = 0;
  uint32_t workers = 0;
  uint32_t id = 1;

  bool operator==(const RelayLogInfo&) const = default;
};

// What MySQL 5.7 writes on the first line.
inline constexpr int kRelayLogInfoCount = 7;

// The file's text in MySQL 5.7's layout (9 lines, the last the empty
// channel name, each ending in '\n').
std::string FormatRelayLogInfo(const RelayLogInfo& ri);

// Reads any of the layouts above. `file_name` names the file in errors.
Result<RelayLogInfo> ParseRelayLogInfo(std::string_view text, std::string_view file_name);

}  // namespace reptut::replication
