// The master.info file a replica keeps: the connection settings of CHANGE
// MASTER TO and how far the I/O thread has read the master's binary log.
// A pure codec (text in, text out); replica.cc reads and writes the file.
//
// THE FILE (MySQL 5.7's Master_info::write_info): one value per line; the
// first line is the number of lines of the file, counting itself. 5.7
// writes 25 lines:
//
//    line  value                         SHOW SLAVE STATUS column
//     1    25                            (number of lines)
//     2    master-bin.000002             Master_Log_File
//     3    751                           Read_Master_Log_Pos
//     4    127.0.0.1                     Master_Host
//     5    repl_user                     Master_User
//     6    xyzzy                         (the password, in clear)
//     7    3306                          Master_Port
//     8    60                            Connect_Retry
//     9    0                             Master_SSL_Allowed (0/1)
//    10-14 (empty)                       Master_SSL_CA_File, _CA_Path, _Cert, _Cipher, _Key
//    15    0                             Master_SSL_Verify_Server_Cert (0/1)
//    16    30.000                        heartbeat period, seconds, 3 decimals
//    17    (empty)                       Master_Bind
//    18    0 | 2 5 7                     Replicate_Ignore_Server_Ids: the count, then the ids
//    19    (empty or the uuid)           Master_UUID
//    20    86400                         Master_Retry_Count
//    21-22 (empty)                       Master_SSL_Crl, Master_SSL_Crlpath
//    23    0                             Auto_Position (0/1)
//    24    (empty)                       Channel_Name
//    25    (empty)                       Master_TLS_Version
//
// Older servers wrote a prefix of these lines and a smaller count: 14
// (MySQL 4.1 to 5.1.15, up to Master_SSL_Key), 15 (5.1.16 on, with the
// verify line), 18 (5.5), 23 (5.6). MySQL 4.0 wrote no count: its first
// line is the log name (a name with an extension, so never a number) and
// the file has 7 lines (log name to Connect_Retry). MariaDB 10.x writes a
// count of 33: lines 1-22 as above except that 19 and 20 are unused
// placeholders ("" and 0), lines 23-33 are empty (kept for MySQL's future
// lines), then `key=value` lines (using_gtid=, do_domain_ids=,
// ignore_domain_ids=) and END_MARKER.
//
// The file is rewritten in place, not truncated: lines after the count
// (MariaDB's key=value lines, a longer earlier version) are not values.
//
// PARSING (what MySQL's Master_info::read_info does, more strictly):
//  - a first line that is a number of 14 or more is the line count; a first
//    line that is not a number (or is empty) is the log name of a MySQL 4.0
//    file, as MySQL reads it; a number below 14 is an error (MySQL would take
//    it for a log name, which a binary log's name never is);
//  - the lines up to the password (log name, position, host, user,
//    password) must be there; the lines a short file lacks after those take
//    MasterInfo's defaults (MySQL does the same for port and retry);
//  - numbers must be decimal numbers in their column's range, flags 0 or 1
//    (MySQL would read 'abc' as 0 and go on from position 0);
//  - a trailing '\r' (a file edited on Windows) is dropped from each line.
// Errors are ER_MASTER_INFO values whose message says the file, the line and
// what is wrong: "master.info line 3: 'abc' is not a number (Read_Master_Log_Pos)".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reptut::replication {

struct MasterInfo {
  std::string log_file;              // Master_Log_File; "" = the master's first log
  uint64_t log_pos = 4;              // Read_Master_Log_Pos
  std::string host, user, password;  // password in clear, as MySQL keeps it
  uint16_t port = 3306;
  uint32_t connect_retry = 60;
  bool ssl = false;
  std::string ssl_ca, ssl_capath, ssl_cert, ssl_cipher, ssl_key;
  bool ssl_verify_server_cert = false;
  double heartbeat_period = 30.0;  // seconds
  std::string bind;
  std::vector<uint32_t> ignore_server_ids;
  std::string master_uuid;
  uint64_t retry_count = 86400;
  std::string ssl_crl, ssl_crlpath;
  bool auto_position = false;
  std::string channel, tls_version;

  bool operator==(const MasterInfo&) const = default;
};

// Number of lines MySQL 5.7 writes (and puts on the first line).
inline constexpr int kMasterInfoLines = 25;

// The file's text in MySQL 5.7's layout (25 lines, each ending in '\n').
// Values are written as they are: one holding a newline would break the
// layout, so CHANGE MASTER TO must not accept such values.
std::string FormatMasterInfo(const MasterInfo& mi);

// Reads any of the layouts above. `file_name` names the file in errors.
Result<MasterInfo> ParseMasterInfo(std::string_view text, std::string_view file_name);

namespace internal {

// The lines of an info file (master.info, relay-log.info) and the checks
// both parsers make on them; errors read "<file> line N: <what>".
class InfoLines {
 public:
  InfoLines(std::string_view text, std::string_view file_name, uint16_t error_code);

  // True when the text holds nothing but whitespace.
  bool blank() const { return blank_; }
  size_t count() const { return lines_.size(); }
  // Line `n` (1-based) without its '\n' (and '\r'); n <= count().
  std::string_view at(size_t n) const { return lines_[n - 1]; }

  Error Fail(size_t n, std::string_view what) const;
  Error FailFile(std::string_view what) const;  // "<file>: <what>"
  // "<file> line N: missing <column> (the file has M lines)".
  Error Missing(size_t n, std::string_view column) const;
  // A decimal number in [0, max]; `column` names it in errors.
  Result<uint64_t> Number(size_t n, std::string_view column, uint64_t max) const;
  // "0" or "1".
  Result<bool> Flag(size_t n, std::string_view column) const;

 private:
  std::vector<std::string_view> lines_;
  std::string file_;
  uint16_t code_;
  bool blank_ = true;
};

// True when `s` is one or more ASCII digits.
bool AllDigits(std::string_view s);

}  // namespace internal

}  // namespace reptut::replication
