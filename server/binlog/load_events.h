// The events of a statement-logged LOAD DATA, as MySQL 5.0.3+ writes them:
//
//   Begin_load_query (17): file_id(4) + the first block of the file's data
//   Append_block      (9): file_id(4) + the next block (one per block)
//   Execute_load_query (18): a Query event whose post-header has 13 more
//       bytes: file_id(4) fn_pos_start(4) fn_pos_end(4) dup_handling(1).
//       [fn_pos_start, fn_pos_end) of the query is " [LOCAL] INFILE 'name'
//       [REPLACE|IGNORE] INTO": an applier replaces it with " INFILE
//       '<its copy of the data>' [REPLACE|IGNORE] INTO".
//
// They travel as OtherEvent bodies (header.type 17 / 9 / 18), so the event
// variant and every visitor stay as they are; these functions build and
// read those bodies. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/events.h"

namespace reptut::binlog {

// dup_handling of Execute_load_query.
enum LoadDupHandling : uint8_t {
  kLoadDupError = 0,
  kLoadDupIgnore = 1,
  kLoadDupReplace = 2,
};

// The largest block MySQL puts in one event (its IO_SIZE * 16 = 64 KiB
// read buffer; any size decodes).
inline constexpr size_t kLoadBlockSize = 65536;

struct LoadBlock {  // Begin_load_query / Append_block
  uint32_t file_id = 0;
  std::string data;
};

struct ExecuteLoadQuery {
  QueryEvent query;  // thread id, db, status variables, the statement text
  uint32_t file_id = 0;
  uint32_t fn_pos_start = 0;
  uint32_t fn_pos_end = 0;
  uint8_t dup_handling = kLoadDupError;
};

// Events ready for BinlogWriter::Append (end_log_pos set by the writer).
Event MakeBeginLoadQueryEvent(uint32_t timestamp, uint32_t file_id, std::string data);
Event MakeAppendBlockEvent(uint32_t timestamp, uint32_t file_id, std::string data);
Event MakeExecuteLoadQueryEvent(uint32_t timestamp, const ExecuteLoadQuery& e);

// Splits a file's contents into Begin_load_query + Append_block events
// (one Begin_load_query, even for an empty file).
std::vector<Event> MakeLoadBlockEvents(uint32_t timestamp, uint32_t file_id, std::string_view data,
                                       size_t block_size = kLoadBlockSize);

// Reading: nullopt when `e` is not that type or its body is malformed.
std::optional<LoadBlock> DecodeLoadBlock(const Event& e);  // types 17 and 9
std::optional<ExecuteLoadQuery> DecodeExecuteLoadQuery(const Event& e);

// The statement an applier runs for Execute_load_query: the query with
// [fn_pos_start, fn_pos_end) replaced by " INFILE '<path>' [IGNORE|REPLACE]
// INTO" (path quoted as a MySQL string). Empty when the positions are
// outside the query.
std::string RewriteLoadQuery(const ExecuteLoadQuery& e, std::string_view path);

// SHOW BINLOG EVENTS' Info: ";file_id=N;block_len=M" for the blocks, "use
// `db`; <query> ;file_id=N" for Execute_load_query; "" otherwise.
std::string LoadEventInfo(const Event& e);

}  // namespace reptut::binlog
