// What serveradm tells the person at the keyboard. With --explain, every SQL
// statement and every process is printed with a one-line reason before it
// runs: the tool teaches as it works. Progress lines redraw in place on a
// terminal and are left out otherwise, so piped output stays plain.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace serveradm {

class Teacher {
 public:
  static Teacher& Get();

  void Configure(bool explain, bool quiet);
  bool explain() const { return explain_; }
  bool interactive() const { return tty_in_ && tty_out_; }
  bool tty() const { return tty_out_; }

  // "[master] SQL> SHOW MASTER STATUS;   -- why"
  void Sql(const std::string& server, const std::string& sql, const std::string& why);
  void Process(const std::string& server, const std::vector<std::string>& argv,
               const std::string& why);
  void Action(const std::string& server, const std::string& what, const std::string& why);

  void Say(const std::string& line);   // normal output (stdout)
  void Warn(const std::string& line);  // stderr
  // Progress: `key` names the line (one per server); redrawn on a terminal.
  void Progress(const std::string& text);
  void EndProgress();

  // Asks a question when a person is at the terminal; returns the answer or
  // `fallback` (empty line, or no terminal).
  std::string Ask(const std::string& question, const std::string& fallback);

 private:
  Teacher();
  std::mutex mu_;
  bool explain_ = false;
  bool quiet_ = false;
  bool tty_in_ = false;
  bool tty_out_ = false;
  bool progress_open_ = false;
};

// "'a b' c" as a shell would read it, for printing commands.
std::string ShellJoin(const std::vector<std::string>& argv);

}  // namespace serveradm
