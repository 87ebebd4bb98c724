// SHOW ... and DESCRIBE.
#include "sql/parser_internal.h"

namespace reptut::sql::internal {

void Parser::ParseShowLikeOrWhere(Statement& st) {
  if (Accept("LIKE")) {
    st.show.like = StringLit();
  } else if (Accept("WHERE")) {
    size_t begin = Cur().offset;
    DmlInfo scratch;
    DmlInfo* saved = info_;
    set_info(&scratch);
    Expr e = ParseExpr();
    set_info(saved);
    st.show.where_sql = e.sql;
    st.show.where_text = SourceText(begin, PrevEnd());
    st.show.where_user_vars = scratch.user_vars_read;
    st.show.where_tables = scratch.tables;
  }
}

void Parser::ParseShow(Statement& st) {
  Expect("SHOW");
  ShowInfo& s = st.show;
  auto from_db = [&]() {
    if (Accept("FROM") || Accept("IN")) s.db = Ident();
  };
  auto show_limit = [&]() {
    if (Accept("LIMIT")) {
      uint64_t a = UInt();
      if (AcceptOp(",")) {
        s.limit_offset = a;
        s.limit_count = UInt();
      } else {
        s.limit_count = a;
      }
    }
  };
  if (Accept("FULL")) {
    s.full = true;
    if (Accept("TABLES")) {
      st.kind = StatementKind::kShowTables;
      from_db();
      ParseShowLikeOrWhere(st);
    } else if (Accept("COLUMNS") || Accept("FIELDS")) {
      st.kind = StatementKind::kShowColumns;
      if (!Accept("FROM")) Expect("IN");
      s.table = ParseTableName();
      if (Accept("FROM") || Accept("IN")) s.table.db = Ident();
      ParseShowLikeOrWhere(st);
    } else if (Accept("PROCESSLIST")) {
      st.kind = StatementKind::kShowProcesslist;
    } else {
      Fail();
    }
    ExpectEnd();
    return;
  }
  VarScope scope = VarScope::kDefault;
  if (Accept("GLOBAL")) {
    scope = VarScope::kGlobal;
  } else if (Accept("SESSION")) {
    scope = VarScope::kSession;
  } else if (Accept("LOCAL")) {
    scope = VarScope::kLocal;
  }
  if (scope != VarScope::kDefault && !Cur().Is("VARIABLES") && !Cur().Is("STATUS")) Fail();
  s.scope = scope;

  if (Accept("DATABASES") || Accept("SCHEMAS")) {
    st.kind = StatementKind::kShowDatabases;
    ParseShowLikeOrWhere(st);
  } else if (Accept("TABLES")) {
    st.kind = StatementKind::kShowTables;
    from_db();
    ParseShowLikeOrWhere(st);
  } else if (Accept("COLUMNS") || Accept("FIELDS")) {
    st.kind = StatementKind::kShowColumns;
    if (!Accept("FROM")) Expect("IN");
    s.table = ParseTableName();
    if (Accept("FROM") || Accept("IN")) s.table.db = Ident();
    ParseShowLikeOrWhere(st);
  } else if (Accept("CREATE")) {
    if (Accept("TABLE")) {
      st.kind = StatementKind::kShowCreateTable;
      s.table = ParseTableName();
    } else if (Accept("DATABASE") || Accept("SCHEMA")) {
      st.kind = StatementKind::kShowCreateDatabase;
      if (AcceptSeq({"IF", "NOT", "EXISTS"})) s.if_not_exists = true;
      s.db = Ident();
    } else if (Accept("USER")) {
      st.kind = StatementKind::kShowCreateUser;
      s.user = ParseUser();
    } else if (Cur().Is("TRIGGER")) {
      ParseShowCreateTrigger(st);
    } else if (Cur().Is("VIEW") || Cur().Is("PROCEDURE") || Cur().Is("FUNCTION") ||
               Cur().Is("EVENT")) {
      Unsupported("SHOW CREATE " + ToUpper(Cur().text));
    } else {
      Fail();
    }
  } else if (Accept("INDEX") || Accept("INDEXES") || Accept("KEYS")) {
    st.kind = StatementKind::kShowIndex;
    if (!Accept("FROM")) Expect("IN");
    s.table = ParseTableName();
    if (Accept("FROM") || Accept("IN")) s.table.db = Ident();
    if (Cur().Is("WHERE")) ParseShowLikeOrWhere(st);
  } else if (AcceptSeq({"TABLE", "STATUS"})) {
    st.kind = StatementKind::kShowTableStatus;
    from_db();
    ParseShowLikeOrWhere(st);
  } else if (Accept("VARIABLES")) {
    st.kind = StatementKind::kShowVariables;
    ParseShowLikeOrWhere(st);
  } else if (Accept("STATUS")) {
    st.kind = StatementKind::kShowStatus;
    ParseShowLikeOrWhere(st);
  } else if (Accept("PROCESSLIST")) {
    st.kind = StatementKind::kShowProcesslist;
  } else if (Accept("GRANTS")) {
    st.kind = StatementKind::kShowGrants;
    if (Accept("FOR")) {
      UserName u = ParseUser();
      if (!u.current_user) s.user = u;
    }
  } else if (Accept("WARNINGS")) {
    st.kind = StatementKind::kShowWarnings;
    show_limit();
  } else if (Accept("ERRORS")) {
    st.kind = StatementKind::kShowErrors;
    show_limit();
  } else if (Cur().Is("COUNT") && Peek(1).IsOp("(")) {
    Advance();
    Advance();
    ExpectOp("*");
    ExpectOp(")");
    if (Accept("WARNINGS")) {
      st.kind = StatementKind::kShowCountWarnings;
    } else {
      Expect("ERRORS");
      st.kind = StatementKind::kShowCountErrors;
    }
  } else if (Accept("ENGINES") || AcceptSeq({"STORAGE", "ENGINES"})) {
    st.kind = StatementKind::kShowEngines;
  } else if (AcceptSeq({"CHARACTER", "SET"}) || Accept("CHARSET")) {
    st.kind = StatementKind::kShowCharset;
    ParseShowLikeOrWhere(st);
  } else if (Accept("COLLATION")) {
    st.kind = StatementKind::kShowCollation;
    ParseShowLikeOrWhere(st);
  } else if (AcceptSeq({"MASTER", "STATUS"})) {
    st.kind = StatementKind::kShowMasterStatus;
  } else if (AcceptSeq({"SLAVE", "STATUS"}) || AcceptSeq({"REPLICA", "STATUS"})) {
    st.kind = StatementKind::kShowSlaveStatus;
    Accept("NONBLOCKING");
    if (Accept("FOR")) {
      Expect("CHANNEL");
      Unsupported("FOR CHANNEL");
    }
  } else if (AcceptSeq({"SLAVE", "HOSTS"}) || AcceptSeq({"REPLICA", "HOSTS"})) {
    st.kind = StatementKind::kShowSlaveHosts;
  } else if (AcceptSeq({"BINARY", "LOGS"}) || AcceptSeq({"MASTER", "LOGS"})) {
    st.kind = StatementKind::kShowBinaryLogs;
  } else if (AcceptSeq({"BINLOG", "EVENTS"})) {
    st.kind = StatementKind::kShowBinlogEvents;
    if (Accept("IN")) s.log_file = StringLit();
    if (Accept("FROM")) s.from_pos = UInt();
    show_limit();
  } else if (AcceptSeq({"RELAYLOG", "EVENTS"})) {
    st.kind = StatementKind::kShowRelaylogEvents;
    if (Accept("IN")) s.log_file = StringLit();
    if (Accept("FROM")) s.from_pos = UInt();
    show_limit();
    if (Accept("FOR")) {
      Expect("CHANNEL");
      Unsupported("FOR CHANNEL");
    }
  } else if (Accept("PRIVILEGES")) {
    st.kind = StatementKind::kShowPrivileges;
  } else if (Accept("TRIGGERS")) {
    st.kind = StatementKind::kShowTriggers;
    from_db();
    ParseShowLikeOrWhere(st);
  } else if (Accept("EVENTS")) {
    st.kind = StatementKind::kShowEvents;
    from_db();
    ParseShowLikeOrWhere(st);
  } else if (Accept("PLUGINS")) {
    st.kind = StatementKind::kShowPlugins;
  } else if ((Cur().Is("PROCEDURE") || Cur().Is("FUNCTION")) && Peek(1).Is("STATUS")) {
    st.kind = StatementKind::kShowRoutineStatus;
    Advance();
    Advance();
    ParseShowLikeOrWhere(st);
  } else if (Cur().Is("PACKAGE") &&
             (Peek(1).Is("STATUS") || (Peek(1).Is("BODY") && Peek(2).Is("STATUS")))) {
    st.kind = StatementKind::kShowRoutineStatus;
    Advance();
    if (Cur().Is("BODY")) Advance();
    Advance();
    ParseShowLikeOrWhere(st);
  } else if (Cur().Is("OPEN") || Cur().Is("PROFILES") || Cur().Is("PROFILE") ||
             Cur().Is("PROCEDURE") || Cur().Is("FUNCTION") || Cur().Is("ENGINE") ||
             Cur().Is("MUTEX")) {
    Unsupported("SHOW " + ToUpper(Cur().text));
  } else {
    Fail();
  }
  ExpectEnd();
}

void Parser::ParseDescribe(Statement& st) {
  if (Peek(1).Is("SELECT") || Peek(1).Is("INSERT") || Peek(1).Is("UPDATE") ||
      Peek(1).Is("DELETE") || Peek(1).Is("REPLACE") || Peek(1).Is("EXTENDED") ||
      Peek(1).Is("PARTITIONS") || Peek(1).Is("FORMAT") || Peek(1).IsOp("(")) {
    return ParseExplain(st);
  }
  Advance();  // DESCRIBE / DESC / EXPLAIN
  st.kind = StatementKind::kShowColumns;
  st.show.table = ParseTableName();
  if (!AtEnd()) {
    if (Cur().kind == TokenKind::kString) {
      st.show.column = Advance().text;
    } else {
      st.show.column = Ident();
    }
  }
  ExpectEnd();
}

}  // namespace reptut::sql::internal
