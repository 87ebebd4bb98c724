// COM_REGISTER_SLAVE and COM_BINLOG_DUMP: the replica's side of the wire.
// THE HOOK FOR THE REPLICATION ISSUE: HandleReplicationCommand() is the one
// place a connection hands these commands to; the binlog dump thread plugs
// in here. For now it answers ER_NOT_SUPPORTED_YET.
#pragma once

#include <cstdint>

#include "engine/server.h"
#include "engine/session.h"
#include "net/packet_channel.h"
#include "protocol/command.h"

namespace reptut::net {

// What the connection does after a replication command.
enum class ReplicationOutcome {
  kContinue,  // answered; read the next command
  kClose,     // the dump ended the conversation; close the connection
};

// command is a ComRegisterSlave or a ComBinlogDump. The answer goes to
// channel (its sequence id already follows the command packet); a dump
// streams through channel.Write()/Flush() and should stop when
// channel.broken() or session.killed(). *status_flags is the connection's
// last server status. The caller flushes the channel afterwards.
ReplicationOutcome HandleReplicationCommand(engine::Server& server, engine::Session& session,
                                            PacketChannel& channel,
                                            const protocol::Command& command,
                                            uint16_t* status_flags);

}  // namespace reptut::net
