// serverconfig.toml: serveradm's record of one tutorial directory (the seed's
// serverconfig.pl): which flavor and programs it uses and which servers exist.
//
//   [tutorial]
//   flavor = "mariadb"
//   mysqld = "/usr/sbin/mariadbd"
//   basedir = "/usr"
//   [[server]]
//   name = "master"  roles = "master"  port = 12000  server_id = 1  master = ""
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace serveradm {

struct ServerEntry {
  std::string name;
  std::string roles;  // "master", "slave" or "master,slave"
  int port = 0;
  int server_id = 0;
  std::string master;  // the server it replicates from, set by replicate/loadslave
  bool IsMaster() const { return roles.find("master") != std::string::npos; }
  bool IsSlave() const { return roles.find("slave") != std::string::npos; }
};

struct TutorialConfig {
  std::string flavor;   // "bundled" or "mariadb"
  std::string mysqld;   // absolute path of the server program
  std::string basedir;  // the flavor's installation directory
  std::string repl_user = "repl_user";
  std::string repl_password = "xyzzy";
  std::vector<ServerEntry> servers;  // in the order they were added

  ServerEntry* Find(const std::string& name);
  const ServerEntry* Find(const std::string& name) const;

  // Throws Failure naming the file and the TOML error.
  static TutorialConfig Load(const std::filesystem::path& file);
  // Writes atomically (temporary file + rename).
  void Save(const std::filesystem::path& file) const;
  std::string ToToml() const;
  static TutorialConfig FromToml(const std::string& text, const std::string& source);
};

// An exclusive lock over a read-modify-write of serverconfig.toml, so that
// two serveradm commands running at once in one directory do not lose updates.
class ConfigLock {
 public:
  explicit ConfigLock(const std::filesystem::path& tutorial_dir);
  ~ConfigLock();
  ConfigLock(const ConfigLock&) = delete;
  ConfigLock& operator=(const ConfigLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace serveradm
