// CREATE USER, DROP USER, GRANT, REVOKE, SET PASSWORD, RENAME USER. They
// commit what is open first and change the grant tables in the `mysql`
// database under the write gate.
#include "common/errors.h"
#include "common/sql_text.h"
#include "engine/exec.h"
#include "sql/lexer.h"

namespace reptut::engine {
namespace {

using K = sql::StatementKind;

std::string HashOf(const sql::UserSpec& u) {
  if (u.auth_kind == sql::UserSpec::Auth::kPassword) return PasswordHash(u.auth);
  if (u.auth_kind == sql::UserSpec::Auth::kHash) return u.auth;
  return "";
}

// CREATE USER / GRANT as the commit log keeps them (binary log, redo log,
// and what recovery prints): each password written in clear replaced by
// its hash, as MySQL logs them -
//   IDENTIFIED BY 'pw'             -> IDENTIFIED BY PASSWORD '*hash'
//   IDENTIFIED WITH plugin BY 'pw' -> IDENTIFIED WITH plugin AS '*hash'
// A replica (or a replay of the log) gives the account the same hash, so
// the password still logs in there. (SET PASSWORD is logged in a form of
// its own, below.)
std::string LogTextWithoutPasswords(std::string_view text) {
  Result<std::vector<sql::Token>> lexed = sql::Tokenize(text);
  if (!lexed.ok()) return std::string(text);
  const std::vector<sql::Token>& t = *lexed;
  struct Cut {
    size_t from, to;
    std::string with;
  };
  std::vector<Cut> cuts;
  auto hashed = [](const sql::Token& pw) { return "'" + PasswordHash(pw.text) + "'"; };
  auto end_of = [](const sql::Token& tok) { return tok.offset + tok.length; };
  auto password_at = [&](size_t i) {
    return i < t.size() && t[i].kind == sql::TokenKind::kString && !t[i].text.empty();
  };
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!t[i].Is("IDENTIFIED")) continue;
    if (t[i + 1].Is("BY") && password_at(i + 2)) {
      cuts.push_back({t[i + 2].offset, end_of(t[i + 2]), "PASSWORD " + hashed(t[i + 2])});
    } else if (t[i + 1].Is("WITH") && i + 3 < t.size() && t[i + 3].Is("BY") && password_at(i + 4)) {
      cuts.push_back({t[i + 3].offset, end_of(t[i + 4]), "AS " + hashed(t[i + 4])});
    }
  }
  if (cuts.empty()) return std::string(text);
  std::string out;
  size_t at = 0;
  for (const Cut& c : cuts) {
    if (c.from < at || c.to > text.size()) return std::string(text);
    out.append(text.substr(at, c.from - at));
    out += c.with;
    at = c.to;
  }
  out.append(text.substr(at));
  return out;
}

sql::UserName Resolve(SessionState& s, const sql::UserName& u) {
  if (!u.current_user) return u;
  return sql::UserName{s.account.user, s.account.host, false};
}

Status WithMysql(SessionState& s) {
  return AttachDb(s, "mysql");
}

}  // namespace

void ExecAccount(Exec& x, const sql::Statement& st) {
  SessionState& s = x.s;
  Accounts& acc = s.server->accounts;
  const sql::AccountInfo& a = st.account;
  Status m = WithMysql(s);
  if (!m.ok()) return x.Fail(m.error());
  Status result = Status::Ok();
  // Logged without the passwords written in clear.
  const std::string log_text = LogTextWithoutPasswords(x.text);
  switch (st.kind) {
    case K::kCreateUser:
    case K::kDropUser:
    case K::kRenameUser: {
      if (!Accounts::HasGlobal(s.account, sql::kPrivCreateUser) &&
          !Accounts::HasDb(s.account, "mysql", sql::kPrivInsert)) {
        return x.Fail(MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {"CREATE USER"}));
      }
      std::string failed;
      result = RunDdl(
          s,
          [&]() -> Status {
            if (st.kind == K::kRenameUser) return MakeError(ER_NOT_SUPPORTED_YET, {"RENAME USER"});
            for (const sql::UserSpec& u : a.users) {
              sql::UserName n = Resolve(s, u.user);
              Status r = st.kind == K::kCreateUser
                             ? acc.CreateUser(s.Conn(), n.user, n.host, HashOf(u), a.if_not_exists)
                             : acc.DropUser(s.Conn(), n.user, n.host, a.if_exists);
              if (!r.ok()) {
                if (r.code() != ER_CANNOT_USER) return r;
                failed += (failed.empty() ? "" : ",") + ("'" + n.user + "'@'" + n.host + "'");
              }
            }
            if (!failed.empty()) {
              return MakeError(ER_CANNOT_USER,
                               {st.kind == K::kCreateUser ? "CREATE USER" : "DROP USER", failed});
            }
            return Status::Ok();
          },
          log_text, "mysql");
      break;
    }
    case K::kGrant:
    case K::kRevoke: {
      std::string db = a.level.db, table = a.level.table;
      if (a.level.kind == sql::GrantLevel::Kind::kGlobal) {
        db = "*";
        table = "*";
      } else {
        if (db.empty()) {
          if (s.db.empty()) return x.Fail(MakeError(ER_NO_DB_ERROR));
          db = s.db;
        }
        if (a.level.kind == sql::GrantLevel::Kind::kDatabase) table = "*";
      }
      uint64_t privs = a.privileges;
      if (a.all_privileges) {
        privs |= a.level.kind == sql::GrantLevel::Kind::kGlobal     ? AllGlobalPrivileges()
                 : a.level.kind == sql::GrantLevel::Kind::kDatabase ? AllDbPrivileges()
                                                                    : AllTablePrivileges();
      }
      if (a.with_grant_option) privs |= sql::kPrivGrantOption;
      // The grantor must hold what it grants, with GRANT OPTION.
      bool allowed = db == "*" ? Accounts::HasGlobal(s.account, privs | sql::kPrivGrantOption)
                     : table == "*"
                         ? Accounts::HasDb(s.account, db, privs | sql::kPrivGrantOption)
                         : Accounts::HasTable(s.account, db, table, privs | sql::kPrivGrantOption);
      if (a.revoke_all) allowed = Accounts::HasGlobal(s.account, sql::kPrivCreateUser);
      if (!allowed) {
        if (db == "*") return x.Fail(MakeError(ER_SPECIFIC_ACCESS_DENIED_ERROR, {"GRANT OPTION"}));
        return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, db}));
      }
      result = RunDdl(
          s,
          [&]() -> Status {
            for (const sql::UserSpec& u : a.users) {
              sql::UserName n = Resolve(s, u.user);
              if (st.kind == K::kRevoke) {
                REPTUT_RETURN_IF_ERROR(
                    a.revoke_all ? acc.RevokeAll(s.Conn(), n.user, n.host)
                                 : acc.Revoke(s.Conn(), n.user, n.host, db, table, privs));
                continue;
              }
              // GRANT ... IDENTIFIED BY creates the account or sets its password
              // (the 5.1 form the tutorial uses).
              if (!acc.Find(n.user, n.host)) {
                REPTUT_RETURN_IF_ERROR(acc.CreateUser(s.Conn(), n.user, n.host, HashOf(u), false));
              } else if (u.auth_kind != sql::UserSpec::Auth::kNone) {
                REPTUT_RETURN_IF_ERROR(acc.SetPassword(s.Conn(), n.user, n.host, HashOf(u)));
              }
              REPTUT_RETURN_IF_ERROR(acc.Grant(s.Conn(), n.user, n.host, db, table, privs));
            }
            return Status::Ok();
          },
          log_text, "mysql");
      break;
    }
    case K::kSetPassword: {
      sql::UserName n = a.users.empty() ? sql::UserName{s.account.user, s.account.host, false}
                                        : Resolve(s, a.users[0].user);
      bool self = n.user == s.account.user && n.host == s.account.host;
      if (!self && !Accounts::HasDb(s.account, "mysql", sql::kPrivUpdate)) {
        return x.Fail(MakeError(ER_DBACCESS_DENIED_ERROR, {s.user, s.client_host, "mysql"}));
      }
      std::string hash = a.users.empty() ? "" : HashOf(a.users[0]);
      // Logged as MySQL does, naming the account: a replica (or a replay
      // by another user) sets the same account's password, never its own.
      std::string logged = "SET PASSWORD FOR " + QuoteMysqlString(n.user) + "@" +
                           QuoteMysqlString(n.host) + "=" + QuoteMysqlString(hash);
      result = RunDdl(
          s, [&]() { return acc.SetPassword(s.Conn(), n.user, n.host, hash); }, logged, "mysql");
      if (result.ok() && self) s.account.password_hash = hash;
      break;
    }
    default:
      return x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {sql::StatementKindName(st.kind)}));
  }
  if (!result.ok()) return x.Fail(result.error());
  // The session's own privileges follow changes made to its account.
  if (auto me = acc.Find(s.account.user, s.account.host)) s.account = *me;
  x.Ok();
}

}  // namespace reptut::engine
