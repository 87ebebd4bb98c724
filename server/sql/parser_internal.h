// Private to server/sql: the recursive-descent parser shared by the
// parse_*.cc files. Errors inside the parser are thrown as ParseFailure and
// turned into Result values by Parse(); nothing throws out of the module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "sql/lexer.h"
#include "sql/parser.h"
#include "sql/statement.h"

namespace reptut::sql::internal {

struct ParseFailure {
  Error error;
};

// A translated expression.
struct Expr {
  std::string sql;
  int prec = 100;           // MySQL precedence of the top operator of `sql` (100 = atom)
  bool column_ref = false;  // a plain (possibly qualified) column reference
  bool string_literal = false;
  std::string literal_value;  // string_literal: decoded value
  bool word = false;          // a single unquoted/backticked identifier or keyword
  std::string word_text;
  bool is_null = false;
  bool is_default = false;    // the DEFAULT keyword
  size_t begin = 0, end = 0;  // source byte range
};

// Precedence levels (MySQL's, loosest first).
enum Prec : int {
  kPrecOr = 1,
  kPrecXor = 2,
  kPrecAnd = 3,
  kPrecNot = 4,
  kPrecCmp = 6,
  kPrecBitOr = 7,
  kPrecBitAnd = 8,
  kPrecShift = 9,
  kPrecAdd = 10,
  kPrecMul = 11,
  kPrecBitXor = 12,
  kPrecUnary = 13,
  kPrecAtom = 100,
};

class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens, const ParseOptions& options);

  Statement ParseStatement();

  // ---- tokens ----
  const Token& Peek(size_t n = 0) const;
  const Token& Cur() const { return Peek(0); }
  const Token& Advance();
  bool Accept(std::string_view keyword);
  bool AcceptSeq(std::initializer_list<std::string_view> keywords);
  bool AcceptOp(std::string_view op);
  void Expect(std::string_view keyword);
  void ExpectOp(std::string_view op);
  bool AtEnd() const;  // kEnd, or ';' then kEnd
  void ExpectEnd();
  [[noreturn]] void Fail() const;  // 1064 at the current token
  [[noreturn]] void FailAt(const Token& t) const;
  [[noreturn]] void Unsupported(std::string_view what) const;  // 1235
  [[noreturn]] void Raise(Error e) const;

  // ---- names and literals ----
  bool IsIdentToken(const Token& t) const;  // usable as an identifier
  std::string Ident();                      // identifier or fail
  std::string IdentOrString();              // identifier, or 'string'
  TableName ParseTableName();
  std::string StringLit();           // 'string' (decoded)
  uint64_t UInt();                   // unsigned integer literal
  std::string NumberOrStringText();  // a number or string literal's text
  UserName ParseUser();
  std::string SourceText(size_t begin, size_t end) const;
  size_t PrevEnd() const;  // end offset of the last consumed token
  std::string_view sql() const { return sql_; }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }
  const ParseOptions& options() const { return options_; }

  // ---- expressions (parse_expr.cc) ----
  // Information collected while translating goes to *info_.
  Expr ParseExpr();
  Expr ParseOr();
  Expr ParseXor();
  Expr ParseAnd();
  Expr ParseNot();
  Expr ParsePredicate();
  Expr ParseBitOr();
  Expr ParseBitAnd();
  Expr ParseShift();
  Expr ParseAdd();
  Expr ParseMul();
  Expr ParseBitXor();
  Expr ParseUnary();
  Expr ParseCollate();
  Expr ParseAtom();
  Expr ParseFunction(const Token& name_tok);
  Expr ParseInterval(const std::string& date_sql, bool subtract, size_t begin);
  std::string ParseIntervalUnit();
  std::vector<Expr> ParseArgs();        // after '(' up to and including ')'
  std::string Literal(const Token& t);  // SQLite literal for a literal token
  std::string UserVarRef(const std::string& name);
  std::string SysVarRef(const std::string& name, SysVarScope scope);

  // ---- DML (parse_dml.cc) ----
  // A SELECT (possibly a UNION) starting at the current token (SELECT or
  // '('), translated; columns names are collected for the outermost.
  std::string ParseSelectSql(bool top_level);
  std::string ParseSelectCore(bool top_level);
  std::string ParseTableRefs();
  std::string ParseTableFactor();
  std::string ParseJoinedTable();
  std::string TableSql(const TableName& t, bool has_alias);
  std::string ParseOrderBy();  // after ORDER BY
  std::string ParseLimit();    // after LIMIT
  void ParseSelect(Statement& st);
  void ParseInsert(Statement& st, bool replace);
  void CheckedValue(Expr& e, size_t slot, bool always = false);
  void ParseUpdate(Statement& st);
  void ParseMultiUpdate(Statement& st, const TableName& first, const std::string& first_alias);
  void ParseMultiDelete(Statement& st, bool from_form);
  void ParseDelete(Statement& st);
  void ParseDo(Statement& st);
  void NoteTable(const TableName& t);

  // ---- SET / transactions / databases / admin / show / accounts / repl
  // (parse_admin.cc, parse_show.cc, parse_account.cc) ----
  void ParseSet(Statement& st);
  void ParseShow(Statement& st);
  void ParseDescribe(Statement& st);
  // SELECT / INSERT / REPLACE / UPDATE / DELETE at the current token;
  // false when it starts none of them (parse_dml.cc).
  bool ParseDml(Statement& st);
  // EXPLAIN <statement> (parse_dml.cc).
  void ParseExplain(Statement& st);
  // CHECK / ANALYZE / OPTIMIZE / REPAIR / CHECKSUM TABLE (parse_admin.cc).
  void ParseTableMaintenance(Statement& st);
  void ParseShowLikeOrWhere(Statement& st);
  void ParseCreateUser(Statement& st);
  void ParseAlterUser(Statement& st);
  void SkipAccountOptions();
  void ParseDropUser(Statement& st);
  void ParseGrant(Statement& st);
  void ParseRevoke(Statement& st);
  void ParseRenameUser(Statement& st);
  uint64_t ParsePrivileges(bool* all);
  GrantLevel ParseGrantLevel();
  void ParseIdentified(UserSpec& spec);
  void ParseFlush(Statement& st);
  void ParseChangeMaster(Statement& st);
  void ParseStartSlave(Statement& st, bool old_syntax);
  void ParseStopSlave(Statement& st);
  void ParseSlaveThreads(Statement& st);
  void ParsePurge(Statement& st);
  void ParseBegin(Statement& st);
  void ParseLockTables(Statement& st);

  // ---- DDL (parse_ddl.cc) ----
  void ParseCreate(Statement& st);
  void ParseCreateTable(Statement& st, bool temporary);
  void ParseCreateIndex(Statement& st, IndexDef::Kind kind);
  void ParseCreateDatabase(Statement& st);
  void ParseDrop(Statement& st);
  void ParseAlter(Statement& st);
  void ParseRenameTable(Statement& st);
  ColumnDef ParseColumnDef(const std::string& name, std::vector<IndexDef>* column_indexes);
  void ParseDataType(ColumnDef& c);
  std::vector<IndexPart> ParseIndexParts();
  void SkipIndexOptions(IndexDef* index);
  bool ParseTableOption(TableDef& def, AlterOp* op);  // false if none here
  void ParseCharsetName(std::string* out);
  void SkipParenthesized();
  // ---- triggers (parse_trigger.cc) ----
  // At TRIGGER, after CREATE [OR REPLACE] [DEFINER = u] (already in st.trigger).
  void ParseCreateTrigger(Statement& st);
  void ParseDropTrigger(Statement& st);        // at TRIGGER, after DROP
  void ParseShowCreateTrigger(Statement& st);  // at TRIGGER, after SHOW CREATE
  // CREATE [OR REPLACE] [DEFINER = u] TRIGGER ahead: parses it and returns true.
  bool MaybeCreateTrigger(Statement& st);

  DmlInfo* info() { return info_; }
  void set_info(DmlInfo* info) { info_ = info; }

  // Column names of the outermost SELECT being parsed.
  std::vector<std::string>* select_names_ = nullptr;
  // Table factors seen by ParseTableFactor: (alias or table name, table).
  std::vector<std::pair<std::string, TableName>> factor_names_;
  // Inside INSERT ... ON DUPLICATE KEY UPDATE: VALUES(c) -> excluded.c.
  bool in_on_duplicate_ = false;
  // Set by ParseColumnDef when the column said NULL explicitly.
  bool explicit_null_ = false;

  // Nesting depth of expressions: deeper than kMaxDepth is refused (1064)
  // instead of exhausting the thread's stack.
  static constexpr int kMaxDepth = 150;  // about 75 nested parentheses (~7 KB of stack each)
  int depth_ = 0;
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxDepth) parser.Fail();
    }
    ~DepthGuard() { --parser.depth_; }
    Parser& parser;
  };

 private:
  std::string_view sql_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  const ParseOptions& options_;
  DmlInfo* info_ = nullptr;
  DmlInfo scratch_;
};

// Appends `v` to `list` unless present.
template <class T>
void AddUnique(std::vector<T>& list, const T& v) {
  for (const auto& x : list)
    if (x == v) return;
  list.push_back(v);
}

// '...' SQLite literal for text (NUL bytes or invalid UTF-8: CAST(X'..' AS TEXT)).
std::string SqliteString(std::string_view text);
// Backtick-quoted identifier.
std::string QuoteIdent(std::string_view name);
// "..." quoted alias.
std::string QuoteAlias(std::string_view name);
// MySQL-quoted string literal for SHOW CREATE ('it''s' style as MySQL prints).
std::string MysqlQuote(std::string_view text);

}  // namespace reptut::sql::internal
