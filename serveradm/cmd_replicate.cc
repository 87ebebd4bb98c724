// serveradm replicate SLAVE from=MASTER [file=F pos=P]
// serveradm sync [timeout=SECONDS]
#include <chrono>
#include <map>
#include <set>

#include "commands.h"
#include "context.h"
#include "failure.h"
#include "replication.h"
#include "teacher.h"

namespace serveradm {

namespace fs = std::filesystem;

int CmdReplicate(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"slave", "from", "file", "pos"}, {}, 1);
  std::string slave_name = args.GetOr("slave", args.positional.empty() ? "" : args.positional[0]);
  auto master_name = args.Get("from");
  if (slave_name.empty() || !master_name)
    throw UsageError("replicate: usage is replicate SLAVE from=MASTER [file=F pos=P]");
  if (args.Get("file").has_value() != args.Get("pos").has_value())
    throw UsageError("replicate: give both file=F and pos=P, or neither");
  Context ctx = Context::Load(dir);
  const ServerEntry s = ctx.Server(slave_name);
  const ServerEntry m = ctx.Server(*master_name);
  if (s.name == m.name) throw UsageError("replicate: a server cannot replicate from itself");
  if (!s.IsSlave())
    throw Failure(s.name, "replicate",
                  "it has roles=" + s.roles +
                      ": no relay log. Add a server with roles=slave or "
                      "roles=master,slave");
  if (!m.IsMaster())
    throw Failure(m.name, "replicate",
                  "it has roles=" + m.roles + ": no binary log to replicate from");
  std::optional<BinlogPosition> from;
  if (auto f = args.Get("file")) from = BinlogPosition{*f, *args.GetNumber("pos", ~0ul)};

  Connection master = ctx.Connect(m, "connect to the master");
  Connection slave = ctx.Connect(s, "connect to the slave");
  EnsureReplicationUser(ctx, master, m);
  PointSlaveAt(ctx, slave, s, m, from);
  RecordMaster(ctx, s.name, m.name);
  Teacher::Get().Say("Server " + s.name + " replicates from " + m.name +
                     ": Slave_IO_Running and Slave_SQL_Running are Yes.");
  return 0;
}

namespace {

// Slaves in an order where a server's master comes before it (cycles of
// dual masters in serverconfig order), so that each waits for a master that
// has itself caught up.
std::vector<std::pair<const ServerEntry*, const ServerEntry*>> SlavesInOrder(
    const Context& ctx, std::vector<std::pair<const ServerEntry*, const ServerEntry*>> pairs) {
  std::vector<std::pair<const ServerEntry*, const ServerEntry*>> out;
  std::set<std::string> done;
  while (!pairs.empty()) {
    bool progressed = false;
    for (auto it = pairs.begin(); it != pairs.end();) {
      bool master_pending = false;
      for (const auto& p : pairs)
        if (p.first == it->second) master_pending = true;
      if (!master_pending) {
        out.push_back(*it);
        it = pairs.erase(it);
        progressed = true;
      } else {
        ++it;
      }
    }
    if (!progressed) {  // a cycle: take the first, in serverconfig order
      out.push_back(pairs.front());
      pairs.erase(pairs.begin());
    }
  }
  (void)ctx;
  return out;
}

}  // namespace

int CmdSync(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"timeout"}, {}, 0);
  const int timeout_s = static_cast<int>(args.GetNumber("timeout", 3600).value_or(60));
  Context ctx = Context::Load(dir);
  Teacher& t = Teacher::Get();
  std::vector<std::pair<const ServerEntry*, const ServerEntry*>> pairs;
  std::map<std::string, Connection> conns;
  for (const auto& s : ctx.config().servers) {
    if (!s.IsSlave()) continue;
    auto c = Connection::Open({ctx.Paths(s.name).socket.string(), "", 0, "root", "", 2, 0});
    if (!c) {
      if (!s.master.empty())
        throw Failure(s.name, "sync",
                      "cannot log in (" + c.error().ToString() + "); is it running?");
      continue;
    }
    const ServerEntry* m = MasterOf(ctx, *c, s);
    if (!m) continue;
    conns.emplace(s.name, std::move(c.value()));
    pairs.push_back({&s, m});
  }
  if (pairs.empty()) {
    t.Say("No slaves replicate here yet: nothing to wait for.");
    return 0;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (auto [s, m] : SlavesInOrder(ctx, pairs)) {
    Connection master = ctx.Connect(*m, "sync: connect to the master");
    BinlogPosition target =
        MasterStatus(master, *m, "sync", "the position " + s->name + " must reach");
    Connection& slave = conns.at(s->name);
    const std::string wait_sql = "SELECT MASTER_POS_WAIT(" + SqlQuote(target.file) + ", " +
                                 std::to_string(target.pos) + ", 1)";
    t.Sql(s->name, wait_sql,
          "wait (up to 1 s at a time) until the slave has applied that position");
    while (true) {
      auto r = slave.Query(wait_sql);
      if (!r) throw Failure(s->name, "sync", r.error().ToString());
      if (r->rows.empty() || r->IsNull(0, r->columns[0])) {
        auto st = slave.Query("SHOW SLAVE STATUS");
        std::string why =
            st && !st->empty() ? st->Get(0, "Last_SQL_Error") + st->Get(0, "Last_IO_Error") : "";
        throw Failure(s->name, "sync",
                      "its SQL thread is not running" + (why.empty() ? std::string() : ": " + why) +
                          " (see serveradm status)");
      }
      if (std::stoll(r->rows[0][0].value_or("-1")) >= 0) break;
      auto st = slave.Query("SHOW SLAVE STATUS");
      if (st && !st->empty())
        t.Progress(s->name + ": " + st->Get(0, "Relay_Master_Log_File") + ":" +
                   st->Get(0, "Exec_Master_Log_Pos") + " -> " + m->name + " " + target.ToString());
      if (std::chrono::steady_clock::now() > deadline)
        throw Failure(s->name, "sync",
                      "did not reach " + m->name + "'s " + target.ToString() + " within " +
                          std::to_string(timeout_s) + " s");
    }
    t.EndProgress();
    t.Say(s->name + " has applied " + m->name + "'s binary log up to " + target.ToString() + ".");
  }
  return 0;
}

}  // namespace serveradm
