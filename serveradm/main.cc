// serveradm: builds a tutorial directory of replicating servers (see
// commands.h and the usage below).
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>

#include "args.h"
#include "commands.h"
#include "failure.h"
#include "teacher.h"

namespace {

const char kUsage[] = R"(usage: serveradm COMMAND [ARGS] [--explain]
Run in the tutorial directory. key=value and --key=value both work.

  setup [flavor=bundled|mariadb] [basedir=DIR]
        write serverconfig.toml and tmp/, link mysqld mysql mysqladmin mysqlbinlog
  add name=NAME roles=master|slave|master,slave [port=P] [server_id=N]
        write NAME.cnf, bootstrap NAME/data, record the server (runs setup
        first, with flavor= and basedir= if given, when there is none)
  start|stop|restart [NAME... | all] [timeout=S]
        stop: a clean shutdown (SIGTERM) within the timeout, else SIGKILL
  status [--json] [NAME...]
  replicate SLAVE from=MASTER [file=F pos=P]
  takebackup SLAVE FILE             clone step 1: a backup at a known position
  loadslave NEWSLAVE FILE [from=MASTER]
                                    clone step 2: restore it and replicate
  sync [timeout=S]                  wait until every slave caught up
  list | remove NAME [--force] | topology [--dot]
  scenario list | show NAME | check [NAME] [--continue] [--json]
  scenario run NAME [flavor=bundled|mariadb] [--step] [--json] [--keep] [--here] [--exercise]
                                    a replication exercise (scenarios/README.md): the
                                    built-in NAMEs are in 'scenario list', or a file

  --explain  print each SQL statement and process with the reason, before running it
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace serveradm;
  std::vector<std::string> words(argv + 1, argv + argc);
  std::map<std::string, std::function<int(const Args&, const std::filesystem::path&)>> commands = {
      {"setup", CmdSetup},           {"add", CmdAdd},
      {"remove", CmdRemove},         {"list", CmdList},
      {"start", CmdStart},           {"stop", CmdStop},
      {"restart", CmdRestart},       {"status", CmdStatus},
      {"replicate", CmdReplicate},   {"sync", CmdSync},
      {"takebackup", CmdTakeBackup}, {"loadslave", CmdLoadSlave},
      {"topology", CmdTopology},     {"scenario", CmdScenario}};
  try {
    Args args = ParseArgs(words);
    if (args.Flag("help") || args.command.empty() || args.command == "help") {
      std::cout << kUsage;
      return args.command.empty() && !args.Flag("help") ? 2 : 0;
    }
    auto it = commands.find(args.command);
    if (it == commands.end()) {
      std::string names;
      for (const auto& [n, f] : commands) names += " " + n;
      throw UsageError("unknown command '" + args.command + "' (commands:" + names + ")");
    }
    Teacher::Get().Configure(args.Flag("explain"), args.Flag("quiet"));
    return it->second(args, std::filesystem::current_path());
  } catch (const UsageError& e) {
    std::cerr << "serveradm: " << e.what() << "\n(serveradm --help for usage)\n";
    return 2;
  } catch (const Failure& e) {
    std::cerr << "serveradm: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "serveradm: " << e.what() << "\n";
    return 1;
  }
}
