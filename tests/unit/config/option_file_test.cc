#include "config/option_file.h"

#include <gtest/gtest.h>

#include "test_files.h"

namespace reptut::config {
namespace {

using testing::TempDir;

class OptionFileTest : public ::testing::Test {
 protected:
  // Reads `text` written as dir/name, keeping the [mysqld] group.
  Result<std::vector<OptionEntry>> Read(const std::string& text, const std::string& name = "my.cnf",
                                        std::vector<std::string> groups = {"mysqld"}) {
    std::string path = dir_.Write(name, text);
    OptionFileReader reader(fs_, std::move(groups));
    std::vector<OptionEntry> out;
    Status st = reader.ReadFile(path, true, &out);
    warnings_ = reader.warnings();
    if (!st.ok()) return st.error();
    return out;
  }
  std::string Msg(const Result<std::vector<OptionEntry>>& r) {
    return r.ok() ? "(no error)" : r.error().message;
  }

  TempDir dir_;
  RealFileSystem fs_;
  std::vector<std::string> warnings_;
};

TEST_F(OptionFileTest, KeyValueForms) {
  auto r = Read("[mysqld]\nport=12000\nsocket = /tmp/master.sock\nskip-networking\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].name, "port");
  EXPECT_EQ((*r)[0].value, "12000");
  EXPECT_EQ((*r)[1].name, "socket");
  EXPECT_EQ((*r)[1].value, "/tmp/master.sock");
  EXPECT_EQ((*r)[2].name, "skip-networking");
  EXPECT_FALSE((*r)[2].value.has_value());
}

TEST_F(OptionFileTest, OriginIsFileAndLine) {
  auto r = Read("# head\n[mysqld]\n\nport=1\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].Origin(), dir_ / "my.cnf" + ":4");
  EXPECT_EQ((*r)[0].group, "mysqld");
}

TEST_F(OptionFileTest, OnlyWantedGroupsInFileOrder) {
  auto r = Read("[mysqld]\na=1\n[mysql]\nprompt=master> \nhost=localhost\n[server]\nb=2\n", "f.cnf",
                {"mysqld", "server"});
  ASSERT_TRUE(r.ok()) << Msg(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "a");
  EXPECT_EQ((*r)[1].name, "b");
  EXPECT_EQ((*r)[1].group, "server");
}

TEST_F(OptionFileTest, GroupNamesIgnoreCaseAndTrailingSpace) {
  auto r = Read("[MySQLd  ]\na=1\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ(r->size(), 1u);
}

TEST_F(OptionFileTest, FullLineComments) {
  auto r = Read("; first\n[mysqld]\n# a=1\n   ; b=2\n  # c\nd=4\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].name, "d");
}

TEST_F(OptionFileTest, TrailingHashComment) {
  auto r = Read("[mysqld]\nport=12000   # the port\nserver-id=7#x\nlog-bin # bare\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, "12000");
  EXPECT_EQ((*r)[1].value, "7");  // mysqld ends the value at any '#' outside quotes
  EXPECT_EQ((*r)[2].name, "log-bin");
  EXPECT_FALSE((*r)[2].value.has_value());
}

TEST_F(OptionFileTest, SemicolonInsideLineIsPartOfValue) {
  auto r = Read("[mysqld]\ninit-connect=SET a=1; SET b=2\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, "SET a=1; SET b=2");
}

TEST_F(OptionFileTest, QuotedValueKeepsHashAndSpaces) {
  auto r = Read("[mysqld]\nsocket=\" /tmp/a b#c \"   # comment\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, " /tmp/a b#c ");
}

TEST_F(OptionFileTest, SingleQuotes) {
  auto r = Read("[mysqld]\nsql-mode='ANSI_QUOTES'\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, "ANSI_QUOTES");
}

TEST_F(OptionFileTest, Escapes) {
  auto r = Read("[mysqld]\nx=\"a\\nb\\tc\\\\d\\se\\\"f\\'g\\qh\"\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, "a\nb\tc\\d e\"f'g\\qh");
}

TEST_F(OptionFileTest, EscapesOutsideQuotes) {
  auto r = Read("[mysqld]\nx=a\\sb\\\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, "a b\\");  // a final backslash stays
}

TEST_F(OptionFileTest, EmptyValue) {
  auto r = Read("[mysqld]\nsql_mode=\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, "");
}

TEST_F(OptionFileTest, CrLfLines) {
  auto r = Read("[mysqld]\r\nport = 3307\r\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ((*r)[0].value, "3307");
}

TEST_F(OptionFileTest, OptionWithoutPrecedingGroup) {
  auto r = Read("# comment\n\nport=3\n[mysqld]\n", "master.cnf");
  EXPECT_EQ(Msg(r), "Found option without preceding group in config file " + dir_ / "master.cnf" +
                        " at line 3");
}

TEST_F(OptionFileTest, WrongGroupDefinition) {
  auto r = Read("[mysqld]\nport=1\n[mysql\n");
  EXPECT_EQ(Msg(r), "Wrong group definition in config file " + dir_ / "my.cnf" + " at line 3");
}

TEST_F(OptionFileTest, UnterminatedQuote) {
  auto r = Read("[mysqld]\nsocket=\"/tmp/a.sock\n");
  EXPECT_EQ(Msg(r), "Unterminated quoted value in config file " + dir_ / "my.cnf" + " at line 2");
}

TEST_F(OptionFileTest, LineWithoutName) {
  auto r = Read("[mysqld]\n\n = 5\n");
  EXPECT_EQ(Msg(r), "Option without a name in config file " + dir_ / "my.cnf" + " at line 3");
}

TEST_F(OptionFileTest, ErrorsInUnwantedGroupsStillCount) {
  auto r = Read("[client]\nx=\"open\n");
  EXPECT_EQ(Msg(r), "Unterminated quoted value in config file " + dir_ / "my.cnf" + " at line 2");
}

TEST_F(OptionFileTest, MissingRequiredFile) {
  OptionFileReader reader(fs_, {"mysqld"});
  std::vector<OptionEntry> out;
  Status st = reader.ReadFile(dir_ / "nope.cnf", true, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "Could not open required defaults file: " + dir_ / "nope.cnf");
}

TEST_F(OptionFileTest, MissingOptionalFileReadsNothing) {
  OptionFileReader reader(fs_, {"mysqld"});
  std::vector<OptionEntry> out;
  EXPECT_TRUE(reader.ReadFile(dir_ / "nope.cnf", false, &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST_F(OptionFileTest, IncludeReadsFileInPlace) {
  std::string inc = dir_.Write("inc.cnf", "[mysqld]\nb=2\n");
  auto r = Read("[mysqld]\na=1\n!include " + inc + "\nc=3\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].name, "b");
  EXPECT_EQ((*r)[1].Origin(), inc + ":2");
  EXPECT_EQ((*r)[2].name, "c");  // back in the including file's group
}

TEST_F(OptionFileTest, IncludedFileNeedsItsOwnGroup) {
  std::string inc = dir_.Write("inc.cnf", "b=2\n");
  auto r = Read("[mysqld]\n!include " + inc + "\n");
  EXPECT_EQ(Msg(r), "Found option without preceding group in config file " + inc + " at line 1");
}

TEST_F(OptionFileTest, IncludeOfMissingFile) {
  auto r = Read("[mysqld]\n!include " + dir_ / "nope.cnf" + "\n", "master.cnf");
  EXPECT_EQ(Msg(r), "Could not open included file " + dir_ / "nope.cnf" + " in config file " +
                        dir_ / "master.cnf" + " at line 2");
}

TEST_F(OptionFileTest, IncludeWithoutArgument) {
  auto r = Read("[mysqld]\n!include   \n");
  EXPECT_EQ(Msg(r), "Wrong '!include' directive in config file " + dir_ / "my.cnf" + " at line 2");
}

TEST_F(OptionFileTest, UnknownDirective) {
  auto r = Read("[mysqld]\n!inclde /x\n");
  EXPECT_EQ(Msg(r), "Wrong '!inclde' directive in config file " + dir_ / "my.cnf" + " at line 2");
}

TEST_F(OptionFileTest, IncludeDirReadsCnfFilesInNameOrder) {
  dir_.Write("conf.d/20-b.cnf", "[mysqld]\nb=2\n");
  dir_.Write("conf.d/10-a.cnf", "[mysqld]\na=1\n");
  dir_.Write("conf.d/30-c.txt", "[mysqld]\nc=3\n");
  dir_.Write("conf.d/40-d.cnf.bak", "[mysqld]\nd=4\n");
  auto r = Read("[mysqld]\nfirst=0\n!includedir " + dir_ / "conf.d" + "\nlast=9\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].name, "first");
  EXPECT_EQ((*r)[1].name, "a");
  EXPECT_EQ((*r)[2].name, "b");
  EXPECT_EQ((*r)[3].name, "last");
}

TEST_F(OptionFileTest, IncludeDirWithTrailingSlash) {
  dir_.Write("conf.d/a.cnf", "[mysqld]\na=1\n");
  auto r = Read("[mysqld]\n!includedir " + dir_ / "conf.d/" + "\n");
  ASSERT_TRUE(r.ok()) << Msg(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].file, dir_ / "conf.d/a.cnf");
}

TEST_F(OptionFileTest, IncludeDirMissing) {
  auto r = Read("[mysqld]\n\n!includedir " + dir_ / "nodir" + "\n");
  EXPECT_EQ(Msg(r), "Can't read dir of '" + dir_ / "nodir" +
                        "' (Errcode: 2 \"No such file or directory\") in config file " +
                        dir_ / "my.cnf" + " at line 3");
}

TEST_F(OptionFileTest, IncludeRecursionStopsWithWarning) {
  std::string self = dir_ / "loop.cnf";
  auto r = Read("[mysqld]\na=1\n!include " + self + "\n", "loop.cnf");
  ASSERT_TRUE(r.ok()) << Msg(r);
  EXPECT_EQ(r->size(), 11u);  // the file itself and ten levels of inclusion
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("maximum include recursion level"), std::string::npos);
}

TEST_F(OptionFileTest, WorldWritableFileIsIgnored) {
  std::string path = dir_.Write("ww.cnf", "[mysqld]\na=1\n", 0666);
  OptionFileReader reader(fs_, {"mysqld"});
  std::vector<OptionEntry> out;
  ASSERT_TRUE(reader.ReadFile(path, true, &out).ok());
  EXPECT_TRUE(out.empty());
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0], "World-writable config file '" + path + "' is ignored");
}

TEST_F(OptionFileTest, ParseTextIsPure) {
  OptionFileReader reader(fs_, {"reptutd"});
  std::vector<OptionEntry> out;
  ASSERT_TRUE(reader.ParseText("[reptutd]\nsqlite-synchronous=FULL\n", "mem.cnf", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].Origin(), "mem.cnf:2");
  EXPECT_EQ(out[0].AsArgument(), "--sqlite-synchronous=FULL");
}

TEST_F(OptionFileTest, ReadOptionFileShorthand) {
  std::string path = dir_.Write("x.cnf", "[client]\nuser=a\n[mysql]\nuser=b\n");
  auto r = ReadOptionFile(fs_, path, {"client"});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].value, "a");
}

// A file system whose files exist but cannot be read (EACCES), as root
// cannot produce with chmod.
class UnreadableFileSystem : public FileSystem {
 public:
  FileRead ReadFile(const std::string& path) const override {
    FileRead r;
    r.found = true;
    if (path == "/x/main.cnf") {
      r.readable = true;
      r.contents = "[mysqld]\n\n!include /x/secret.cnf\n";
    } else {
      r.error_number = 13;
    }
    return r;
  }
  DirList ListDirectory(const std::string&) const override { return {}; }
};

TEST(UnreadableFileTest, UnreadableIncludeNamesTheIncludingLine) {
  UnreadableFileSystem fs;
  auto r = ReadOptionFile(fs, "/x/main.cnf", {"mysqld"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "Could not read config file /x/secret.cnf (Errcode: 13 \"Permission denied\") in "
            "config file /x/main.cnf at line 3");
}

TEST(UnreadableFileTest, UnreadableDefaultSearchFileIsAWarning) {
  UnreadableFileSystem fs;
  OptionFileReader reader(fs, {"mysqld"});
  std::vector<OptionEntry> out;
  ASSERT_TRUE(reader.ReadFile("/etc/my.cnf", false, &out).ok());
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0],
            "Could not read config file /etc/my.cnf (Errcode: 13 \"Permission denied\")");
}

TEST(CanonicalOptionNameTest, DashesBecomeUnderscores) {
  EXPECT_EQ(CanonicalOptionName("log-slave_updates"), "log_slave_updates");
  EXPECT_EQ(CanonicalOptionName("port"), "port");
}

}  // namespace
}  // namespace reptut::config
