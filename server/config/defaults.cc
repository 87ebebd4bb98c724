#include "config/defaults.h"

#include <optional>
#include <utility>

#include "config/path_names.h"

namespace reptut::config {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// An option file to read and how.
struct FileToRead {
  std::string path;
  bool required = false;  // --defaults-file, --defaults-extra-file
  bool default_search = false;
};

}  // namespace

std::vector<std::string> LoadedDefaults::Arguments() const {
  std::vector<std::string> args;
  for (const FileOption& o : options) args.push_back(o.entry.AsArgument());
  args.insert(args.end(), rest.begin(), rest.end());
  return args;
}

Result<LoadedDefaults> LoadDefaults(const std::vector<std::string>& argv,
                                    const std::vector<std::string>& groups, const Environment& env,
                                    const FileSystem& fs) {
  LoadedDefaults out;
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
    out.print_defaults = true;
    ++i;
  }
  out.rest.assign(argv.begin() + static_cast<std::ptrdiff_t>(std::min(i, argv.size())), argv.end());
  if (!suffix) suffix = env.group_suffix;

  std::vector<FileToRead> files;
  auto absolute = [&](const std::string& p) {
    return AbsoluteAgainst(ExpandHome(p, env.home), env.cwd);
  };
  if (no_defaults) {
    // No option files at all.
  } else if (defaults_file) {
    files.push_back({absolute(*defaults_file), true, false});
  } else {
    files.push_back({"/etc/my.cnf", false, true});
    files.push_back({"/etc/mysql/my.cnf", false, true});
    if (env.mysql_home) files.push_back({*env.mysql_home + "/my.cnf", false, true});
    if (extra_file) files.push_back({absolute(*extra_file), true, false});
    if (!env.home.empty()) files.push_back({env.home + "/.my.cnf", false, true});
  }

  std::vector<std::string> all_groups = groups;
  if (suffix && !suffix->empty()) {
    for (const std::string& g : groups) all_groups.push_back(g + *suffix);
  }
  OptionFileReader reader(fs, all_groups);
  for (const FileToRead& f : files) {
    std::vector<OptionEntry> got;
    REPTUT_RETURN_IF_ERROR(reader.ReadFile(f.path, f.required, &got));
    for (OptionEntry& e : got) out.options.push_back({std::move(e), f.default_search});
  }
  out.warnings = reader.warnings();
  out.files_read = reader.files_read();
  return out;
}

}  // namespace reptut::config
