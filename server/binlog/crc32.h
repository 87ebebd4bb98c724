// CRC-32 (ISO-HDLC, polynomial 0xEDB88320), the checksum binlog events
// carry when binlog_checksum=CRC32; the same function as zlib's crc32().
#pragma once

#include <cstdint>
#include <string_view>

namespace reptut::binlog {

// Continues a CRC: Crc32(Crc32(0, a), b) == Crc32(0, a + b).
uint32_t Crc32(uint32_t crc, std::string_view data);

}  // namespace reptut::binlog
