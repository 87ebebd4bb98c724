#include "binlog/crc32.h"

#include <zlib.h>

namespace reptut::binlog {

// zlib's CRC-32 is the one binlog checksums use (ISO-HDLC, as MySQL's
// my_checksum), and much faster than a table walked a byte at a time.
uint32_t Crc32(uint32_t crc, std::string_view data) {
  uLong c = crc;
  const auto* p = reinterpret_cast<const Bytef*>(data.data());
  size_t n = data.size();
  while (n > 0) {
    uInt chunk = n > (1u << 30) ? (1u << 30) : static_cast<uInt>(n);
    c = ::crc32(c, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(c);
}

}  // namespace reptut::binlog
