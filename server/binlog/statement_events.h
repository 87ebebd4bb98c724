// Building the events of statement-based logging from a session's state,
// as MySQL 5.7 writes them. Pure functions.
//
// A transaction group the engine passes to BinlogWriter::Append is, for a
// transactional statement (SQLite tables are transactional, like InnoDB):
//   Query "BEGIN", then per statement its context events (Intvar
//   INSERT_ID / LAST_INSERT_ID, Rand, User_var for each @var it reads) and
//   its Query, then Xid.
// DDL and other non-transactional statements are a group of their own: the
// context events and the Query, no BEGIN/Xid.
// Every event of a statement carries the statement's start time (SET
// TIMESTAMP) in its header timestamp.
#pragma once

#include <cstdint>
#include <string>

#include "binlog/events.h"

namespace reptut::binlog {

struct SessionContext {
  uint32_t thread_id = 0;  // connection id (pseudo_thread_id)
  std::string db;          // current database, "" for none
  uint64_t sql_mode = 0;   // the sql_mode bits
  bool autocommit = true;
  bool foreign_key_checks = true;
  bool unique_checks = true;
  bool sql_auto_is_null = false;
  uint16_t auto_increment_increment = 1;
  uint16_t auto_increment_offset = 1;
  uint16_t character_set_client = 8;  // default collation id of the client charset
  uint16_t collation_connection = 8;
  uint16_t collation_server = 8;
  uint16_t collation_database = 0;  // 0: not written
  std::string time_zone;            // "" = SYSTEM, not written
  uint16_t lc_time_names = 0;       // 0 = en_US, not written
};

// A Query event with MySQL 5.7's status variables: Q_FLAGS2, Q_SQL_MODE,
// Q_CATALOG_NZ "std", Q_AUTO_INCREMENT (when not 1/1), Q_CHARSET,
// Q_TIME_ZONE / Q_LC_TIME_NAMES / Q_CHARSET_DATABASE (when set).
Event MakeQueryEvent(const SessionContext& s, uint32_t timestamp, std::string query,
                     uint16_t error_code = 0, uint32_t exec_time = 0);
Event MakeIntvarEvent(uint32_t timestamp, uint8_t kind, uint64_t value);
Event MakeRandEvent(uint32_t timestamp, uint64_t seed1, uint64_t seed2);
Event MakeUserVarString(uint32_t timestamp, std::string name, std::string value,
                        uint32_t collation);
Event MakeUserVarInt(uint32_t timestamp, std::string name, int64_t value, bool is_unsigned = false);
Event MakeUserVarReal(uint32_t timestamp, std::string name, double value);
// precision/scale and the MySQL binary DECIMAL bytes.
Event MakeUserVarDecimal(uint32_t timestamp, std::string name, uint8_t precision, uint8_t scale,
                         std::string binary);
Event MakeUserVarNull(uint32_t timestamp, std::string name);
Event MakeXidEvent(uint32_t timestamp, uint64_t xid);

}  // namespace reptut::binlog
