#include "scenario/runner.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "commands.h"
#include "context.h"
#include "failure.h"
#include "process.h"
#include "scenario/expect.h"
#include "supervisor.h"

namespace serveradm::scenario {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string Truncate(std::string s, size_t n) {
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  if (s.size() > n) s = s.substr(0, n - 3) + "...";
  return s;
}

std::string DescribeExpectation(const Expectation& e) {
  std::vector<std::string> parts;
  if (e.error) parts.push_back("error " + std::to_string(*e.error));
  if (e.count) parts.push_back(std::to_string(*e.count) + " row(s)");
  if (e.rows) {
    std::string w = "rows [";
    for (size_t r = 0; r < e.rows->size(); ++r) {
      w += r ? ", [" : "[";
      for (size_t c = 0; c < (*e.rows)[r].size(); ++c) {
        const auto& cell = (*e.rows)[r][c];
        w += (c ? ", " : "") + (cell ? "'" + *cell + "'" : std::string("NULL"));
      }
      w += "]";
    }
    parts.push_back(w + "]");
  }
  if (e.value) parts.push_back("value " + e.value->Describe());
  for (const auto& [col, m] : e.fields) parts.push_back(col + " " + m.Describe());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// A login that failed, with the server's or the library's error code, so an
// `error: 1045` expectation can match it.
class ConnectFailure : public Failure {
 public:
  ConnectFailure(const std::string& server, const std::string& step, const SqlError& e)
      : Failure(server, step, e.ToString()), error_(e) {}
  const SqlError& error() const { return error_; }

 private:
  SqlError error_;
};

bool ConnectionLost(unsigned code) {
  return code == 2002 || code == 2003 || code == 2006 || code == 2013 || code == 2055;
}

}  // namespace

volatile std::sig_atomic_t g_interrupted = 0;

Runner::Runner(const Scenario& scenario, fs::path dir, std::string flavor)
    : scenario_(scenario), dir_(std::move(dir)), flavor_(std::move(flavor)) {}

Runner::~Runner() = default;

void Runner::Setup() {
  Args a;
  a.command = "setup";
  a.values["flavor"] = flavor_;
  CmdSetup(a, dir_);
}

std::map<std::string, std::string> Runner::Vars() const {
  std::map<std::string, std::string> v;
  v["flavor"] = flavor_;
  v["dir"] = dir_.string();
  if (fs::exists(dir_ / "serverconfig.toml")) {
    TutorialConfig c = TutorialConfig::Load(dir_ / "serverconfig.toml");
    v["repl_user"] = c.repl_user;
    v["repl_password"] = c.repl_password;
    for (const auto& s : c.servers) {
      v[s.name + ".port"] = std::to_string(s.port);
      v[s.name + ".server_id"] = std::to_string(s.server_id);
      v[s.name + ".socket"] = (dir_ / "tmp" / (s.name + ".sock")).string();
    }
  }
  for (const auto& [k, val] : captures_) v[k] = val;
  return v;
}

Connection& Runner::Connect(const std::string& server, const std::string& user,
                            const std::string& password, const std::string& database) {
  std::string key = server + '\0' + user + '\0' + password + '\0' + database;
  auto it = connections_.find(key);
  if (it != connections_.end()) return it->second;
  ConnectOptions o;
  o.socket = (dir_ / "tmp" / (server + ".sock")).string();
  o.user = user;
  o.password = password;
  o.connect_timeout_s = 5;
  auto c = Connection::Open(o);
  if (!c) {
    SqlError e = c.error();
    if (ConnectionLost(e.code)) e.message += " (is the server running?)";
    throw ConnectFailure(server, "connect as " + user, e);
  }
  if (!database.empty()) {
    auto u = c->Execute("USE `" + database + "`");
    if (!u) throw ConnectFailure(server, "USE " + database, u.error());
  }
  return connections_.emplace(key, std::move(c.value())).first->second;
}

std::vector<std::string> Runner::ServersOf(const Step& s) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (n.empty()) return;
    for (const auto& x : out)
      if (x == n) return;
    out.push_back(n);
  };
  bool all = s.kind == Kind::kSync || s.kind == Kind::kShell;
  for (const auto& n : s.servers) all |= n == "all";
  if (all) {
    for (const auto& d : scenario_.servers) add(d.name);
  } else {
    for (const auto& n : s.servers) add(n);
  }
  add(s.on);
  add(s.target);
  add(s.from);
  for (const auto& c : s.checks) add(c.on);
  return out;
}

std::string Runner::Label(size_t index) const {
  const Step& s = scenario_.steps[index];
  if (!s.title.empty()) return s.title;
  std::string names;
  for (const auto& n : s.servers) names += (names.empty() ? "" : ", ") + n;
  switch (s.kind) {
    case Kind::kAdd:
    case Kind::kStart:
    case Kind::kStop:
    case Kind::kKill:
    case Kind::kRestart:
      return std::string(KindName(s.kind)) + " " + names;
    case Kind::kSql:
      return "sql on " + s.on + ": " + Truncate(s.statements.front(), 60) +
             (s.statements.size() > 1 ? " (+" + std::to_string(s.statements.size() - 1) + ")" : "");
    case Kind::kExpect:
    case Kind::kWaitFor:
      return std::string(KindName(s.kind)) + " on " + s.on + ": " +
             Truncate(s.statements.front(), 50) + " -> " +
             Truncate(DescribeExpectation(s.expect), 40);
    case Kind::kSync:
      return "sync (every slave catches up)";
    case Kind::kReplicate:
      return "replicate " + s.target + " from " + s.from;
    case Kind::kTakeBackup:
      return "takebackup " + s.target + " into " + s.file;
    case Kind::kLoadSlave:
      return "loadslave " + s.target + " from " + s.file;
    case Kind::kShell:
      return "shell: " + Truncate(s.command, 70);
    case Kind::kNote:
      return "note: " + Truncate(s.text, 70);
  }
  return "?";
}

std::vector<std::string> Runner::Commands(size_t index) const {
  const Step& s = scenario_.steps[index];
  auto vars = Vars();
  auto x = [&](const std::string& t) {
    try {
      return Expand(t, vars);
    } catch (const std::out_of_range&) {
      return t;  // not known yet: shown as written
    }
  };
  std::vector<std::string> out;
  auto sql_prefix = [&](const std::string& on, const std::string& user) {
    return "[" + on + (user == "root" ? "" : " as " + user) + "] SQL> ";
  };
  switch (s.kind) {
    case Kind::kAdd:
      for (const auto& n : s.servers) {
        const ServerDecl* d = scenario_.FindServer(n);
        std::string c = "serveradm add name=" + n + " roles=" + d->roles;
        if (d->server_id) c += " server_id=" + std::to_string(d->server_id);
        out.push_back(c);
      }
      break;
    case Kind::kStart:
    case Kind::kStop:
    case Kind::kRestart: {
      std::string c = std::string("serveradm ") + KindName(s.kind);
      for (const auto& n : s.servers) c += " " + n;
      out.push_back(c);
      break;
    }
    case Kind::kKill:
      for (const auto& n : s.servers) out.push_back("kill -9 $(cat " + n + "/" + n + ".pid)");
      break;
    case Kind::kSql:
      for (const auto& st : s.statements) out.push_back(sql_prefix(s.on, s.user) + x(st) + ";");
      if (s.expect.error) out.back() += "   -- expect error " + std::to_string(*s.expect.error);
      break;
    case Kind::kExpect:
    case Kind::kWaitFor:
      out.push_back(sql_prefix(s.on, s.user) + x(s.statements.front()) + ";   -- " +
                    (s.kind == Kind::kWaitFor ? "wait for " : "expect ") +
                    DescribeExpectation(s.expect));
      break;
    case Kind::kSync:
      out.push_back("serveradm sync");
      break;
    case Kind::kReplicate:
      out.push_back("serveradm replicate " + s.target + " from=" + s.from +
                    (s.file.empty() ? "" : " file=" + x(s.file) + " pos=" + x(s.pos)));
      break;
    case Kind::kTakeBackup:
      out.push_back("serveradm takebackup " + s.target + " " + x(s.file));
      break;
    case Kind::kLoadSlave:
      out.push_back("serveradm loadslave " + s.target + " " + x(s.file) +
                    (s.from.empty() ? "" : " from=" + s.from));
      break;
    case Kind::kShell:
      out.push_back("$ " + x(s.command));
      break;
    case Kind::kNote:
      break;
  }
  for (const auto& c : s.checks)
    out.push_back("check " + sql_prefix(c.on, c.user) + x(c.query) + ";   -- " +
                  (c.timeout_s > 0 ? "wait for " : "expect ") + DescribeExpectation(c.expect));
  return out;
}

void Runner::KillAll() {
  connections_.clear();
  if (!fs::exists(dir_ / "serverconfig.toml")) return;
  Context ctx = Context::Load(dir_);
  for (const auto& s : ctx.config().servers) {
    Observation o = Observe(ctx, s);
    if (o.state == State::kRunning || o.state == State::kStarting) {
      ::kill(o.pid, SIGKILL);
      WaitForExit(o.pid, std::chrono::seconds(10));
    }
  }
}

CheckResult Runner::RunCheck(const Check& c, double cap_s) {
  CheckResult r;
  r.label = (c.timeout_s > 0 ? "wait_for on " : "expect on ") + c.on + ": " +
            Truncate(c.query, 50) + " -> " + Truncate(DescribeExpectation(c.expect), 40);
  r.why = c.why;
  auto vars = Vars();
  const std::string q = Expand(c.query, vars);
  const double timeout_s = cap_s > 0 && c.timeout_s > cap_s ? cap_s : c.timeout_s;
  int poll_ms = 1;
  auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
  for (;;) {
    Expected<Rows> outcome = SqlError{0, ""};
    try {
      outcome = Connect(c.on, c.user, c.password, c.database).Query(q);
    } catch (const ConnectFailure& f) {
      outcome = f.error();
    }
    if (!outcome.ok() && ConnectionLost(outcome.error().code)) connections_.clear();
    Verdict v = Evaluate(c.expect, outcome, vars);
    if (v.ok) {
      r.ok = true;
      return r;
    }
    if (Clock::now() >= deadline || g_interrupted) {
      r.expected = v.expected;
      r.seen = v.seen;
      if (!c.message.empty()) r.seen += " -- " + Expand(c.message, vars);
      return r;
    }
    // Poll quickly at first (replication usually takes milliseconds), then
    // back off to 20 ms.
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
    poll_ms = std::min(poll_ms * 2, 20);
  }
}

void Runner::RunAction(const Step& s, StepResult& r) {
  auto vars = Vars();
  auto x = [&](const std::string& t) { return Expand(t, vars); };
  auto fail = [&](std::string expected, std::string seen, std::string detail = "") {
    r.status = Status::kFailed;
    r.expected = std::move(expected);
    r.seen = std::move(seen);
    r.detail = std::move(detail);
  };
  auto capture = [&](const Rows& rows) {
    for (const auto& [var, col] : s.capture) {
      if (rows.rows.empty()) {
        fail("a row to capture " + col + " from", "no rows");
        return;
      }
      size_t idx = rows.columns.size();
      for (size_t i = 0; i < rows.columns.size(); ++i)
        if (rows.columns[i] == col) idx = i;
      if (idx == rows.columns.size()) {
        std::string cols;
        for (const auto& c : rows.columns) cols += (cols.empty() ? "" : ", ") + c;
        fail("a column named " + col + " to capture into ${" + var + "}", "columns " + cols);
        return;
      }
      captures_[var] = rows.rows[0][idx].value_or("NULL");
    }
  };
  auto lifecycle = [&](const std::string& what, auto fn) {
    Context ctx = Context::Load(dir_);
    std::vector<std::string> names;
    for (const auto& n : s.servers)
      if (n == "all") {
        for (const auto& e : ctx.config().servers) names.push_back(e.name);
      } else {
        names.push_back(n);
      }
    std::vector<std::thread> threads;
    std::mutex mu;
    std::string errors;
    for (const auto& n : names)
      threads.emplace_back([&, n] {
        try {
          fn(ctx, ctx.Server(n));
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          errors += (errors.empty() ? "" : "\n      ") + std::string(e.what());
        }
      });
    for (auto& t : threads) t.join();
    if (!errors.empty()) fail("", "", what + " failed: " + errors);
  };

  switch (s.kind) {
    case Kind::kAdd: {
      connections_.clear();
      for (const auto& n : s.servers) {
        const ServerDecl* d = scenario_.FindServer(n);
        Args a;
        a.command = "add";
        a.values["name"] = n;
        a.values["roles"] = d->roles;
        if (d->server_id) a.values["server_id"] = std::to_string(d->server_id);
        CmdAdd(a, dir_);
      }
      break;
    }
    case Kind::kStart:
      lifecycle("start", [](const Context& ctx, const ServerEntry& e) { StartServer(ctx, e, 0); });
      break;
    case Kind::kStop:
      connections_.clear();
      lifecycle("stop", [](const Context& ctx, const ServerEntry& e) { StopServer(ctx, e, 0); });
      break;
    case Kind::kRestart:
      connections_.clear();
      lifecycle("restart", [](const Context& ctx, const ServerEntry& e) {
        StopServer(ctx, e, 0);
        StartServer(ctx, e, 0);
      });
      break;
    case Kind::kKill:
      connections_.clear();
      lifecycle("kill -9", [](const Context& ctx, const ServerEntry& e) {
        Observation o = Observe(ctx, e);
        if (o.state != State::kRunning && o.state != State::kStarting)
          throw Failure(e.name, "kill -9", "it is not running (" + ToString(o.state) + ")");
        ::kill(o.pid, SIGKILL);
        if (!WaitForExit(o.pid, std::chrono::seconds(10)))
          throw Failure(e.name, "kill -9", "pid " + std::to_string(o.pid) + " did not exit");
      });
      break;
    case Kind::kSql: {
      Connection& c = Connect(s.on, s.user, s.password, s.database);
      for (size_t i = 0; i < s.statements.size(); ++i) {
        const std::string sql = x(s.statements[i]);
        const bool last = i + 1 == s.statements.size();
        auto res = c.Query(sql);
        if (!res.ok() && ConnectionLost(res.error().code)) connections_.clear();
        if (last && s.expect.error) {
          Verdict v = Evaluate(s.expect, res, vars);
          if (!v.ok) fail(v.expected, v.seen, "the statement was: " + sql);
          break;
        }
        if (!res.ok()) {
          fail("", "", sql + "\n      failed with " + res.error().ToString());
          break;
        }
        if (last) capture(res.value());
      }
      break;
    }
    case Kind::kExpect: {
      const std::string q = x(s.statements.front());
      Expected<Rows> outcome = SqlError{0, ""};
      try {
        outcome = Connect(s.on, s.user, s.password, s.database).Query(q);
      } catch (const ConnectFailure& f) {
        outcome = f.error();
      }
      if (!outcome.ok() && ConnectionLost(outcome.error().code)) connections_.clear();
      Verdict v = Evaluate(s.expect, outcome, vars);
      if (!v.ok) {
        fail(v.expected, v.seen, "the query was: " + q);
      } else if (outcome.ok()) {
        capture(outcome.value());
      }
      break;
    }
    case Kind::kWaitFor: {
      Check c;
      c.on = s.on;
      c.user = s.user;
      c.password = s.password;
      c.database = s.database;
      c.query = s.statements.front();
      c.expect = s.expect;
      c.timeout_s = s.timeout_s;
      CheckResult cr = RunCheck(c);
      if (!cr.ok) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "not true within %g s", s.timeout_s);
        fail(cr.expected, cr.seen,
             (s.message.empty() ? std::string(buf) : x(s.message) + " (" + buf + ")") +
                 "; the query was: " + x(c.query));
      } else if (!s.capture.empty()) {
        auto rows = Connect(s.on, s.user, s.password, s.database).Query(x(c.query));
        if (rows) capture(rows.value());
      }
      break;
    }
    case Kind::kSync: {
      Args a;
      a.command = "sync";
      if (s.timeout_s > 0) a.values["timeout"] = std::to_string(static_cast<int>(s.timeout_s + 1));
      CmdSync(a, dir_);
      break;
    }
    case Kind::kReplicate: {
      connections_.clear();
      Args a;
      a.command = "replicate";
      a.positional = {s.target};
      a.values["from"] = s.from;
      if (!s.file.empty()) {
        a.values["file"] = x(s.file);
        a.values["pos"] = x(s.pos);
      }
      CmdReplicate(a, dir_);
      break;
    }
    case Kind::kTakeBackup: {
      connections_.clear();
      Args a;
      a.command = "takebackup";
      a.positional = {s.target, (dir_ / x(s.file)).string()};
      CmdTakeBackup(a, dir_);
      break;
    }
    case Kind::kLoadSlave: {
      connections_.clear();
      Args a;
      a.command = "loadslave";
      a.positional = {s.target, (dir_ / x(s.file)).string()};
      if (!s.from.empty()) a.values["from"] = s.from;
      CmdLoadSlave(a, dir_);
      break;
    }
    case Kind::kShell: {
      connections_.clear();
      const std::string cmd = x(s.command);
      RunResult rr = RunProgram({"/bin/sh", "-c", cmd}, dir_);
      std::string tail =
          rr.output.size() > 2000 ? "..." + rr.output.substr(rr.output.size() - 2000) : rr.output;
      while (!tail.empty() && tail.back() == '\n') tail.pop_back();
      if (rr.exit_code != s.status) {
        fail("exit status " + std::to_string(s.status),
             "exit status " + std::to_string(rr.exit_code) +
                 (tail.empty() ? "" : ", output:\n" + tail));
      } else if (s.output && !MatchValue(*s.output, rr.output, vars)) {
        Matcher shown = *s.output;
        shown.value = x(shown.value);
        fail("output " + shown.Describe(), "output:\n" + tail);
      }
      break;
    }
    case Kind::kNote:
      break;
  }
}

StepResult Runner::RunStep(size_t index, bool checks_only) {
  const Step& s = scenario_.steps[index];
  StepResult r;
  r.index = index + 1;
  r.kind = KindName(s.kind);
  r.label = Label(index);
  r.why = s.why;
  r.commands = Commands(index);
  if (!s.flavors.empty() &&
      std::find(s.flavors.begin(), s.flavors.end(), flavor_) == s.flavors.end()) {
    r.status = Status::kSkipped;
    std::string f;
    for (const auto& x : s.flavors) f += (f.empty() ? "" : ", ") + x;
    r.skip_reason = "only on " + f;
    return r;
  }
  auto t0 = Clock::now();
  r.status = Status::kPassed;
  try {
    if (!checks_only) RunAction(s, r);
    if (r.status == Status::kPassed) {
      for (const auto& c : s.checks) {
        r.checks.push_back(RunCheck(c, checks_only ? 2.0 : 0));
        if (!r.checks.back().ok) r.status = Status::kFailed;
      }
      if (r.status == Status::kFailed) r.detail = "the step's checks did not all hold";
    }
  } catch (const std::out_of_range& e) {
    r.status = Status::kFailed;
    r.detail = e.what();
  } catch (const std::exception& e) {
    r.status = Status::kFailed;
    r.detail = e.what();
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (r.status == Status::kFailed) {
    for (const auto& n : ServersOf(s)) {
      fs::path log = dir_ / n / (n + ".err");
      if (fs::exists(log)) r.error_logs.emplace_back(n, LastLines(log, 12));
    }
  }
  return r;
}

}  // namespace serveradm::scenario
