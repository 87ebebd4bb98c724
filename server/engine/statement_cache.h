// A per-session cache of statements by shape. A statement's shape is its
// text with the literals replaced by placeholders; statements of one shape
// (what a benchmark or an application sends over and over) are parsed and
// prepared by SQLite once, then run with the literals bound as parameters.
//
// Each literal becomes the user variable @reptut_lit_<n> in the shape text,
// so the translation to SQLite carries it as the named parameter of that
// name wherever an expression may stand; Exec binds the statement's literal
// values to those names (BindUserVars). Literals that must stay literal keep
// their place in the shape: integers after ORDER BY / GROUP BY (positions)
// and LIMIT / OFFSET, hex and bit strings. A shape whose parse fails or whose
// result column names would show a placeholder is remembered as not
// cacheable, and such statements take the ordinary path.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/server_state.h"
#include "sql/parser.h"
#include "sql/statement.h"

namespace reptut::engine {

inline constexpr std::string_view kLiteralVarPrefix = "reptut_lit_";

class StatementCache {
 public:
  struct Entry {
    bool cacheable = false;
    sql::Statement statement;
  };

  // The cached statement for `text`, with the literal values in *literals
  // (index n for @reptut_lit_<n>); nullptr when `text` is not a statement
  // this cache takes (then parse it the ordinary way).
  // Shapes are parsed with `options` and kept per current database.
  const Entry* Lookup(std::string_view text, const sql::ParseOptions& options,
                      std::vector<UserValue>* literals);

  // Statements with more literals than this are not cached (Lookup).
  static constexpr size_t kMaxLiterals = 256;

 private:
  static constexpr size_t kCapacity = 128;
  std::string shape_, key_;       // Lookup's buffers
  std::list<std::string> order_;  // most recently used first
  std::unordered_map<std::string, std::pair<Entry, std::list<std::string>::iterator>> map_;
};

// For tests: the shape and literals of `text` by the one-pass scanner and by
// the lexer. `fast_took_it` is false when the scanner left the text to the
// lexer (or found no cacheable statement).
struct ShapeComparison {
  bool fast_took_it = false;
  std::string fast_shape, lexer_shape;
  std::vector<UserValue> fast_literals, lexer_literals;
};
ShapeComparison CompareShapes(std::string_view text);

// True for the user variables that stand for a statement's literals.
inline bool IsLiteralVar(std::string_view name) {
  return name.substr(0, kLiteralVarPrefix.size()) == kLiteralVarPrefix;
}

}  // namespace reptut::engine
