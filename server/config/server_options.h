// The settings reptutd runs with, as mysqld would take them from its option
// files and command line. Filled by ParseServerOptions() (options.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reptut::config {

struct ServerOptions {
  // What to do.
  bool initialize_insecure = false;  // --initialize-insecure
  bool help = false;                 // --help
  bool version = false;              // --version / -V
  bool verbose = false;

  // Where.
  std::string basedir;
  std::string datadir = "./data";  // made absolute by the parser
  std::string pid_file;            // default <datadir>/<hostname>.pid
  std::string log_error;           // empty: stderr; else absolute (relative: against datadir)
  std::string socket = "/tmp/mysql.sock";  // a relative one is made absolute against datadir
  std::string tmpdir;                      // default $TMPDIR or /tmp
  uint16_t port = 3306;
  std::string bind_address = "127.0.0.1";
  bool skip_networking = false;

  // Identity.
  uint32_t server_id = 0;
  std::string report_host;
  std::optional<uint16_t> report_port;

  // Limits and behaviour.
  uint64_t max_allowed_packet = 16 * 1024 * 1024;
  uint32_t max_connections = 151;
  std::string sql_mode;  // empty: the server's default
  std::string character_set_server = "latin1";
  bool skip_grant_tables = false;
  bool read_only = false;

  // The general and slow query logs (engine/query_log.h). File names as
  // given: a relative one is against datadir, as mysqld takes it.
  bool general_log = false;
  std::string general_log_file;  // the parser fills <hostname>.log
  bool slow_query_log = false;
  std::string slow_query_log_file;  // the parser fills <hostname>-slow.log
  double long_query_time = 10.0;    // seconds
  std::string log_output = "FILE";  // FILE, TABLE, NONE (a list)
  bool log_slow_admin_statements = true;

  // Binary log (see the binary log issue). log_bin empty and !log_bin_enabled: off.
  bool log_bin_enabled = false;
  std::string log_bin;        // basename (an extension is dropped); relative to datadir when
                              // not absolute; --log-bin alone: <hostname>-bin
  std::string log_bin_index;  // default <log_bin>.index
  uint64_t max_binlog_size = 1024ull * 1024 * 1024;
  std::string binlog_checksum = "CRC32";  // or NONE
  uint32_t sync_binlog = 0;
  std::vector<std::string> binlog_do_db;
  std::vector<std::string> binlog_ignore_db;
  uint32_t expire_logs_days = 0;
  std::string binlog_format = "STATEMENT";

  // Replica side (see the replication issue).
  std::string relay_log;        // basename; the parser fills <hostname>-relay-bin
  std::string relay_log_index;  // the parser fills <relay_log>.index
  std::string relay_log_info_file = "relay-log.info";
  std::string master_info_file = "master.info";
  bool log_slave_updates = false;
  bool skip_slave_start = false;
  std::vector<std::string> replicate_do_db;
  std::vector<std::string> replicate_ignore_db;
  std::vector<std::string> replicate_do_table;  // "db.table"
  std::vector<std::string> replicate_ignore_table;
  std::vector<std::string> replicate_wild_do_table;  // "db%.t_ble" (LIKE patterns)
  std::vector<std::string> replicate_wild_ignore_table;
  bool replicate_same_server_id = false;
  uint64_t max_relay_log_size = 0;  // 0: max_binlog_size
  bool relay_log_purge = true;      // applied relay logs are deleted
  uint32_t slave_net_timeout = 60;  // seconds without data before the I/O thread reconnects
  uint64_t master_retry_count = 86400;

  // SQLite durability knob: "FULL" fsyncs at each commit (like
  // innodb_flush_log_at_trx_commit=1), "NORMAL" at checkpoints.
  std::string sqlite_synchronous = "NORMAL";
  // Statements of a known shape run without a new parse and SQLite prepare
  // (engine/statement_cache.h); --skip-statement-cache turns it off.
  bool statement_cache = true;
  uint32_t innodb_flush_log_at_trx_commit = 1;  // accepted; maps onto sqlite_synchronous
  // Start-up proceeds, cutting the last commit log file at a damaged event,
  // even when that loses statements the data files do not have
  // (engine/recovery.cc); without it such a start is refused.
  bool recovery_accept_loss = false;

  // Every option as finally set (canonical name with '_' -> value), for
  // SHOW VARIABLES of options the server takes but does not act on. Only
  // options given in a file or on the command line; booleans are ON/OFF,
  // numbers in decimal after K/M/G, lists joined with ','; an option turned
  // off with --skip-X is OFF.
  std::map<std::string, std::string> all;

  // Where each option came from, "file:line" or "command line", for messages.
  std::map<std::string, std::string> origin;

  // What the parser let pass with a remark: unknown options in the files of
  // the default search (/etc/mysql/... holds MariaDB-only ones), unknown
  // --loose- options, values adjusted to their range. Log them as warnings.
  std::vector<std::string> warnings;

  // --print-defaults: print PrintDefaultsText() (config/options.h) and exit.
  // `arguments` is the argument list from the option files followed by the
  // command line, as mysqld would have been started with.
  bool print_defaults = false;
  std::vector<std::string> arguments;

  // The option files read, in order, included ones too (for messages).
  std::vector<std::string> files_read;
};

}  // namespace reptut::config
