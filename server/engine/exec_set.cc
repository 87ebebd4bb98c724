// SET: user variables, system variables (session and global), SET NAMES,
// SET CHARACTER SET. The session-only variables the binary log replays
// (timestamp, insert_id, last_insert_id, pseudo_thread_id, rand seeds) act
// on the session's statement context.
#include <cstdlib>

#include "common/errors.h"
#include "engine/exec.h"

namespace reptut::engine {
namespace {

constexpr uint16_t kErReadOnlyVariable = 1238;
constexpr uint16_t kErSessionReadOnlyVariable = 1621;

// The tables a SET value reads (SET @x = (SELECT ... FROM t)) need SELECT,
// as in a SELECT statement: 1142 before anything is assigned, then 1146
// for a table that does not exist (which also attaches its database for
// the evaluation).
Status CheckValueReads(SessionState& s, const std::vector<sql::TableName>& tables) {
  for (const sql::TableName& t : tables) {
    Result<std::string> db = DbOf(s, t);
    if (!db.ok()) return db.error();
    REPTUT_RETURN_IF_ERROR(CheckTablePriv(s, *db, t.name, sql::kPrivSelect, "SELECT"));
    Result<Catalog::DefPtr> def = ResolveTable(s, t);
    if (!def.ok()) return def.error();
  }
  return Status::Ok();
}

// The privileges MariaDB 10.11 names when a user without them sets the
// variable (SUPER is the one this server has of each list).
const char* PrivilegesToSet(const std::string& name, bool global) {
  if (!global) {
    if (name == "sql_log_bin") return "SUPER, BINLOG ADMIN";
    if (name == "binlog_format") return "SUPER, BINLOG ADMIN";
    if (name == "gtid_domain_id" || name == "gtid_seq_no" || name == "pseudo_thread_id") {
      return "SUPER, BINLOG REPLAY";
    }
    return "SUPER";
  }
  if (name == "max_connections" || name == "connect_timeout" || name == "init_connect") {
    return "SUPER, CONNECTION ADMIN";
  }
  if (name == "server_id" || name == "gtid_domain_id") return "SUPER, REPLICATION MASTER ADMIN";
  if (name == "read_only") return "READ_ONLY ADMIN";
  if (name == "sync_binlog" || name == "max_binlog_size" || name == "expire_logs_days" ||
      name == "binlog_format") {
    return "SUPER, BINLOG ADMIN";
  }
  if (name == "slave_net_timeout" || name.rfind("replicate_", 0) == 0) {
    return "SUPER, REPLICATION SLAVE ADMIN";
  }
  return "SUPER";
}

// 1227 when the session may not set the variable in the scope written:
// every SET GLOBAL needs SUPER (it sets the value each new session starts
// with), SET SESSION only of the guarded variables (nothing for an unknown variable or a wrong
// scope: SetSystemVariable reports those).
Status CheckSetPrivilege(SessionState& s, const sql::SetItem& item) {
  const VarDef* def = s.server->globals.Find(item.name);
  if (!def || def->read_only) return Status::Ok();
  bool global = item.scope == sql::VarScope::kGlobal;
  if (global && def->scope == VarScope::kSession) return Status::Ok();
  if (!global && def->scope == VarScope::kGlobal) return Status::Ok();
  if ((global || def->needs_super) && !Accounts::HasGlobal(s.account, sql::kPrivSuper)) {
    return MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {PrivilegesToSet(def->name, global)});
  }
  return Status::Ok();
}

Status SetSystemVariable(SessionState& s, const sql::SetItem& item) {
  GlobalVariables& globals = s.server->globals;
  const VarDef* def = globals.Find(item.name);
  if (!def) return MakeError(ER_UNKNOWN_SYSTEM_VARIABLE, {item.name});
  bool global = item.scope == sql::VarScope::kGlobal;
  if (global && def->scope == VarScope::kSession) return MakeError(ER_LOCAL_VARIABLE, {def->name});
  if (!global && def->scope == VarScope::kGlobal) {
    if (item.scope == sql::VarScope::kDefault) {
      global = true;  // MySQL: SET x = v of a global-only variable needs GLOBAL
      return MakeError(ER_GLOBAL_VARIABLE, {def->name});
    }
    return MakeError(ER_GLOBAL_VARIABLE, {def->name});
  }
  if (def->read_only) {
    return MakeErrorMsg(kErReadOnlyVariable,
                        "Variable '" + def->name + "' is a read only variable");
  }
  if (!global && def->session_read_only) {
    // max_allowed_packet, net_buffer_length: a connection keeps the value
    // it started with.
    return MakeErrorMsg(
        kErSessionReadOnlyVariable,
        "SESSION variable '" + def->name + "' is read-only. Use SET GLOBAL to assign the value");
  }
  REPTUT_RETURN_IF_ERROR(CheckSetPrivilege(s, item));
  std::string raw;
  if (item.is_default) {
    raw = global ? globals.Get(def->name).value_or("") : globals.Get(def->name).value_or("");
    if (def->name == "timestamp" || def->name == "insert_id" || def->name == "last_insert_id") {
      raw = "0";
    }
  } else if (!item.value_word.empty()) {
    raw = item.value_word;
  } else {
    Result<UserValue> v = Evaluate(s, item.value_sql, item.user_vars_read);
    if (!v.ok()) return v.error();
    if (v->type == UserValue::Type::kNull) {
      if (def->type != VarType::kString) {
        return MakeError(ER_WRONG_VALUE_FOR_VAR, {def->name, "NULL"});
      }
      raw = "";
    } else {
      raw = ValueText(*v);
    }
  }
  Result<std::string> value = GlobalVariables::Normalize(*def, raw);
  if (!value.ok()) return value.error();
  const std::string& n = def->name;
  if (n == "auto_increment_increment" || n == "auto_increment_offset") {
    // 1..65535; a value outside is cut to the range with a warning (strtoll
    // saturates the ones beyond a long long).
    long long v = std::strtoll(value->c_str(), nullptr, 10);
    if (v < 1 || v > 65535) {
      s.AddWarning("Warning", ER_TRUNCATED_WRONG_VALUE,
                   "Truncated incorrect " + n + " value: '" + *value + "'");
      *value = v < 1 ? "1" : "65535";
    }
  }
  if (global) {
    globals.SetInternal(n, *value);
    // As MySQL: super_read_only ON implies read_only ON; read_only OFF
    // turns super_read_only OFF.
    if (n == "super_read_only" && *value == "1") globals.SetInternal("read_only", "1");
    if (n == "read_only" && *value == "0") globals.SetInternal("super_read_only", "0");
    return Status::Ok();
  }
  if (n == "autocommit") {
    bool on = *value == "1";
    if (on && !s.autocommit) REPTUT_RETURN_IF_ERROR(CommitTxn(s));
    s.autocommit = on;
  } else if (n == "insert_id") {
    s.insert_id_for_next = std::strtoull(value->c_str(), nullptr, 10);
  } else if (n == "last_insert_id") {
    s.last_insert_id = std::strtoull(value->c_str(), nullptr, 10);
  } else if (n == "rand_seed1") {
    s.rand_seed1 = static_cast<uint32_t>(std::strtoul(value->c_str(), nullptr, 10));
  } else if (n == "rand_seed2") {
    s.rand_seed2 = static_cast<uint32_t>(std::strtoul(value->c_str(), nullptr, 10));
  } else if (n == "character_set_client" || n == "character_set_results" ||
             n == "character_set_connection") {
    std::string cs = Lower(*value);
    if (cs == "utf8mb3") cs = "utf8";
    s.vars[n] = cs;
    return Status::Ok();
  }
  s.vars[n] = *value;
  return Status::Ok();
}

}  // namespace

void ExecSet(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  // Values cached from the variables (SessionState::Hot, ContextOf) are
  // read again after this statement, however it ends: evaluating a value
  // may read (and cache) them before the new value is stored.
  struct BumpAfter {
    SessionState& s;
    ~BumpAfter() { ++s.vars_generation; }
  } bump{s};
  ++s.vars_generation;
  if (st.kind == sql::StatementKind::kSetTransaction) return x.Ok();
  // Every value is checked before any variable changes: MySQL refuses the
  // whole statement when one value reads a table the user may not read.
  // So is a statement that sets one variable the user may not set (MySQL
  // checks every variable's privilege before assigning any).
  for (const sql::SetItem& item : st.set.items) {
    if (item.type != sql::SetItem::Type::kSysVar) continue;
    Status p = CheckSetPrivilege(s, item);
    if (!p.ok()) return x.Fail(p.error());
  }
  for (const sql::SetItem& item : st.set.items) {
    Status p = CheckValueReads(s, item.tables);
    if (!p.ok()) return x.Fail(p.error());
  }
  for (const sql::SetItem& item : st.set.items) {
    switch (item.type) {
      case sql::SetItem::Type::kUserVar: {
        Result<UserValue> v = Evaluate(s, item.value_sql, item.user_vars_read);
        if (!v.ok()) return x.Fail(v.error());
        s.user_vars[item.name] = *v;
        break;
      }
      case sql::SetItem::Type::kSysVar: {
        Status r = SetSystemVariable(s, item);
        if (!r.ok()) return x.Fail(r.error());
        break;
      }
      case sql::SetItem::Type::kNames: {
        std::string cs =
            item.charset == "default" ? s.SessionVar("character_set_server") : item.charset;
        if (cs == "utf8mb3") cs = "utf8";
        s.vars["character_set_client"] = cs;
        s.vars["character_set_connection"] = cs;
        s.vars["character_set_results"] = cs;
        s.vars["collation_connection"] =
            item.collation.empty() ? sql::DefaultCollationFor(cs) : item.collation;
        break;
      }
      case sql::SetItem::Type::kCharacterSet: {
        std::string cs =
            item.charset == "default" ? s.SessionVar("character_set_server") : item.charset;
        s.vars["character_set_client"] = cs;
        s.vars["character_set_results"] = cs;
        s.vars["character_set_connection"] = s.SessionVar("character_set_database");
        break;
      }
    }
  }
  x.Ok();
}

}  // namespace reptut::engine
