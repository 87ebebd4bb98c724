// Wire primitives of the MySQL client/server protocol: little-endian
// integers, length-encoded integers and strings, NUL-terminated strings.
//
// Writing appends to a std::string. Reading goes through WireReader, which
// checks every length against what is left and returns an error instead of
// reading past the end; a failed read leaves the reader where it was.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reptut::protocol {

// The first byte of a length-encoded integer that stands for NULL in a
// text-protocol row.
inline constexpr uint8_t kLenencNull = 0xFB;

// ER_MALFORMED_PACKET (1835, "Malformed communication packet."), what MySQL
// 5.7 answers a command whose payload does not parse.
Error MalformedPacketError();

void PutInt1(std::string* out, uint8_t v);
void PutInt2(std::string* out, uint16_t v);
void PutInt3(std::string* out, uint32_t v);  // low 24 bits
void PutInt4(std::string* out, uint32_t v);
void PutInt8(std::string* out, uint64_t v);
// 1, 3, 4 or 9 bytes: < 251 as is, else 0xFC/0xFD/0xFE and 2/3/8 bytes.
void PutLenencInt(std::string* out, uint64_t v);
void PutLenencString(std::string* out, std::string_view s);
void PutNulString(std::string* out, std::string_view s);  // s must not hold NUL

// Size PutLenencInt(v) writes.
size_t LenencIntSize(uint64_t v);

class WireReader {
 public:
  // error: what every failed read returns (default: MalformedPacketError()).
  explicit WireReader(std::string_view data);
  WireReader(std::string_view data, Error error);

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  // The bytes not read yet, without consuming them.
  std::string_view rest() const { return data_.substr(pos_); }

  Status ReadInt1(uint8_t* v);
  Status ReadInt2(uint16_t* v);
  Status ReadInt3(uint32_t* v);
  Status ReadInt4(uint32_t* v);
  Status ReadInt8(uint64_t* v);
  // A length-encoded integer; 0xFB (NULL) and 0xFF are errors.
  Status ReadLenencInt(uint64_t* v);
  // Like ReadLenencInt, but 0xFB sets *is_null instead of failing.
  Status ReadLenencIntOrNull(uint64_t* v, bool* is_null);
  // A length-encoded string: the length must not exceed what is left.
  Status ReadLenencString(std::string_view* s);
  // Bytes up to a NUL, which is consumed; no NUL before the end is an error.
  Status ReadNulString(std::string_view* s);
  // Exactly n bytes.
  Status ReadBytes(size_t n, std::string_view* s);
  Status Skip(size_t n);
  // Everything that is left (string<EOF>).
  std::string_view ReadRest();

 private:
  Status Fail() const;
  uint64_t LittleEndian(size_t n) const;  // n bytes at pos_, caller checked

  std::string_view data_;
  size_t pos_ = 0;
  std::optional<Error> error_;  // none: MalformedPacketError(), made on failure only
};

}  // namespace reptut::protocol
