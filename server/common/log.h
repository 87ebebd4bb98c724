// The error log: mysqld-style lines, "2026-11-21 23:53:12 0 [Note] text".
// Written to stderr until OpenErrorLog() names a file (--log-error).
// Thread-safe; each line is written with one write(2) so lines never mix.
#pragma once

#include <string>
#include <string_view>

namespace reptut::log {

enum class Level { kNote, kWarning, kError };

// Opens (appends to) the error log file; returns false and leaves stderr in
// use when the file cannot be opened.
bool OpenErrorLog(const std::string& path, std::string* why);

void Write(Level level, std::string_view text, unsigned long thread_id = 0);
inline void Note(std::string_view t) {
  Write(Level::kNote, t);
}
inline void Warning(std::string_view t) {
  Write(Level::kWarning, t);
}
inline void ErrorLine(std::string_view t) {
  Write(Level::kError, t);
}

}  // namespace reptut::log
