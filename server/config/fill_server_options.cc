#include "config/fill_server_options.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "config/path_names.h"

namespace reptut::config {
namespace {

class Builder {
 public:
  Builder(const std::map<std::string, Setting>& settings, const Environment& env)
      : settings_(settings), env_(env) {}

  const Setting* Get(std::string_view name) const {
    auto it = settings_.find(std::string(name));
    return it == settings_.end() ? nullptr : &it->second;
  }
  void Str(std::string_view name, std::string* field) const {
    if (const Setting* s = Get(name)) *field = s->value;
  }
  void Flag(std::string_view name, bool* field) const {
    if (const Setting* s = Get(name)) *field = s->value == "ON";
  }
  template <class N>
  void Num(std::string_view name, N* field) const {
    if (const Setting* s = Get(name); s != nullptr && !s->value.empty()) {
      *field = static_cast<N>(std::strtoull(s->value.c_str(), nullptr, 10));
    }
  }
  void List(std::string_view name, std::vector<std::string>* field) const {
    if (const Setting* s = Get(name)) *field = s->list;
  }

  void Build(ServerOptions* o) const {
    Flag("initialize_insecure", &o->initialize_insecure);
    Flag("help", &o->help);
    Flag("version", &o->version);
    Flag("verbose", &o->verbose);

    Str("basedir", &o->basedir);
    Str("datadir", &o->datadir);
    Str("socket", &o->socket);
    Str("tmpdir", &o->tmpdir);
    Num("port", &o->port);
    Str("bind_address", &o->bind_address);
    Flag("skip_networking", &o->skip_networking);

    Num("server_id", &o->server_id);
    Str("report_host", &o->report_host);
    if (const Setting* s = Get("report_port"); s != nullptr && !s->value.empty()) {
      o->report_port = static_cast<uint16_t>(std::strtoul(s->value.c_str(), nullptr, 10));
    }

    Num("max_allowed_packet", &o->max_allowed_packet);
    Num("max_connections", &o->max_connections);
    Str("sql_mode", &o->sql_mode);
    Str("character_set_server", &o->character_set_server);
    Flag("skip_grant_tables", &o->skip_grant_tables);
    if (Get("statement_cache") != nullptr) Flag("statement_cache", &o->statement_cache);
    Flag("read_only", &o->read_only);

    Num("max_binlog_size", &o->max_binlog_size);
    Str("binlog_checksum", &o->binlog_checksum);
    Num("sync_binlog", &o->sync_binlog);
    List("binlog_do_db", &o->binlog_do_db);
    List("binlog_ignore_db", &o->binlog_ignore_db);
    Num("expire_logs_days", &o->expire_logs_days);
    Str("binlog_format", &o->binlog_format);

    Str("relay_log_info_file", &o->relay_log_info_file);
    Str("master_info_file", &o->master_info_file);
    Flag("log_slave_updates", &o->log_slave_updates);
    Flag("skip_slave_start", &o->skip_slave_start);
    List("replicate_do_db", &o->replicate_do_db);
    List("replicate_ignore_db", &o->replicate_ignore_db);
    List("replicate_do_table", &o->replicate_do_table);
    List("replicate_ignore_table", &o->replicate_ignore_table);
    List("replicate_wild_do_table", &o->replicate_wild_do_table);
    List("replicate_wild_ignore_table", &o->replicate_wild_ignore_table);
    Flag("replicate_same_server_id", &o->replicate_same_server_id);
    Num("max_relay_log_size", &o->max_relay_log_size);
    if (Get("relay_log_purge") != nullptr) Flag("relay_log_purge", &o->relay_log_purge);
    Num("slave_net_timeout", &o->slave_net_timeout);
    Num("master_retry_count", &o->master_retry_count);

    Num("innodb_flush_log_at_trx_commit", &o->innodb_flush_log_at_trx_commit);
    Flag("recovery_accept_loss", &o->recovery_accept_loss);
    if (Get("sqlite_synchronous") != nullptr) {
      Str("sqlite_synchronous", &o->sqlite_synchronous);
    } else if (Get("innodb_flush_log_at_trx_commit") != nullptr) {
      o->sqlite_synchronous = o->innodb_flush_log_at_trx_commit == 1 ? "FULL" : "NORMAL";
    }

    Paths(o);
    QueryLogs(o);

    for (const auto& [name, s] : settings_) {
      if (s.disabled) {
        o->all[name] = "OFF";
      } else if (!s.list.empty()) {
        std::string joined;
        for (const std::string& v : s.list) joined += (joined.empty() ? "" : ",") + v;
        o->all[name] = joined;
      } else {
        o->all[name] = s.value;
      }
      o->origin[name] = s.origin;
    }
  }

 private:
  // The general and slow query logs; their file names stay as given
  // (SHOW VARIABLES shows them so), the engine resolves them.
  void QueryLogs(ServerOptions* o) const {
    std::string host = env_.hostname.empty() ? "mysql" : env_.hostname;
    Flag("general_log", &o->general_log);
    Str("general_log_file", &o->general_log_file);
    if (o->general_log_file.empty()) o->general_log_file = host + ".log";
    Flag("slow_query_log", &o->slow_query_log);
    Str("slow_query_log_file", &o->slow_query_log_file);
    if (o->slow_query_log_file.empty()) o->slow_query_log_file = host + "-slow.log";
    if (const Setting* s = Get("long_query_time"); s != nullptr && !s->value.empty()) {
      o->long_query_time = std::max(0.0, std::strtod(s->value.c_str(), nullptr));
    }
    Str("log_output", &o->log_output);
    if (Get("log_slow_admin_statements") != nullptr) {
      Flag("log_slow_admin_statements", &o->log_slow_admin_statements);
    }
  }

  // Paths as mysqld resolves them: datadir against the current directory,
  // the pid file, error log and a relative socket against datadir. The
  // error log gets ".err" when its name has no extension; the pid file never
  // gets one (checked against mariadbd 10.11).
  void Paths(ServerOptions* o) const {
    std::string host = env_.hostname.empty() ? "mysql" : env_.hostname;
    o->datadir = AbsoluteAgainst(ExpandHome(o->datadir, env_.home), env_.cwd);
    if (!o->basedir.empty())
      o->basedir = AbsoluteAgainst(ExpandHome(o->basedir, env_.home), env_.cwd);
    if (o->tmpdir.empty()) o->tmpdir = env_.tmpdir.empty() ? "/tmp" : env_.tmpdir;
    if (!o->socket.empty())
      o->socket = AbsoluteAgainst(ExpandHome(o->socket, env_.home), o->datadir);

    // mariadbd writes --pid-file=NAME as given (no ".pid" added); only the
    // default name, the host's, gets the extension.
    const Setting* pid = Get("pid_file");
    std::string pid_name = pid != nullptr && !pid->value.empty() ? pid->value : host + ".pid";
    o->pid_file = AbsoluteAgainst(ExpandHome(pid_name, env_.home), o->datadir);

    if (const Setting* err = Get("log_error"); err != nullptr && !err->disabled) {
      std::string name = err->has_value && !err->value.empty() ? err->value : host;
      o->log_error =
          AbsoluteAgainst(WithExtension(ExpandHome(name, env_.home), ".err"), o->datadir);
    }

    if (const Setting* bin = Get("log_bin"); bin != nullptr && !bin->disabled) {
      o->log_bin_enabled = true;
      o->log_bin =
          bin->has_value && !bin->value.empty() ? WithoutExtension(bin->value) : host + "-bin";
    }
    Str("log_bin_index", &o->log_bin_index);
    if (o->log_bin_enabled && o->log_bin_index.empty()) o->log_bin_index = o->log_bin + ".index";

    const Setting* relay = Get("relay_log");
    o->relay_log = relay != nullptr && !relay->value.empty() && !relay->disabled
                       ? WithoutExtension(relay->value)
                       : host + "-relay-bin";
    Str("relay_log_index", &o->relay_log_index);
    if (o->relay_log_index.empty()) o->relay_log_index = o->relay_log + ".index";
  }

  const std::map<std::string, Setting>& settings_;
  const Environment& env_;
};

}  // namespace

void FillServerOptions(const std::map<std::string, Setting>& settings, const Environment& env,
                       ServerOptions* options) {
  Builder(settings, env).Build(options);
}

}  // namespace reptut::config
