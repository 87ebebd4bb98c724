#include "protocol/command.h"

#include <type_traits>

#include "common/errors.h"
#include "protocol/wire.h"

namespace reptut::protocol {
namespace {

Status ReadShortString(WireReader& r, std::string* out) {
  uint8_t n = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&n));
  std::string_view s;
  REPTUT_RETURN_IF_ERROR(r.ReadBytes(n, &s));
  *out = std::string(s);
  return Status::Ok();
}

void PutShortString(std::string* out, std::string_view s) {
  if (s.size() > 255) s = s.substr(0, 255);
  PutInt1(out, static_cast<uint8_t>(s.size()));
  out->append(s);
}

}  // namespace

Result<Command> DecodeCommand(std::string_view payload) {
  if (payload.empty()) return MakeError(ER_UNKNOWN_COM_ERROR);
  WireReader r(payload.substr(1));
  switch (static_cast<uint8_t>(payload[0])) {
    case mysql::kComQuit:
      return Command(ComQuit{});
    case mysql::kComPing:
      return Command(ComPing{});
    case mysql::kComStatistics:
      return Command(ComStatistics{});
    case mysql::kComQuery: {
      std::string_view text = r.ReadRest();
      while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
      return Command(ComQuery{std::string(text)});
    }
    case mysql::kComRefresh: {
      ComRefresh c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt1(&c.options));
      return Command(c);
    }
    case mysql::kComDebug:
      return Command(ComDebug{});
    case mysql::kComProcessInfo:
      return Command(ComProcessInfo{});
    case mysql::kComResetConnection:
      return Command(ComResetConnection{});
    case mysql::kComChangeUser: {
      ComChangeUser c{std::string(r.ReadRest())};
      if (c.args.empty()) return MakeError(ER_MALFORMED_PACKET);
      return Command(std::move(c));
    }
    case mysql::kComInitDb:
      return Command(ComInitDb{std::string(r.ReadRest())});
    case mysql::kComFieldList: {
      ComFieldList c;
      std::string_view table;
      REPTUT_RETURN_IF_ERROR(r.ReadNulString(&table));
      c.table = std::string(table);
      c.wildcard = std::string(r.ReadRest());
      return Command(std::move(c));
    }
    case mysql::kComProcessKill: {
      ComProcessKill c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.connection_id));
      return Command(c);
    }
    case mysql::kComShutdown: {
      ComShutdown c;
      if (!r.at_end()) REPTUT_RETURN_IF_ERROR(r.ReadInt1(&c.level));
      return Command(c);
    }
    case mysql::kComSetOption: {
      ComSetOption c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt2(&c.option));
      return Command(c);
    }
    case mysql::kComRegisterSlave: {
      ComRegisterSlave c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.server_id));
      REPTUT_RETURN_IF_ERROR(ReadShortString(r, &c.host));
      REPTUT_RETURN_IF_ERROR(ReadShortString(r, &c.user));
      REPTUT_RETURN_IF_ERROR(ReadShortString(r, &c.password));
      REPTUT_RETURN_IF_ERROR(r.ReadInt2(&c.port));
      // Rank and master id are ignored by every server since 4.x; some
      // clients leave them out.
      if (!r.at_end()) REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.replication_rank));
      if (!r.at_end()) REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.master_id));
      return Command(std::move(c));
    }
    case mysql::kComBinlogDump: {
      ComBinlogDump c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.position));
      REPTUT_RETURN_IF_ERROR(r.ReadInt2(&c.flags));
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.server_id));
      c.file = std::string(r.ReadRest());
      return Command(std::move(c));
    }
    case mysql::kComStmtPrepare:
      return Command(ComStmtPrepare{std::string(r.ReadRest())});
    case mysql::kComStmtExecute: {
      ComStmtExecute c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.statement_id));
      c.payload = std::string(payload);
      return Command(std::move(c));
    }
    case mysql::kComStmtClose: {
      ComStmtClose c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.statement_id));
      return Command(c);
    }
    case mysql::kComStmtReset: {
      ComStmtReset c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.statement_id));
      return Command(c);
    }
    case mysql::kComStmtSendLongData: {
      ComStmtSendLongData c;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&c.statement_id));
      REPTUT_RETURN_IF_ERROR(r.ReadInt2(&c.param));
      c.data = std::string(r.ReadRest());
      return Command(std::move(c));
    }
    default:
      return MakeError(ER_UNKNOWN_COM_ERROR);
  }
}

Result<ChangeUserRequest> DecodeChangeUser(std::string_view args, uint32_t capabilities) {
  WireReader r(args);
  ChangeUserRequest c;
  std::string_view text;
  REPTUT_RETURN_IF_ERROR(r.ReadNulString(&text));
  c.user = std::string(text);
  if (capabilities & mysql::kClientSecureConnection) {
    uint8_t n = 0;
    REPTUT_RETURN_IF_ERROR(r.ReadInt1(&n));
    REPTUT_RETURN_IF_ERROR(r.ReadBytes(n, &text));
  } else {
    REPTUT_RETURN_IF_ERROR(r.ReadNulString(&text));
  }
  c.auth_response = std::string(text);
  if (r.at_end()) return c;
  REPTUT_RETURN_IF_ERROR(r.ReadNulString(&text));
  c.database = std::string(text);
  if (r.at_end()) return c;
  REPTUT_RETURN_IF_ERROR(r.ReadInt2(&c.charset));
  if (!r.at_end() && (capabilities & mysql::kClientPluginAuth)) {
    REPTUT_RETURN_IF_ERROR(r.ReadNulString(&text));
    c.auth_plugin = std::string(text);
  }
  return c;
}

std::string EncodeChangeUser(const ChangeUserRequest& c, uint32_t capabilities) {
  std::string out;
  PutNulString(&out, c.user);
  if (capabilities & mysql::kClientSecureConnection) {
    PutInt1(&out, static_cast<uint8_t>(c.auth_response.size()));
    out.append(c.auth_response);
  } else {
    PutNulString(&out, c.auth_response);
  }
  PutNulString(&out, c.database);
  PutInt2(&out, c.charset);
  if (capabilities & mysql::kClientPluginAuth) PutNulString(&out, c.auth_plugin);
  return out;
}

mysql::Command CommandByte(const Command& command) {
  return std::visit(
      [](const auto& c) -> mysql::Command {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, ComQuit>) return mysql::kComQuit;
        if constexpr (std::is_same_v<T, ComPing>) return mysql::kComPing;
        if constexpr (std::is_same_v<T, ComStatistics>) return mysql::kComStatistics;
        if constexpr (std::is_same_v<T, ComQuery>) return mysql::kComQuery;
        if constexpr (std::is_same_v<T, ComInitDb>) return mysql::kComInitDb;
        if constexpr (std::is_same_v<T, ComFieldList>) return mysql::kComFieldList;
        if constexpr (std::is_same_v<T, ComProcessKill>) return mysql::kComProcessKill;
        if constexpr (std::is_same_v<T, ComShutdown>) return mysql::kComShutdown;
        if constexpr (std::is_same_v<T, ComSetOption>) return mysql::kComSetOption;
        if constexpr (std::is_same_v<T, ComRegisterSlave>) return mysql::kComRegisterSlave;
        if constexpr (std::is_same_v<T, ComBinlogDump>) return mysql::kComBinlogDump;
        if constexpr (std::is_same_v<T, ComStmtPrepare>) return mysql::kComStmtPrepare;
        if constexpr (std::is_same_v<T, ComStmtExecute>) return mysql::kComStmtExecute;
        if constexpr (std::is_same_v<T, ComStmtClose>) return mysql::kComStmtClose;
        if constexpr (std::is_same_v<T, ComStmtReset>) return mysql::kComStmtReset;
        if constexpr (std::is_same_v<T, ComStmtSendLongData>) return mysql::kComStmtSendLongData;
        if constexpr (std::is_same_v<T, ComRefresh>) return mysql::kComRefresh;
        if constexpr (std::is_same_v<T, ComDebug>) return mysql::kComDebug;
        if constexpr (std::is_same_v<T, ComProcessInfo>) return mysql::kComProcessInfo;
        if constexpr (std::is_same_v<T, ComResetConnection>) return mysql::kComResetConnection;
        if constexpr (std::is_same_v<T, ComChangeUser>) return mysql::kComChangeUser;
      },
      command);
}

std::string EncodeCommand(const Command& command) {
  if (const auto* e = std::get_if<ComStmtExecute>(&command)) return e->payload;
  std::string out;
  PutInt1(&out, CommandByte(command));
  std::visit(
      [&out](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, ComQuery>) {
          out.append(c.query);
        } else if constexpr (std::is_same_v<T, ComInitDb>) {
          out.append(c.database);
        } else if constexpr (std::is_same_v<T, ComFieldList>) {
          PutNulString(&out, c.table);
          out.append(c.wildcard);
        } else if constexpr (std::is_same_v<T, ComProcessKill>) {
          PutInt4(&out, c.connection_id);
        } else if constexpr (std::is_same_v<T, ComShutdown>) {
          PutInt1(&out, c.level);
        } else if constexpr (std::is_same_v<T, ComSetOption>) {
          PutInt2(&out, c.option);
        } else if constexpr (std::is_same_v<T, ComRegisterSlave>) {
          PutInt4(&out, c.server_id);
          PutShortString(&out, c.host);
          PutShortString(&out, c.user);
          PutShortString(&out, c.password);
          PutInt2(&out, c.port);
          PutInt4(&out, c.replication_rank);
          PutInt4(&out, c.master_id);
        } else if constexpr (std::is_same_v<T, ComStmtPrepare>) {
          out.append(c.query);
        } else if constexpr (std::is_same_v<T, ComStmtClose> || std::is_same_v<T, ComStmtReset>) {
          PutInt4(&out, c.statement_id);
        } else if constexpr (std::is_same_v<T, ComStmtSendLongData>) {
          PutInt4(&out, c.statement_id);
          PutInt2(&out, c.param);
          out.append(c.data);
        } else if constexpr (std::is_same_v<T, ComRefresh>) {
          PutInt1(&out, c.options);
        } else if constexpr (std::is_same_v<T, ComChangeUser>) {
          out.append(c.args);
        } else if constexpr (std::is_same_v<T, ComBinlogDump>) {
          PutInt4(&out, c.position);
          PutInt2(&out, c.flags);
          PutInt4(&out, c.server_id);
          out.append(c.file);
        }
      },
      command);
  return out;
}

std::string_view CommandName(uint8_t command) {
  static constexpr std::string_view kNames[] = {
      "Sleep",
      "Quit",
      "Init DB",
      "Query",
      "Field List",
      "Create DB",
      "Drop DB",
      "Refresh",
      "Shutdown",
      "Statistics",
      "Processlist",
      "Connect",
      "Kill",
      "Debug",
      "Ping",
      "Time",
      "Delayed insert",
      "Change user",
      "Binlog Dump",
      "Table Dump",
      "Connect Out",
      "Register Slave",
      "Prepare",
      "Execute",
      "Long Data",
      "Close stmt",
      "Reset stmt",
      "Set option",
      "Fetch",
      "Daemon",
      "Binlog Dump GTID",
      "Reset Connection",
  };
  if (command < std::size(kNames)) return kNames[command];
  return "Error";
}

}  // namespace reptut::protocol
