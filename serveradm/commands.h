// The serveradm commands, one function each. Every command takes the parsed
// arguments and the tutorial directory, returns the exit code, and throws
// Failure or UsageError for main() to report.
#pragma once

#include <filesystem>

#include "args.h"

namespace serveradm {

int CmdSetup(const Args& args, const std::filesystem::path& dir);
int CmdAdd(const Args& args, const std::filesystem::path& dir);
int CmdRemove(const Args& args, const std::filesystem::path& dir);
int CmdList(const Args& args, const std::filesystem::path& dir);
int CmdStart(const Args& args, const std::filesystem::path& dir);
int CmdStop(const Args& args, const std::filesystem::path& dir);
int CmdRestart(const Args& args, const std::filesystem::path& dir);
int CmdStatus(const Args& args, const std::filesystem::path& dir);
int CmdReplicate(const Args& args, const std::filesystem::path& dir);
int CmdSync(const Args& args, const std::filesystem::path& dir);
int CmdTakeBackup(const Args& args, const std::filesystem::path& dir);
int CmdLoadSlave(const Args& args, const std::filesystem::path& dir);
int CmdTopology(const Args& args, const std::filesystem::path& dir);
int CmdScenario(const Args& args, const std::filesystem::path& dir);

}  // namespace serveradm
