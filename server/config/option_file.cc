#include "config/option_file.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/errors.h"

namespace reptut::config {
namespace {

constexpr int kMaxIncludeDepth = 10;

bool IsSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string At(const std::string& file, int line) {
  return " in config file " + file + " at line " + std::to_string(line);
}

Error FileError(std::string message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::move(message));
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Length of the line before a '#' that is outside quotes; *open_quote is set
// when a quote is still open at the end of the line.
size_t CommentStart(std::string_view line, bool* open_quote) {
  char quote = 0;
  bool escape = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if ((c == '\'' || c == '"') && !escape) {
      if (quote == 0) {
        quote = c;
      } else if (quote == c) {
        quote = 0;
      }
    }
    if (quote == 0 && c == '#') {
      *open_quote = false;
      return i;
    }
    escape = quote != 0 && c == '\\' && !escape;
  }
  *open_quote = quote != 0;
  return line.size();
}

std::string Unescape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\' || i + 1 == v.size()) {
      out += v[i];
      continue;
    }
    char c = v[++i];
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 's':
        out += ' ';
        break;
      case '"':
        out += '"';
        break;
      case '\'':
        out += '\'';
        break;
      case '\\':
        out += '\\';
        break;
      default:
        out += '\\';
        out += c;
        break;
    }
  }
  return out;
}

// "!include x": the keyword, followed by white space or the end of the line.
bool IsDirective(std::string_view rest, std::string_view keyword) {
  return rest.substr(0, keyword.size()) == keyword &&
         (rest.size() == keyword.size() || IsSpace(rest[keyword.size()]));
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace

std::string OptionEntry::AsArgument() const {
  if (!value) return "--" + name;
  return "--" + name + "=" + *value;
}

std::string CanonicalOptionName(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

OptionFileReader::OptionFileReader(const FileSystem& fs, std::vector<std::string> groups)
    : fs_(fs), groups_(std::move(groups)) {}

bool OptionFileReader::WantGroup(std::string_view group) const {
  return std::any_of(groups_.begin(), groups_.end(),
                     [&](const std::string& g) { return EqualsNoCase(g, group); });
}

Status OptionFileReader::ReadFile(const std::string& path, bool required,
                                  std::vector<OptionEntry>* out) {
  return ReadAt(path, required, "", 0, out);
}

Status OptionFileReader::ParseText(std::string_view text, const std::string& path,
                                   std::vector<OptionEntry>* out) {
  return ParseAt(text, path, 0, out);
}

Status OptionFileReader::ReadAt(const std::string& path, bool required,
                                const std::string& included_at, int depth,
                                std::vector<OptionEntry>* out) {
  FileRead f = fs_.ReadFile(path);
  if (!f.found) {
    if (!required) return Status::Ok();
    if (included_at.empty()) return FileError("Could not open required defaults file: " + path);
    return FileError("Could not open included file " + path + included_at);
  }
  if (f.world_writable) {
    warnings_.push_back("World-writable config file '" + path + "' is ignored");
    return Status::Ok();
  }
  if (!f.readable) {
    std::string why = "Could not read config file " + path +
                      " (Errcode: " + std::to_string(f.error_number) + " \"" +
                      ErrnoText(f.error_number) + "\")" + included_at;
    if (required) return FileError(why);
    warnings_.push_back(why);
    return Status::Ok();
  }
  files_read_.push_back(path);
  return ParseAt(f.contents, path, depth, out);
}

Status OptionFileReader::ParseAt(std::string_view text, const std::string& path, int depth,
                                 std::vector<OptionEntry>* out) {
  bool have_group = false;
  bool want = false;
  std::string group;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    std::string_view p = Trim(line);
    if (p.empty() || p.front() == '#' || p.front() == ';') continue;

    if (p.front() == '!') {
      if (depth >= kMaxIncludeDepth) {
        warnings_.push_back("skipping '" + std::string(p) +
                            "' directive as maximum include recursion level was reached" +
                            At(path, line_no));
        continue;
      }
      std::string_view rest = Trim(p.substr(1));
      if (IsDirective(rest, "includedir")) {
        std::string dir(Trim(rest.substr(10)));
        if (dir.empty()) return FileError("Wrong '!includedir' directive" + At(path, line_no));
        DirList list = fs_.ListDirectory(dir);
        if (!list.ok) {
          return FileError("Can't read dir of '" + dir +
                           "' (Errcode: " + std::to_string(list.error_number) + " \"" +
                           ErrnoText(list.error_number) + "\")" + At(path, line_no));
        }
        std::sort(list.names.begin(), list.names.end());
        for (const std::string& name : list.names) {
          if (name.size() < 4 || name.compare(name.size() - 4, 4, ".cnf") != 0) continue;
          REPTUT_RETURN_IF_ERROR(
              ReadAt(JoinPath(dir, name), false, At(path, line_no), depth + 1, out));
        }
      } else if (IsDirective(rest, "include")) {
        std::string file(Trim(rest.substr(7)));
        if (file.empty()) return FileError("Wrong '!include' directive" + At(path, line_no));
        REPTUT_RETURN_IF_ERROR(ReadAt(file, true, At(path, line_no), depth + 1, out));
      } else {
        size_t end = 0;
        while (end < rest.size() && !IsSpace(rest[end])) ++end;
        return FileError("Wrong '!" + std::string(rest.substr(0, end)) + "' directive" +
                         At(path, line_no));
      }
      continue;
    }

    if (p.front() == '[') {
      size_t close = p.find(']');
      if (close == std::string_view::npos) {
        return FileError("Wrong group definition" + At(path, line_no));
      }
      std::string_view name = p.substr(1, close - 1);
      while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
      group = std::string(name);
      have_group = true;
      want = WantGroup(group);
      continue;
    }

    if (!have_group) {
      return FileError("Found option without preceding group" + At(path, line_no));
    }

    bool open_quote = false;
    std::string_view body = p.substr(0, CommentStart(p, &open_quote));
    if (open_quote) return FileError("Unterminated quoted value" + At(path, line_no));
    OptionEntry e;
    e.group = group;
    e.file = path;
    e.line = line_no;
    size_t eq = body.find('=');
    if (eq == std::string_view::npos) {
      e.name = std::string(Trim(body));
    } else {
      e.name = std::string(Trim(body.substr(0, eq)));
      std::string_view v = Trim(body.substr(eq + 1));
      if (v.size() > 1 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
        v = v.substr(1, v.size() - 2);
      }
      e.value = Unescape(v);
    }
    if (e.name.empty()) return FileError("Option without a name" + At(path, line_no));
    if (want) out->push_back(std::move(e));
  }
  return Status::Ok();
}

Result<std::vector<OptionEntry>> ReadOptionFile(const FileSystem& fs, const std::string& path,
                                                const std::vector<std::string>& groups) {
  OptionFileReader reader(fs, groups);
  std::vector<OptionEntry> out;
  REPTUT_RETURN_IF_ERROR(reader.ReadFile(path, true, &out));
  return out;
}

}  // namespace reptut::config
