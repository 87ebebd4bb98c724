#include "tutorial_config.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

#include "failure.h"

namespace serveradm {

ServerEntry* TutorialConfig::Find(const std::string& name) {
  for (auto& s : servers)
    if (s.name == name) return &s;
  return nullptr;
}

const ServerEntry* TutorialConfig::Find(const std::string& name) const {
  for (const auto& s : servers)
    if (s.name == name) return &s;
  return nullptr;
}

std::string TutorialConfig::ToToml() const {
  toml::table tutorial{{"flavor", flavor},
                       {"mysqld", mysqld},
                       {"basedir", basedir},
                       {"repl_user", repl_user},
                       {"repl_password", repl_password}};
  toml::array list;
  for (const auto& s : servers) {
    list.push_back(toml::table{{"name", s.name},
                               {"roles", s.roles},
                               {"port", s.port},
                               {"server_id", s.server_id},
                               {"master", s.master}});
  }
  toml::table root{{"tutorial", tutorial}};
  if (!list.empty()) root.insert("server", list);
  std::ostringstream out;
  out << "# serveradm's record of this tutorial directory: the flavor, its programs\n"
         "# and every server added. serveradm rewrites this file.\n\n"
      << root << "\n";
  return out.str();
}

TutorialConfig TutorialConfig::FromToml(const std::string& text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream cause;
    cause << e.description() << " at line " << e.source().begin.line;
    throw Failure("", "read " + source, cause.str());
  }
  TutorialConfig c;
  c.flavor = root["tutorial"]["flavor"].value_or(std::string());
  c.mysqld = root["tutorial"]["mysqld"].value_or(std::string());
  c.basedir = root["tutorial"]["basedir"].value_or(std::string());
  c.repl_user = root["tutorial"]["repl_user"].value_or(std::string("repl_user"));
  c.repl_password = root["tutorial"]["repl_password"].value_or(std::string("xyzzy"));
  if (auto* arr = root["server"].as_array()) {
    for (auto& node : *arr) {
      auto* t = node.as_table();
      if (!t) throw Failure("", "read " + source, "[[server]] entries must be tables");
      ServerEntry s;
      s.name = (*t)["name"].value_or(std::string());
      s.roles = (*t)["roles"].value_or(std::string());
      s.port = (*t)["port"].value_or(0);
      s.server_id = (*t)["server_id"].value_or(0);
      s.master = (*t)["master"].value_or(std::string());
      if (s.name.empty() || s.port <= 0)
        throw Failure("", "read " + source, "a [[server]] entry lacks a name or a port");
      c.servers.push_back(s);
    }
  }
  return c;
}

TutorialConfig TutorialConfig::Load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in)
    throw Failure("", "read " + file.filename().string(),
                  "no such file: run 'serveradm setup' in this directory first");
  std::stringstream ss;
  ss << in.rdbuf();
  return FromToml(ss.str(), file.string());
}

void TutorialConfig::Save(const std::filesystem::path& file) const {
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << ToToml();
    if (!out) throw Failure("", "write " + file.string(), "cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, file);
}

ConfigLock::ConfigLock(const std::filesystem::path& tutorial_dir) {
  auto path = tutorial_dir / "tmp" / "serveradm.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ >= 0) ::flock(fd_, LOCK_EX);
}

ConfigLock::~ConfigLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace serveradm
