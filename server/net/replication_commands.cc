#include "net/replication_commands.h"

#include <variant>

#include "common/errors.h"
#include "protocol/responses.h"

namespace reptut::net {

ReplicationOutcome HandleReplicationCommand(engine::Server& server, engine::Session& session,
                                            PacketChannel& channel,
                                            const protocol::Command& command,
                                            uint16_t* status_flags) {
  (void)server;
  (void)session;
  (void)status_flags;
  // TODO(replication): COM_REGISTER_SLAVE records the replica (SHOW SLAVE
  // HOSTS) and answers OK; COM_BINLOG_DUMP sets the command to
  // "Binlog Dump", streams the events from file:position as packets
  // (0x00 + event) and ends with EOF (non-blocking dump) or runs until the
  // session is killed.
  const char* what = std::holds_alternative<protocol::ComBinlogDump>(command)
                         ? "COM_BINLOG_DUMP"
                         : "COM_REGISTER_SLAVE";
  channel.Write(protocol::EncodeErr(MakeError(ER_NOT_SUPPORTED_YET, {what})));
  return ReplicationOutcome::kContinue;
}

}  // namespace reptut::net
