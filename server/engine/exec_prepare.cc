// COM_STMT_PREPARE: what a statement is, without running it.
//
// mysqld parses a statement when it is prepared and answers with its
// parameter count and result columns; nothing is executed until
// COM_STMT_EXECUTE. Several statements in one text are a syntax error at
// prepare (1064 near the second), whatever CLIENT_MULTI_STATEMENTS says.
// Here a SELECT is translated and prepared by SQLite, never stepped: the
// columns come from SQLite's column metadata and, for table columns, from
// the catalog. SHOW statements (which change nothing) build their result
// set into a sink that keeps the column definitions only.
#include <algorithm>

#include "common/errors.h"
#include "common/mysql_types.h"
#include "engine/exec.h"
#include "engine/session.h"
#include "sql/lexer.h"

namespace reptut::engine {

namespace {

// Keeps the columns of a result set and stops at the first row.
class ColumnsOnlySink : public ResponseSink {
 public:
  void SendOk(const OkInfo&, uint16_t) override {}
  void SendError(const Error& e) override {
    if (!error_) error_ = e;
  }
  void SendColumns(const std::vector<ColumnInfo>& columns) override { columns_ = columns; }
  bool SendRow(const Row&) override { return false; }
  void SendEof(uint16_t, uint16_t) override {}
  const std::optional<Error>& error() const { return error_; }
  std::vector<ColumnInfo>& columns() { return columns_; }

 private:
  std::optional<Error> error_;
  std::vector<ColumnInfo> columns_;
};

bool IsShow(sql::StatementKind kind) {
  using K = sql::StatementKind;
  switch (kind) {
    case K::kShowDatabases:
    case K::kShowTables:
    case K::kShowColumns:
    case K::kShowCreateTable:
    case K::kShowCreateDatabase:
    case K::kShowIndex:
    case K::kShowTableStatus:
    case K::kShowVariables:
    case K::kShowStatus:
    case K::kShowProcesslist:
    case K::kShowGrants:
    case K::kShowWarnings:
    case K::kShowErrors:
    case K::kShowEngines:
    case K::kShowCharset:
    case K::kShowCollation:
    case K::kShowMasterStatus:
    case K::kShowSlaveStatus:
    case K::kShowBinaryLogs:
    case K::kShowBinlogEvents:
    case K::kShowRelaylogEvents:
    case K::kShowSlaveHosts:
    case K::kShowCreateUser:
    case K::kShowPrivileges:
    case K::kShowCountWarnings:
    case K::kShowCountErrors:
    case K::kShowTriggers:
    case K::kShowEvents:
    case K::kShowRoutineStatus:
    case K::kShowPlugins:
    case K::kExplain:  // table maintenance is not here: describing it would run it
      return true;
    default:
      return false;
  }
}

// Column i of a prepared, not stepped, SELECT. A table column has its
// definition's metadata; an expression's type is only known once a row is
// computed, so it is announced as a string (COM_STMT_EXECUTE sends the real
// definitions with the rows).
ColumnInfo DescribePreparedColumn(SessionState& s, sqlite3_stmt* st, int i) {
  ColumnInfo c;
  if (DescribeTableColumn(s, st, i, &c, nullptr, nullptr)) return c;
  c.org_name = c.name;
  c.type = mysql::kTypeVarString;
  c.length = 255;
  c.charset = s.SessionVar("character_set_results") == "latin1" ? mysql::kLatin1SwedishCi
                                                                : mysql::kUtf8GeneralCi;
  return c;
}

}  // namespace

Result<std::string> Session::SingleStatement(std::string_view text) {
  SessionState& s = *state_;
  std::vector<std::string_view> parts = sql::SplitStatements(text, s.Hot().no_backslash_escapes);
  if (parts.empty()) return MakeError(ER_EMPTY_QUERY);
  for (size_t i = 1; i < parts.size(); ++i) {
    // Trailing comments are no statement.
    Result<sql::Statement> extra = sql::Parse(parts[i], ParseOptionsFor(s));
    if (extra.ok() && extra->kind == sql::StatementKind::kEmpty) continue;
    size_t offset = static_cast<size_t>(parts[i].data() - text.data());
    std::string_view rest = text.substr(offset);
    while (!rest.empty() && (rest.back() == ';' || rest.back() == ' ' || rest.back() == '\t' ||
                             rest.back() == '\n' || rest.back() == '\r')) {
      rest.remove_suffix(1);
    }
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
    return MakeError(ER_PARSE_ERROR, {sql::NearText(rest, 0), line});
  }
  return std::string(parts[0]);
}

Result<std::vector<ColumnInfo>> Session::Describe(std::string_view text) {
  SessionState& s = *state_;
  Result<sql::Statement> parsed = sql::Parse(text, ParseOptionsFor(s));
  if (!parsed.ok()) return parsed.error();
  const sql::Statement& st = *parsed;
  using K = sql::StatementKind;
  bool select = st.kind == K::kSelect && st.dml.into_vars.empty();
  if (!select && !IsShow(st.kind)) return std::vector<ColumnInfo>{};
  Status prep = PrepareConnection(s);
  if (!prep.ok()) return prep.error();
  if (select) {
    for (const sql::TableName& t : st.dml.tables) {
      Result<std::string> db = DbOf(s, t);
      if (!db.ok()) return db.error();
      Result<Catalog::DefPtr> def = ResolveTable(s, t);
      if (!def.ok()) return def.error();
      Status p = CheckTablePriv(s, *db, t.name, sql::kPrivSelect, "SELECT");
      if (!p.ok()) return p.error();
    }
    storage::SqliteStmt prepared;
    storage::SqliteError e = s.Conn().Prepare(st.dml.sqlite_sql, &prepared);
    if (!e.ok()) return MapSqliteError(s, e);
    std::vector<ColumnInfo> columns;
    for (int i = 0; i < prepared.ColumnCount(); ++i) {
      columns.push_back(DescribePreparedColumn(s, prepared.get(), i));
    }
    return columns;
  }
  // A SHOW changes nothing but the diagnostics area, which stays as it was.
  std::vector<Warning> pending = s.pending_warnings;
  ColumnsOnlySink sink;
  Exec x{s, sink, 0, text};
  if (st.kind == sql::StatementKind::kExplain) {
    ExecExplain(x, st);
  } else {
    ExecShow(x, st);
  }
  s.pending_warnings = std::move(pending);
  if (sink.error()) return *sink.error();
  return std::move(sink.columns());
}

}  // namespace reptut::engine
