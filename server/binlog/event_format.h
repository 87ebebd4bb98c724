// Constants of the binary log v4 format (MySQL 5.0+, MariaDB 10.x).
//
// A binlog file is the 4-byte magic followed by events. Every event is a
// 19-byte common header, a post-header whose length the Format_description
// event announces per type, a body, and (when the file is checksummed) a
// 4-byte CRC32 of everything before it. All integers are little-endian.
//
//   header:  timestamp(4) type(1) server_id(4) event_length(4)
//            end_log_pos(4) flags(2)
//
// end_log_pos is the file offset just past the event, so for every event
// written to a file: end_log_pos == offset + event_length.
#pragma once

#include <cstddef>
#include <cstdint>

namespace reptut::binlog {

inline constexpr char kMagic[4] = {'\xfe', 'b', 'i', 'n'};
inline constexpr uint32_t kMagicSize = 4;
inline constexpr uint32_t kHeaderSize = 19;
inline constexpr uint32_t kChecksumSize = 4;
inline constexpr uint16_t kBinlogVersion = 4;
inline constexpr size_t kServerVersionSize = 50;

// Offsets inside the common header.
inline constexpr size_t kTimestampOffset = 0;
inline constexpr size_t kTypeOffset = 4;
inline constexpr size_t kServerIdOffset = 5;
inline constexpr size_t kEventLengthOffset = 9;
inline constexpr size_t kEndLogPosOffset = 13;
inline constexpr size_t kFlagsOffset = 17;

// Largest event the reader accepts (MySQL caps events by
// max_allowed_packet, at most 1 GiB).
inline constexpr uint32_t kMaxEventSize = 1024u * 1024 * 1024;

enum EventType : uint8_t {
  kUnknownEvent = 0,
  kStartEventV3 = 1,
  kQueryEvent = 2,
  kStopEvent = 3,
  kRotateEvent = 4,
  kIntvarEvent = 5,
  kLoadEvent = 6,
  kSlaveEvent = 7,
  kCreateFileEvent = 8,
  kAppendBlockEvent = 9,
  kExecLoadEvent = 10,
  kDeleteFileEvent = 11,
  kNewLoadEvent = 12,
  kRandEvent = 13,
  kUserVarEvent = 14,
  kFormatDescriptionEvent = 15,
  kXidEvent = 16,
  kBeginLoadQueryEvent = 17,
  kExecuteLoadQueryEvent = 18,
  kTableMapEvent = 19,
  kPreGaWriteRowsEvent = 20,
  kPreGaUpdateRowsEvent = 21,
  kPreGaDeleteRowsEvent = 22,
  kWriteRowsEventV1 = 23,
  kUpdateRowsEventV1 = 24,
  kDeleteRowsEventV1 = 25,
  kIncidentEvent = 26,
  kHeartbeatEvent = 27,
  kIgnorableEvent = 28,
  kRowsQueryEvent = 29,
  kWriteRowsEvent = 30,
  kUpdateRowsEvent = 31,
  kDeleteRowsEvent = 32,
  kMysqlGtidEvent = 33,
  kAnonymousGtidEvent = 34,
  kPreviousGtidsEvent = 35,
  kTransactionContextEvent = 36,
  kViewChangeEvent = 37,
  kXaPrepareEvent = 38,
  // MariaDB only.
  kAnnotateRowsEvent = 160,
  kBinlogCheckpointEvent = 161,
  kGtidEvent = 162,
  kGtidListEvent = 163,
  kStartEncryptionEvent = 164,
};

// Number of event types a MySQL 5.7 Format_description event describes
// (1 .. kXaPrepareEvent).
inline constexpr size_t kMysql57EventTypes = 38;

// Post-header length of each type 1..38 as MySQL 5.7 announces them.
inline constexpr uint8_t kPostHeaderLengths[kMysql57EventTypes] = {
    56,          // Start_v3
    13,          // Query
    0,           // Stop
    8,           // Rotate
    0,           // Intvar
    18,          // Load
    0,           // Slave
    4,           // Create_file
    4,           // Append_block
    4,           // Exec_load
    4,           // Delete_file
    18,          // New_load
    0,           // Rand
    0,           // User_var
    95,          // Format_description: 2 + 50 + 4 + 1 + 38
    0,           // Xid
    4,           // Begin_load_query
    26,          // Execute_load_query
    8,           // Table_map
    0,  0,  0,   // pre-GA rows events
    8,  8,  8,   // rows events v1
    2,           // Incident
    0,           // Heartbeat
    0,  0,       // Ignorable, Rows_query
    10, 10, 10,  // rows events v2
    42, 42,      // Gtid, Anonymous_gtid
    0,           // Previous_gtids
    18,          // Transaction_context
    52,          // View_change
    0,           // XA_prepare
};

// Header flags.
enum EventFlag : uint16_t {
  kFlagBinlogInUse = 0x1,     // LOG_EVENT_BINLOG_IN_USE_F, on the FDE only
  kFlagThreadSpecific = 0x4,  // LOG_EVENT_THREAD_SPECIFIC_F
  kFlagSuppressUse = 0x8,     // LOG_EVENT_SUPPRESS_USE_F
  kFlagArtificial = 0x20,     // LOG_EVENT_ARTIFICIAL_F (fake rotate)
  kFlagRelayLog = 0x40,       // LOG_EVENT_RELAY_LOG_F
  kFlagIgnorable = 0x80,      // LOG_EVENT_IGNORABLE_F
};

enum ChecksumAlg : uint8_t {
  kChecksumOff = 0,
  kChecksumCrc32 = 1,
  kChecksumUndefined = 255,
};

// Query event post-header: thread_id(4) exec_time(4) db_len(1)
// error_code(2) status_vars_len(2).
inline constexpr uint32_t kQueryPostHeaderSize = 13;

// Query event status variable codes.
enum QueryStatusVar : uint8_t {
  kQFlags2 = 0,                         // 4 bytes
  kQSqlMode = 1,                        // 8 bytes
  kQCatalog = 2,                        // len(1) + text + '\0' (pre 5.0.4)
  kQAutoIncrement = 3,                  // increment(2) offset(2)
  kQCharset = 4,                        // client(2) connection(2) server(2)
  kQTimeZone = 5,                       // len(1) + text
  kQCatalogNz = 6,                      // len(1) + text
  kQLcTimeNames = 7,                    // 2 bytes
  kQCharsetDatabase = 8,                // 2 bytes
  kQTableMapForUpdate = 9,              // 8 bytes
  kQMasterDataWritten = 10,             // 4 bytes
  kQInvoker = 11,                       // len(1) user, len(1) host
  kQUpdatedDbNames = 12,                // count(1) then NUL-terminated names
  kQMicroseconds = 13,                  // 3 bytes
  kQCommitTs = 14,                      // unused
  kQCommitTs2 = 15,                     // unused
  kQExplicitDefaultsForTimestamp = 16,  // 1 byte
  kQDdlLoggedWithXid = 17,              // 8 bytes (MySQL 8)
  kQDefaultCollationForUtf8mb4 = 18,    // 2 bytes (MySQL 8)
  kQSqlRequirePrimaryKey = 19,          // 1 byte (MySQL 8)
  kQDefaultTableEncryption = 20,        // 1 byte (MySQL 8)
  kQHrnow = 128,                        // MariaDB: 3 bytes of microseconds
  kQXid = 129,                          // MariaDB: 8 bytes
  kQGtidFlags3 = 130,                   // MariaDB: 1 byte
  kQCharacterSetCollations = 131,       // MariaDB 11: count(1) + count*6
};

// Flags2 bits (OPTION_* shifted as MySQL logs them).
enum QueryFlags2 : uint32_t {
  kFlags2AutoIsNull = 0x00004000,
  kFlags2NotAutocommit = 0x00080000,
  kFlags2NoForeignKeyChecks = 0x04000000,
  kFlags2RelaxedUniqueChecks = 0x08000000,
};

// Intvar event kinds.
enum IntvarKind : uint8_t {
  kInvalidIntEvent = 0,
  kLastInsertIdEvent = 1,
  kInsertIdEvent = 2,
};

// User_var value types (Item_result).
enum UserVarType : uint8_t {
  kStringResult = 0,
  kRealResult = 1,
  kIntResult = 2,
  kRowResult = 3,
  kDecimalResult = 4,
};
inline constexpr uint8_t kUserVarUnsignedFlag = 0x1;

// MariaDB Gtid event flags2.
enum GtidFlags : uint8_t {
  kGtidStandalone = 1,
  kGtidGroupCommitId = 2,
  kGtidTransactional = 4,
  kGtidAllowParallel = 8,
  kGtidWaited = 16,
  kGtidDdl = 32,
  kGtidPreparedXa = 64,
  kGtidCompletedXa = 128,
};

}  // namespace reptut::binlog
