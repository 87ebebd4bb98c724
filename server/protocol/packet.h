// Packet framing: each packet is a 3-byte little-endian payload length, a
// 1-byte sequence id and the payload. A payload of 0xFFFFFF bytes or more
// is split into packets of 0xFFFFFF bytes followed by a shorter one (empty
// when the length is an exact multiple), each with the next sequence id.
//
// The sequence id counts the packets of one exchange in both directions:
// it is 0 at the start of each command (and of the handshake) and goes up
// by one, modulo 256, with each packet either side sends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reptut::protocol {

inline constexpr size_t kPacketHeaderSize = 4;
inline constexpr size_t kMaxPacketChunk = 0xFFFFFF;

// ER_NET_PACKET_TOO_LARGE (1153) and ER_NET_PACKETS_OUT_OF_ORDER (1156).
Error PacketTooLargeError();
Error PacketsOutOfOrderError();

// Appends the packets carrying payload to *out, the first with sequence id
// *seq; *seq is left at the id the next packet gets.
void AppendPackets(std::string* out, std::string_view payload, uint8_t* seq);

// Cuts a byte stream into payloads. Feed() what arrives from the socket,
// then call Next() until it yields nothing.
//
// A payload larger than max_payload is an error (1153), reported after the
// packets that carry it have been read and discarded, so the reply finds
// the client reading (as mysqld's my_net_skip_rest does); skipping() tells
// a caller that such a payload is being thrown away. A packet whose
// sequence id is not the expected one is an error (1156) at once, with *seq
// set to follow that packet's id. After an error every Next() returns the
// same error.
class PacketDecoder {
 public:
  explicit PacketDecoder(size_t max_payload) : max_payload_(max_payload) {}

  void set_max_payload(size_t max_payload) { max_payload_ = max_payload; }
  size_t max_payload() const { return max_payload_; }

  void Feed(std::string_view bytes);

  // *seq: the sequence id the next packet must carry; on a whole payload it
  // is left at the id the next packet (of either side) gets. Returns the
  // payload, std::nullopt when more bytes are needed, or an error.
  Result<std::optional<std::string>> Next(uint8_t* seq);

  // Bytes fed but not consumed yet.
  size_t buffered() const { return buffer_.size() - pos_; }
  bool skipping() const { return skipping_; }
  bool failed() const { return error_.has_value(); }

 private:
  void Compact();

  size_t max_payload_;
  std::string buffer_;
  size_t pos_ = 0;            // start of the first unconsumed byte in buffer_
  std::string payload_;       // the packets of a split payload read so far
  uint64_t payload_len_ = 0;  // bytes of the current logical payload so far
  bool in_payload_ = false;   // a 0xFFFFFF packet was read; more follow
  bool skipping_ = false;
  bool skip_partial_full_ = false;  // the packet being skipped was a 0xFFFFFF one
  std::optional<Error> error_;
};

}  // namespace reptut::protocol
