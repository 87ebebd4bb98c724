// SHOW SLAVE STATUS: MySQL 5.7's 57 columns in order, numbers flagged, and
// the row's texts (Yes/No, NULL, the ignored server ids).
#include "replication/slave_status.h"

#include <gtest/gtest.h>

namespace reptut::replication {
namespace {

size_t IndexOf(const std::string& name) {
  const auto& cols = SlaveStatusColumns();
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(SlaveStatus, ColumnsAreMySql57s) {
  const std::vector<std::string> expected = {
      "Slave_IO_State",
      "Master_Host",
      "Master_User",
      "Master_Port",
      "Connect_Retry",
      "Master_Log_File",
      "Read_Master_Log_Pos",
      "Relay_Log_File",
      "Relay_Log_Pos",
      "Relay_Master_Log_File",
      "Slave_IO_Running",
      "Slave_SQL_Running",
      "Replicate_Do_DB",
      "Replicate_Ignore_DB",
      "Replicate_Do_Table",
      "Replicate_Ignore_Table",
      "Replicate_Wild_Do_Table",
      "Replicate_Wild_Ignore_Table",
      "Last_Errno",
      "Last_Error",
      "Skip_Counter",
      "Exec_Master_Log_Pos",
      "Relay_Log_Space",
      "Until_Condition",
      "Until_Log_File",
      "Until_Log_Pos",
      "Master_SSL_Allowed",
      "Master_SSL_CA_File",
      "Master_SSL_CA_Path",
      "Master_SSL_Cert",
      "Master_SSL_Cipher",
      "Master_SSL_Key",
      "Seconds_Behind_Master",
      "Master_SSL_Verify_Server_Cert",
      "Last_IO_Errno",
      "Last_IO_Error",
      "Last_SQL_Errno",
      "Last_SQL_Error",
      "Replicate_Ignore_Server_Ids",
      "Master_Server_Id",
      "Master_UUID",
      "Master_Info_File",
      "SQL_Delay",
      "SQL_Remaining_Delay",
      "Slave_SQL_Running_State",
      "Master_Retry_Count",
      "Master_Bind",
      "Last_IO_Error_Timestamp",
      "Last_SQL_Error_Timestamp",
      "Master_SSL_Crl",
      "Master_SSL_Crlpath",
      "Retrieved_Gtid_Set",
      "Executed_Gtid_Set",
      "Auto_Position",
      "Replicate_Rewrite_DB",
      "Channel_Name",
      "Master_TLS_Version",
  };
  std::vector<std::string> names;
  for (const StatusColumn& c : SlaveStatusColumns()) names.push_back(c.name);
  EXPECT_EQ(names, expected);
}

TEST(SlaveStatus, NumericColumns) {
  std::vector<std::string> numeric;
  for (const StatusColumn& c : SlaveStatusColumns()) {
    if (c.numeric) numeric.push_back(c.name);
  }
  EXPECT_EQ(numeric, (std::vector<std::string>{
                         "Master_Port", "Connect_Retry", "Read_Master_Log_Pos", "Relay_Log_Pos",
                         "Last_Errno", "Skip_Counter", "Exec_Master_Log_Pos", "Relay_Log_Space",
                         "Until_Log_Pos", "Seconds_Behind_Master", "Last_IO_Errno",
                         "Last_SQL_Errno", "Master_Server_Id", "SQL_Delay", "SQL_Remaining_Delay",
                         "Master_Retry_Count", "Auto_Position"}));
}

TEST(SlaveStatus, RowHasOneValuePerColumn) {
  EXPECT_EQ(SlaveStatusRow(SlaveStatus{}).size(), SlaveStatusColumns().size());
}

// What a stopped replica shows: NULLs where MySQL has them, "No"s.
TEST(SlaveStatus, DefaultsAsMySqlShowsThem) {
  auto row = SlaveStatusRow(SlaveStatus{});
  EXPECT_EQ(row[IndexOf("Seconds_Behind_Master")], std::nullopt);
  EXPECT_EQ(row[IndexOf("SQL_Remaining_Delay")], std::nullopt);
  EXPECT_EQ(row[IndexOf("Slave_IO_Running")], "No");
  EXPECT_EQ(row[IndexOf("Slave_SQL_Running")], "No");
  EXPECT_EQ(row[IndexOf("Master_SSL_Allowed")], "No");
  EXPECT_EQ(row[IndexOf("Master_SSL_Verify_Server_Cert")], "No");
  EXPECT_EQ(row[IndexOf("Until_Condition")], "None");
  EXPECT_EQ(row[IndexOf("Until_Log_Pos")], "0");
  EXPECT_EQ(row[IndexOf("Replicate_Ignore_Server_Ids")], "");
  EXPECT_EQ(row[IndexOf("Auto_Position")], "0");
  for (size_t i = 0; i < row.size(); ++i) {
    if (SlaveStatusColumns()[i].name == "Seconds_Behind_Master" ||
        SlaveStatusColumns()[i].name == "SQL_Remaining_Delay") {
      continue;
    }
    EXPECT_TRUE(row[i].has_value()) << SlaveStatusColumns()[i].name;
  }
}

// The fixture's replica (mariadb-10.11-replica/show-slave-status.txt),
// in MySQL 5.7's columns.
TEST(SlaveStatus, RunningReplica) {
  SlaveStatus s;
  s.io_state = "Waiting for master to send event";
  s.master_host = "127.0.0.1";
  s.master_user = "repl_user";
  s.master_port = 52543;
  s.connect_retry = 60;
  s.master_log_file = "master-bin.000002";
  s.read_master_log_pos = 751;
  s.relay_log_file = "slave-relay-bin.000005";
  s.relay_log_pos = 693;
  s.relay_master_log_file = "master-bin.000002";
  s.io_running = "Yes";
  s.sql_running = true;
  s.exec_master_log_pos = 751;
  s.relay_log_space = 1612;
  s.seconds_behind_master = 0;
  s.master_server_id = 1;
  s.sql_running_state = "Slave has read all relay log; waiting for more updates";
  auto row = SlaveStatusRow(s);
  EXPECT_EQ(row[IndexOf("Slave_IO_State")], "Waiting for master to send event");
  EXPECT_EQ(row[IndexOf("Master_Port")], "52543");
  EXPECT_EQ(row[IndexOf("Read_Master_Log_Pos")], "751");
  EXPECT_EQ(row[IndexOf("Relay_Log_File")], "slave-relay-bin.000005");
  EXPECT_EQ(row[IndexOf("Slave_IO_Running")], "Yes");
  EXPECT_EQ(row[IndexOf("Slave_SQL_Running")], "Yes");
  EXPECT_EQ(row[IndexOf("Relay_Log_Space")], "1612");
  EXPECT_EQ(row[IndexOf("Seconds_Behind_Master")], "0");
  EXPECT_EQ(row[IndexOf("Master_Server_Id")], "1");
  EXPECT_EQ(row[IndexOf("Slave_SQL_Running_State")],
            "Slave has read all relay log; waiting for more updates");
}

TEST(SlaveStatus, ErrorsAndFilters) {
  SlaveStatus s;
  s.io_running = "Connecting";
  s.replicate_do_db = "test,sales";
  s.last_errno = s.last_sql_errno = 1062;
  s.last_error = s.last_sql_error = "Error 'Duplicate entry '1000' for key 1' on query.";
  s.last_io_errno = 2003;
  s.last_io_error = "error connecting to master";
  s.last_io_error_timestamp = "240131 10:11:12";
  s.until_condition = "Master";
  s.until_log_file = "bin.000011";
  s.until_log_pos = 497;
  auto row = SlaveStatusRow(s);
  EXPECT_EQ(row[IndexOf("Slave_IO_Running")], "Connecting");
  EXPECT_EQ(row[IndexOf("Replicate_Do_DB")], "test,sales");
  EXPECT_EQ(row[IndexOf("Last_Errno")], "1062");
  EXPECT_EQ(row[IndexOf("Last_SQL_Errno")], "1062");
  EXPECT_EQ(row[IndexOf("Last_Error")], "Error 'Duplicate entry '1000' for key 1' on query.");
  EXPECT_EQ(row[IndexOf("Last_IO_Errno")], "2003");
  EXPECT_EQ(row[IndexOf("Last_IO_Error_Timestamp")], "240131 10:11:12");
  EXPECT_EQ(row[IndexOf("Last_SQL_Error_Timestamp")], "");
  EXPECT_EQ(row[IndexOf("Until_Condition")], "Master");
  EXPECT_EQ(row[IndexOf("Until_Log_Pos")], "497");
}

TEST(SlaveStatus, IgnoreServerIds) {
  SlaveStatus s;
  s.ignore_server_ids = {5, 7};
  EXPECT_EQ(SlaveStatusRow(s)[IndexOf("Replicate_Ignore_Server_Ids")], "5, 7");
  // MySQL cuts the list with "..." within 512 characters.
  s.ignore_server_ids.assign(200, 1234567890u);
  std::string text = *SlaveStatusRow(s)[IndexOf("Replicate_Ignore_Server_Ids")];
  EXPECT_LE(text.size(), 512u);
  EXPECT_EQ(text.substr(text.size() - 3), "...");
  EXPECT_EQ(text.substr(0, 24), "1234567890, 1234567890, ");
}

TEST(SlaveStatus, SqlRemainingDelayWhenWaiting) {
  SlaveStatus s;
  s.sql_delay = 3600;
  s.sql_remaining_delay = 1200;
  auto row = SlaveStatusRow(s);
  EXPECT_EQ(row[IndexOf("SQL_Delay")], "3600");
  EXPECT_EQ(row[IndexOf("SQL_Remaining_Delay")], "1200");
}

}  // namespace
}  // namespace reptut::replication
