#include "binlog/crc32.h"

#include <array>

namespace reptut::binlog {
namespace {

constexpr std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr std::array<uint32_t, 256> kTable = MakeTable();

}  // namespace

uint32_t Crc32(uint32_t crc, std::string_view data) {
  crc = ~crc;
  for (unsigned char ch : data) crc = kTable[(crc ^ ch) & 0xff] ^ (crc >> 8);
  return ~crc;
}

}  // namespace reptut::binlog
