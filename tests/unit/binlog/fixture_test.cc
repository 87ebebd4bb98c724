// Decodes the binlogs MariaDB 10.11 wrote (tests/fixtures/mariadb-10.11, copied from the shared fixtures)
// and compares every event with what SHOW BINLOG EVENTS and mariadb-binlog
// said about them.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "binlog/binlog_reader.h"
#include "binlog/binlog_writer.h"
#include "binlog/event_info.h"
#include "test_util.h"

namespace reptut::binlog {
namespace {

const std::string kDir = std::string(REPTUT_FIXTURES_DIR) + "/mariadb-10.11/";

struct Row {
  std::string log, pos, type, server_id, end_pos, info;
};

std::vector<Row> ReadTsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);  // column names
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    while (f.size() < 6) f.emplace_back();
    rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return rows;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<ReadEvent> ReadAll(const std::string& path) {
  auto r = BinlogReader::Open(path);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  std::vector<ReadEvent> out;
  if (!r.ok()) return out;
  (*r)->Seek(kMagicSize);
  for (;;) {
    auto ev = (*r)->Next();
    EXPECT_TRUE(ev.ok()) << (ev.ok() ? "" : ev.error().message);
    if (!ev.ok() || !ev->has_value()) break;
    out.push_back(std::move(**ev));
  }
  return out;
}

void CompareWithTsv(const std::string& file, const std::string& tsv) {
  auto rows = ReadTsv(kDir + tsv);
  auto events = ReadAll(kDir + file);
  ASSERT_EQ(rows.size(), events.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const ReadEvent& e = events[i];
    SCOPED_TRACE("event at " + rows[i].pos);
    EXPECT_EQ(rows[i].pos, std::to_string(e.pos));
    EXPECT_EQ(rows[i].type, EventTypeName(e.event.header.type));
    EXPECT_EQ(rows[i].server_id, std::to_string(e.event.header.server_id));
    EXPECT_EQ(rows[i].end_pos, std::to_string(e.event.header.end_log_pos));
    EXPECT_EQ(rows[i].info, EventInfo(e.event, InfoStyle::kMariaDb));
    EXPECT_EQ(e.pos + e.event.header.event_length, e.event.header.end_log_pos);
    EXPECT_TRUE(e.event.checksum.has_value());
  }
}

TEST(BinlogFixture, File1MatchesShowBinlogEvents) {
  CompareWithTsv("mysql-bin.000001", "binlog_events_000001.tsv");
}

TEST(BinlogFixture, File2MatchesShowBinlogEvents) {
  CompareWithTsv("mysql-bin.000002", "binlog_events_000002.tsv");
}

TEST(BinlogFixture, File1FormatDescription) {
  auto r = BinlogReader::Open(kDir + "mysql-bin.000001");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->format().server_version, "10.11.19-MariaDB-0+deb12u1-log");
  EXPECT_EQ((*r)->format().checksum_alg, kChecksumCrc32);
  EXPECT_EQ((*r)->format().create_timestamp, 1795304550u);
  EXPECT_FALSE((*r)->in_use_flag());
  EXPECT_EQ((*r)->fde_end(), 256u);
}

TEST(BinlogFixture, InUseFlagWhileOpenClearedAfterShutdown) {
  auto open = BinlogReader::Open(kDir + "mysql-bin.000002");
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE((*open)->in_use_flag());
  auto closed = BinlogReader::Open(kDir + "mysql-bin.000002.after-shutdown");
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE((*closed)->in_use_flag());
  auto events = ReadAll(kDir + "mysql-bin.000002.after-shutdown");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().event.header.type, kStopEvent);
  EXPECT_EQ(events.back().pos, 557u);
  EXPECT_EQ(events.back().event.header.end_log_pos, 580u);
  EXPECT_EQ(EventTypeName(kStopEvent), "Stop");
  EXPECT_EQ(EventInfo(events.back().event), "");
}

// The Query, Intvar and User_var events agree with mariadb-binlog's text:
// each "# at P" header line and the statement lines that follow.
int CheckAgainstMariadbBinlogText(const std::string& file) {
  std::string text = ReadText(kDir + file + ".mariadb-binlog.txt");
  auto events = ReadAll(kDir + file);
  std::string last_db;
  uint64_t last_sql_mode = ~0ull;
  int checked = 0;
  for (const ReadEvent& e : events) {
    std::string at = "# at " + std::to_string(e.pos) + "\n";
    size_t p = text.find(at);
    EXPECT_NE(p, std::string::npos) << at;
    if (p == std::string::npos) continue;
    size_t next = text.find("# at ", p + at.size());
    std::string block = text.substr(p, next == std::string::npos ? std::string::npos : next - p);
    if (const auto* q = std::get_if<QueryEvent>(&e.event.body)) {
      EXPECT_NE(block.find("thread_id=" + std::to_string(q->thread_id) + "\t"), std::string::npos);
      EXPECT_NE(block.find("exec_time=" + std::to_string(q->exec_time) + "\t"), std::string::npos);
      EXPECT_NE(block.find("error_code=" + std::to_string(q->error_code)), std::string::npos);
      EXPECT_NE(block.find("SET TIMESTAMP=" + std::to_string(e.event.header.timestamp) + "/*!*/;"),
                std::string::npos);
      EXPECT_NE(block.find("\n" + q->query + "\n"), std::string::npos) << q->query;
      if (!q->db.empty() && q->db != last_db && !(e.event.header.flags & kFlagSuppressUse)) {
        EXPECT_NE(block.find("use `" + q->db + "`/*!*/;"), std::string::npos) << block;
        last_db = q->db;
      }
      if (q->mariadb_xid) {
        EXPECT_NE(block.find("xid=" + std::to_string(*q->mariadb_xid)), std::string::npos);
      }
      EXPECT_TRUE(q->sql_mode.has_value());
      if (!q->sql_mode) continue;
      if (*q->sql_mode != last_sql_mode) {  // printed only when it changes
        EXPECT_NE(block.find("sql_mode=" + std::to_string(*q->sql_mode)), std::string::npos);
        last_sql_mode = *q->sql_mode;
      }
      ++checked;
    } else if (const auto* iv = std::get_if<IntvarEvent>(&e.event.body)) {
      EXPECT_NE(block.find("SET INSERT_ID=" + std::to_string(iv->value) + "/*!*/;"),
                std::string::npos);
      ++checked;
    } else if (const auto* uv = std::get_if<UserVarEvent>(&e.event.body)) {
      EXPECT_EQ(uv->name, "name");
      EXPECT_EQ(uv->value, "four");
      EXPECT_EQ(uv->charset, 33u);
      EXPECT_NE(block.find("SET @`name`:=_utf8mb3 X'666F7572' COLLATE `utf8mb3_general_ci`"),
                std::string::npos);
      ++checked;
    }
  }
  return checked;
}

TEST(BinlogFixture, File1AgreesWithMariadbBinlogText) {
  EXPECT_EQ(CheckAgainstMariadbBinlogText("mysql-bin.000001"), 13);
}

TEST(BinlogFixture, File2AgreesWithMariadbBinlogText) {
  EXPECT_EQ(CheckAgainstMariadbBinlogText("mysql-bin.000002"), 1);
  EXPECT_EQ(CheckAgainstMariadbBinlogText("mysql-bin.000002.after-shutdown"), 1);
}

TEST(BinlogFixture, FirstQueryStatusVariables) {
  auto events = ReadAll(kDir + "mysql-bin.000001");
  ASSERT_GT(events.size(), 4u);
  const auto* q = std::get_if<QueryEvent>(&events[4].event.body);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->query, "CREATE DATABASE fx");
  EXPECT_EQ(q->thread_id, 6u);
  EXPECT_EQ(events[4].event.header.timestamp, 1795304550u);
  ASSERT_TRUE(q->charset.has_value());
  EXPECT_EQ(q->charset->client, 33);
  EXPECT_EQ(q->charset->connection, 33);
  EXPECT_EQ(q->charset->server, 8);
  ASSERT_TRUE(q->sql_mode.has_value());
  EXPECT_EQ(*q->sql_mode, 1411383296u);
  ASSERT_TRUE(q->catalog.has_value());
  EXPECT_EQ(*q->catalog, "std");
}

// MariaDB's in-use copy of mysql-bin.000002 looks like a crash to our
// writer: it scans the Gtid/Query/Xid group, keeps it, clears the flag and
// carries on with mysql-bin.000003.
TEST(BinlogFixture, RecoversMariadbInUseFile) {
  testing::ScratchDir dir;
  testing::WriteFile(dir / "mysql-bin.000001", testing::ReadFile(kDir + "mysql-bin.000001"));
  testing::WriteFile(dir / "mysql-bin.000002", testing::ReadFile(kDir + "mysql-bin.000002"));
  testing::WriteFile(dir / "mysql-bin.index", testing::ReadFile(kDir + "mysql-bin.index"));
  BinlogOptions o;
  o.datadir = dir.path();
  o.log_bin = "mysql-bin";
  o.server_id = 1;
  OpenReport report;
  auto w = BinlogWriter::Open(o, &report);
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(report.recovery.has_value());
  EXPECT_EQ(report.notes.front(), "Recovering after a crash using ./mysql-bin.000002");
  ASSERT_EQ(report.recovery->groups.size(), 1u);
  EXPECT_EQ(report.recovery->groups[0].start, 385u);
  EXPECT_EQ(report.recovery->groups[0].end, 557u);
  EXPECT_EQ(report.recovery->groups[0].xid, std::optional<uint64_t>(23));
  EXPECT_EQ(report.recovery_kept, 557u);
  auto r = BinlogReader::Open(dir / "mysql-bin.000002");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)->in_use_flag());
  EXPECT_EQ((*w)->Position().file, "mysql-bin.000003");
  EXPECT_EQ(testing::ReadFile(dir / "mysql-bin.index"),
            "./mysql-bin.000001\n./mysql-bin.000002\n./mysql-bin.000003\n");
}

}  // namespace
}  // namespace reptut::binlog
