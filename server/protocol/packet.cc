#include "protocol/packet.h"

#include <algorithm>

#include "common/errors.h"

namespace reptut::protocol {

Error PacketTooLargeError() {
  return MakeError(ER_NET_PACKET_TOO_LARGE);
}

Error PacketsOutOfOrderError() {
  return MakeError(ER_NET_PACKETS_OUT_OF_ORDER);
}

void AppendPackets(std::string* out, std::string_view payload, uint8_t* seq) {
  size_t off = 0;
  while (true) {
    size_t n = std::min(payload.size() - off, kMaxPacketChunk);
    out->push_back(static_cast<char>(n & 0xFF));
    out->push_back(static_cast<char>((n >> 8) & 0xFF));
    out->push_back(static_cast<char>((n >> 16) & 0xFF));
    out->push_back(static_cast<char>(*seq));
    *seq = static_cast<uint8_t>(*seq + 1);
    out->append(payload.substr(off, n));
    off += n;
    if (n < kMaxPacketChunk) break;  // a shorter (maybe empty) packet ends the payload
  }
}

void PacketDecoder::Feed(std::string_view bytes) {
  if (error_) return;
  Compact();
  buffer_.append(bytes);
}

void PacketDecoder::Compact() {
  if (pos_ == 0) return;
  if (pos_ >= buffer_.size()) {
    buffer_.clear();
  } else if (pos_ > 4096 && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
  } else {
    return;
  }
  pos_ = 0;
}

Result<std::optional<std::string>> PacketDecoder::Next(uint8_t* seq) {
  if (error_) return *error_;
  while (true) {
    if (buffered() < kPacketHeaderSize) return std::optional<std::string>();
    const auto* h = reinterpret_cast<const uint8_t*>(buffer_.data() + pos_);
    size_t len = h[0] | (static_cast<size_t>(h[1]) << 8) | (static_cast<size_t>(h[2]) << 16);
    uint8_t packet_seq = h[3];
    if (packet_seq != *seq) {
      // Answer after the packet the peer sent, so that it can read the ERR.
      *seq = static_cast<uint8_t>(packet_seq + 1);
      error_ = PacketsOutOfOrderError();
      return *error_;
    }
    if (!skipping_ && payload_len_ + len > max_payload_) {
      // Too large: throw this payload away as it arrives, then report.
      skipping_ = true;
      payload_.clear();
      payload_.shrink_to_fit();
    }
    if (skipping_) {
      // Consume what is there of this packet without keeping it.
      size_t have = std::min(buffered() - kPacketHeaderSize, len);
      if (have < len) {
        // Rewrite the header in place to the bytes still to come.
        size_t left = len - have;
        pos_ += have;
        auto* w = reinterpret_cast<uint8_t*>(buffer_.data() + pos_);
        w[0] = static_cast<uint8_t>(left & 0xFF);
        w[1] = static_cast<uint8_t>((left >> 8) & 0xFF);
        w[2] = static_cast<uint8_t>((left >> 16) & 0xFF);
        w[3] = packet_seq;
        skip_partial_full_ = skip_partial_full_ || len == kMaxPacketChunk;
        Compact();
        return std::optional<std::string>();
      }
      pos_ += kPacketHeaderSize + len;
      *seq = static_cast<uint8_t>(*seq + 1);
      bool full = len == kMaxPacketChunk || skip_partial_full_;
      skip_partial_full_ = false;
      Compact();
      if (full) continue;
      error_ = PacketTooLargeError();
      return *error_;
    }
    if (buffered() < kPacketHeaderSize + len) return std::optional<std::string>();
    std::string_view body(buffer_.data() + pos_ + kPacketHeaderSize, len);
    pos_ += kPacketHeaderSize + len;
    *seq = static_cast<uint8_t>(*seq + 1);
    payload_len_ += len;
    if (len == kMaxPacketChunk) {
      payload_.append(body);
      in_payload_ = true;
      Compact();
      continue;
    }
    std::string out;
    if (in_payload_) {
      payload_.append(body);
      out.swap(payload_);
    } else {
      out.assign(body);
    }
    in_payload_ = false;
    payload_len_ = 0;
    Compact();
    return std::optional<std::string>(std::move(out));
  }
}

}  // namespace reptut::protocol
