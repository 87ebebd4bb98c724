// The SQLite VFS reptutd opens its databases through: the stock "unix" VFS
// with one change that matters for a server that owns its data directory.
//
// Locks on the WAL index (xShmLock) are kept in this process only. SQLite
// takes and drops four to six of them per transaction; the unix VFS turns
// each into an fcntl(2) call so that other processes see it. No other
// process opens reptutd's database files (the data directory is locked at
// start-up, see DataDirLock), so a table in memory gives the
// same exclusion between our connections without the system calls.
// (An earlier version also wrote each WAL frame's header together with its
// page. SQLite also rewrites headers alone, when it fixes frame checksums
// at commit, and holding one back lost the commit frame after kill -9.)
//
// Everything else is the unix VFS itself. Register once, before the first
// connection opens; it becomes the default VFS.
#pragma once

namespace reptut::storage {

// Registers the VFS as SQLite's default. Safe to call more than once.
void RegisterServerVfs();

}  // namespace reptut::storage
