// Checking query outcomes against expectations, and the JSON report.
#include <gtest/gtest.h>

#include "scenario/expect.h"
#include "scenario/report.h"

namespace serveradm::scenario {
namespace {

Rows Table() {
  Rows r;
  r.columns = {"File", "Position", "Note"};
  r.rows = {{"master-bin.000001", "357", std::nullopt}, {"x", "1", "y"}};
  return r;
}

Matcher M(Matcher::Op op, std::string v) {
  return Matcher{op, std::move(v)};
}

TEST(ScenarioExpect, Expand) {
  EXPECT_EQ(Expand("a ${x} b ${y}", {{"x", "1"}, {"y", "2"}}), "a 1 b 2");
  EXPECT_EQ(Expand("no vars", {}), "no vars");
  EXPECT_THROW(Expand("${missing}", {}), std::out_of_range);
}

TEST(ScenarioExpect, Matchers) {
  std::map<std::string, std::string> v = {{"p", "357"}};
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kEquals, "${p}"), "357", v));
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kEquals, "1"), "1.0", v));
  EXPECT_FALSE(MatchValue(M(Matcher::Op::kEquals, "Yes"), "No", v));
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kContains, "Dup"), "Duplicate entry", v));
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kMatches, "^bin\\.[0-9]+$"), "bin.000002", v));
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kNot, "0"), "5", v));
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kNot, "0"), std::nullopt, v));
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kAtLeast, "${p}"), "400", v));
  EXPECT_FALSE(MatchValue(M(Matcher::Op::kAtMost, "10"), "11", v));
  EXPECT_FALSE(MatchValue(M(Matcher::Op::kAtLeast, "1"), "abc", v));
  EXPECT_TRUE(MatchValue(M(Matcher::Op::kIsNull, ""), std::nullopt, v));
  EXPECT_FALSE(MatchValue(M(Matcher::Op::kEquals, "x"), std::nullopt, v));
}

TEST(ScenarioExpect, RowsCountFieldsValue) {
  Expected<Rows> t = Table();
  Expectation e;
  e.count = 2;
  e.value = M(Matcher::Op::kContains, "bin");
  e.fields = {{"Position", M(Matcher::Op::kEquals, "357")}, {"Note", M(Matcher::Op::kIsNull, "")}};
  e.rows = std::vector<std::vector<std::optional<std::string>>>{
      {"master-bin.000001", "357", std::nullopt}, {"x", "1", "y"}};
  EXPECT_TRUE(Evaluate(e, t, {}).ok);

  Expectation wrong;
  wrong.fields = {{"Position", M(Matcher::Op::kEquals, "400")}};
  Verdict v = Evaluate(wrong, t, {});
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.expected, "Position = '400'");
  EXPECT_EQ(v.seen, "Position = '357'");

  Expectation missing;
  missing.fields = {{"Nope", M(Matcher::Op::kEquals, "1")}};
  v = Evaluate(missing, t, {});
  EXPECT_EQ(v.expected, "a column named Nope");
  EXPECT_EQ(v.seen, "columns File, Position, Note");

  Expectation count;
  count.count = 3;
  v = Evaluate(count, t, {});
  EXPECT_EQ(v.expected, "3 row(s)");
  EXPECT_NE(v.seen.find("2 row(s): [['master-bin.000001', '357', NULL]"), std::string::npos);
}

TEST(ScenarioExpect, Errors) {
  Expected<Rows> err = SqlError{1062, "Duplicate entry '1' for key 'PRIMARY'"};
  Expectation e;
  e.error = 1062;
  EXPECT_TRUE(Evaluate(e, err, {}).ok);
  e.error = 1146;
  Verdict v = Evaluate(e, err, {});
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.expected, "error 1146");
  EXPECT_EQ(v.seen, "error 1062: Duplicate entry '1' for key 'PRIMARY'");

  Expectation rows;
  rows.count = 1;
  v = Evaluate(rows, err, {});
  EXPECT_EQ(v.expected, "the query to succeed");

  Expected<Rows> ok = Table();
  v = Evaluate(e, ok, {});
  EXPECT_NE(v.seen.find("no error"), std::string::npos);
}

TEST(ScenarioReport, JsonEscapesAndShape) {
  Report r;
  r.name = "n";
  r.title = "quote \" and \\ and\nnewline";
  r.flavor = "bundled";
  r.passed = false;
  r.outcome = "failed at step 1";
  StepResult s;
  s.index = 1;
  s.kind = "expect";
  s.label = "expect on m";
  s.status = Status::kFailed;
  s.expected = "a";
  s.seen = "b\x01";
  s.error_logs = {{"m", "line1\nline2"}};
  r.steps.push_back(s);
  std::string j = ToJson(r);
  EXPECT_NE(j.find("\"title\": \"quote \\\" and \\\\ and\\nnewline\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"seen\": \"b\\u0001\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"error_logs\": {\"m\": \"line1\\nline2\"}"), std::string::npos) << j;
  EXPECT_NE(j.find("\"directory\": null"), std::string::npos) << j;
  EXPECT_EQ(StepLine(s, 12).substr(0, 14), " 1/12 FAIL   0");
}

}  // namespace
}  // namespace serveradm::scenario
