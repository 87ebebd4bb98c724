// CHECK / ANALYZE / OPTIMIZE / REPAIR / CHECKSUM TABLE, answered as MariaDB
// answers them for InnoDB tables, backed by SQLite:
//   CHECK     PRAGMA db.integrity_check('t') (quick_check for QUICK / FAST /
//             CHANGED); anything but "ok" is reported row by row, then
//             `error | Corrupt`.
//   ANALYZE   SQLite's ANALYZE db.t (the planner's statistics).
//   OPTIMIZE  REINDEX db.t + ANALYZE db.t, with InnoDB's note "Table does
//             not support optimize, doing recreate + analyze instead".
//   REPAIR    nothing: InnoDB's note "The storage engine for the table
//             doesn't support repair".
//   CHECKSUM  the sum (mod 2^32) of a CRC-32 per row over the row's values
//             in column order: independent of row order and the same on a
//             master and its replica for the same rows. QUICK answers NULL
//             (no live checksum, as InnoDB).
// A table that cannot be used gets an `Error` row with the error text and
// `status | Operation failed` (CHECKSUM: NULL and the error as a warning).
// The whole statement fails only for 1046 (no database) and missing
// privileges (SELECT; ANALYZE/OPTIMIZE/REPAIR also INSERT), as MySQL.
// ANALYZE/OPTIMIZE/REPAIR without LOCAL / NO_WRITE_TO_BINLOG are written to
// the binary log as a group of their own (even when a table had an error,
// as MariaDB does); they commit the open transaction first, as CHECK does.
#include <algorithm>
#include <cstdio>

#include "binlog/crc32.h"
#include "common/errors.h"
#include "engine/exec.h"
#include "engine/group_commit.h"
#include "engine/information_schema.h"

namespace reptut::engine {

namespace {

using storage::SqliteConn;

struct Target {
  std::string db;
  std::string name;   // as written
  std::string label;  // "db.name", the Table column
};

bool HasOption(const sql::Statement& st, std::string_view word) {
  const auto& o = st.admin.maintenance_options;
  return std::find(o.begin(), o.end(), word) != o.end();
}

std::string OpName(sql::StatementKind k) {
  switch (k) {
    case sql::StatementKind::kCheckTable:
      return "check";
    case sql::StatementKind::kAnalyzeTable:
      return "analyze";
    case sql::StatementKind::kOptimizeTable:
      return "optimize";
    default:
      return "repair";
  }
}

std::string SqliteName(const Target& t) {
  return SqliteConn::Quote(t.db) + "." + SqliteConn::Quote(t.name);
}

// The rows of one table that failed: the error, then "Operation failed".
void AddFailure(std::vector<Row>& rows, const Target& t, const std::string& op,
                const std::string& message) {
  rows.push_back({t.label, op, std::string("Error"), message});
  rows.push_back({t.label, op, std::string("status"), std::string("Operation failed")});
}

// PRAGMA integrity_check / quick_check limited to the table and its indexes.
void CheckOne(SessionState& s, const Target& t, bool quick, std::vector<Row>& rows) {
  std::string sql = "PRAGMA " + SqliteConn::Quote(t.db) + "." +
                    (quick ? "quick_check(" : "integrity_check(") + SqliteConn::Literal(t.name) +
                    ")";
  std::vector<std::string> problems;
  storage::SqliteStmt st;
  storage::SqliteError e = s.Conn().Prepare(sql, &st);
  if (e.ok()) {
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      std::string line = st.Text(0);
      if (line != "ok") problems.push_back(std::move(line));
    }
    if (rc != SQLITE_DONE) e = s.Conn().LastError();
  }
  if (!e.ok()) problems.push_back(e.message);
  if (problems.empty()) {
    rows.push_back({t.label, std::string("check"), std::string("status"), std::string("OK")});
    return;
  }
  constexpr size_t kMaxReported = 20;
  for (size_t i = 0; i < problems.size() && i < kMaxReported; ++i) {
    rows.push_back({t.label, std::string("check"), std::string("Error"), problems[i]});
  }
  rows.push_back({t.label, std::string("check"), std::string("error"), std::string("Corrupt")});
}

// The row's values in a self-delimiting form: a tag per value, and the
// length before text and blobs.
void AppendValue(sqlite3_stmt* st, int i, std::string& out) {
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
      out.push_back('N');
      return;
    case SQLITE_INTEGER:
      out.push_back('I');
      out += std::to_string(sqlite3_column_int64(st, i));
      out.push_back(';');
      return;
    case SQLITE_FLOAT: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g;", sqlite3_column_double(st, i));
      out.push_back('R');
      out += buf;
      return;
    }
    default: {
      const void* p = sqlite3_column_blob(st, i);
      int n = sqlite3_column_bytes(st, i);
      out.push_back('S');
      out += std::to_string(n);
      out.push_back(':');
      if (n > 0) out.append(static_cast<const char*>(p), static_cast<size_t>(n));
      return;
    }
  }
}

Result<uint32_t> ChecksumOne(SessionState& s, const Target& t, const sql::TableDef& def) {
  std::string cols;
  for (const sql::ColumnDef& c : def.columns) {
    cols += (cols.empty() ? "" : ", ") + SqliteConn::Quote(c.name);
  }
  if (cols.empty()) return uint32_t{0};
  storage::SqliteStmt st;
  storage::SqliteError e = s.Conn().Prepare("SELECT " + cols + " FROM " + SqliteName(t), &st);
  if (!e.ok()) return MapSqliteError(s, e, t.db, &def);
  uint32_t sum = 0;
  std::string row;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    row.clear();
    for (int i = 0; i < st.ColumnCount(); ++i) AppendValue(st.get(), i, row);
    sum += binlog::Crc32(0, row);
  }
  if (rc != SQLITE_DONE) return MapSqliteError(s, s.Conn().LastError(), t.db, &def);
  return sum;
}

void Checksum(Exec& x, const sql::Statement& st, const std::vector<Target>& targets) {
  SessionState& s = x.s;
  SeeCommitted(s);
  Status b = BeginRead(s);
  if (!b.ok()) return x.Fail(b.error());
  bool quick = HasOption(st, "QUICK");
  std::vector<Row> rows;
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = targets[i];
    Result<Catalog::DefPtr> def = ResolveTable(s, st.admin.maintenance_tables[i]);
    Result<uint32_t> sum = uint32_t{0};
    if (!def.ok()) {
      sum = def.error();
    } else if (!quick) {
      sum = ChecksumOne(s, t, **def);
    }
    if (!sum.ok()) {
      s.pending_warnings.push_back({"Error", sum.error().code, sum.error().message});
      rows.push_back({t.label, std::nullopt});
    } else {
      rows.push_back({t.label, quick ? std::nullopt : std::optional(std::to_string(*sum))});
    }
  }
  x.Rows({{"Table", mysql::kTypeVarString, 192}, {"Checksum", mysql::kTypeLongLong, 21}}, rows);
}

void Check(Exec& x, const sql::Statement& st, const std::vector<Target>& targets) {
  SessionState& s = x.s;
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  SeeCommitted(s);
  bool quick = HasOption(st, "QUICK") || HasOption(st, "FAST") || HasOption(st, "CHANGED");
  std::vector<Row> rows;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (IsInformationSchema(targets[i].db)) {
      rows.push_back({targets[i].label, std::string("check"), std::string("note"),
                      std::string("The storage engine for the table doesn't support check")});
      continue;
    }
    Result<Catalog::DefPtr> def = ResolveTable(s, st.admin.maintenance_tables[i]);
    if (!def.ok()) {
      AddFailure(rows, targets[i], "check", def.error().message);
    } else {
      CheckOne(s, targets[i], quick, rows);
    }
  }
  x.Rows({{"Table", mysql::kTypeVarString, 192},
          {"Op", mysql::kTypeVarString, 10},
          {"Msg_type", mysql::kTypeVarString, 10},
          {"Msg_text", mysql::kTypeVarString, 1024}},
         rows);
}

// ANALYZE / OPTIMIZE / REPAIR: one write group, binlogged unless LOCAL.
void Rebuild(Exec& x, const sql::Statement& st, const std::vector<Target>& targets) {
  SessionState& s = x.s;
  std::string op = OpName(st.kind);
  // Resolved before the write starts: it attaches the tables' databases,
  // which SQLite cannot do inside the transaction.
  std::vector<std::optional<Error>> missing;
  std::string log_db;
  for (size_t i = 0; i < targets.size(); ++i) {
    Result<Catalog::DefPtr> def = ResolveTable(s, st.admin.maintenance_tables[i]);
    missing.push_back(def.ok() ? std::nullopt : std::optional<Error>(def.error()));
    if (def.ok() && log_db.empty()) log_db = targets[i].db;
  }
  bool log = !HasOption(st, "LOCAL") && !HasOption(st, "NO_WRITE_TO_BINLOG");
  std::vector<Row> rows;
  auto work = [&]() -> Status {
    rows.clear();
    for (size_t i = 0; i < targets.size(); ++i) {
      const Target& t = targets[i];
      if (missing[i]) {
        AddFailure(rows, t, op, missing[i]->message);
        continue;
      }
      if (st.kind == sql::StatementKind::kRepairTable) {
        rows.push_back({t.label, op, std::string("note"),
                        std::string("The storage engine for the table doesn't support repair")});
        continue;
      }
      storage::SqliteError e;
      if (st.kind == sql::StatementKind::kOptimizeTable) {
        rows.push_back(
            {t.label, op, std::string("note"),
             std::string("Table does not support optimize, doing recreate + analyze instead")});
        e = s.Conn().Exec("REINDEX " + SqliteName(t));
      }
      if (e.ok()) e = s.Conn().Exec("ANALYZE " + SqliteName(t));
      if (!e.ok()) {
        AddFailure(rows, t, op, MapSqliteError(s, e, t.db).message);
      } else {
        rows.push_back({t.label, op, std::string("status"), std::string("OK")});
      }
    }
    return Status::Ok();
  };
  Status done = RunDdl(s, work, log ? x.text : std::string_view(), log_db);
  if (!done.ok()) return x.Fail(done.error());
  x.Rows({{"Table", mysql::kTypeVarString, 192},
          {"Op", mysql::kTypeVarString, 10},
          {"Msg_type", mysql::kTypeVarString, 10},
          {"Msg_text", mysql::kTypeVarString, 1024}},
         rows);
}

}  // namespace

void ExecTableMaintenance(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  using K = sql::StatementKind;
  bool writes =
      st.kind == K::kAnalyzeTable || st.kind == K::kOptimizeTable || st.kind == K::kRepairTable;
  std::vector<Target> targets;
  for (const sql::TableName& tn : st.admin.maintenance_tables) {
    Result<std::string> db = DbOf(s, tn);
    if (!db.ok()) return x.Fail(db.error());
    if (writes && IsInformationSchema(*db)) {
      return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, *db}));
    }
    Status p = CheckTablePriv(s, *db, tn.name, sql::kPrivSelect, "SELECT");
    if (p.ok() && writes) p = CheckTablePriv(s, *db, tn.name, sql::kPrivInsert, "INSERT");
    if (!p.ok()) return x.Fail(p.error());
    targets.push_back({*db, tn.name, *db + "." + tn.name});
  }
  switch (st.kind) {
    case K::kChecksumTable:
      return Checksum(x, st, targets);
    case K::kCheckTable:
      return Check(x, st, targets);
    default:
      return Rebuild(x, st, targets);
  }
}

}  // namespace reptut::engine
