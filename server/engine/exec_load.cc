// LOAD DATA [LOCAL] INFILE and SELECT ... INTO OUTFILE / DUMPFILE.
//
// LOAD DATA reads the whole file (from the server's file system, or from
// the client for LOCAL: ResponseSink::ReadLocalFile), cuts it into rows with
// MySQL's FIELDS / LINES rules and inserts them with ordinary INSERT
// statements (batches of rows; one row at a time when the column list has
// user variables or SET is given), all in one transaction. With the binary
// log on, the INSERTs are not logged: the statement is, as MySQL logs it
// (Begin_load_query / Append_block with the file's data, then
// Execute_load_query), see binlogging.h. Without it, the redo log takes the
// INSERTs.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "binlog/load_events.h"
#include "common/errors.h"
#include "common/sql_text.h"
#include "engine/binlogging.h"
#include "engine/exec.h"
#include "sql/sql_mode.h"

namespace reptut::engine {
namespace {

using sql::FileFormat;
using sql::LoadDataInfo;

// Collects what an inner statement answers.
class CaptureSink : public ResponseSink {
 public:
  void SendOk(const OkInfo& info, uint16_t) override { ok = info; }
  void SendError(const Error& e) override { error = e; }
  void SendColumns(const std::vector<ColumnInfo>&) override {}
  bool SendRow(const Row&) override { return true; }
  void SendEof(uint16_t, uint16_t) override {}
  std::optional<OkInfo> ok;
  std::optional<Error> error;
};

std::string Global(SessionState& s, const char* name) {
  return s.server->globals.Get(name).value_or("");
}

bool IsOff(std::string v) {
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "0" || v == "off" || v == "false";
}

Error NoFilePrivilege(SessionState& s) {
  return MakeError(ER_ACCESS_DENIED_ERROR,
                   {s.user, s.client_host, s.account.password_hash.empty() ? "NO" : "YES"});
}

// MySQL's rule: a bare name is in the database's directory, any other
// relative name is relative to the data directory. The server keeps a
// database in one file, so without a directory of that name the data
// directory itself is used.
std::string ResolvePath(SessionState& s, const std::string& name, const std::string& db) {
  if (!name.empty() && name[0] == '/') return name;
  std::string datadir = s.server->datadir.path();
  if (name.find('/') == std::string::npos) {
    std::string dir = datadir + "/" + db;
    struct stat st;
    if (!db.empty() && ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return dir + "/" + name;
    }
  }
  return datadir + "/" + name;
}

std::string RealDir(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf)) return buf;
  return path;
}

// secure_file_priv: empty = anywhere; "NULL" = nowhere; else the file must
// be inside that directory.
Status CheckSecureFilePriv(SessionState& s, const std::string& path) {
  if (s.apply.active || s.replaying) return Status::Ok();  // the SQL thread's own files
  std::string priv = Global(s, "secure_file_priv");
  if (priv.empty()) return Status::Ok();
  Error refused = MakeError(ER_OPTION_PREVENTS_STATEMENT, {"--secure-file-priv"});
  if (priv == "NULL" || priv == "null") return refused;
  std::string dir = RealDir(priv);
  size_t slash = path.rfind('/');
  std::string file_dir = RealDir(slash == std::string::npos ? "." : path.substr(0, slash + 1));
  if (!dir.empty() && dir.back() != '/') dir += '/';
  if (file_dir.back() != '/') file_dir += '/';
  if (file_dir.compare(0, dir.size(), dir) != 0) return refused;
  return Status::Ok();
}

Error FileNotFound(const std::string& path, int err) {
  return MakeErrorMsg(29, "File '" + path + "' not found (Errcode: " + std::to_string(err) + " \"" +
                              std::strerror(err) + "\")");
}

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return FileNotFound(path, errno);
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return MakeErrorMsg(1085, "The file '" + path +
                                  "' must be in the database directory or be "
                                  "readable by all");
  }
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return MakeErrorMsg(ER_UNKNOWN_ERROR, "Error reading file '" + path +
                                                "' (Errcode: " + std::to_string(err) + ")");
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

// ---------------------------------------------------------------------------
// Reading rows (MySQL's READ_INFO).

class RowReader {
 public:
  RowReader(std::string_view data, const FileFormat& f) : d_(data), f_(f) {
    if (!f.enclosed.empty()) enc_ = f.enclosed[0];
    if (!f.escaped.empty()) esc_ = f.escaped[0];
  }

  // IGNORE n LINES: past the next line terminator (no STARTING BY prefix
  // looked for, as MySQL's next_line()); false at the end of the data.
  bool SkipLine() {
    if (p_ >= d_.size()) return false;
    size_t at = d_.find(f_.lines_terminated, p_);
    p_ = at == std::string_view::npos ? d_.size() : at + f_.lines_terminated.size();
    return true;
  }

  // The next line's fields (nullopt = NULL); false at the end of the data.
  bool Next(std::vector<std::optional<std::string>>* fields) {
    fields->clear();
    if (p_ >= d_.size()) return false;
    if (!f_.lines_starting.empty()) {
      size_t at = d_.find(f_.lines_starting, p_);
      if (at == std::string_view::npos) {
        p_ = d_.size();
        return false;
      }
      p_ = at + f_.lines_starting.size();
    }
    const std::string& ft = f_.fields_terminated;
    const std::string& lt = f_.lines_terminated;
    for (;;) {
      std::string val;
      bool null = false;
      bool quoted = false;
      if (enc_ && p_ < d_.size() && d_[p_] == *enc_) {
        quoted = true;
        ++p_;
        bool closed = false;
        while (p_ < d_.size()) {
          char c = d_[p_];
          if (esc_ && c == *esc_ && p_ + 1 < d_.size()) {
            val += Unescape(d_[p_ + 1]);
            p_ += 2;
            continue;
          }
          if (c == *enc_) {
            if (p_ + 1 < d_.size() && d_[p_ + 1] == *enc_) {
              val += c;
              p_ += 2;
              continue;
            }
            size_t after = p_ + 1;
            if (after >= d_.size() || At(after, ft) || At(after, lt)) {
              p_ = after;
              closed = true;
              break;
            }
          }
          val += c;
          ++p_;
        }
        // No closing quote before the end: the opening one is data (MySQL).
        if (!closed) val.insert(val.begin(), *enc_);
      } else {
        size_t start = p_;
        bool escaped_any = false;
        while (p_ < d_.size()) {
          if (At(p_, ft) || At(p_, lt)) break;
          char c = d_[p_];
          if (esc_ && c == *esc_ && p_ + 1 < d_.size()) {
            if (d_[p_ + 1] == 'N' && p_ == start) {
              size_t after = p_ + 2;
              if (after >= d_.size() || At(after, ft) || At(after, lt)) {
                null = true;
                p_ = after;
                break;
              }
            }
            val += Unescape(d_[p_ + 1]);
            escaped_any = true;
            p_ += 2;
            continue;
          }
          val += c;
          ++p_;
        }
        if (enc_ && !escaped_any && val == "NULL") null = true;
      }
      (void)quoted;
      if (null) {
        fields->push_back(std::nullopt);
      } else {
        fields->push_back(std::move(val));
      }
      if (p_ >= d_.size()) break;
      if (!ft.empty() && At(p_, ft)) {
        p_ += ft.size();
        continue;
      }
      if (At(p_, lt)) {
        p_ += lt.size();
        break;
      }
      // Garbage after a closing quote: up to the next terminator.
      while (p_ < d_.size() && !At(p_, ft) && !At(p_, lt)) ++p_;
      if (p_ < d_.size() && At(p_, ft)) {
        p_ += ft.size();
        continue;
      }
      if (p_ < d_.size()) p_ += lt.size();
      break;
    }
    return true;
  }

 private:
  bool At(size_t at, const std::string& s) const {
    return !s.empty() && d_.compare(at, s.size(), s) == 0;
  }
  static char Unescape(char c) {
    switch (c) {
      case '0':
        return '\0';
      case 'b':
        return '\b';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'Z':
        return '\032';
      default:
        return c;
    }
  }

  std::string_view d_;
  const FileFormat& f_;
  std::optional<char> enc_, esc_;
  size_t p_ = 0;
};

std::string QuoteIdent(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

// A string literal the session's parser reads back as `v`.
std::string Literal(std::string_view v, bool no_backslash_escapes) {
  if (!no_backslash_escapes) return QuoteMysqlString(v);
  std::string out = "'";
  for (char c : v) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

// The value a NOT NULL column gets for a NULL field (MySQL's warning 1263).
std::string ImplicitDefault(const sql::ColumnDef& c) {
  const std::string& t = c.type;
  if (t == "date") return "'0000-00-00'";
  if (t == "datetime") return "'0000-00-00 00:00:00'";
  if (t == "time") return "'00:00:00'";
  if (t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint" ||
      t == "decimal" || t == "float" || t == "double" || t == "bit" || t == "year") {
    return "0";
  }
  return "''";
}

// The word MySQL's 1366 uses for a numeric column type, null for others.
const char* NumericWord(const std::string& t) {
  if (t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint" ||
      t == "year") {
    return "integer";
  }
  if (t == "decimal") return "decimal";
  if (t == "float" || t == "double") return "double";
  return nullptr;
}

// Runs one INSERT through the engine's DML path.
Status RunInsert(Exec& x, const std::string& text, uint64_t* affected) {
  SessionState& s = x.s;
  Result<sql::Statement> st = sql::Parse(text, ParseOptionsFor(s));
  if (!st.ok()) return st.error();
  CaptureSink sink;
  Exec inner{s, sink, 0, text};
  s.shaped = false;  // parsed here, not from the statement cache
  size_t warnings = s.pending_warnings.size();
  ExecDml(inner, *st);
  if (sink.error) {
    // Exec::Fail noted it as the statement's error: the outer statement does.
    if (s.pending_warnings.size() > warnings) s.pending_warnings.pop_back();
    return *sink.error;
  }
  if (sink.ok) *affected = sink.ok->affected_rows;
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------------------
// LOAD DATA

void ExecLoadData(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  const LoadDataInfo& l = st.load;
  Result<std::string> db = DbOf(s, l.table);
  if (!db.ok()) return x.Fail(db.error());
  Result<Catalog::DefPtr> def = ResolveTable(s, l.table);
  if (!def.ok()) return x.Fail(def.error());
  const sql::TableDef& table = **def;
  PrivSet need = sql::kPrivInsert;
  if (l.dup == LoadDataInfo::Dup::kReplace) need |= sql::kPrivDelete;
  Status p = CheckTablePriv(s, *db, l.table.name, need, "INSERT");
  if (!p.ok()) return x.Fail(p.error());
  if (l.format.fields_terminated.empty() && l.format.enclosed.empty()) {
    return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"LOAD DATA with fixed-size rows"}));
  }
  if (!l.charset.empty() && l.charset != "utf8" && l.charset != "utf8mb4" &&
      l.charset != "utf8mb3" && l.charset != "binary" && l.charset != "latin1" &&
      l.charset != "ascii") {
    return x.Fail(MakeErrorMsg(1115, "Unknown character set: '" + l.charset + "'"));
  }

  // The file.
  std::string data;
  if (l.local) {
    if (IsOff(Global(s, "local_infile"))) return x.Fail(MakeError(ER_NOT_ALLOWED_COMMAND));
    Result<std::string> got = x.sink.ReadLocalFile(l.file);
    if (!got.ok()) return x.Fail(got.error());
    data = std::move(*got);
  } else {
    if (!s.apply.active && !s.replaying && !(s.account.global & sql::kPrivFile)) {
      return x.Fail(NoFilePrivilege(s));
    }
    std::string path = ResolvePath(s, l.file, *db);
    Status secure = CheckSecureFilePriv(s, path);
    if (!secure.ok()) return x.Fail(secure.error());
    Result<std::string> got = ReadWholeFile(path);
    if (!got.ok()) return x.Fail(got.error());
    data = std::move(*got);
  }

  // The target columns.
  std::vector<LoadDataInfo::Target> targets = l.targets;
  if (targets.empty()) {
    for (const sql::ColumnDef& c : table.columns) targets.push_back({c.name, false});
  }
  std::vector<const sql::ColumnDef*> cols(targets.size(), nullptr);
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].user_var) continue;
    int idx = table.FindColumn(targets[i].name);
    if (idx < 0) {
      return x.Fail(MakeError(ER_BAD_FIELD_ERROR, {targets[i].name, "field list"}));
    }
    cols[i] = &table.columns[idx];
  }
  for (const auto& a : l.assignments) {
    if (table.FindColumn(a.column) < 0) {
      return x.Fail(MakeError(ER_BAD_FIELD_ERROR, {a.column, "field list"}));
    }
  }
  bool per_row = !l.assignments.empty();
  for (const auto& t : targets) per_row = per_row || t.user_var;

  // LOCAL cannot stop the client's transfer: duplicates are skipped.
  LoadDataInfo::Dup dup = l.dup;
  if (l.local && dup == LoadDataInfo::Dup::kError) dup = LoadDataInfo::Dup::kIgnore;
  std::string head = dup == LoadDataInfo::Dup::kReplace  ? "REPLACE INTO "
                     : dup == LoadDataInfo::Dup::kIgnore ? "INSERT IGNORE INTO "
                                                         : "INSERT INTO ";
  head += QuoteIdent(*db) + "." + QuoteIdent(table.name) + " (";
  bool first = true;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].user_var) continue;
    head += (first ? "" : ", ") + QuoteIdent(cols[i]->name);
    first = false;
  }
  for (const auto& a : l.assignments) {
    head += (first ? "" : ", ") + QuoteIdent(a.column);
    first = false;
  }
  head += ") VALUES ";
  const uint64_t sql_mode = sql::SqlModeBits(s.SessionVar("sql_mode"));
  const bool no_bs = (sql_mode & sql::SqlModeBits("NO_BACKSLASH_ESCAPES")) != 0;
  // Strict mode makes the row count and NULL warnings errors, unless
  // IGNORE (or LOCAL without REPLACE) is in effect.
  const bool strict_errors =
      (sql_mode & sql::SqlModeBits("STRICT_TRANS_TABLES,STRICT_ALL_TABLES")) != 0 &&
      dup != LoadDataInfo::Dup::kIgnore;

  // One transaction for the whole statement; the rows unlogged when the
  // binary log takes the statement itself.
  const bool log_load = BinlogTakesLoadData(s);
  const bool own_txn = !InTxnMode(s);
  if (own_txn) s.explicit_txn = true;
  const size_t cache_before = s.binlog_cache.size();
  std::string saved_log_bin;
  if (log_load) {
    saved_log_bin = s.SessionVar("sql_log_bin");
    s.vars["sql_log_bin"] = "0";
    ++s.vars_generation;
  }
  auto restore_log_bin = [&]() {
    if (!log_load) return;
    s.vars["sql_log_bin"] = saved_log_bin.empty() ? "1" : saved_log_bin;
    ++s.vars_generation;
  };
  Status done = BeginWrite(s);
  bool savepoint = false;
  if (done.ok() && !own_txn) {
    savepoint = s.Conn().Exec("SAVEPOINT reptut_load").ok();
  }

  uint64_t records = 0, deleted = 0, skipped = 0;
  RowReader reader(data, l.format);
  std::vector<std::optional<std::string>> fields;
  for (uint64_t i = 0; done.ok() && i < l.ignore_lines && reader.SkipLine(); ++i) {
  }
  std::vector<std::string> batch;  // each row's "(v, ...)"
  size_t batch_bytes = 0;
  const std::string count_sql =
      "SELECT count(*) FROM " + QuoteIdent(*db) + "." + QuoteIdent(table.name);
  auto count_rows = [&]() -> int64_t {
    storage::SqliteStmt cs;
    if (!s.Conn().Prepare(count_sql, &cs).ok() || cs.Step() != SQLITE_ROW) return -1;
    return cs.Int(0);
  };
  const bool ignore = dup == LoadDataInfo::Dup::kIgnore;
  const std::string plain_head = ignore ? "INSERT INTO " + head.substr(19) : head;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    const uint64_t rows = batch.size();
    std::string list;
    for (const std::string& v : batch) list += (list.empty() ? "" : ", ") + v;
    uint64_t affected = 0;
    // REPLACE: the rows it deleted are what the table did not grow by.
    const bool replace = dup == LoadDataInfo::Dup::kReplace;
    int64_t before = replace ? count_rows() : 0;
    const size_t warnings_before = s.pending_warnings.size();
    bool sp = ignore && s.Conn().Exec("SAVEPOINT reptut_load_batch").ok();
    Status r = RunInsert(x, head + list, &affected);
    if (r.ok() && ignore && affected < rows) {
      if (!sp) {
        skipped += rows - affected;
      } else {
        // Which rows were duplicates, for MySQL's 1062 warnings: the batch
        // again, a row at a time.
        (void)s.Conn().Exec("ROLLBACK TO reptut_load_batch");
        s.pending_warnings.resize(warnings_before);
        for (const std::string& v : batch) {
          uint64_t one = 0;
          Status plain = RunInsert(x, plain_head + v, &one);
          if (plain.ok()) continue;
          if (plain.code() == ER_DUP_ENTRY) {
            s.AddWarning("Warning", ER_DUP_ENTRY, plain.message());
            ++skipped;
            continue;
          }
          r = RunInsert(x, head + v, &one);
          if (!r.ok()) break;
          if (one == 0) ++skipped;
        }
      }
    } else if (r.ok() && replace && before >= 0) {
      int64_t after = count_rows();
      int64_t grew = after - before;
      if (after >= 0 && grew >= 0 && static_cast<uint64_t>(grew) < rows) {
        deleted += rows - static_cast<uint64_t>(grew);
      }
    }
    if (sp) (void)s.Conn().Exec("RELEASE reptut_load_batch");
    batch.clear();
    return r;
  };
  uint64_t row_no = 0;
  while (done.ok() && reader.Next(&fields)) {
    ++row_no;
    if (s.query_killed || s.killed) {
      done = MakeError(ER_QUERY_INTERRUPTED);
      break;
    }
    std::string values = "(";
    bool first_value = true;
    for (size_t i = 0; i < targets.size(); ++i) {
      const std::optional<std::string>* f = i < fields.size() ? &fields[i] : nullptr;
      if (targets[i].user_var) {
        UserValue v;
        if (f && *f) {
          v.type = UserValue::Type::kString;
          v.s = **f;
          v.charset = "utf8mb4";
        }
        s.user_vars[targets[i].name] = v;
        continue;
      }
      std::string value;
      if (!f) {
        // A missing field: the column's default.
        const sql::ColumnDef& c = *cols[i];
        using D = sql::ColumnDef::Default;
        if (c.auto_increment) {
          value = "NULL";
        } else if (c.default_kind == D::kLiteral) {
          value = c.default_value.rfind("b'", 0) == 0 ? c.default_value
                                                      : Literal(c.default_value, no_bs);
        } else if (c.default_kind == D::kCurrentTimestamp) {
          value = "CURRENT_TIMESTAMP";
        } else {
          value = c.not_null ? ImplicitDefault(c) : "NULL";
        }
      } else if (!*f) {
        const sql::ColumnDef& c = *cols[i];
        if (c.not_null && !c.auto_increment && c.type != "timestamp") {
          Error w = MakeError(ER_WARN_NULL_TO_NOTNULL, {c.name, row_no});
          if (strict_errors) {
            done = w;
            break;
          }
          s.AddWarning("Warning", ER_WARN_NULL_TO_NOTNULL, w.message);
          value = ImplicitDefault(c);
        } else {
          value = "NULL";
        }
      } else if ((*f)->empty() && NumericWord(cols[i]->type)) {
        // An empty field for a number: 0, with MySQL's warning 1366.
        Error w = MakeErrorMsg(1366, std::string("Incorrect ") + NumericWord(cols[i]->type) +
                                         " value: '' for column '" + cols[i]->name + "' at row " +
                                         std::to_string(row_no));
        if (strict_errors) {
          done = w;
          break;
        }
        s.AddWarning("Warning", w.code, w.message);
        value = "0";
      } else {
        value = Literal(**f, no_bs);
      }
      values += (first_value ? "" : ", ") + value;
      first_value = false;
    }
    if (!done.ok()) break;
    // One warning per column without data (1261), one for extra data (1262).
    for (size_t i = fields.size(); i < targets.size(); ++i) {
      Error w = MakeError(ER_WARN_TOO_FEW_RECORDS, {row_no});
      if (strict_errors) {
        done = w;
        break;
      }
      s.AddWarning("Warning", w.code, w.message);
    }
    if (fields.size() > targets.size() && done.ok()) {
      Error w = MakeError(ER_WARN_TOO_MANY_RECORDS, {row_no});
      if (strict_errors) {
        done = w;
      } else {
        s.AddWarning("Warning", w.code, w.message);
      }
    }
    if (!done.ok()) break;
    for (const auto& a : l.assignments) {
      values += (first_value ? "" : ", ") + a.expr_text;
      first_value = false;
    }
    values += ")";
    ++records;
    batch_bytes = (batch.empty() ? 0 : batch_bytes) + values.size();
    batch.push_back(std::move(values));
    if (per_row || batch.size() >= 500 || batch_bytes >= (1u << 20)) done = flush();
  }
  if (done.ok()) done = flush();
  restore_log_bin();

  if (done.ok() && log_load) {
    LoadDataLog log;
    log.db = *db;
    // The statement as written, the file part marked for the replica (the
    // LOCAL keyword kept: mariadb-binlog prints LOCAL with its own copy).
    log.query = std::string(x.text);
    log.fn_pos_start = static_cast<uint32_t>(l.after_load);
    log.fn_pos_end = static_cast<uint32_t>(l.into_end);
    log.dup_handling = dup == LoadDataInfo::Dup::kReplace  ? binlog::kLoadDupReplace
                       : dup == LoadDataInfo::Dup::kIgnore ? binlog::kLoadDupIgnore
                                                           : binlog::kLoadDupError;
    log.data = data;
    LogLoadData(s, log);
  }
  if (own_txn) {
    s.explicit_txn = false;
    if (done.ok()) {
      done = CommitTxn(s);
    } else {
      RollbackTxn(s);
    }
  } else if (savepoint) {
    if (!done.ok()) {
      (void)s.Conn().Exec("ROLLBACK TO reptut_load");
      if (s.binlog_cache.size() > cache_before) s.binlog_cache.resize(cache_before);
    }
    (void)s.Conn().Exec("RELEASE reptut_load");
  }
  if (!done.ok()) return x.Fail(done.error());
  // MySQL's count: the rows inserted plus those REPLACE deleted.
  s.last_row_count = static_cast<int64_t>(records - skipped + deleted);
  std::string info = "Records: " + std::to_string(records) +
                     "  Deleted: " + std::to_string(deleted) +
                     "  Skipped: " + std::to_string(skipped) +
                     "  Warnings: " + std::to_string(s.pending_warnings.size());
  x.Ok(records - skipped + deleted, 0, info);
}

// ---------------------------------------------------------------------------
// SELECT ... INTO OUTFILE / DUMPFILE

namespace {

// A DOUBLE as MySQL prints it: the shortest digits, "1e20" / "1e-5".
std::string NumberText(double d) {
  char buf[64];
  for (int prec = 15; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string out = buf;
  size_t e = out.find('e');
  if (e != std::string::npos) {
    std::string exp = out.substr(e + 1);
    bool negative = !exp.empty() && exp[0] == '-';
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) exp.erase(0, 1);
    while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
    out = out.substr(0, e + 1) + (negative ? "-" : "") + exp;
  }
  return out;
}

// A column's value as bytes; nullopt for NULL. *is_string: a string value.
std::optional<std::string> ValueOf(sqlite3_stmt* st, int i, bool* is_string) {
  *is_string = false;
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
      return NumberText(sqlite3_column_double(st, i));
    default: {
      *is_string = true;
      const void* p = sqlite3_column_blob(st, i);
      int n = sqlite3_column_bytes(st, i);
      return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
    }
  }
}

void AppendField(std::string* out, const std::optional<std::string>& v, bool is_string,
                 const FileFormat& f) {
  std::optional<char> esc, enc;
  if (!f.escaped.empty()) esc = f.escaped[0];
  if (!f.enclosed.empty()) enc = f.enclosed[0];
  if (!v) {
    if (esc) {
      out->push_back(*esc);
      out->push_back('N');
    } else {
      *out += "NULL";
    }
    return;
  }
  bool enclose = enc && (!f.optionally_enclosed || is_string);
  if (enclose) out->push_back(*enc);
  const char ft = f.fields_terminated.empty() ? '\0' : f.fields_terminated[0];
  const char lt = f.lines_terminated.empty() ? '\0' : f.lines_terminated[0];
  // As MySQL's select_export: the escape character itself, the enclosing
  // character (when enclosed) or else the field terminator's first
  // character, the line terminator's first character, and NUL (as "0").
  // Without an escape character nothing is escaped.
  for (char c : *v) {
    if (esc) {
      if (c == '\0') {
        out->push_back(*esc);
        out->push_back('0');
        continue;
      }
      bool need = c == *esc || (enclose ? c == *enc : (!f.fields_terminated.empty() && c == ft)) ||
                  (!f.lines_terminated.empty() && c == lt);
      if (need) out->push_back(*esc);
    }
    out->push_back(c);
  }
  if (enclose) out->push_back(*enc);
}

}  // namespace

void SelectIntoFile(Exec& x, const sql::DmlInfo& dml, storage::SqliteStmt& st, int rc) {
  SessionState& s = x.s;
  const sql::IntoFileInfo& into = *dml.into_file;
  if (!(s.account.global & sql::kPrivFile)) return x.Fail(NoFilePrivilege(s));
  std::string path = ResolvePath(s, into.file, s.db);
  Status secure = CheckSecureFilePriv(s, path);
  if (!secure.ok()) return x.Fail(secure.error());
  struct stat sb;
  if (::stat(path.c_str(), &sb) == 0) return x.Fail(MakeError(ER_FILE_EXISTS_ERROR, {path}));
  std::string out;
  uint64_t rows = 0;
  int n = st.ColumnCount();
  while (rc == SQLITE_ROW) {
    if (s.query_killed || s.killed) return x.Fail(MakeError(ER_QUERY_INTERRUPTED));
    ++rows;
    if (into.dumpfile) {
      if (rows > 1) {
        return x.Fail(MakeErrorMsg(1172, "Result consisted of more than one row"));
      }
      for (int i = 0; i < n; ++i) {
        bool is_string;
        std::optional<std::string> v = ValueOf(st.get(), i, &is_string);
        if (v) out += *v;
      }
    } else {
      out += into.format.lines_starting;
      for (int i = 0; i < n; ++i) {
        if (i) out += into.format.fields_terminated;
        bool is_string;
        std::optional<std::string> v = ValueOf(st.get(), i, &is_string);
        AppendField(&out, v, is_string, into.format);
      }
      out += into.format.lines_terminated;
    }
    rc = st.Step();
  }
  if (rc != SQLITE_DONE) return x.Fail(MapSqliteError(s, s.Conn().LastError()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST) return x.Fail(MakeError(ER_FILE_EXISTS_ERROR, {path}));
    return x.Fail(MakeErrorMsg(1 /* EE_CANTCREATEFILE */, "Can't create/write to file '" + path +
                                                              "' (Errcode: " + std::to_string(err) +
                                                              " \"" + std::strerror(err) + "\")"));
  }
  size_t off = 0;
  while (off < out.size()) {
    ssize_t w = ::write(fd, out.data() + off, out.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return x.Fail(MakeErrorMsg(
          3, "Error writing file '" + path + "' (Errcode: " + std::to_string(err) + ")"));
    }
    off += static_cast<size_t>(w);
  }
  ::close(fd);
  s.last_row_count = static_cast<int64_t>(rows);
  x.Ok(rows);
}

}  // namespace reptut::engine
