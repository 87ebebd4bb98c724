// reptutd's VFS (sqlite_vfs.h) must leave in the files, at every COMMIT,
// exactly what the stock unix VFS leaves: a copy of the files taken right
// after COMMIT (what a kill -9 leaves behind) has the transaction.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "storage/sqlite_vfs.h"

namespace reptut::storage {
namespace {

namespace fs = std::filesystem;

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
}

int64_t Count(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return -1;
  int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return n;
}

class VfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterServerVfs();
    dir_ = fs::temp_directory_path() / ("reptut-vfs-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "live");
    fs::create_directories(dir_ / "copy");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// A transaction that spills pages to the WAL and dirties them again makes
// SQLite rewrite frame headers at COMMIT; the last one must reach the file.
TEST_F(VfsTest, SpilledTransactionIsInTheFilesAfterCommit) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "live/x.db").c_str(), &db), SQLITE_OK);
  Exec(db,
       "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
       "PRAGMA cache_size=10; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
  Exec(db, "BEGIN");
  Exec(db,
       "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i<2000) "
       "INSERT INTO t SELECT i, printf('%0500d', i) FROM r");
  Exec(db, "UPDATE t SET v = 'changed' WHERE id % 50 = 0");
  Exec(db, "COMMIT");
  // The files as the kernel has them, with the connection still open.
  fs::copy_file(dir_ / "live/x.db", dir_ / "copy/x.db");
  fs::copy_file(dir_ / "live/x.db-wal", dir_ / "copy/x.db-wal");
  sqlite3* copy = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ / "copy/x.db").c_str(), &copy, SQLITE_OPEN_READWRITE, "unix"),
            SQLITE_OK);
  EXPECT_EQ(Count(copy, "SELECT count(*) FROM t"), 2000);
  EXPECT_EQ(Count(copy, "SELECT count(*) FROM t WHERE v = 'changed'"), 40);
  sqlite3_close(copy);
  sqlite3_close(db);
}

// Two connections of the process exclude each other as with fcntl locks:
// a second writer waits (SQLITE_BUSY), a reader goes on reading its snapshot.
TEST_F(VfsTest, ConnectionsOfOneProcessExcludeEachOther) {
  sqlite3* a = nullptr;
  sqlite3* b = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "live/y.db").c_str(), &a), SQLITE_OK);
  ASSERT_EQ(sqlite3_open((dir_ / "live/y.db").c_str(), &b), SQLITE_OK);
  Exec(a, "PRAGMA journal_mode=WAL; CREATE TABLE t(x)");
  Exec(a, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1)");
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(b, "BEGIN IMMEDIATE", nullptr, nullptr, &err), SQLITE_BUSY);
  sqlite3_free(err);
  EXPECT_EQ(Count(b, "SELECT count(*) FROM t"), 0);
  Exec(a, "COMMIT");
  EXPECT_EQ(Count(b, "SELECT count(*) FROM t"), 1);
  Exec(b, "BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT");
  EXPECT_EQ(Count(a, "SELECT count(*) FROM t"), 2);
  sqlite3_close(b);
  sqlite3_close(a);
}

}  // namespace
}  // namespace reptut::storage
