// Errors as values across module lines.
//
// An Error carries what a MySQL client sees in an ERR packet: the numeric
// error code, the five-character SQLSTATE and the message. Modules return
// Status (success or an Error) or Result<T> (a value or an Error); nothing
// throws across a module boundary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace reptut {

struct Error {
  uint16_t code = 0;     // MySQL error number, e.g. 1064
  std::string sqlstate;  // e.g. "42000"
  std::string message;   // text as MySQL words it

  std::string ToString() const;  // "ERROR 1064 (42000): message"
};

class [[nodiscard]] Status {
 public:
  Status() = default;                        // success
  Status(Error e) : error_(std::move(e)) {}  // NOLINT: implicit by design

  static Status Ok() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }
  uint16_t code() const { return ok() ? 0 : error_->code; }
  const std::string& message() const;

 private:
  std::optional<Error> error_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT
  Result(Error e) : v_(std::move(e)) {}      // NOLINT
  Result(Status s) : v_(s.error()) {}        // NOLINT: only from a failed Status

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace reptut

// Return early from the enclosing function when a Status/Result failed.
#define REPTUT_RETURN_IF_ERROR(expr)   \
  do {                                 \
    auto _st = (expr);                 \
    if (!_st.ok()) return _st.error(); \
  } while (0)
