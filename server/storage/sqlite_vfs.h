// The SQLite VFS reptutd opens its databases through: the stock "unix" VFS
// with two changes that matter for a server that owns its data directory.
//
// 1. Locks on the WAL index (xShmLock) are kept in this process only. SQLite
//    takes and drops four to six of them per transaction; the unix VFS turns
//    each into an fcntl(2) call so that other processes see it. No other
//    process opens reptutd's database files (the data directory is locked at
//    start-up, see DataDir::LockExclusive), so a table in memory gives the
//    same exclusion between our connections without the system calls.
// 2. A WAL frame is written with one pwrite(2) instead of two: SQLite writes
//    the 24-byte frame header and then the page right behind it; the header
//    is held back and goes out with the page. Nothing else is written or read
//    in between, and readers never look past the last committed frame, so no
//    one can see the gap.
//
// Everything else is the unix VFS itself. Register once, before the first
// connection opens; it becomes the default VFS.
#pragma once

namespace reptut::storage {

// Registers the VFS as SQLite's default. Safe to call more than once.
void RegisterServerVfs();

}  // namespace reptut::storage
