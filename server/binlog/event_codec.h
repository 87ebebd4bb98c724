// The event codec: pure functions between bytes and Event structs. No I/O.
//
// Used by the writer (encode), SHOW BINLOG EVENTS and the dump thread
// (decode), and the replica, which receives events carrying the master's
// end_log_pos and rewrites it for its relay log (SetEndLogPos fixes the CRC).
//
// Checksums: in a CRC32 file every event ends with CRC32 of all its other
// bytes. The Format_description event of a 5.6.1+ writer always carries the
// algorithm byte and a CRC, even in a checksum-free file, and its CRC is
// computed with LOG_EVENT_BINLOG_IN_USE_F cleared, so that the flag can be
// cleared in place on close without rewriting the CRC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "binlog/events.h"
#include "common/errors.h"
#include "common/status.h"

namespace reptut::binlog {

// How an event's frame (header, length, checksum) can be wrong.
enum class FrameError {
  kNone,
  kTruncatedHeader,  // fewer than 19 bytes
  kLengthTooSmall,   // event_length < 19 (+ 4 with a checksum)
  kLengthTooLarge,   // event_length > kMaxEventSize
  kTruncatedEvent,   // fewer bytes than event_length
  kBadChecksum,      // stored CRC32 differs from the computed one
};
std::string_view FrameErrorName(FrameError e);

// What the decoder needs to know about the stream the bytes come from.
struct DecodeContext {
  bool has_checksum = true;     // the stream's FDE said CRC32 (FDEs decide for themselves)
  bool verify_checksum = true;  // compare the stored CRC with the computed one
};

// --- Header ---------------------------------------------------------------

// The header of the event at the start of `bytes` (needs 19 bytes).
Result<EventHeader> DecodeHeader(std::string_view bytes);

// Whether an event carries a trailing CRC: FDEs of 5.6.1+ writers always,
// others when the stream is checksummed.
bool EventHasChecksum(std::string_view event, bool stream_has_checksum);

// Checks the frame of the event at the start of `bytes`: header present,
// length sane and available, CRC right (when `ctx` asks). On kNone sets
// *length to event_length. Never reads past bytes.size().
FrameError CheckFrame(std::string_view bytes, const DecodeContext& ctx, uint32_t* length);

// --- Checksums --------------------------------------------------------------

// CRC32 of a whole event's bytes except its last 4 (the CRC field), with the
// in-use flag treated as clear for an FDE.
uint32_t ComputeEventChecksum(std::string_view event);
// Stores ComputeEventChecksum in the last 4 bytes.
void FixEventChecksum(std::string* event);
bool VerifyEventChecksum(std::string_view event);

// --- Rewriting (replica, writer) --------------------------------------------

// Rewrite header fields of an encoded event, fixing its CRC when it has one.
void SetEndLogPos(std::string* event, uint32_t end_log_pos, bool has_checksum);
void SetEventFlags(std::string* event, uint16_t flags, bool has_checksum);
void SetServerId(std::string* event, uint32_t server_id, bool has_checksum);

// --- Encoding -----------------------------------------------------------------

// Encodes one event. header.type is taken from the body (except for
// OtherEvent), event_length is computed; timestamp, server_id, end_log_pos
// and flags are written as given. With `checksum` a CRC32 is appended. An
// FDE always gets the algorithm byte (its checksum_alg) and a CRC.
std::string EncodeEvent(const EventHeader& header, const EventBody& body, bool checksum);
// The same, appended to *out; when *out is the bytes a file has from
// offset `file_offset` on, end_log_pos is set to where the event ends in
// that file (header.end_log_pos is ignored).
void EncodeEventTo(std::string* out, const EventHeader& header, const EventBody& body,
                   bool checksum, std::optional<uint64_t> file_offset = std::nullopt);

// The FDE Reptut writes at the head of each file.
FormatDescriptionEvent MakeFormatDescription(std::string_view server_version,
                                             uint32_t create_timestamp, bool checksum);

// --- Decoding -------------------------------------------------------------------

// Decodes the event at the start of `bytes` (its frame is checked first).
// Errors are ER_MASTER_FATAL_ERROR_READING_BINLOG with a precise message;
// *frame_error (optional) tells which frame check failed, kNone for a
// malformed body.
Result<Event> DecodeEvent(std::string_view bytes, const DecodeContext& ctx,
                          FrameError* frame_error = nullptr);

// "5.7.99-reptut-log" -> {5,7,99}; whether that writer puts the checksum
// algorithm into its FDE (MySQL >= 5.6.1, MariaDB >= 5.3).
bool ServerVersionHasChecksumAlg(std::string_view server_version);

}  // namespace reptut::binlog
