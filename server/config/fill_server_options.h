// Turning the option settings into ServerOptions: the fields reptutd acts
// on, the paths completed as mysqld completes them, and `all` / `origin`.
#pragma once

#include <map>
#include <string>

#include "config/environment.h"
#include "config/option_settings.h"
#include "config/server_options.h"

namespace reptut::config {

// Paths: datadir and basedir absolute against env.cwd; pid file (default
// <hostname>.pid), error log (--log-error alone: <hostname>.err) and a
// relative socket against datadir, as mysqld (which runs in its datadir)
// has them; --log-bin alone names <hostname>-bin, an extension on a log name
// is dropped; relay log default <hostname>-relay-bin; index files default
// to <log name>.index.
void FillServerOptions(const std::map<std::string, Setting>& settings, const Environment& env,
                       ServerOptions* options);

}  // namespace reptut::config
