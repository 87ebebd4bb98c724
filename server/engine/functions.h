// The MySQL functions SQLite lacks, registered on each SQLite connection of
// the engine with the session it acts for as context (EngineConn::acting:
// NOW() reads the statement's time, DATABASE() the current database, RAND()
// the session's seeds ...).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

#include "storage/sqlite_conn.h"

namespace reptut::engine {

struct EngineConn;

void RegisterFunctions(EngineConn& conn);
// Dates, strings, numbers, named locks (functions_more.cc).
void RegisterMoreFunctions(EngineConn& conn);
// GET_LOCK locks die with their session.
void ReleaseNamedLocks(uint32_t session_id);

// "YYYY-MM-DD HH:MM:SS" in the server's time zone.
std::string FormatDateTime(time_t t);
// MySQL's RAND() generator (the binary log's Rand event carries its seeds).
double NextRand(uint32_t& seed1, uint32_t& seed2);

}  // namespace reptut::engine
