#include "replication.h"

#include <chrono>
#include <thread>

#include "failure.h"
#include "teacher.h"

namespace serveradm {

using namespace std::chrono_literals;

BinlogPosition MasterStatus(Connection& c, const ServerEntry& s, const std::string& step,
                            const std::string& why) {
  Rows r = RunSql(c, s.name, step, "SHOW MASTER STATUS", why);
  if (r.empty())
    throw Failure(s.name, step,
                  "SHOW MASTER STATUS is empty: the binary log is off (add it with roles=master)");
  BinlogPosition p;
  p.file = r.Get(0, "File");
  p.pos = std::stoull(r.Get(0, "Position"));
  return p;
}

void EnsureReplicationUser(const Context& ctx, Connection& master, const ServerEntry& m) {
  const auto& cfg = ctx.config();
  const std::string account = SqlQuote(cfg.repl_user) + "@'%'";
  RunSql(master, m.name, "create the replication user",
         "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + SqlQuote(cfg.repl_password),
         "the slave logs in to the master with this account (servers listen on 127.0.0.1 only)");
  RunSql(master, m.name, "grant REPLICATION SLAVE", "GRANT REPLICATION SLAVE ON *.* TO " + account,
         "the privilege to read the master's binary log, and nothing more");
}

void WaitSlaveRunning(Connection& slave, const ServerEntry& s, int timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  Teacher::Get().Sql(s.name, "SHOW SLAVE STATUS",
                     "repeated until Slave_IO_Running and Slave_SQL_Running are both Yes");
  std::string last;
  auto poll = 1ms;
  while (true) {
    auto r = slave.Query("SHOW SLAVE STATUS");
    if (!r) throw Failure(s.name, "wait for the slave threads", r.error().ToString());
    if (!r->empty()) {
      std::string io = r->Get(0, "Slave_IO_Running"), sql = r->Get(0, "Slave_SQL_Running");
      if (io == "Yes" && sql == "Yes") return;
      last = "Slave_IO_Running=" + io + ", Slave_SQL_Running=" + sql;
      for (const char* col : {"Last_IO_Error", "Last_SQL_Error"})
        if (!r->Get(0, col).empty()) last += "; " + std::string(col) + ": " + r->Get(0, col);
      // A thread stopped on an error, or the I/O thread failed to connect
      // (it retries only after MASTER_CONNECT_RETRY): report it now.
      if ((sql == "No" && !r->Get(0, "Last_SQL_Error").empty()) ||
          (io != "Yes" && !r->Get(0, "Last_IO_Error").empty()))
        throw Failure(s.name, "wait for the slave threads", last);
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw Failure(s.name, "wait for the slave threads",
                    "not both running after " + std::to_string(timeout_s) + " s (" + last + ")");
    std::this_thread::sleep_for(poll);  // 1 ms, doubling up to 10 ms
    poll = std::min(poll * 2, std::chrono::milliseconds(10));
  }
}

void PointSlaveAt(const Context& ctx, Connection& slave, const ServerEntry& s,
                  const ServerEntry& master, const std::optional<BinlogPosition>& from) {
  RunSql(slave, s.name, "stop the slave", "STOP SLAVE",
         "CHANGE MASTER TO needs the slave threads stopped");
  std::string position;
  if (from)
    position = ", MASTER_LOG_FILE = " + SqlQuote(from->file) +
               ", MASTER_LOG_POS = " + std::to_string(from->pos);
  std::string sql = ctx.templates().RenderText(
      "change-master.sql", {{"master_host", "127.0.0.1"},
                            {"master_port", std::to_string(master.port)},
                            {"repl_user", SqlQuote(ctx.config().repl_user)},
                            {"repl_password", SqlQuote(ctx.config().repl_password)},
                            {"position", position}});
  // Template comment lines (#...) and line breaks are not part of the statement.
  std::string stmt;
  size_t start = 0;
  while (start < sql.size()) {
    size_t nl = sql.find('\n', start);
    std::string line = sql.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? sql.size() : nl + 1;
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (!stmt.empty()) stmt += ' ';
    stmt += line.substr(first);
  }
  while (!stmt.empty() && (stmt.back() == ';' || stmt.back() == ' ')) stmt.pop_back();
  RunSql(slave, s.name, "CHANGE MASTER TO", stmt,
         "direct the slave at " + master.name + " (port " + std::to_string(master.port) + ")" +
             (from ? " from " + from->ToString() : std::string(" from its first binary log")));
  RunSql(slave, s.name, "start the slave", "START SLAVE",
         "start the I/O thread (fetches the binary log) and the SQL thread (applies it)");
  WaitSlaveRunning(slave, s, 30);
}

const ServerEntry* MasterOf(const Context& ctx, Connection& slave, const ServerEntry& s) {
  auto r = slave.Query("SHOW SLAVE STATUS");
  if (r && !r->empty()) {
    std::string port = r->Get(0, "Master_Port");
    for (const auto& other : ctx.config().servers)
      if (std::to_string(other.port) == port) return &other;
  }
  if (!s.master.empty()) return ctx.config().Find(s.master);
  return nullptr;
}

void RecordMaster(Context& ctx, std::string slave, std::string master) {
  ConfigLock lock(ctx.dir());
  ctx.Reload();
  if (ServerEntry* e = ctx.config().Find(slave)) e->master = master;
  ctx.config().Save(ctx.ConfigFile());
}

}  // namespace serveradm
