// CREATE USER, DROP USER, RENAME USER, GRANT, REVOKE.
#include "sql/parser_internal.h"

namespace reptut::sql::internal {

void Parser::ParseIdentified(UserSpec& spec) {
  if (!Accept("IDENTIFIED")) return;
  if (Accept("BY")) {
    if (Accept("PASSWORD")) {
      spec.auth_kind = UserSpec::Auth::kHash;
      spec.auth = StringLit();
    } else {
      spec.auth_kind = UserSpec::Auth::kPassword;
      spec.auth = StringLit();
    }
    return;
  }
  if (Accept("WITH")) {
    spec.plugin = ToLower(IdentOrString());
    if (spec.plugin != "mysql_native_password") Unsupported("authentication plugin " + spec.plugin);
    if (Accept("BY")) {
      spec.auth_kind = UserSpec::Auth::kPassword;
      spec.auth = StringLit();
    } else if (Accept("AS")) {
      spec.auth_kind = UserSpec::Auth::kHash;
      spec.auth = StringLit();
    }
    return;
  }
  Fail();
}

void Parser::ParseCreateUser(Statement& st) {
  // After CREATE USER.
  st.kind = StatementKind::kCreateUser;
  if (AcceptSeq({"IF", "NOT", "EXISTS"})) st.account.if_not_exists = true;
  do {
    UserSpec spec;
    spec.user = ParseUser();
    if (spec.user.current_user) Fail();
    ParseIdentified(spec);
    st.account.users.push_back(std::move(spec));
  } while (AcceptOp(","));
  SkipAccountOptions();
  ExpectEnd();
}

void Parser::SkipAccountOptions() {
  // REQUIRE NONE, WITH resource limits, PASSWORD EXPIRE ..., ACCOUNT LOCK|UNLOCK:
  // accepted and ignored (SSL requirements are not supported).
  while (!AtEnd()) {
    if (Accept("REQUIRE")) {
      if (!Accept("NONE")) Unsupported("REQUIRE");
    } else if (Accept("WITH")) {
      bool any = false;
      while (Accept("MAX_QUERIES_PER_HOUR") || Accept("MAX_UPDATES_PER_HOUR") ||
             Accept("MAX_CONNECTIONS_PER_HOUR") || Accept("MAX_USER_CONNECTIONS")) {
        UInt();
        any = true;
      }
      if (!any) Fail();
    } else if (Accept("PASSWORD")) {
      Expect("EXPIRE");
      if (Accept("INTERVAL")) {
        UInt();
        Expect("DAY");
      } else if (!Accept("DEFAULT")) {
        Accept("NEVER");
      }
    } else if (Accept("ACCOUNT")) {
      if (!Accept("LOCK")) Expect("UNLOCK");
    } else {
      Fail();
    }
  }
}

void Parser::ParseAlterUser(Statement& st) {
  // ALTER USER [IF EXISTS] user IDENTIFIED BY 'pw' (MySQL 5.7's way of
  // setting a password): reported as kSetPassword for that user.
  st.kind = StatementKind::kSetPassword;
  if (AcceptSeq({"IF", "EXISTS"})) st.account.if_exists = true;
  UserSpec spec;
  if (Cur().Is("USER") && Peek(1).IsOp("(")) {
    Advance();
    Advance();
    ExpectOp(")");
    spec.user.current_user = true;
    spec.user.host.clear();
  } else {
    spec.user = ParseUser();
  }
  ParseIdentified(spec);
  if (spec.auth_kind == UserSpec::Auth::kNone) Unsupported("ALTER USER without IDENTIFIED");
  if (Cur().IsOp(",")) Unsupported("ALTER USER for several users");
  st.account.users.push_back(std::move(spec));
  SkipAccountOptions();
  ExpectEnd();
}

void Parser::ParseDropUser(Statement& st) {
  st.kind = StatementKind::kDropUser;
  if (AcceptSeq({"IF", "EXISTS"})) st.account.if_exists = true;
  do {
    UserSpec spec;
    spec.user = ParseUser();
    st.account.users.push_back(std::move(spec));
  } while (AcceptOp(","));
  ExpectEnd();
}

void Parser::ParseRenameUser(Statement& st) {
  Expect("RENAME");
  Expect("USER");
  st.kind = StatementKind::kRenameUser;
  do {
    UserName from = ParseUser();
    Expect("TO");
    UserName to = ParseUser();
    st.account.renames.emplace_back(from, to);
  } while (AcceptOp(","));
  ExpectEnd();
}

uint64_t Parser::ParsePrivileges(bool* all) {
  uint64_t mask = 0;
  *all = false;
  do {
    uint64_t bit = 0;
    if (Accept("ALL")) {
      Accept("PRIVILEGES");
      *all = true;
    } else if (Accept("USAGE")) {
    } else if (Accept("SELECT")) {
      bit = kPrivSelect;
    } else if (Accept("INSERT")) {
      bit = kPrivInsert;
    } else if (Accept("UPDATE")) {
      bit = kPrivUpdate;
    } else if (Accept("DELETE")) {
      bit = kPrivDelete;
    } else if (Accept("CREATE")) {
      if (AcceptSeq({"TEMPORARY", "TABLES"})) {
        bit = kPrivCreateTemporaryTables;
      } else if (Accept("VIEW")) {
        bit = kPrivCreateView;
      } else if (Accept("ROUTINE")) {
        bit = kPrivCreateRoutine;
      } else if (Accept("USER")) {
        bit = kPrivCreateUser;
      } else if (Accept("TABLESPACE")) {
        bit = kPrivCreateTablespace;
      } else {
        bit = kPrivCreate;
      }
    } else if (Accept("DROP")) {
      bit = kPrivDrop;
    } else if (Accept("RELOAD")) {
      bit = kPrivReload;
    } else if (Accept("SHUTDOWN")) {
      bit = kPrivShutdown;
    } else if (Accept("PROCESS")) {
      bit = kPrivProcess;
    } else if (Accept("FILE")) {
      bit = kPrivFile;
    } else if (AcceptSeq({"GRANT", "OPTION"})) {
      bit = kPrivGrantOption;
    } else if (Accept("REFERENCES")) {
      bit = kPrivReferences;
    } else if (Accept("INDEX")) {
      bit = kPrivIndex;
    } else if (Accept("ALTER")) {
      bit = Accept("ROUTINE") ? kPrivAlterRoutine : kPrivAlter;
    } else if (AcceptSeq({"SHOW", "DATABASES"})) {
      bit = kPrivShowDatabases;
    } else if (AcceptSeq({"SHOW", "VIEW"})) {
      bit = kPrivShowView;
    } else if (Accept("SUPER")) {
      bit = kPrivSuper;
    } else if (AcceptSeq({"LOCK", "TABLES"})) {
      bit = kPrivLockTables;
    } else if (Accept("EXECUTE")) {
      bit = kPrivExecute;
    } else if (AcceptSeq({"REPLICATION", "SLAVE"})) {
      bit = kPrivReplicationSlave;
    } else if (AcceptSeq({"REPLICATION", "CLIENT"})) {
      bit = kPrivReplicationClient;
    } else if (Accept("EVENT")) {
      bit = kPrivEvent;
    } else if (Accept("TRIGGER")) {
      bit = kPrivTrigger;
    } else {
      Fail();
    }
    if (Cur().IsOp("(")) Unsupported("column-level privileges");
    mask |= bit;
  } while (AcceptOp(","));
  return mask;
}

GrantLevel Parser::ParseGrantLevel() {
  GrantLevel level;
  Accept("TABLE");
  if (Cur().Is("PROCEDURE") || Cur().Is("FUNCTION")) Unsupported("routine-level privileges");
  if (AcceptOp("*")) {
    if (AcceptOp(".")) {
      ExpectOp("*");
      level.kind = GrantLevel::Kind::kGlobal;
    } else {
      level.kind = GrantLevel::Kind::kDatabase;  // current database
    }
    return level;
  }
  std::string first = Ident();
  if (AcceptOp(".")) {
    level.db = first;
    if (AcceptOp("*")) {
      level.kind = GrantLevel::Kind::kDatabase;
    } else {
      level.kind = GrantLevel::Kind::kTable;
      if (!Cur().IsIdentLike()) Fail();
      level.table = Advance().text;
    }
  } else {
    level.kind = GrantLevel::Kind::kTable;
    level.table = first;
  }
  return level;
}

void Parser::ParseGrant(Statement& st) {
  Expect("GRANT");
  st.kind = StatementKind::kGrant;
  if (Cur().Is("PROXY")) Unsupported("GRANT PROXY");
  AccountInfo& a = st.account;
  a.privileges = ParsePrivileges(&a.all_privileges);
  Expect("ON");
  a.level = ParseGrantLevel();
  Expect("TO");
  do {
    UserSpec spec;
    spec.user = ParseUser();
    ParseIdentified(spec);
    a.users.push_back(std::move(spec));
  } while (AcceptOp(","));
  if (Accept("REQUIRE")) {
    if (!Accept("NONE")) Unsupported("REQUIRE");
  }
  if (Accept("WITH")) {
    do {
      if (AcceptSeq({"GRANT", "OPTION"})) {
        a.with_grant_option = true;
      } else if (Accept("MAX_QUERIES_PER_HOUR") || Accept("MAX_UPDATES_PER_HOUR") ||
                 Accept("MAX_CONNECTIONS_PER_HOUR") || Accept("MAX_USER_CONNECTIONS")) {
        UInt();
      } else {
        Fail();
      }
    } while (!AtEnd());
  }
  if (a.privileges & kPrivGrantOption) a.with_grant_option = true;
  ExpectEnd();
}

void Parser::ParseRevoke(Statement& st) {
  Expect("REVOKE");
  st.kind = StatementKind::kRevoke;
  AccountInfo& a = st.account;
  // REVOKE ALL [PRIVILEGES], GRANT OPTION FROM users
  if (Cur().Is("ALL")) {
    size_t save = pos_;
    Advance();
    Accept("PRIVILEGES");
    if (AcceptOp(",") && AcceptSeq({"GRANT", "OPTION"}) && Accept("FROM")) {
      a.revoke_all = true;
      a.all_privileges = true;
      do {
        UserSpec spec;
        spec.user = ParseUser();
        a.users.push_back(std::move(spec));
      } while (AcceptOp(","));
      ExpectEnd();
      return;
    }
    pos_ = save;
  }
  a.privileges = ParsePrivileges(&a.all_privileges);
  Expect("ON");
  a.level = ParseGrantLevel();
  Expect("FROM");
  do {
    UserSpec spec;
    spec.user = ParseUser();
    a.users.push_back(std::move(spec));
  } while (AcceptOp(","));
  ExpectEnd();
}

}  // namespace reptut::sql::internal
