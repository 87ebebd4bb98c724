// The MySQL lexer: turns statement text into tokens with byte offsets and
// line numbers, the way MySQL 5.7 reads it (default sql_mode: backslash
// escapes on, ANSI_QUOTES off, PIPES_AS_CONCAT off).
//
// Comments are dropped: "-- " (dash dash then whitespace/end), "#" to end of
// line, "/* ... */". Versioned comments "/*!NNNNN text */" and
// "/*M!NNNNNN text */" contribute their text as tokens when NNNNN (the
// version) is <= kLexerServerVersion (50799), and are skipped entirely
// otherwise; "/*! text */" without a number is always included. "/*M!" is
// MariaDB's marker: a MySQL 5.7 server treats it as an ordinary comment, and
// so do we (it is skipped) — except that "/*M!" with a version <= 50799 is
// also included, as MariaDB would.
//
// Pure code: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reptut::sql {

// The version the lexer compares versioned comments with (5.7.99).
inline constexpr uint32_t kLexerServerVersion = 50799;

enum class TokenKind : uint8_t {
  kEnd,          // end of input (always the last token; offset = input size)
  kIdent,        // unquoted word: identifier or keyword; text as written
  kQuotedIdent,  // `backtick` identifier; text decoded (`` -> `)
  kString,       // '...' or "..."; text decoded (escapes applied)
  kHexString,    // X'4142' or 0x4142; text = the decoded bytes ("AB")
  kBitString,    // b'0101' or 0b0101; text = the decoded bytes (big-endian)
  kInteger,      // 123 (text as written, digits only)
  kDecimal,      // 1.5, .5, 1. (text as written)
  kFloat,        // 1e10, 1.5E-3 (text as written)
  kUserVar,      // @name, @'name', @"name", @`name`; text = name as written (decoded)
  kSysVar,       // @@name, @@global.name ...; text = name; sysvar_scope set
  kParam,        // ? placeholder
  kOperator,     // punctuation/operators; text is the operator (see below)
};

// Operators produced (longest match first):
//   <=> <= >= <> != := || && << >> -> ->> = < > ! ~ ^ & | + - * / % ( ) , ; .
//   { } :
enum class SysVarScope : uint8_t { kNone, kGlobal, kSession, kLocal };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // see TokenKind
  size_t offset = 0;  // byte offset of the token's first byte in the input
  size_t length = 0;  // bytes the token spans in the input
  uint32_t line = 1;  // 1-based line number of the token's first byte
  // kString / kHexString / kBitString: the introducer ("_latin1" -> "latin1",
  // N'..' -> "utf8"), lowercase; empty when none.
  std::string charset;
  // kString: true when written with double quotes.
  bool double_quoted = false;
  // kSysVar: the scope prefix written (@@global.x -> kGlobal).
  SysVarScope sysvar_scope = SysVarScope::kNone;
  // kString directly followed by more string literals ('a' 'b' is 'ab' in
  // MySQL): the lexer concatenates them into one token.

  // True for a kIdent whose text equals `word` ignoring ASCII case.
  bool Is(std::string_view word) const;
  // True for a kOperator with exactly this text.
  bool IsOp(std::string_view op) const;
  // An identifier-like token: kIdent or kQuotedIdent.
  bool IsIdentLike() const { return kind == TokenKind::kIdent || kind == TokenKind::kQuotedIdent; }
};

// Tokenizes one or more statements. Errors: an unterminated string, quoted
// identifier or comment gives ER_PARSE_ERROR (1064) near the rest of the
// input at the line where the construct starts, as MySQL does.
// no_backslash_escapes: sql_mode NO_BACKSLASH_ESCAPES (a backslash in a
// string is an ordinary character).
Result<std::vector<Token>> Tokenize(std::string_view sql, bool no_backslash_escapes = false);

// Splits a multi-statement string on ';' outside strings, quoted
// identifiers and comments (a ';' inside an *included* versioned comment
// splits too, as in MySQL). Each piece is returned without its ';' and with
// surrounding whitespace trimmed; pieces that are empty or whitespace only
// are dropped. (Comment-only pieces are kept: Parse() reports them as
// StatementKind::kEmpty.) Never fails: an unterminated string simply runs
// to the end of the input (Parse() then reports the error).
std::vector<std::string_view> SplitStatements(std::string_view sql,
                                              bool no_backslash_escapes = false);

// The text MySQL puts in "near '...'" of a 1064 error: the input from
// `offset` on, at most 80 bytes (cut at a UTF-8 character boundary).
std::string NearText(std::string_view sql, size_t offset);

// ASCII case-insensitive comparison.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);

// True for words MySQL 5.7 reserves (SELECT, FROM, WHERE, ...): such an
// unquoted word cannot be used as an identifier.
bool IsReservedWord(std::string_view word);

}  // namespace reptut::sql
