// Packets over a connected socket: reads whole payloads through a
// protocol::PacketDecoder, buffers outgoing packets and writes them with
// send(MSG_NOSIGNAL). Keeps the sequence id both directions share. One
// thread uses a channel; other threads only shut its socket down.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "protocol/packet.h"

namespace reptut::net {

class PacketChannel {
 public:
  PacketChannel(int fd, size_t max_payload);

  // The next payload. Errors: 1153 (too large; read and discarded first),
  // 1156 (sequence), 1158 (read error or the peer closed; peer_closed()
  // tells), 1159 (read timeout, or the deadline passed).
  Result<std::string> Read();

  // The largest payload Read() accepts from now on.
  void SetMaxPayload(size_t max_payload) { decoder_.set_max_payload(max_payload); }
  // Reads fail (1159) once `deadline` has passed, however the bytes trickle
  // in; nullopt: no deadline (the per-read timeout alone).
  void SetReadDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
    deadline_ = deadline;
  }

  // Appends the packets of payload to the output (sent at Flush(), or
  // earlier once much is buffered). Nothing is sent after a write failed.
  void Write(std::string_view payload);
  // Sends what is buffered; false when the socket is gone.
  bool Flush();

  // Start of a new command: sequence id 0.
  void ResetSequence() { seq_ = 0; }
  uint8_t sequence() const { return seq_; }

  // SO_RCVTIMEO; 0 waits forever.
  void SetReadTimeout(int seconds);
  // SO_SNDTIMEO; a write that stalls this long breaks the channel.
  void SetWriteTimeout(int seconds);

  bool broken() const { return broken_; }
  bool peer_closed() const { return peer_closed_; }
  int fd() const { return fd_; }
  // Bytes received and sent so far (Bytes_received / Bytes_sent).
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  bool SendAll(std::string_view bytes);

  int fd_;
  protocol::PacketDecoder decoder_;
  uint8_t seq_ = 0;
  std::string out_;
  bool broken_ = false;
  bool peer_closed_ = false;
  int read_timeout_ = 0;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  uint64_t bytes_read_ = 0;
  uint64_t bytes_written_ = 0;
};

}  // namespace reptut::net
