#include "storage/sqlite_conn.h"

#include <algorithm>

#include "storage/sqlite_vfs.h"

namespace reptut::storage {

void SqliteStmt::Release() {
  if (!s_) return;
  if (borrowed_) {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  } else {
    sqlite3_finalize(s_);
  }
  s_ = nullptr;
}

SqliteStmt& SqliteStmt::operator=(SqliteStmt&& o) noexcept {
  if (this != &o) {
    Release();
    s_ = o.s_;
    borrowed_ = o.borrowed_;
    o.s_ = nullptr;
  }
  return *this;
}

SqliteStmt::~SqliteStmt() {
  Release();
}

void SqliteStmt::BindText(int i, std::string_view v) {
  sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void SqliteStmt::BindInt(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
}
void SqliteStmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
}
int SqliteStmt::Step() {
  return sqlite3_step(s_);
}

std::string SqliteStmt::Text(int i) const {
  const unsigned char* p = sqlite3_column_text(s_, i);
  int n = sqlite3_column_bytes(s_, i);
  return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}

SqliteConn::~SqliteConn() {
  for (auto& [sql, st] : cached_) sqlite3_finalize(st);
  if (db_) sqlite3_close_v2(db_);
}

SqliteError SqliteConn::PrepareCached(const std::string& sql, SqliteStmt* out) {
  auto it = cached_.find(sql);
  if (it == cached_.end()) {
    if (cached_.size() >= 256) {
      for (auto& [text, st] : cached_) sqlite3_finalize(st);
      cached_.clear();
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
      return LastError();
    }
    it = cached_.emplace(sql, st).first;
  }
  *out = SqliteStmt(it->second, /*borrowed=*/true);
  return {};
}

SqliteError SqliteConn::ExecCached(const std::string& sql) {
  sqlite3_stmt*& st = cached_[sql];
  if (!st && sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
    cached_.erase(sql);
    return LastError();
  }
  int rc = sqlite3_step(st);
  SqliteError out;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) out = LastError();
  sqlite3_reset(st);
  return out;
}

SqliteError SqliteConn::Open(std::string synchronous) {
  synchronous_ = std::move(synchronous);
  RegisterServerVfs();
  int rc = sqlite3_open_v2(
      ":memory:", &db_,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) return {rc, db_ ? sqlite3_errmsg(db_) : "out of memory"};
  sqlite3_extended_result_codes(db_, 1);
  // Writers are serialised by the engine; what remains are short waits on
  // WAL checkpoints and schema reads.
  sqlite3_busy_timeout(db_, 10000);
  return {};
}

SqliteError SqliteConn::Attach(const std::string& schema, const std::string& file) {
  SqliteError e = Exec("ATTACH DATABASE " + Literal(file) + " AS " + Quote(schema));
  if (!e.ok()) return e;
  attached_.push_back(schema);
  std::string q = Quote(schema);
  // WAL lets readers run beside the one writer; the page cache is kept small
  // so that many connections stay cheap.
  // The -wal file stays when the connection closes: a connection that
  // closes a dropped database late must not delete, by name, the -wal of a
  // new database with the same name.
  int persist = 1;
  sqlite3_file_control(db_, schema.c_str(), SQLITE_FCNTL_PERSIST_WAL, &persist);
  e = Exec("PRAGMA " + q + ".journal_mode=WAL; PRAGMA " + q + ".synchronous=" + synchronous_ +
           "; PRAGMA " + q + ".cache_size=-" + std::to_string(cache_kib_));
  return e;
}

SqliteError SqliteConn::Detach(const std::string& schema) {
  SqliteError e = Exec("DETACH DATABASE " + Quote(schema));
  if (e.ok())
    attached_.erase(std::remove(attached_.begin(), attached_.end(), schema), attached_.end());
  return e;
}

bool SqliteConn::IsAttached(std::string_view schema) const {
  return std::find(attached_.begin(), attached_.end(), schema) != attached_.end();
}

SqliteError SqliteConn::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  SqliteError out{rc == SQLITE_OK ? SQLITE_OK : sqlite3_extended_errcode(db_), err ? err : ""};
  sqlite3_free(err);
  return out;
}

SqliteError SqliteConn::Prepare(std::string_view sql, SqliteStmt* out) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return LastError();
  *out = SqliteStmt(s);
  return {};
}

SqliteError SqliteConn::LastError() const {
  return {sqlite3_extended_errcode(db_), sqlite3_errmsg(db_)};
}

std::string SqliteConn::Quote(std::string_view id) {
  std::string out = "\"";
  for (char c : id) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string SqliteConn::Literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace reptut::storage
