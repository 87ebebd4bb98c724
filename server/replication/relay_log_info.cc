// relay-log.info: MySQL 5.7's layout written; the count-less layout, MySQL
// 5.6/5.7 and MariaDB 10.x layouts read (see relay_log_info.h).
#include "replication/relay_log_info.h"

#include <type_traits>

#include "common/errors.h"
#include "replication/master_info.h"  // internal::InfoLines

namespace reptut::replication {
namespace {

using internal::InfoLines;

// Value numbers: value v is on line v + 1 of a file with a count line.
enum Value : size_t {
  kRelayLogName = 1,
  kRelayLogPos,
  kMasterLogName,
  kMasterLogPos,
  kSqlDelay,  // count 5 (MySQL 5.6, MariaDB)
  kWorkers,   // count 6 (MySQL 5.6.3)
  kId,        // count 7 (MySQL 5.6.4)
  kChannel,   // count 8 (MySQL 5.7 writes it but counts 7)
};

constexpr const char* kColumn[] = {
    "",
    "Relay_Log_File",
    "Relay_Log_Pos",
    "Relay_Master_Log_File",
    "Exec_Master_Log_Pos",
    "SQL_Delay",
    "the number of workers",
    "the id",
};

// A count below this makes MySQL read the first line as a relay log name.
constexpr uint64_t kLinesWithDelay = 5;

}  // namespace

std::string FormatRelayLogInfo(const RelayLogInfo& ri) {
  std::string out = std::to_string(kRelayLogInfoCount) + "\n";
  out += ri.relay_log_file + "\n";
  out += std::to_string(ri.relay_log_pos) + "\n";
  out += ri.master_log_file + "\n";
  out += std::to_string(ri.master_log_pos) + "\n";
  out += std::to_string(ri.sql_delay) + "\n";
  out += std::to_string(ri.workers) + "\n";
  out += std::to_string(ri.id) + "\n";
  out += "\n";  // Channel_Name: the default channel
  return out;
}

Result<RelayLogInfo> ParseRelayLogInfo(std::string_view text, std::string_view file_name) {
  InfoLines in(text, file_name, ER_UNKNOWN_ERROR);
  if (in.blank()) return in.FailFile("the file is empty");

  size_t offset = 0;  // value v is on line v + offset
  size_t values = 4;  // values the file says it has
  std::string_view first = in.at(1);
  if (internal::AllDigits(first)) {
    Result<uint64_t> count = in.Number(1, "the number of values", UINT32_MAX);
    if (!count.ok()) return count.error();
    if (*count < kLinesWithDelay) {
      return in.Fail(1, "the count " + std::string(first) +
                            " is too small (a relay-log.info file with a count has at least "
                            "5 values; one without starts with the relay log name)");
    }
    offset = 1;
    values = static_cast<size_t>(*count);
  }

  auto line_of = [&](size_t v) { return v + offset; };
  auto has = [&](size_t v) { return v <= values && line_of(v) <= in.count(); };
  // The four positions have no default; the checks go line by line so that
  // the first error is the first bad line.
  auto need = [&](size_t v) -> Status {
    if (v <= kMasterLogPos && !has(v)) return in.Missing(line_of(v), kColumn[v]);
    return Status::Ok();
  };
  auto str = [&](size_t v, std::string& out) -> Status {
    REPTUT_RETURN_IF_ERROR(need(v));
    out = std::string(in.at(line_of(v)));
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

  RelayLogInfo ri;
  REPTUT_RETURN_IF_ERROR(str(kRelayLogName, ri.relay_log_file));
  REPTUT_RETURN_IF_ERROR(number(kRelayLogPos, UINT64_MAX, ri.relay_log_pos));
  REPTUT_RETURN_IF_ERROR(str(kMasterLogName, ri.master_log_file));
  REPTUT_RETURN_IF_ERROR(number(kMasterLogPos, UINT64_MAX, ri.master_log_pos));
  // MASTER_DELAY's maximum (2^31 - 1 seconds).
  REPTUT_RETURN_IF_ERROR(number(kSqlDelay, INT32_MAX, ri.sql_delay));
  REPTUT_RETURN_IF_ERROR(number(kWorkers, UINT32_MAX, ri.workers));
  REPTUT_RETURN_IF_ERROR(number(kId, UINT32_MAX, ri.id));
  // kChannel: the default channel is the only one.
  return ri;
}

}  // namespace reptut::replication
