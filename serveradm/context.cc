#include "context.h"

#include "failure.h"
#include "teacher.h"

namespace serveradm {

namespace fs = std::filesystem;

Context Context::Load(const fs::path& dir) {
  fs::path abs = fs::absolute(dir).lexically_normal();
  if (abs.has_filename() == false) abs = abs.parent_path();
  return Context(abs, TutorialConfig::Load(abs / "serverconfig.toml"));
}

Context::Context(fs::path dir, TutorialConfig config)
    : dir_(std::move(dir)),
      config_(std::move(config)),
      flavor_(MakeFlavor(config_.flavor)),
      templates_(dir_, config_.flavor) {}

void Context::Reload() {
  config_ = TutorialConfig::Load(ConfigFile());
}

ServerPaths Context::Paths(const std::string& name) const {
  ServerPaths p;
  p.cnf = dir_ / (name + ".cnf");
  p.dir = dir_ / name;
  p.datadir = p.dir / "data";
  p.logdir = p.dir / "log";
  p.socket = dir_ / "tmp" / (name + ".sock");
  p.pid_file = p.dir / (name + ".pid");
  p.error_log = p.dir / (name + ".err");
  return p;
}

const ServerEntry& Context::Server(const std::string& name) const {
  if (const ServerEntry* s = config_.Find(name)) return *s;
  std::string known;
  for (const auto& s : config_.servers) known += (known.empty() ? "" : ", ") + s.name;
  throw Failure(name, "find server",
                "no server named '" + name + "' in serverconfig.toml (servers: " +
                    (known.empty() ? "none yet; add one with 'serveradm add'" : known) + ")");
}

Connection Context::Connect(const ServerEntry& s, const std::string& step,
                            unsigned timeout_s) const {
  ConnectOptions o;
  o.socket = Paths(s.name).socket.string();
  o.connect_timeout_s = timeout_s;
  auto c = Connection::Open(o);
  if (!c)
    throw Failure(s.name, step,
                  "cannot log in over " + o.socket + " (" + c.error().ToString() +
                      "); is it running? try 'serveradm start " + s.name + "'");
  return std::move(c.value());
}

Rows RunSql(Connection& c, const std::string& server, const std::string& step,
            const std::string& sql, const std::string& why) {
  Teacher::Get().Sql(server, sql, why);
  auto r = c.Query(sql);
  if (!r) throw Failure(server, step, sql + " failed: " + r.error().ToString());
  return std::move(r.value());
}

}  // namespace serveradm
