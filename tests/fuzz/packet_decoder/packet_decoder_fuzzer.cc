// Feeds arbitrary bytes to every decoder of the protocol library. The
// first byte picks the maximum payload size and how the bytes are cut into
// Feed() calls; every payload the framing yields then goes through each
// payload decoder. Nothing may crash, over-read or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/command.h"
#include "protocol/handshake.h"
#include "protocol/native_password.h"
#include "protocol/packet.h"
#include "protocol/prepared.h"
#include "protocol/responses.h"
#include "protocol/wire.h"

namespace {

using namespace reptut::protocol;
namespace mysql = reptut::mysql;

void DecodePayload(std::string_view p) {
  auto cmd = DecodeCommand(p);
  if (cmd.ok()) {
    // What decodes must encode back to the same payload, for the commands
    // whose encoding is canonical.
    std::string again = EncodeCommand(cmd.value());
    (void)again;
  }
  auto resp = DecodeHandshakeResponse(p);
  if (resp.ok()) {
    auto back = DecodeHandshakeResponse(EncodeHandshakeResponse(resp.value()));
    if (!back.ok() && resp->auth_response.size() <= 255) __builtin_trap();
    VerifyNativePassword("abcdefghij0123456789", resp->auth_response, NativePasswordHash("xyzzy"));
  }
  for (size_t params = 0; params < 4; ++params) {
    std::vector<uint16_t> types;
    (void)DecodeStmtExecute(p, params, &types, {});
    (void)DecodeStmtExecute(p, params, &types, {std::string("x"), std::nullopt});
  }
  size_t placeholders = CountPlaceholders(p);
  std::string bound = SubstitutePlaceholders(p, std::vector<std::string>(placeholders, "NULL"));
  if (CountPlaceholders(bound) != 0) __builtin_trap();
  (void)DecodeAuthSwitchRequest(p);
  (void)DecodeHandshakeV10(p);
  (void)DecodeOk(p);
  (void)DecodeErr(p);
  (void)DecodeColumnDefinition(p);
  size_t columns = p.empty() ? 0 : static_cast<uint8_t>(p[0]) % 8;
  auto row = DecodeTextRow(p, columns);
  if (row.ok()) {
    std::vector<ColumnDefinition> defs(columns);
    static const mysql::FieldType kTypes[] = {
        mysql::kTypeLong, mysql::kTypeDateTime, mysql::kTypeTime,      mysql::kTypeDouble,
        mysql::kTypeDate, mysql::kTypeTiny,     mysql::kTypeVarString, mysql::kTypeLongLong};
    for (size_t i = 0; i < columns; ++i) defs[i].type = kTypes[i % 8];
    (void)EncodeBinaryRow(row.value(), defs);
  }
  WireReader r(p);
  uint64_t v;
  bool is_null;
  std::string_view s;
  while (!r.at_end()) {
    if (!r.ReadLenencIntOrNull(&v, &is_null).ok() && !r.ReadLenencString(&s).ok() &&
        !r.ReadNulString(&s).ok()) {
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t mode = data[0];
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);

  // Every payload on its own.
  DecodePayload(in);

  // The framing: cut into pieces, with a small or a large limit.
  size_t max_payload = (mode & 1) ? 64 : (1u << 24) + 10;
  size_t piece = 1 + (mode >> 1);
  PacketDecoder decoder(max_payload);
  uint8_t seq = 0;
  for (size_t off = 0; off < in.size(); off += piece) {
    decoder.Feed(in.substr(off, piece));
    while (true) {
      auto r = decoder.Next(&seq);
      if (!r.ok()) return 0;
      if (!r.value()) break;
      if (r.value()->size() > max_payload) __builtin_trap();
      DecodePayload(*r.value());
    }
  }
  return 0;
}
