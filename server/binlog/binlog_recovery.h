// Crash recovery of the last binlog file.
//
// A file whose Format_description event still has LOG_EVENT_BINLOG_IN_USE_F
// was not closed cleanly. ScanForRecovery() reads it from the start and
// finds every complete transaction group; whatever follows the last one (a
// partial event, a CRC-bad event, or the start of a group that never got
// its COMMIT/Xid) is what a crash left behind. FinishRecovery() truncates
// the file to the position chosen, clears the flag in place (the FDE's CRC
// is computed with the flag clear, so it stays valid) and syncs.
//
// What stopped the scan, when it stopped before the end of the data:
//   - a torn tail: the last event is incomplete (its length runs past the
//     end of the file, or, in a preallocated file, into the zero tail) and
//     no valid event follows it. A kill -9 in the middle of the one write of
//     a group leaves this; that group was never acknowledged. Quiet repair.
//   - damage (`damaged`): a complete event whose checksum or contents are
//     bad, or any bad event with valid events after it (found by scanning
//     forward for an event whose end_log_pos and CRC agree with its place).
//     The groups read after the damage are in `after_damage`; whether they
//     matter (acknowledged, not in the data files) is the engine's to judge
//     (engine/recovery.cc).
//
// Group boundaries: a group is an optional MariaDB Gtid event, context
// events (Intvar, Rand, User_var), and either a standalone Query or
// Query "BEGIN" ... Xid / Query "COMMIT" / Query "ROLLBACK".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reptut::binlog {

struct RecoveredGroup {
  uint64_t start = 0;           // position of its first event
  uint64_t end = 0;             // position just past its last event
  std::optional<uint64_t> xid;  // the Xid event's id, if it ended with one
  size_t statements = 0;        // Query events other than BEGIN/COMMIT/ROLLBACK
};

struct RecoveryInfo {
  std::string file;  // base name, e.g. "master-bin.000003"
  std::string path;  // on disk
  uint64_t file_size = 0;
  uint64_t data_end = 0;     // file_size, or where a zero tail starts (a preallocated log)
  uint64_t fde_end = 0;      // position after the Format_description event
  uint64_t scanned_end = 0;  // end of the last complete group (or control event)
  std::string stop_reason;   // why the scan stopped before file_size ("" at a clean end)
  std::vector<RecoveredGroup> groups;  // complete groups, in file order
  std::vector<uint64_t> boundaries;    // positions it is safe to truncate to
  // Damage (see above): the bad event's position and what is wrong with it,
  // where valid events start again (0: nothing valid after it), the end of
  // the bytes that could not be read (resume_pos, or the end of the data),
  // and the complete groups read from resume_pos on (not in `groups`).
  bool damaged = false;
  uint64_t damage_pos = 0;
  std::string damage_what;
  uint64_t resume_pos = 0;
  uint64_t unreadable_end = 0;
  std::vector<RecoveredGroup> after_damage;
};

// Reads `path` (an in-use binlog) and returns its complete groups. Fails only
// when the file does not even start with a readable Format_description event.
Result<RecoveryInfo> ScanForRecovery(const std::string& path, const std::string& file);

// Truncates to `keep` (one of info.boundaries), clears the in-use flag and
// syncs. Appends error-log lines describing what was done; `kind` names
// the log in them ("Binlog", "Redo log").
Status FinishRecovery(const RecoveryInfo& info, uint64_t keep, const std::string& display_name,
                      std::vector<std::string>* log_lines, std::string_view kind = "Binlog");

// Clears LOG_EVENT_BINLOG_IN_USE_F of the file's FDE in place (1 byte).
Status ClearInUseFlag(int fd, const std::string& name);

}  // namespace reptut::binlog
