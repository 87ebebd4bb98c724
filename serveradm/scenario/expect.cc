#include "scenario/expect.h"

#include <regex>
#include <stdexcept>

namespace serveradm::scenario {

std::string Expand(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t b = text.find("${", i);
    if (b == std::string::npos) break;
    size_t e = text.find('}', b);
    if (e == std::string::npos) break;
    out.append(text, i, b - i);
    std::string name = text.substr(b + 2, e - b - 2);
    auto it = vars.find(name);
    if (it == vars.end()) throw std::out_of_range("${" + name + "} has no value yet");
    out += it->second;
    i = e + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

namespace {

std::string Show(const std::optional<std::string>& v) {
  return v ? "'" + *v + "'" : "NULL";
}

bool ToNumber(const std::string& s, long double* out) {
  try {
    size_t used = 0;
    *out = std::stold(s, &used);
    return used == s.size() && !s.empty();
  } catch (...) {
    return false;
  }
}

}  // namespace

bool MatchValue(const Matcher& m, const std::optional<std::string>& value,
                const std::map<std::string, std::string>& vars) {
  if (m.op == Matcher::Op::kIsNull) return !value.has_value();
  const std::string want = Expand(m.value, vars);
  if (!value) return m.op == Matcher::Op::kNot;
  switch (m.op) {
    case Matcher::Op::kEquals: {
      if (*value == want) return true;
      long double a, b;  // 1.0 equals 1, as numbers
      return ToNumber(*value, &a) && ToNumber(want, &b) && a == b;
    }
    case Matcher::Op::kContains:
      return value->find(want) != std::string::npos;
    case Matcher::Op::kMatches:
      return std::regex_search(*value, std::regex(want));
    case Matcher::Op::kNot:
      return *value != want;
    case Matcher::Op::kAtLeast:
    case Matcher::Op::kAtMost: {
      long double a, b;
      if (!ToNumber(*value, &a) || !ToNumber(want, &b)) return false;
      return m.op == Matcher::Op::kAtLeast ? a >= b : a <= b;
    }
    case Matcher::Op::kIsNull:
      break;
  }
  return false;
}

std::string FormatRows(const Rows& rows, size_t max_rows) {
  std::string out = "[";
  for (size_t r = 0; r < rows.rows.size() && r < max_rows; ++r) {
    out += r ? ", [" : "[";
    for (size_t c = 0; c < rows.rows[r].size(); ++c) out += (c ? ", " : "") + Show(rows.rows[r][c]);
    out += "]";
  }
  if (rows.rows.size() > max_rows)
    out += ", ... (" + std::to_string(rows.rows.size()) + " rows in all)";
  return out + "]";
}

Verdict Evaluate(const Expectation& e, const Expected<Rows>& outcome,
                 const std::map<std::string, std::string>& vars) {
  Verdict v;
  if (e.error) {
    if (outcome.ok()) {
      v.ok = false;
      v.expected = "error " + std::to_string(*e.error);
      v.seen = "no error: " + FormatRows(outcome.value());
    } else if (outcome.error().code != *e.error) {
      v.ok = false;
      v.expected = "error " + std::to_string(*e.error);
      v.seen = outcome.error().ToString();
    }
    return v;
  }
  if (!outcome.ok()) {
    v.ok = false;
    v.expected = "the query to succeed";
    v.seen = outcome.error().ToString();
    return v;
  }
  const Rows& rows = outcome.value();
  if (e.count && static_cast<long long>(rows.rows.size()) != *e.count) {
    v.ok = false;
    v.expected = std::to_string(*e.count) + " row(s)";
    v.seen = std::to_string(rows.rows.size()) + " row(s): " + FormatRows(rows);
    return v;
  }
  if (e.rows) {
    bool same = e.rows->size() == rows.rows.size();
    for (size_t r = 0; same && r < rows.rows.size(); ++r) {
      const auto& want = (*e.rows)[r];
      const auto& got = rows.rows[r];
      same = want.size() == got.size();
      for (size_t c = 0; same && c < got.size(); ++c) {
        Matcher m;
        if (want[c]) {
          m.value = *want[c];
        } else {
          m.op = Matcher::Op::kIsNull;
        }
        same = MatchValue(m, got[c], vars);
      }
    }
    if (!same) {
      v.ok = false;
      std::string w = "[";
      for (size_t r = 0; r < e.rows->size(); ++r) {
        w += r ? ", [" : "[";
        for (size_t c = 0; c < (*e.rows)[r].size(); ++c) {
          const auto& cell = (*e.rows)[r][c];
          w += (c ? ", " : "") + (cell ? Show(Expand(*cell, vars)) : std::string("NULL"));
        }
        w += "]";
      }
      v.expected = "rows " + w + "]";
      v.seen = "rows " + FormatRows(rows);
      return v;
    }
  }
  if (e.value || !e.fields.empty()) {
    if (rows.rows.empty()) {
      v.ok = false;
      v.expected = e.value ? "a first row with the value " + e.value->Describe()
                           : "a first row with the fields given";
      v.seen = "no rows";
      return v;
    }
  }
  if (e.value) {
    std::optional<std::string> got =
        rows.rows[0].empty() ? std::nullopt : std::optional<std::string>(rows.rows[0][0]);
    if (!rows.rows[0].empty()) got = rows.rows[0][0];
    if (!MatchValue(*e.value, got, vars)) {
      v.ok = false;
      Matcher shown = *e.value;
      shown.value = Expand(shown.value, vars);
      v.expected = "value " + shown.Describe();
      v.seen = "value " + Show(got);
      return v;
    }
  }
  for (const auto& [col, m] : e.fields) {
    size_t idx = rows.columns.size();
    for (size_t i = 0; i < rows.columns.size(); ++i)
      if (rows.columns[i] == col) idx = i;
    if (idx == rows.columns.size()) {
      v.ok = false;
      v.expected = "a column named " + col;
      std::string cols;
      for (const auto& c : rows.columns) cols += (cols.empty() ? "" : ", ") + c;
      v.seen = "columns " + cols;
      return v;
    }
    const auto& got = rows.rows[0][idx];
    if (!MatchValue(m, got, vars)) {
      v.ok = false;
      Matcher shown = m;
      shown.value = Expand(shown.value, vars);
      v.expected = col + " = " + shown.Describe();
      v.seen = col + " = " + Show(got);
      return v;
    }
  }
  return v;
}

}  // namespace serveradm::scenario
