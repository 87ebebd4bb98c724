// libFuzzer target: the event codec and the SHOW BINLOG EVENTS text over
// arbitrary bytes, as a binlog stream (magic optional) would deliver them.
// Must never crash, hang, or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "binlog/event_codec.h"
#include "binlog/event_format.h"
#include "binlog/event_info.h"

using namespace reptut::binlog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.size() >= kMagicSize && in.substr(0, kMagicSize) == std::string_view(kMagic, kMagicSize)) {
    in.remove_prefix(kMagicSize);
  }
  // The first byte picks the decode context so both stream kinds are covered.
  DecodeContext ctx;
  if (!in.empty()) {
    ctx.has_checksum = in[0] & 1;
    ctx.verify_checksum = in[0] & 2;
    in.remove_prefix(1);
  }
  for (int guard = 0; guard < 10000 && !in.empty(); ++guard) {
    FrameError fe = FrameError::kNone;
    auto ev = DecodeEvent(in, ctx, &fe);
    if (!ev.ok()) {
      if (fe == FrameError::kNone) {
        // Body malformed but frame fine: skip by length like a reader would.
        uint32_t len = 0;
        DecodeContext loose = ctx;
        loose.verify_checksum = false;
        if (CheckFrame(in, loose, &len) != FrameError::kNone || len == 0) break;
        in.remove_prefix(len);
        continue;
      }
      break;
    }
    (void)EventTypeName(ev->header.type);
    (void)EventInfo(*ev, InfoStyle::kMysql57);
    (void)EventInfo(*ev, InfoStyle::kMariaDb);
    if (auto* fde = std::get_if<FormatDescriptionEvent>(&ev->body)) {
      ctx.has_checksum = fde->checksum_alg == kChecksumCrc32;
    }
    // Re-encoding a decoded event must decode again.
    std::string again = EncodeEvent(ev->header, ev->body, ctx.has_checksum);
    DecodeContext strict;
    strict.has_checksum = ctx.has_checksum;
    (void)DecodeEvent(again, strict);
    std::string copy(in.substr(0, ev->header.event_length));
    SetEndLogPos(&copy, 12345, ctx.has_checksum);
    in.remove_prefix(ev->header.event_length);
  }
  return 0;
}
