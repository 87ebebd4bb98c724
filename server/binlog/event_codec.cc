#include "binlog/event_codec.h"

#include <cstdio>
#include <cstring>

#include "binlog/byte_order.h"
#include "binlog/crc32.h"

namespace reptut::binlog {
namespace {

using bytes::AppendLE;
using bytes::Cursor;

Error Fail(std::string message) {
  return MakeErrorMsg(ER_MASTER_FATAL_ERROR_READING_BINLOG, std::move(message));
}

template <class... T>
struct Overloaded : T... {
  using T::operator()...;
};
template <class... T>
Overloaded(T...) -> Overloaded<T...>;

// --- body encoders ---

void EncodeFde(const FormatDescriptionEvent& e, std::string* out) {
  AppendLE(out, e.binlog_version, 2);
  std::string ver = e.server_version.substr(0, kServerVersionSize);
  ver.resize(kServerVersionSize, '\0');
  out->append(ver);
  AppendLE(out, e.create_timestamp, 4);
  out->push_back(static_cast<char>(e.header_length));
  for (uint8_t len : e.post_header_lengths) out->push_back(static_cast<char>(len));
  out->push_back(static_cast<char>(e.checksum_alg));
}

void AppendLenStr(std::string* out, std::string_view s) {
  size_t n = s.size() > 255 ? 255 : s.size();
  out->push_back(static_cast<char>(n));
  out->append(s.substr(0, n));
}

void EncodeQuery(const QueryEvent& e, std::string* out) {
  std::string status;
  if (e.flags2) {
    status.push_back(kQFlags2);
    AppendLE(&status, *e.flags2, 4);
  }
  if (e.sql_mode) {
    status.push_back(kQSqlMode);
    AppendLE(&status, *e.sql_mode, 8);
  }
  if (e.catalog) {
    status.push_back(kQCatalogNz);
    AppendLenStr(&status, *e.catalog);
  }
  if (e.auto_increment) {
    status.push_back(kQAutoIncrement);
    AppendLE(&status, e.auto_increment->increment, 2);
    AppendLE(&status, e.auto_increment->offset, 2);
  }
  if (e.charset) {
    status.push_back(kQCharset);
    AppendLE(&status, e.charset->client, 2);
    AppendLE(&status, e.charset->connection, 2);
    AppendLE(&status, e.charset->server, 2);
  }
  if (e.time_zone) {
    status.push_back(kQTimeZone);
    AppendLenStr(&status, *e.time_zone);
  }
  if (e.lc_time_names) {
    status.push_back(kQLcTimeNames);
    AppendLE(&status, *e.lc_time_names, 2);
  }
  if (e.charset_database) {
    status.push_back(kQCharsetDatabase);
    AppendLE(&status, *e.charset_database, 2);
  }
  if (e.updated_db_names) {
    status.push_back(kQUpdatedDbNames);
    status.push_back(static_cast<char>(e.updated_db_names->size()));
    for (const auto& name : *e.updated_db_names) {
      status.append(name);
      status.push_back('\0');
    }
  }
  if (e.microseconds) {
    status.push_back(kQMicroseconds);
    AppendLE(&status, *e.microseconds, 3);
  }
  if (e.explicit_defaults_for_timestamp) {
    status.push_back(kQExplicitDefaultsForTimestamp);
    status.push_back(static_cast<char>(*e.explicit_defaults_for_timestamp));
  }
  std::string_view db = std::string_view(e.db).substr(0, 255);
  AppendLE(out, e.thread_id, 4);
  AppendLE(out, e.exec_time, 4);
  out->push_back(static_cast<char>(db.size()));
  AppendLE(out, e.error_code, 2);
  AppendLE(out, status.size(), 2);
  out->append(status);
  out->append(db);
  out->push_back('\0');
  out->append(e.query);
}

void EncodeUserVar(const UserVarEvent& e, std::string* out) {
  AppendLE(out, e.name.size(), 4);
  out->append(e.name);
  out->push_back(e.is_null ? 1 : 0);
  if (e.is_null) return;
  out->push_back(static_cast<char>(e.value_type));
  AppendLE(out, e.charset, 4);
  AppendLE(out, e.value.size(), 4);
  out->append(e.value);
  if (e.flags) out->push_back(static_cast<char>(*e.flags));
}

void EncodeBody(const EventBody& body, std::string* out) {
  std::visit(Overloaded{
                 [&](const FormatDescriptionEvent& e) { EncodeFde(e, out); },
                 [&](const QueryEvent& e) { EncodeQuery(e, out); },
                 [&](const IntvarEvent& e) {
                   out->push_back(static_cast<char>(e.kind));
                   AppendLE(out, e.value, 8);
                 },
                 [&](const RandEvent& e) {
                   AppendLE(out, e.seed1, 8);
                   AppendLE(out, e.seed2, 8);
                 },
                 [&](const UserVarEvent& e) { EncodeUserVar(e, out); },
                 [&](const XidEvent& e) { AppendLE(out, e.xid, 8); },
                 [&](const RotateEvent& e) {
                   AppendLE(out, e.position, 8);
                   out->append(e.next_file);
                 },
                 [&](const StopEvent&) {},
                 [&](const GtidEvent& e) {
                   AppendLE(out, e.seq_no, 8);
                   AppendLE(out, e.domain_id, 4);
                   out->push_back(static_cast<char>(e.flags2));
                   out->append(6, '\0');  // pad the post-header to 19 bytes
                 },
                 [&](const GtidListEvent& e) {
                   AppendLE(out, (uint32_t(e.flags) << 28) | uint32_t(e.gtids.size()), 4);
                   for (const Gtid& g : e.gtids) {
                     AppendLE(out, g.domain_id, 4);
                     AppendLE(out, g.server_id, 4);
                     AppendLE(out, g.seq_no, 8);
                   }
                 },
                 [&](const BinlogCheckpointEvent& e) {
                   AppendLE(out, e.file.size(), 4);
                   out->append(e.file);
                 },
                 [&](const AnnotateRowsEvent& e) { out->append(e.query); },
                 [&](const OtherEvent& e) { out->append(e.body); },
             },
             body);
}

// --- body decoders ---

Result<EventBody> DecodeFde(std::string_view body) {
  Cursor c(body);
  FormatDescriptionEvent e;
  std::string ver;
  if (!c.Read(2, &e.binlog_version) || !c.ReadBytes(kServerVersionSize, &ver) ||
      !c.Read(4, &e.create_timestamp) || !c.Read(1, &e.header_length)) {
    return Fail("Format_description event too short (" + std::to_string(body.size()) + " bytes)");
  }
  if (e.binlog_version != kBinlogVersion) {
    return Fail("unsupported binlog version " + std::to_string(e.binlog_version));
  }
  if (e.header_length != kHeaderSize) {
    return Fail("unsupported common header length " + std::to_string(e.header_length));
  }
  e.server_version = ver.substr(0, ver.find('\0'));
  std::string_view rest = c.Rest();
  if (ServerVersionHasChecksumAlg(e.server_version)) {
    if (rest.empty()) return Fail("Format_description event lacks the checksum algorithm");
    e.checksum_alg = static_cast<uint8_t>(rest.back());
    rest.remove_suffix(1);
  } else {
    e.checksum_alg = kChecksumUndefined;
  }
  e.post_header_lengths.assign(rest.begin(), rest.end());
  return EventBody(std::move(e));
}

bool ReadLenStr(Cursor* c, std::string* out) {
  uint8_t n = 0;
  return c->Read(1, &n) && c->ReadBytes(n, out);
}

// Parses the status variables; stops (as MySQL does) at an unknown code.
bool DecodeStatusVars(std::string_view vars, QueryEvent* e) {
  Cursor c(vars);
  while (c.remaining() > 0) {
    uint8_t code = 0;
    c.Read(1, &code);
    bool ok = true;
    switch (code) {
      case kQFlags2: {
        uint32_t v = 0;
        ok = c.Read(4, &v);
        e->flags2 = v;
        break;
      }
      case kQSqlMode: {
        uint64_t v = 0;
        ok = c.ReadInt(8, &v);
        e->sql_mode = v;
        break;
      }
      case kQCatalog: {
        std::string s;
        ok = ReadLenStr(&c, &s) && c.Skip(1);
        e->catalog = s;
        break;
      }
      case kQCatalogNz: {
        std::string s;
        ok = ReadLenStr(&c, &s);
        e->catalog = s;
        break;
      }
      case kQAutoIncrement: {
        QueryEvent::AutoIncrement a;
        ok = c.Read(2, &a.increment) && c.Read(2, &a.offset);
        e->auto_increment = a;
        break;
      }
      case kQCharset: {
        QueryEvent::Charset cs;
        ok = c.Read(2, &cs.client) && c.Read(2, &cs.connection) && c.Read(2, &cs.server);
        e->charset = cs;
        break;
      }
      case kQTimeZone: {
        std::string s;
        ok = ReadLenStr(&c, &s);
        e->time_zone = s;
        break;
      }
      case kQLcTimeNames: {
        uint16_t v = 0;
        ok = c.Read(2, &v);
        e->lc_time_names = v;
        break;
      }
      case kQCharsetDatabase: {
        uint16_t v = 0;
        ok = c.Read(2, &v);
        e->charset_database = v;
        break;
      }
      case kQTableMapForUpdate:
        ok = c.Skip(8);
        break;
      case kQMasterDataWritten:
        ok = c.Skip(4);
        break;
      case kQInvoker: {
        std::string user, host;
        ok = ReadLenStr(&c, &user) && ReadLenStr(&c, &host);
        break;
      }
      case kQUpdatedDbNames: {
        uint8_t n = 0;
        ok = c.Read(1, &n);
        std::vector<std::string> names;
        if (ok && n != 254) {  // 254: too many databases to list
          for (uint8_t i = 0; ok && i < n; ++i) {
            std::string_view rest = c.Rest();
            size_t z = rest.find('\0');
            if (z == std::string_view::npos) {
              ok = false;
            } else {
              names.emplace_back(rest.substr(0, z));
              c.Skip(z + 1);
            }
          }
        }
        e->updated_db_names = std::move(names);
        break;
      }
      case kQMicroseconds:
      case kQHrnow: {
        uint32_t v = 0;
        ok = c.Read(3, &v);
        e->microseconds = v;
        break;
      }
      case kQExplicitDefaultsForTimestamp: {
        uint8_t v = 0;
        ok = c.Read(1, &v);
        e->explicit_defaults_for_timestamp = v;
        break;
      }
      case kQXid: {
        uint64_t v = 0;
        ok = c.ReadInt(8, &v);
        e->mariadb_xid = v;
        break;
      }
      default:
        return true;  // unknown code: the rest cannot be parsed, ignore it
    }
    if (!ok) return false;
  }
  return true;
}

Result<EventBody> DecodeQuery(std::string_view body) {
  Cursor c(body);
  QueryEvent e;
  uint8_t db_len;
  uint16_t status_len;
  if (!c.Read(4, &e.thread_id) || !c.Read(4, &e.exec_time) || !c.Read(1, &db_len) ||
      !c.Read(2, &e.error_code) || !c.Read(2, &status_len)) {
    return Fail("Query event post-header truncated");
  }
  std::string vars;
  if (!c.ReadBytes(status_len, &vars)) {
    return Fail("Query event status variables (" + std::to_string(status_len) +
                " bytes) run past the event");
  }
  if (!DecodeStatusVars(vars, &e)) return Fail("Query event has a malformed status variable");
  if (!c.ReadBytes(db_len, &e.db) || !c.Skip(1)) {
    return Fail("Query event database name runs past the event");
  }
  e.query = std::string(c.Rest());
  return EventBody(std::move(e));
}

Result<EventBody> DecodeUserVar(std::string_view body) {
  Cursor c(body);
  UserVarEvent e;
  uint32_t name_len;
  uint8_t is_null;
  if (!c.Read(4, &name_len) || !c.ReadBytes(name_len, &e.name) || !c.Read(1, &is_null)) {
    return Fail("User_var event name truncated");
  }
  e.is_null = is_null != 0;
  if (!e.is_null) {
    uint32_t val_len;
    if (!c.Read(1, &e.value_type) || !c.Read(4, &e.charset) || !c.Read(4, &val_len) ||
        !c.ReadBytes(val_len, &e.value)) {
      return Fail("User_var event value truncated");
    }
    if ((e.value_type == kIntResult || e.value_type == kRealResult) && e.value.size() != 8) {
      return Fail("User_var event numeric value has " + std::to_string(e.value.size()) + " bytes");
    }
    uint8_t flags = 0;
    if (c.Read(1, &flags)) e.flags = flags;
  }
  return EventBody(std::move(e));
}

Result<EventBody> DecodeBody(uint8_t type, std::string_view body) {
  Cursor c(body);
  auto too_short = [&](const char* name) {
    return Fail(std::string(name) + " event body too short (" + std::to_string(body.size()) +
                " bytes)");
  };
  switch (type) {
    case kFormatDescriptionEvent:
      return DecodeFde(body);
    case kQueryEvent:
      return DecodeQuery(body);
    case kIntvarEvent: {
      IntvarEvent e;
      if (!c.Read(1, &e.kind) || !c.ReadInt(8, &e.value)) return too_short("Intvar");
      return EventBody(e);
    }
    case kRandEvent: {
      RandEvent e;
      if (!c.ReadInt(8, &e.seed1) || !c.ReadInt(8, &e.seed2)) return too_short("Rand");
      return EventBody(e);
    }
    case kUserVarEvent:
      return DecodeUserVar(body);
    case kXidEvent: {
      XidEvent e;
      if (!c.ReadInt(8, &e.xid)) return too_short("Xid");
      return EventBody(e);
    }
    case kRotateEvent: {
      RotateEvent e;
      if (!c.ReadInt(8, &e.position)) return too_short("Rotate");
      e.next_file = std::string(c.Rest());
      return EventBody(std::move(e));
    }
    case kStopEvent:
      return EventBody(StopEvent{});
    case kGtidEvent: {
      GtidEvent e;
      if (!c.ReadInt(8, &e.seq_no) || !c.Read(4, &e.domain_id) || !c.Read(1, &e.flags2)) {
        return too_short("Gtid");
      }
      return EventBody(e);
    }
    case kGtidListEvent: {
      GtidListEvent e;
      uint32_t v = 0;
      if (!c.Read(4, &v)) return too_short("Gtid_list");
      uint32_t count = v & 0x0fffffff;
      e.flags = static_cast<uint8_t>(v >> 28);
      if (uint64_t(count) * 16 > c.remaining()) return too_short("Gtid_list");
      for (uint32_t i = 0; i < count; ++i) {
        Gtid g;
        c.Read(4, &g.domain_id);
        c.Read(4, &g.server_id);
        c.ReadInt(8, &g.seq_no);
        e.gtids.push_back(g);
      }
      return EventBody(std::move(e));
    }
    case kBinlogCheckpointEvent: {
      BinlogCheckpointEvent e;
      uint32_t n;
      if (!c.Read(4, &n) || !c.ReadBytes(n, &e.file)) return too_short("Binlog_checkpoint");
      return EventBody(std::move(e));
    }
    case kAnnotateRowsEvent:
      return EventBody(AnnotateRowsEvent{std::string(body)});
    default:
      return EventBody(OtherEvent{std::string(body)});
  }
}

std::string FrameMessage(FrameError e, std::string_view bytes, uint32_t length, uint32_t stored = 0,
                         uint32_t computed = 0) {
  char buf[160];
  switch (e) {
    case FrameError::kTruncatedHeader:
      snprintf(buf, sizeof buf, "event header truncated: %zu of %u bytes", bytes.size(),
               kHeaderSize);
      break;
    case FrameError::kLengthTooSmall:
      snprintf(buf, sizeof buf, "event length %u is too small", length);
      break;
    case FrameError::kLengthTooLarge:
      snprintf(buf, sizeof buf, "event length %u is larger than the limit %u", length,
               kMaxEventSize);
      break;
    case FrameError::kTruncatedEvent:
      snprintf(buf, sizeof buf, "event truncated: length %u but only %zu bytes", length,
               bytes.size());
      break;
    case FrameError::kBadChecksum:
      snprintf(buf, sizeof buf,
               "event checksum mismatch: stored 0x%08x, computed 0x%08x (type %u, length %u)",
               stored, computed, bytes.size() > kTypeOffset ? uint8_t(bytes[kTypeOffset]) : 0,
               length);
      break;
    case FrameError::kNone:
      buf[0] = '\0';
      break;
  }
  return buf;
}

}  // namespace

std::string_view FrameErrorName(FrameError e) {
  switch (e) {
    case FrameError::kNone:
      return "ok";
    case FrameError::kTruncatedHeader:
      return "truncated header";
    case FrameError::kLengthTooSmall:
      return "length too small";
    case FrameError::kLengthTooLarge:
      return "length too large";
    case FrameError::kTruncatedEvent:
      return "truncated event";
    case FrameError::kBadChecksum:
      return "bad checksum";
  }
  return "?";
}

uint8_t TypeOf(const EventBody& body, uint8_t other_type) {
  return std::visit(
      Overloaded{
          [](const FormatDescriptionEvent&) -> uint8_t { return kFormatDescriptionEvent; },
          [](const QueryEvent&) -> uint8_t { return kQueryEvent; },
          [](const IntvarEvent&) -> uint8_t { return kIntvarEvent; },
          [](const RandEvent&) -> uint8_t { return kRandEvent; },
          [](const UserVarEvent&) -> uint8_t { return kUserVarEvent; },
          [](const XidEvent&) -> uint8_t { return kXidEvent; },
          [](const RotateEvent&) -> uint8_t { return kRotateEvent; },
          [](const StopEvent&) -> uint8_t { return kStopEvent; },
          [](const GtidEvent&) -> uint8_t { return kGtidEvent; },
          [](const GtidListEvent&) -> uint8_t { return kGtidListEvent; },
          [](const BinlogCheckpointEvent&) -> uint8_t { return kBinlogCheckpointEvent; },
          [](const AnnotateRowsEvent&) -> uint8_t { return kAnnotateRowsEvent; },
          [&](const OtherEvent&) -> uint8_t { return other_type; },
      },
      body);
}

bool ServerVersionHasChecksumAlg(std::string_view v) {
  unsigned major = 0, minor = 0, patch = 0;
  std::string s(v.substr(0, 40));
  if (sscanf(s.c_str(), "%u.%u.%u", &major, &minor, &patch) != 3) return false;
  unsigned n = major * 10000 + minor * 100 + patch;
  bool mariadb = v.find("MariaDB") != std::string_view::npos;
  return n >= (mariadb ? 50300u : 50601u);
}

Result<EventHeader> DecodeHeader(std::string_view b) {
  if (b.size() < kHeaderSize) return Fail(FrameMessage(FrameError::kTruncatedHeader, b, 0));
  EventHeader h;
  h.timestamp = bytes::Get32(b.data() + kTimestampOffset);
  h.type = static_cast<uint8_t>(b[kTypeOffset]);
  h.server_id = bytes::Get32(b.data() + kServerIdOffset);
  h.event_length = bytes::Get32(b.data() + kEventLengthOffset);
  h.end_log_pos = bytes::Get32(b.data() + kEndLogPosOffset);
  h.flags = bytes::Get16(b.data() + kFlagsOffset);
  return h;
}

bool EventHasChecksum(std::string_view event, bool stream_has_checksum) {
  if (event.size() > kTypeOffset && uint8_t(event[kTypeOffset]) == kFormatDescriptionEvent) {
    if (event.size() < kHeaderSize + 2 + kServerVersionSize) return false;
    std::string_view ver = event.substr(kHeaderSize + 2, kServerVersionSize);
    ver = ver.substr(0, ver.find('\0'));
    return ServerVersionHasChecksumAlg(ver);
  }
  return stream_has_checksum;
}

uint32_t ComputeEventChecksum(std::string_view event) {
  if (event.size() < kChecksumSize) return 0;
  std::string_view covered = event.substr(0, event.size() - kChecksumSize);
  if (covered.size() > kFlagsOffset && uint8_t(covered[kTypeOffset]) == kFormatDescriptionEvent &&
      (covered[kFlagsOffset] & kFlagBinlogInUse)) {
    uint32_t crc = Crc32(0, covered.substr(0, kFlagsOffset));
    char f = static_cast<char>(covered[kFlagsOffset] & ~kFlagBinlogInUse);
    crc = Crc32(crc, std::string_view(&f, 1));
    return Crc32(crc, covered.substr(kFlagsOffset + 1));
  }
  return Crc32(0, covered);
}

void FixEventChecksum(std::string* event) {
  if (event->size() < kChecksumSize) return;
  bytes::PutLE(event->data() + event->size() - kChecksumSize, ComputeEventChecksum(*event),
               kChecksumSize);
}

bool VerifyEventChecksum(std::string_view event) {
  if (event.size() < kHeaderSize + kChecksumSize) return false;
  return bytes::Get32(event.data() + event.size() - kChecksumSize) == ComputeEventChecksum(event);
}

FrameError CheckFrame(std::string_view b, const DecodeContext& ctx, uint32_t* length) {
  if (b.size() < kHeaderSize) return FrameError::kTruncatedHeader;
  uint32_t len = bytes::Get32(b.data() + kEventLengthOffset);
  if (length) *length = len;
  bool crc = EventHasChecksum(b, ctx.has_checksum);
  if (len < kHeaderSize + (crc ? kChecksumSize : 0)) return FrameError::kLengthTooSmall;
  if (len > kMaxEventSize) return FrameError::kLengthTooLarge;
  if (b.size() < len) return FrameError::kTruncatedEvent;
  if (crc && ctx.verify_checksum && !VerifyEventChecksum(b.substr(0, len))) {
    return FrameError::kBadChecksum;
  }
  return FrameError::kNone;
}

void SetEndLogPos(std::string* event, uint32_t end_log_pos, bool has_checksum) {
  if (event->size() < kHeaderSize) return;
  bytes::PutLE(event->data() + kEndLogPosOffset, end_log_pos, 4);
  if (EventHasChecksum(*event, has_checksum)) FixEventChecksum(event);
}

void SetEventFlags(std::string* event, uint16_t flags, bool has_checksum) {
  if (event->size() < kHeaderSize) return;
  bytes::PutLE(event->data() + kFlagsOffset, flags, 2);
  if (EventHasChecksum(*event, has_checksum)) FixEventChecksum(event);
}

void SetServerId(std::string* event, uint32_t server_id, bool has_checksum) {
  if (event->size() < kHeaderSize) return;
  bytes::PutLE(event->data() + kServerIdOffset, server_id, 4);
  if (EventHasChecksum(*event, has_checksum)) FixEventChecksum(event);
}

std::string EncodeEvent(const EventHeader& header, const EventBody& body, bool checksum) {
  std::string out;
  EncodeEventTo(&out, header, body, checksum);
  return out;
}

void EncodeEventTo(std::string* out, const EventHeader& header, const EventBody& body,
                   bool checksum, std::optional<uint64_t> file_offset) {
  uint8_t type = TypeOf(body, header.type);
  bool crc = checksum || type == kFormatDescriptionEvent;
  size_t start = out->size();
  out->append(kHeaderSize, '\0');
  EncodeBody(body, out);
  if (crc) out->append(kChecksumSize, '\0');
  size_t length = out->size() - start;
  uint64_t end_log_pos = file_offset ? *file_offset + out->size() : header.end_log_pos;
  char* p = out->data() + start;
  bytes::PutLE(p + kTimestampOffset, header.timestamp, 4);
  p[kTypeOffset] = static_cast<char>(type);
  bytes::PutLE(p + kServerIdOffset, header.server_id, 4);
  bytes::PutLE(p + kEventLengthOffset, length, 4);
  bytes::PutLE(p + kEndLogPosOffset, end_log_pos, 4);
  bytes::PutLE(p + kFlagsOffset, header.flags, 2);
  if (crc) {
    std::string_view event(p, length);
    bytes::PutLE(p + length - kChecksumSize, ComputeEventChecksum(event), kChecksumSize);
  }
}

FormatDescriptionEvent MakeFormatDescription(std::string_view server_version,
                                             uint32_t create_timestamp, bool checksum) {
  FormatDescriptionEvent e;
  e.server_version = std::string(server_version.substr(0, kServerVersionSize));
  e.create_timestamp = create_timestamp;
  e.post_header_lengths.assign(std::begin(kPostHeaderLengths), std::end(kPostHeaderLengths));
  e.checksum_alg = checksum ? kChecksumCrc32 : kChecksumOff;
  return e;
}

Result<Event> DecodeEvent(std::string_view bytes, const DecodeContext& ctx,
                          FrameError* frame_error) {
  uint32_t length = 0;
  FrameError fe = CheckFrame(bytes, ctx, &length);
  if (frame_error) *frame_error = fe;
  if (fe != FrameError::kNone) {
    uint32_t stored = 0, computed = 0;
    if (fe == FrameError::kBadChecksum) {
      stored = bytes::Get32(bytes.data() + length - kChecksumSize);
      computed = ComputeEventChecksum(bytes.substr(0, length));
    }
    return Fail(FrameMessage(fe, bytes, length, stored, computed));
  }
  std::string_view ev = bytes.substr(0, length);
  auto header = DecodeHeader(ev);
  if (!header.ok()) return header.error();
  Event out;
  out.header = *header;
  std::string_view body = ev.substr(kHeaderSize);
  if (EventHasChecksum(ev, ctx.has_checksum)) {
    out.checksum = bytes::Get32(ev.data() + ev.size() - kChecksumSize);
    body.remove_suffix(kChecksumSize);
  }
  auto decoded = DecodeBody(out.header.type, body);
  if (!decoded.ok()) return decoded.error();
  out.body = std::move(decoded).value();
  return out;
}

}  // namespace reptut::binlog
