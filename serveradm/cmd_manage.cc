// serveradm add name=NAME roles=ROLES [port=P] [server_id=N]
// serveradm remove NAME [--force]
// serveradm list
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <set>

#include "commands.h"
#include "context.h"
#include "failure.h"
#include "ports.h"
#include "process.h"
#include "supervisor.h"
#include "teacher.h"

namespace serveradm {

namespace fs = std::filesystem;

namespace {

void CheckName(const std::string& name) {
  static const std::set<std::string> kReserved = {
      "tmp", "templates", "mysqld", "mysql", "mysqladmin", "mysqlbinlog", "all", "serverconfig"};
  bool ok = !name.empty() && name.size() <= 32 &&
            std::isalnum(static_cast<unsigned char>(name[0])) &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
            });
  // A name starting with '-' would read as an option to ./mysqld and to
  // every command that takes the name.
  if (!ok)
    throw UsageError("name=" + name +
                     ": a server name is 1 to 32 letters, digits, '_' or '-', starting with a "
                     "letter or digit");
  if (kReserved.count(name))
    throw UsageError("name=" + name + ": that name is taken by a file of the tutorial directory");
}

std::string UserName() {
  if (::geteuid() == 0) return "root";
  const char* u = std::getenv("USER");
  return u && *u ? u : "mysql";
}

// An flock held for a scope.
class FileLock {
 public:
  explicit FileLock(const fs::path& p)
      : fd_(::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  int fd_;
};

// Where bootstrapped data directories are kept for reuse: one per server
// program and bootstrap command, shared by every tutorial directory of this
// user, so only the very first `add` pays for a bootstrap.
fs::path PristineDir(const Context& ctx, const std::vector<std::string>& cmd_template) {
  fs::path base;
  if (const char* d = std::getenv("SERVERADM_CACHE_DIR"); d && *d) {
    base = d;
  } else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    base = fs::path(x) / "reptut";
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    base = fs::path(h) / ".cache" / "reptut";
  } else {
    base = ctx.dir() / "tmp";
  }
  std::string key = ctx.config().mysqld;
  std::error_code ec;
  key += "|" + std::to_string(fs::file_size(ctx.config().mysqld, ec));
  key +=
      "|" + std::to_string(fs::last_write_time(ctx.config().mysqld, ec).time_since_epoch().count());
  for (const auto& a : cmd_template) key += "|" + a;
  char hash[32];
  std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(key));
  return base / "pristine" / (ctx.config().flavor + "-" + hash);
}

// Makes `datadir` a freshly bootstrapped data directory. The flavor's
// bootstrap runs once into a pristine data directory (see PristineDir);
// every server then gets a copy, which takes milliseconds, not seconds.
void Bootstrap(const Context& ctx, const ServerEntry& s, const fs::path& datadir) {
  Teacher& t = Teacher::Get();
  Programs p = ctx.programs();
  std::string sql;
  if (ctx.flavor().HasBootstrapSql())
    sql = ctx.templates().RenderFile("bootstrap.sql", {{"name", s.name}}, "--");
  fs::path sql_file;
  auto run = [&](const fs::path& target) {
    if (!sql.empty()) {
      sql_file = target.parent_path() / "bootstrap.sql";
      std::ofstream(sql_file, std::ios::trunc) << sql;
    }
    auto cmd = ctx.flavor().BootstrapCommand(p, target, sql_file);
    t.Process(s.name, cmd, "create the system tables of a new data directory (root, no password)");
    RunResult r = RunProgram(cmd, ctx.dir());
    if (r.exit_code != 0) {
      std::string tail =
          r.output.size() > 2000 ? r.output.substr(r.output.size() - 2000) : r.output;
      throw Failure(s.name, "bootstrap",
                    cmd[0] + " exited with code " + std::to_string(r.exit_code) + ":\n" + tail);
    }
  };
  if (!ctx.flavor().CopyPristineDataDir()) {
    run(datadir);
    return;
  }
  auto key = ctx.flavor().BootstrapCommand(p, "DATADIR", "SQL");
  key.push_back(sql);
  fs::path pristine_dir = PristineDir(ctx, key);
  fs::create_directories(pristine_dir);
  fs::path pristine = pristine_dir / "data";
  {
    FileLock lock(pristine_dir / "lock");  // parallel adds bootstrap only once
    if (!fs::exists(pristine)) {
      fs::path partial = pristine_dir / "data.partial";
      std::error_code ec;
      fs::remove_all(partial, ec);
      run(partial);
      fs::rename(partial, pristine);
    }
  }
  t.Action(s.name, "cp -r " + pristine.string() + " " + fs::relative(datadir, ctx.dir()).string(),
           "copy a data directory bootstrapped by the same command before (cached per server "
           "program; SERVERADM_CACHE_DIR moves the cache)");
  fs::copy(pristine, datadir, fs::copy_options::recursive);
}

}  // namespace

int CmdAdd(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"name", "roles", "port", "server_id", "flavor", "basedir"}, {}, 1);
  Teacher& t = Teacher::Get();
  std::string name = args.GetOr("name", args.positional.empty() ? "" : args.positional[0]);
  if (name.empty())
    throw UsageError("add: name=NAME is required (e.g. add name=master roles=master)");
  CheckName(name);
  auto roles_text = args.Get("roles");
  if (!roles_text)
    throw UsageError("add: roles=ROLES is required (valid roles: master, slave, master,slave)");
  Roles roles = ParseRoles(*roles_text);
  auto port_arg = args.GetNumber("port", 65535);
  if (port_arg && *port_arg == 0)
    throw UsageError(
        "port=0: a server needs a TCP port from 1 to 65535 (or no port=, and "
        "serveradm picks a free one from 12000)");
  auto id_arg = args.GetNumber("server_id", 4294967295ul);
  if (id_arg && *id_arg == 0)
    throw UsageError("server_id=0: a replicating server needs a non-zero id");

  if (!fs::exists(dir / "serverconfig.toml")) {
    // As in the seed: adding to a directory not set up yet sets it up first.
    t.Say("No serverconfig.toml here yet: running setup first.");
    Args setup;
    setup.command = "setup";
    for (const char* key : {"flavor", "basedir"})
      if (auto v = args.Get(key)) setup.values[key] = *v;
    CmdSetup(setup, dir);
  } else if (args.Get("flavor") || args.Get("basedir")) {
    throw UsageError("add: flavor= and basedir= belong to setup; this directory is set up already");
  }
  Context ctx = Context::Load(dir);
  ServerEntry entry;
  PortRegistry ports(ctx.dir());
  {
    ConfigLock lock(ctx.dir());
    ctx.Reload();
    if (ctx.config().Find(name))
      throw Failure(name, "add", "a server of that name exists already (see 'serveradm list')");
    std::set<int> taken;
    std::set<int> ids;
    for (const auto& s : ctx.config().servers) {
      taken.insert(s.port);
      ids.insert(s.server_id);
    }
    entry.name = name;
    entry.roles = roles.ToString();
    if (port_arg) {
      int port = static_cast<int>(*port_arg);
      if (taken.count(port))
        throw Failure(name, "add",
                      "port " + std::to_string(port) + " belongs to another server here");
      if (auto other = ports.ClaimedByOther(port))
        throw Failure(
            name, "add",
            "port " + std::to_string(port) + " is claimed by the tutorial in " + other->string());
      if (!CanBind(port)) {
        auto holder = PortHolder(port);
        throw Failure(name, "add",
                      "port " + std::to_string(port) + " is taken by another process" +
                          (holder ? " (" + *holder + ")" : ""));
      }
      ports.Claim(port);
      entry.port = port;
    } else {
      std::set<int> skipped;
      entry.port = ports.Allocate(taken, &skipped);
      if (entry.port < 0)
        throw Failure(name, "add", "no free port from " + std::to_string(BasePort()) + " up");
      for (int p : skipped) {
        auto holder = PortHolder(p);
        t.Say("Port " + std::to_string(p) + " is taken by another process" +
              (holder ? " (" + *holder + ")" : "") + "; skipped it.");
      }
    }
    if (id_arg) {
      if (ids.count(static_cast<int>(*id_arg)))
        throw Failure(name, "add",
                      "server_id=" + std::to_string(*id_arg) + " is used by another server");
      entry.server_id = static_cast<int>(*id_arg);
    } else {
      entry.server_id = ids.empty() ? 1 : *ids.rbegin() + 1;
    }
    ctx.config().servers.push_back(entry);
    t.Action(
        name, "record the server in serverconfig.toml",
        "port " + std::to_string(entry.port) + ", server id " + std::to_string(entry.server_id));
    ctx.config().Save(ctx.ConfigFile());
  }

  const ServerPaths p = ctx.Paths(name);
  try {
    std::string role_fragment = roles.master && roles.slave ? "role-master-slave.cnf"
                                : roles.master              ? "role-master.cnf"
                                                            : "role-slave.cnf";
    TemplateValues values = {{"name", name},
                             {"roles", entry.roles},
                             {"port", std::to_string(entry.port)},
                             {"server_id", std::to_string(entry.server_id)},
                             {"user", UserName()},
                             {"tutorial_dir", ctx.dir().string()},
                             {"datadir", p.datadir.string()},
                             {"pid_file", p.pid_file.string()},
                             {"socket", p.socket.string()},
                             {"error_log", p.error_log.string()},
                             {"log_dir", p.logdir.string()}};
    values["role_options"] = ctx.templates().RenderFile(role_fragment, values);
    if (p.socket.string().size() >= 107)
      throw Failure(name, "add",
                    "socket path " + p.socket.string() +
                        " is too long for a Unix socket (107 bytes); use a shorter "
                        "tutorial directory path");
    std::string text = ctx.templates().RenderFile("server.cnf", values);
    t.Action(name, "write " + name + ".cnf", "the server's options; roles " + entry.roles);
    {
      std::ofstream out(p.cnf, std::ios::trunc);
      out << text;
      if (!out) throw Failure(name, "write " + name + ".cnf", "cannot write " + p.cnf.string());
    }
    t.Say("Creating file for " + name + "...done!");
    fs::create_directories(p.logdir);
    if (fs::exists(p.datadir))
      throw Failure(name, "bootstrap", p.datadir.string() + " exists already; remove it first");
    auto t0 = std::chrono::steady_clock::now();
    Bootstrap(ctx, entry, p.datadir);
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    t.Say("Bootstrapping server " + name + "...done!");
    t.Say("Added server " + name + " (roles " + entry.roles + ", port " +
          std::to_string(entry.port) + ", server_id " + std::to_string(entry.server_id) + ", " +
          std::to_string(ms) + " ms). Start it with: serveradm start " + name +
          "  (or ./mysqld --defaults-file=" + name + ".cnf)");
  } catch (...) {
    // Undo: a half-added server must not linger in serverconfig.toml.
    std::error_code ec;
    fs::remove(p.cnf, ec);
    fs::remove_all(p.dir, ec);
    ConfigLock lock(ctx.dir());
    ctx.Reload();
    auto& list = ctx.config().servers;
    list.erase(
        std::remove_if(list.begin(), list.end(), [&](const auto& s) { return s.name == name; }),
        list.end());
    ctx.config().Save(ctx.ConfigFile());
    ports.Release(entry.port);
    throw;
  }
  return 0;
}

int CmdRemove(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"name"}, {"force"}, 1);
  Teacher& t = Teacher::Get();
  std::string name = args.GetOr("name", args.positional.empty() ? "" : args.positional[0]);
  if (name.empty()) throw UsageError("remove: which server? (remove NAME)");
  Context ctx = Context::Load(dir);
  const ServerEntry entry = ctx.Server(name);
  if (!args.Flag("force")) {
    if (!t.interactive())
      throw Failure(name, "remove", "deleting its data needs confirmation: add --force");
    std::string a =
        t.Ask("Delete server " + name + " with its data directory and logs? (yes/no)", "no");
    if (a != "yes" && a != "y") {
      t.Say("Nothing removed.");
      return 1;
    }
  }
  StopHow how = StopServer(ctx, entry);
  if (how != StopHow::kNotRunning) t.Say("Stopped " + name + ".");
  const ServerPaths p = ctx.Paths(name);
  t.Action(name, "rm -r " + name + ".cnf " + name + "/", "delete its option file, data and logs");
  std::error_code ec;
  fs::remove(p.cnf, ec);
  fs::remove_all(p.dir, ec);
  fs::remove(p.socket, ec);
  {
    ConfigLock lock(ctx.dir());
    ctx.Reload();
    auto& list = ctx.config().servers;
    list.erase(
        std::remove_if(list.begin(), list.end(), [&](const auto& s) { return s.name == name; }),
        list.end());
    for (auto& s : list)
      if (s.master == name) s.master.clear();
    ctx.config().Save(ctx.ConfigFile());
  }
  PortRegistry(ctx.dir()).Release(entry.port);
  t.Say("Removed server " + name + ".");
  return 0;
}

int CmdList(const Args& args, const fs::path& dir) {
  CheckArgs(args, {}, {}, 0);
  Context ctx = Context::Load(dir);
  Teacher& t = Teacher::Get();
  t.Say("Flavor " + ctx.config().flavor + " (" + ctx.config().mysqld + ")");
  for (const auto& s : ctx.config().servers) {
    char line[256];
    std::snprintf(line, sizeof line, "%-12s roles=%-13s port=%-6d server_id=%-4d %s.cnf%s",
                  s.name.c_str(), s.roles.c_str(), s.port, s.server_id, s.name.c_str(),
                  s.master.empty() ? "" : ("  master=" + s.master).c_str());
    t.Say(line);
  }
  if (ctx.config().servers.empty()) t.Say("No servers yet: serveradm add name=master roles=master");
  return 0;
}

}  // namespace serveradm
