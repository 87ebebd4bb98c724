#include "config/options.h"

#include <utility>

#include "common/errors.h"
#include "config/fill_server_options.h"
#include "config/option_file.h"
#include "config/option_settings.h"
#include "config/path_names.h"

namespace reptut::config {
namespace {

Error OptionError(std::string message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::move(message));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// An option file to read and how.
struct FileSet {
  std::string path;
  bool required = false;  // --defaults-file, --defaults-extra-file
  bool lenient = false;   // the default search: unknown options are warnings
};

}  // namespace

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
    files.push_back({AbsoluteAgainst(ExpandHome(*defaults_file, env.home), env.cwd), true, false});
  } else {
    files.push_back({"/etc/my.cnf", false, true});
    files.push_back({"/etc/mysql/my.cnf", false, true});
    if (env.mysql_home) files.push_back({*env.mysql_home + "/my.cnf", false, true});
    if (extra_file) {
      files.push_back({AbsoluteAgainst(ExpandHome(*extra_file, env.home), env.cwd), true, false});
    }
    if (!env.home.empty()) files.push_back({env.home + "/.my.cnf", false, true});
  }

  OptionFileReader reader(fs, ServerOptionGroups(suffix.value_or("")));
  std::vector<std::pair<OptionEntry, bool>> entries;  // entry, lenient
  for (const FileSet& f : files) {
    std::vector<OptionEntry> got;
    REPTUT_RETURN_IF_ERROR(reader.ReadFile(f.path, f.required, &got));
    for (OptionEntry& e : got) entries.emplace_back(std::move(e), f.lenient);
  }
  o.warnings = reader.warnings();
  o.files_read = reader.files_read();

  for (const auto& [e, lenient] : entries) o.arguments.push_back(e.AsArgument());
  for (size_t k = i; k < argv.size(); ++k) o.arguments.push_back(argv[k]);
  if (o.print_defaults) return o;

  OptionSettings c(&o.warnings);
  for (const auto& [e, lenient] : entries) {
    Source src{e.Origin(), " in config file " + e.file + " at line " + std::to_string(e.line),
               lenient};
    std::string text = e.value ? e.name + "=" + *e.value : e.name;
    REPTUT_RETURN_IF_ERROR(c.Long(e.name, e.value, text, src, nullptr));
  }
  const Source cmd = Source::CommandLine();
  NextArgument next = [&]() -> std::optional<std::string> {
    if (i >= argv.size()) return std::nullopt;
    return argv[i++];
  };
  while (i < argv.size()) {
    const std::string& a = argv[i++];
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
      REPTUT_RETURN_IF_ERROR(c.Long(body.substr(0, eq), value, body, cmd, next));
    } else if (a.size() > 1 && a[0] == '-') {
      REPTUT_RETURN_IF_ERROR(c.Short(a, next));
    } else {
      return OptionError("Too many arguments (first extra is '" + a + "').");
    }
  }

  FillServerOptions(c.settings(), env, &o);
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
