// serveradm setup [flavor=bundled|mariadb] [basedir=DIR]
#include <filesystem>

#include "commands.h"
#include "failure.h"
#include "flavor.h"
#include "process.h"
#include "teacher.h"
#include "tutorial_config.h"

namespace serveradm {

namespace fs = std::filesystem;

namespace {

// Makes `link` a symbolic link to `target`, replacing an old link.
void Link(const fs::path& dir, const std::string& link, const std::string& target,
          const std::string& why) {
  if (target.empty())
    throw Failure("", "link ./" + link,
                  "no program for it found (install Debian's mariadb-client, "
                  "or run the project's scripts/install-deps.sh)");
  fs::path p = dir / link;
  std::error_code ec;
  if (fs::is_symlink(p, ec) || fs::is_regular_file(p, ec)) {
    if (!fs::is_symlink(p, ec))
      throw Failure("", "link ./" + link, p.string() + " exists and is not a link; move it away");
    fs::remove(p);
  }
  Teacher::Get().Action("", "ln -s " + target + " " + link, why);
  fs::create_symlink(target, p);
}

Programs Choose(const std::vector<Programs>& candidates, const std::string& flavor) {
  Teacher& t = Teacher::Get();
  if (candidates.size() == 1) return candidates[0];
  if (t.interactive()) {
    t.Say("Found these " + flavor + " servers:");
    for (size_t i = 0; i < candidates.size(); ++i)
      t.Say("  " + std::to_string(i + 1) + ") " + candidates[i].mysqld);
    for (;;) {
      std::string a = t.Ask("Which one should this tutorial use?", "1");
      size_t n = 0;
      try {
        n = std::stoul(a);
      } catch (...) {
      }
      if (n >= 1 && n <= candidates.size()) return candidates[n - 1];
      t.Say("Please answer with a number from 1 to " + std::to_string(candidates.size()) + ".");
    }
  }
  std::string others;
  for (size_t i = 1; i < candidates.size(); ++i) others += " " + candidates[i].mysqld;
  t.Say("Several " + flavor + " servers found; chose " + candidates[0].mysqld +
        " (others:" + others + "; pick one with basedir=DIR)");
  return candidates[0];
}

}  // namespace

int CmdSetup(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"flavor", "basedir"}, {}, 0);
  Teacher& t = Teacher::Get();
  const std::string flavor_name = args.GetOr("flavor", "bundled");
  auto flavor = MakeFlavor(flavor_name);
  fs::path config_file = dir / "serverconfig.toml";

  TutorialConfig config;
  if (fs::exists(config_file)) {
    config = TutorialConfig::Load(config_file);
    if (!config.servers.empty() && config.flavor != flavor_name)
      throw Failure("", "setup",
                    "this tutorial already has " + std::to_string(config.servers.size()) + " " +
                        config.flavor +
                        " server(s); their data directories cannot "
                        "change flavor. Use a new directory, or 'serveradm remove' them first");
  }
  Programs p = Choose(flavor->Candidates(dir, args.GetOr("basedir", "")), flavor_name);
  t.Say("Using the " + flavor_name + " flavor: server " + p.mysqld);

  fs::create_directories(dir / "tmp");
  Link(dir, "mysqld", p.mysqld, "so that ./mysqld --defaults-file=NAME.cnf starts a server");
  Link(dir, "mysql", p.mysql, "the command-line client: ./mysql --defaults-file=NAME.cnf -uroot");
  Link(dir, "mysqladmin", p.mysqladmin, "the administration client (status, shutdown, ...)");
  Link(dir, "mysqlbinlog", p.mysqlbinlog,
       "prints binary logs: ./mysqlbinlog NAME/log/NAME-bin.000001");

  config.flavor = flavor_name;
  config.mysqld = p.mysqld;
  config.basedir = p.basedir;
  t.Action("", "write serverconfig.toml", "serveradm's record of this tutorial directory");
  config.Save(config_file);
  t.Say("Tutorial directory " + dir.string() +
        " is set up (serverconfig.toml, tmp/, mysqld, "
        "mysql, mysqladmin, mysqlbinlog).");
  t.Say("Next: serveradm add name=master roles=master");
  return 0;
}

}  // namespace serveradm
