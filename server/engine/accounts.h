// Accounts and their privileges: an in-memory copy of the grant tables in
// the `mysql` database (user, db, tables_priv), matched and checked the way
// MySQL does. Changes are written through a SQLite connection that has the
// `mysql` database attached, then the copy is reloaded.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/privileges.h"
#include "storage/sqlite_conn.h"

namespace reptut::engine {

struct Account {
  std::string user;
  std::string host;           // pattern: "localhost", "127.0.0.1", "%", "10.0.0.%"
  std::string password_hash;  // "*HEX40" (SHA1(SHA1(pw))) or "" for no password
  PrivSet global = 0;
  std::map<std::string, PrivSet> db;                             // db -> privs
  std::map<std::pair<std::string, std::string>, PrivSet> table;  // (db, table) -> privs
};

// "*" + uppercase hex of SHA1(SHA1(password)); "" for an empty password.
std::string PasswordHash(std::string_view password);
// mysql_native_password check of a client's answer to `scramble`.
bool CheckNativePassword(std::string_view scramble, std::string_view client_token,
                         std::string_view password_hash);

class Accounts {
 public:
  // SQL that creates the grant tables (run on a new `mysql` database).
  static std::vector<std::string> SchemaSql();
  // The TableDef texts (MySQL CREATE TABLE) of the grant tables.
  static std::vector<std::pair<std::string, std::string>> TableDefinitions();

  Status Load(storage::SqliteConn& conn);  // from mysql.user/db/tables_priv

  // The account a login of `user` from `client_host` uses (MySQL's sort:
  // most specific host first). A TCP login from 127.0.0.1/::1 matches a
  // `localhost` account, as with name resolution on MySQL.
  std::optional<Account> Match(std::string_view user, std::string_view client_host) const;
  std::optional<Account> Find(std::string_view user, std::string_view host) const;

  static bool HasGlobal(const Account& a, PrivSet p) { return (a.global & p) == p; }
  static bool HasDb(const Account& a, std::string_view db, PrivSet p);
  static bool HasTable(const Account& a, std::string_view db, std::string_view table, PrivSet p);
  // Any privilege at all on the database (USE, SHOW DATABASES).
  static bool CanSeeDb(const Account& a, std::string_view db);

  // Statements; each writes the grant tables through `conn` and reloads.
  Status CreateUser(storage::SqliteConn& conn, const std::string& user, const std::string& host,
                    const std::string& password_hash, bool if_not_exists);
  Status DropUser(storage::SqliteConn& conn, const std::string& user, const std::string& host,
                  bool if_exists);
  Status SetPassword(storage::SqliteConn& conn, const std::string& user, const std::string& host,
                     const std::string& password_hash);
  // level: db "*" and table "*" for *.*, table "*" for db.*.
  Status Grant(storage::SqliteConn& conn, const std::string& user, const std::string& host,
               const std::string& db, const std::string& table, PrivSet privs);
  Status Revoke(storage::SqliteConn& conn, const std::string& user, const std::string& host,
                const std::string& db, const std::string& table, PrivSet privs);
  Status RevokeAll(storage::SqliteConn& conn, const std::string& user, const std::string& host);

  // SHOW GRANTS lines.
  std::vector<std::string> ShowGrants(const Account& a) const;
  // SHOW CREATE USER's statement, as MySQL 5.7 prints it.
  static std::string ShowCreateUser(const Account& a);
  std::vector<Account> All() const;

 private:
  Status Exec(storage::SqliteConn& conn, const std::string& sql);
  mutable std::mutex mu_;
  std::vector<Account> accounts_;  // sorted by match order
};

}  // namespace reptut::engine
