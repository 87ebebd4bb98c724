// SHOW SLAVE STATUS: MySQL 5.7's columns and the row's texts.
#include "replication/slave_status.h"

namespace reptut::replication {
namespace {

constexpr size_t kMaxIgnoreIdsText = 512;  // MySQL's FN_REFLEN buffer

std::string YesNo(bool b) {
  return b ? "Yes" : "No";
}

// "5, 7", cut as MySQL cuts it: "..." when the next id would not fit.
std::string IgnoreIdsText(const std::vector<uint32_t>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string one = (i == 0 ? "" : ", ") + std::to_string(ids[i]);
    if (out.size() + one.size() + 4 > kMaxIgnoreIdsText) {
      out += "...";
      break;
    }
    out += one;
  }
  return out;
}

}  // namespace

const std::vector<StatusColumn>& SlaveStatusColumns() {
  static const std::vector<StatusColumn> columns = {
      {"Slave_IO_State", false},
      {"Master_Host", false},
      {"Master_User", false},
      {"Master_Port", true},
      {"Connect_Retry", true},
      {"Master_Log_File", false},
      {"Read_Master_Log_Pos", true},
      {"Relay_Log_File", false},
      {"Relay_Log_Pos", true},
      {"Relay_Master_Log_File", false},
      {"Slave_IO_Running", false},
      {"Slave_SQL_Running", false},
      {"Replicate_Do_DB", false},
      {"Replicate_Ignore_DB", false},
      {"Replicate_Do_Table", false},
      {"Replicate_Ignore_Table", false},
      {"Replicate_Wild_Do_Table", false},
      {"Replicate_Wild_Ignore_Table", false},
      {"Last_Errno", true},
      {"Last_Error", false},
      {"Skip_Counter", true},
      {"Exec_Master_Log_Pos", true},
      {"Relay_Log_Space", true},
      {"Until_Condition", false},
      {"Until_Log_File", false},
      {"Until_Log_Pos", true},
      {"Master_SSL_Allowed", false},
      {"Master_SSL_CA_File", false},
      {"Master_SSL_CA_Path", false},
      {"Master_SSL_Cert", false},
      {"Master_SSL_Cipher", false},
      {"Master_SSL_Key", false},
      {"Seconds_Behind_Master", true},
      {"Master_SSL_Verify_Server_Cert", false},
      {"Last_IO_Errno", true},
      {"Last_IO_Error", false},
      {"Last_SQL_Errno", true},
      {"Last_SQL_Error", false},
      {"Replicate_Ignore_Server_Ids", false},
      {"Master_Server_Id", true},
      {"Master_UUID", false},
      {"Master_Info_File", false},
      {"SQL_Delay", true},
      {"SQL_Remaining_Delay", true},
      {"Slave_SQL_Running_State", false},
      {"Master_Retry_Count", true},
      {"Master_Bind", false},
      {"Last_IO_Error_Timestamp", false},
      {"Last_SQL_Error_Timestamp", false},
      {"Master_SSL_Crl", false},
      {"Master_SSL_Crlpath", false},
      {"Retrieved_Gtid_Set", false},
      {"Executed_Gtid_Set", false},
      {"Auto_Position", true},
      {"Replicate_Rewrite_DB", false},
      {"Channel_Name", false},
      {"Master_TLS_Version", false},
  };
  return columns;
}

std::vector<std::optional<std::string>> SlaveStatusRow(const SlaveStatus& s) {
  auto num = [](auto v) -> std::optional<std::string> { return std::to_string(v); };
  auto opt = [](const std::optional<int64_t>& v) -> std::optional<std::string> {
    if (!v) return std::nullopt;
    return std::to_string(*v);
  };
  return {
      s.io_state,
      s.master_host,
      s.master_user,
      num(s.master_port),
      num(s.connect_retry),
      s.master_log_file,
      num(s.read_master_log_pos),
      s.relay_log_file,
      num(s.relay_log_pos),
      s.relay_master_log_file,
      s.io_running,
      YesNo(s.sql_running),
      s.replicate_do_db,
      s.replicate_ignore_db,
      s.replicate_do_table,
      s.replicate_ignore_table,
      s.replicate_wild_do_table,
      s.replicate_wild_ignore_table,
      num(s.last_errno),
      s.last_error,
      num(s.skip_counter),
      num(s.exec_master_log_pos),
      num(s.relay_log_space),
      s.until_condition,
      s.until_log_file,
      num(s.until_log_pos),
      YesNo(s.ssl_allowed),
      s.ssl_ca_file,
      s.ssl_ca_path,
      s.ssl_cert,
      s.ssl_cipher,
      s.ssl_key,
      opt(s.seconds_behind_master),
      YesNo(s.ssl_verify_server_cert),
      num(s.last_io_errno),
      s.last_io_error,
      num(s.last_sql_errno),
      s.last_sql_error,
      IgnoreIdsText(s.ignore_server_ids),
      num(s.master_server_id),
      s.master_uuid,
      s.master_info_file,
      num(s.sql_delay),
      opt(s.sql_remaining_delay),
      s.sql_running_state,
      num(s.master_retry_count),
      s.master_bind,
      s.last_io_error_timestamp,
      s.last_sql_error_timestamp,
      s.ssl_crl,
      s.ssl_crlpath,
      s.retrieved_gtid_set,
      s.executed_gtid_set,
      num(s.auto_position ? 1 : 0),
      s.replicate_rewrite_db,
      s.channel_name,
      s.tls_version,
  };
}

}  // namespace reptut::replication
