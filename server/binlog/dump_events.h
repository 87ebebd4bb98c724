// Events a master's dump thread sends that are not in any file, and the
// fix-ups it makes to the file's FDE. Pure functions over bytes.
//
// A dump starting at (file, pos) sends, as MySQL 5.7 does:
//   1. a fake Rotate (timestamp 0, end_log_pos 0, LOG_EVENT_ARTIFICIAL_F)
//      naming file and pos;
//   2. the file's FDE with the in-use flag cleared, and end_log_pos 0 when
//      pos > 4 (so the replica does not take it as its position);
//   3. the events from pos on, as stored;
//   and a Heartbeat when idle for the heartbeat period.
#pragma once

#include <cstdint>
#include <string>

namespace reptut::binlog {

std::string EncodeFakeRotate(const std::string& file, uint64_t pos, uint32_t server_id,
                             bool checksum);

// Heartbeat (type 27): body is the current log's name; end_log_pos the
// current position.
std::string EncodeHeartbeat(const std::string& file, uint64_t pos, uint32_t server_id,
                            bool checksum);

// The FDE bytes of a file made ready to send: in-use flag cleared, and
// end_log_pos 0 unless the dump starts at the file's beginning.
std::string PrepareFormatDescriptionForDump(std::string fde_bytes, bool dump_starts_at_4);

}  // namespace reptut::binlog
