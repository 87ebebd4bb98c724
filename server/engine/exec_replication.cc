// The replication statements: CHANGE MASTER TO, START/STOP SLAVE, RESET
// SLAVE, FLUSH RELAY LOGS and SHOW SLAVE STATUS / SHOW RELAYLOG EVENTS,
// which the replica side does (ReplicaService), and SHOW SLAVE HOSTS, which
// the master answers from its registry. Privileges as MySQL 5.7 checks them.
#include "common/errors.h"
#include "engine/exec.h"

namespace reptut::engine {
namespace {

using K = sql::StatementKind;

Status NeedAny(SessionState& s, PrivSet any_of, const char* names) {
  if ((s.account.global & any_of) != 0) return Status::Ok();
  return MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {names});
}

void Answer(Exec& x, const ResultTable& t) {
  std::vector<Exec::Col> cols;
  for (const ResultColumn& c : t.columns) {
    Exec::Col col{c.name, c.type, c.type == mysql::kTypeLongLong ? 21u : 64u};
    cols.push_back(std::move(col));
  }
  x.Rows(cols, t.rows);
}

void Notes(SessionState& s, const std::vector<StatementNote>& notes) {
  for (const StatementNote& n : notes) s.AddWarning(n.level, n.code, n.message);
}

}  // namespace

void ExecReplication(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  Status p = NeedAny(s, sql::kPrivSuper, "SUPER");
  if (!p.ok()) return x.Fail(p.error());
  ReplicaService* r = s.server->replica;
  if (!r) return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {sql::StatementKindName(st.kind)}));
  // These statements end the session's transaction first, as in MySQL.
  Status c = ImplicitCommit(s);
  if (!c.ok()) return x.Fail(c.error());
  std::vector<StatementNote> notes;
  Status done;
  switch (st.kind) {
    case K::kChangeMaster:
      done = r->ChangeMaster(st.repl.master, &notes);
      break;
    case K::kStartSlave:
      done = r->StartSlave(st.repl, &notes);
      break;
    case K::kStopSlave:
      done = r->StopSlave(st.repl, &notes);
      break;
    case K::kResetSlave:
      done = r->ResetSlave(st.repl.reset_all);
      break;
    default:
      done = MakeError(ER_NOT_SUPPORTED_YET, {sql::StatementKindName(st.kind)});
      break;
  }
  Notes(s, notes);
  if (!done.ok()) return x.Fail(done.error());
  x.Ok();
}

Status FlushRelayLogs(Exec& x) {
  ReplicaService* r = x.s.server->replica;
  if (!r) return Status::Ok();
  return r->FlushRelayLogs();
}

void ShowSlaveStatus(Exec& x) {
  Status p =
      NeedAny(x.s, sql::kPrivSuper | sql::kPrivReplicationClient, "SUPER, REPLICATION CLIENT");
  if (!p.ok()) return x.Fail(p.error());
  ReplicaService* r = x.s.server->replica;
  if (!r) return x.Rows({{"Slave_IO_State"}}, {});
  Answer(x, r->SlaveStatus());
}

void ShowRelaylogEvents(Exec& x, const sql::Statement& st) {
  Status p = NeedAny(x.s, sql::kPrivReplicationSlave | sql::kPrivSuper, "REPLICATION SLAVE");
  if (!p.ok()) return x.Fail(p.error());
  ReplicaService* r = x.s.server->replica;
  if (!r) return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"SHOW RELAYLOG EVENTS"}));
  Result<ResultTable> t = r->RelaylogEvents(st.show);
  if (!t.ok()) return x.Fail(t.error());
  Answer(x, *t);
}

void ShowSlaveHosts(Exec& x) {
  Status p = NeedAny(x.s, sql::kPrivReplicationSlave | sql::kPrivSuper, "REPLICATION SLAVE");
  if (!p.ok()) return x.Fail(p.error());
  std::vector<Row> rows;
  for (const SlaveHost& h : x.s.server->slaves.List()) {
    rows.push_back(
        {std::to_string(h.server_id), h.host, std::to_string(h.port), std::to_string(h.master_id)});
  }
  x.Rows({{"Server_id", mysql::kTypeLong, 10},
          {"Host"},
          {"Port", mysql::kTypeLong, 7},
          {"Master_id", mysql::kTypeLong, 10}},
         rows);
}

}  // namespace reptut::engine
