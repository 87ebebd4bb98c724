// How serveradm reports a failure: every failure names the server it concerns
// (empty when none), the step that failed and the cause, so that a person can
// tell what went wrong without reading the source.
#pragma once

#include <stdexcept>
#include <string>

namespace serveradm {

class Failure : public std::runtime_error {
 public:
  Failure(std::string server, std::string step, std::string cause)
      : std::runtime_error(Format(server, step, cause)),
        server_(std::move(server)),
        step_(std::move(step)),
        cause_(std::move(cause)) {}

  const std::string& server() const { return server_; }
  const std::string& step() const { return step_; }
  const std::string& cause() const { return cause_; }

  // "server 'slave': start: the server exited during start-up (exit code 1)"
  static std::string Format(const std::string& server, const std::string& step,
                            const std::string& cause) {
    std::string s;
    if (!server.empty()) s += "server '" + server + "': ";
    s += step + ": " + cause;
    return s;
  }

 private:
  std::string server_, step_, cause_;
};

// Bad command-line arguments: reported with the usage hint, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace serveradm
