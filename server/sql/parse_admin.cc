// SET, transactions, FLUSH, LOCK TABLES, replication statements.
#include "sql/parser_internal.h"

namespace reptut::sql::internal {

namespace {

VarScope FromToken(SysVarScope s) {
  switch (s) {
    case SysVarScope::kGlobal:
      return VarScope::kGlobal;
    case SysVarScope::kSession:
      return VarScope::kSession;
    case SysVarScope::kLocal:
      return VarScope::kLocal;
    case SysVarScope::kNone:
      break;
  }
  return VarScope::kDefault;
}

}  // namespace

void Parser::ParseSet(Statement& st) {
  Expect("SET");
  // SET [GLOBAL|SESSION] TRANSACTION ...: accepted, ignored.
  {
    size_t save = pos_;
    VarScope scope = VarScope::kDefault;
    if (Accept("GLOBAL"))
      scope = VarScope::kGlobal;
    else if (Accept("SESSION") || Accept("LOCAL"))
      scope = VarScope::kSession;
    if (Accept("TRANSACTION")) {
      st.kind = StatementKind::kSetTransaction;
      st.set.scope = scope;
      // ISOLATION LEVEL ... | READ WRITE | READ ONLY, ...
      do {
        if (AcceptSeq({"ISOLATION", "LEVEL"})) {
          if (AcceptSeq({"REPEATABLE", "READ"}) || AcceptSeq({"READ", "COMMITTED"}) ||
              AcceptSeq({"READ", "UNCOMMITTED"}) || Accept("SERIALIZABLE")) {
          } else {
            Fail();
          }
        } else if (AcceptSeq({"READ", "WRITE"}) || AcceptSeq({"READ", "ONLY"})) {
        } else {
          Fail();
        }
      } while (AcceptOp(","));
      ExpectEnd();
      return;
    }
    pos_ = save;
  }
  if (Cur().Is("PASSWORD") && (Peek(1).IsOp("=") || Peek(1).Is("FOR"))) {
    Advance();  // on to the SET items below only after a comma
    st.kind = StatementKind::kSetPassword;
    UserSpec spec;
    if (Accept("FOR")) {
      spec.user = ParseUser();
    } else {
      spec.user.current_user = true;
      spec.user.host.clear();
    }
    ExpectOp("=");
    if (Cur().Is("PASSWORD") && Peek(1).IsOp("(")) {
      Advance();
      Advance();
      spec.auth_kind = UserSpec::Auth::kPassword;
      spec.auth = StringLit();
      ExpectOp(")");
    } else if (Cur().Is("OLD_PASSWORD")) {
      Unsupported("OLD_PASSWORD");
    } else {
      spec.auth = StringLit();
      bool hash = spec.auth.size() == 41 && spec.auth[0] == '*';
      spec.auth_kind = hash ? UserSpec::Auth::kHash : UserSpec::Auth::kPassword;
    }
    st.account.users.push_back(spec);
    // SET PASSWORD = '...', sql_log_off = 0 (mariadb-admin password): the
    // assignments after it go to st.set.items.
    if (!AcceptOp(",")) {
      ExpectEnd();
      return;
    }
  } else {
    st.kind = StatementKind::kSet;
  }
  VarScope persisted = VarScope::kDefault;
  do {
    SetItem item;
    if (Accept("NAMES")) {
      item.type = SetItem::Type::kNames;
      if (Accept("DEFAULT")) {
        item.charset = "default";
      } else {
        item.charset = Accept("BINARY") ? "binary" : ToLower(IdentOrString());
        if (Accept("COLLATE")) {
          if (Accept("DEFAULT")) {
          } else {
            item.collation = ToLower(IdentOrString());
          }
        }
      }
      st.set.items.push_back(std::move(item));
      continue;
    }
    if (AcceptSeq({"CHARACTER", "SET"}) || Accept("CHARSET")) {
      item.type = SetItem::Type::kCharacterSet;
      if (Accept("DEFAULT")) {
        item.charset = "default";
      } else {
        item.charset = Accept("BINARY") ? "binary" : ToLower(IdentOrString());
      }
      st.set.items.push_back(std::move(item));
      continue;
    }
    if (Accept("GLOBAL")) {
      persisted = VarScope::kGlobal;
    } else if (Accept("SESSION")) {
      persisted = VarScope::kSession;
    } else if (Accept("LOCAL")) {
      persisted = VarScope::kLocal;
    }
    const Token& t = Cur();
    if (t.kind == TokenKind::kUserVar) {
      item.type = SetItem::Type::kUserVar;
      item.name = ToLower(Advance().text);
    } else if (t.kind == TokenKind::kSysVar) {
      item.type = SetItem::Type::kSysVar;
      item.scope = FromToken(t.sysvar_scope);
      item.name = ToLower(Advance().text);
    } else if (t.kind == TokenKind::kIdent || t.kind == TokenKind::kQuotedIdent) {
      item.type = SetItem::Type::kSysVar;
      item.scope = persisted;
      item.name = ToLower(Advance().text);
      if (Cur().IsOp(".") && Peek(1).IsIdentLike()) {
        Advance();
        item.name += "." + ToLower(Advance().text);
      }
    } else {
      Fail();
    }
    if (!AcceptOp("=") && !AcceptOp(":=")) Fail();
    size_t value_begin = Cur().offset;
    const Token& v = Cur();
    bool single = Peek(1).IsOp(",") || Peek(1).kind == TokenKind::kEnd ||
                  (Peek(1).IsOp(";") && Peek(2).kind == TokenKind::kEnd);
    if (single && (v.kind == TokenKind::kIdent || v.kind == TokenKind::kQuotedIdent) &&
        !v.Is("NULL") && !v.Is("TRUE") && !v.Is("FALSE")) {
      if (item.type == SetItem::Type::kUserVar) {
        Raise(MakeError(ER_BAD_FIELD_ERROR, {v.text, "field list"}));
      }
      if (v.Is("DEFAULT") && v.kind == TokenKind::kIdent) item.is_default = true;
      item.value_word = v.text;
      Advance();
    } else {
      DmlInfo scratch;
      DmlInfo* saved = info_;
      set_info(&scratch);
      Expr e = ParseExpr();
      set_info(saved);
      item.value_sql = e.sql;
      item.user_vars_read = scratch.user_vars_read;
      item.sysvars_read = scratch.sysvars_read;
      item.tables = scratch.tables;
      item.uses_now = scratch.uses_now;
      item.uses_rand = scratch.uses_rand;
    }
    item.value_text = SourceText(value_begin, PrevEnd());
    st.set.items.push_back(std::move(item));
  } while (AcceptOp(","));
  ExpectEnd();
}

void Parser::ParseBegin(Statement& st) {
  const Token& t = Cur();
  if (t.Is("XA")) Unsupported("XA transactions");
  if (Accept("BEGIN")) {
    Accept("WORK");
    st.kind = StatementKind::kBegin;
  } else if (Accept("START")) {
    Expect("TRANSACTION");
    st.kind = StatementKind::kBegin;
    if (!AtEnd()) {
      do {
        if (AcceptSeq({"WITH", "CONSISTENT", "SNAPSHOT"})) {
          st.txn.consistent_snapshot = true;
        } else if (AcceptSeq({"READ", "ONLY"})) {
          st.txn.read_only = true;
        } else if (AcceptSeq({"READ", "WRITE"})) {
        } else {
          Fail();
        }
      } while (AcceptOp(","));
    }
  } else if (Accept("COMMIT")) {
    Accept("WORK");
    st.kind = StatementKind::kCommit;
    if (Accept("AND")) {
      if (Accept("NO")) {
        Expect("CHAIN");
      } else {
        Expect("CHAIN");
        st.txn.chain = true;
      }
    }
    if (Accept("NO")) {
      Expect("RELEASE");
    } else if (Accept("RELEASE")) {
      st.txn.release = true;
    }
  } else if (Accept("ROLLBACK")) {
    Accept("WORK");
    if (Accept("TO")) {
      Accept("SAVEPOINT");
      st.kind = StatementKind::kRollbackToSavepoint;
      st.txn.savepoint = Ident();
    } else {
      st.kind = StatementKind::kRollback;
      if (Accept("AND")) {
        if (Accept("NO")) {
          Expect("CHAIN");
        } else {
          Expect("CHAIN");
          st.txn.chain = true;
        }
      }
      if (Accept("NO")) {
        Expect("RELEASE");
      } else if (Accept("RELEASE")) {
        st.txn.release = true;
      }
    }
  } else if (Accept("SAVEPOINT")) {
    st.kind = StatementKind::kSavepoint;
    st.txn.savepoint = Ident();
  } else if (Accept("RELEASE")) {
    Expect("SAVEPOINT");
    st.kind = StatementKind::kReleaseSavepoint;
    st.txn.savepoint = Ident();
  } else {
    Fail();
  }
  ExpectEnd();
}

void Parser::ParseFlush(Statement& st) {
  Expect("FLUSH");
  st.kind = StatementKind::kFlush;
  AdminInfo& a = st.admin;
  if (Accept("LOCAL") || Accept("NO_WRITE_TO_BINLOG")) a.flush_local = true;
  do {
    if (Accept("TABLES") || Accept("TABLE")) {
      a.flush_what.push_back("tables");
      if (IsIdentToken(Cur())) {
        do {
          a.flush_tables.push_back(ParseTableName());
        } while (AcceptOp(","));
      }
      if (AcceptSeq({"WITH", "READ", "LOCK"})) {
        a.flush_read_lock = true;
      } else if (AcceptSeq({"FOR", "EXPORT"})) {
        Unsupported("FLUSH TABLES ... FOR EXPORT");
      }
    } else if (Accept("LOGS")) {
      a.flush_what.push_back("logs");
    } else if (AcceptSeq({"BINARY", "LOGS"})) {
      a.flush_what.push_back("binary logs");
    } else if (AcceptSeq({"RELAY", "LOGS"})) {
      a.flush_what.push_back("relay logs");
    } else if (AcceptSeq({"ENGINE", "LOGS"})) {
      a.flush_what.push_back("engine logs");
    } else if (AcceptSeq({"ERROR", "LOGS"})) {
      a.flush_what.push_back("error logs");
    } else if (AcceptSeq({"GENERAL", "LOGS"})) {
      a.flush_what.push_back("general logs");
    } else if (AcceptSeq({"SLOW", "LOGS"})) {
      a.flush_what.push_back("slow logs");
    } else if (Accept("PRIVILEGES")) {
      a.flush_what.push_back("privileges");
    } else if (Accept("STATUS")) {
      a.flush_what.push_back("status");
    } else if (Accept("HOSTS")) {
      a.flush_what.push_back("hosts");
    } else if (AcceptSeq({"QUERY", "CACHE"})) {
      a.flush_what.push_back("query cache");
    } else if (Accept("USER_RESOURCES")) {
      a.flush_what.push_back("user_resources");
    } else if (Accept("DES_KEY_FILE")) {
      a.flush_what.push_back("des_key_file");
    } else if (Accept("OPTIMIZER_COSTS")) {
      a.flush_what.push_back("optimizer_costs");
    } else {
      Fail();
    }
  } while (AcceptOp(","));
  ExpectEnd();
}

void Parser::ParseLockTables(Statement& st) {
  Expect("LOCK");
  if (!Accept("TABLES")) Expect("TABLE");
  st.kind = StatementKind::kLockTables;
  do {
    AdminInfo::LockedTable lt;
    lt.table = ParseTableName();
    if (Accept("AS")) {
      lt.alias = Ident();
    } else if (IsIdentToken(Cur()) && !Cur().Is("READ") && !Cur().Is("WRITE") &&
               !Cur().Is("LOW_PRIORITY")) {
      lt.alias = Ident();
    }
    if (Accept("READ")) {
      Accept("LOCAL");
    } else {
      Accept("LOW_PRIORITY");
      Expect("WRITE");
      lt.write = true;
    }
    st.admin.lock_tables.push_back(std::move(lt));
  } while (AcceptOp(","));
  ExpectEnd();
}

void Parser::ParsePurge(Statement& st) {
  Expect("PURGE");
  if (!Accept("BINARY")) Expect("MASTER");
  Expect("LOGS");
  st.kind = StatementKind::kPurgeBinaryLogs;
  if (Accept("TO")) {
    st.repl.purge_to = StringLit();
  } else if (Accept("BEFORE")) {
    size_t begin = Cur().offset;
    DmlInfo scratch;
    set_info(&scratch);
    Expr e = ParseExpr();
    st.repl.purge_before_sql = e.sql;
    st.repl.purge_before_text = SourceText(begin, PrevEnd());
  } else {
    Fail();
  }
  ExpectEnd();
}

void Parser::ParseChangeMaster(Statement& st) {
  Expect("CHANGE");
  if (Cur().Is("REPLICATION") && Peek(1).Is("FILTER")) Unsupported("CHANGE REPLICATION FILTER");
  Expect("MASTER");
  Expect("TO");
  st.kind = StatementKind::kChangeMaster;
  ChangeMasterOptions& m = st.repl.master;
  auto parse_u64 = [&](const std::string& s) -> uint64_t {
    uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') Fail();
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return v;
  };
  do {
    if (!Cur().IsIdentLike()) Fail();
    std::string name = ToUpper(Advance().text);
    ExpectOp("=");
    std::string value;
    const Token& v = Cur();
    bool is_string = v.kind == TokenKind::kString;
    if (name == "IGNORE_SERVER_IDS" || name == "DO_DOMAIN_IDS" || name == "IGNORE_DOMAIN_IDS") {
      ExpectOp("(");
      std::string list;
      if (!Cur().IsOp(")")) {
        do {
          if (!list.empty()) list += ",";
          list += std::to_string(UInt());
        } while (AcceptOp(","));
      }
      ExpectOp(")");
      value = list;
    } else if (v.kind == TokenKind::kString || v.kind == TokenKind::kInteger ||
               v.kind == TokenKind::kDecimal) {
      value = Advance().text;
    } else if (v.kind == TokenKind::kIdent && name == "MASTER_USE_GTID") {
      value = ToLower(Advance().text);
    } else {
      Fail();
    }
    bool numeric = !is_string;
    auto want_string = [&]() {
      if (!is_string) FailAt(v);
    };
    auto want_number = [&]() -> uint64_t {
      if (!numeric || v.kind != TokenKind::kInteger) FailAt(v);
      return parse_u64(value);
    };
    if (name == "MASTER_HOST") {
      want_string();
      m.host = value;
    } else if (name == "MASTER_USER") {
      want_string();
      m.user = value;
    } else if (name == "MASTER_PASSWORD") {
      want_string();
      m.password = value;
    } else if (name == "MASTER_PORT") {
      m.port = want_number();
    } else if (name == "MASTER_LOG_FILE") {
      want_string();
      m.log_file = value;
    } else if (name == "MASTER_LOG_POS") {
      m.log_pos = want_number();
    } else if (name == "MASTER_CONNECT_RETRY") {
      m.connect_retry = want_number();
    } else if (name == "RELAY_LOG_FILE") {
      want_string();
      m.relay_log_file = value;
    } else if (name == "RELAY_LOG_POS") {
      m.relay_log_pos = want_number();
    } else if (name == "MASTER_USE_GTID") {
      std::string l = ToLower(value);
      if (l != "no" && l != "slave_pos" && l != "current_pos") FailAt(v);
      m.use_gtid = l;
    } else if (name == "MASTER_SSL") {
      uint64_t n = want_number();
      if (n > 1) FailAt(v);
      m.ssl = n == 1;
    } else if (name == "MASTER_HEARTBEAT_PERIOD") {
      if (!numeric) FailAt(v);
      m.heartbeat_period = std::stod(value);
    } else if (name == "MASTER_SSL_CA" || name == "MASTER_SSL_CAPATH" ||
               name == "MASTER_SSL_CERT" || name == "MASTER_SSL_KEY" ||
               name == "MASTER_SSL_CIPHER" || name == "MASTER_SSL_CRL" ||
               name == "MASTER_SSL_CRLPATH" || name == "MASTER_TLS_VERSION" ||
               name == "MASTER_BIND") {
      want_string();
    } else if (name == "MASTER_SSL_VERIFY_SERVER_CERT" || name == "MASTER_DELAY" ||
               name == "MASTER_RETRY_COUNT" || name == "MASTER_AUTO_POSITION" ||
               name == "IGNORE_SERVER_IDS" || name == "DO_DOMAIN_IDS" ||
               name == "IGNORE_DOMAIN_IDS") {
      // accepted, kept in raw
    } else {
      FailAt(v);
    }
    m.raw.emplace_back(name, value);
  } while (AcceptOp(","));
  if (Accept("FOR")) {
    Expect("CHANNEL");
    Unsupported("FOR CHANNEL");
  }
  ExpectEnd();
}

void Parser::ParseSlaveThreads(Statement& st) {
  do {
    if (Accept("IO_THREAD")) {
      st.repl.io_thread = true;
    } else if (Accept("SQL_THREAD")) {
      st.repl.sql_thread = true;
    } else {
      Fail();
    }
  } while (AcceptOp(","));
}

void Parser::ParseStartSlave(Statement& st, bool old_syntax) {
  if (old_syntax) {
    Expect("SLAVE");
    if (Accept("START")) {
      st.kind = StatementKind::kStartSlave;
    } else if (Accept("STOP")) {
      st.kind = StatementKind::kStopSlave;
    } else {
      Fail();
    }
    if (Cur().Is("IO_THREAD") || Cur().Is("SQL_THREAD")) ParseSlaveThreads(st);
    ExpectEnd();
    return;
  }
  Expect("START");
  if (!Accept("SLAVE")) Expect("REPLICA");
  st.kind = StatementKind::kStartSlave;
  if (Cur().Is("IO_THREAD") || Cur().Is("SQL_THREAD")) ParseSlaveThreads(st);
  if (Accept("UNTIL")) {
    std::string file;
    std::optional<uint64_t> pos;
    bool relay = false;
    bool master = false;
    do {
      if (!Cur().IsIdentLike()) Fail();
      std::string name = ToUpper(Advance().text);
      ExpectOp("=");
      if (name == "MASTER_LOG_FILE") {
        master = true;
        file = StringLit();
      } else if (name == "MASTER_LOG_POS") {
        master = true;
        pos = UInt();
      } else if (name == "RELAY_LOG_FILE") {
        relay = true;
        file = StringLit();
      } else if (name == "RELAY_LOG_POS") {
        relay = true;
        pos = UInt();
      } else if (name == "MASTER_GTID_POS" || name == "SQL_BEFORE_GTIDS" ||
                 name == "SQL_AFTER_GTIDS") {
        Unsupported("START SLAVE UNTIL " + name);
      } else {
        Fail();
      }
    } while (AcceptOp(","));
    if ((master && relay) || file.empty() || !pos) {
      Raise(MakeErrorMsg(1277,
                         "Incorrect parameter or combination of parameters for START SLAVE UNTIL"));
    }
    st.repl.until = master ? ReplInfo::Until::kMasterLog : ReplInfo::Until::kRelayLog;
    st.repl.until_file = file;
    st.repl.until_pos = *pos;
  }
  // Connection options: accepted and ignored.
  while (Cur().Is("USER") || Cur().Is("PASSWORD") || Cur().Is("DEFAULT_AUTH") ||
         Cur().Is("PLUGIN_DIR")) {
    Advance();
    ExpectOp("=");
    StringLit();
  }
  ExpectEnd();
}

void Parser::ParseStopSlave(Statement& st) {
  Expect("STOP");
  if (!Accept("SLAVE")) Expect("REPLICA");
  st.kind = StatementKind::kStopSlave;
  if (Cur().Is("IO_THREAD") || Cur().Is("SQL_THREAD")) ParseSlaveThreads(st);
  ExpectEnd();
}

// CHECK TABLE t, ... [FOR UPGRADE | QUICK | FAST | MEDIUM | EXTENDED | CHANGED]...
// ANALYZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE t, ...
// OPTIMIZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE t, ...
// REPAIR [NO_WRITE_TO_BINLOG | LOCAL] TABLE t, ... [QUICK] [EXTENDED] [USE_FRM]
// CHECKSUM TABLE t, ... [QUICK | EXTENDED]
// TABLES may stand for TABLE. Options go to admin.maintenance_options,
// uppercase, as written (LOCAL / NO_WRITE_TO_BINLOG first when given).
void Parser::ParseTableMaintenance(Statement& st) {
  std::string verb = ToUpper(Advance().text);
  AdminInfo& a = st.admin;
  bool takes_local = verb == "ANALYZE" || verb == "OPTIMIZE" || verb == "REPAIR";
  if (takes_local && (Cur().Is("LOCAL") || Cur().Is("NO_WRITE_TO_BINLOG"))) {
    a.maintenance_options.push_back(ToUpper(Advance().text));
  }
  if (!Accept("TABLE") && !Accept("TABLES")) {
    // MariaDB's ANALYZE SELECT ..., CHECK VIEW ...: not this statement.
    if (verb == "ANALYZE" || (verb == "CHECK" && Cur().Is("VIEW"))) {
      Unsupported(verb + " " + ToUpper(Cur().text));
    }
    Fail();
  }
  if (verb == "CHECK") st.kind = StatementKind::kCheckTable;
  if (verb == "ANALYZE") st.kind = StatementKind::kAnalyzeTable;
  if (verb == "OPTIMIZE") st.kind = StatementKind::kOptimizeTable;
  if (verb == "REPAIR") st.kind = StatementKind::kRepairTable;
  if (verb == "CHECKSUM") st.kind = StatementKind::kChecksumTable;
  do {
    a.maintenance_tables.push_back(ParseTableName());
  } while (AcceptOp(","));
  if (verb == "ANALYZE" && Cur().Is("PERSISTENT")) Unsupported("ANALYZE TABLE ... PERSISTENT");
  if (verb == "ANALYZE" && (Cur().Is("UPDATE") || Cur().Is("DROP"))) {
    Unsupported("ANALYZE TABLE ... HISTOGRAM");
  }
  auto option_allowed = [&](const std::string& w) {
    if (verb == "CHECK") {
      return w == "QUICK" || w == "FAST" || w == "MEDIUM" || w == "EXTENDED" || w == "CHANGED";
    }
    if (verb == "REPAIR") return w == "QUICK" || w == "EXTENDED" || w == "USE_FRM";
    if (verb == "CHECKSUM")
      return (w == "QUICK" || w == "EXTENDED") && a.maintenance_options.empty();
    return false;
  };
  while (!AtEnd()) {
    if (verb == "CHECK" && AcceptSeq({"FOR", "UPGRADE"})) {
      a.maintenance_options.push_back("FOR UPGRADE");
      continue;
    }
    if (Cur().kind != TokenKind::kIdent || !option_allowed(ToUpper(Cur().text))) Fail();
    a.maintenance_options.push_back(ToUpper(Advance().text));
  }
  ExpectEnd();
}

}  // namespace reptut::sql::internal
