// The scenario parser: a good file reads whole; each kind of bad input is
// refused with the file, line and column and what was expected.
#include <gtest/gtest.h>

#include "scenario/library.h"
#include "scenario/parser.h"

namespace serveradm::scenario {
namespace {

const char kGood[] = R"Y(title: T
summary: S
servers:
  - {name: master, roles: master}
  - {name: slave, roles: slave, server_id: 7}
steps:
  - add: [master, slave]
    why: w
  - start: all
    why: w
  - sql: "CREATE TABLE t (a INT); INSERT INTO t VALUES (';')"
    on: master
    why: w
  - sql: SHOW MASTER STATUS
    on: master
    capture: {f: File, p: Position}
    why: w
  - replicate: slave
    from: master
    file: ${f}
    pos: ${p}
    why: w
  - wait_for: SELECT a FROM t
    on: slave
    rows: [[1], ~]
    timeout: 2.5
    message: it did not arrive
    why: w
  - expect: SHOW SLAVE STATUS
    on: slave
    fields: {Slave_IO_Running: 'Yes', Last_Error: {contains: x}, Master_Port: '${master.port}'}
    why: w
  - shell: ls slave/log
    output: {matches: 'relay-bin\.[0-9]+'}
    why: w
  - note: |
      two
      lines
)Y";

std::string ErrorOf(const std::string& text) {
  try {
    Parse(text, "lesson.yaml", "lesson");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ScenarioParser, ReadsAGoodFile) {
  Scenario sc = Parse(kGood, "lesson.yaml", "lesson");
  EXPECT_EQ(sc.title, "T");
  ASSERT_EQ(sc.servers.size(), 2u);
  EXPECT_EQ(sc.servers[1].server_id, 7);
  ASSERT_EQ(sc.steps.size(), 9u);
  EXPECT_EQ(sc.steps[0].kind, Kind::kAdd);
  EXPECT_EQ(sc.steps[0].servers, (std::vector<std::string>{"master", "slave"}));
  EXPECT_EQ(sc.steps[2].statements.size(), 2u);
  EXPECT_EQ(sc.steps[2].statements[1], "INSERT INTO t VALUES (';')");
  EXPECT_EQ(sc.steps[3].capture.at("f"), "File");
  EXPECT_EQ(sc.steps[4].file, "${f}");
  const Step& w = sc.steps[5];
  EXPECT_EQ(w.kind, Kind::kWaitFor);
  EXPECT_DOUBLE_EQ(w.timeout_s, 2.5);
  ASSERT_TRUE(w.expect.rows.has_value());
  ASSERT_EQ(w.expect.rows->size(), 2u);
  EXPECT_FALSE((*w.expect.rows)[1][0].has_value());  // ~ is NULL
  EXPECT_EQ(sc.steps[6].expect.fields.size(), 3u);
  EXPECT_EQ(sc.steps[6].expect.fields[1].second.op, Matcher::Op::kContains);
  EXPECT_EQ(sc.steps[8].text, "two\nlines\n");
  EXPECT_EQ(sc.steps[2].mark.line, 11);
  EXPECT_EQ(sc.steps[2].mark.column, 5);
}

TEST(ScenarioParser, YamlErrorHasLineAndColumn) {
  std::string e = ErrorOf("title: T\nsummary: [unclosed\nservers: []\n");
  EXPECT_NE(e.find("lesson.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("YAML error"), std::string::npos) << e;
}

TEST(ScenarioParser, UnknownStepKind) {
  std::string text = kGood;
  text.replace(text.find("  - start: all"), 14, "  - begin: all");
  EXPECT_EQ(ErrorOf(text).rfind("lesson.yaml:9:5: unknown step kind 'begin' (kinds: add, ", 0), 0u);
}

TEST(ScenarioParser, UnknownKeyInStep) {
  std::string text = kGood;
  text.replace(text.find("    message: it did"), 12, "    mesage: ");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("lesson.yaml:27:5: unknown key 'mesage' in a wait_for step"), std::string::npos)
      << e;
}

TEST(ScenarioParser, MissingField) {
  std::string text = kGood;
  text.replace(text.find("    on: master\n    why: w\n  - sql: SHOW"), 15, "");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("lesson.yaml:11:5: missing 'on:'"), std::string::npos) << e;
}

TEST(ScenarioParser, MissingWhy) {
  std::string text = kGood;
  text.replace(text.find("  - start: all\n    why: w\n"), 26, "  - start: all\n");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("lesson.yaml:9:5: step 2 (start) has no 'why:'"), std::string::npos) << e;
}

TEST(ScenarioParser, UndeclaredServer) {
  std::string text = kGood;
  text.replace(text.find("    from: master"), 16, "    from: mastr ");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("lesson.yaml:19:11: server 'mastr' is not declared in 'servers:' (declared: "
                   "master, slave)"),
            std::string::npos)
      << e;
}

TEST(ScenarioParser, CaptureUsedBeforeItIsSet) {
  std::string text = kGood;
  text.replace(text.find("file: ${f}"), 10, "file: ${g}");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("lesson.yaml:20:11: ${g} is used before any step captures it (captured so "
                   "far: f, p)"),
            std::string::npos)
      << e;
}

TEST(ScenarioParser, CaptureUsedInTheStepBeforeTheOneThatSetsIt) {
  std::string e = ErrorOf(R"(title: T
summary: S
servers: [{name: m, roles: master}]
steps:
  - sql: SELECT '${x}'
    on: m
    why: w
  - sql: SELECT 1 AS one
    on: m
    capture: {x: one}
    why: w
)");
  EXPECT_NE(e.find("lesson.yaml:5:10: ${x} is used before any step captures it"), std::string::npos)
      << e;
}

TEST(ScenarioParser, MissingTopLevelKeys) {
  EXPECT_NE(ErrorOf("title: T\n").find("lesson.yaml:1:1: missing 'summary:'"), std::string::npos);
  EXPECT_NE(ErrorOf("title: T\nsummary: S\nservers: [{name: m, roles: master}]\n")
                .find("missing 'steps:'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("- a\n").find("a scenario is a map"), std::string::npos);
}

TEST(ScenarioParser, BadValues) {
  const std::string head = "title: T\nsummary: S\nservers: [{name: m, roles: master}]\nsteps:\n";
  EXPECT_NE(ErrorOf(head + "  - wait_for: SELECT 1\n    on: m\n    value: 1\n    timeout: soon\n"
                           "    why: w\n")
                .find("lesson.yaml:8:14: 'timeout:' must be a number of seconds"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "  - expect: SELECT 1\n    on: m\n    why: w\n")
                .find("needs what the query must give"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "  - expect: SELECT 1\n    on: m\n    value: {matches: '('}\n"
                           "    why: w\n")
                .find("is not a valid regular expression"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "  - shell: cat /etc/passwd\n    why: w\n")
                .find("lesson.yaml:5:12: a shell step runs inside the tutorial directory"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "  - shell: cat ../x\n    why: w\n").find("outside"), std::string::npos);
  EXPECT_NE(ErrorOf(head + "  - takebackup: m\n    file: /tmp/x.tar\n    why: w\n")
                .find("outside the tutorial directory"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "  - start: m\n    sql: SELECT 1\n    why: w\n").find("has two kinds"),
            std::string::npos);
  EXPECT_NE(ErrorOf(head + "  - start: m\n    exercise: true\n    why: w\n")
                .find("is an exercise: it needs 'task:'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("title: T\nsummary: S\nservers: [{name: m, roles: boss}]\nsteps: []\n")
                .find("lesson.yaml:3:28: roles=boss: unknown role"),
            std::string::npos);
  EXPECT_NE(ErrorOf("title: T\nsummary: S\nservers: [{name: m, roles: master}, {name: m, roles: "
                    "slave}]\nsteps: [{note: x}]\n")
                .find("declared twice"),
            std::string::npos);
}

TEST(ScenarioParser, SplitStatements) {
  EXPECT_EQ(SplitStatements("a; b;\n c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitStatements("SELECT ';' -- x;y\n; SELECT `a;b`"),
            (std::vector<std::string>{"SELECT ';'", "SELECT `a;b`"}));
  EXPECT_EQ(SplitStatements("SELECT 'it\\'s;'; # c;\n"),
            (std::vector<std::string>{"SELECT 'it\\'s;'"}));
  EXPECT_TRUE(SplitStatements(" ; ;\n").empty());
}

// Every built-in scenario reads without an error.
TEST(ScenarioParser, BuiltinScenariosParse) {
  auto names = BuiltinNames();
  EXPECT_FALSE(names.empty());
  for (const auto& n : names) {
    ScenarioText t = LoadScenario(n);
    EXPECT_NO_THROW(Parse(t.text, t.source, t.name)) << n;
  }
}

}  // namespace
}  // namespace serveradm::scenario
