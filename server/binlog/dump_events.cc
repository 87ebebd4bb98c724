#include "binlog/dump_events.h"

#include "binlog/byte_order.h"
#include "binlog/event_codec.h"

namespace reptut::binlog {

std::string EncodeFakeRotate(const std::string& file, uint64_t pos, uint32_t server_id,
                             bool checksum) {
  EventHeader h;
  h.server_id = server_id;
  h.flags = kFlagArtificial;
  return EncodeEvent(h, RotateEvent{pos, file}, checksum);
}

std::string EncodeHeartbeat(const std::string& file, uint64_t pos, uint32_t server_id,
                            bool checksum) {
  EventHeader h;
  h.type = kHeartbeatEvent;
  h.server_id = server_id;
  h.end_log_pos = static_cast<uint32_t>(pos);
  return EncodeEvent(h, OtherEvent{file}, checksum);
}

std::string PrepareFormatDescriptionForDump(std::string fde, bool dump_starts_at_4) {
  if (fde.size() < kHeaderSize) return fde;
  uint16_t flags = bytes::Get16(fde.data() + kFlagsOffset);
  SetEventFlags(&fde, static_cast<uint16_t>(flags & ~kFlagBinlogInUse), true);
  if (!dump_starts_at_4) SetEndLogPos(&fde, 0, true);
  return fde;
}

}  // namespace reptut::binlog
