// engine::ResponseSink that writes the answer of one command as packets
// (protocol 4.1 with EOF packets):
//   SendOk      -> OK
//   SendError   -> ERR (also in place of the final EOF after rows)
//   SendColumns -> column count, a column definition per column, EOF
//   SendRow     -> a text row
//   SendEof     -> EOF
// In field-list mode (COM_FIELD_LIST) SendColumns writes only the column
// definitions, each with a NULL default value, as mysqld does. In binary
// mode (COM_STMT_EXECUTE) rows are converted to the binary protocol by the
// columns' types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

#include "engine/response.h"
#include "net/packet_channel.h"
#include "protocol/responses.h"

namespace reptut::net {

// An engine column as the protocol's column definition packet carries it.
protocol::ColumnDefinition ToColumnDefinition(const engine::ColumnInfo& c);

// LOAD DATA LOCAL INFILE (engine/exec_load.cc): ReadLocalFile sends the
// 0xFB request naming `file`, then reads the packets the client sends up to
// its empty one: their concatenation is the file. A connection failure is
// an error (1158/1159/1153).
class WireSink : public engine::ResponseSink {
 public:
  // kBinaryResultSet: rows in the binary protocol (COM_STMT_EXECUTE).
  enum class Mode { kResultSet, kFieldList, kBinaryResultSet };

  // *status_flags: the last server status sent, updated by SendOk/SendEof;
  // the EOF after the column definitions carries it.
  WireSink(PacketChannel& channel, uint16_t* status_flags, Mode mode = Mode::kResultSet)
      : channel_(channel), status_flags_(status_flags), mode_(mode) {}

  void SendOk(const engine::OkInfo& ok, uint16_t status_flags) override;
  void SendError(const Error& error) override;
  void SendColumns(const std::vector<engine::ColumnInfo>& columns) override;
  bool SendRow(const engine::Row& row) override;
  void SendEof(uint16_t warnings, uint16_t status_flags) override;
  Result<std::string> ReadLocalFile(const std::string& file) override;

  // Whether the statement's answer has been finished (OK, ERR or final EOF).
  bool finished() const { return finished_; }
  // Whether anything at all was sent.
  bool responded() const { return responded_; }

 private:
  PacketChannel& channel_;
  uint16_t* status_flags_;
  Mode mode_;
  bool responded_ = false;
  bool finished_ = false;
  std::string row_;                      // reused buffer for row payloads
  std::vector<mysql::FieldType> types_;  // binary mode: the columns' types
  std::vector<bool> unsigned_;
};

}  // namespace reptut::net
