// mysql_native_password:
//   stored hash  = SHA1(SHA1(password))            (20 bytes; empty password: empty)
//   text form    = "*" + 40 upper-case hex digits   (what PASSWORD() returns)
//   client token = SHA1(password) XOR SHA1(scramble + stored hash)
// The server checks a token by undoing the XOR and hashing the result:
//   SHA1(token XOR SHA1(scramble + stored hash)) == stored hash.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace reptut::protocol {

// 20 random bytes, each printable ASCII (0x21..0x7E) and never '$', so
// no NUL ever ends a scramble early.
std::string GenerateScramble();

// SHA1(SHA1(password)) as 20 raw bytes; empty for an empty password.
std::string NativePasswordHash(std::string_view password);
// "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19" for "password"; "" for "".
std::string NativePasswordHashText(std::string_view password);
// The 20 raw bytes of a "*HEX" text (either case); "" for ""; nullopt when
// the text is not of that form.
std::optional<std::string> ParseNativePasswordHashText(std::string_view text);

// What a client answers the scramble with; empty for an empty password.
std::string NativePasswordToken(std::string_view password, std::string_view scramble);

// Whether token proves knowledge of the password behind stored_hash (raw,
// as NativePasswordHash returns). An empty stored hash matches only an
// empty token.
bool VerifyNativePassword(std::string_view scramble, std::string_view token,
                          std::string_view stored_hash);

// SHA1 of data as 20 raw bytes.
std::string Sha1(std::string_view data);

}  // namespace reptut::protocol
