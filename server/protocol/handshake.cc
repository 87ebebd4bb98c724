#include "protocol/handshake.h"

#include <algorithm>
#include <optional>

#include "common/errors.h"
#include "protocol/responses.h"
#include "protocol/wire.h"

namespace reptut::protocol {
namespace {

Error BadHandshake() {
  return MakeError(ER_HANDSHAKE_ERROR);
}

constexpr size_t kResponseFillerLength = 23;
constexpr size_t kReservedLength = 10;

}  // namespace

std::string EncodeHandshakeV10(const HandshakeV10& h) {
  std::string out;
  PutInt1(&out, 10);
  PutNulString(&out, h.server_version);
  PutInt4(&out, h.connection_id);
  std::string_view s = h.scramble;
  std::string_view part1 = s.substr(0, std::min<size_t>(8, s.size()));
  out.append(part1);
  out.append(8 - part1.size(), '\0');
  PutInt1(&out, 0);  // filler
  PutInt2(&out, static_cast<uint16_t>(h.capabilities & 0xFFFF));
  PutInt1(&out, h.charset);
  PutInt2(&out, h.status_flags);
  PutInt2(&out, static_cast<uint16_t>(h.capabilities >> 16));
  bool plugin_auth = h.capabilities & mysql::kClientPluginAuth;
  // Length of the whole scramble including the NUL after part 2.
  PutInt1(&out, plugin_auth ? static_cast<uint8_t>(s.size() + 1) : 0);
  out.append(kReservedLength, '\0');
  if (h.capabilities & mysql::kClientSecureConnection) {
    std::string_view part2 = s.size() > 8 ? s.substr(8) : std::string_view();
    out.append(part2);
    // At least 13 bytes, the last a NUL.
    size_t pad = part2.size() < 12 ? 12 - part2.size() : 0;
    out.append(pad, '\0');
    out.push_back('\0');
  }
  if (plugin_auth) PutNulString(&out, h.auth_plugin);
  return out;
}

Result<HandshakeV10> DecodeHandshakeV10(std::string_view payload) {
  if (!payload.empty() && static_cast<uint8_t>(payload[0]) == 0xFF) {
    std::optional<Error> err = DecodeErr(payload, /*with_sqlstate=*/true);
    if (err) return *err;
    return BadHandshake();
  }
  WireReader r(payload, BadHandshake());
  HandshakeV10 h;
  uint8_t protocol = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&protocol));
  if (protocol != 10) return BadHandshake();
  std::string_view version;
  REPTUT_RETURN_IF_ERROR(r.ReadNulString(&version));
  h.server_version = std::string(version);
  REPTUT_RETURN_IF_ERROR(r.ReadInt4(&h.connection_id));
  std::string_view part1;
  REPTUT_RETURN_IF_ERROR(r.ReadBytes(8, &part1));
  h.scramble = std::string(part1);
  REPTUT_RETURN_IF_ERROR(r.Skip(1));
  uint16_t cap_low = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&cap_low));
  h.capabilities = cap_low;
  if (r.at_end()) return h;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&h.charset));
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&h.status_flags));
  uint16_t cap_high = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&cap_high));
  h.capabilities |= static_cast<uint32_t>(cap_high) << 16;
  uint8_t auth_len = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&auth_len));
  REPTUT_RETURN_IF_ERROR(r.Skip(kReservedLength));
  if (h.capabilities & mysql::kClientSecureConnection) {
    size_t n = auth_len > 8 ? auth_len - 8 : 0;
    if (n < 13) n = 13;
    std::string_view part2;
    REPTUT_RETURN_IF_ERROR(r.ReadBytes(n, &part2));
    // The part ends with a NUL that is not part of the scramble.
    if (!part2.empty() && part2.back() == '\0') part2.remove_suffix(1);
    h.scramble.append(part2);
  }
  h.auth_plugin.clear();
  if (h.capabilities & mysql::kClientPluginAuth) {
    std::string_view plugin;
    if (r.ReadNulString(&plugin).ok()) {
      h.auth_plugin = std::string(plugin);
    } else {
      h.auth_plugin = std::string(r.ReadRest());  // some servers omit the NUL
    }
  }
  return h;
}

Result<HandshakeResponse> DecodeHandshakeResponse(std::string_view payload) {
  WireReader r(payload, BadHandshake());
  HandshakeResponse resp;
  REPTUT_RETURN_IF_ERROR(r.ReadInt4(&resp.capabilities));
  if (!(resp.capabilities & mysql::kClientProtocol41)) return BadHandshake();
  REPTUT_RETURN_IF_ERROR(r.ReadInt4(&resp.max_packet));
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&resp.charset));
  REPTUT_RETURN_IF_ERROR(r.Skip(kResponseFillerLength));
  // An SSL request stops here; we never offered SSL.
  if (resp.capabilities & mysql::kClientSsl) return BadHandshake();
  std::string_view user;
  REPTUT_RETURN_IF_ERROR(r.ReadNulString(&user));
  resp.user = std::string(user);

  std::string_view auth;
  if (resp.capabilities & mysql::kClientPluginAuthLenencClientData) {
    REPTUT_RETURN_IF_ERROR(r.ReadLenencString(&auth));
  } else if (resp.capabilities & mysql::kClientSecureConnection) {
    uint8_t n = 0;
    REPTUT_RETURN_IF_ERROR(r.ReadInt1(&n));
    REPTUT_RETURN_IF_ERROR(r.ReadBytes(n, &auth));
  } else {
    REPTUT_RETURN_IF_ERROR(r.ReadNulString(&auth));
  }
  resp.auth_response = std::string(auth);

  if (resp.capabilities & mysql::kClientConnectWithDb) {
    std::string_view db;
    // A client may end the packet right after the auth response when it
    // has no database to send; mysqld then takes none.
    if (!r.at_end()) REPTUT_RETURN_IF_ERROR(r.ReadNulString(&db));
    resp.database = std::string(db);
  }
  if (resp.capabilities & mysql::kClientPluginAuth) {
    std::string_view plugin;
    if (!r.at_end()) REPTUT_RETURN_IF_ERROR(r.ReadNulString(&plugin));
    resp.auth_plugin = std::string(plugin);
  }
  if ((resp.capabilities & mysql::kClientConnectAttrs) && !r.at_end()) {
    uint64_t total = 0;
    REPTUT_RETURN_IF_ERROR(r.ReadLenencInt(&total));
    if (total > r.remaining()) return BadHandshake();
    WireReader attrs(r.rest().substr(0, static_cast<size_t>(total)), BadHandshake());
    REPTUT_RETURN_IF_ERROR(r.Skip(static_cast<size_t>(total)));
    while (!attrs.at_end()) {
      std::string_view key, value;
      REPTUT_RETURN_IF_ERROR(attrs.ReadLenencString(&key));
      REPTUT_RETURN_IF_ERROR(attrs.ReadLenencString(&value));
      resp.attrs.emplace_back(std::string(key), std::string(value));
    }
  }
  return resp;
}

std::string EncodeHandshakeResponse(const HandshakeResponse& resp) {
  std::string out;
  uint32_t caps = resp.capabilities;
  PutInt4(&out, caps);
  PutInt4(&out, resp.max_packet);
  PutInt1(&out, resp.charset);
  out.append(kResponseFillerLength, '\0');
  PutNulString(&out, resp.user);
  if (caps & mysql::kClientPluginAuthLenencClientData) {
    PutLenencString(&out, resp.auth_response);
  } else if (caps & mysql::kClientSecureConnection) {
    std::string_view a = resp.auth_response;
    if (a.size() > 255) a = a.substr(0, 255);
    PutInt1(&out, static_cast<uint8_t>(a.size()));
    out.append(a);
  } else {
    PutNulString(&out, resp.auth_response);
  }
  if (caps & mysql::kClientConnectWithDb) PutNulString(&out, resp.database);
  if (caps & mysql::kClientPluginAuth) PutNulString(&out, resp.auth_plugin);
  if (caps & mysql::kClientConnectAttrs) {
    std::string attrs;
    for (const auto& [k, v] : resp.attrs) {
      PutLenencString(&attrs, k);
      PutLenencString(&attrs, v);
    }
    PutLenencString(&out, attrs);
  }
  return out;
}

std::string EncodeAuthSwitchRequest(std::string_view plugin, std::string_view data) {
  std::string out;
  PutInt1(&out, 0xFE);
  PutNulString(&out, plugin);
  out.append(data);
  if (plugin == kNativePasswordPlugin) out.push_back('\0');
  return out;
}

Result<AuthSwitchRequest> DecodeAuthSwitchRequest(std::string_view payload) {
  WireReader r(payload, BadHandshake());
  uint8_t tag = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&tag));
  if (tag != 0xFE) return BadHandshake();
  AuthSwitchRequest req;
  std::string_view plugin;
  REPTUT_RETURN_IF_ERROR(r.ReadNulString(&plugin));
  req.plugin = std::string(plugin);
  std::string_view data = r.ReadRest();
  if (!data.empty() && data.back() == '\0') data.remove_suffix(1);
  req.data = std::string(data);
  return req;
}

}  // namespace reptut::protocol
