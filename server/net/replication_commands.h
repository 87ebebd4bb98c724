// COM_REGISTER_SLAVE and COM_BINLOG_DUMP: the master's side of the
// replication protocol on a connection. HandleReplicationCommand() is the
// one place a connection hands these commands to.
//
// COM_REGISTER_SLAVE records the replica in the server's SlaveRegistry
// (SHOW SLAVE HOSTS) and answers OK. COM_BINLOG_DUMP runs a
// replication::DumpThread on the connection's thread, its packets going to
// the connection's PacketChannel; the connection closes after a dump, as
// mysqld's does. A small watcher thread polls the socket meanwhile so that
// a dump waiting for new events ends at once when the replica hangs up,
// the session is killed or the server stops (all three shut or close the
// socket).
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
// streams through channel.Write()/Flush() until it ends (EOF of a
// non-blocking dump, ERR 1236) or the replica, a KILL or the shutdown
// stops it. *status_flags is the connection's last server status. The
// caller flushes the channel afterwards.
ReplicationOutcome HandleReplicationCommand(engine::Server& server, engine::Session& session,
                                            PacketChannel& channel,
                                            const protocol::Command& command,
                                            uint16_t* status_flags);

}  // namespace reptut::net
