#include "scenario/report.h"

#include <cstdio>
#include <sstream>

namespace serveradm::scenario {

const char* StatusName(Status s) {
  switch (s) {
    case Status::kPassed:
      return "passed";
    case Status::kFailed:
      return "failed";
    case Status::kSkipped:
      return "skipped";
    case Status::kNotRun:
      return "not run";
  }
  return "?";
}

std::string StepLine(const StepResult& r, size_t total) {
  const char* mark = r.status == Status::kPassed    ? "ok  "
                     : r.status == Status::kFailed  ? "FAIL"
                     : r.status == Status::kSkipped ? "skip"
                                                    : "    ";
  char head[64];
  int width = static_cast<int>(std::to_string(total).size());
  std::snprintf(head, sizeof head, "%*zu/%zu %s %6.2fs  ", width, r.index, total, mark, r.seconds);
  std::string line = head + r.label;
  if (r.status == Status::kSkipped && !r.skip_reason.empty()) line += " (" + r.skip_reason + ")";
  return line;
}

namespace {
// Continuation lines of a multi-line value, indented under its label.
std::string Indent(const std::string& text, const std::string& pad) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}
}  // namespace

std::string FailureBlock(const StepResult& r) {
  std::ostringstream o;
  const std::string pad(16, ' ');
  o << "      why: " << r.why << "\n";
  for (const auto& c : r.commands) o << "      ran: " << c << "\n";
  if (!r.detail.empty()) o << "      " << Indent(r.detail, "      ") << "\n";
  if (!r.expected.empty()) o << "      expected: " << Indent(r.expected, pad) << "\n";
  if (!r.seen.empty()) o << "      seen:     " << Indent(r.seen, pad) << "\n";
  for (const auto& c : r.checks)
    if (!c.ok)
      o << "      check failed: " << c.label << "\n        expected: " << c.expected
        << "\n        seen:     " << c.seen << "\n";
  for (const auto& [server, tail] : r.error_logs) {
    if (tail.empty()) continue;
    o << "      last lines of " << server << "'s error log:\n";
    std::istringstream lines(tail);
    for (std::string l; std::getline(lines, l);) o << "        " << l << "\n";
  }
  return o.str();
}

std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {
std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}
std::string OrNull(const std::string& s) {
  return s.empty() ? "null" : JsonQuote(s);
}
}  // namespace

std::string ToJson(const Report& r) {
  std::ostringstream o;
  o << "{\"scenario\": " << JsonQuote(r.name) << ", \"title\": " << JsonQuote(r.title)
    << ", \"source\": " << JsonQuote(r.source) << ", \"flavor\": " << JsonQuote(r.flavor)
    << ", \"directory\": " << OrNull(r.directory)
    << ", \"passed\": " << (r.passed ? "true" : "false")
    << ", \"outcome\": " << JsonQuote(r.outcome) << ", \"seconds\": " << Seconds(r.seconds)
    << ",\n \"steps\": [";
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const StepResult& s = r.steps[i];
    o << (i ? ",\n  " : "\n  ") << "{\"index\": " << s.index << ", \"kind\": " << JsonQuote(s.kind)
      << ", \"label\": " << JsonQuote(s.label) << ", \"why\": " << JsonQuote(s.why)
      << ", \"status\": " << JsonQuote(StatusName(s.status))
      << ", \"seconds\": " << Seconds(s.seconds) << ", \"commands\": [";
    for (size_t c = 0; c < s.commands.size(); ++c) o << (c ? ", " : "") << JsonQuote(s.commands[c]);
    o << "], \"expected\": " << OrNull(s.expected) << ", \"seen\": " << OrNull(s.seen)
      << ", \"detail\": " << OrNull(s.detail) << ", \"skip_reason\": " << OrNull(s.skip_reason)
      << ", \"checks\": [";
    for (size_t c = 0; c < s.checks.size(); ++c) {
      const CheckResult& k = s.checks[c];
      o << (c ? ", " : "") << "{\"label\": " << JsonQuote(k.label)
        << ", \"passed\": " << (k.ok ? "true" : "false") << ", \"expected\": " << OrNull(k.expected)
        << ", \"seen\": " << OrNull(k.seen) << "}";
    }
    o << "], \"error_logs\": {";
    for (size_t c = 0; c < s.error_logs.size(); ++c)
      o << (c ? ", " : "") << JsonQuote(s.error_logs[c].first) << ": "
        << JsonQuote(s.error_logs[c].second);
    o << "}}";
  }
  o << (r.steps.empty() ? "]}" : "\n ]}");
  return o.str();
}

}  // namespace serveradm::scenario
