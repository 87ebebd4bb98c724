// serveradm topology [--dot]: the master/slave tree as text, or as Graphviz.
#include <functional>
#include <set>

#include "commands.h"
#include "context.h"
#include "teacher.h"
#include "topology.h"

namespace serveradm {

namespace fs = std::filesystem;

std::vector<std::string> TopologyText(const std::vector<ServerEntry>& servers) {
  std::vector<std::string> lines;
  std::set<std::string> shown;
  auto label = [](const ServerEntry& s) {
    return s.name + " (" + s.roles + ", port " + std::to_string(s.port) + ", server_id " +
           std::to_string(s.server_id) + ")";
  };
  std::function<void(const ServerEntry&, const std::string&, bool, bool)> walk =
      [&](const ServerEntry& s, const std::string& indent, bool last, bool root) {
        std::string branch = root ? "" : (last ? "`-- " : "|-- ");
        if (shown.count(s.name)) {
          lines.push_back(indent + branch + s.name + " (replicates back: dual masters)");
          return;
        }
        shown.insert(s.name);
        lines.push_back(indent + branch + label(s));
        std::vector<const ServerEntry*> kids;
        for (const auto& k : servers)
          if (k.master == s.name) kids.push_back(&k);
        std::string child_indent = root ? "" : indent + (last ? "    " : "|   ");
        for (size_t i = 0; i < kids.size(); ++i)
          walk(*kids[i], child_indent, i + 1 == kids.size(), false);
      };
  auto known = [&](const std::string& name) {
    for (const auto& s : servers)
      if (s.name == name) return true;
    return false;
  };
  for (const auto& s : servers)
    if (s.master.empty() || !known(s.master)) walk(s, "", true, true);
  // Servers only in cycles (dual masters): start from the first of each.
  for (const auto& s : servers)
    if (!shown.count(s.name)) walk(s, "", true, true);
  return lines;
}

std::string TopologyDot(const std::vector<ServerEntry>& servers) {
  std::string out = "digraph replication {\n  rankdir=TB;\n  node [shape=box];\n";
  for (const auto& s : servers)
    out += "  \"" + s.name + "\" [label=\"" + s.name + "\\n" + s.roles + "\\nport " +
           std::to_string(s.port) + "\"];\n";
  for (const auto& s : servers)
    if (!s.master.empty()) out += "  \"" + s.master + "\" -> \"" + s.name + "\";\n";
  return out + "}";
}

int CmdTopology(const Args& args, const fs::path& dir) {
  CheckArgs(args, {}, {"dot"}, 0);
  Context ctx = Context::Load(dir);
  Teacher& t = Teacher::Get();
  if (args.Flag("dot")) {
    t.Say(TopologyDot(ctx.config().servers));
    return 0;
  }
  if (ctx.config().servers.empty()) {
    t.Say("No servers yet.");
    return 0;
  }
  for (const auto& l : TopologyText(ctx.config().servers)) t.Say(l);
  return 0;
}

}  // namespace serveradm
