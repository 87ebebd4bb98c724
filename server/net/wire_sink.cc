#include "net/wire_sink.h"

#include "common/errors.h"
#include "protocol/prepared.h"
#include "protocol/responses.h"

namespace reptut::net {

protocol::ColumnDefinition ToColumnDefinition(const engine::ColumnInfo& c) {
  protocol::ColumnDefinition d;
  d.schema = c.schema;
  d.table = c.table;
  d.org_table = c.org_table;
  d.name = c.name;
  d.org_name = c.org_name;
  d.charset = c.charset;
  d.length = c.length;
  d.type = c.type;
  d.flags = c.flags;
  d.decimals = c.decimals;
  return d;
}

void WireSink::SendOk(const engine::OkInfo& ok, uint16_t status_flags) {
  protocol::OkPacket p;
  p.affected_rows = ok.affected_rows;
  p.last_insert_id = ok.last_insert_id;
  p.status_flags = status_flags;
  p.warnings = ok.warnings;
  p.info = ok.info;
  channel_.Write(protocol::EncodeOk(p));
  *status_flags_ = status_flags;
  responded_ = finished_ = true;
}

void WireSink::SendError(const Error& error) {
  channel_.Write(protocol::EncodeErr(error));
  responded_ = finished_ = true;
}

void WireSink::SendColumns(const std::vector<engine::ColumnInfo>& columns) {
  responded_ = true;
  finished_ = false;
  bool field_list = mode_ == Mode::kFieldList;
  if (!field_list) channel_.Write(protocol::EncodeColumnCount(columns.size()));
  types_.clear();
  unsigned_.clear();
  for (const engine::ColumnInfo& c : columns) {
    types_.push_back(c.type);
    unsigned_.push_back(c.flags & mysql::kUnsignedFlag);
  }
  for (const engine::ColumnInfo& c : columns) {
    channel_.Write(protocol::EncodeColumnDefinition(ToColumnDefinition(c), field_list));
  }
  // The field list ends with the engine's SendEof; a result set's metadata
  // ends here.
  if (!field_list) {
    channel_.Write(protocol::EncodeEof(
        0, static_cast<uint16_t>(*status_flags_ & ~mysql::kStatusMoreResultsExist)));
  }
}

bool WireSink::SendRow(const engine::Row& row) {
  row_.clear();
  if (mode_ == Mode::kBinaryResultSet) {
    protocol::AppendBinaryRow(&row_, row, types_, unsigned_);
  } else {
    protocol::AppendTextRow(&row_, row);
  }
  channel_.Write(row_);
  if (row_.capacity() > (1u << 20)) std::string().swap(row_);
  return !channel_.broken();
}

void WireSink::SendEof(uint16_t warnings, uint16_t status_flags) {
  channel_.Write(protocol::EncodeEof(warnings, status_flags));
  *status_flags_ = status_flags;
  responded_ = finished_ = true;
}

Result<std::string> WireSink::ReadLocalFile(const std::string& file) {
  std::string request(1, '\xfb');
  request += file;
  channel_.Write(request);
  if (!channel_.Flush()) return MakeError(reptut::ER_NET_ERROR_ON_WRITE);
  std::string data;
  for (;;) {
    Result<std::string> packet = channel_.Read();
    if (!packet.ok()) return packet.error();
    if (packet->empty()) break;
    data += *packet;
  }
  return data;
}

}  // namespace reptut::net
