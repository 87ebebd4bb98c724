// Little-endian integer access for the binlog codec. Internal to binlog/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reptut::binlog::bytes {

inline uint64_t GetLE(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}
inline uint16_t Get16(const char* p) {
  return static_cast<uint16_t>(GetLE(p, 2));
}
inline uint32_t Get32(const char* p) {
  return static_cast<uint32_t>(GetLE(p, 4));
}
inline uint64_t Get64(const char* p) {
  return GetLE(p, 8);
}

inline void PutLE(char* p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
inline void AppendLE(std::string* out, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A bounds-checked cursor over a byte range: every Read* returns false
// instead of reading past the end.
class Cursor {
 public:
  explicit Cursor(std::string_view data) : data_(data) {}
  size_t remaining() const { return data_.size() - pos_; }
  size_t pos() const { return pos_; }
  bool ReadInt(size_t n, uint64_t* v) {
    if (remaining() < n) return false;
    *v = GetLE(data_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  template <class T>
  bool Read(size_t n, T* v) {
    uint64_t x;
    if (!ReadInt(n, &x)) return false;
    *v = static_cast<T>(x);
    return true;
  }
  bool ReadBytes(size_t n, std::string* out) {
    if (remaining() < n) return false;
    out->assign(data_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool Skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  std::string_view Rest() const { return data_.substr(pos_); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace reptut::binlog::bytes
