// serveradm takebackup SLAVE FILE
// serveradm loadslave NEWSLAVE FILE [from=MASTER]
//
// The seed's clone-a-slave procedure. takebackup stops SLAVE at a position
// of its master known exactly (START SLAVE UNTIL a position taken under
// FLUSH TABLES WITH READ LOCK), so the backup matches that position however
// busy the master is; loadslave restores it into NEWSLAVE and starts
// replication from there. Not the appendix's unsafe shortcut (waiting for a
// position while the slave keeps running, then stopping it).
#include <toml++/toml.h>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "archive.h"
#include "commands.h"
#include "context.h"
#include "failure.h"
#include "replication.h"
#include "supervisor.h"
#include "teacher.h"

namespace serveradm {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string Bytes(uint64_t n) {
  char buf[32];
  if (n >= 1ull << 20)
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1 << 20));
  else
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1024);
  return buf;
}

ProgressFn ShowBytes(const std::string& what) {
  return [what, last = std::chrono::steady_clock::time_point()](uint64_t done,
                                                                uint64_t total) mutable {
    auto now = std::chrono::steady_clock::now();
    if (done < total && now - last < 50ms) return;
    last = now;
    Teacher::Get().Progress(what + ": " + Bytes(done) + " of " + Bytes(total));
  };
}

// Waits until the slave's SQL thread has stopped at or after `until`.
void WaitUntilStopped(Connection& slave, const ServerEntry& s, const BinlogPosition& until) {
  const std::string wait =
      "SELECT MASTER_POS_WAIT(" + SqlQuote(until.file) + ", " + std::to_string(until.pos) + ", 60)";
  Teacher::Get().Sql(s.name, wait, "block until the SQL thread has applied everything up to it");
  auto r = slave.Query(wait);
  if (!r) throw Failure(s.name, "takebackup: MASTER_POS_WAIT", r.error().ToString());
  if (!r->rows.empty() && r->rows[0][0] && *r->rows[0][0] == "-1")
    throw Failure(s.name, "takebackup: MASTER_POS_WAIT",
                  "did not reach " + until.ToString() + " in 60 s");
  // NULL means the SQL thread had already stopped at the UNTIL position (or
  // on an error): SHOW SLAVE STATUS tells which.
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (true) {
    auto st = slave.Query("SHOW SLAVE STATUS");
    if (!st || st->empty()) throw Failure(s.name, "takebackup", "SHOW SLAVE STATUS is empty");
    if (!st->Get(0, "Last_SQL_Error").empty())
      throw Failure(s.name, "takebackup",
                    "the SQL thread stopped on an error: " + st->Get(0, "Last_SQL_Error"));
    bool at = st->Get(0, "Relay_Master_Log_File") == until.file &&
              std::stoull(st->Get(0, "Exec_Master_Log_Pos")) >= until.pos;
    bool beyond = st->Get(0, "Relay_Master_Log_File") > until.file;
    if ((at || beyond) && st->Get(0, "Slave_SQL_Running") == "No") {
      if (!at) throw Failure(s.name, "takebackup", "the slave went past " + until.ToString());
      return;
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw Failure(s.name, "takebackup", "the SQL thread did not stop at " + until.ToString());
    std::this_thread::sleep_for(5ms);
  }
}

}  // namespace

int CmdTakeBackup(const Args& args, const fs::path& dir) {
  CheckArgs(args, {}, {}, 2);
  if (args.positional.size() != 2) throw UsageError("takebackup: usage is takebackup SLAVE FILE");
  Teacher& t = Teacher::Get();
  Context ctx = Context::Load(dir);
  const ServerEntry s = ctx.Server(args.positional[0]);
  fs::path file = fs::absolute(args.positional[1]);
  Connection slave = ctx.Connect(s, "takebackup: connect to the slave");
  const ServerEntry* mp = MasterOf(ctx, slave, s);
  if (!mp)
    throw Failure(s.name, "takebackup",
                  "it replicates from no server here (serveradm replicate first)");
  const ServerEntry m = *mp;
  Connection master = ctx.Connect(m, "takebackup: connect to the master");

  t.Say("1. Stop the slave");
  RunSql(slave, s.name, "takebackup: step 1", "STOP SLAVE",
         "stop replication so that the slave lags at a position we choose next");
  t.Say("2-4. Take a position of the master under a read lock");
  RunSql(master, m.name, "takebackup: step 2", "FLUSH TABLES WITH READ LOCK",
         "stop writes on the master for a moment so its position is one a transaction ended at");
  BinlogPosition pos;
  try {
    pos = MasterStatus(master, m, "takebackup: step 3", "the synchronisation point for the backup");
  } catch (...) {
    master.Execute("UNLOCK TABLES");
    throw;
  }
  RunSql(master, m.name, "takebackup: step 4", "UNLOCK TABLES", "let the master run again at once");
  t.Say("5-6. Run the slave up to " + pos.ToString() + " exactly");
  RunSql(slave, s.name, "takebackup: step 5",
         "START SLAVE UNTIL MASTER_LOG_FILE = " + SqlQuote(pos.file) +
             ", MASTER_LOG_POS = " + std::to_string(pos.pos),
         "the SQL thread applies events up to that position and stops there");
  WaitUntilStopped(slave, s, pos);
  RunSql(slave, s.name, "takebackup: step 6", "STOP SLAVE",
         "stop the I/O thread too: nothing may change while the data is copied");

  t.Say("7. Back up the slave's data directory with the position");
  const ServerPaths p = ctx.Paths(s.name);
  {
    std::ofstream out(p.datadir / "binlog_pos.dat", std::ios::trunc);
    out << pos.file << " " << pos.pos << "\n";
    std::ofstream info(p.datadir / "serveradm_backup.toml", std::ios::trunc);
    info << toml::table{{"source", s.name},
                        {"master", m.name},
                        {"master_port", m.port},
                        {"file", pos.file},
                        {"pos", static_cast<int64_t>(pos.pos)},
                        {"flavor", ctx.config().flavor}}
         << "\n";
  }
  t.Action(s.name,
           "echo '" + pos.file + " " + std::to_string(pos.pos) + "' > " + s.name +
               "/data/binlog_pos.dat",
           "the master position the backup corresponds to, where a new slave starts");
  // Files change on disk only when the server has shut down cleanly: stop it
  // for the copy (the seed's "offline backup"), then start it again.
  StopHow how = StopServer(ctx, s);
  if (how == StopHow::kKilled) t.Warn("serveradm: server '" + s.name + "': had to be killed");
  t.Action(s.name, "tar czf " + file.string() + " -C " + s.name + " data",
           "a consistent copy: the server is stopped, so every file is complete");
  uint64_t bytes = 0;
  try {
    std::set<std::string> exclude;
    for (const auto& e : ctx.flavor().BackupExcludes()) exclude.insert(e);
    exclude.erase("binlog_pos.dat");
    bytes =
        WriteArchive(file, p.datadir, "data", exclude, ShowBytes("copying " + s.name + "/data"));
    t.EndProgress();
  } catch (...) {
    t.EndProgress();
    StartServer(ctx, s);
    throw;
  }
  std::error_code ec;
  fs::remove(p.datadir / "serveradm_backup.toml", ec);
  t.Say("8. Start the slave again");
  StartServer(ctx, s);
  Connection again = ctx.Connect(s, "takebackup: step 8");
  RunSql(again, s.name, "takebackup: step 8", "START SLAVE",
         "the slave catches up with the master");
  WaitSlaveRunning(again, s, 30);
  t.Say("Backup of " + s.name + " in " + file.string() + " (" + Bytes(bytes) + ") at " + m.name +
        "'s position " + pos.ToString() + ".");
  return 0;
}

int CmdLoadSlave(const Args& args, const fs::path& dir) {
  CheckArgs(args, {"from"}, {}, 2);
  if (args.positional.size() != 2)
    throw UsageError("loadslave: usage is loadslave NEWSLAVE FILE [from=MASTER]");
  Teacher& t = Teacher::Get();
  Context ctx = Context::Load(dir);
  const ServerEntry s = ctx.Server(args.positional[0]);
  fs::path file = fs::absolute(args.positional[1]);
  if (!fs::exists(file)) throw Failure(s.name, "loadslave", "no backup file " + file.string());
  if (!s.IsSlave())
    throw Failure(s.name, "loadslave",
                  "it has roles=" + s.roles + ": no relay log to replicate with");

  // Where the backup stands: binlog_pos.dat as the seed writes it.
  std::istringstream posline(ReadArchiveMember(file, "data/binlog_pos.dat"));
  BinlogPosition pos;
  if (!(posline >> pos.file >> pos.pos))
    throw Failure(s.name, "loadslave", "binlog_pos.dat in the backup is not 'FILE POSITION'");
  std::string master_name = args.GetOr("from", "");
  if (master_name.empty()) {
    try {
      auto info = toml::parse(ReadArchiveMember(file, "data/serveradm_backup.toml"));
      master_name = info["master"].value_or(std::string());
    } catch (const Failure&) {
    }
  }
  if (master_name.empty())
    throw Failure(s.name, "loadslave", "the backup does not name its master: give from=MASTER");
  const ServerEntry m = ctx.Server(master_name);
  t.Say("Loading " + file.filename().string() + " into " + s.name + ": " + m.name + " at " +
        pos.ToString());

  // InnoDB does not discover tables copied under a running server: stop it.
  StopServer(ctx, s);
  const ServerPaths p = ctx.Paths(s.name);
  fs::path old = p.dir / "data.old";
  std::error_code ec;
  fs::remove_all(old, ec);
  t.Action(s.name, "tar xzf " + file.string() + " -C " + s.name,
           "replace its data directory with the backup");
  fs::rename(p.datadir, old);
  try {
    fs::create_directories(p.datadir);
    ReadArchive(file, "data", p.datadir, ShowBytes("restoring into " + s.name + "/data"));
    t.EndProgress();
  } catch (...) {
    t.EndProgress();
    fs::remove_all(p.datadir, ec);
    fs::rename(old, p.datadir, ec);
    throw;
  }
  fs::remove_all(old, ec);
  fs::remove(p.datadir / "serveradm_backup.toml", ec);
  // Its old relay logs and binary logs describe the data it had before.
  t.Action(s.name, "rm " + s.name + "/log/*", "old relay and binary logs belong to the old data");
  for (const auto& e : fs::directory_iterator(p.logdir, ec)) fs::remove_all(e.path(), ec);
  StartServer(ctx, s);
  Connection slave = ctx.Connect(s, "loadslave: connect");
  Connection master = ctx.Connect(m, "loadslave: connect to the master");
  EnsureReplicationUser(ctx, master, m);
  PointSlaveAt(ctx, slave, s, m, pos);
  RecordMaster(ctx, s.name, m.name);
  t.Say("Server " + s.name + " replicates from " + m.name + " starting at " + pos.ToString() + ".");
  return 0;
}

}  // namespace serveradm
