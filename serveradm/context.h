// The tutorial directory a command works on: its configuration, flavor,
// templates and the paths of each server's files.
//
// Layout of a tutorial directory (relative names; the seed's layout):
//   serverconfig.toml            serveradm's record (tutorial_config.h)
//   mysqld mysql mysqladmin mysqlbinlog -> the flavor's programs
//   tmp/NAME.sock                sockets, serveradm.lock, pristine data dirs
//   NAME.cnf                     the server's option file (from a template)
//   NAME/data/                   its data directory
//   NAME/log/                    binary logs and relay logs
//   NAME/NAME.err, NAME/NAME.pid error log and pid file
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "client.h"
#include "flavor.h"
#include "templates.h"
#include "tutorial_config.h"

namespace serveradm {

struct ServerPaths {
  std::filesystem::path cnf, dir, datadir, logdir, socket, pid_file, error_log;
};

class Context {
 public:
  // Loads serverconfig.toml from `dir`; Failure when setup has not run.
  static Context Load(const std::filesystem::path& dir);
  Context(std::filesystem::path dir, TutorialConfig config);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path ConfigFile() const { return dir_ / "serverconfig.toml"; }
  TutorialConfig& config() { return config_; }
  const TutorialConfig& config() const { return config_; }
  const Flavor& flavor() const { return *flavor_; }
  Programs programs() const { return flavor_->Resolve(config_.mysqld, config_.basedir); }
  const TemplateStore& templates() const { return templates_; }

  ServerPaths Paths(const std::string& name) const;
  // The server entry by name; Failure listing the servers otherwise.
  const ServerEntry& Server(const std::string& name) const;
  // Re-reads serverconfig.toml (after another command changed it).
  void Reload();

  // Connects as root over the server's socket; Failure naming server and step.
  Connection Connect(const ServerEntry& s, const std::string& step, unsigned timeout_s = 2) const;

 private:
  std::filesystem::path dir_;
  TutorialConfig config_;
  std::unique_ptr<Flavor> flavor_;
  TemplateStore templates_;
};

// Explains `sql` (with --explain), runs it, and throws Failure naming the
// server, the step and the server's error.
Rows RunSql(Connection& c, const std::string& server, const std::string& step,
            const std::string& sql, const std::string& why);

}  // namespace serveradm
