// CREATE / DROP / SHOW CREATE TRIGGER, and the translation of a trigger's
// body to a native SQLite trigger body.
#include "common/errors.h"
#include "sql/parser_internal.h"

namespace reptut::sql {

namespace internal {

bool Parser::MaybeCreateTrigger(Statement& st) {
  size_t start = pos();
  TriggerInfo t;
  if (Cur().Is("OR") && Peek(1).Is("REPLACE")) {
    Advance();
    Advance();
    t.or_replace = true;
  }
  if (Cur().Is("DEFINER")) {
    Advance();
    ExpectOp("=");
    t.definer = ParseUser();
  }
  if (!Cur().Is("TRIGGER")) {
    set_pos(start);
    return false;
  }
  st.trigger = std::move(t);
  ParseCreateTrigger(st);
  return true;
}

void Parser::ParseCreateTrigger(Statement& st) {
  Expect("TRIGGER");
  st.kind = StatementKind::kCreateTrigger;
  TriggerInfo& t = st.trigger;
  if (AcceptSeq({"IF", "NOT", "EXISTS"})) t.if_not_exists = true;
  t.name = ParseTableName();
  if (Accept("BEFORE")) {
    t.timing = "BEFORE";
  } else {
    Expect("AFTER");
    t.timing = "AFTER";
  }
  if (Accept("INSERT")) {
    t.event = "INSERT";
  } else if (Accept("UPDATE")) {
    t.event = "UPDATE";
  } else {
    Expect("DELETE");
    t.event = "DELETE";
  }
  Expect("ON");
  t.table = ParseTableName();
  Expect("FOR");
  Expect("EACH");
  Expect("ROW");
  if (Cur().Is("FOLLOWS") || Cur().Is("PRECEDES")) {
    Advance();
    Ident();
  }
  if (AtEnd()) Fail();
  size_t begin = Cur().offset;
  size_t end = begin;
  while (!AtEnd()) {
    end = Cur().offset + Cur().length;
    Advance();
  }
  t.body = std::string(sql().substr(begin, end - begin));
}

void Parser::ParseDropTrigger(Statement& st) {
  Expect("TRIGGER");
  st.kind = StatementKind::kDropTrigger;
  if (AcceptSeq({"IF", "EXISTS"})) st.trigger.if_exists = true;
  st.trigger.name = ParseTableName();
  ExpectEnd();
}

void Parser::ParseShowCreateTrigger(Statement& st) {
  Expect("TRIGGER");
  st.kind = StatementKind::kShowCreateTrigger;
  st.trigger.name = ParseTableName();
  ExpectEnd();
}

}  // namespace internal

namespace {

bool IsWord(const Token& t, std::string_view w) {
  return t.kind == TokenKind::kIdent && EqualsIgnoreCase(t.text, w);
}

constexpr char kMark = '\x01';

// Removes the markers the table mapper put around table names: "M`t`M AS
// `t`" (no alias written) becomes "`t`", "M`t`M" alone becomes "`t`".
std::string Unmark(const std::string& sql) {
  std::string out;
  size_t i = 0;
  while (i < sql.size()) {
    if (sql[i] != kMark) {
      out.push_back(sql[i++]);
      continue;
    }
    size_t close = sql.find(kMark, i + 1);
    if (close == std::string::npos) break;
    std::string name = sql.substr(i + 1, close - i - 1);
    out += name;
    i = close + 1;
    std::string as = " AS " + name;
    if (sql.compare(i, as.size(), as) == 0) i += as.size();
  }
  return out;
}

Error NotSupported(std::string what) {
  return MakeError(ER_NOT_SUPPORTED_YET, {what});
}

}  // namespace

Result<std::string> TranslateTriggerBody(const TriggerInfo& trigger, const std::string& db,
                                         bool no_backslash_escapes) {
  const std::string& body = trigger.body;
  auto toks = Tokenize(body, no_backslash_escapes);
  if (!toks.ok()) return toks.error();
  const std::vector<Token>& tk = *toks;
  // OLD / NEW where the event has none.
  for (size_t i = 0; i + 1 < tk.size(); ++i) {
    if (!tk[i + 1].IsOp(".")) continue;
    if ((i > 0 && tk[i - 1].IsOp("."))) continue;
    bool old_row = IsWord(tk[i], "OLD"), new_row = IsWord(tk[i], "NEW");
    if ((old_row && trigger.event == "INSERT") || (new_row && trigger.event == "DELETE")) {
      return MakeErrorMsg(1363, std::string("There is no ") + (old_row ? "OLD" : "NEW") +
                                    " row in on " + trigger.event + " trigger");
    }
  }
  // The statements: one, or BEGIN stmt; ... END.
  std::vector<std::pair<size_t, size_t>> pieces;  // token index ranges
  size_t n = tk.size() - 1;                       // without kEnd
  while (n > 0 && tk[n - 1].IsOp(";")) --n;
  if (n > 0 && IsWord(tk[0], "BEGIN")) {
    if (!IsWord(tk[n - 1], "END")) {
      return MakeErrorMsg(ER_PARSE_ERROR,
                          "You have an error in your SQL syntax; check the manual that "
                          "corresponds to your MySQL server version for the right syntax to use "
                          "near '' at line 1");
    }
    int depth = 0;
    size_t start = 1;
    for (size_t i = 1; i + 1 < n; ++i) {
      if (IsWord(tk[i], "BEGIN") || IsWord(tk[i], "CASE")) ++depth;
      if (IsWord(tk[i], "END") &&
          !(i + 1 < n && (IsWord(tk[i + 1], "IF") || IsWord(tk[i + 1], "LOOP") ||
                          IsWord(tk[i + 1], "WHILE") || IsWord(tk[i + 1], "REPEAT")))) {
        --depth;
      }
      if (depth == 0 && tk[i].IsOp(";")) {
        if (i > start) pieces.push_back({start, i});
        start = i + 1;
      }
    }
    if (n - 1 > start) pieces.push_back({start, n - 1});
  } else if (n > 0) {
    pieces.push_back({0, n});
  }
  std::string out = "BEGIN ";
  int statements = 0;
  for (const auto& [a, b] : pieces) {
    const Token& first = tk[a];
    std::string text =
        body.substr(first.offset, tk[b - 1].offset + tk[b - 1].length - first.offset);
    if (IsWord(first, "DECLARE") || IsWord(first, "IF") || IsWord(first, "BEGIN") ||
        IsWord(first, "CASE") || IsWord(first, "WHILE") || IsWord(first, "LOOP") ||
        IsWord(first, "REPEAT") || IsWord(first, "SIGNAL") || IsWord(first, "CALL") ||
        IsWord(first, "LEAVE") || IsWord(first, "ITERATE") || IsWord(first, "RETURN")) {
      return NotSupported(ToUpper(first.text) + " in triggers");
    }
    if (IsWord(first, "SET")) {
      for (size_t i = a + 1; i + 1 < b; ++i) {
        if ((IsWord(tk[i], "NEW") || IsWord(tk[i], "OLD")) && tk[i + 1].IsOp(".")) {
          return NotSupported("SET NEW.column in triggers");
        }
      }
      return NotSupported("SET in triggers");
    }
    bool cross_db = false;
    ParseOptions opt;
    opt.current_db = db;
    opt.no_backslash_escapes = no_backslash_escapes;
    opt.check_values = false;  // (parser.h)
    opt.sqlite_table = [&](const TableName& t) {
      if (t.db != db) cross_db = true;
      return std::string(1, kMark) + internal::QuoteIdent(t.name) + std::string(1, kMark);
    };
    Result<Statement> st = Parse(text, opt);
    if (!st.ok()) return st.error();
    switch (st->kind) {
      case StatementKind::kInsert:
      case StatementKind::kReplace:
      case StatementKind::kUpdate:
      case StatementKind::kDelete:
        break;
      case StatementKind::kSelect:
        if (st->dml.into_vars.empty()) {
          return MakeErrorMsg(1415, "Not allowed to return a result set from a trigger");
        }
        return NotSupported("SELECT ... INTO in triggers");
      case StatementKind::kEmpty:
        continue;
      default:
        return NotSupported(std::string(StatementKindName(st->kind)) + " in triggers");
    }
    if (cross_db) return NotSupported("triggers that use tables of another database");
    if (!st->dml.user_vars_read.empty()) return NotSupported("user variables in triggers");
    out += Unmark(st->dml.sqlite_sql) + "; ";
    ++statements;
  }
  if (statements == 0) out += "SELECT 1; ";  // an empty BEGIN END
  return out + "END";
}

}  // namespace reptut::sql
