#include "flavor.h"

#include <unistd.h>

#include <cstdlib>
#include <set>
#include <sstream>

#include "failure.h"

namespace serveradm {

namespace fs = std::filesystem;

namespace {

bool IsExecutable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::vector<std::string> PathDirs() {
  std::vector<std::string> dirs;
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "");
  std::string d;
  while (std::getline(ss, d, ':'))
    if (!d.empty()) dirs.push_back(d);
  return dirs;
}

std::string FirstIn(const fs::path& dir, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (IsExecutable(dir / n)) return (dir / n).string();
  return "";
}

std::string UserOption() {
  // mariadbd refuses to run as root unless told to, and --user is only
  // honoured (and needed) when root starts it.
  return ::geteuid() == 0 ? "--user=root" : "";
}

// ------------------------------------------------------------------ bundled
class BundledFlavor : public Flavor {
 public:
  std::string Name() const override { return "bundled"; }

  // reptutd next to serveradm (both in a build's bin/, or both installed in
  // the same bin directory), else on PATH; or in basedir=DIR when given.
  std::vector<Programs> Candidates(const fs::path&, const std::string& basedir) const override {
    fs::path dir = basedir.empty() ? ExecutableDir() : fs::path(basedir);
    std::string mysqld = FirstIn(dir, {"reptutd"});
    if (mysqld.empty() && basedir.empty()) mysqld = FirstIn(dir / ".." / "bin", {"reptutd"});
    if (mysqld.empty() && basedir.empty()) {
      mysqld = FindProgram({"reptutd"});
      if (!mysqld.empty()) dir = fs::weakly_canonical(mysqld).parent_path();
    }
    if (mysqld.empty())
      throw Failure("", "find the bundled server",
                    "no reptutd in " + dir.string() + (basedir.empty() ? " nor on PATH" : "") +
                        " (build it: cmake --build <build> --target reptutd, or install it: "
                        "cmake --install <build>)");
    return {Resolve(fs::weakly_canonical(mysqld).string(), dir.string())};
  }

  Programs Resolve(const std::string& mysqld, const std::string& basedir) const override {
    Programs p;
    p.mysqld = mysqld;
    p.basedir = basedir;
    // The real clients people know, from Debian's mariadb-client.
    p.mysql = FindProgram({"mariadb", "mysql"}, {"/usr/bin"});
    p.mysqladmin = FindProgram({"mariadb-admin", "mysqladmin"}, {"/usr/bin"});
    p.mysqlbinlog = FindProgram({"mariadb-binlog", "mysqlbinlog"}, {"/usr/bin"});
    return p;
  }

  std::vector<std::string> BootstrapCommand(const Programs& p, const fs::path& datadir,
                                            const fs::path&) const override {
    return {p.mysqld, "--no-defaults", "--initialize-insecure", "--datadir=" + datadir.string()};
  }

  std::vector<std::string> BackupExcludes() const override {
    return {"master.info", "relay-log.info", "binlog_pos.dat"};
  }
};

// ------------------------------------------------------------------ mariadb
class MariadbFlavor : public Flavor {
 public:
  std::string Name() const override { return "mariadb"; }

  std::vector<Programs> Candidates(const fs::path& tutorial_dir,
                                   const std::string& basedir) const override {
    std::vector<Programs> out;
    std::set<std::string> seen;
    // The same program found twice (a link to it) counts once, as found first.
    auto consider = [&](const std::string& mysqld, const fs::path& base) {
      if (mysqld.empty()) return;
      if (!seen.insert(fs::weakly_canonical(mysqld).string()).second) return;
      out.push_back(Resolve(fs::absolute(mysqld).lexically_normal().string(),
                            fs::absolute(base).lexically_normal().string()));
    };
    std::vector<std::string> looked;
    if (!basedir.empty()) {
      fs::path b = fs::absolute(basedir);
      for (const char* sub : {"bin", "sbin", "libexec"})
        consider(FirstIn(b / sub, {"mariadbd", "mysqld"}), b);
      if (out.empty())
        throw Failure("", "find mariadbd",
                      "basedir=" + basedir + " has no bin/mariadbd, sbin/mariadbd or bin/mysqld");
      return out;
    }
    // An unpacked binary distribution inside the tutorial directory, as the
    // seed has people do.
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(tutorial_dir, ec)) {
      if (!e.is_directory()) continue;
      std::string n = e.path().filename().string();
      if (n.rfind("mariadb", 0) != 0 && n.rfind("mysql", 0) != 0) continue;
      consider(FirstIn(e.path() / "bin", {"mariadbd", "mysqld"}), e.path());
    }
    looked.push_back(tutorial_dir.string() + "/mariadb-*/bin");
    // Debian's server: /usr/sbin is not on a normal user's PATH.
    std::vector<std::string> dirs = PathDirs();
    for (const char* d : {"/usr/sbin", "/usr/libexec", "/usr/local/sbin", "/usr/local/mysql/bin"})
      dirs.push_back(d);
    for (const auto& d : dirs) {
      std::string m = FirstIn(d, {"mariadbd"});
      if (!m.empty()) consider(m, fs::path(d).parent_path());
    }
    looked.push_back("PATH, /usr/sbin, /usr/libexec");
    if (out.empty())
      throw Failure("", "find mariadbd",
                    "no MariaDB server found (looked in " + looked[0] + ", " + looked[1] +
                        "); install mariadb-server, unpack a binary distribution here, "
                        "or give basedir=DIR");
    return out;
  }

  Programs Resolve(const std::string& mysqld, const std::string& basedir) const override {
    Programs p;
    p.mysqld = mysqld;
    p.basedir = basedir;
    fs::path bin = fs::path(basedir) / "bin";
    auto client = [&](std::vector<std::string> names) {
      std::string c = FirstIn(bin, names);
      return c.empty() ? FindProgram(names, {"/usr/bin"}) : c;
    };
    p.mysql = client({"mariadb", "mysql"});
    p.mysqladmin = client({"mariadb-admin", "mysqladmin"});
    p.mysqlbinlog = client({"mariadb-binlog", "mysqlbinlog"});
    return p;
  }

  bool HasBootstrapSql() const override { return true; }

  std::vector<std::string> BootstrapCommand(const Programs& p, const fs::path& datadir,
                                            const fs::path& extra_sql) const override {
    fs::path base(p.basedir);
    std::string install = FirstIn(base / "scripts", {"mariadb-install-db", "mysql_install_db"});
    if (install.empty())
      install = FirstIn(base / "bin", {"mariadb-install-db", "mysql_install_db"});
    if (install.empty()) install = FindProgram({"mariadb-install-db", "mysql_install_db"});
    if (install.empty())
      throw Failure("", "bootstrap", "no mariadb-install-db in " + p.basedir + " nor on PATH");
    std::vector<std::string> cmd = {install, "--no-defaults", "--basedir=" + p.basedir,
                                    "--datadir=" + datadir.string(),
                                    "--auth-root-authentication-method=normal",
                                    // The test database comes with anonymous
                                    // users, who would shadow repl_user@'%'
                                    // for the slaves' logins: bootstrap.sql
                                    // makes the database alone.
                                    "--skip-test-db", "--skip-name-resolve",
                                    "--innodb-log-file-size=8M", "--innodb-buffer-pool-size=16M"};
    if (!UserOption().empty()) cmd.push_back(UserOption());
    if (!extra_sql.empty()) cmd.push_back("--extra-file=" + extra_sql.string());
    return cmd;
  }

  std::vector<std::string> BackupExcludes() const override {
    return {"master.info",    "relay-log.info", "multi-master.info",
            "binlog_pos.dat", "ibtmp1",         "ddl_recovery.log"};
  }
};

}  // namespace

const std::vector<std::string>& FlavorNames() {
  static const std::vector<std::string> kNames = {"bundled", "mariadb"};
  return kNames;
}

std::unique_ptr<Flavor> MakeFlavor(const std::string& name) {
  if (name == "bundled") return std::make_unique<BundledFlavor>();
  if (name == "mariadb") return std::make_unique<MariadbFlavor>();
  throw UsageError("flavor=" + name + ": unknown flavor (valid flavors: bundled, mariadb)");
}

fs::path ExecutableDir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

std::string FindProgram(const std::vector<std::string>& names,
                        const std::vector<std::string>& extra_dirs) {
  std::vector<std::string> dirs = PathDirs();
  dirs.insert(dirs.end(), extra_dirs.begin(), extra_dirs.end());
  for (const auto& n : names)
    for (const auto& d : dirs)
      if (IsExecutable(fs::path(d) / n)) return (fs::path(d) / n).string();
  return "";
}

}  // namespace serveradm
