#include "scenario/parser.h"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include "args.h"
#include "failure.h"

namespace serveradm::scenario {

namespace {

const std::map<std::string, Kind>& KindsByName() {
  static const std::map<std::string, Kind> k = {{"add", Kind::kAdd},
                                                {"start", Kind::kStart},
                                                {"stop", Kind::kStop},
                                                {"kill", Kind::kKill},
                                                {"restart", Kind::kRestart},
                                                {"sql", Kind::kSql},
                                                {"expect", Kind::kExpect},
                                                {"wait_for", Kind::kWaitFor},
                                                {"sync", Kind::kSync},
                                                {"replicate", Kind::kReplicate},
                                                {"takebackup", Kind::kTakeBackup},
                                                {"loadslave", Kind::kLoadSlave},
                                                {"shell", Kind::kShell},
                                                {"note", Kind::kNote}};
  return k;
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// Keys every step may have, and the keys of each kind (the kind's own key
// included).
const std::set<std::string> kCommonKeys = {"why", "title", "exercise", "task", "check", "flavors"};
const std::set<std::string> kQueryKeys = {"on",    "user",  "password", "database", "rows",
                                          "count", "value", "fields",   "error",    "capture"};

std::set<std::string> KeysOf(Kind k) {
  switch (k) {
    case Kind::kAdd:
    case Kind::kStart:
    case Kind::kStop:
    case Kind::kKill:
    case Kind::kRestart:
      return {};
    case Kind::kSql:
      return {"on", "user", "password", "database", "error", "capture"};
    case Kind::kExpect:
      return kQueryKeys;
    case Kind::kWaitFor: {
      auto s = kQueryKeys;
      s.insert({"timeout", "message"});
      return s;
    }
    case Kind::kSync:
      return {"timeout"};
    case Kind::kReplicate:
      return {"from", "file", "pos"};
    case Kind::kTakeBackup:
      return {"file"};
    case Kind::kLoadSlave:
      return {"file", "from"};
    case Kind::kShell:
      return {"status", "output"};
    case Kind::kNote:
      return {};
  }
  return {};
}

class Reader {
 public:
  Reader(std::string source) : source_(std::move(source)) {}

  Mark At(const YAML::Node& n) const {
    Mark m{source_, 0, 0};
    if (n.IsDefined()) {
      YAML::Mark y = n.Mark();
      if (y.line >= 0) m.line = y.line + 1, m.column = y.column + 1;
    }
    return m;
  }
  [[noreturn]] void Fail(const YAML::Node& n, const std::string& what) const {
    throw ScenarioError(At(n), what);
  }
  [[noreturn]] void Fail(const Mark& m, const std::string& what) const {
    throw ScenarioError(m, what);
  }

  std::string Scalar(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) Fail(n, what + " must be a single value (text or number)");
    return n.Scalar();
  }
  // A value that must be given as text, not empty.
  std::string Text(const YAML::Node& parent, const std::string& key, const std::string& what,
                   const Mark& where) const {
    YAML::Node n = parent[key];
    if (!n.IsDefined() || n.IsNull()) Fail(where, "missing '" + key + ":' (" + what + ")");
    std::string s = Scalar(n, "'" + key + ":'");
    if (s.empty()) Fail(n, "'" + key + ":' is empty (" + what + ")");
    return s;
  }
  std::string Optional(const YAML::Node& parent, const std::string& key) const {
    YAML::Node n = parent[key];
    if (!n.IsDefined() || n.IsNull()) return "";
    return Scalar(n, "'" + key + ":'");
  }
  long long Number(const YAML::Node& n, const std::string& what, long long min,
                   long long max) const {
    std::string s = Scalar(n, what);
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(s, &used);
    } catch (...) {
      used = 0;
    }
    if (used != s.size() || s.empty() || v < min || v > max)
      Fail(n, what + " must be a whole number from " + std::to_string(min) + " to " +
                  std::to_string(max) + ", not '" + s + "'");
    return v;
  }
  double Seconds(const YAML::Node& n, const std::string& what) const {
    std::string s = Scalar(n, what);
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(s, &used);
    } catch (...) {
      used = 0;
    }
    if (used != s.size() || s.empty() || !(v > 0) || v > 3600)
      Fail(n, what + " must be a number of seconds above 0 and at most 3600, not '" + s + "'");
    return v;
  }
  bool Bool(const YAML::Node& n, const std::string& what) const {
    std::string s = Scalar(n, what);
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
    Fail(n, what + " must be true or false, not '" + s + "'");
  }
  // One name or a list of names.
  std::vector<std::string> Names(const YAML::Node& n, const std::string& what) const {
    std::vector<std::string> out;
    if (n.IsSequence()) {
      for (const auto& e : n) out.push_back(Scalar(e, what));
    } else if (n.IsScalar()) {
      out.push_back(n.Scalar());
    }
    if (out.empty()) Fail(n, what + " needs a server name or a list of them");
    return out;
  }

  Matcher ParseMatcher(const YAML::Node& n, const std::string& what) const {
    Matcher m;
    if (n.IsNull()) {
      m.op = Matcher::Op::kIsNull;
      return m;
    }
    if (n.IsScalar()) {
      m.value = n.Scalar();
      return m;
    }
    if (!n.IsMap() || n.size() != 1)
      Fail(n, what +
                  " must be a value, ~ (NULL), or one of {equals: V}, {contains: TEXT}, "
                  "{matches: REGEX}, {not: V}, {at_least: N}, {at_most: N}");
    auto it = n.begin();
    std::string op = it->first.as<std::string>();
    static const std::map<std::string, Matcher::Op> ops = {
        {"equals", Matcher::Op::kEquals},    {"contains", Matcher::Op::kContains},
        {"matches", Matcher::Op::kMatches},  {"not", Matcher::Op::kNot},
        {"at_least", Matcher::Op::kAtLeast}, {"at_most", Matcher::Op::kAtMost}};
    auto o = ops.find(op);
    if (o == ops.end())
      Fail(it->first, "unknown test '" + op + "' in " + what +
                          " (tests: equals, contains, matches, not, at_least, at_most)");
    m.op = o->second;
    if (it->second.IsNull() && m.op == Matcher::Op::kEquals) {
      m.op = Matcher::Op::kIsNull;
      return m;
    }
    m.value = Scalar(it->second, what + " " + op);
    if (m.op == Matcher::Op::kMatches && References(m.value).empty()) {
      try {
        std::regex re(m.value);
      } catch (const std::regex_error& e) {
        Fail(it->second, "'" + m.value + "' is not a valid regular expression: " + e.what());
      }
    }
    if (m.op == Matcher::Op::kAtLeast || m.op == Matcher::Op::kAtMost) {
      if (References(m.value).empty()) Number(it->second, what + " " + op, LLONG_MIN, LLONG_MAX);
    }
    return m;
  }

  Expectation ParseExpectation(const YAML::Node& n) const {
    Expectation e;
    if (YAML::Node r = n["rows"]; r.IsDefined()) {
      if (!r.IsSequence()) Fail(r, "'rows:' must be a list of rows, each a list of values");
      std::vector<std::vector<std::optional<std::string>>> rows;
      for (const auto& row : r) {
        std::vector<std::optional<std::string>> out;
        auto cell = [&](const YAML::Node& c) -> std::optional<std::string> {
          if (c.IsNull()) return std::nullopt;
          return Scalar(c, "a value in 'rows:'");
        };
        if (row.IsSequence()) {
          for (const auto& c : row) out.push_back(cell(c));
        } else {
          out.push_back(cell(row));  // a one-column row may be written as its value
        }
        rows.push_back(std::move(out));
      }
      e.rows = std::move(rows);
    }
    if (YAML::Node c = n["count"]; c.IsDefined()) e.count = Number(c, "'count:'", 0, 1LL << 40);
    if (YAML::Node v = n["value"]; v.IsDefined()) e.value = ParseMatcher(v, "'value:'");
    if (YAML::Node f = n["fields"]; f.IsDefined()) {
      if (!f.IsMap() || f.size() == 0)
        Fail(f, "'fields:' must map column names to values, e.g. {Slave_IO_Running: 'Yes'}");
      for (const auto& kv : f) {
        std::string col = Scalar(kv.first, "a column name in 'fields:'");
        e.fields.emplace_back(col, ParseMatcher(kv.second, "field '" + col + "'"));
      }
    }
    if (YAML::Node er = n["error"]; er.IsDefined())
      e.error = static_cast<unsigned>(Number(er, "'error:'", 1, 65535));
    return e;
  }

  void CheckKeys(const YAML::Node& n, const std::set<std::string>& allowed,
                 const std::string& what) const {
    for (const auto& kv : n) {
      std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (!allowed.count(k))
        Fail(kv.first, "unknown key '" + k + "' in " + what + " (keys: " + Join(allowed) + ")");
    }
  }

  std::map<std::string, std::string> ParseCapture(const YAML::Node& n) const {
    if (!n.IsMap() || n.size() == 0)
      Fail(n,
           "'capture:' must map variable names to column names, e.g. "
           "{master_file: File, master_pos: Position}");
    std::map<std::string, std::string> out;
    static const std::regex name_re("[A-Za-z_][A-Za-z0-9_]*");
    for (const auto& kv : n) {
      std::string var = Scalar(kv.first, "a variable name in 'capture:'");
      if (!std::regex_match(var, name_re))
        Fail(kv.first, "'" + var + "' is not a variable name (letters, digits and _)");
      out[var] = Scalar(kv.second, "the column captured into '" + var + "'");
    }
    return out;
  }

  Check ParseCheck(const YAML::Node& n) const {
    Check c;
    c.mark = At(n);
    if (!n.IsMap()) Fail(n, "each entry of 'check:' is an expect: or a wait_for: with its keys");
    bool waits = n["wait_for"].IsDefined();
    if (waits == n["expect"].IsDefined())
      Fail(n, "each entry of 'check:' needs exactly one of 'expect: QUERY' or 'wait_for: QUERY'");
    const char* kind = waits ? "wait_for" : "expect";
    auto keys = kQueryKeys;
    keys.insert({kind, "why", "message"});
    keys.erase("capture");
    if (waits) keys.insert("timeout");
    CheckKeys(n, keys, std::string("a check's ") + kind);
    for (const auto& kv : n) c.marks[kv.first.Scalar()] = At(kv.second);
    c.marks["query"] = At(n[kind]);
    c.query = Text(n, kind, "the query to check", c.mark);
    c.on = Text(n, "on", "the server to check on", c.mark);
    if (auto u = Optional(n, "user"); !u.empty()) c.user = u;
    c.password = Optional(n, "password");
    c.database = Optional(n, "database");
    c.expect = ParseExpectation(n);
    if (c.expect.empty())
      Fail(n, "a check needs what the query must give: rows:, count:, value:, fields: or error:");
    c.timeout_s = waits ? (n["timeout"].IsDefined() ? Seconds(n["timeout"], "'timeout:'") : 10) : 0;
    c.message = Optional(n, "message");
    c.why = Optional(n, "why");
    return c;
  }

  Step ParseStep(const YAML::Node& n, size_t index) const {
    Step s;
    s.mark = At(n);
    const std::string where = "step " + std::to_string(index + 1);
    if (!n.IsMap())
      Fail(n, where + " must be a map with one step kind as a key (kinds: " + KindNames() + ")");
    std::string kind_key;
    for (const auto& kv : n) {
      std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (KindsByName().count(k)) {
        if (!kind_key.empty())
          Fail(kv.first, where + " has two kinds, '" + kind_key + "' and '" + k +
                             "': write them as two steps");
        kind_key = k;
      }
    }
    if (kind_key.empty()) {
      // The first key that is not a common one is the likely misspelt kind.
      for (const auto& kv : n) {
        std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
        if (!kCommonKeys.count(k))
          Fail(kv.first, "unknown step kind '" + k + "' (kinds: " + KindNames() + ")");
      }
      Fail(n, where + " has no step kind (kinds: " + KindNames() + ")");
    }
    s.kind = KindsByName().at(kind_key);
    auto keys = KeysOf(s.kind);
    keys.insert(kCommonKeys.begin(), kCommonKeys.end());
    keys.insert(kind_key);
    CheckKeys(n, keys, "a " + kind_key + " step");
    for (const auto& kv : n) s.marks[kv.first.Scalar()] = At(kv.second);
    s.marks["main"] = At(n[kind_key]);
    YAML::Node main = n[kind_key];

    s.why = Optional(n, "why");
    if (s.why.empty() && s.kind != Kind::kNote)
      Fail(s.mark, where + " (" + kind_key +
                       ") has no 'why:': say in one line what a student learns from it");
    if (s.why.find('\n') != std::string::npos && s.why.find('\n') + 1 < s.why.size())
      Fail(n["why"], "'why:' is one line");
    while (!s.why.empty() && s.why.back() == '\n') s.why.pop_back();
    s.title = Optional(n, "title");
    if (YAML::Node f = n["flavors"]; f.IsDefined()) s.flavors = Flavors(f);
    if (YAML::Node e = n["exercise"]; e.IsDefined()) s.exercise = Bool(e, "'exercise:'");
    s.task = Optional(n, "task");
    if (YAML::Node c = n["check"]; c.IsDefined()) {
      if (!c.IsSequence() || c.size() == 0)
        Fail(c, "'check:' must be a list of expect: or wait_for: entries");
      for (const auto& e : c) s.checks.push_back(ParseCheck(e));
    }
    if (s.exercise && s.task.empty())
      Fail(s.mark, where + " is an exercise: it needs 'task:', what the student is asked to do");
    if (s.exercise && s.checks.empty())
      Fail(s.mark, where + " is an exercise: it needs 'check:', how the student's work is checked");

    switch (s.kind) {
      case Kind::kAdd:
      case Kind::kStart:
      case Kind::kStop:
      case Kind::kKill:
      case Kind::kRestart:
        s.servers = Names(main, "'" + kind_key + ":'");
        break;
      case Kind::kSql: {
        s.on = Text(n, "on", "the server to run the SQL on", s.mark);
        ReadSession(n, s);
        if (main.IsSequence()) {
          for (const auto& st : main)
            for (auto& x : SplitStatements(Scalar(st, "a statement"))) s.statements.push_back(x);
        } else {
          s.statements = SplitStatements(Scalar(main, "'sql:'"));
        }
        if (s.statements.empty()) Fail(main, "'sql:' has no statement");
        if (YAML::Node er = n["error"]; er.IsDefined())
          s.expect.error = static_cast<unsigned>(Number(er, "'error:'", 1, 65535));
        break;
      }
      case Kind::kExpect:
      case Kind::kWaitFor: {
        s.on = Text(n, "on", "the server to query", s.mark);
        ReadSession(n, s);
        std::string q = Scalar(main, "'" + kind_key + ":'");
        auto st = SplitStatements(q);
        if (st.size() != 1) Fail(main, "'" + kind_key + ":' takes exactly one query");
        s.statements = st;
        s.expect = ParseExpectation(n);
        if (s.expect.empty())
          Fail(s.mark, where + " (" + kind_key +
                           ") needs what the query must give: rows:, count:, value:, fields: "
                           "or error:");
        if (s.kind == Kind::kWaitFor) {
          s.timeout_s = n["timeout"].IsDefined() ? Seconds(n["timeout"], "'timeout:'") : 10;
          s.message = Optional(n, "message");
        }
        break;
      }
      case Kind::kSync:
        if (!main.IsNull() && !(main.IsScalar() && main.Scalar() == "all"))
          Fail(main, "'sync:' takes no value, or 'all' (it waits for every slave)");
        if (n["timeout"].IsDefined()) s.timeout_s = Seconds(n["timeout"], "'timeout:'");
        break;
      case Kind::kReplicate:
        s.target = Scalar(main, "'replicate:' (the slave)");
        s.from = Text(n, "from", "the master to replicate from", s.mark);
        s.file = Optional(n, "file");
        s.pos = Optional(n, "pos");
        if (s.file.empty() != s.pos.empty())
          Fail(s.mark, "replicate: give both 'file:' and 'pos:', or neither");
        break;
      case Kind::kTakeBackup:
        s.target = Scalar(main, "'takebackup:' (the slave to back up)");
        s.file = Text(n, "file", "the backup file to write", s.mark);
        CheckRelative(n["file"], s.file);
        break;
      case Kind::kLoadSlave:
        s.target = Scalar(main, "'loadslave:' (the new slave)");
        s.file = Text(n, "file", "the backup file to load", s.mark);
        CheckRelative(n["file"], s.file);
        s.from = Optional(n, "from");
        break;
      case Kind::kShell:
        s.command = Scalar(main, "'shell:'");
        if (s.command.empty()) Fail(main, "'shell:' has no command");
        CheckInside(main, s.command);
        if (n["status"].IsDefined())
          s.status = static_cast<int>(Number(n["status"], "'status:'", 0, 255));
        if (n["output"].IsDefined()) s.output = ParseMatcher(n["output"], "'output:'");
        break;
      case Kind::kNote:
        s.text = Scalar(main, "'note:'");
        if (s.text.empty()) Fail(main, "'note:' is empty");
        break;
    }
    if (YAML::Node c = n["capture"]; c.IsDefined()) s.capture = ParseCapture(c);
    return s;
  }

  // Who runs a step's SQL: user (default root), password, database.
  void ReadSession(const YAML::Node& n, Step& s) const {
    if (auto u = Optional(n, "user"); !u.empty()) s.user = u;
    s.password = Optional(n, "password");
    s.database = Optional(n, "database");
  }

  // Files and shell commands stay inside the tutorial directory.
  void CheckRelative(const YAML::Node& n, const std::string& file) const {
    if (file.front() == '/' || file == ".." || file.rfind("../", 0) == 0 ||
        file.find("/../") != std::string::npos)
      Fail(n, "'" + file + "' is outside the tutorial directory: use a name relative to it");
  }
  void CheckInside(const YAML::Node& n, const std::string& command) const {
    // A word that starts with '/' or that climbs with '..' names a path
    // outside the tutorial directory.
    static const std::regex outside(R"((^|[\s=<>|'"(])(/|\.\.(/|$|\s)))");
    if (std::regex_search(command, outside) || command.find("~") != std::string::npos)
      Fail(n, "a shell step runs inside the tutorial directory: '" + command +
                  "' names a path outside it (an absolute path, ~ or ..)");
  }

  std::vector<std::string> Flavors(const YAML::Node& n) const {
    auto f = Names(n, "'flavors:'");
    for (const auto& x : f)
      if (x != "bundled" && x != "mariadb")
        Fail(n, "unknown flavor '" + x + "' (flavors: bundled, mariadb)");
    return f;
  }

  static std::string KindNames() {
    std::string out;
    for (const auto& [k, v] : KindsByName()) out += (out.empty() ? "" : ", ") + k;
    return out;
  }

  std::string source_;
};

}  // namespace

namespace {
Scenario ParseChecked(const std::string& text, const std::string& source, const std::string& name);
}  // namespace

Scenario Parse(const std::string& text, const std::string& source, const std::string& name) {
  try {
    return ParseChecked(text, source, name);
  } catch (const YAML::Exception& e) {
    // What the checks above did not foresee (a key that is a list, ...):
    // still an error at a place in the file, never a crash.
    throw ScenarioError(Mark{source, e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
}

namespace {
Scenario ParseChecked(const std::string& text, const std::string& source, const std::string& name) {
  Reader r(source);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(Mark{source, e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg);
  }
  Mark top{source, 1, 1};
  if (!root.IsMap()) r.Fail(top, "a scenario is a map with title:, summary:, servers: and steps:");
  r.CheckKeys(root, {"title", "summary", "servers", "steps", "flavors"}, "a scenario");
  Scenario sc;
  sc.name = name;
  sc.source = source;
  sc.title = r.Text(root, "title", "a one-line title", top);
  sc.summary = r.Text(root, "summary", "what the scenario teaches, in a few lines", top);
  if (root["flavors"].IsDefined()) sc.flavors = r.Flavors(root["flavors"]);

  YAML::Node servers = root["servers"];
  if (!servers.IsDefined()) r.Fail(top, "missing 'servers:' (the servers the scenario needs)");
  if (!servers.IsSequence() || servers.size() == 0)
    r.Fail(servers, "'servers:' must be a list of {name: NAME, roles: ROLES}");
  static const std::regex name_re("[A-Za-z][A-Za-z0-9_]{0,31}");
  for (const auto& s : servers) {
    ServerDecl d;
    d.mark = r.At(s);
    if (!s.IsMap()) r.Fail(s, "a server is {name: NAME, roles: master|slave|master,slave}");
    r.CheckKeys(s, {"name", "roles", "server_id"}, "a server");
    d.name = r.Text(s, "name", "the server's name", d.mark);
    if (!std::regex_match(d.name, name_re) || d.name == "all")
      r.Fail(s["name"],
             "'" + d.name + "' is not a server name (a letter, then letters, digits, _)");
    if (sc.FindServer(d.name)) r.Fail(s["name"], "server '" + d.name + "' is declared twice");
    d.roles = r.Text(s, "roles", "master, slave or master,slave", d.mark);
    try {
      d.roles = ParseRoles(d.roles).ToString();
    } catch (const UsageError& e) {
      r.Fail(s["roles"], e.what());
    }
    if (s["server_id"].IsDefined())
      d.server_id = static_cast<int>(r.Number(s["server_id"], "'server_id:'", 1, 4294967295LL));
    sc.servers.push_back(d);
  }

  YAML::Node steps = root["steps"];
  if (!steps.IsDefined()) r.Fail(top, "missing 'steps:' (what the scenario does)");
  if (!steps.IsSequence() || steps.size() == 0) r.Fail(steps, "'steps:' must be a list of steps");
  for (size_t i = 0; i < steps.size(); ++i) sc.steps.push_back(r.ParseStep(steps[i], i));

  // Servers named by steps are declared; ${names} are known where used.
  auto check_server = [&](const Mark& m, const std::string& server, bool all_ok) {
    if (all_ok && server == "all") return;
    if (!sc.FindServer(server)) {
      std::string known;
      for (const auto& d : sc.servers) known += (known.empty() ? "" : ", ") + d.name;
      r.Fail(m, "server '" + server + "' is not declared in 'servers:' (declared: " + known + ")");
    }
  };
  std::set<std::string> known = {"repl_user", "repl_password", "flavor", "dir"};
  for (const auto& d : sc.servers)
    for (const char* f : {".port", ".server_id", ".socket"}) known.insert(d.name + f);
  auto check_refs = [&](const Mark& m, const std::string& t) {
    for (const auto& ref : References(t))
      if (!known.count(ref))
        r.Fail(
            m, "${" + ref + "} is used before any step captures it (captured so far: " + [&] {
              std::string c;
              for (const auto& k : known)
                if (k.find('.') == std::string::npos && k != "repl_user" && k != "repl_password" &&
                    k != "flavor" && k != "dir")
                  c += (c.empty() ? "" : ", ") + k;
              return c.empty() ? std::string("none") : c;
            }() + ")");
  };
  auto check_expect = [&](const auto& owner, const Expectation& e) {
    if (e.value) check_refs(MarkOf(owner, "value"), e.value->value);
    for (const auto& [col, mt] : e.fields) check_refs(MarkOf(owner, "fields"), mt.value);
    if (e.rows)
      for (const auto& row : *e.rows)
        for (const auto& c : row)
          if (c) check_refs(MarkOf(owner, "rows"), *c);
  };
  for (const Step& s : sc.steps) {
    for (const auto& n : s.servers) check_server(MarkOf(s, "main"), n, s.kind != Kind::kAdd);
    if (!s.on.empty()) check_server(MarkOf(s, "on"), s.on, false);
    if (!s.target.empty()) check_server(MarkOf(s, "main"), s.target, false);
    if (!s.from.empty()) check_server(MarkOf(s, "from"), s.from, false);
    for (const auto& c : s.checks) check_server(MarkOf(c, "on"), c.on, false);
    for (const auto& st : s.statements) check_refs(MarkOf(s, "main"), st);
    check_refs(MarkOf(s, "main"), s.command);
    check_refs(MarkOf(s, "main"), s.text);
    check_refs(MarkOf(s, "file"), s.file);
    check_refs(MarkOf(s, "pos"), s.pos);
    check_refs(MarkOf(s, "task"), s.task);
    check_refs(MarkOf(s, "message"), s.message);
    check_refs(MarkOf(s, "password"), s.password);
    if (s.output) check_refs(MarkOf(s, "output"), s.output->value);
    check_expect(s, s.expect);
    for (const auto& c : s.checks) {
      check_refs(MarkOf(c, "query"), c.query);
      check_expect(c, c.expect);
    }
    for (const auto& [var, col] : s.capture) known.insert(var);
  }
  return sc;
}
}  // namespace

std::vector<std::string> SplitStatements(const std::string& sql) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      cur += c;
      if (c == '\\' && quote != '`' && i + 1 < sql.size()) {
        cur += sql[++i];
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      cur += c;
    } else if (c == '-' && i + 2 < sql.size() && sql[i + 1] == '-' &&
               (sql[i + 2] == ' ' || sql[i + 2] == '\t')) {
      while (i < sql.size() && sql[i] != '\n') ++i;
      cur += '\n';
    } else if (c == '#') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      cur += '\n';
    } else if (c == ';') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  std::vector<std::string> trimmed;
  for (auto& s : out) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) continue;
    size_t e = s.find_last_not_of(" \t\r\n");
    trimmed.push_back(s.substr(b, e - b + 1));
  }
  return trimmed;
}

std::vector<std::string> References(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = text.find("${"); i != std::string::npos; i = text.find("${", i + 2)) {
    size_t e = text.find('}', i);
    if (e == std::string::npos) break;
    out.push_back(text.substr(i + 2, e - i - 2));
  }
  return out;
}

std::string Mark::ToString() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const ServerDecl* Scenario::FindServer(const std::string& n) const {
  for (const auto& s : servers)
    if (s.name == n) return &s;
  return nullptr;
}

const char* KindName(Kind k) {
  for (const auto& [name, kind] : KindsByName())
    if (kind == k) return name.c_str();
  return "?";
}

std::string Matcher::Describe() const {
  switch (op) {
    case Op::kEquals:
      return "'" + value + "'";
    case Op::kContains:
      return "text containing '" + value + "'";
    case Op::kMatches:
      return "text matching /" + value + "/";
    case Op::kNot:
      return "anything but '" + value + "'";
    case Op::kAtLeast:
      return "a number >= " + value;
    case Op::kAtMost:
      return "a number <= " + value;
    case Op::kIsNull:
      return "NULL";
  }
  return "?";
}

}  // namespace serveradm::scenario
