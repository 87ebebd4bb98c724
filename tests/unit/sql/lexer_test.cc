#include "sql/lexer.h"

#include <gtest/gtest.h>

namespace reptut::sql {
namespace {

std::vector<Token> Lex(std::string_view s) {
  auto r = Tokenize(s);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::vector<Token>{};
}

TEST(Lexer, IdentifiersAndKeywords) {
  auto t = Lex("select `a``b`, c FROM t1");
  ASSERT_EQ(t.size(), 7u);
  EXPECT_TRUE(t[0].Is("SELECT"));
  EXPECT_EQ(t[1].kind, TokenKind::kQuotedIdent);
  EXPECT_EQ(t[1].text, "a`b");
  EXPECT_TRUE(t[2].IsOp(","));
  EXPECT_EQ(t[6].kind, TokenKind::kEnd);
}

TEST(Lexer, Offsets) {
  auto t = Lex("SELECT\n  abc");
  EXPECT_EQ(t[1].offset, 9u);
  EXPECT_EQ(t[1].line, 2u);
  EXPECT_EQ(t[1].length, 3u);
}

TEST(Lexer, Numbers) {
  auto t = Lex("1 1.5 .5 1e10 2.5E-3 0x41 X'4142' 0b101 b'11' 123abc");
  EXPECT_EQ(t[0].kind, TokenKind::kInteger);
  EXPECT_EQ(t[1].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[2].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[3].kind, TokenKind::kFloat);
  EXPECT_EQ(t[4].kind, TokenKind::kFloat);
  EXPECT_EQ(t[5].kind, TokenKind::kHexString);
  EXPECT_EQ(t[5].text, "A");
  EXPECT_EQ(t[6].text, "AB");
  EXPECT_EQ(t[7].kind, TokenKind::kBitString);
  EXPECT_EQ(t[7].text, std::string(1, '\x05'));
  EXPECT_EQ(t[8].text, std::string(1, '\x03'));
  EXPECT_EQ(t[9].kind, TokenKind::kIdent);
}

TEST(Lexer, StringEscapes) {
  auto t = Lex(R"('a\nb\'c''d\\e\%', "x""y")");
  EXPECT_EQ(t[0].kind, TokenKind::kString);
  EXPECT_EQ(t[0].text, "a\nb'c'd\\e\\%");
  EXPECT_EQ(t[2].text, "x\"y");
  EXPECT_TRUE(t[2].double_quoted);
}

TEST(Lexer, AdjacentStringsConcatenate) {
  auto t = Lex("'a' 'b'");
  EXPECT_EQ(t[0].text, "ab");
  EXPECT_EQ(t[1].kind, TokenKind::kEnd);
}

TEST(Lexer, Introducers) {
  auto t = Lex("_latin1 'x' _utf8mb3 X'666F7572' N'z' _binary 0x41");
  EXPECT_EQ(t[0].charset, "latin1");
  EXPECT_EQ(t[1].kind, TokenKind::kHexString);
  EXPECT_EQ(t[1].text, "four");
  EXPECT_EQ(t[1].charset, "utf8mb3");
  EXPECT_EQ(t[2].charset, "utf8");
  EXPECT_EQ(t[3].charset, "binary");
}

TEST(Lexer, Variables) {
  auto t = Lex("@a @'b c' @`d` @@x @@global.y @@SESSION.z @@local.w @e.f");
  EXPECT_EQ(t[0].kind, TokenKind::kUserVar);
  EXPECT_EQ(t[0].text, "a");
  EXPECT_EQ(t[1].text, "b c");
  EXPECT_EQ(t[2].text, "d");
  EXPECT_EQ(t[3].kind, TokenKind::kSysVar);
  EXPECT_EQ(t[3].sysvar_scope, SysVarScope::kNone);
  EXPECT_EQ(t[4].sysvar_scope, SysVarScope::kGlobal);
  EXPECT_EQ(t[4].text, "y");
  EXPECT_EQ(t[5].sysvar_scope, SysVarScope::kSession);
  EXPECT_EQ(t[6].sysvar_scope, SysVarScope::kLocal);
  EXPECT_EQ(t[7].text, "e.f");
}

TEST(Lexer, Operators) {
  auto t = Lex("<=> := || && ! -> <> != <= >= << >>");
  std::vector<std::string> ops;
  for (auto& x : t)
    if (x.kind == TokenKind::kOperator) ops.push_back(x.text);
  EXPECT_EQ(ops, (std::vector<std::string>{"<=>", ":=", "||", "&&", "!", "->", "<>",
                                           "!=", "<=", ">=", "<<", ">>"}));
}

TEST(Lexer, Comments) {
  auto t = Lex("a -- comment\n b # other\n c /* block */ d --x");
  EXPECT_TRUE(t[0].Is("a"));
  EXPECT_TRUE(t[1].Is("b"));
  EXPECT_TRUE(t[2].Is("c"));
  EXPECT_TRUE(t[3].Is("d"));
  EXPECT_TRUE(t[4].IsOp("-"));
  EXPECT_TRUE(t[5].IsOp("-"));
}

TEST(Lexer, VersionedCommentIncluded) {
  auto t = Lex("/*!40019 SET @@session.max_insert_delayed_threads=0*/");
  EXPECT_TRUE(t[0].Is("SET"));
  EXPECT_EQ(t[1].kind, TokenKind::kSysVar);
  EXPECT_EQ(t.back().kind, TokenKind::kEnd);
  EXPECT_EQ(t.size(), 5u);
}

TEST(Lexer, VersionedCommentSkippedWhenNewer) {
  auto t = Lex("SELECT 1 /*!80000 + 2 */");
  EXPECT_EQ(t.size(), 3u);
  auto m = Lex("/*M!100101 SET @@session.skip_parallel_replication=0*/");
  EXPECT_EQ(m.size(), 1u);
}

TEST(Lexer, VersionlessVersionedComment) {
  auto t = Lex("CREATE TABLE t (a int) /*! ENGINE = innodb */");
  EXPECT_TRUE(t[t.size() - 4].Is("ENGINE"));
}

TEST(Lexer, UnterminatedString) {
  auto r = Tokenize("SELECT 'abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 1064);
  EXPECT_NE(r.error().message.find("near ''abc' at line 1"), std::string::npos);
}

TEST(Lexer, UnterminatedCommentRunsToEnd) {
  auto t = Lex("SELECT 1 /* abc");
  EXPECT_EQ(t.size(), 3u);
}

TEST(Lexer, UnterminatedQuotedIdentifier) {
  auto r = Tokenize("SELECT `abc");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("near '`abc' at line 1"), std::string::npos);
}

TEST(Lexer, SplitStatements) {
  auto p = SplitStatements("SELECT 1; SELECT ';' ; -- x;\nSELECT 2;;  ");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], "SELECT 1");
  EXPECT_EQ(p[1], "SELECT ';'");
  EXPECT_EQ(p[2], "-- x;\nSELECT 2");
}

TEST(Lexer, NearTextLimit) {
  std::string s(200, 'x');
  EXPECT_EQ(NearText(s, 10).size(), 80u);
  EXPECT_EQ(NearText("abc", 5), "");
}

}  // namespace
}  // namespace reptut::sql
