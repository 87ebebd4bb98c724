#include "args.h"

#include <charconv>

#include "failure.h"

namespace serveradm {

namespace {

std::string NormaliseKey(std::string key) {
  for (char& c : key)
    if (c == '-') c = '_';
  if (key == "role") key = "roles";
  if (key == "serverid") key = "server_id";
  return key;
}

std::string Join(const std::set<std::string>& items, const std::string& prefix) {
  std::string s;
  for (const auto& i : items) {
    if (!s.empty()) s += ", ";
    s += prefix + i;
  }
  return s.empty() ? "none" : s;
}

}  // namespace

const std::set<std::string>& KnownFlags() {
  static const std::set<std::string> kFlags = {"json", "dot",      "explain", "force",
                                               "help", "quiet",    "step",    "keep",
                                               "here", "exercise", "continue"};
  return kFlags;
}

std::optional<std::string> Args::Get(const std::string& key) const {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(const std::string& key, const std::string& fallback) const {
  auto v = Get(key);
  return v ? *v : fallback;
}

std::optional<unsigned long> Args::GetNumber(const std::string& key, unsigned long max) const {
  auto v = Get(key);
  if (!v) return std::nullopt;
  unsigned long n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc() || end != v->data() + v->size() || n > max)
    throw UsageError(key + "=" + *v + ": expected a number from 0 to " + std::to_string(max));
  return n;
}

Args ParseArgs(const std::vector<std::string>& argv) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) == 0 && a.size() > 2) {
      std::string body = a.substr(2);
      auto eq = body.find('=');
      if (eq != std::string::npos) {
        args.values[NormaliseKey(body.substr(0, eq))] = body.substr(eq + 1);
        continue;
      }
      std::string key = NormaliseKey(body);
      if (KnownFlags().count(key)) {
        args.flags.insert(key);
      } else if (i + 1 < argv.size()) {
        args.values[key] = argv[++i];
      } else {
        throw UsageError("option --" + body + " needs a value (--" + body + "=VALUE)");
      }
      continue;
    }
    if (a == "-h") {
      args.flags.insert("help");
      continue;
    }
    if (args.command.empty()) {
      args.command = a;
      continue;
    }
    auto eq = a.find('=');
    if (eq != std::string::npos && eq > 0) {
      args.values[NormaliseKey(a.substr(0, eq))] = a.substr(eq + 1);
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

void CheckArgs(const Args& args, const std::set<std::string>& keys,
               const std::set<std::string>& flags, size_t max_positional) {
  for (const auto& [k, v] : args.values)
    if (!keys.count(k))
      throw UsageError(args.command + ": unknown option '" + k + "' (valid: " + Join(keys, "") +
                       ")");
  for (const auto& f : args.flags)
    if (!flags.count(f) && f != "explain" && f != "help" && f != "quiet")
      throw UsageError(args.command + ": unknown flag --" + f + " (valid: " + Join(flags, "--") +
                       ", --explain)");
  if (args.positional.size() > max_positional)
    throw UsageError(args.command + ": unexpected argument '" + args.positional[max_positional] +
                     "'");
}

std::string Roles::ToString() const {
  if (master && slave) return "master,slave";
  if (master) return "master";
  if (slave) return "slave";
  return "";
}

Roles ParseRoles(const std::string& text) {
  Roles r;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string role =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (role == "master") {
      r.master = true;
    } else if (role == "slave") {
      r.slave = true;
    } else {
      throw UsageError("roles=" + text + ": unknown role '" + role +
                       "' (valid roles: master, slave, master,slave)");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return r;
}

}  // namespace serveradm
