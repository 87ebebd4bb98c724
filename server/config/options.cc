#include "config/options.h"

#include <utility>

#include "common/errors.h"
#include "config/defaults.h"
#include "config/fill_server_options.h"
#include "config/option_file.h"
#include "config/option_settings.h"

namespace reptut::config {
namespace {

Error OptionError(std::string message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::move(message));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

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
  Result<LoadedDefaults> loaded = LoadDefaults(argv, ServerOptionGroups(""), env, fs);
  if (!loaded.ok()) return loaded.error();
  const LoadedDefaults& d = *loaded;
  ServerOptions o;
  o.print_defaults = d.print_defaults;
  o.warnings = d.warnings;
  o.files_read = d.files_read;
  o.arguments = d.Arguments();
  if (o.print_defaults) return o;

  OptionSettings c(&o.warnings);
  for (const FileOption& f : d.options) {
    const OptionEntry& e = f.entry;
    Source src{e.Origin(), " in config file " + e.file + " at line " + std::to_string(e.line),
               f.from_default_search};
    std::string text = e.value ? e.name + "=" + *e.value : e.name;
    REPTUT_RETURN_IF_ERROR(c.Long(e.name, e.value, text, src, nullptr));
  }
  const Source cmd = Source::CommandLine();
  const std::vector<std::string>& args = d.rest;
  size_t i = 0;
  NextArgument next = [&]() -> std::optional<std::string> {
    if (i >= args.size()) return std::nullopt;
    return args[i++];
  };
  while (i < args.size()) {
    const std::string& a = args[i++];
    if (a == "--") {
      if (i < args.size()) {
        return OptionError("Too many arguments (first extra is '" + args[i] + "').");
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
