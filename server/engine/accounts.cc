#include "engine/accounts.h"

#include <openssl/sha.h>

#include <algorithm>

#include "common/errors.h"
#include "common/like.h"

namespace reptut::engine {
namespace {

using storage::SqliteConn;

std::string Sha1(std::string_view in) {
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), md);
  return std::string(reinterpret_cast<char*>(md), SHA_DIGEST_LENGTH);
}

std::string Hex(std::string_view bin) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bin) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(val(hex[i]) * 16 + val(hex[i + 1]));
  }
  return out;
}

// MySQL's LIKE-style host pattern: % any run, _ one character.
int HostRank(const std::string& host) {
  if (host == "%" || host.empty()) return 0;
  if (host.find_first_of("%_") != std::string::npos) return 1;
  return 2;
}

std::string Key(const std::string& user, const std::string& host) {
  return user + "@" + host;
}

std::string UserHost(const std::string& user, const std::string& host) {
  return "'" + user + "'@'" + host + "'";
}

}  // namespace

std::string PasswordHash(std::string_view password) {
  if (password.empty()) return "";
  return "*" + Hex(Sha1(Sha1(password)));
}

bool CheckNativePassword(std::string_view scramble, std::string_view token,
                         std::string_view password_hash) {
  if (password_hash.empty()) return token.empty();
  if (token.size() != SHA_DIGEST_LENGTH || password_hash.size() != 41) return false;
  std::string stage2 = Unhex(password_hash.substr(1));
  // token = SHA1(pw) XOR SHA1(scramble + stage2); recover SHA1(pw) and check.
  std::string mix = Sha1(std::string(scramble) + stage2);
  std::string stage1(SHA_DIGEST_LENGTH, '\0');
  for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) stage1[i] = static_cast<char>(token[i] ^ mix[i]);
  return Sha1(stage1) == stage2;
}

std::vector<std::string> Accounts::SchemaSql() {
  return {
      "CREATE TABLE IF NOT EXISTS mysql.user (Host TEXT NOT NULL COLLATE NOCASE, User TEXT NOT "
      "NULL, Password TEXT NOT NULL DEFAULT '', plugin TEXT NOT NULL DEFAULT "
      "'mysql_native_password', Privileges TEXT NOT NULL DEFAULT '', PRIMARY KEY (Host, User))",
      "CREATE TABLE IF NOT EXISTS mysql.db (Host TEXT NOT NULL COLLATE NOCASE, Db TEXT NOT NULL, "
      "User TEXT NOT NULL, Privileges TEXT NOT NULL DEFAULT '', PRIMARY KEY (Host, Db, User))",
      "CREATE TABLE IF NOT EXISTS mysql.tables_priv (Host TEXT NOT NULL COLLATE NOCASE, Db TEXT "
      "NOT NULL, User TEXT NOT NULL, Table_name TEXT NOT NULL, Table_priv TEXT NOT NULL DEFAULT "
      "'', PRIMARY KEY (Host, Db, User, Table_name))",
  };
}

std::vector<std::pair<std::string, std::string>> Accounts::TableDefinitions() {
  return {
      {"user",
       "CREATE TABLE `user` (\n  `Host` char(60) NOT NULL DEFAULT '',\n  `User` char(32) NOT "
       "NULL DEFAULT '',\n  `Password` char(41) NOT NULL DEFAULT '',\n  `plugin` char(64) NOT "
       "NULL DEFAULT 'mysql_native_password',\n  `Privileges` text NOT NULL,\n  PRIMARY KEY "
       "(`Host`,`User`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8"},
      {"db",
       "CREATE TABLE `db` (\n  `Host` char(60) NOT NULL DEFAULT '',\n  `Db` char(64) NOT NULL "
       "DEFAULT '',\n  `User` char(32) NOT NULL DEFAULT '',\n  `Privileges` text NOT NULL,\n  "
       "PRIMARY KEY (`Host`,`Db`,`User`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8"},
      {"tables_priv",
       "CREATE TABLE `tables_priv` (\n  `Host` char(60) NOT NULL DEFAULT '',\n  `Db` char(64) "
       "NOT NULL DEFAULT '',\n  `User` char(32) NOT NULL DEFAULT '',\n  `Table_name` char(64) "
       "NOT NULL DEFAULT '',\n  `Table_priv` text NOT NULL,\n  PRIMARY KEY "
       "(`Host`,`Db`,`User`,`Table_name`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8"},
  };
}

Status Accounts::Load(SqliteConn& conn) {
  std::map<std::string, Account> by_key;
  storage::SqliteStmt st;
  auto fail = [&](const storage::SqliteError& e) {
    return MakeErrorMsg(ER_UNKNOWN_ERROR, "Can't read the grant tables: " + e.message);
  };
  if (auto e = conn.Prepare("SELECT Host, User, Password, Privileges FROM mysql.user", &st);
      !e.ok()) {
    return fail(e);
  }
  while (st.Step() == SQLITE_ROW) {
    Account a;
    a.host = st.Text(0);
    a.user = st.Text(1);
    a.password_hash = st.Text(2);
    a.global = PrivilegesFromNames(st.Text(3));
    by_key[Key(a.user, a.host)] = a;
  }
  if (auto e = conn.Prepare("SELECT Host, Db, User, Privileges FROM mysql.db", &st); !e.ok()) {
    return fail(e);
  }
  while (st.Step() == SQLITE_ROW) {
    auto it = by_key.find(Key(st.Text(2), st.Text(0)));
    if (it != by_key.end()) it->second.db[st.Text(1)] = PrivilegesFromNames(st.Text(3));
  }
  if (auto e =
          conn.Prepare("SELECT Host, Db, User, Table_name, Table_priv FROM mysql.tables_priv", &st);
      !e.ok()) {
    return fail(e);
  }
  while (st.Step() == SQLITE_ROW) {
    auto it = by_key.find(Key(st.Text(2), st.Text(0)));
    if (it != by_key.end()) {
      it->second.table[{st.Text(1), st.Text(3)}] = PrivilegesFromNames(st.Text(4));
    }
  }
  std::vector<Account> list;
  for (auto& [k, a] : by_key) list.push_back(std::move(a));
  std::stable_sort(list.begin(), list.end(), [](const Account& x, const Account& y) {
    int rx = HostRank(x.host), ry = HostRank(y.host);
    if (rx != ry) return rx > ry;
    if (x.user.empty() != y.user.empty()) return !x.user.empty();
    return x.host.size() > y.host.size();
  });
  std::lock_guard<std::mutex> lock(mu_);
  accounts_ = std::move(list);
  return Status::Ok();
}

std::optional<Account> Accounts::Match(std::string_view user, std::string_view client_host) const {
  std::vector<std::string> hosts{std::string(client_host)};
  if (client_host == "127.0.0.1" || client_host == "::1" || client_host == "::ffff:127.0.0.1") {
    hosts = {"localhost", "127.0.0.1", std::string(client_host)};
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (const Account& a : accounts_) {
    if (!a.user.empty() && a.user != user) continue;
    for (const std::string& h : hosts) {
      if (LikeMatch(a.host, h)) return a;
    }
  }
  return std::nullopt;
}

std::optional<Account> Accounts::Find(std::string_view user, std::string_view host) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Account& a : accounts_) {
    if (a.user == user && a.host.size() == host.size() &&
        std::equal(a.host.begin(), a.host.end(), host.begin(), [](char x, char y) {
          return std::tolower(static_cast<unsigned char>(x)) ==
                 std::tolower(static_cast<unsigned char>(y));
        })) {
      return a;
    }
  }
  return std::nullopt;
}

bool Accounts::HasDb(const Account& a, std::string_view db, PrivSet p) {
  PrivSet have = a.global;
  auto it = a.db.find(std::string(db));
  if (it != a.db.end()) have |= it->second;
  return (have & p) == p;
}

bool Accounts::HasTable(const Account& a, std::string_view db, std::string_view table, PrivSet p) {
  PrivSet have = a.global;
  auto it = a.db.find(std::string(db));
  if (it != a.db.end()) have |= it->second;
  auto jt = a.table.find({std::string(db), std::string(table)});
  if (jt != a.table.end()) have |= jt->second;
  return (have & p) == p;
}

bool Accounts::CanSeeDb(const Account& a, std::string_view db) {
  if (a.global &
      ~static_cast<PrivSet>(sql::kPrivGrantOption | sql::kPrivReplicationSlave |
                            sql::kPrivReplicationClient | sql::kPrivProcess | sql::kPrivReload |
                            sql::kPrivShutdown | sql::kPrivFile | sql::kPrivSuper)) {
    return true;
  }
  if (a.global & sql::kPrivShowDatabases) return true;
  auto it = a.db.find(std::string(db));
  if (it != a.db.end() && it->second) return true;
  for (const auto& [k, v] : a.table) {
    if (k.first == db && v) return true;
  }
  return false;
}

Status Accounts::Exec(SqliteConn& conn, const std::string& sql) {
  storage::SqliteError e = conn.Exec(sql);
  if (!e.ok()) return MakeErrorMsg(ER_UNKNOWN_ERROR, "Can't write the grant tables: " + e.message);
  return Status::Ok();
}

Status Accounts::CreateUser(SqliteConn& conn, const std::string& user, const std::string& host,
                            const std::string& password_hash, bool if_not_exists) {
  if (Find(user, host)) {
    if (if_not_exists) return Status::Ok();
    return MakeError(ER_CANNOT_USER, {"CREATE USER", UserHost(user, host)});
  }
  REPTUT_RETURN_IF_ERROR(Exec(conn,
                              "INSERT INTO mysql.user (Host, User, Password, Privileges) "
                              "VALUES (" +
                                  SqliteConn::Literal(host) + ", " + SqliteConn::Literal(user) +
                                  ", " + SqliteConn::Literal(password_hash) + ", '')"));
  return Load(conn);
}

Status Accounts::DropUser(SqliteConn& conn, const std::string& user, const std::string& host,
                          bool if_exists) {
  if (!Find(user, host)) {
    if (if_exists) return Status::Ok();
    return MakeError(ER_CANNOT_USER, {"DROP USER", UserHost(user, host)});
  }
  std::string where =
      " WHERE User = " + SqliteConn::Literal(user) + " AND Host = " + SqliteConn::Literal(host);
  for (const char* t : {"user", "db", "tables_priv"}) {
    REPTUT_RETURN_IF_ERROR(Exec(conn, std::string("DELETE FROM mysql.") + t + where));
  }
  return Load(conn);
}

Status Accounts::SetPassword(SqliteConn& conn, const std::string& user, const std::string& host,
                             const std::string& password_hash) {
  if (!Find(user, host)) return MakeError(ER_PASSWORD_NO_MATCH);
  REPTUT_RETURN_IF_ERROR(
      Exec(conn, "UPDATE mysql.user SET Password = " + SqliteConn::Literal(password_hash) +
                     " WHERE User = " + SqliteConn::Literal(user) +
                     " AND Host = " + SqliteConn::Literal(host)));
  return Load(conn);
}

Status Accounts::Grant(SqliteConn& conn, const std::string& user, const std::string& host,
                       const std::string& db, const std::string& table, PrivSet privs) {
  std::optional<Account> a = Find(user, host);
  if (!a)
    return MakeErrorMsg(ER_PASSWORD_NO_MATCH, "Can't find any matching row in the user table");
  std::string u = SqliteConn::Literal(user), h = SqliteConn::Literal(host);
  if (db == "*") {
    REPTUT_RETURN_IF_ERROR(Exec(conn, "UPDATE mysql.user SET Privileges = " +
                                          SqliteConn::Literal(PrivilegeNames(a->global | privs)) +
                                          " WHERE User = " + u + " AND Host = " + h));
  } else if (table == "*") {
    PrivSet have = a->db.count(db) ? a->db.at(db) : 0;
    REPTUT_RETURN_IF_ERROR(
        Exec(conn, "INSERT OR REPLACE INTO mysql.db (Host, Db, User, Privileges) VALUES (" + h +
                       ", " + SqliteConn::Literal(db) + ", " + u + ", " +
                       SqliteConn::Literal(PrivilegeNames(
                           have | (privs & (AllDbPrivileges() | sql::kPrivGrantOption)))) +
                       ")"));
  } else {
    auto key = std::make_pair(db, table);
    PrivSet have = a->table.count(key) ? a->table.at(key) : 0;
    REPTUT_RETURN_IF_ERROR(Exec(
        conn,
        "INSERT OR REPLACE INTO mysql.tables_priv (Host, Db, User, Table_name, Table_priv) "
        "VALUES (" +
            h + ", " + SqliteConn::Literal(db) + ", " + u + ", " + SqliteConn::Literal(table) +
            ", " +
            SqliteConn::Literal(
                PrivilegeNames(have | (privs & (AllTablePrivileges() | sql::kPrivGrantOption)))) +
            ")"));
  }
  return Load(conn);
}

Status Accounts::Revoke(SqliteConn& conn, const std::string& user, const std::string& host,
                        const std::string& db, const std::string& table, PrivSet privs) {
  std::optional<Account> a = Find(user, host);
  if (!a) return MakeError(ER_NONEXISTING_GRANT, {user, host});
  std::string u = SqliteConn::Literal(user), h = SqliteConn::Literal(host);
  if (db == "*") {
    REPTUT_RETURN_IF_ERROR(Exec(conn, "UPDATE mysql.user SET Privileges = " +
                                          SqliteConn::Literal(PrivilegeNames(a->global & ~privs)) +
                                          " WHERE User = " + u + " AND Host = " + h));
  } else if (table == "*") {
    if (!a->db.count(db)) return MakeError(ER_NONEXISTING_GRANT, {user, host});
    REPTUT_RETURN_IF_ERROR(Exec(
        conn, "UPDATE mysql.db SET Privileges = " +
                  SqliteConn::Literal(PrivilegeNames(a->db.at(db) & ~privs)) + " WHERE User = " +
                  u + " AND Host = " + h + " AND Db = " + SqliteConn::Literal(db)));
    REPTUT_RETURN_IF_ERROR(Exec(conn, "DELETE FROM mysql.db WHERE Privileges = ''"));
  } else {
    auto key = std::make_pair(db, table);
    if (!a->table.count(key)) return MakeError(ER_NONEXISTING_GRANT, {user, host});
    REPTUT_RETURN_IF_ERROR(Exec(
        conn, "UPDATE mysql.tables_priv SET Table_priv = " +
                  SqliteConn::Literal(PrivilegeNames(a->table.at(key) & ~privs)) +
                  " WHERE User = " + u + " AND Host = " + h + " AND Db = " +
                  SqliteConn::Literal(db) + " AND Table_name = " + SqliteConn::Literal(table)));
    REPTUT_RETURN_IF_ERROR(Exec(conn, "DELETE FROM mysql.tables_priv WHERE Table_priv = ''"));
  }
  return Load(conn);
}

Status Accounts::RevokeAll(SqliteConn& conn, const std::string& user, const std::string& host) {
  if (!Find(user, host)) return MakeError(ER_NONEXISTING_GRANT, {user, host});
  std::string where =
      " WHERE User = " + SqliteConn::Literal(user) + " AND Host = " + SqliteConn::Literal(host);
  REPTUT_RETURN_IF_ERROR(Exec(conn, "UPDATE mysql.user SET Privileges = ''" + where));
  REPTUT_RETURN_IF_ERROR(Exec(conn, "DELETE FROM mysql.db" + where));
  REPTUT_RETURN_IF_ERROR(Exec(conn, "DELETE FROM mysql.tables_priv" + where));
  return Load(conn);
}

std::vector<std::string> Accounts::ShowGrants(const Account& a) const {
  std::vector<std::string> out;
  std::string who = " TO " + UserHost(a.user, a.host);
  std::string line = "GRANT " + sql::PrivilegeList(a.global, false, false) + " ON *.*" + who;
  if (!a.password_hash.empty()) line += " IDENTIFIED BY PASSWORD '" + a.password_hash + "'";
  if (a.global & sql::kPrivGrantOption) line += " WITH GRANT OPTION";
  out.push_back(line);
  for (const auto& [db, privs] : a.db) {
    std::string l = "GRANT " + sql::PrivilegeList(privs, true, false) + " ON `" + db + "`.*" + who;
    if (privs & sql::kPrivGrantOption) l += " WITH GRANT OPTION";
    out.push_back(l);
  }
  for (const auto& [key, privs] : a.table) {
    std::string l = "GRANT " + sql::PrivilegeList(privs, false, true) + " ON `" + key.first +
                    "`.`" + key.second + "`" + who;
    if (privs & sql::kPrivGrantOption) l += " WITH GRANT OPTION";
    out.push_back(l);
  }
  return out;
}

std::string Accounts::ShowCreateUser(const Account& a) {
  return "CREATE USER " + UserHost(a.user, a.host) +
         " IDENTIFIED WITH 'mysql_native_password' AS '" + a.password_hash +
         "' REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK";
}

std::vector<Account> Accounts::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accounts_;
}

}  // namespace reptut::engine
