#include "config/option_table.h"

#include <array>

namespace reptut::config {
namespace {

using T = OptionType;
constexpr uint64_t kU32 = 4294967295ull;
constexpr uint64_t kGiB = 1024ull * 1024 * 1024;

// Options reptutd acts on.
constexpr OptionSpec Act(std::string_view name, OptionType type, uint64_t min = 0,
                         uint64_t max = UINT64_MAX, uint64_t block = 1) {
  return OptionSpec{name, type, true, false, min, max, block, {}};
}
constexpr OptionSpec ActEnum(std::string_view name, std::string_view choices) {
  return OptionSpec{name, T::kEnum, true, false, 0, UINT64_MAX, 1, choices};
}
constexpr OptionSpec ActList(std::string_view name) {
  return OptionSpec{name, T::kString, true, true, 0, UINT64_MAX, 1, {}};
}
// Options taken and shown but not acted on.
constexpr OptionSpec Take(std::string_view name, OptionType type, uint64_t min = 0,
                          uint64_t max = UINT64_MAX) {
  return OptionSpec{name, type, false, false, min, max, 1, {}};
}
constexpr OptionSpec TakeEnum(std::string_view name, std::string_view choices) {
  return OptionSpec{name, T::kEnum, false, false, 0, UINT64_MAX, 1, choices};
}
constexpr OptionSpec TakeList(std::string_view name) {
  return OptionSpec{name, T::kString, false, true, 0, UINT64_MAX, 1, {}};
}

constexpr auto kOptions = std::to_array<OptionSpec>({
    // What to do.
    Act("help", T::kBool),
    Act("version", T::kNoArg),
    Act("verbose", T::kBool),
    Act("initialize_insecure", T::kBool),
    Take("initialize", T::kBool),
    Take("user", T::kString),
    // Where.
    Act("basedir", T::kString),
    Act("datadir", T::kString),
    Act("pid_file", T::kString),
    Act("log_error", T::kOptString),
    Act("socket", T::kString),
    Act("tmpdir", T::kString),
    Act("port", T::kUInt, 0, 65535),
    Act("bind_address", T::kString),
    Act("skip_networking", T::kBool),
    // Identity.
    Act("server_id", T::kUInt, 0, kU32),
    Act("report_host", T::kString),
    Act("report_port", T::kUInt, 0, 65535),
    // Limits and behaviour.
    Act("max_allowed_packet", T::kUInt, 1024, kGiB, 1024),
    Act("max_connections", T::kUInt, 1, 100000),
    Act("sql_mode", T::kString),
    Act("character_set_server", T::kString),
    Act("skip_grant_tables", T::kBool),
    Act("read_only", T::kBool),
    // Binary log.
    Act("log_bin", T::kOptString),
    Act("log_bin_index", T::kString),
    Act("max_binlog_size", T::kUInt, 4096, kGiB, 4096),
    ActEnum("binlog_checksum", "NONE,CRC32"),
    Act("sync_binlog", T::kUInt, 0, kU32),
    ActList("binlog_do_db"),
    ActList("binlog_ignore_db"),
    Act("expire_logs_days", T::kUInt, 0, 99),
    ActEnum("binlog_format", "STATEMENT,ROW,MIXED"),
    // Replica side.
    Act("relay_log", T::kString),
    Act("relay_log_index", T::kString),
    Act("relay_log_info_file", T::kString),
    Act("master_info_file", T::kString),
    Act("log_slave_updates", T::kBool),
    Act("skip_slave_start", T::kBool),
    ActList("replicate_do_db"),
    ActList("replicate_ignore_db"),
    ActList("replicate_do_table"),
    ActList("replicate_ignore_table"),
    ActList("replicate_wild_do_table"),
    ActList("replicate_wild_ignore_table"),
    Act("replicate_same_server_id", T::kBool),
    Act("max_relay_log_size", T::kUInt, 0, kGiB, 4096),
    Act("relay_log_purge", T::kBool),
    Act("slave_net_timeout", T::kUInt, 1, 31536000),
    Act("master_retry_count", T::kUInt),
    // Durability.
    ActEnum("sqlite_synchronous", "OFF,NORMAL,FULL,EXTRA"),
    Act("innodb_flush_log_at_trx_commit", T::kUInt, 0, 2),
    Act("statement_cache", T::kBool),
    // Start even when the last commit log file is damaged where it holds
    // statements the data files lack; they are lost (engine/recovery.cc).
    Act("recovery_accept_loss", T::kBool),
    // The general and slow query logs (engine/query_log.h).
    Act("general_log", T::kBool),
    Act("general_log_file", T::kString),
    Act("slow_query_log", T::kBool),
    Act("slow_query_log_file", T::kString),
    Act("log_output", T::kString),
    Act("long_query_time", T::kDecimal),
    Act("log_slow_admin_statements", T::kBool),

    // Taken, not acted on.
    Take("skip_external_locking", T::kBool),
    Take("external_locking", T::kBool),
    Take("skip_name_resolve", T::kBool),
    Take("skip_host_cache", T::kBool),
    Take("skip_show_database", T::kBool),
    Take("skip_character_set_client_handshake", T::kBool),
    Take("character_set_client_handshake", T::kBool),
    Take("explicit_defaults_for_timestamp", T::kBool),
    Take("log_slow_queries", T::kOptString),
    Take("log", T::kOptString),
    Take("log_queries_not_using_indexes", T::kBool),
    Take("log_warnings", T::kAny),
    Take("log_error_verbosity", T::kUInt, 1, 3),
    Take("log_timestamps", T::kString),
    Take("log_bin_trust_function_creators", T::kBool),
    Take("symbolic_links", T::kBool),
    Take("console", T::kBool),
    Take("core_file", T::kBool),
    Take("local_infile", T::kBool),
    Take("secure_file_priv", T::kString),
    Take("old_passwords", T::kUInt, 0, 2),
    Take("secure_auth", T::kBool),
    Take("key_buffer_size", T::kUInt),
    Take("key_buffer", T::kUInt),
    Take("table_open_cache", T::kUInt, 1, 524288),
    Take("table_cache", T::kUInt),
    Take("table_definition_cache", T::kUInt),
    Take("sort_buffer_size", T::kUInt),
    Take("sort_buffer", T::kUInt),
    Take("read_buffer_size", T::kUInt),
    Take("read_rnd_buffer_size", T::kUInt),
    Take("join_buffer_size", T::kUInt),
    Take("net_buffer_length", T::kUInt),
    Take("myisam_sort_buffer_size", T::kUInt),
    Take("myisam_max_sort_file_size", T::kUInt),
    Take("myisam_recover", T::kOptString),
    Take("myisam_recover_options", T::kOptString),
    Take("bulk_insert_buffer_size", T::kUInt),
    Take("thread_stack", T::kUInt),
    Take("thread_cache_size", T::kUInt),
    Take("thread_concurrency", T::kUInt),
    Take("max_heap_table_size", T::kUInt),
    Take("tmp_table_size", T::kUInt),
    Take("open_files_limit", T::kUInt),
    Take("back_log", T::kUInt),
    Take("max_connect_errors", T::kUInt),
    Take("max_user_connections", T::kUInt),
    Take("wait_timeout", T::kUInt),
    Take("interactive_timeout", T::kUInt),
    Take("net_read_timeout", T::kUInt),
    Take("net_write_timeout", T::kUInt),
    Take("connect_timeout", T::kUInt),
    Take("lock_wait_timeout", T::kUInt),
    Take("group_concat_max_len", T::kUInt),
    Take("max_sp_recursion_depth", T::kUInt),
    Take("auto_increment_increment", T::kUInt, 1, 65535),
    Take("auto_increment_offset", T::kUInt, 1, 65535),
    Take("lower_case_table_names", T::kUInt, 0, 2),
    Take("default_storage_engine", T::kString),
    Take("storage_engine", T::kString),
    Take("default_table_type", T::kString),
    Take("default_tmp_storage_engine", T::kString),
    Take("collation_server", T::kString),
    Take("default_character_set", T::kString),
    Take("character_sets_dir", T::kString),
    Take("init_connect", T::kString),
    Take("init_file", T::kString),
    Take("language", T::kString),
    Take("lc_messages_dir", T::kString),
    Take("lc_messages", T::kString),
    Take("default_time_zone", T::kString),
    Take("transaction_isolation", T::kString),
    Take("tx_isolation", T::kString),
    Take("default_authentication_plugin", T::kString),
    Take("plugin_dir", T::kString),
    Take("plugin_load", T::kString),
    Take("plugin_load_add", T::kString),
    TakeEnum("event_scheduler", "ON,OFF,DISABLED,1,0"),
    TakeEnum("binlog_row_image", "FULL,MINIMAL,NOBLOB"),
    Take("binlog_cache_size", T::kUInt),
    Take("max_binlog_cache_size", T::kUInt),
    Take("binlog_stmt_cache_size", T::kUInt),
    Take("binlog_rows_query_log_events", T::kBool),
    Take("master_verify_checksum", T::kBool),
    Take("master_info_repository", T::kString),
    Take("relay_log_info_repository", T::kString),
    Take("relay_log_recovery", T::kBool),
    Take("relay_log_space_limit", T::kUInt),
    Take("sync_relay_log", T::kUInt),
    Take("sync_relay_log_info", T::kUInt),
    Take("sync_master_info", T::kUInt),
    Take("master_connect_retry", T::kUInt),
    Take("slave_skip_errors", T::kString),
    Take("slave_load_tmpdir", T::kString),
    Take("slave_compressed_protocol", T::kBool),
    Take("slave_exec_mode", T::kString),
    Take("slave_parallel_workers", T::kUInt),
    Take("slave_parallel_threads", T::kUInt),
    Take("slave_parallel_type", T::kString),
    Take("slave_preserve_commit_order", T::kBool),
    TakeList("replicate_rewrite_db"),
    Take("enforce_gtid_consistency", T::kAny),
    Take("performance_schema", T::kBool),
    Take("query_cache_type", T::kAny),
    Take("query_cache_size", T::kUInt),
    Take("query_cache_limit", T::kUInt),
    Take("memlock", T::kBool),
    Take("temp_pool", T::kBool),
    Take("big_tables", T::kBool),
    Take("flush", T::kBool),
    Take("new", T::kBool),
    Take("old", T::kBool),
    Take("sysdate_is_now", T::kBool),
    Take("ft_min_word_len", T::kUInt),
    Take("bootstrap", T::kBool),
    Take("skip_stack_trace", T::kBool),
    Take("gdb", T::kBool),
    Take("log_short_format", T::kBool),
    Take("log_tc", T::kString),
    Take("log_tc_size", T::kUInt),
    Take("ssl", T::kBool),
    Take("chroot", T::kString),
    Take("exit_info", T::kAny),
    Take("default_week_format", T::kUInt, 0, 7),
    Take("max_delayed_threads", T::kUInt),
    Take("concurrent_insert", T::kAny),
    Take("delay_key_write", T::kAny),
});

// Prefix families: every option starting with these is taken, unchecked.
constexpr auto kFamilies = std::to_array<std::string_view>({
    "innodb",
    "gtid_",
    "ssl_",
    "query_cache_",
    "performance_schema_",
    "rpl_semi_sync_",
    "myisam_",
    "federated",
    "archive",
    "blackhole",
    "ndb",
});

constexpr OptionSpec kFamilySpec{"", T::kAny, false, false, 0, UINT64_MAX, 1, {}};

struct ShortOption {
  char c;
  std::string_view name;
};
constexpr auto kShort = std::to_array<ShortOption>({
    {'P', "port"},
    {'S', "socket"},
    {'h', "datadir"},
    {'u', "user"},
    {'V', "version"},
    {'?', "help"},
    {'v', "verbose"},
    {'b', "basedir"},
    {'C', "character_set_server"},
    {'W', "log_warnings"},
    {'L', "language"},
    {'T', "exit_info"},
    {'r', "chroot"},
    {'t', "tmpdir"},
});

}  // namespace

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& s : kOptions) {
    if (s.name == name) return &s;
  }
  for (std::string_view f : kFamilies) {
    if (name.size() >= f.size() && name.substr(0, f.size()) == f) {
      return &kFamilySpec;
    }
  }
  return nullptr;
}

std::vector<const OptionSpec*> FindOptionsByPrefix(std::string_view prefix) {
  std::vector<const OptionSpec*> out;
  for (const OptionSpec& s : kOptions) {
    if (s.name.size() > prefix.size() && s.name.substr(0, prefix.size()) == prefix) {
      out.push_back(&s);
    }
  }
  return out;
}

const OptionSpec* FindShortOption(char c) {
  for (const ShortOption& s : kShort) {
    if (s.c == c) return FindOption(s.name);
  }
  return nullptr;
}

}  // namespace reptut::config
