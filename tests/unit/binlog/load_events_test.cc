// The LOAD DATA events: Begin_load_query / Append_block / Execute_load_query
// bodies, their round trip through the codec, the replica's rewritten
// statement and the SHOW BINLOG EVENTS text.
#include <gtest/gtest.h>

#include "binlog/event_codec.h"
#include "binlog/event_info.h"
#include "binlog/load_events.h"
#include "binlog/statement_events.h"

namespace reptut::binlog {
namespace {

Event Through(const Event& e, bool checksum) {
  EventHeader h = e.header;
  h.server_id = 3;
  h.end_log_pos = 500;
  std::string bytes = EncodeEvent(h, e.body, checksum);
  DecodeContext ctx;
  ctx.has_checksum = checksum;
  auto back = DecodeEvent(bytes, ctx);
  EXPECT_TRUE(back.ok());
  return back.ok() ? *back : Event{};
}

TEST(LoadEvents, BlocksSplitAndRoundTrip) {
  std::string data(150, 'a');
  data[0] = '\0';
  std::vector<Event> events = MakeLoadBlockEvents(1700000000, 9, data, 64);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].header.type, kBeginLoadQueryEvent);
  EXPECT_EQ(events[1].header.type, kAppendBlockEvent);
  std::string joined;
  for (const Event& e : events) {
    Event back = Through(e, true);
    EXPECT_EQ(back.header.type, e.header.type);
    auto b = DecodeLoadBlock(back);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->file_id, 9u);
    joined += b->data;
  }
  EXPECT_EQ(joined, data);
  EXPECT_EQ(EventInfo(Through(events[2], false)), ";file_id=9;block_len=22");
  // An empty file is one empty Begin_load_query.
  std::vector<Event> empty = MakeLoadBlockEvents(1, 1, "");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(DecodeLoadBlock(empty[0])->data, "");
}

TEST(LoadEvents, ExecuteLoadQueryRoundTripAndRewrite) {
  SessionContext ctx;
  ctx.db = "test";
  ctx.thread_id = 42;
  std::string q = "LOAD DATA LOCAL INFILE '/tmp/x.txt' INTO TABLE t FIELDS TERMINATED BY ','";
  ExecuteLoadQuery x;
  x.query = std::get<QueryEvent>(MakeQueryEvent(ctx, 1700000000, q).body);
  x.file_id = 5;
  x.fn_pos_start = 9;  // after "LOAD DATA"
  x.fn_pos_end = static_cast<uint32_t>(q.find(" TABLE"));
  x.dup_handling = kLoadDupIgnore;
  Event e = MakeExecuteLoadQueryEvent(1700000000, x);
  EXPECT_EQ(e.header.type, kExecuteLoadQueryEvent);
  for (bool checksum : {false, true}) {
    Event back = Through(e, checksum);
    auto d = DecodeExecuteLoadQuery(back);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->file_id, 5u);
    EXPECT_EQ(d->fn_pos_start, 9u);
    EXPECT_EQ(d->fn_pos_end, x.fn_pos_end);
    EXPECT_EQ(d->dup_handling, kLoadDupIgnore);
    EXPECT_EQ(d->query.query, q);
    EXPECT_EQ(d->query.db, "test");
    EXPECT_EQ(d->query.thread_id, 42u);
    EXPECT_EQ(d->query.sql_mode, x.query.sql_mode);
    EXPECT_EQ(EventInfo(back), "use `test`; " + q + " ;file_id=5");
    EXPECT_EQ(RewriteLoadQuery(*d, "/data/SQL_LOAD-1-5.data"),
              "LOAD DATA INFILE '/data/SQL_LOAD-1-5.data' IGNORE INTO TABLE t FIELDS "
              "TERMINATED BY ','");
  }
  x.fn_pos_end = 1000;
  EXPECT_EQ(RewriteLoadQuery(x, "/f"), "");
  // Not a load event.
  EXPECT_FALSE(DecodeExecuteLoadQuery(MakeQueryEvent(ctx, 1, "x")).has_value());
  EXPECT_FALSE(DecodeLoadBlock(MakeQueryEvent(ctx, 1, "x")).has_value());
}

}  // namespace
}  // namespace reptut::binlog
