// master.info: MySQL 5.7's layout written, 4.0 to 5.7 and MariaDB 10.x
// layouts read (see master_info.h for the lines).
#include "replication/master_info.h"

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <type_traits>

#include "common/errors.h"

namespace reptut::replication {
namespace internal {

InfoLines::InfoLines(std::string_view text, std::string_view file_name, uint16_t error_code)
    : file_(file_name), code_(error_code) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      blank_ = false;
      break;
    }
  }
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines_.push_back(line);
    start = end + 1;
  }
}

Error InfoLines::Fail(size_t n, std::string_view what) const {
  return MakeErrorMsg(code_, file_ + " line " + std::to_string(n) + ": " + std::string(what));
}

Error InfoLines::FailFile(std::string_view what) const {
  return MakeErrorMsg(code_, file_ + ": " + std::string(what));
}

Error InfoLines::Missing(size_t n, std::string_view column) const {
  return Fail(n, "missing " + std::string(column) + " (the file has " +
                     std::to_string(lines_.size()) + (lines_.size() == 1 ? " line)" : " lines)"));
}

Result<uint64_t> InfoLines::Number(size_t n, std::string_view column, uint64_t max) const {
  std::string_view s = at(n);
  if (!AllDigits(s)) {
    return Fail(n, "'" + std::string(s) + "' is not a number (" + std::string(column) + ")");
  }
  uint64_t v = 0;
  for (char c : s) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) {
      v = std::numeric_limits<uint64_t>::max();
      break;
    }
    v = v * 10 + d;
  }
  if (v > max) {
    return Fail(n, std::string(s) + " is out of range for " + std::string(column) + " (0 to " +
                       std::to_string(max) + ")");
  }
  return v;
}

Result<bool> InfoLines::Flag(size_t n, std::string_view column) const {
  std::string_view s = at(n);
  if (s == "0") return false;
  if (s == "1") return true;
  return Fail(n, "'" + std::string(s) + "' is not 0 or 1 (" + std::string(column) + ")");
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace internal

namespace {

using internal::InfoLines;

// MySQL's enum of master.info lines (rpl_mi.cc), as value numbers: value v
// is on line v + 1 of a file with a count line.
enum Value : size_t {
  kLogName = 1,
  kLogPos,
  kHost,
  kUser,
  kPassword,
  kPort,
  kConnectRetry,
  kSsl,
  kSslCa,
  kSslCapath,
  kSslCert,
  kSslCipher,
  kSslKey,
  kSslVerify,     // 5.1.16
  kHeartbeat,     // 5.5
  kBind,          // MySQL Cluster 6.3
  kIgnoreIds,     // 5.5
  kUuid,          // 5.6
  kRetryCount,    // 5.6
  kSslCrl,        // 5.6
  kSslCrlpath,    // 5.6
  kAutoPosition,  // 5.6
  kChannel,       // 5.7
  kTlsVersion,    // 5.7
};

constexpr const char* kColumn[] = {
    "",
    "Master_Log_File",
    "Read_Master_Log_Pos",
    "Master_Host",
    "Master_User",
    "Master_Password",
    "Master_Port",
    "Connect_Retry",
    "Master_SSL_Allowed",
    "Master_SSL_CA_File",
    "Master_SSL_CA_Path",
    "Master_SSL_Cert",
    "Master_SSL_Cipher",
    "Master_SSL_Key",
    "Master_SSL_Verify_Server_Cert",
    "Master_Heartbeat_Period",
    "Master_Bind",
    "Replicate_Ignore_Server_Ids",
    "Master_UUID",
    "Master_Retry_Count",
    "Master_SSL_Crl",
    "Master_SSL_Crlpath",
    "Auto_Position",
    "Channel_Name",
    "Master_TLS_Version",
};
static_assert(sizeof(kColumn) / sizeof(kColumn[0]) == kTlsVersion + 1);

// A count line below this makes MySQL read the first line as a log name.
constexpr uint64_t kLinesWithSsl = 14;
// MariaDB's count: lines 23-33 are reserved for MySQL, key=value lines follow.
constexpr uint64_t kMariaDbLines = 33;
// MySQL's SLAVE_MAX_HEARTBEAT_PERIOD (seconds).
constexpr double kMaxHeartbeat = 4294967.0;

Result<double> ParseHeartbeat(const InfoLines& in, size_t n) {
  std::string_view s = in.at(n);
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (!internal::AllDigits(whole) ||
      (dot != std::string_view::npos && !internal::AllDigits(frac))) {
    return in.Fail(
        n, "'" + std::string(s) + "' is not a number of seconds (" + kColumn[kHeartbeat] + ")");
  }
  double v = std::strtod(std::string(s).c_str(), nullptr);
  if (v > kMaxHeartbeat) {
    return in.Fail(n, std::string(s) + " is out of range for " + kColumn[kHeartbeat] +
                          " (0 to 4294967 seconds)");
  }
  return v;
}

// "0", or "2 5 7": the count, then the ids.
Result<std::vector<uint32_t>> ParseIgnoreIds(const InfoLines& in, size_t n) {
  std::string_view s = in.at(n);
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  std::vector<uint32_t> ids;
  if (words.empty()) return ids;  // an empty line: none (MySQL reads it so)
  auto number = [&](std::string_view w, uint64_t max) -> std::optional<uint64_t> {
    if (!internal::AllDigits(w) || w.size() > 10) return std::nullopt;
    uint64_t v = std::strtoull(std::string(w).c_str(), nullptr, 10);
    if (v > max) return std::nullopt;
    return v;
  };
  std::optional<uint64_t> count = number(words[0], UINT32_MAX);
  if (!count) {
    return in.Fail(n, "'" + std::string(s) + "' does not start with the number of ids (" +
                          kColumn[kIgnoreIds] + ")");
  }
  if (*count != words.size() - 1) {
    return in.Fail(n, "'" + std::string(s) + "' says " + std::to_string(*count) +
                          " server ids and lists " + std::to_string(words.size() - 1) + " (" +
                          kColumn[kIgnoreIds] + ")");
  }
  for (size_t k = 1; k < words.size(); ++k) {
    std::optional<uint64_t> id = number(words[k], UINT32_MAX);
    if (!id) {
      return in.Fail(
          n, "'" + std::string(words[k]) + "' is not a server id (" + kColumn[kIgnoreIds] + ")");
    }
    ids.push_back(static_cast<uint32_t>(*id));
  }
  return ids;
}

std::string FormatHeartbeat(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", seconds);
  return buf;
}

}  // namespace

std::string FormatMasterInfo(const MasterInfo& mi) {
  std::string ids = std::to_string(mi.ignore_server_ids.size());
  for (uint32_t id : mi.ignore_server_ids) ids += " " + std::to_string(id);
  const std::string values[] = {
      std::to_string(kMasterInfoLines),
      mi.log_file,
      std::to_string(mi.log_pos),
      mi.host,
      mi.user,
      mi.password,
      std::to_string(mi.port),
      std::to_string(mi.connect_retry),
      mi.ssl ? "1" : "0",
      mi.ssl_ca,
      mi.ssl_capath,
      mi.ssl_cert,
      mi.ssl_cipher,
      mi.ssl_key,
      mi.ssl_verify_server_cert ? "1" : "0",
      FormatHeartbeat(mi.heartbeat_period),
      mi.bind,
      ids,
      mi.master_uuid,
      std::to_string(mi.retry_count),
      mi.ssl_crl,
      mi.ssl_crlpath,
      mi.auto_position ? "1" : "0",
      mi.channel,
      mi.tls_version,
  };
  static_assert(sizeof(values) / sizeof(values[0]) == kMasterInfoLines);
  std::string out;
  for (const std::string& v : values) {
    out += v;
    out += '\n';
  }
  return out;
}

Result<MasterInfo> ParseMasterInfo(std::string_view text, std::string_view file_name) {
  InfoLines in(text, file_name, ER_MASTER_INFO);
  if (in.blank()) return in.FailFile("the file is empty");

  // The count line, or a MySQL 4.0 file that starts with the log name.
  size_t offset = 0;     // value v is on line v + offset
  size_t values = 7;     // values the file says it has
  bool mariadb = false;  // MariaDB's 33-line layout
  std::string_view first = in.at(1);
  if (internal::AllDigits(first)) {
    Result<uint64_t> count = in.Number(1, "the number of lines", UINT32_MAX);
    if (!count.ok()) return count.error();
    if (*count < kLinesWithSsl) {
      return in.Fail(1, "the line count " + std::string(first) +
                            " is too small (a master.info file with a line count has at "
                            "least 14 lines; one without starts with the log file name)");
    }
    offset = 1;
    values = static_cast<size_t>(*count) - 1;
    // MySQL always writes Auto_Position (0/1) on line 23; MariaDB leaves it empty.
    mariadb = *count >= kMariaDbLines && in.count() >= kAutoPosition + offset &&
              in.at(kAutoPosition + offset).empty();
  }

  MasterInfo mi;
  auto line_of = [&](size_t v) { return v + offset; };
  auto has = [&](size_t v) { return v <= values && line_of(v) <= in.count(); };
  // The values up to the password have no default; the checks go line by
  // line so that the first error is the first bad line.
  auto need = [&](size_t v) -> Status {
    if (v <= kPassword && !has(v)) return in.Missing(line_of(v), kColumn[v]);
    return Status::Ok();
  };
  auto str = [&](size_t v, std::string& out) -> Status {
    REPTUT_RETURN_IF_ERROR(need(v));
    if (has(v)) out = std::string(in.at(line_of(v)));
    return Status::Ok();
  };
  auto number = [&](size_t v, uint64_t max, auto& out) -> Status {
    REPTUT_RETURN_IF_ERROR(need(v));
    if (!has(v)) return Status::Ok();
    Result<uint64_t> r = in.Number(line_of(v), kColumn[v], max);
    if (!r.ok()) return r.error();
    out = static_cast<std::remove_reference_t<decltype(out)>>(*r);
    return Status::Ok();
  };
  auto flag = [&](size_t v, bool& out) -> Status {
    if (!has(v)) return Status::Ok();
    Result<bool> r = in.Flag(line_of(v), kColumn[v]);
    if (!r.ok()) return r.error();
    out = *r;
    return Status::Ok();
  };

  REPTUT_RETURN_IF_ERROR(str(kLogName, mi.log_file));
  REPTUT_RETURN_IF_ERROR(number(kLogPos, UINT64_MAX, mi.log_pos));
  REPTUT_RETURN_IF_ERROR(str(kHost, mi.host));
  REPTUT_RETURN_IF_ERROR(str(kUser, mi.user));
  REPTUT_RETURN_IF_ERROR(str(kPassword, mi.password));
  REPTUT_RETURN_IF_ERROR(number(kPort, 65535, mi.port));
  REPTUT_RETURN_IF_ERROR(number(kConnectRetry, UINT32_MAX, mi.connect_retry));
  REPTUT_RETURN_IF_ERROR(flag(kSsl, mi.ssl));
  REPTUT_RETURN_IF_ERROR(str(kSslCa, mi.ssl_ca));
  REPTUT_RETURN_IF_ERROR(str(kSslCapath, mi.ssl_capath));
  REPTUT_RETURN_IF_ERROR(str(kSslCert, mi.ssl_cert));
  REPTUT_RETURN_IF_ERROR(str(kSslCipher, mi.ssl_cipher));
  REPTUT_RETURN_IF_ERROR(str(kSslKey, mi.ssl_key));
  REPTUT_RETURN_IF_ERROR(flag(kSslVerify, mi.ssl_verify_server_cert));
  if (has(kHeartbeat)) {
    Result<double> hb = ParseHeartbeat(in, line_of(kHeartbeat));
    if (!hb.ok()) return hb.error();
    mi.heartbeat_period = *hb;
  }
  REPTUT_RETURN_IF_ERROR(str(kBind, mi.bind));
  if (has(kIgnoreIds)) {
    Result<std::vector<uint32_t>> ids = ParseIgnoreIds(in, line_of(kIgnoreIds));
    if (!ids.ok()) return ids.error();
    mi.ignore_server_ids = std::move(*ids);
  }
  if (!mariadb) {
    // MariaDB's lines 19 and 20 are placeholders ("" and 0), not values.
    REPTUT_RETURN_IF_ERROR(str(kUuid, mi.master_uuid));
    REPTUT_RETURN_IF_ERROR(number(kRetryCount, UINT64_MAX, mi.retry_count));
  }
  REPTUT_RETURN_IF_ERROR(str(kSslCrl, mi.ssl_crl));
  REPTUT_RETURN_IF_ERROR(str(kSslCrlpath, mi.ssl_crlpath));
  if (!mariadb) {
    // MariaDB's lines 23-33 are empty, kept for MySQL's lines.
    REPTUT_RETURN_IF_ERROR(flag(kAutoPosition, mi.auto_position));
    REPTUT_RETURN_IF_ERROR(str(kChannel, mi.channel));
    REPTUT_RETURN_IF_ERROR(str(kTlsVersion, mi.tls_version));
  }
  return mi;
}

}  // namespace reptut::replication
