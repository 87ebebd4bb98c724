#include "binlog/load_events.h"

#include <algorithm>
#include <variant>

#include "binlog/event_codec.h"
#include "common/sql_text.h"

namespace reptut::binlog {
namespace {

void Put32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint32_t Get32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

Event BlockEvent(uint8_t type, uint32_t timestamp, uint32_t file_id, std::string data) {
  Event e;
  e.header.timestamp = timestamp;
  e.header.type = type;
  std::string body;
  body.reserve(4 + data.size());
  Put32(&body, file_id);
  body += data;
  e.body = OtherEvent{std::move(body)};
  return e;
}

const std::string* OtherBody(const Event& e, uint8_t type) {
  if (e.header.type != type) return nullptr;
  const auto* o = std::get_if<OtherEvent>(&e.body);
  return o ? &o->body : nullptr;
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

constexpr size_t kExtraPostHeader = 13;  // file_id, fn_pos_start, fn_pos_end, dup_handling

}  // namespace

Event MakeBeginLoadQueryEvent(uint32_t timestamp, uint32_t file_id, std::string data) {
  return BlockEvent(kBeginLoadQueryEvent, timestamp, file_id, std::move(data));
}

Event MakeAppendBlockEvent(uint32_t timestamp, uint32_t file_id, std::string data) {
  return BlockEvent(kAppendBlockEvent, timestamp, file_id, std::move(data));
}

std::vector<Event> MakeLoadBlockEvents(uint32_t timestamp, uint32_t file_id, std::string_view data,
                                       size_t block_size) {
  std::vector<Event> out;
  if (block_size == 0) block_size = kLoadBlockSize;
  size_t at = 0;
  do {
    size_t n = std::min(block_size, data.size() - at);
    std::string block(data.substr(at, n));
    out.push_back(out.empty() ? MakeBeginLoadQueryEvent(timestamp, file_id, std::move(block))
                              : MakeAppendBlockEvent(timestamp, file_id, std::move(block)));
    at += n;
  } while (at < data.size());
  return out;
}

Event MakeExecuteLoadQueryEvent(uint32_t timestamp, const ExecuteLoadQuery& x) {
  // The Query event's body, with the 13 bytes inserted after its post-header.
  EventHeader h;
  h.timestamp = timestamp;
  std::string bytes = EncodeEvent(h, x.query, /*checksum=*/false);
  std::string body = bytes.substr(kHeaderSize);
  std::string extra;
  Put32(&extra, x.file_id);
  Put32(&extra, x.fn_pos_start);
  Put32(&extra, x.fn_pos_end);
  extra.push_back(static_cast<char>(x.dup_handling));
  body.insert(kQueryPostHeaderSize, extra);
  Event e;
  e.header.timestamp = timestamp;
  e.header.type = kExecuteLoadQueryEvent;
  e.body = OtherEvent{std::move(body)};
  return e;
}

std::optional<LoadBlock> DecodeLoadBlock(const Event& e) {
  const std::string* body = OtherBody(e, e.header.type);
  if (!body || (e.header.type != kBeginLoadQueryEvent && e.header.type != kAppendBlockEvent) ||
      body->size() < 4) {
    return std::nullopt;
  }
  LoadBlock b;
  b.file_id = Get32(*body, 0);
  b.data = body->substr(4);
  return b;
}

std::optional<ExecuteLoadQuery> DecodeExecuteLoadQuery(const Event& e) {
  const std::string* body = OtherBody(e, kExecuteLoadQueryEvent);
  if (!body || body->size() < kQueryPostHeaderSize + kExtraPostHeader) return std::nullopt;
  ExecuteLoadQuery x;
  x.file_id = Get32(*body, kQueryPostHeaderSize);
  x.fn_pos_start = Get32(*body, kQueryPostHeaderSize + 4);
  x.fn_pos_end = Get32(*body, kQueryPostHeaderSize + 8);
  x.dup_handling = static_cast<uint8_t>((*body)[kQueryPostHeaderSize + 12]);
  // Decoded as the Query event it is without the 13 bytes.
  std::string query_body =
      body->substr(0, kQueryPostHeaderSize) + body->substr(kQueryPostHeaderSize + kExtraPostHeader);
  std::string bytes;
  uint32_t length = static_cast<uint32_t>(kHeaderSize + query_body.size());
  Put32(&bytes, e.header.timestamp);
  bytes.push_back(static_cast<char>(kQueryEvent));
  Put32(&bytes, e.header.server_id);
  Put32(&bytes, length);
  Put32(&bytes, e.header.end_log_pos);
  bytes.push_back(static_cast<char>(e.header.flags & 0xff));
  bytes.push_back(static_cast<char>(e.header.flags >> 8));
  bytes += query_body;
  DecodeContext ctx;
  ctx.has_checksum = false;
  ctx.verify_checksum = false;
  Result<Event> decoded = DecodeEvent(bytes, ctx);
  if (!decoded.ok()) return std::nullopt;
  const auto* q = std::get_if<QueryEvent>(&decoded->body);
  if (!q) return std::nullopt;
  x.query = *q;
  return x;
}

std::string RewriteLoadQuery(const ExecuteLoadQuery& e, std::string_view path) {
  const std::string& q = e.query.query;
  if (e.fn_pos_start > e.fn_pos_end || e.fn_pos_end > q.size()) return "";
  std::string out = q.substr(0, e.fn_pos_start);
  out += " INFILE " + QuoteMysqlString(path);
  if (e.dup_handling == kLoadDupIgnore) {
    out += " IGNORE";
  } else if (e.dup_handling == kLoadDupReplace) {
    out += " REPLACE";
  }
  out += " INTO";
  out += q.substr(e.fn_pos_end);
  return out;
}

std::string LoadEventInfo(const Event& e) {
  if (e.header.type == kBeginLoadQueryEvent || e.header.type == kAppendBlockEvent) {
    std::optional<LoadBlock> b = DecodeLoadBlock(e);
    if (!b) return "";
    return ";file_id=" + std::to_string(b->file_id) +
           ";block_len=" + std::to_string(b->data.size());
  }
  if (e.header.type == kExecuteLoadQueryEvent) {
    std::optional<ExecuteLoadQuery> x = DecodeExecuteLoadQuery(e);
    if (!x) return "";
    std::string out;
    if (!(e.header.flags & kFlagSuppressUse) && !x->query.db.empty()) {
      out = "use " + QuoteIdent(x->query.db) + "; ";
    }
    return out + x->query.query + " ;file_id=" + std::to_string(x->file_id);
  }
  return "";
}

}  // namespace reptut::binlog
