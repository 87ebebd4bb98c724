// Helpers for writing expected wire bytes as literals.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

namespace reptut::protocol::testing {

inline std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(static_cast<uint8_t>(b)));
  return s;
}

inline std::string Hex(const std::string& s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    auto b = static_cast<uint8_t>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

}  // namespace reptut::protocol::testing
