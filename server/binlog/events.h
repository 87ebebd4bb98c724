// The binlog events Reptut writes and reads, as plain structs.
//
// Statement-based logging writes, per transaction group, optional context
// events (Intvar, Rand, User_var) before each Query, and for a transaction
// a Query "BEGIN" ... Xid (or Query "COMMIT"). Control events frame the
// files: Format_description first, Rotate last, Stop on clean shutdown.
// MariaDB's own types (Gtid, Gtid_list, Binlog_checkpoint, Annotate_rows)
// are decoded far enough for SHOW BINLOG EVENTS; anything else is kept as
// raw body bytes (OtherEvent) so it can be skipped by its length.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "binlog/event_format.h"

namespace reptut::binlog {

struct EventHeader {
  uint32_t timestamp = 0;  // seconds since the epoch: SET TIMESTAMP of the statement
  uint8_t type = kUnknownEvent;
  uint32_t server_id = 0;
  uint32_t event_length = 0;  // header + body + checksum
  uint32_t end_log_pos = 0;   // offset just past the event in its file
  uint16_t flags = 0;
};

struct FormatDescriptionEvent {
  uint16_t binlog_version = kBinlogVersion;
  std::string server_version;
  uint32_t create_timestamp = 0;  // non-zero only in the first file after server start
  uint8_t header_length = kHeaderSize;
  std::vector<uint8_t> post_header_lengths;  // for types 1..N
  uint8_t checksum_alg = kChecksumCrc32;     // kChecksumUndefined: pre-5.6.1 writer
};

struct QueryEvent {
  uint32_t thread_id = 0;
  uint32_t exec_time = 0;
  uint16_t error_code = 0;
  std::string db;     // the default database ("" = none)
  std::string query;  // statement text, as executed

  // Status variables; absent ones are not written.
  struct AutoIncrement {
    uint16_t increment = 1;
    uint16_t offset = 1;
  };
  struct Charset {
    uint16_t client = 8;      // character_set_client (its default collation id)
    uint16_t connection = 8;  // collation_connection
    uint16_t server = 8;      // collation_server
  };
  std::optional<uint32_t> flags2;
  std::optional<uint64_t> sql_mode;
  std::optional<std::string> catalog;  // "std"
  std::optional<AutoIncrement> auto_increment;
  std::optional<Charset> charset;
  std::optional<std::string> time_zone;
  std::optional<uint16_t> lc_time_names;
  std::optional<uint16_t> charset_database;
  std::optional<std::vector<std::string>> updated_db_names;
  std::optional<uint32_t> microseconds;
  std::optional<uint8_t> explicit_defaults_for_timestamp;
  std::optional<uint64_t> mariadb_xid;  // MariaDB Q_XID (decode only)
};

struct IntvarEvent {
  uint8_t kind = kInsertIdEvent;  // kInsertIdEvent or kLastInsertIdEvent
  uint64_t value = 0;
};

struct RandEvent {
  uint64_t seed1 = 0;
  uint64_t seed2 = 0;
};

struct UserVarEvent {
  std::string name;  // without '@'
  bool is_null = false;
  uint8_t value_type = kStringResult;  // UserVarType
  uint32_t charset = 8;                // collation id of a string value
  // The value as stored: the string bytes; 8-byte little-endian integer or
  // IEEE double; for DECIMAL precision(1) scale(1) + MySQL binary decimal.
  std::string value;
  std::optional<uint8_t> flags;  // kUserVarUnsignedFlag; written for INT values
};

struct XidEvent {
  uint64_t xid = 0;
};

struct RotateEvent {
  uint64_t position = 4;
  std::string next_file;  // file name without directory
};

struct StopEvent {};

struct Gtid {
  uint32_t domain_id = 0;
  uint32_t server_id = 0;
  uint64_t seq_no = 0;
};

// MariaDB Gtid (162): the server id of the GTID is the header's.
struct GtidEvent {
  uint64_t seq_no = 0;
  uint32_t domain_id = 0;
  uint8_t flags2 = 0;
};

struct GtidListEvent {
  std::vector<Gtid> gtids;
  uint8_t flags = 0;
};

struct BinlogCheckpointEvent {
  std::string file;
};

struct AnnotateRowsEvent {
  std::string query;
};

// Any other type: the bytes between the header and the checksum.
struct OtherEvent {
  std::string body;
};

using EventBody = std::variant<FormatDescriptionEvent, QueryEvent, IntvarEvent, RandEvent,
                               UserVarEvent, XidEvent, RotateEvent, StopEvent, GtidEvent,
                               GtidListEvent, BinlogCheckpointEvent, AnnotateRowsEvent, OtherEvent>;

struct Event {
  EventHeader header;
  EventBody body;
  std::optional<uint32_t> checksum;  // the stored CRC when the event has one
};

// The type byte an event body is written with (OtherEvent: header.type).
uint8_t TypeOf(const EventBody& body, uint8_t other_type = kUnknownEvent);

}  // namespace reptut::binlog
