#include "protocol/responses.h"

#include <algorithm>
#include <cstdint>

#include "protocol/wire.h"

namespace reptut::protocol {

std::string EncodeOk(const OkPacket& ok) {
  std::string out;
  PutInt1(&out, 0x00);
  PutLenencInt(&out, ok.affected_rows);
  PutLenencInt(&out, ok.last_insert_id);
  PutInt2(&out, ok.status_flags);
  PutInt2(&out, ok.warnings);
  // mysqld writes the info text length-encoded, and only when there is one.
  if (!ok.info.empty()) PutLenencString(&out, ok.info);
  return out;
}

Result<OkPacket> DecodeOk(std::string_view payload) {
  WireReader r(payload);
  uint8_t tag = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&tag));
  if (tag != 0x00 && tag != 0xFE) return MalformedPacketError();
  OkPacket ok;
  REPTUT_RETURN_IF_ERROR(r.ReadLenencInt(&ok.affected_rows));
  REPTUT_RETURN_IF_ERROR(r.ReadLenencInt(&ok.last_insert_id));
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&ok.status_flags));
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&ok.warnings));
  if (!r.at_end()) {
    std::string_view info;
    REPTUT_RETURN_IF_ERROR(r.ReadLenencString(&info));
    ok.info = std::string(info);
  }
  return ok;
}

std::string EncodeErr(const Error& error, bool with_sqlstate) {
  std::string out;
  PutInt1(&out, 0xFF);
  PutInt2(&out, error.code);
  if (with_sqlstate) {
    out.push_back('#');
    std::string state = error.sqlstate;
    state.resize(5, '0');
    out.append(state);
  }
  std::string_view msg = error.message;
  if (msg.size() > kMaxErrorMessageLength) msg = msg.substr(0, kMaxErrorMessageLength);
  out.append(msg);
  return out;
}

std::optional<Error> DecodeErr(std::string_view payload, bool with_sqlstate) {
  WireReader r(payload);
  uint8_t tag = 0;
  if (!r.ReadInt1(&tag).ok() || tag != 0xFF) return std::nullopt;
  Error e;
  if (!r.ReadInt2(&e.code).ok()) return std::nullopt;
  e.sqlstate = "HY000";
  if (with_sqlstate && r.remaining() >= 6 && r.rest()[0] == '#') {
    e.sqlstate = std::string(r.rest().substr(1, 5));
    (void)r.Skip(6);
  }
  e.message = std::string(r.ReadRest());
  return e;
}

std::string EncodeEof(uint16_t warnings, uint16_t status_flags) {
  std::string out;
  PutInt1(&out, 0xFE);
  PutInt2(&out, warnings);
  PutInt2(&out, status_flags);
  return out;
}

bool IsEofPacket(std::string_view payload) {
  return !payload.empty() && static_cast<uint8_t>(payload[0]) == 0xFE && payload.size() < 9;
}

std::string EncodeColumnDefinition(const ColumnDefinition& c, bool for_field_list,
                                   const std::optional<std::string>& default_value) {
  std::string out;
  PutLenencString(&out, c.catalog);
  PutLenencString(&out, c.schema);
  PutLenencString(&out, c.table);
  PutLenencString(&out, c.org_table);
  PutLenencString(&out, c.name);
  PutLenencString(&out, c.org_name);
  PutLenencInt(&out, 0x0C);  // length of the fixed fields
  PutInt2(&out, c.charset);
  PutInt4(&out, c.length);
  PutInt1(&out, c.type);
  PutInt2(&out, c.flags);
  PutInt1(&out, c.decimals);
  PutInt2(&out, 0);  // filler
  if (for_field_list) {
    if (default_value) {
      PutLenencString(&out, *default_value);
    } else {
      PutInt1(&out, kLenencNull);
    }
  }
  return out;
}

Result<ColumnDefinition> DecodeColumnDefinition(std::string_view payload) {
  WireReader r(payload);
  ColumnDefinition c;
  std::string_view s;
  std::string* fields[] = {&c.catalog, &c.schema, &c.table, &c.org_table, &c.name, &c.org_name};
  for (std::string* f : fields) {
    REPTUT_RETURN_IF_ERROR(r.ReadLenencString(&s));
    *f = std::string(s);
  }
  uint64_t fixed = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadLenencInt(&fixed));
  if (fixed < 0x0A) return MalformedPacketError();
  uint8_t type = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&c.charset));
  REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.length));
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&type));
  c.type = static_cast<mysql::FieldType>(type);
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&c.flags));
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&c.decimals));
  return c;
}

std::string EncodeColumnCount(uint64_t count) {
  std::string out;
  PutLenencInt(&out, count);
  return out;
}

void AppendTextRow(std::string* out, const TextRow& row) {
  for (const auto& v : row) {
    if (v) {
      PutLenencString(out, *v);
    } else {
      PutInt1(out, kLenencNull);
    }
  }
}

std::string EncodeTextRow(const TextRow& row) {
  std::string out;
  AppendTextRow(&out, row);
  return out;
}

Result<TextRow> DecodeTextRow(std::string_view payload, size_t columns) {
  WireReader r(payload);
  TextRow row;
  row.reserve(columns);
  for (size_t i = 0; i < columns; ++i) {
    uint64_t n = 0;
    bool is_null = false;
    REPTUT_RETURN_IF_ERROR(r.ReadLenencIntOrNull(&n, &is_null));
    if (is_null) {
      row.emplace_back(std::nullopt);
      continue;
    }
    std::string_view v;
    REPTUT_RETURN_IF_ERROR(r.ReadBytes(static_cast<size_t>(std::min<uint64_t>(n, SIZE_MAX)), &v));
    row.emplace_back(std::string(v));
  }
  if (!r.at_end()) return MalformedPacketError();
  return row;
}

}  // namespace reptut::protocol
