// What a statement answers, independent of the wire: the engine writes its
// answer to a ResponseSink, the network layer turns it into OK / ERR /
// result-set packets, and the replica's SQL thread can use a sink that only
// keeps the status. Exactly one of these sequences is sent per statement:
//   SendOk | SendError | SendColumns, SendRow*, SendEof
// (SendError may also follow SendColumns/SendRow when a row fails midway).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "common/mysql_types.h"
#include "common/status.h"

namespace reptut::engine {

struct ColumnInfo {
  std::string schema;     // database
  std::string table;      // table alias
  std::string org_table;  // physical table
  std::string name;       // column alias
  std::string org_name;   // physical column
  uint16_t charset = mysql::kUtf8GeneralCi;
  uint32_t length = 0;  // display length
  mysql::FieldType type = mysql::kTypeVarString;
  uint16_t flags = 0;
  uint8_t decimals = 0;
};

struct OkInfo {
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  uint16_t warnings = 0;
  std::string info;  // e.g. "Records: 2  Duplicates: 0  Warnings: 0"
};

// One row of the text protocol: each value is its text form or NULL.
using Row = std::vector<std::optional<std::string>>;

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // status_flags carry mysql::ServerStatus bits (autocommit, in transaction,
  // more results exist) as the engine computed them.
  virtual void SendOk(const OkInfo& ok, uint16_t status_flags) = 0;
  virtual void SendError(const Error& error) = 0;
  virtual void SendColumns(const std::vector<ColumnInfo>& columns) = 0;
  // Returns false when the client is gone; the engine stops producing rows.
  virtual bool SendRow(const Row& row) = 0;
  virtual void SendEof(uint16_t warnings, uint16_t status_flags) = 0;
  // LOAD DATA LOCAL INFILE (exec_load.cc): asks the client for `file` and
  // returns what it sent. A sink with no client behind it refuses (1148).
  virtual Result<std::string> ReadLocalFile(const std::string& /*file*/) {
    return MakeError(ER_NOT_ALLOWED_COMMAND);
  }
};

}  // namespace reptut::engine
