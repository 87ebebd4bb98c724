#include "protocol/native_password.h"

#include <sys/random.h>

#include <openssl/sha.h>

#include <random>

namespace reptut::protocol {
namespace {

constexpr size_t kHashLength = SHA_DIGEST_LENGTH;  // 20

std::string Xor(std::string_view a, std::string_view b) {
  std::string out(a.size(), '\0');
  for (size_t i = 0; i < a.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i % b.size()]);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string Sha1(std::string_view data) {
  unsigned char md[kHashLength];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return std::string(reinterpret_cast<const char*>(md), kHashLength);
}

std::string GenerateScramble() {
  unsigned char raw[20];
  // The kernel's generator: no OpenSSL start-up on every connection (its
  // DRBG and providers cost megabytes of resident memory).
  if (getrandom(raw, sizeof raw, 0) != static_cast<ssize_t>(sizeof raw)) {
    std::random_device rd;
    for (unsigned char& c : raw) c = static_cast<unsigned char>(rd());
  }
  std::string out(sizeof raw, '\0');
  for (size_t i = 0; i < sizeof raw; ++i) {
    char c = static_cast<char>(0x21 + raw[i] % (0x7F - 0x21));
    if (c == '$') c = '%';
    out[i] = c;
  }
  return out;
}

std::string NativePasswordHash(std::string_view password) {
  if (password.empty()) return std::string();
  return Sha1(Sha1(password));
}

std::string NativePasswordHashText(std::string_view password) {
  if (password.empty()) return std::string();
  static const char kHex[] = "0123456789ABCDEF";
  std::string hash = NativePasswordHash(password);
  std::string out = "*";
  for (char c : hash) {
    auto b = static_cast<unsigned char>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::optional<std::string> ParseNativePasswordHashText(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.size() != 1 + 2 * kHashLength || text[0] != '*') return std::nullopt;
  std::string out;
  for (size_t i = 1; i < text.size(); i += 2) {
    int hi = HexValue(text[i]), lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string NativePasswordToken(std::string_view password, std::string_view scramble) {
  if (password.empty()) return std::string();
  std::string stage1 = Sha1(password);
  std::string stage2 = Sha1(stage1);
  std::string mix = Sha1(std::string(scramble) + stage2);
  return Xor(stage1, mix);
}

bool VerifyNativePassword(std::string_view scramble, std::string_view token,
                          std::string_view stored_hash) {
  if (stored_hash.empty()) return token.empty();
  if (token.size() != kHashLength || stored_hash.size() != kHashLength) return false;
  std::string mix = Sha1(std::string(scramble) + std::string(stored_hash));
  std::string stage1 = Xor(token, mix);
  std::string candidate = Sha1(stage1);
  // Constant-time comparison.
  unsigned char diff = 0;
  for (size_t i = 0; i < kHashLength; ++i)
    diff |= static_cast<unsigned char>(candidate[i] ^ stored_hash[i]);
  return diff == 0;
}

}  // namespace reptut::protocol
