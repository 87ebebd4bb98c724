#include "binlog/event_info.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "binlog/byte_order.h"
#include "binlog/load_events.h"

namespace reptut::binlog {
namespace {

struct CollationEntry {
  uint16_t id;
  const char* charset;
  const char* collation;
};

// The collations a MySQL 5.7 server ships most often; ids as in
// INFORMATION_SCHEMA.COLLATIONS.
constexpr CollationEntry kCollations[] = {
    {1, "big5", "big5_chinese_ci"},
    {2, "latin2", "latin2_czech_cs"},
    {3, "dec8", "dec8_swedish_ci"},
    {4, "cp850", "cp850_general_ci"},
    {5, "latin1", "latin1_german1_ci"},
    {6, "hp8", "hp8_english_ci"},
    {7, "koi8r", "koi8r_general_ci"},
    {8, "latin1", "latin1_swedish_ci"},
    {9, "latin2", "latin2_general_ci"},
    {10, "swe7", "swe7_swedish_ci"},
    {11, "ascii", "ascii_general_ci"},
    {12, "ujis", "ujis_japanese_ci"},
    {13, "sjis", "sjis_japanese_ci"},
    {14, "cp1251", "cp1251_bulgarian_ci"},
    {15, "latin1", "latin1_danish_ci"},
    {16, "hebrew", "hebrew_general_ci"},
    {18, "tis620", "tis620_thai_ci"},
    {19, "euckr", "euckr_korean_ci"},
    {20, "latin7", "latin7_estonian_cs"},
    {21, "latin2", "latin2_hungarian_ci"},
    {22, "koi8u", "koi8u_general_ci"},
    {23, "cp1251", "cp1251_ukrainian_ci"},
    {24, "gb2312", "gb2312_chinese_ci"},
    {25, "greek", "greek_general_ci"},
    {26, "cp1250", "cp1250_general_ci"},
    {27, "latin2", "latin2_croatian_ci"},
    {28, "gbk", "gbk_chinese_ci"},
    {29, "cp1257", "cp1257_lithuanian_ci"},
    {30, "latin5", "latin5_turkish_ci"},
    {31, "latin1", "latin1_german2_ci"},
    {32, "armscii8", "armscii8_general_ci"},
    {33, "utf8", "utf8_general_ci"},
    {35, "ucs2", "ucs2_general_ci"},
    {36, "cp866", "cp866_general_ci"},
    {37, "keybcs2", "keybcs2_general_ci"},
    {38, "macce", "macce_general_ci"},
    {39, "macroman", "macroman_general_ci"},
    {40, "cp852", "cp852_general_ci"},
    {41, "latin7", "latin7_general_ci"},
    {45, "utf8mb4", "utf8mb4_general_ci"},
    {46, "utf8mb4", "utf8mb4_bin"},
    {47, "latin1", "latin1_bin"},
    {48, "latin1", "latin1_general_ci"},
    {49, "latin1", "latin1_general_cs"},
    {51, "cp1251", "cp1251_general_ci"},
    {54, "utf16", "utf16_general_ci"},
    {57, "cp1256", "cp1256_general_ci"},
    {59, "cp1257", "cp1257_general_ci"},
    {60, "utf32", "utf32_general_ci"},
    {63, "binary", "binary"},
    {65, "ascii", "ascii_bin"},
    {83, "utf8", "utf8_bin"},
    {95, "cp932", "cp932_japanese_ci"},
    {97, "eucjpms", "eucjpms_japanese_ci"},
    {192, "utf8", "utf8_unicode_ci"},
    {224, "utf8mb4", "utf8mb4_unicode_ci"},
    {246, "utf8mb4", "utf8mb4_unicode_520_ci"},
    {255, "utf8mb4", "utf8mb4_0900_ai_ci"},
};

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

std::string Hex(std::string_view s) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string FormatGtid(uint32_t domain, uint32_t server, uint64_t seq) {
  return std::to_string(domain) + "-" + std::to_string(server) + "-" + std::to_string(seq);
}

std::string UserVarValue(const UserVarEvent& e, InfoStyle style) {
  if (e.is_null) return "NULL";
  switch (e.value_type) {
    case kRealResult: {
      double d;
      uint64_t bits = bytes::Get64(e.value.data());
      memcpy(&d, &bits, sizeof d);
      // The shortest text that reads back as the same double (my_gcvt's
      // behaviour for MySQL 5.7's 17-character field).
      char buf[64];
      for (int precision = 1; precision <= 17; ++precision) {
        snprintf(buf, sizeof buf, "%.*g", precision, d);
        if (strtod(buf, nullptr) == d) break;
      }
      return buf;
    }
    case kIntResult: {
      uint64_t v = bytes::Get64(e.value.data());
      bool is_unsigned = e.flags && (*e.flags & kUserVarUnsignedFlag);
      return is_unsigned ? std::to_string(v) : std::to_string(static_cast<int64_t>(v));
    }
    case kDecimalResult: {
      std::string out;
      if (e.value.size() >= 2 && DecimalToString(uint8_t(e.value[0]), uint8_t(e.value[1]),
                                                 std::string_view(e.value).substr(2), &out)) {
        return out;
      }
      return "???";
    }
    case kStringResult: {
      std::string cs, coll;
      if (!CollationNames(e.charset, style, &cs, &coll)) return "???";
      if (style == InfoStyle::kMariaDb) {
        return "_" + cs + " X'" + Hex(e.value) + "' COLLATE " + coll;
      }
      std::string hex = e.value.empty() ? std::string("\"\"") : "0x" + Hex(e.value);
      return "_" + cs + " " + hex + " COLLATE " + coll;
    }
    default:
      return "???";
  }
}

}  // namespace

bool CollationNames(uint32_t id, InfoStyle style, std::string* charset, std::string* collation) {
  for (const auto& c : kCollations) {
    if (c.id != id) continue;
    *charset = c.charset;
    *collation = c.collation;
    if (style == InfoStyle::kMariaDb && *charset == "utf8") {
      *charset = "utf8mb3";
      collation->replace(0, 4, "utf8mb3");
    }
    return true;
  }
  return false;
}

bool DecimalToString(uint8_t precision, uint8_t scale, std::string_view bin, std::string* out) {
  static const int kDigBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  if (precision == 0 || scale > precision || precision > 65) return false;
  int intg = precision - scale;
  int intg0 = intg / 9, intg0x = intg % 9, frac0 = scale / 9, frac0x = scale % 9;
  size_t size = size_t(intg0) * 4 + kDigBytes[intg0x] + size_t(frac0) * 4 + kDigBytes[frac0x];
  if (bin.size() < size) return false;
  std::string b(bin.substr(0, size));
  bool negative = !(uint8_t(b[0]) & 0x80);
  b[0] = static_cast<char>(b[0] ^ 0x80);
  if (negative) {
    for (char& c : b) c = static_cast<char>(~c);
  }
  size_t pos = 0;
  auto read_be = [&](int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | uint8_t(b[pos++]);
    return v;
  };
  auto pad = [](uint32_t v, int width) {
    std::string s = std::to_string(v);
    if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
    return s;
  };
  std::string int_part;
  if (intg0x) int_part += std::to_string(read_be(kDigBytes[intg0x]));
  for (int i = 0; i < intg0; ++i) int_part += pad(read_be(4), 9);
  size_t nz = int_part.find_first_not_of('0');
  int_part = nz == std::string::npos ? "0" : int_part.substr(nz);
  std::string frac_part;
  for (int i = 0; i < frac0; ++i) frac_part += pad(read_be(4), 9);
  if (frac0x) frac_part += pad(read_be(kDigBytes[frac0x]), frac0x);
  if (frac_part.size() > scale || int_part.size() > size_t(intg ? intg : 1)) return false;
  *out = (negative ? "-" : "") + int_part + (scale ? "." + frac_part : "");
  return true;
}

std::string_view EventTypeName(uint8_t type) {
  switch (type) {
    case kStartEventV3:
      return "Start_v3";
    case kQueryEvent:
      return "Query";
    case kStopEvent:
      return "Stop";
    case kRotateEvent:
      return "Rotate";
    case kIntvarEvent:
      return "Intvar";
    case kLoadEvent:
      return "Load";
    case kSlaveEvent:
      return "Slave";
    case kCreateFileEvent:
      return "Create_file";
    case kAppendBlockEvent:
      return "Append_block";
    case kExecLoadEvent:
      return "Exec_load";
    case kDeleteFileEvent:
      return "Delete_file";
    case kNewLoadEvent:
      return "New_load";
    case kRandEvent:
      return "RAND";
    case kUserVarEvent:
      return "User var";
    case kFormatDescriptionEvent:
      return "Format_desc";
    case kXidEvent:
      return "Xid";
    case kBeginLoadQueryEvent:
      return "Begin_load_query";
    case kExecuteLoadQueryEvent:
      return "Execute_load_query";
    case kTableMapEvent:
      return "Table_map";
    case kPreGaWriteRowsEvent:
      return "Write_rows_event_old";
    case kPreGaUpdateRowsEvent:
      return "Update_rows_event_old";
    case kPreGaDeleteRowsEvent:
      return "Delete_rows_event_old";
    case kWriteRowsEventV1:
      return "Write_rows_v1";
    case kUpdateRowsEventV1:
      return "Update_rows_v1";
    case kDeleteRowsEventV1:
      return "Delete_rows_v1";
    case kIncidentEvent:
      return "Incident";
    case kHeartbeatEvent:
      return "Heartbeat";
    case kIgnorableEvent:
      return "Ignorable";
    case kRowsQueryEvent:
      return "Rows_query";
    case kWriteRowsEvent:
      return "Write_rows";
    case kUpdateRowsEvent:
      return "Update_rows";
    case kDeleteRowsEvent:
      return "Delete_rows";
    case kMysqlGtidEvent:
      return "Gtid";
    case kAnonymousGtidEvent:
      return "Anonymous_Gtid";
    case kPreviousGtidsEvent:
      return "Previous_gtids";
    case kTransactionContextEvent:
      return "Transaction_context";
    case kViewChangeEvent:
      return "View_change";
    case kXaPrepareEvent:
      return "XA_prepare";
    case kAnnotateRowsEvent:
      return "Annotate_rows";
    case kBinlogCheckpointEvent:
      return "Binlog_checkpoint";
    case kGtidEvent:
      return "Gtid";
    case kGtidListEvent:
      return "Gtid_list";
    case kStartEncryptionEvent:
      return "Start_encryption";
    default:
      return "Unknown";
  }
}

std::string EventInfo(const Event& event, InfoStyle style) {
  const EventBody& b = event.body;
  if (const auto* e = std::get_if<FormatDescriptionEvent>(&b)) {
    return "Server ver: " + e->server_version +
           ", Binlog ver: " + std::to_string(e->binlog_version);
  }
  if (const auto* e = std::get_if<QueryEvent>(&b)) {
    std::string out;
    if (!(event.header.flags & kFlagSuppressUse) && !e->db.empty()) {
      out = "use " + QuoteIdentifier(e->db) + "; ";
    }
    return out + e->query;
  }
  if (const auto* e = std::get_if<IntvarEvent>(&b)) {
    const char* name = e->kind == kInsertIdEvent       ? "INSERT_ID"
                       : e->kind == kLastInsertIdEvent ? "LAST_INSERT_ID"
                                                       : "INVALID_INT";
    return std::string(name) + "=" + std::to_string(e->value);
  }
  if (const auto* e = std::get_if<RandEvent>(&b)) {
    return "rand_seed1=" + std::to_string(e->seed1) + ",rand_seed2=" + std::to_string(e->seed2);
  }
  if (const auto* e = std::get_if<UserVarEvent>(&b)) {
    return "@" + QuoteIdentifier(e->name) + "=" + UserVarValue(*e, style);
  }
  if (const auto* e = std::get_if<XidEvent>(&b)) {
    return "COMMIT /* xid=" + std::to_string(e->xid) + " */";
  }
  if (const auto* e = std::get_if<RotateEvent>(&b)) {
    return e->next_file + ";pos=" + std::to_string(e->position);
  }
  if (const auto* e = std::get_if<GtidEvent>(&b)) {
    std::string out = (e->flags2 & kGtidStandalone) ? "" : "BEGIN ";
    return out + "GTID " + FormatGtid(e->domain_id, event.header.server_id, e->seq_no);
  }
  if (const auto* e = std::get_if<GtidListEvent>(&b)) {
    std::string out = "[";
    for (size_t i = 0; i < e->gtids.size(); ++i) {
      if (i) out += ",";
      out += FormatGtid(e->gtids[i].domain_id, e->gtids[i].server_id, e->gtids[i].seq_no);
    }
    return out + "]";
  }
  if (const auto* e = std::get_if<BinlogCheckpointEvent>(&b)) return e->file;
  if (const auto* e = std::get_if<AnnotateRowsEvent>(&b)) return e->query;
  if (std::holds_alternative<OtherEvent>(b)) return LoadEventInfo(event);
  return "";
}

}  // namespace reptut::binlog
