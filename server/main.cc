// reptutd: the bundled replication server. Takes mysqld's options, so that
// `./mysqld --defaults-file=master.cnf` works as the tutorials say.
//
// Process states:  parse options -> (initialize and exit) | open data dir
//   -> listen -> ready (pid file written) -> shutdown requested (SIGTERM,
//   SIGINT, SHUTDOWN, COM_SHUTDOWN) -> connections cut -> data closed -> exit 0.
// Any failure before "ready" is written to the error log and exits 1.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/mysql_types.h"
#include "config/options.h"
#include "engine/server.h"
#include "net/net_server.h"
#include "replication/master_connection.h"
#include "replication/replica.h"

namespace {

using reptut::log::ErrorLine;
using reptut::log::Note;

void LogErrorLines(const std::string& text) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    if (nl > start) ErrorLine(text.substr(start, nl - start));
    start = nl + 1;
  }
}

int Abort(const std::string& program) {
  ErrorLine("Aborting");
  Note(program + ": Shutdown complete");
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything can start OpenSSL with its config file and name tables.
  reptut::replication::InitOpenSslLean();
  std::vector<std::string> args(argv, argv + argc);
  std::string program = argc > 0 ? argv[0] : "reptutd";

  reptut::Result<reptut::config::ServerOptions> parsed = reptut::config::ParseServerOptions(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), parsed.error().message.c_str());
    ErrorLine(program + ": " + parsed.error().message);
    return Abort(program);
  }
  reptut::config::ServerOptions& o = *parsed;
  if (o.version) {
    std::printf("%s  Ver %s for Linux on x86_64 (Reptut replication sandbox server)\n",
                program.c_str(), reptut::mysql::kServerVersion);
    return 0;
  }
  if (o.print_defaults) {
    std::fputs(reptut::config::PrintDefaultsText(o, program).c_str(), stdout);
    return 0;
  }
  if (o.help) {
    std::printf(
        "%s  Ver %s\nStarts the Reptut server. Takes mysqld's options: --defaults-file, "
        "--datadir, --port, --socket, --bind-address, --server-id, --log-bin, "
        "--log-error, --pid-file, --initialize-insecure ...\n",
        program.c_str(), reptut::mysql::kServerVersion);
    return 0;
  }
  if (!o.log_error.empty()) {
    std::string why;
    if (!reptut::log::OpenErrorLog(o.log_error, &why)) {
      std::fprintf(stderr, "%s: %s\n", program.c_str(), why.c_str());
      return 1;
    }
  }
  for (const std::string& w : o.warnings) reptut::log::Warning(w);

  if (o.initialize_insecure) {
    reptut::Status st = reptut::engine::Server::Initialize(o);
    if (!st.ok()) {
      LogErrorLines(st.message());
      return Abort(program);
    }
    Note("Data directory " + o.datadir + " initialized");
    return 0;
  }

  // Signals are taken by one thread with sigwait; the others never see them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGHUP);
  sigaddset(&sigs, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Note(program + " (mysqld " + reptut::mysql::kServerVersion + ") starting as process " +
       std::to_string(::getpid()) + " ...");
  reptut::Result<std::unique_ptr<reptut::engine::Server>> server = reptut::engine::Server::Open(o);
  if (!server.ok()) {
    LogErrorLines(server.error().message);
    return Abort(program);
  }
  // The replica side: master.info, the relay log, the I/O and SQL threads.
  reptut::Result<std::unique_ptr<reptut::replication::Replica>> replica =
      reptut::replication::Replica::Open(**server, o);
  if (!replica.ok()) {
    LogErrorLines(replica.error().message);
    return Abort(program);
  }
  (*server)->SetReplicaService(replica->get());
  // The pid file is in place before the first login can succeed: a
  // controller that sees a login work then finds whose server it is. Written
  // whole and renamed, so a reader never sees it empty.
  if (!o.pid_file.empty()) {
    const std::string tmp = o.pid_file + ".tmp";
    {
      std::ofstream pid(tmp, std::ios::trunc);
      pid << ::getpid() << "\n";
      if (!pid.flush() || std::rename(tmp.c_str(), o.pid_file.c_str()) != 0) {
        ErrorLine("Can't create/write to file '" + o.pid_file + "'");
        ::unlink(tmp.c_str());
        return Abort(program);
      }
    }
  }
  reptut::net::NetServer net;
  reptut::Status started = net.Start(o, **server);
  if (!started.ok()) {
    LogErrorLines(started.message());
    if (!o.pid_file.empty()) ::unlink(o.pid_file.c_str());
    return Abort(program);
  }
  std::thread signals([&] {
    int sig = 0;
    while (sigwait(&sigs, &sig) == 0) {
      if (sig == SIGHUP) continue;  // mysqld reloads logs; nothing to reload here
      if (sig == 0) break;
      Note(program + ": Normal shutdown");
      (*server)->RequestShutdown();
      return;
    }
  });
  Note(program + ": ready for connections.");
  Note(std::string("Version: '") + reptut::mysql::kServerVersion + "'  socket: '" +
       (o.socket.empty() ? "" : o.socket) +
       "'  port: " + std::to_string(o.skip_networking ? 0 : net.tcp_port()) +
       "  Reptut replication sandbox server");

  (*replica)->StartAtBoot();

  (*server)->WaitForShutdown();
  (*replica)->Shutdown();
  net.Stop();
  (*server)->Close();
  // Wake the signal thread if the shutdown came from a client.
  pthread_kill(signals.native_handle(), SIGTERM);
  signals.join();
  if (!o.pid_file.empty()) ::unlink(o.pid_file.c_str());
  Note(program + ": Shutdown complete");
  return 0;
}
