#include "teacher.h"

#include <unistd.h>

#include <iostream>

namespace serveradm {

Teacher& Teacher::Get() {
  static Teacher t;
  return t;
}

Teacher::Teacher() {
  tty_in_ = ::isatty(0) == 1;
  tty_out_ = ::isatty(1) == 1;
}

void Teacher::Configure(bool explain, bool quiet) {
  explain_ = explain;
  quiet_ = quiet;
}

namespace {
std::string Prefix(const std::string& server) {
  return server.empty() ? "" : "[" + server + "] ";
}
}  // namespace

void Teacher::Sql(const std::string& server, const std::string& sql, const std::string& why) {
  if (!explain_) return;
  std::lock_guard lock(mu_);
  if (progress_open_) std::cout << "\n", progress_open_ = false;
  std::cout << Prefix(server) << "SQL> " << sql << ";\n    -- " << why << std::endl;
}

void Teacher::Process(const std::string& server, const std::vector<std::string>& argv,
                      const std::string& why) {
  if (!explain_) return;
  std::lock_guard lock(mu_);
  if (progress_open_) std::cout << "\n", progress_open_ = false;
  std::cout << Prefix(server) << "$ " << ShellJoin(argv) << "\n    -- " << why << std::endl;
}

void Teacher::Action(const std::string& server, const std::string& what, const std::string& why) {
  if (!explain_) return;
  std::lock_guard lock(mu_);
  if (progress_open_) std::cout << "\n", progress_open_ = false;
  std::cout << Prefix(server) << what << "\n    -- " << why << std::endl;
}

void Teacher::Say(const std::string& line) {
  if (quiet_) return;
  std::lock_guard lock(mu_);
  if (progress_open_) std::cout << "\n", progress_open_ = false;
  std::cout << line << std::endl;
}

void Teacher::Warn(const std::string& line) {
  std::lock_guard lock(mu_);
  if (progress_open_) std::cout << "\n" << std::flush, progress_open_ = false;
  std::cerr << line << std::endl;
}

void Teacher::Progress(const std::string& text) {
  if (!tty_out_ || quiet_) return;
  std::lock_guard lock(mu_);
  std::cout << "\r\033[K" << text << std::flush;
  progress_open_ = true;
}

void Teacher::EndProgress() {
  std::lock_guard lock(mu_);
  if (progress_open_) std::cout << "\n" << std::flush;
  progress_open_ = false;
}

std::string Teacher::Ask(const std::string& question, const std::string& fallback) {
  if (!interactive()) return fallback;
  std::cout << question << " [" << fallback << "] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer) || answer.empty()) return fallback;
  return answer;
}

std::string ShellJoin(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_not_of(
                                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                                   "VWXYZ0123456789-_=./:,@+%") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) {
        if (c == '\'')
          out += "'\\''";
        else
          out += c;
      }
      out += '\'';
    }
  }
  return out;
}

}  // namespace serveradm
