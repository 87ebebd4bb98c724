// A scenario: a replication exercise as data. Parsed from YAML (parser.h),
// run against a tutorial directory (runner.h), reported (report.h). This
// file is the vocabulary the others share; it does no I/O.
//
// A step does one thing (its kind) and says why. Values written ${name} in a
// step's text are filled in when the step runs: from captures of earlier
// steps, or the predefined ${SERVER.port}, ${SERVER.server_id},
// ${SERVER.socket}, ${repl_user}, ${repl_password}, ${flavor} and ${dir}.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace serveradm::scenario {

// Where something is in a scenario file, for error messages: "file:line:col".
struct Mark {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string ToString() const;
};

// A test of one value: equal to a text, or contains / matches (ECMAScript
// regex) / differs from, or a number at least / at most a bound.
struct Matcher {
  enum class Op { kEquals, kContains, kMatches, kNot, kAtLeast, kAtMost, kIsNull };
  Op op = Op::kEquals;
  std::string value;             // may hold ${...}
  std::string Describe() const;  // "= 'Yes'", "contains 'Duplicate'", ...
};

// What a query must give. Every part that is set must hold.
struct Expectation {
  std::optional<std::vector<std::vector<std::optional<std::string>>>> rows;  // exact, in order
  std::optional<long long> count;                                            // number of rows
  std::optional<Matcher> value;                         // first row, first column
  std::vector<std::pair<std::string, Matcher>> fields;  // first row, by column name
  std::optional<unsigned> error;                        // the statement fails with this code
  bool empty() const { return !rows && !count && !value && fields.empty() && !error; }
};

enum class Kind {
  kAdd,
  kStart,
  kStop,
  kKill,
  kRestart,
  kSql,
  kExpect,
  kWaitFor,
  kSync,
  kReplicate,
  kTakeBackup,
  kLoadSlave,
  kShell,
  kNote,
};
const char* KindName(Kind k);

// One check inside an exercise step's `check:` list (an expect or wait_for).
struct Check {
  Mark mark;
  std::map<std::string, Mark> marks;  // where each key's value is, for errors
  std::string on;                     // server
  std::string user = "root", password, database;
  std::string query;
  Expectation expect;
  double timeout_s = 0;  // > 0: retried until it holds (wait_for)
  std::string message;   // shown when it fails
  std::string why;
};

struct Step {
  Mark mark;
  std::map<std::string, Mark> marks;  // where each key's value is, for errors
  Kind kind = Kind::kNote;
  std::string why;
  std::string title;                 // optional short label
  std::vector<std::string> servers;  // add/start/stop/kill/restart: names, or {"all"}
  std::string on;                    // sql/expect/wait_for: the server
  std::string user = "root", password, database;
  std::vector<std::string> statements;         // sql: one or more; expect/wait_for: one query
  Expectation expect;                          // expect, wait_for, sql (error: only)
  std::map<std::string, std::string> capture;  // variable -> column of the first row
  double timeout_s = 0;                        // wait_for, sync; 0: default
  std::string message;                         // wait_for: shown when it times out
  std::string target;                          // replicate/takebackup/loadslave: the slave
  std::string from;                            // replicate/loadslave: the master
  std::string file, pos;                       // replicate: file/pos; takebackup/loadslave: file
  std::string command;                         // shell
  int status = 0;                              // shell: expected exit status
  std::optional<Matcher> output;               // shell: its standard output
  std::string text;                            // note
  std::vector<std::string> flavors;            // run only on these flavors (empty: all)
  bool exercise = false;
  std::string task;           // exercise: what the student is asked to do
  std::vector<Check> checks;  // exercise (or any step): verified after the step
};

struct ServerDecl {
  Mark mark;
  std::string name, roles;
  int server_id = 0;  // 0: serveradm chooses
};

struct Scenario {
  std::string name;    // "basic-master-slave", or the file's stem
  std::string source;  // "scenarios/basic-master-slave.yaml" or the path given
  std::string title, summary;
  std::vector<std::string> flavors;  // flavors it runs on (empty: all)
  std::vector<ServerDecl> servers;
  std::vector<Step> steps;
  const ServerDecl* FindServer(const std::string& name) const;
};

// The mark of `key`'s value in a step or check, else the step's own.
template <typename T>
const Mark& MarkOf(const T& step_or_check, const std::string& key) {
  auto it = step_or_check.marks.find(key);
  return it == step_or_check.marks.end() ? step_or_check.mark : it->second;
}

}  // namespace serveradm::scenario
