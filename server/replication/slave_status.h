// The row of SHOW SLAVE STATUS, as MySQL 5.7 sends it: 57 columns in
// MySQL's order (rpl_slave.cc, show_slave_status), numbers sent as numbers,
// NULL where MySQL sends NULL. A pure formatter: the replica fills a
// SlaveStatus from what its threads know and this makes the row.
//
// MySQL's texts: Slave_IO_Running "Yes" / "Connecting" / "No";
// Slave_SQL_Running, Master_SSL_Allowed and Master_SSL_Verify_Server_Cert
// "Yes" / "No"; Until_Condition "None" / "Master" / "Relay";
// Replicate_Ignore_Server_Ids "5, 7" (cut with "..." past 512 characters);
// Seconds_Behind_Master and SQL_Remaining_Delay NULL when unknown;
// Last_Errno / Last_Error repeat Last_SQL_Errno / Last_SQL_Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reptut::replication {

struct SlaveStatus {     // what the replica knows; the codec only formats it
  std::string io_state;  // Slave_IO_State text
  std::string master_host, master_user;
  uint16_t master_port = 3306;
  uint32_t connect_retry = 60;
  std::string master_log_file;
  uint64_t read_master_log_pos = 4;
  std::string relay_log_file;  // the base name
  uint64_t relay_log_pos = 4;
  std::string relay_master_log_file;
  std::string io_running = "No";  // "Yes", "No", "Connecting"
  bool sql_running = false;
  // Comma-joined, as ReplicationFilter gives them.
  std::string replicate_do_db, replicate_ignore_db, replicate_do_table, replicate_ignore_table,
      replicate_wild_do_table, replicate_wild_ignore_table;
  uint32_t last_errno = 0;  // = the SQL thread's, as MySQL shows
  std::string last_error;
  uint64_t skip_counter = 0;
  uint64_t exec_master_log_pos = 0;
  uint64_t relay_log_space = 0;
  std::string until_condition = "None";  // "None", "Master", "Relay"
  std::string until_log_file;
  uint64_t until_log_pos = 0;
  bool ssl_allowed = false;
  std::string ssl_ca_file, ssl_ca_path, ssl_cert, ssl_cipher, ssl_key;
  std::optional<int64_t> seconds_behind_master;  // nullopt = NULL
  bool ssl_verify_server_cert = false;
  uint32_t last_io_errno = 0;
  std::string last_io_error;
  uint32_t last_sql_errno = 0;
  std::string last_sql_error;
  std::vector<uint32_t> ignore_server_ids;
  uint32_t master_server_id = 0;
  std::string master_uuid, master_info_file;
  uint32_t sql_delay = 0;
  std::optional<int64_t> sql_remaining_delay;  // NULL unless waiting out SQL_Delay
  std::string sql_running_state;               // Slave_SQL_Running_State
  uint64_t master_retry_count = 86400;
  std::string master_bind;
  std::string last_io_error_timestamp, last_sql_error_timestamp;  // "YYMMDD HH:MM:SS" or ""
  std::string ssl_crl, ssl_crlpath;
  std::string retrieved_gtid_set, executed_gtid_set;
  bool auto_position = false;
  std::string replicate_rewrite_db;
  std::string channel_name;
  std::string tls_version;  // Master_TLS_Version
};

struct StatusColumn {
  std::string name;
  bool numeric;  // sent as a number (LONGLONG); the others are strings
};

// MySQL 5.7's columns of SHOW SLAVE STATUS, in order.
const std::vector<StatusColumn>& SlaveStatusColumns();

// The row's values in the same order; nullopt = NULL.
std::vector<std::optional<std::string>> SlaveStatusRow(const SlaveStatus& s);

}  // namespace reptut::replication
