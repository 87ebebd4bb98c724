#include "binlog/statement_events.h"

#include <cstring>

#include "binlog/byte_order.h"

namespace reptut::binlog {
namespace {

Event WithTimestamp(uint32_t timestamp, EventBody body) {
  Event e;
  e.header.timestamp = timestamp;
  e.body = std::move(body);
  e.header.type = TypeOf(e.body);
  return e;
}

std::string Le64(uint64_t v) {
  std::string s;
  bytes::AppendLE(&s, v, 8);
  return s;
}

}  // namespace

Event MakeQueryEvent(const SessionContext& s, uint32_t timestamp, std::string query,
                     uint16_t error_code, uint32_t exec_time) {
  QueryEvent q;
  q.thread_id = s.thread_id;
  q.exec_time = exec_time;
  q.error_code = error_code;
  q.db = s.db;
  q.query = std::move(query);
  uint32_t flags2 = 0;
  if (s.sql_auto_is_null) flags2 |= kFlags2AutoIsNull;
  if (!s.autocommit) flags2 |= kFlags2NotAutocommit;
  if (!s.foreign_key_checks) flags2 |= kFlags2NoForeignKeyChecks;
  if (!s.unique_checks) flags2 |= kFlags2RelaxedUniqueChecks;
  q.flags2 = flags2;
  q.sql_mode = s.sql_mode;
  q.catalog = "std";
  if (s.auto_increment_increment != 1 || s.auto_increment_offset != 1) {
    q.auto_increment =
        QueryEvent::AutoIncrement{s.auto_increment_increment, s.auto_increment_offset};
  }
  q.charset =
      QueryEvent::Charset{s.character_set_client, s.collation_connection, s.collation_server};
  if (!s.time_zone.empty()) q.time_zone = s.time_zone;
  if (s.lc_time_names != 0) q.lc_time_names = s.lc_time_names;
  if (s.collation_database != 0) q.charset_database = s.collation_database;
  return WithTimestamp(timestamp, std::move(q));
}

Event MakeIntvarEvent(uint32_t timestamp, uint8_t kind, uint64_t value) {
  return WithTimestamp(timestamp, IntvarEvent{kind, value});
}

Event MakeRandEvent(uint32_t timestamp, uint64_t seed1, uint64_t seed2) {
  return WithTimestamp(timestamp, RandEvent{seed1, seed2});
}

Event MakeUserVarString(uint32_t timestamp, std::string name, std::string value,
                        uint32_t collation) {
  UserVarEvent u;
  u.name = std::move(name);
  u.value_type = kStringResult;
  u.charset = collation;
  u.value = std::move(value);
  return WithTimestamp(timestamp, std::move(u));
}

Event MakeUserVarInt(uint32_t timestamp, std::string name, int64_t value, bool is_unsigned) {
  UserVarEvent u;
  u.name = std::move(name);
  u.value_type = kIntResult;
  u.charset = 63;  // binary, as MySQL writes for numbers
  u.value = Le64(static_cast<uint64_t>(value));
  u.flags = is_unsigned ? kUserVarUnsignedFlag : 0;
  return WithTimestamp(timestamp, std::move(u));
}

Event MakeUserVarReal(uint32_t timestamp, std::string name, double value) {
  UserVarEvent u;
  u.name = std::move(name);
  u.value_type = kRealResult;
  u.charset = 63;
  uint64_t bits;
  memcpy(&bits, &value, sizeof bits);
  u.value = Le64(bits);
  return WithTimestamp(timestamp, std::move(u));
}

Event MakeUserVarDecimal(uint32_t timestamp, std::string name, uint8_t precision, uint8_t scale,
                         std::string binary) {
  UserVarEvent u;
  u.name = std::move(name);
  u.value_type = kDecimalResult;
  u.charset = 63;
  u.value.push_back(static_cast<char>(precision));
  u.value.push_back(static_cast<char>(scale));
  u.value += binary;
  return WithTimestamp(timestamp, std::move(u));
}

Event MakeUserVarNull(uint32_t timestamp, std::string name) {
  UserVarEvent u;
  u.name = std::move(name);
  u.is_null = true;
  return WithTimestamp(timestamp, std::move(u));
}

Event MakeXidEvent(uint32_t timestamp, uint64_t xid) {
  return WithTimestamp(timestamp, XidEvent{xid});
}

}  // namespace reptut::binlog
