// A small C++ wrapper over MariaDB Connector/C: connect over a server's
// socket, run a statement, read rows as strings. Errors are values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

struct st_mysql;

namespace serveradm {

struct SqlError {
  unsigned code = 0;  // the server's or the client library's error number
  std::string message;
  std::string ToString() const { return "error " + std::to_string(code) + ": " + message; }
};

template <typename T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(SqlError e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }
  const SqlError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, SqlError> v_;
};

struct Done {};

// One result set: column names and rows; NULL is std::nullopt.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;

  bool empty() const { return rows.empty(); }
  // The value of `column` in row `row`, "" for NULL or a missing column.
  std::string Get(size_t row, const std::string& column) const;
  bool IsNull(size_t row, const std::string& column) const;
};

struct ConnectOptions {
  std::string socket;
  std::string host;  // used with port when socket is empty
  int port = 0;
  std::string user = "root";
  std::string password;
  unsigned connect_timeout_s = 2;
  unsigned read_timeout_s = 0;  // 0: the library's default
};

class Connection {
 public:
  static Expected<Connection> Open(const ConnectOptions& options);

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  // Runs one statement and returns its first result set (empty for a
  // statement without one).
  Expected<Rows> Query(const std::string& sql);
  Expected<Done> Execute(const std::string& sql);

 private:
  Connection() = default;
  st_mysql* mysql_ = nullptr;
};

// Quotes a string as an SQL literal: 'it''s'.
std::string SqlQuote(const std::string& s);

}  // namespace serveradm
