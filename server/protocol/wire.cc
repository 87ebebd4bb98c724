#include "protocol/wire.h"

#include "common/errors.h"

#include <utility>

namespace reptut::protocol {

Error MalformedPacketError() {
  return MakeError(ER_MALFORMED_PACKET);
}

void PutInt1(std::string* out, uint8_t v) {
  out->push_back(static_cast<char>(v));
}

void PutInt2(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}

void PutInt3(std::string* out, uint32_t v) {
  for (int i = 0; i < 3; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutInt4(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutInt8(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

size_t LenencIntSize(uint64_t v) {
  if (v < 251) return 1;
  if (v < (1u << 16)) return 3;
  if (v < (1u << 24)) return 4;
  return 9;
}

void PutLenencInt(std::string* out, uint64_t v) {
  if (v < 251) {
    PutInt1(out, static_cast<uint8_t>(v));
  } else if (v < (1u << 16)) {
    PutInt1(out, 0xFC);
    PutInt2(out, static_cast<uint16_t>(v));
  } else if (v < (1u << 24)) {
    PutInt1(out, 0xFD);
    PutInt3(out, static_cast<uint32_t>(v));
  } else {
    PutInt1(out, 0xFE);
    PutInt8(out, v);
  }
}

void PutLenencString(std::string* out, std::string_view s) {
  PutLenencInt(out, s.size());
  out->append(s);
}

void PutNulString(std::string* out, std::string_view s) {
  out->append(s);
  out->push_back('\0');
}

WireReader::WireReader(std::string_view data) : data_(data) {}

WireReader::WireReader(std::string_view data, Error error)
    : data_(data), error_(std::move(error)) {}

Status WireReader::Fail() const {
  return error_ ? Status(*error_) : Status(MalformedPacketError());
}

uint64_t WireReader::LittleEndian(size_t n) const {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  }
  return v;
}

Status WireReader::ReadInt1(uint8_t* v) {
  if (remaining() < 1) return Fail();
  *v = static_cast<uint8_t>(LittleEndian(1));
  pos_ += 1;
  return Status::Ok();
}

Status WireReader::ReadInt2(uint16_t* v) {
  if (remaining() < 2) return Fail();
  *v = static_cast<uint16_t>(LittleEndian(2));
  pos_ += 2;
  return Status::Ok();
}

Status WireReader::ReadInt3(uint32_t* v) {
  if (remaining() < 3) return Fail();
  *v = static_cast<uint32_t>(LittleEndian(3));
  pos_ += 3;
  return Status::Ok();
}

Status WireReader::ReadInt4(uint32_t* v) {
  if (remaining() < 4) return Fail();
  *v = static_cast<uint32_t>(LittleEndian(4));
  pos_ += 4;
  return Status::Ok();
}

Status WireReader::ReadInt8(uint64_t* v) {
  if (remaining() < 8) return Fail();
  *v = LittleEndian(8);
  pos_ += 8;
  return Status::Ok();
}

Status WireReader::ReadLenencIntOrNull(uint64_t* v, bool* is_null) {
  if (remaining() < 1) return Fail();
  uint8_t first = static_cast<uint8_t>(data_[pos_]);
  *is_null = false;
  size_t width = 0;
  switch (first) {
    case 0xFB:
      *is_null = true;
      *v = 0;
      pos_ += 1;
      return Status::Ok();
    case 0xFC:
      width = 2;
      break;
    case 0xFD:
      width = 3;
      break;
    case 0xFE:
      width = 8;
      break;
    case 0xFF:
      return Fail();
    default:
      *v = first;
      pos_ += 1;
      return Status::Ok();
  }
  if (remaining() < 1 + width) return Fail();
  pos_ += 1;
  *v = LittleEndian(width);
  pos_ += width;
  return Status::Ok();
}

Status WireReader::ReadLenencInt(uint64_t* v) {
  size_t start = pos_;
  bool is_null = false;
  REPTUT_RETURN_IF_ERROR(ReadLenencIntOrNull(v, &is_null));
  if (is_null) {
    pos_ = start;
    return Fail();
  }
  return Status::Ok();
}

Status WireReader::ReadLenencString(std::string_view* s) {
  size_t start = pos_;
  uint64_t n = 0;
  REPTUT_RETURN_IF_ERROR(ReadLenencInt(&n));
  if (n > remaining()) {
    pos_ = start;
    return Fail();
  }
  *s = data_.substr(pos_, static_cast<size_t>(n));
  pos_ += static_cast<size_t>(n);
  return Status::Ok();
}

Status WireReader::ReadNulString(std::string_view* s) {
  size_t nul = data_.find('\0', pos_);
  if (nul == std::string_view::npos) return Fail();
  *s = data_.substr(pos_, nul - pos_);
  pos_ = nul + 1;
  return Status::Ok();
}

Status WireReader::ReadBytes(size_t n, std::string_view* s) {
  if (n > remaining()) return Fail();
  *s = data_.substr(pos_, n);
  pos_ += n;
  return Status::Ok();
}

Status WireReader::Skip(size_t n) {
  if (n > remaining()) return Fail();
  pos_ += n;
  return Status::Ok();
}

std::string_view WireReader::ReadRest() {
  std::string_view s = data_.substr(pos_);
  pos_ = data_.size();
  return s;
}

}  // namespace reptut::protocol
