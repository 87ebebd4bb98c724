#include "config/options.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <utility>

#include "common/errors.h"
#include "config/option_file.h"
#include "config/option_table.h"
#include "config/option_values.h"

namespace reptut::config {
namespace {

constexpr std::string_view kCommandLine = "command line";

Error OptionError(std::string message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::move(message));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Where an argument came from.
struct Source {
  std::string origin;    // "file:line" or "command line"
  std::string where;     // " in config file F at line N", or "" for the command line
  bool lenient = false;  // unknown options are warnings (files of the default search)
};

// The command-line arguments still to come, for "--port 3306".
struct Rest {
  const std::vector<std::string>* args = nullptr;
  size_t* next = nullptr;
  std::optional<std::string> Take() {
    if (args == nullptr || *next >= args->size()) return std::nullopt;
    return (*args)[(*next)++];
  }
};

// One option as finally set.
struct Setting {
  std::string value;
  bool has_value = false;  // kOptString: a value was given
  bool disabled = false;   // --skip-X / --disable-X of an option that is not boolean
  std::vector<std::string> list;
  std::string origin;
};

class Collector {
 public:
  explicit Collector(std::vector<std::string>* warnings) : warnings_(warnings) {}

  // A long option: `written` is the name as written (without "--"), `text`
  // the argument as written (for "unknown variable 'text'").
  Status Long(std::string_view written, std::optional<std::string> value, std::string_view text,
              const Source& src, Rest rest) {
    std::string name = CanonicalOptionName(written);
    bool loose = false;
    if (StartsWith(name, "loose_")) {
      loose = true;
      name = name.substr(6);
    }
    const OptionSpec* spec = FindOption(name);
    enum class Prefix { kNone, kSkip, kDisable, kEnable } prefix = Prefix::kNone;
    if (spec == nullptr) {
      static constexpr std::pair<std::string_view, Prefix> kPrefixes[] = {
          {"skip_", Prefix::kSkip}, {"disable_", Prefix::kDisable}, {"enable_", Prefix::kEnable}};
      for (const auto& [p, kind] : kPrefixes) {
        if (StartsWith(name, p) && (spec = FindOption(name.substr(p.size()))) != nullptr) {
          name = name.substr(p.size());
          prefix = kind;
          break;
        }
      }
      if (spec != nullptr && prefix == Prefix::kEnable && spec->type != OptionType::kBool &&
          spec->type != OptionType::kOptString && spec->type != OptionType::kAny) {
        spec = nullptr;
      }
    }
    if (spec == nullptr) {
      std::string msg = value ? "unknown variable '" + std::string(text) + "'"
                              : "unknown option '--" + std::string(text) + "'";
      if (loose || src.lenient) {
        warnings_->push_back(msg + src.where);
        return Status::Ok();
      }
      return OptionError(msg + src.where);
    }

    Setting& s = settings_[name];
    s.origin = src.origin;
    if (prefix != Prefix::kNone) {
      if (value) {
        return OptionError("option '--" + std::string(written) + "' cannot take an argument" +
                           src.where);
      }
      bool on = prefix == Prefix::kEnable;
      if (spec->type == OptionType::kBool || spec->type == OptionType::kNoArg) {
        s.value = on ? "ON" : "OFF";
      } else {
        s.value.clear();
        s.has_value = false;
        s.disabled = !on;
        s.list.clear();
      }
      return Status::Ok();
    }

    switch (spec->type) {
      case OptionType::kBool:
        s.value = value ? ParseBool(*value, name, src) : "ON";
        return Status::Ok();
      case OptionType::kNoArg:
        if (value) {
          return OptionError("option '--" + std::string(written) + "' cannot take an argument" +
                             src.where);
        }
        s.value = "ON";
        return Status::Ok();
      case OptionType::kOptString:
      case OptionType::kAny:
        s.disabled = false;
        s.has_value = value.has_value();
        s.value = value.value_or("");
        return Status::Ok();
      default:
        break;
    }
    if (!value) value = rest.Take();
    if (!value) {
      return OptionError("option '--" + std::string(written) + "' requires an argument" +
                         src.where);
    }
    return SetRequired(*spec, name, *value, src, &s);
  }

  Status SetRequired(const OptionSpec& spec, const std::string& name, const std::string& value,
                     const Source& src, Setting* s) {
    s->disabled = false;
    s->has_value = true;
    switch (spec.type) {
      case OptionType::kUInt: {
        std::string warning;
        Result<uint64_t> n = ParseUnsignedOption(value, spec, name, &warning);
        if (!n.ok()) return OptionError(n.error().message + src.where);
        if (!warning.empty()) warnings_->push_back(warning + src.where);
        s->value = std::to_string(*n);
        return Status::Ok();
      }
      case OptionType::kDecimal: {
        if (!IsDecimal(value)) {
          return OptionError("Invalid decimal value for option '" + name + "'" + src.where);
        }
        s->value = value;
        return Status::Ok();
      }
      case OptionType::kEnum: {
        std::optional<std::string> choice = MatchChoice(value, spec.choices);
        if (!choice) {
          return OptionError("Error while setting value '" + value + "' to '" + name + "'" +
                             src.where);
        }
        s->value = *choice;
        return Status::Ok();
      }
      default:
        if (spec.repeatable) s->list.push_back(value);
        s->value = value;
        return Status::Ok();
    }
  }

  std::string ParseBool(const std::string& value, const std::string& name, const Source& src) {
    std::optional<bool> b = ParseBoolValue(value);
    if (!b) {
      warnings_->push_back("option '" + name + "': boolean value '" + value +
                           "' wasn't recognized. Set to OFF." + src.where);
      return "OFF";
    }
    return *b ? "ON" : "OFF";
  }

  // A short option cluster "-P3306", "-vV", "-P" "3306".
  Status Short(const std::string& arg, Rest rest) {
    Source src{std::string(kCommandLine), "", false};
    for (size_t i = 1; i < arg.size(); ++i) {
      char c = arg[i];
      const OptionSpec* spec = FindShortOption(c);
      if (spec == nullptr) return OptionError(std::string("unknown option '-") + c + "'");
      std::string name(spec->name);
      Setting& s = settings_[name];
      s.origin = src.origin;
      switch (spec->type) {
        case OptionType::kBool:
        case OptionType::kNoArg:
          s.value = "ON";
          continue;
        case OptionType::kOptString:
        case OptionType::kAny:
          s.has_value = i + 1 < arg.size();
          s.value = arg.substr(i + 1);
          s.disabled = false;
          return Status::Ok();
        default: {
          std::optional<std::string> value;
          if (i + 1 < arg.size()) {
            value = arg.substr(i + 1);
          } else {
            value = rest.Take();
          }
          if (!value) return OptionError(std::string("option '-") + c + "' requires an argument");
          return SetRequired(*spec, name, *value, src, &s);
        }
      }
    }
    return Status::Ok();
  }

  const std::map<std::string, Setting>& settings() const { return settings_; }

 private:
  std::vector<std::string>* warnings_;
  std::map<std::string, Setting> settings_;
};

// ---- Turning the settings into ServerOptions ----

std::string ExpandHome(const std::string& path, const Environment& env) {
  if (path == "~") return env.home;
  if (StartsWith(path, "~/")) return env.home + path.substr(1);
  return path;
}

std::string Normal(const std::filesystem::path& p) {
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string AbsoluteAgainst(const std::string& path, const std::string& base) {
  if (path.empty()) return base;
  std::filesystem::path p(path);
  if (p.is_absolute()) return Normal(p);
  return Normal(std::filesystem::path(base) / p);
}

// "name" -> "name.ext" when the file name has no extension.
std::string WithExtension(const std::string& path, std::string_view ext) {
  size_t slash = path.rfind('/');
  size_t start = slash == std::string::npos ? 0 : slash + 1;
  if (path.find('.', start) != std::string::npos) return path;
  return path + std::string(ext);
}

// "master-bin.log" -> "master-bin": mysqld drops an extension on log names.
std::string WithoutExtension(const std::string& path) {
  size_t slash = path.rfind('/');
  size_t start = slash == std::string::npos ? 0 : slash + 1;
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || dot <= start) return path;
  return path.substr(0, dot);
}

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
    Num("max_relay_log_size", &o->max_relay_log_size);

    Num("innodb_flush_log_at_trx_commit", &o->innodb_flush_log_at_trx_commit);
    if (Get("sqlite_synchronous") != nullptr) {
      Str("sqlite_synchronous", &o->sqlite_synchronous);
    } else if (Get("innodb_flush_log_at_trx_commit") != nullptr) {
      o->sqlite_synchronous = o->innodb_flush_log_at_trx_commit == 1 ? "FULL" : "NORMAL";
    }

    Paths(o);

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
  // Paths as mysqld resolves them: datadir against the current directory,
  // the pid file, error log and a relative socket against datadir.
  void Paths(ServerOptions* o) const {
    std::string host = env_.hostname.empty() ? "mysql" : env_.hostname;
    o->datadir = AbsoluteAgainst(ExpandHome(o->datadir, env_), env_.cwd);
    if (!o->basedir.empty()) o->basedir = AbsoluteAgainst(ExpandHome(o->basedir, env_), env_.cwd);
    if (o->tmpdir.empty()) o->tmpdir = env_.tmpdir.empty() ? "/tmp" : env_.tmpdir;
    if (!o->socket.empty()) o->socket = AbsoluteAgainst(ExpandHome(o->socket, env_), o->datadir);

    const Setting* pid = Get("pid_file");
    std::string pid_name = pid != nullptr && !pid->value.empty() ? pid->value : host;
    o->pid_file = AbsoluteAgainst(WithExtension(ExpandHome(pid_name, env_), ".pid"), o->datadir);

    if (const Setting* err = Get("log_error"); err != nullptr && !err->disabled) {
      std::string name = err->has_value && !err->value.empty() ? err->value : host;
      o->log_error = AbsoluteAgainst(WithExtension(ExpandHome(name, env_), ".err"), o->datadir);
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

struct FileSet {
  std::string path;
  bool required = false;
  bool lenient = false;
};

}  // namespace

Environment Environment::FromProcess() {
  Environment env;
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  env.cwd = ec ? "/" : cwd.string();
  if (const char* h = std::getenv("HOME")) env.home = h;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) env.hostname = host;
  if (const char* t = std::getenv("TMPDIR")) env.tmpdir = t;
  if (const char* m = std::getenv("MYSQL_HOME")) env.mysql_home = m;
  if (const char* g = std::getenv("MYSQL_GROUP_SUFFIX")) env.group_suffix = g;
  return env;
}

std::vector<std::string> ServerOptionGroups(std::string_view suffix) {
  std::vector<std::string> groups = {"mysqld", "server", "mysqld-5.7", "reptutd"};
  if (!suffix.empty()) {
    for (size_t i = 0, n = groups.size(); i < n; ++i)
      groups.push_back(groups[i] + std::string(suffix));
  }
  return groups;
}

Result<ServerOptions> ParseServerOptions(const std::vector<std::string>& argv) {
  RealFileSystem fs;
  return ParseServerOptions(argv, Environment::FromProcess(), fs);
}

Result<ServerOptions> ParseServerOptions(const std::vector<std::string>& argv,
                                         const Environment& env, const FileSystem& fs) {
  ServerOptions o;
  // The leading --no-defaults / --defaults-* arguments.
  size_t i = 1;
  bool no_defaults = false;
  std::optional<std::string> defaults_file, extra_file, suffix;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (!no_defaults && a == "--no-defaults") {
      no_defaults = true;
    } else if (!defaults_file && StartsWith(a, "--defaults-file=")) {
      defaults_file = a.substr(16);
    } else if (!extra_file && StartsWith(a, "--defaults-extra-file=")) {
      extra_file = a.substr(22);
    } else if (!suffix && StartsWith(a, "--defaults-group-suffix=")) {
      suffix = a.substr(24);
    } else {
      break;
    }
  }
  if (i < argv.size() && argv[i] == "--print-defaults") {
    o.print_defaults = true;
    ++i;
  }
  if (!suffix) suffix = env.group_suffix;

  std::vector<FileSet> files;
  if (no_defaults) {
    // No option files at all.
  } else if (defaults_file) {
    files.push_back({AbsoluteAgainst(ExpandHome(*defaults_file, env), env.cwd), true, false});
  } else {
    files.push_back({"/etc/my.cnf", false, true});
    files.push_back({"/etc/mysql/my.cnf", false, true});
    if (env.mysql_home) files.push_back({*env.mysql_home + "/my.cnf", false, true});
    if (extra_file) {
      files.push_back({AbsoluteAgainst(ExpandHome(*extra_file, env), env.cwd), true, false});
    }
    if (!env.home.empty()) files.push_back({env.home + "/.my.cnf", false, true});
  }

  OptionFileReader reader(fs, ServerOptionGroups(suffix.value_or("")));
  std::vector<std::pair<OptionEntry, bool>> entries;  // entry, lenient
  for (const FileSet& f : files) {
    std::vector<OptionEntry> got;
    REPTUT_RETURN_IF_ERROR(reader.ReadFile(f.path, f.required, &got));
    if (fs.ReadFile(f.path).found) o.files_read.push_back(f.path);
    for (OptionEntry& e : got) entries.emplace_back(std::move(e), f.lenient);
  }
  o.warnings = reader.warnings();

  for (const auto& [e, lenient] : entries) o.arguments.push_back(e.AsArgument());
  for (size_t k = i; k < argv.size(); ++k) o.arguments.push_back(argv[k]);
  if (o.print_defaults) return o;

  Collector c(&o.warnings);
  for (const auto& [e, lenient] : entries) {
    Source src{e.Origin(), " in config file " + e.file + " at line " + std::to_string(e.line),
               lenient};
    std::string text = e.value ? e.name + "=" + *e.value : e.name;
    REPTUT_RETURN_IF_ERROR(c.Long(e.name, e.value, text, src, Rest{}));
  }
  Source cmd{std::string(kCommandLine), "", false};
  while (i < argv.size()) {
    const std::string& a = argv[i++];
    Rest rest{&argv, &i};
    if (a == "--") {
      if (i < argv.size()) {
        return OptionError("Too many arguments (first extra is '" + argv[i] + "').");
      }
      break;
    }
    if (StartsWith(a, "--")) {
      std::string_view body = std::string_view(a).substr(2);
      size_t eq = body.find('=');
      std::optional<std::string> value;
      if (eq != std::string_view::npos) value = std::string(body.substr(eq + 1));
      REPTUT_RETURN_IF_ERROR(c.Long(body.substr(0, eq), value, body, cmd, rest));
    } else if (a.size() > 1 && a[0] == '-') {
      REPTUT_RETURN_IF_ERROR(c.Short(a, rest));
    } else {
      return OptionError("Too many arguments (first extra is '" + a + "').");
    }
  }

  Builder(c.settings(), env).Build(&o);
  return o;
}

std::string PrintDefaultsText(const ServerOptions& options, std::string_view program) {
  std::string out =
      std::string(program) + " would have been started with the following arguments:\n";
  for (const std::string& a : options.arguments) out += a + " ";
  out += "\n";
  return out;
}

}  // namespace reptut::config
