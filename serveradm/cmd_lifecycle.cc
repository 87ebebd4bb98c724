// serveradm start|stop|restart [NAME... | all]
// serveradm status [--json] [NAME...]
#include <chrono>
#include <cstdio>
#include <mutex>

#include "commands.h"
#include "context.h"
#include "failure.h"
#include "scenario/report.h"
#include "supervisor.h"
#include "teacher.h"

namespace serveradm {

namespace fs = std::filesystem;
using scenario::JsonQuote;

namespace {

int StartAll(const Context& ctx, const std::vector<const ServerEntry*>& servers, int timeout_s) {
  Teacher& t = Teacher::Get();
  return ForEachParallel(servers, [&](const ServerEntry& s) {
    auto t0 = std::chrono::steady_clock::now();
    if (!StartServer(ctx, s, timeout_s)) {
      t.Say("Server " + s.name + " is already running.");
      return;
    }
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    Observation o = Observe(ctx, s);
    t.Say("Started " + s.name + " (pid " + std::to_string(o.pid) + ", port " +
          std::to_string(s.port) + ", " + std::to_string(ms) + " ms to the first login).");
  });
}

int StopAll(const Context& ctx, const std::vector<const ServerEntry*>& servers, int timeout_s) {
  Teacher& t = Teacher::Get();
  return ForEachParallel(servers, [&](const ServerEntry& s) {
    switch (StopServer(ctx, s, timeout_s)) {
      case StopHow::kNotRunning:
        t.Say("Server " + s.name + " is not running.");
        break;
      case StopHow::kClean:
        t.Say("Stopped " + s.name + " (clean shutdown).");
        break;
      case StopHow::kKilled:
        t.Say("Killed " + s.name + " (SIGKILL): no clean shutdown within " +
              std::to_string(timeout_s > 0 ? timeout_s : ctx.flavor().ShutdownTimeoutSeconds()) +
              " s.");
        break;
    }
  });
}

struct StatusRow {
  std::string name, flavor, roles, state, detail;
  int pid = 0, port = 0, server_id = 0;
  std::string binlog_file;
  long long binlog_pos = -1;
  bool is_slave = false;  // SHOW SLAVE STATUS has a row
  std::string master, io_running, sql_running, seconds_behind, last_error;
};

StatusRow Collect(const Context& ctx, const ServerEntry& s) {
  StatusRow r;
  r.name = s.name;
  r.flavor = ctx.config().flavor;
  r.roles = s.roles;
  r.port = s.port;
  r.server_id = s.server_id;
  Observation o = Observe(ctx, s);
  r.state = ToString(o.state);
  r.pid = o.state == State::kStopped ? 0 : o.pid;
  r.detail = o.detail;
  if (o.state != State::kRunning) return r;
  auto c = Connection::Open({ctx.Paths(s.name).socket.string(), "", 0, "root", "", 2, 5});
  if (!c) {
    r.detail = "login failed: " + c.error().ToString();
    return r;
  }
  Teacher::Get().Sql(s.name, "SHOW MASTER STATUS",
                     "the binary log file and position written so far");
  if (auto m = c->Query("SHOW MASTER STATUS"); m && !m->empty()) {
    r.binlog_file = m->Get(0, "File");
    r.binlog_pos = std::atoll(m->Get(0, "Position").c_str());
  }
  Teacher::Get().Sql(s.name, "SHOW SLAVE STATUS",
                     "the state of the slave threads, if it is a slave");
  if (auto sl = c->Query("SHOW SLAVE STATUS"); sl && !sl->empty()) {
    r.is_slave = true;
    std::string port = sl->Get(0, "Master_Port");
    r.master = sl->Get(0, "Master_Host") + ":" + port;
    for (const auto& other : ctx.config().servers)
      if (std::to_string(other.port) == port) r.master = other.name;
    r.io_running = sl->Get(0, "Slave_IO_Running");
    r.sql_running = sl->Get(0, "Slave_SQL_Running");
    r.seconds_behind =
        sl->IsNull(0, "Seconds_Behind_Master") ? "NULL" : sl->Get(0, "Seconds_Behind_Master");
    for (const char* col : {"Last_IO_Error", "Last_SQL_Error", "Last_Error"}) {
      std::string e = sl->Get(0, col);
      if (!e.empty()) {
        r.last_error = e;
        break;
      }
    }
  }
  return r;
}

}  // namespace

int CmdStart(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"timeout"}, {}, 1000);
  const int timeout_s = static_cast<int>(args.GetNumber("timeout", 3600).value_or(0));
  Context ctx = Context::Load(dir);
  auto servers = SelectServers(ctx, args.positional);
  if (servers.empty())
    throw Failure("", "start", "no servers yet: serveradm add name=master roles=master");
  return StartAll(ctx, servers, timeout_s) ? 1 : 0;
}

int CmdStop(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"timeout"}, {}, 1000);
  const int timeout_s = static_cast<int>(args.GetNumber("timeout", 3600).value_or(0));
  Context ctx = Context::Load(dir);
  return StopAll(ctx, SelectServers(ctx, args.positional), timeout_s) ? 1 : 0;
}

int CmdRestart(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"timeout"}, {}, 1000);
  const int timeout_s = static_cast<int>(args.GetNumber("timeout", 3600).value_or(0));
  Context ctx = Context::Load(dir);
  auto servers = SelectServers(ctx, args.positional);
  if (StopAll(ctx, servers, 0)) return 1;
  return StartAll(ctx, servers, timeout_s) ? 1 : 0;
}

int CmdStatus(const Args& args, const fs::path& dir) {
  CheckArgs(args, {}, {"json"}, 1000);
  Context ctx = Context::Load(dir);
  auto servers = SelectServers(ctx, args.positional);
  std::vector<StatusRow> rows(servers.size());
  std::vector<const ServerEntry*> order = servers;
  std::mutex mu;
  ForEachParallel(servers, [&](const ServerEntry& s) {
    StatusRow r = Collect(ctx, s);
    std::lock_guard lock(mu);
    for (size_t i = 0; i < order.size(); ++i)
      if (order[i] == &s) rows[i] = r;
  });
  Teacher& t = Teacher::Get();
  if (args.Flag("json")) {
    std::string out = "[";
    for (size_t i = 0; i < rows.size(); ++i) {
      const StatusRow& r = rows[i];
      auto str_or_null = [](const std::string& s) {
        return s.empty() ? std::string("null") : JsonQuote(s);
      };
      out += i ? ",\n " : "\n ";
      out += "{\"name\": " + JsonQuote(r.name) + ", \"flavor\": " + JsonQuote(r.flavor) +
             ", \"role\": " + JsonQuote(r.roles) + ", \"state\": " + JsonQuote(r.state) +
             ", \"pid\": " + (r.pid ? std::to_string(r.pid) : "null") +
             ", \"port\": " + std::to_string(r.port) +
             ", \"server_id\": " + std::to_string(r.server_id) +
             ", \"binlog_file\": " + str_or_null(r.binlog_file) +
             ", \"binlog_pos\": " + (r.binlog_pos >= 0 ? std::to_string(r.binlog_pos) : "null") +
             ", \"master\": " + str_or_null(r.master) +
             ", \"slave_io_running\": " + str_or_null(r.io_running) +
             ", \"slave_sql_running\": " + str_or_null(r.sql_running) +
             ", \"seconds_behind_master\": " +
             (r.seconds_behind.empty() || r.seconds_behind == "NULL" ? "null" : r.seconds_behind) +
             ", \"last_error\": " + str_or_null(r.last_error) +
             ", \"detail\": " + str_or_null(r.detail) + "}";
    }
    out += rows.empty() ? "]" : "\n]";
    t.Say(out);
    return 0;
  }
  char line[512];
  std::snprintf(line, sizeof line,
                "%-10s %-8s %-13s %-8s %-8s %-6s %-4s %-24s %-10s %-3s %-3s %-6s %s", "NAME",
                "FLAVOR", "ROLE", "STATE", "PID", "PORT", "ID", "BINLOG", "MASTER", "IO", "SQL",
                "BEHIND", "LAST ERROR");
  t.Say(line);
  for (const auto& r : rows) {
    std::string binlog =
        r.binlog_file.empty() ? "-" : r.binlog_file + ":" + std::to_string(r.binlog_pos);
    std::string err = !r.last_error.empty() ? r.last_error : r.detail;
    std::snprintf(line, sizeof line,
                  "%-10s %-8s %-13s %-8s %-8s %-6d %-4d %-24s %-10s %-3s %-3s %-6s %s",
                  r.name.c_str(), r.flavor.c_str(), r.roles.c_str(), r.state.c_str(),
                  r.pid ? std::to_string(r.pid).c_str() : "-", r.port, r.server_id, binlog.c_str(),
                  r.is_slave ? r.master.c_str() : "-", r.is_slave ? r.io_running.c_str() : "-",
                  r.is_slave ? r.sql_running.c_str() : "-",
                  r.is_slave ? r.seconds_behind.c_str() : "-", err.c_str());
    t.Say(line);
  }
  return 0;
}

}  // namespace serveradm
