// A thin RAII layer over one SQLite connection: an empty main database with
// each MySQL database ATTACHed under its own name, prepared statements, and
// errors as values (the SQLite code and text; the engine words them as
// MySQL would, since only it knows the tables behind them).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reptut::storage {

struct SqliteError {
  int code = SQLITE_OK;  // extended result code
  std::string message;
  bool ok() const { return code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE; }
};

class SqliteStmt {
 public:
  SqliteStmt() = default;
  // `borrowed`: the connection keeps the statement; this only resets it.
  explicit SqliteStmt(sqlite3_stmt* s, bool borrowed = false) : s_(s), borrowed_(borrowed) {}
  SqliteStmt(SqliteStmt&& o) noexcept : s_(o.s_), borrowed_(o.borrowed_) { o.s_ = nullptr; }
  SqliteStmt& operator=(SqliteStmt&& o) noexcept;
  ~SqliteStmt();
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;

  sqlite3_stmt* get() const { return s_; }
  explicit operator bool() const { return s_ != nullptr; }

  void BindText(int i, std::string_view v);
  void BindInt(int i, int64_t v);
  void BindNull(int i);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step();
  int ColumnCount() const { return sqlite3_column_count(s_); }
  int ColumnType(int i) const { return sqlite3_column_type(s_, i); }
  int64_t Int(int i) const { return sqlite3_column_int64(s_, i); }
  double Double(int i) const { return sqlite3_column_double(s_, i); }
  std::string Text(int i) const;
  bool IsNull(int i) const { return ColumnType(i) == SQLITE_NULL; }

 private:
  void Release();
  sqlite3_stmt* s_ = nullptr;
  bool borrowed_ = false;
};

class SqliteConn {
 public:
  SqliteConn() = default;
  ~SqliteConn();
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;

  // Opens an in-memory main database. `synchronous` is applied to every
  // database attached later ("NORMAL" or "FULL").
  SqliteError Open(std::string synchronous);
  sqlite3* db() const { return db_; }
  // The page cache of each database attached from now on.
  void set_cache_kib(int kib) { cache_kib_ = kib; }

  // ATTACH the file as `schema` (WAL journal, the synchronous setting).
  SqliteError Attach(const std::string& schema, const std::string& file);
  SqliteError Detach(const std::string& schema);
  const std::vector<std::string>& attached() const { return attached_; }
  bool IsAttached(std::string_view schema) const;

  SqliteError Exec(std::string_view sql);
  // The same for one fixed statement run often (BEGIN, COMMIT, SAVEPOINT):
  // prepared once per connection.
  SqliteError ExecCached(const std::string& sql);
  SqliteError Prepare(std::string_view sql, SqliteStmt* out);
  // A statement prepared once and kept by the connection (for statement
  // shapes run over and over); *out only borrows it.
  SqliteError PrepareCached(const std::string& sql, SqliteStmt* out);
  // The connection's last error (after a failed Step).
  SqliteError LastError() const;
  bool InTransaction() const { return db_ && !sqlite3_get_autocommit(db_); }
  int64_t Changes() const { return sqlite3_changes64(db_); }
  int64_t LastRowId() const { return sqlite3_last_insert_rowid(db_); }

  static std::string Quote(std::string_view identifier);  // "ident"
  static std::string Literal(std::string_view text);      // 'text'

 private:
  sqlite3* db_ = nullptr;
  std::string synchronous_ = "NORMAL";
  int cache_kib_ = 512;
  std::vector<std::string> attached_;
  std::map<std::string, sqlite3_stmt*> cached_;
};

}  // namespace reptut::storage
