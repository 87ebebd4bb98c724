#include "storage/sqlite_vfs.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

namespace reptut::storage {
namespace {

// ---------------------------------------------------------------------------
// The WAL-index lock table of one database file, shared by every connection
// of this process that has the file open.

struct ShmLocks {
  std::mutex mu;
  int users = 0;
  int shared[SQLITE_SHM_NLOCK] = {};  // shared holders of each slot
  bool exclusive[SQLITE_SHM_NLOCK] = {};
};

using FileKey = std::pair<uint64_t, uint64_t>;  // device, inode

std::mutex g_tables_mu;
std::map<FileKey, ShmLocks*>& Tables() {
  static auto* tables = new std::map<FileKey, ShmLocks*>();
  return *tables;
}

ShmLocks* AcquireTable(FileKey key) {
  std::lock_guard<std::mutex> lock(g_tables_mu);
  ShmLocks*& t = Tables()[key];
  if (!t) t = new ShmLocks();
  ++t->users;
  return t;
}

void ReleaseTable(FileKey key, ShmLocks* t) {
  std::lock_guard<std::mutex> lock(g_tables_mu);
  if (--t->users > 0) return;
  Tables().erase(key);
  delete t;
}

// ---------------------------------------------------------------------------
// A file of ours: the unix VFS's file follows it in the same allocation.

struct File {
  sqlite3_file base;
  sqlite3_file* real;
  bool is_wal;
  bool has_key;
  FileKey key;
  ShmLocks* locks;
  uint16_t shared_mask;
  uint16_t excl_mask;
};

constexpr size_t RealOffset() {
  return (sizeof(File) + 15) & ~size_t{15};
}

File* Of(sqlite3_file* f) {
  return reinterpret_cast<File*>(f);
}
sqlite3_file* Real(sqlite3_file* f) {
  return Of(f)->real;
}

void DropLocks(File* f) {
  if (!f->locks) return;
  {
    std::lock_guard<std::mutex> lock(f->locks->mu);
    for (int i = 0; i < SQLITE_SHM_NLOCK; ++i) {
      if (f->excl_mask & (1u << i)) f->locks->exclusive[i] = false;
      if (f->shared_mask & (1u << i)) --f->locks->shared[i];
    }
  }
  f->excl_mask = f->shared_mask = 0;
  ReleaseTable(f->key, f->locks);
  f->locks = nullptr;
}

// --- io methods -------------------------------------------------------------

int Close(sqlite3_file* file) {
  File* f = Of(file);
  DropLocks(f);
  return f->real->pMethods->xClose(f->real);
}

int Read(sqlite3_file* file, void* buf, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xRead(Real(file), buf, amount, offset);
}

int Write(sqlite3_file* file, const void* buf, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xWrite(Real(file), buf, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int Sync(sqlite3_file* file, int flags) {
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int Lock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xLock(Real(file), level);
}
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}

int SectorSize(sqlite3_file* file) {
  return Real(file)->pMethods->xSectorSize(Real(file));
}
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}

int ShmMap(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), page, page_size, extend, out);
}

// The unix VFS's semantics (one connection's shared/exclusive hold of a
// range of slots), kept in ShmLocks instead of fcntl locks.
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = Of(file);
  if (offset < 0 || n < 1 || offset + n > SQLITE_SHM_NLOCK) return SQLITE_MISUSE;
  if (!f->locks) {
    if (!f->has_key) return SQLITE_IOERR_SHMLOCK;
    f->locks = AcquireTable(f->key);
  }
  ShmLocks& t = *f->locks;
  std::lock_guard<std::mutex> lock(t.mu);
  if (flags & SQLITE_SHM_UNLOCK) {
    for (int i = offset; i < offset + n; ++i) {
      uint16_t bit = static_cast<uint16_t>(1u << i);
      if (f->excl_mask & bit) t.exclusive[i] = false;
      if (f->shared_mask & bit) --t.shared[i];
      f->excl_mask &= static_cast<uint16_t>(~bit);
      f->shared_mask &= static_cast<uint16_t>(~bit);
    }
    return SQLITE_OK;
  }
  if (flags & SQLITE_SHM_SHARED) {
    for (int i = offset; i < offset + n; ++i) {
      uint16_t bit = static_cast<uint16_t>(1u << i);
      if (t.exclusive[i] && !(f->excl_mask & bit)) return SQLITE_BUSY;
    }
    for (int i = offset; i < offset + n; ++i) {
      uint16_t bit = static_cast<uint16_t>(1u << i);
      if (f->shared_mask & bit) continue;
      ++t.shared[i];
      f->shared_mask |= bit;
    }
    return SQLITE_OK;
  }
  for (int i = offset; i < offset + n; ++i) {
    uint16_t bit = static_cast<uint16_t>(1u << i);
    if (t.exclusive[i] && !(f->excl_mask & bit)) return SQLITE_BUSY;
    int others = t.shared[i] - ((f->shared_mask & bit) ? 1 : 0);
    if (others > 0) return SQLITE_BUSY;
  }
  for (int i = offset; i < offset + n; ++i) {
    uint16_t bit = static_cast<uint16_t>(1u << i);
    t.exclusive[i] = true;
    f->excl_mask |= bit;
  }
  return SQLITE_OK;
}

void ShmBarrier(sqlite3_file* file) {
  Real(file)->pMethods->xShmBarrier(Real(file));
}

int ShmUnmap(sqlite3_file* file, int delete_flag) {
  DropLocks(Of(file));
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return Real(file)->pMethods->xFetch(Real(file), offset, amount, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  return Real(file)->pMethods->xUnfetch(Real(file), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

// --- the VFS ----------------------------------------------------------------

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* unix_vfs = static_cast<sqlite3_vfs*>(vfs->pAppData);
  File* f = Of(file);
  std::memset(static_cast<void*>(f), 0, sizeof(File));
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + RealOffset());
  int rc = unix_vfs->xOpen(unix_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || !f->real->pMethods || f->real->pMethods->iVersion < 3) {
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    f->base.pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  struct stat st;
  if ((flags & SQLITE_OPEN_MAIN_DB) && name && ::stat(name, &st) == 0) {
    f->has_key = true;
    f->key = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  }
  f->base.pMethods = &kMethods;
  return SQLITE_OK;
}

}  // namespace

void RegisterServerVfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_vfs* unix_vfs = sqlite3_vfs_find("unix");
    if (!unix_vfs) return;
    static sqlite3_vfs vfs = *unix_vfs;
    vfs.zName = "reptut";
    vfs.szOsFile = static_cast<int>(RealOffset()) + unix_vfs->szOsFile;
    vfs.pAppData = unix_vfs;
    vfs.xOpen = Open;
    sqlite3_vfs_register(&vfs, /*makeDflt=*/1);
  });
}

}  // namespace reptut::storage
