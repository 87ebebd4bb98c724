#include "net/packet_channel.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

#include "common/errors.h"

namespace reptut::net {
namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kFlushThreshold = 64 * 1024;
// net_read_timeout: how long a client may stall inside a packet we discard.
constexpr int kSkipReadTimeout = 30;

}  // namespace

PacketChannel::PacketChannel(int fd, size_t max_payload) : fd_(fd), decoder_(max_payload) {}

void PacketChannel::SetReadTimeout(int seconds) {
  if (seconds == read_timeout_) return;
  timeval tv{};
  tv.tv_sec = seconds;
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  read_timeout_ = seconds;
}

void PacketChannel::SetWriteTimeout(int seconds) {
  timeval tv{};
  tv.tv_sec = seconds;
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

Result<std::string> PacketChannel::Read() {
  char buf[kReadChunk];
  while (true) {
    auto next = decoder_.Next(&seq_);
    if (!next.ok()) return next.error();
    if (next.value().has_value()) return std::move(*next.value());
    if (decoder_.skipping() && (read_timeout_ == 0 || read_timeout_ > kSkipReadTimeout)) {
      SetReadTimeout(kSkipReadTimeout);
    }
    if (deadline_) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline_ -
                                                               std::chrono::steady_clock::now());
      if (left.count() <= 0) return MakeError(ER_NET_READ_INTERRUPTED);
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), INT32_MAX)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) return MakeError(ER_NET_READ_INTERRUPTED);
    }
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      bytes_read_ += static_cast<uint64_t>(n);
      decoder_.Feed(std::string_view(buf, static_cast<size_t>(n)));
      continue;
    }
    if (n == 0) {
      peer_closed_ = true;
      return MakeError(ER_NET_READ_ERROR);
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return MakeError(ER_NET_READ_INTERRUPTED);
    return MakeError(ER_NET_READ_ERROR);
  }
}

void PacketChannel::Write(std::string_view payload) {
  if (broken_) return;
  protocol::AppendPackets(&out_, payload, &seq_);
  if (out_.size() >= kFlushThreshold) Flush();
}

bool PacketChannel::Flush() {
  if (broken_) {
    out_.clear();
    return false;
  }
  bool ok = SendAll(out_);
  out_.clear();
  if (out_.capacity() > 4 * kFlushThreshold) out_.shrink_to_fit();
  return ok;
}

bool PacketChannel::SendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes_written_ += static_cast<uint64_t>(n);
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    broken_ = true;
    return false;
  }
  return true;
}

}  // namespace reptut::net
