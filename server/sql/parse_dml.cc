// SELECT, INSERT/REPLACE, UPDATE, DELETE, DO -> SQLite text.
#include <cctype>
#include <cstdlib>

#include "sql/parser_internal.h"

namespace reptut::sql::internal {

void ParseIntoFile(Parser& p, IntoFileInfo& info);  // parse_load.cc

namespace {

// Words that end a table factor (cannot be an alias) although MySQL does
// not reserve them.
bool EndsTableFactor(const Token& t) {
  static const char* const k[] = {"STRAIGHT_JOIN", "WINDOW", "PARTITION", "LOCK", "FOR",
                                  "INTO",          "ON",     "USING",     "SET"};
  for (auto w : k)
    if (t.Is(w)) return true;
  return false;
}

std::string LastNamePart(const std::string& sql) {
  // `t`.`a` -> a
  size_t dot = sql.rfind("`.`");
  std::string last = dot == std::string::npos ? sql : sql.substr(dot + 2);
  if (last.size() >= 2 && last.front() == '`' && last.back() == '`') {
    std::string out;
    for (size_t i = 1; i + 1 < last.size(); ++i) {
      out.push_back(last[i]);
      if (last[i] == '`') ++i;
    }
    return out;
  }
  return last;
}

// Calls `fn(begin, end)` for each run of `sql` outside quotes ('...',
// "...", `...`), in order.
template <class Fn>
void ForEachUnquoted(const std::string& sql, Fn fn) {
  size_t run = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char q = sql[i];
    if (q != '\'' && q != '"' && q != '`') continue;
    fn(run, i);
    size_t j = i + 1;
    while (j < sql.size()) {
      if (sql[j] == q) {
        if (j + 1 < sql.size() && sql[j + 1] == q) {
          j += 2;
          continue;
        }
        break;
      }
      ++j;
    }
    i = j;
    run = j + 1;
  }
  if (run < sql.size()) fn(run, sql.size());
}

// The variables a translation assigns (reptut_setvar('name', ...)).
std::vector<std::string> AssignedVars(const std::string& sql) {
  static const std::string kCall = "reptut_setvar(";
  std::vector<std::string> names;
  // Most statements assign nothing: one scan, not one per quoted literal
  // (mariadb-dump's INSERTs have thousands of them).
  if (sql.find(kCall) == std::string::npos) return names;
  ForEachUnquoted(sql, [&](size_t begin, size_t end) {
    std::string_view piece(sql.data() + begin, end - begin);
    for (size_t rel = piece.find(kCall); rel != std::string_view::npos;
         rel = piece.find(kCall, rel + 1)) {
      size_t at = begin + rel;
      size_t i = at + kCall.size() + 1;  // after the opening quote
      std::string name;
      while (i < sql.size()) {
        if (sql[i] == '\'') {
          if (i + 1 < sql.size() && sql[i + 1] == '\'') {
            name.push_back('\'');
            i += 2;
            continue;
          }
          break;
        }
        name.push_back(sql[i++]);
      }
      AddUnique(names, name);
    }
  });
  return names;
}

// Reads of the variables in `names` (bound once, before the statement runs)
// become reptut_getvar calls, which see the assignments made while it runs.
std::string ReadVarsLive(const std::string& sql, const std::vector<std::string>& names) {
  if (names.empty()) return sql;
  std::string out;
  size_t copied = 0;
  auto ident_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  ForEachUnquoted(sql, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (sql[i] != '@' || (i > 0 && ident_char(sql[i - 1]))) continue;
      for (const std::string& n : names) {
        std::string param = UserVarParam(n);
        if (sql.compare(i, param.size(), param) != 0) continue;
        size_t after = i + param.size();
        if (after < end && ident_char(sql[after])) continue;
        out += sql.substr(copied, i - copied) + "reptut_getvar(" + SqliteString(n) + ")";
        copied = after;
        i = after - 1;
        break;
      }
    }
  });
  return out + sql.substr(copied);
}

// A statement assigning a user variable inside an expression (@x := ...)
// reads that variable live rather than as a parameter bound beforehand.
void LiveAssignedVars(DmlInfo& d) {
  std::vector<std::string> names = AssignedVars(d.sqlite_sql);
  if (names.empty()) return;
  std::string tail = ReadVarsLive(d.sqlite_sql.substr(d.insert_tail_begin), names);
  d.sqlite_sql = ReadVarsLive(d.sqlite_sql, names);
  if (d.insert_tail_begin) d.insert_tail_begin = d.sqlite_sql.size() - tail.size();
  for (auto& row : d.insert_values)
    for (std::string& v : row) v = ReadVarsLive(v, names);
  d.insert_sql_head = ReadVarsLive(d.insert_sql_head, names);
  d.insert_sql_tail = ReadVarsLive(d.insert_sql_tail, names);
}

// SELECT SQL_CALC_FOUND_ROWS: comments in the SQLite text that tell the
// engine to count the rows without the LIMIT (RunSelect in exec_dml.cc
// spells the same texts).
constexpr std::string_view kCalcFoundRowsMark = "/*reptut_calc_found_rows*/ ";
constexpr std::string_view kFoundRowsLimitMark = " /*reptut_found_rows_limit*/";

// SELECT SQL_CALC_FOUND_ROWS ... LIMIT n: the mark before the LIMIT.
std::string FoundRowsLimitMark(const std::string& select) {
  return select.starts_with(std::string("SELECT ") + std::string(kCalcFoundRowsMark))
             ? std::string(kFoundRowsLimitMark)
             : std::string();
}

}  // namespace

void Parser::NoteTable(const TableName& t) {
  AddUnique(info_->tables, t);
}

std::string Parser::TableSql(const TableName& t, bool has_alias) {
  NoteTable(t);
  if (options_.sqlite_table) {
    TableName full = t;
    if (full.db.empty()) full.db = options_.current_db;
    std::string mapped = options_.sqlite_table(full);
    if (!has_alias) mapped += " AS " + QuoteIdent(t.name);
    return mapped;
  }
  return (t.db.empty() ? std::string() : QuoteIdent(t.db) + ".") + QuoteIdent(t.name);
}

std::string Parser::ParseSelectSql(bool top_level) {
  DepthGuard guard(*this);
  bool first = true;
  std::string out;
  bool is_union = false;
  size_t last_unit_begin = 0;
  bool last_parenthesized = false;
  while (true) {
    std::string unit;
    last_unit_begin = out.size();
    last_parenthesized = Cur().IsOp("(");
    if (Cur().IsOp("(")) {
      Advance();
      std::string inner = ParseSelectSql(top_level && first);
      ExpectOp(")");
      unit = "SELECT * FROM (" + inner + ")";
    } else {
      unit = ParseSelectCore(top_level && first);
    }
    out += unit;
    first = false;
    if (Cur().Is("UNION")) {
      Advance();
      is_union = true;
      if (Accept("ALL")) {
        out += " UNION ALL ";
      } else {
        Accept("DISTINCT");
        out += " UNION ";
      }
      continue;
    }
    break;
  }
  if (is_union) {
    if (AcceptSeq({"ORDER", "BY"})) out += " ORDER BY " + ParseOrderBy();
    if (Accept("LIMIT")) out += FoundRowsLimitMark(out) + " LIMIT " + ParseLimit();
    // The last SELECT took the LIMIT of the whole UNION (SQLite reads it so
    // too): the mark goes before it.
    if (!last_parenthesized && !FoundRowsLimitMark(out).empty() &&
        out.find(kFoundRowsLimitMark) == std::string::npos) {
      size_t limit = out.rfind(" LIMIT ");
      if (limit != std::string::npos && limit > last_unit_begin &&
          out.find_first_of(")'\"`", limit) == std::string::npos) {
        out.insert(limit, kFoundRowsLimitMark);
      }
    }
  }
  return out;
}

std::string Parser::ParseOrderBy() {
  std::string out;
  while (true) {
    Expr e = ParseExpr();
    out += e.sql;
    if (Accept("DESC")) {
      out += " DESC";
    } else if (Accept("ASC")) {
      out += " ASC";
    }
    if (!AcceptOp(",")) break;
    out += ", ";
  }
  return out;
}

std::string Parser::ParseLimit() {
  auto value = [&]() -> std::string {
    if (Cur().kind == TokenKind::kParam) {
      Advance();
      ++info_->param_count;
      return "?";
    }
    if (Cur().kind == TokenKind::kUserVar) Fail();
    return std::to_string(UInt());
  };
  std::string a = value();
  if (AcceptOp(",")) {
    std::string b = value();
    return b + " OFFSET " + a;
  }
  if (Accept("OFFSET")) {
    std::string b = value();
    return a + " OFFSET " + b;
  }
  return a;
}

std::string Parser::ParseSelectCore(bool top_level) {
  Expect("SELECT");
  std::string out = "SELECT ";
  while (true) {
    if (Accept("ALL") || Accept("HIGH_PRIORITY") || Accept("STRAIGHT_JOIN") ||
        Accept("SQL_SMALL_RESULT") || Accept("SQL_BIG_RESULT") || Accept("SQL_BUFFER_RESULT") ||
        Accept("SQL_CACHE") || Accept("SQL_NO_CACHE")) {
      continue;
    }
    if (Accept("SQL_CALC_FOUND_ROWS")) {
      // The engine counts the rows without the LIMIT for FOUND_ROWS():
      // kCalcFoundRowsMark after "SELECT ", kFoundRowsLimitMark before the
      // statement's LIMIT (exec_dml.cc).
      if (top_level && out == "SELECT ") out += kCalcFoundRowsMark;
      continue;
    }
    if (Accept("DISTINCT") || Accept("DISTINCTROW")) {
      out += "DISTINCT ";
      continue;
    }
    break;
  }
  std::vector<std::string> names;
  bool first_item = true;
  while (true) {
    if (!first_item) out += ", ";
    first_item = false;
    if (Cur().IsOp("*")) {
      Advance();
      out += "*";
      names.emplace_back();
    } else if (IsIdentToken(Cur()) && Peek(1).IsOp(".") && Peek(2).IsOp("*")) {
      std::string t = Advance().text;
      Advance();
      Advance();
      out += QuoteIdent(t) + ".*";
      names.emplace_back();
    } else if (IsIdentToken(Cur()) && Peek(1).IsOp(".") && Peek(2).IsIdentLike() &&
               Peek(3).IsOp(".") && Peek(4).IsOp("*")) {
      Advance();
      Advance();
      std::string t = Advance().text;
      Advance();
      Advance();
      out += QuoteIdent(t) + ".*";
      names.emplace_back();
    } else {
      Expr e = ParseExpr();
      std::string alias;
      bool has_alias = false;
      if (Accept("AS")) {
        alias = IdentOrString();
        has_alias = true;
      } else if (Cur().kind == TokenKind::kString ||
                 (IsIdentToken(Cur()) && !Cur().Is("FROM") && !EndsTableFactor(Cur()))) {
        alias = IdentOrString();
        has_alias = true;
      }
      if (has_alias) {
        out += e.sql + " AS " + QuoteAlias(alias);
        names.push_back(alias);
      } else if (e.column_ref) {
        out += e.sql;
        names.push_back(LastNamePart(e.sql));
      } else {
        std::string name = e.string_literal ? e.literal_value : SourceText(e.begin, e.end);
        out += e.sql + " AS " + QuoteAlias(name);
        names.push_back(name);
      }
    }
    if (!AcceptOp(",")) break;
  }
  if (top_level && select_names_) *select_names_ = names;

  auto parse_into = [&]() {
    if (!Accept("INTO")) return false;
    if (Cur().Is("OUTFILE") || Cur().Is("DUMPFILE")) {
      if (!top_level || info_->into_file || !info_->into_vars.empty()) Fail();
      IntoFileInfo f;
      ParseIntoFile(*this, f);
      info_->into_file = std::move(f);
      return true;
    }
    if (info_->into_file) Fail();
    while (true) {
      if (Cur().kind != TokenKind::kUserVar) {
        if (IsIdentToken(Cur())) Unsupported("SELECT ... INTO local variable");
        Fail();
      }
      info_->into_vars.push_back(ToLower(Advance().text));
      if (!AcceptOp(",")) break;
    }
    return true;
  };
  parse_into();

  if (Accept("FROM")) {
    if (Accept("DUAL")) {
      // nothing
    } else {
      out += " FROM " + ParseTableRefs();
    }
  }
  if (Accept("WHERE")) out += " WHERE " + ParseExpr().sql;
  if (AcceptSeq({"GROUP", "BY"})) {
    out += " GROUP BY " + ParseOrderBy();
    if (AcceptSeq({"WITH", "ROLLUP"})) Unsupported("WITH ROLLUP");
  }
  if (Accept("HAVING")) out += " HAVING " + ParseExpr().sql;
  if (AcceptSeq({"ORDER", "BY"})) out += " ORDER BY " + ParseOrderBy();
  if (Accept("LIMIT")) out += FoundRowsLimitMark(out) + " LIMIT " + ParseLimit();
  if (Cur().Is("PROCEDURE")) Unsupported("PROCEDURE");
  parse_into();
  // Locking reads (MariaDB's grammar: no FOR SHARE). The engine takes the
  // write gate for them (exec_dml.cc); the clause is not passed to SQLite.
  bool locking = false;
  if (AcceptSeq({"FOR", "UPDATE"})) {
    locking = true;
  } else if (AcceptSeq({"LOCK", "IN", "SHARE", "MODE"})) {
    locking = true;
  }
  if (locking) {
    info_->for_update = true;
    if (Accept("NOWAIT")) {
      info_->lock_wait_seconds = 0;
    } else if (Cur().Is("WAIT") && Peek(1).kind == TokenKind::kInteger) {
      Advance();
      info_->lock_wait_seconds = std::strtoll(Advance().text.c_str(), nullptr, 10);
    } else if (Cur().Is("SKIP") && Peek(1).Is("LOCKED")) {
      Unsupported("SKIP LOCKED");
    }
  }
  return out;
}

std::string Parser::ParseTableRefs() {
  std::string out = ParseJoinedTable();
  while (AcceptOp(",")) out += ", " + ParseJoinedTable();
  return out;
}

std::string Parser::ParseJoinedTable() {
  std::string out = ParseTableFactor();
  while (true) {
    std::string join;
    bool needs_cond = false;
    bool natural = false;
    if (Cur().Is("JOIN") || (Cur().Is("INNER") && Peek(1).Is("JOIN")) ||
        (Cur().Is("CROSS") && Peek(1).Is("JOIN"))) {
      bool cross = Cur().Is("CROSS");
      if (!Accept("JOIN")) {
        Advance();
        Expect("JOIN");
      }
      join = cross ? " CROSS JOIN " : " JOIN ";
    } else if (Accept("STRAIGHT_JOIN")) {
      join = " JOIN ";
    } else if (Cur().Is("LEFT") || Cur().Is("RIGHT")) {
      bool left = Cur().Is("LEFT");
      Advance();
      Accept("OUTER");
      Expect("JOIN");
      join = left ? " LEFT JOIN " : " RIGHT JOIN ";
      needs_cond = true;
    } else if (Accept("NATURAL")) {
      natural = true;
      if (Accept("LEFT")) {
        Accept("OUTER");
        join = " NATURAL LEFT JOIN ";
      } else if (Accept("RIGHT")) {
        Accept("OUTER");
        join = " NATURAL RIGHT JOIN ";
      } else {
        Accept("INNER");
        join = " NATURAL JOIN ";
      }
      Expect("JOIN");
    } else {
      break;
    }
    out += join + ParseTableFactor();
    if (natural) continue;
    if (Accept("ON")) {
      out += " ON " + ParseExpr().sql;
    } else if (Accept("USING")) {
      ExpectOp("(");
      std::string cols = QuoteIdent(Ident());
      while (AcceptOp(",")) cols += ", " + QuoteIdent(Ident());
      ExpectOp(")");
      out += " USING (" + cols + ")";
    } else if (needs_cond) {
      Fail();
    }
  }
  return out;
}

std::string Parser::ParseTableFactor() {
  DepthGuard guard(*this);
  if (Cur().IsOp("(")) {
    Advance();
    if (Cur().Is("SELECT") || (Cur().IsOp("(") && Peek(1).Is("SELECT"))) {
      std::string sub = ParseSelectSql(false);
      ExpectOp(")");
      bool as = Accept("AS");
      if (!as && !IsIdentToken(Cur())) {
        Raise(MakeErrorMsg(1248, "Every derived table must have its own alias"));
      }
      std::string alias = Ident();
      return "(" + sub + ") AS " + QuoteIdent(alias);
    }
    std::string inner = ParseTableRefs();
    ExpectOp(")");
    return "(" + inner + ")";
  }
  TableName t = ParseTableName();
  if (Cur().Is("PARTITION")) Unsupported("PARTITION");
  std::string alias;
  if (Accept("AS")) {
    alias = Ident();
  } else if (IsIdentToken(Cur()) && !EndsTableFactor(Cur())) {
    alias = Ident();
  }
  // Index hints are dropped.
  while ((Cur().Is("USE") || Cur().Is("FORCE") || Cur().Is("IGNORE")) &&
         (Peek(1).Is("INDEX") || Peek(1).Is("KEY"))) {
    Advance();
    Advance();
    if (Accept("FOR")) {
      if (!Accept("JOIN")) {
        if (!Accept("ORDER") && !Accept("GROUP")) Fail();
        Expect("BY");
      }
    }
    ExpectOp("(");
    if (!Cur().IsOp(")")) {
      do {
        if (!Cur().IsIdentLike()) Fail();
        Advance();
      } while (AcceptOp(","));
    }
    ExpectOp(")");
  }
  factor_names_.emplace_back(alias.empty() ? t.name : alias, t);
  std::string sql = TableSql(t, !alias.empty());
  if (!alias.empty()) sql += " AS " + QuoteIdent(alias);
  return sql;
}

void Parser::ParseSelect(Statement& st) {
  st.kind = StatementKind::kSelect;
  set_info(&st.dml);
  select_names_ = &st.dml.column_names;
  st.dml.sqlite_sql = ParseSelectSql(true);
  ExpectEnd();
  LiveAssignedVars(st.dml);
}

void Parser::ParseDo(Statement& st) {
  Expect("DO");
  st.kind = StatementKind::kDo;
  set_info(&st.dml);
  std::string out = "SELECT ";
  bool first = true;
  do {
    if (!first) out += ", ";
    first = false;
    out += ParseExpr().sql;
  } while (AcceptOp(","));
  st.dml.sqlite_sql = out;
  ExpectEnd();
  LiveAssignedVars(st.dml);
}

// A value stored into the column of `slot` (DmlInfo::assigned_columns):
// wrapped in reptut_cv(), which checks it against the column's type as the
// row is written, unless it is a plain literal or a cached statement's
// literal parameter (the engine checks those before the statement runs) or
// DEFAULT. `always`: literals too (UPDATE checks only the rows it changes).
void Parser::CheckedValue(Expr& e, size_t slot, bool always) {
  if (e.is_default || !options_.check_values) return;
  if (!always) {
    if (e.is_null || e.string_literal) return;
    if (e.prec == kPrecAtom && !e.sql.empty() &&
        e.sql.find_first_not_of("0123456789.eE") == std::string::npos) {
      return;  // a number
    }
    if (e.prec == kPrecAtom && e.sql.rfind("@reptut_lit_", 0) == 0 &&
        e.sql.find_first_of(" (") == std::string::npos) {
      return;
    }
  }
  e.sql = "reptut_cv(" + e.sql + ", " + std::to_string(slot) + ")";
}

void Parser::ParseInsert(Statement& st, bool replace) {
  Advance();  // INSERT / REPLACE
  st.kind = replace ? StatementKind::kReplace : StatementKind::kInsert;
  DmlInfo& d = st.dml;
  set_info(&d);
  while (Accept("LOW_PRIORITY") || Accept("DELAYED") || Accept("HIGH_PRIORITY")) {
  }
  if (!replace && Accept("IGNORE")) d.ignore = true;
  Accept("INTO");
  TableName target = ParseTableName();
  if (Cur().Is("PARTITION")) Unsupported("PARTITION");
  d.target = target;
  std::string table_sql = TableSql(target, true);

  std::string head = replace    ? "REPLACE INTO "
                     : d.ignore ? "INSERT OR IGNORE INTO "
                                : "INSERT INTO ";
  std::string body;
  if (Cur().IsOp("(") && !(Peek(1).Is("SELECT") || Peek(1).IsOp("("))) {
    Advance();
    if (!Cur().IsOp(")")) {
      do {
        std::string col = Ident();
        if (Cur().IsOp(".")) {  // t.col
          Advance();
          col = Ident();
        }
        d.insert_columns.push_back(col);
      } while (AcceptOp(","));
    }
    ExpectOp(")");
  }
  auto columns_sql = [&](const std::vector<std::string>& cols) {
    std::string s = " (";
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i) s += ", ";
      s += QuoteIdent(cols[i]);
    }
    return s + ")";
  };

  bool values_form = false;
  size_t select_in_body = 0;  // INSERT ... SELECT: where the SELECT begins in body
  if (Accept("VALUES") || Accept("VALUE")) {
    std::string rows;
    rows.reserve(sql_.size());  // dumps: the rows are most of the statement
    size_t empty_rows = 0;
    do {
      ExpectOp("(");
      if (!rows.empty()) rows += ", ";
      rows += '(';
      d.insert_values.emplace_back();
      d.insert_value_ranges.emplace_back();
      if (Cur().IsOp(")")) {
        ++empty_rows;
      } else {
        bool first = true;
        do {
          // A lone literal (what dumps are made of) skips the descent
          // through every precedence level.
          const Token& v = Cur();
          bool literal = (v.kind == TokenKind::kString || v.kind == TokenKind::kInteger ||
                          v.kind == TokenKind::kDecimal || v.kind == TokenKind::kFloat) &&
                         (Peek(1).IsOp(",") || Peek(1).IsOp(")"));
          Expr e = literal ? ParseAtom() : ParseExpr();
          if (e.is_default) d.has_default_values = true;
          if (!literal) CheckedValue(e, d.insert_values.back().size());
          if (!first) rows += ", ";
          first = false;
          rows += e.sql;
          d.insert_values.back().push_back(std::move(e.sql));
          d.insert_value_ranges.back().emplace_back(e.begin, e.end);
        } while (AcceptOp(","));
      }
      ExpectOp(")");
      rows += ')';
      ++d.values_rows;
    } while (AcceptOp(","));
    if (empty_rows) {
      // VALUES (), (): the engine runs DEFAULT VALUES once per row.
      if (empty_rows != d.values_rows || !d.insert_columns.empty()) {
        Unsupported("empty VALUES rows");
      }
      body = " DEFAULT VALUES";
    } else {
      values_form = true;
      body = d.insert_columns.empty() ? "" : columns_sql(d.insert_columns);
      body += " VALUES ";
      body += rows;
    }
  } else if (Accept("SET")) {
    d.insert_set = true;
    std::string vals;
    d.insert_values.emplace_back();
    d.insert_value_ranges.emplace_back();
    do {
      std::string col = Ident();
      if (Cur().IsOp(".")) {
        Advance();
        col = Ident();
      }
      ExpectOp("=");
      Expr e = ParseExpr();
      if (e.is_default) d.has_default_values = true;
      CheckedValue(e, d.insert_columns.size());
      d.insert_columns.push_back(col);
      if (!vals.empty()) vals += ", ";
      vals += e.sql;
      d.insert_values.back().push_back(e.sql);
      d.insert_value_ranges.back().emplace_back(e.begin, e.end);
    } while (AcceptOp(","));
    d.values_rows = 1;
    values_form = true;
    body = columns_sql(d.insert_columns) + " VALUES (" + vals + ")";
  } else if (Cur().Is("SELECT") || Cur().IsOp("(")) {
    d.insert_select = true;
    std::string sel = ParseSelectSql(false);
    body = (d.insert_columns.empty() ? "" : columns_sql(d.insert_columns)) + " ";
    select_in_body = body.size();
    if (Cur().Is("ON")) {
      body += "SELECT * FROM (" + sel + ") WHERE true";
    } else {
      body += sel;
    }
  } else {
    Fail();
  }
  std::string tail;
  if (AcceptSeq({"ON", "DUPLICATE", "KEY", "UPDATE"})) {
    if (replace) Fail();
    d.on_duplicate_update = true;
    in_on_duplicate_ = true;
    tail = " ON CONFLICT DO UPDATE SET ";
    bool first = true;
    do {
      std::string col = Ident();
      if (Cur().IsOp(".")) {
        Advance();
        col = Ident();
      }
      ExpectOp("=");
      Expr e = ParseExpr();
      CheckedValue(e, DmlInfo::kAssignedSlotBase + static_cast<int>(d.assigned_columns.size()),
                   true);
      d.assigned_columns.push_back(col);
      if (!first) tail += ", ";
      first = false;
      tail += QuoteIdent(col) + " = " + e.sql;
    } while (AcceptOp(","));
    in_on_duplicate_ = false;
  }
  ExpectEnd();
  d.sqlite_sql.reserve(head.size() + table_sql.size() + body.size() + tail.size());
  d.sqlite_sql = head;
  d.sqlite_sql += table_sql;
  d.sqlite_sql += body;
  d.sqlite_sql += tail;
  d.insert_target_end = head.size() + table_sql.size();
  d.insert_tail_begin = d.sqlite_sql.size() - tail.size();
  if (d.insert_select) d.insert_select_begin = d.insert_target_end + select_in_body;
  if (values_form) {
    d.insert_sql_head = head + table_sql +
                        (d.insert_columns.empty() ? "" : columns_sql(d.insert_columns)) +
                        " VALUES ";
    d.insert_sql_tail = tail;
  }
  LiveAssignedVars(st.dml);
}

void Parser::ParseUpdate(Statement& st) {
  Expect("UPDATE");
  st.kind = StatementKind::kUpdate;
  DmlInfo& d = st.dml;
  set_info(&d);
  Accept("LOW_PRIORITY");
  if (Accept("IGNORE")) d.ignore = true;
  TableName t = ParseTableName();
  std::string alias;
  if (Accept("AS")) {
    alias = Ident();
  } else if (IsIdentToken(Cur()) && !Cur().Is("SET")) {
    alias = Ident();
  }
  if (Cur().IsOp(",") || Cur().Is("JOIN") || Cur().Is("INNER") || Cur().Is("LEFT") ||
      Cur().Is("RIGHT") || Cur().Is("CROSS") || Cur().Is("STRAIGHT_JOIN") || Cur().Is("NATURAL")) {
    ParseMultiUpdate(st, t, alias);
    return;
  }
  d.target = t;
  std::string table_sql = TableSql(t, !alias.empty());
  if (!alias.empty()) table_sql += " AS " + QuoteIdent(alias);
  Expect("SET");
  std::string sets;
  do {
    std::string col = Ident();
    while (Cur().IsOp(".")) {
      Advance();
      col = Ident();
    }
    ExpectOp("=");
    Expr e = ParseExpr();
    if (e.is_default) Unsupported("DEFAULT in UPDATE");
    CheckedValue(e, DmlInfo::kAssignedSlotBase + static_cast<int>(d.assigned_columns.size()), true);
    d.assigned_columns.push_back(col);
    if (!sets.empty()) sets += ", ";
    sets += QuoteIdent(col) + " = " + e.sql;
  } while (AcceptOp(","));
  std::string where;
  if (Accept("WHERE")) where = ParseExpr().sql;
  std::string order, limit;
  if (AcceptSeq({"ORDER", "BY"})) order = ParseOrderBy();
  if (Accept("LIMIT")) limit = ParseLimit();
  ExpectEnd();
  std::string head = d.ignore ? "UPDATE OR IGNORE " : "UPDATE ";
  d.sqlite_sql = head + table_sql + " SET " + sets;
  if (order.empty() && limit.empty()) {
    if (!where.empty()) d.sqlite_sql += " WHERE " + where;
  } else {
    d.uses_rowid_subquery = true;
    d.sqlite_sql += " WHERE rowid IN (SELECT rowid FROM " + table_sql;
    if (!where.empty()) d.sqlite_sql += " WHERE " + where;
    if (!order.empty()) d.sqlite_sql += " ORDER BY " + order;
    if (!limit.empty()) d.sqlite_sql += " LIMIT " + limit;
    d.sqlite_sql += ")";
  }
  LiveAssignedVars(st.dml);
}

void Parser::ParseDelete(Statement& st) {
  Expect("DELETE");
  st.kind = StatementKind::kDelete;
  DmlInfo& d = st.dml;
  set_info(&d);
  while (Accept("LOW_PRIORITY") || Accept("QUICK")) {
  }
  if (Accept("IGNORE")) d.ignore = true;
  while (Accept("LOW_PRIORITY") || Accept("QUICK")) {
  }
  if (!Accept("FROM")) {
    ParseMultiDelete(st, false);
    return;
  }
  {
    // DELETE FROM t1[.*], t2 USING ...: the multi-table form.
    size_t i = 1;
    if (Peek(1).IsOp(".") && Peek(2).IsIdentLike()) i = 3;  // db.t
    bool multi = Peek(i).IsOp(".") || Peek(i).IsOp(",") || Peek(i).Is("USING");
    if (multi) {
      ParseMultiDelete(st, true);
      return;
    }
  }
  TableName t = ParseTableName();
  std::string alias;
  if (Accept("AS")) {
    alias = Ident();
  } else if (IsIdentToken(Cur()) && !Cur().Is("WHERE") && !Cur().Is("ORDER") &&
             !Cur().Is("LIMIT") && !Cur().Is("PARTITION")) {
    alias = Ident();
  }
  d.target = t;
  std::string table_sql = TableSql(t, !alias.empty());
  if (!alias.empty()) table_sql += " AS " + QuoteIdent(alias);
  std::string where;
  if (Accept("WHERE")) where = ParseExpr().sql;
  std::string order, limit;
  if (AcceptSeq({"ORDER", "BY"})) order = ParseOrderBy();
  if (Accept("LIMIT")) limit = ParseLimit();
  ExpectEnd();
  d.sqlite_sql = "DELETE FROM " + table_sql;
  if (order.empty() && limit.empty()) {
    if (!where.empty()) d.sqlite_sql += " WHERE " + where;
  } else {
    d.uses_rowid_subquery = true;
    d.sqlite_sql += " WHERE rowid IN (SELECT rowid FROM " + table_sql;
    if (!where.empty()) d.sqlite_sql += " WHERE " + where;
    if (!order.empty()) d.sqlite_sql += " ORDER BY " + order;
    if (!limit.empty()) d.sqlite_sql += " LIMIT " + limit;
    d.sqlite_sql += ")";
  }
  LiveAssignedVars(st.dml);
}

// UPDATE t1 [AS a], t2 ... | t1 [INNER] JOIN t2 ON ... SET a.x = ... [WHERE]
// -> UPDATE t1 AS a SET x = ... FROM t2 ... WHERE <ON conditions> AND <WHERE>.
// Only one table may be assigned to, and SET columns must be qualified.
void Parser::ParseMultiUpdate(Statement& st, const TableName& first,
                              const std::string& first_alias) {
  DmlInfo& d = st.dml;
  struct Factor {
    TableName table;
    std::string alias;
  };
  std::vector<Factor> factors{{first, first_alias}};
  std::vector<std::string> conds;
  while (true) {
    if (AcceptOp(",") || Accept("JOIN") || Accept("STRAIGHT_JOIN")) {
    } else if ((Cur().Is("INNER") || Cur().Is("CROSS")) && Peek(1).Is("JOIN")) {
      Advance();
      Advance();
    } else if (Cur().Is("LEFT") || Cur().Is("RIGHT") || Cur().Is("NATURAL")) {
      Unsupported("multi-table UPDATE with outer or natural joins");
    } else {
      break;
    }
    Factor f;
    if (Cur().IsOp("(")) Unsupported("multi-table UPDATE with derived tables");
    f.table = ParseTableName();
    if (Accept("AS")) {
      f.alias = Ident();
    } else if (IsIdentToken(Cur()) && !Cur().Is("SET") && !Cur().Is("ON") &&
               !Cur().Is("STRAIGHT_JOIN")) {
      f.alias = Ident();
    }
    factors.push_back(f);
    if (Accept("ON")) {
      conds.push_back(ParseExpr().sql);
    } else if (Cur().Is("USING")) {
      Unsupported("multi-table UPDATE with JOIN ... USING");
    }
  }
  Expect("SET");
  int target = -1;
  std::string sets;
  do {
    std::vector<std::string> parts;
    parts.push_back(Ident());
    while (AcceptOp(".")) {
      if (!Cur().IsIdentLike()) Fail();
      parts.push_back(Advance().text);
    }
    if (parts.size() < 2) Unsupported("multi-table UPDATE with an unqualified SET column");
    const std::string& qual = parts[parts.size() - 2];
    int which = -1;
    for (size_t i = 0; i < factors.size(); ++i) {
      const std::string& name = factors[i].alias.empty() ? factors[i].table.name : factors[i].alias;
      if (EqualsIgnoreCase(name, qual)) which = static_cast<int>(i);
    }
    if (which < 0) {
      Raise(MakeError(ER_BAD_FIELD_ERROR, {qual + "." + parts.back(), "field list"}));
    }
    if (target >= 0 && which != target) Unsupported("multi-table UPDATE of several tables");
    target = which;
    ExpectOp("=");
    Expr e = ParseExpr();
    if (e.is_default) Unsupported("DEFAULT in UPDATE");
    CheckedValue(e, DmlInfo::kAssignedSlotBase + static_cast<int>(d.assigned_columns.size()), true);
    d.assigned_columns.push_back(parts.back());
    if (!sets.empty()) sets += ", ";
    sets += QuoteIdent(parts.back()) + " = " + e.sql;
  } while (AcceptOp(","));
  if (Accept("WHERE")) conds.push_back(ParseExpr().sql);
  ExpectEnd();
  const Factor& t = factors[static_cast<size_t>(target)];
  d.target = t.table;
  std::string target_sql = TableSql(t.table, !t.alias.empty());
  if (!t.alias.empty()) target_sql += " AS " + QuoteIdent(t.alias);
  std::string from;
  for (size_t i = 0; i < factors.size(); ++i) {
    if (static_cast<int>(i) == target) continue;
    if (!from.empty()) from += ", ";
    from += TableSql(factors[i].table, !factors[i].alias.empty());
    if (!factors[i].alias.empty()) from += " AS " + QuoteIdent(factors[i].alias);
  }
  d.sqlite_sql = std::string(d.ignore ? "UPDATE OR IGNORE " : "UPDATE ") + target_sql + " SET " +
                 sets + " FROM " + from;
  for (size_t i = 0; i < conds.size(); ++i) {
    d.sqlite_sql += (i == 0 ? " WHERE (" : " AND (") + conds[i] + ")";
  }
  LiveAssignedVars(st.dml);
}

// DELETE t1 FROM t1 JOIN t2 ... | DELETE FROM t1 USING t1 JOIN t2 ...
// -> DELETE FROM t1 WHERE rowid IN (SELECT t1.rowid FROM t1 JOIN t2 ... WHERE ...).
// Only one table may be deleted from.
void Parser::ParseMultiDelete(Statement& st, bool from_form) {
  DmlInfo& d = st.dml;
  std::vector<std::string> targets;
  do {
    std::string name = Ident();
    if (Cur().IsOp(".") && Peek(1).IsIdentLike()) {
      Advance();
      name = Advance().text;  // db.t: the table name
    }
    if (Cur().IsOp(".") && Peek(1).IsOp("*")) {
      Advance();
      Advance();
    }
    targets.push_back(name);
  } while (AcceptOp(","));
  if (from_form) {
    Expect("USING");
  } else {
    Expect("FROM");
  }
  if (targets.size() != 1) Unsupported("multi-table DELETE of several tables");
  factor_names_.clear();
  std::string refs = ParseTableRefs();
  std::string where;
  if (Accept("WHERE")) where = ParseExpr().sql;
  if (Cur().Is("ORDER") || Cur().Is("LIMIT")) Fail();
  ExpectEnd();
  const TableName* table = nullptr;
  for (const auto& [name, t] : factor_names_) {
    if (EqualsIgnoreCase(name, targets[0])) table = &t;
  }
  if (!table) {
    Raise(MakeErrorMsg(1109, "Unknown table '" + targets[0] + "' in MULTI DELETE"));
  }
  d.target = *table;
  d.uses_rowid_subquery = true;
  d.sqlite_sql = "DELETE FROM " + TableSql(*table, false) + " WHERE rowid IN (SELECT " +
                 QuoteIdent(targets[0]) + ".rowid FROM " + refs +
                 (where.empty() ? "" : " WHERE " + where) + ")";
  LiveAssignedVars(st.dml);
}

bool Parser::ParseDml(Statement& st) {
  const Token& t = Cur();
  if (t.IsOp("(") || t.Is("SELECT")) {
    ParseSelect(st);
  } else if (t.Is("INSERT")) {
    ParseInsert(st, false);
  } else if (t.Is("REPLACE")) {
    ParseInsert(st, true);
  } else if (t.Is("UPDATE")) {
    ParseUpdate(st);
  } else if (t.Is("DELETE")) {
    ParseDelete(st);
  } else {
    return false;
  }
  return true;
}

// EXPLAIN [EXTENDED | PARTITIONS | FORMAT = TRADITIONAL] <statement>: the
// statement is parsed exactly as on its own; the engine plans it.
void Parser::ParseExplain(Statement& st) {
  Advance();  // EXPLAIN / DESCRIBE / DESC
  if (Accept("EXTENDED") || Accept("PARTITIONS")) {
  } else if (Accept("FORMAT")) {
    ExpectOp("=");
    if (!Cur().IsIdentLike()) Fail();
    if (Cur().Is("JSON")) Unsupported("EXPLAIN FORMAT=JSON");
    if (!Cur().Is("TRADITIONAL")) {
      Raise(MakeErrorMsg(1791, "Unknown EXPLAIN format name: '" + Cur().text + "'"));
    }
    Advance();
  }
  if (!ParseDml(st)) Fail();
  st.explained_kind = st.kind;
  st.kind = StatementKind::kExplain;
}

}  // namespace reptut::sql::internal
