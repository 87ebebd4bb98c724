#include "common/status.h"

namespace reptut {

std::string Error::ToString() const {
  return "ERROR " + std::to_string(code) + " (" + sqlstate + "): " + message;
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return ok() ? kEmpty : error_->message;
}

}  // namespace reptut
