// A flavor is the server implementation a tutorial directory runs: the
// bundled reptutd or a real MariaDB. Everything that differs between them
// lives here and in the flavor's template directory (sandbox-templates/F/):
// where the programs are, how a data directory is bootstrapped, what a backup
// leaves out. Commands never test the flavor's name.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace serveradm {

struct Programs {
  std::string mysqld;  // the server
  std::string mysql, mysqladmin, mysqlbinlog;
  std::string basedir;
};

class Flavor {
 public:
  virtual ~Flavor() = default;
  virtual std::string Name() const = 0;

  // Candidate server programs for `setup`, best first. `basedir` is the
  // user's hint (may be empty). Throws Failure when none exists, saying
  // where it looked.
  virtual std::vector<Programs> Candidates(const std::filesystem::path& tutorial_dir,
                                           const std::string& basedir) const = 0;
  // The programs of a tutorial already set up with this server program.
  virtual Programs Resolve(const std::string& mysqld, const std::string& basedir) const = 0;

  // The command that creates a fresh data directory (root without password).
  // `extra_sql`, when not empty, is a file of SQL the bootstrap runs too
  // (rendered from the flavor's bootstrap.sql template).
  virtual std::vector<std::string> BootstrapCommand(
      const Programs& p, const std::filesystem::path& datadir,
      const std::filesystem::path& extra_sql) const = 0;
  // Whether the flavor has a bootstrap.sql template to run at bootstrap.
  virtual bool HasBootstrapSql() const { return false; }
  // Whether one bootstrapped data directory may be copied for every server
  // (much faster than bootstrapping each).
  virtual bool CopyPristineDataDir() const { return true; }

  // Files of a data directory a backup leaves out: replication state that
  // belongs to the server it was taken from, not to its data.
  virtual std::vector<std::string> BackupExcludes() const = 0;

  // Seconds a clean shutdown may take before serveradm kills the server.
  virtual int ShutdownTimeoutSeconds() const { return 30; }
  virtual int StartTimeoutSeconds() const { return 60; }
};

// "bundled" or "mariadb"; Failure listing the valid flavors otherwise.
std::unique_ptr<Flavor> MakeFlavor(const std::string& name);
const std::vector<std::string>& FlavorNames();

// The directory holding this executable (for reptutd next to serveradm).
std::filesystem::path ExecutableDir();
// The first executable named `name` on PATH or in `extra` directories.
std::string FindProgram(const std::vector<std::string>& names,
                        const std::vector<std::string>& extra_dirs = {});

}  // namespace serveradm
