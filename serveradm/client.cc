#include "client.h"

#include <mysql.h>

namespace serveradm {

namespace {

SqlError ErrorOf(MYSQL* m) {
  return SqlError{mysql_errno(m), mysql_error(m)};
}

// Connector/C's library set-up is not thread-safe; do it once up front.
struct LibraryInit {
  LibraryInit() { mysql_library_init(0, nullptr, nullptr); }
  ~LibraryInit() { mysql_library_end(); }
};

}  // namespace

std::string Rows::Get(size_t row, const std::string& column) const {
  for (size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == column && row < rows.size()) return rows[row][c].value_or("");
  return "";
}

bool Rows::IsNull(size_t row, const std::string& column) const {
  for (size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == column && row < rows.size()) return !rows[row][c].has_value();
  return true;
}

Expected<Connection> Connection::Open(const ConnectOptions& o) {
  static LibraryInit init;
  MYSQL* m = mysql_init(nullptr);
  if (!m) return SqlError{0, "out of memory in mysql_init"};
  unsigned timeout = o.connect_timeout_s;
  mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  if (o.read_timeout_s) {
    unsigned rt = o.read_timeout_s;
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &rt);
  }
  // Never read the user's ~/.my.cnf: the tutorial's servers are what counts.
  unsigned protocol = o.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &protocol);
  const char* host = o.socket.empty() ? o.host.c_str() : "localhost";
  if (!mysql_real_connect(m, host, o.user.c_str(), o.password.c_str(), nullptr,
                          static_cast<unsigned>(o.port),
                          o.socket.empty() ? nullptr : o.socket.c_str(), 0)) {
    SqlError e = ErrorOf(m);
    mysql_close(m);
    return e;
  }
  Connection c;
  c.mysql_ = m;
  return c;
}

Connection::Connection(Connection&& other) noexcept : mysql_(other.mysql_) {
  other.mysql_ = nullptr;
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (mysql_) mysql_close(mysql_);
    mysql_ = other.mysql_;
    other.mysql_ = nullptr;
  }
  return *this;
}

Connection::~Connection() {
  if (mysql_) mysql_close(mysql_);
}

Expected<Rows> Connection::Query(const std::string& sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return ErrorOf(mysql_);
  Rows rows;
  bool first = true;
  do {
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (res) {
      if (first) {
        unsigned n = mysql_num_fields(res);
        MYSQL_FIELD* fields = mysql_fetch_fields(res);
        for (unsigned i = 0; i < n; ++i) rows.columns.emplace_back(fields[i].name);
        while (MYSQL_ROW r = mysql_fetch_row(res)) {
          unsigned long* lengths = mysql_fetch_lengths(res);
          std::vector<std::optional<std::string>> row;
          for (unsigned i = 0; i < n; ++i) {
            if (r[i])
              row.emplace_back(std::string(r[i], lengths[i]));
            else
              row.emplace_back(std::nullopt);
          }
          rows.rows.push_back(std::move(row));
        }
        first = false;
      }
      mysql_free_result(res);
    } else if (mysql_field_count(mysql_) != 0) {
      return ErrorOf(mysql_);
    }
    int more = mysql_next_result(mysql_);
    if (more > 0) return ErrorOf(mysql_);
    if (more < 0) break;
  } while (true);
  return rows;
}

Expected<Done> Connection::Execute(const std::string& sql) {
  auto r = Query(sql);
  if (!r) return r.error();
  return Done{};
}

std::string SqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace serveradm
