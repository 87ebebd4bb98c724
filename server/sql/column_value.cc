#include "sql/column_value.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace reptut::sql {
namespace {

using Kind = CellValue::Kind;

bool Space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool Digit(char c) {
  return c >= '0' && c <= '9';
}
char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimRight(std::string_view v) {
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

std::string RealText(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// The value as MySQL would see it as a string.
std::string AsText(const CellValue& v) {
  switch (v.kind) {
    case Kind::kInt:
      return std::to_string(v.i);
    case Kind::kReal:
      return RealText(v.d);
    case Kind::kDecimal:
    case Kind::kText:
    case Kind::kBlob:
      return std::string(v.s);
    case Kind::kNull:
      break;
  }
  return std::string();
}

class Checker {
 public:
  Checker(const ColumnPlace& p, const CellValue& v, const ColumnCheckMode& m)
      : p_(p), v_(v), m_(m), c_(*p.column) {}

  ColumnCheck Run();

 private:
  std::string Row() const { return std::to_string(p_.row); }
  std::string Where() const {
    return "`" + std::string(p_.db) + "`.`" + std::string(p_.table) + "`.`" + c_.name + "`";
  }
  // A problem: an error in strict mode, else a warning with `fallback`
  // stored (Replace* called by the caller before or after).
  ColumnCheck& Problem(uint16_t code, std::string message) {
    out_.code = code;
    out_.message = std::move(message);
    out_.level = "Warning";
    if (m_.strict) out_.action = ColumnCheck::Action::kError;
    return out_;
  }
  ColumnCheck& Note(std::string message) {
    out_.code = 1265;
    out_.level = "Note";
    out_.message = std::move(message);
    return out_;
  }
  std::string Truncated() const {
    return "Data truncated for column '" + c_.name + "' at row " + Row();
  }
  std::string OutOfRange() const {
    return "Out of range value for column '" + c_.name + "' at row " + Row();
  }
  std::string Incorrect(std::string_view what, std::string_view text) const {
    return "Incorrect " + std::string(what) + " value: '" + std::string(text) + "' for column " +
           Where() + " at row " + Row();
  }
  void ReplaceText(std::string s) {
    if (out_.action == ColumnCheck::Action::kError) return;
    out_.action = ColumnCheck::Action::kReplace;
    out_.kind = v_.kind == Kind::kBlob ? Kind::kBlob : Kind::kText;
    out_.s = std::move(s);
  }
  void ReplaceInt(int64_t i) {
    if (out_.action == ColumnCheck::Action::kError) return;
    out_.action = ColumnCheck::Action::kReplace;
    out_.kind = Kind::kInt;
    out_.i = i;
  }

  ColumnCheck Strings();
  ColumnCheck Integer();
  ColumnCheck Decimal();
  ColumnCheck Real();
  ColumnCheck Enum();
  ColumnCheck Set();
  ColumnCheck DateLike();
  ColumnCheck Time();
  ColumnCheck Year();

  const ColumnPlace& p_;
  const CellValue& v_;
  const ColumnCheckMode& m_;
  const ColumnDef& c_;
  ColumnCheck out_;
};

// ---- numbers ---------------------------------------------------------------

// A number at the start of `t` as MySQL reads one from a string: leading
// spaces, a sign, digits, a fraction, an exponent.
struct ParsedNumber {
  bool ok = false;  // at least one digit
  bool negative = false;
  std::string int_digits, frac_digits;  // without leading zeros / as written
  int exponent = 0;
  std::string_view rest;  // what follows the number
};

ParsedNumber ParseNumber(std::string_view t) {
  ParsedNumber n;
  size_t i = 0;
  while (i < t.size() && Space(t[i])) ++i;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) n.negative = t[i++] == '-';
  size_t digits = 0;
  while (i < t.size() && Digit(t[i])) {
    if (!(n.int_digits.empty() && t[i] == '0')) n.int_digits += t[i];
    ++i;
    ++digits;
  }
  if (i < t.size() && t[i] == '.') {
    size_t j = i + 1;
    while (j < t.size() && Digit(t[j])) {
      n.frac_digits += t[j];
      ++j;
      ++digits;
    }
    if (digits > 0) i = j;
  }
  if (digits == 0) {
    n.rest = t;
    return n;
  }
  n.ok = true;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    size_t j = i + 1;
    bool neg = false;
    if (j < t.size() && (t[j] == '+' || t[j] == '-')) neg = t[j++] == '-';
    if (j < t.size() && Digit(t[j])) {
      long e = 0;
      while (j < t.size() && Digit(t[j])) {
        if (e < 100000) e = e * 10 + (t[j] - '0');
        ++j;
      }
      n.exponent = static_cast<int>(neg ? -e : e);
      i = j;
    }
  }
  n.rest = t.substr(i);
  // Move the exponent into the digits.
  while (n.exponent > 0) {
    n.int_digits += n.frac_digits.empty() ? '0' : n.frac_digits[0];
    if (!n.frac_digits.empty()) n.frac_digits.erase(0, 1);
    --n.exponent;
    if (n.int_digits == "0") n.int_digits.clear();
    if (n.int_digits.size() > 400) break;
  }
  while (n.exponent < 0) {
    n.frac_digits.insert(n.frac_digits.begin(), n.int_digits.empty() ? '0' : n.int_digits.back());
    if (!n.int_digits.empty()) n.int_digits.pop_back();
    ++n.exponent;
    if (n.frac_digits.size() > 400) break;
  }
  return n;
}

// The value as an exact decimal: from the cell's own kind.
ParsedNumber NumberOf(const CellValue& v) {
  if (v.kind == Kind::kInt) {
    ParsedNumber n;
    n.ok = true;
    n.negative = v.i < 0;
    uint64_t u = n.negative ? 0 - static_cast<uint64_t>(v.i) : static_cast<uint64_t>(v.i);
    if (u) n.int_digits = std::to_string(u);
    return n;
  }
  if (v.kind == Kind::kReal) return ParseNumber(RealText(v.d));
  return ParseNumber(v.s);
}

bool RestIsSpaces(std::string_view rest) {
  for (char c : rest) {
    if (!Space(c)) return false;
  }
  return true;
}

// Adds one unit to the decimal digit string.
void Increment(std::string& digits) {
  for (size_t i = digits.size(); i-- > 0;) {
    if (digits[i] == '9') {
      digits[i] = '0';
    } else {
      ++digits[i];
      return;
    }
  }
  digits.insert(digits.begin(), '1');
}

// ---- dates -----------------------------------------------------------------

struct DateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string frac;  // digits after the point
  bool has_time = false;
};

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[static_cast<size_t>(m - 1)];
}

int TwoDigitYear(int y) {
  return y < 70 ? 2000 + y : 1900 + y;
}

// MySQL's date and datetime literals: "2020-01-05", "2020-1-5 10:11:12.5",
// "20-01-05", "2020/01/05T10:11", "20200105", "200105101112".
std::optional<DateTime> ParseDateTime(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && Space(t[i])) ++i;
  t = t.substr(i);
  while (!t.empty() && Space(t.back())) t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  DateTime dt;
  size_t digits = 0;
  while (digits < t.size() && Digit(t[digits])) ++digits;
  auto num = [&](std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
  };
  if (digits == t.size() || (digits >= 12 && t[digits] == '.')) {
    // Digits only (a fraction after a full datetime).
    std::string_view d = t.substr(0, digits);
    if (digits < t.size()) {
      dt.frac = std::string(t.substr(digits + 1));
      for (char c : dt.frac) {
        if (!Digit(c)) return std::nullopt;
      }
    }
    size_t ylen;
    if (d.size() == 8 || d.size() == 14) {
      ylen = 4;
    } else if (d.size() == 6 || d.size() == 12) {
      ylen = 2;
    } else if (d.size() == 5 || d.size() == 7) {
      // 10105 is 2001-01-05 (MySQL pads on the left).
      std::string padded = "0" + std::string(d);
      return ParseDateTime(padded);
    } else {
      return std::nullopt;
    }
    dt.year = num(d.substr(0, ylen));
    if (ylen == 2) dt.year = TwoDigitYear(dt.year);
    dt.month = num(d.substr(ylen, 2));
    dt.day = num(d.substr(ylen + 2, 2));
    if (d.size() > ylen + 4) {
      dt.has_time = true;
      dt.hour = num(d.substr(ylen + 4, 2));
      dt.minute = num(d.substr(ylen + 6, 2));
      dt.second = num(d.substr(ylen + 8, 2));
    }
    return dt;
  }
  // Delimited: numbers separated by punctuation; ' ' or 'T' before the time.
  std::vector<std::string_view> parts;
  size_t pos = 0;
  size_t year_len = 0;
  char time_sep = 0;
  while (pos < t.size() && parts.size() < 6) {
    size_t start = pos;
    while (pos < t.size() && Digit(t[pos])) ++pos;
    if (pos == start) return std::nullopt;
    if (parts.empty()) year_len = pos - start;
    parts.push_back(t.substr(start, pos - start));
    if (pos == t.size()) break;
    if (parts.size() == 6) break;
    char sep = t[pos];
    if (parts.size() == 3) {
      if (sep != ' ' && sep != 'T') return std::nullopt;
      time_sep = sep;
      while (pos < t.size() && (t[pos] == ' ' || t[pos] == 'T')) ++pos;
      continue;
    }
    if (Digit(sep) || std::isalpha(static_cast<unsigned char>(sep)) || Space(sep)) {
      return std::nullopt;
    }
    ++pos;
  }
  (void)time_sep;
  std::string_view rest = t.substr(pos);
  if (parts.size() == 6 && !rest.empty()) {
    if (rest[0] != '.') return std::nullopt;
    dt.frac = std::string(rest.substr(1));
    for (char c : dt.frac) {
      if (!Digit(c)) return std::nullopt;
    }
  } else if (!rest.empty()) {
    return std::nullopt;
  }
  if (parts.size() < 3 || parts.size() == 4) return std::nullopt;
  for (auto p : parts) {
    if (p.size() > 4) return std::nullopt;
  }
  dt.year = num(parts[0]);
  if (year_len <= 2) dt.year = TwoDigitYear(dt.year);
  dt.month = num(parts[1]);
  dt.day = num(parts[2]);
  if (parts.size() >= 5) {
    dt.has_time = true;
    dt.hour = num(parts[3]);
    dt.minute = num(parts[4]);
    if (parts.size() == 6) dt.second = num(parts[5]);
  }
  return dt;
}

// ---- time --------------------------------------------------------------------

struct TimeValue {
  bool negative = false;
  long hours = 0;
  int minute = 0, second = 0;
  std::string frac;
};

std::optional<TimeValue> ParseTime(std::string_view t) {
  while (!t.empty() && Space(t.front())) t.remove_prefix(1);
  while (!t.empty() && Space(t.back())) t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  TimeValue tv;
  // A datetime gives its time part.
  if (auto dt = ParseDateTime(t);
      dt && dt->has_time && t.find(':') != std::string_view::npos &&
      (t.find('-') != std::string_view::npos || t.find('/') != std::string_view::npos)) {
    tv.hours = dt->hour;
    tv.minute = dt->minute;
    tv.second = dt->second;
    tv.frac = dt->frac;
    return tv;
  }
  if (t.front() == '-') {
    tv.negative = true;
    t.remove_prefix(1);
  }
  std::string_view frac;
  if (size_t dot = t.find('.'); dot != std::string_view::npos) {
    frac = t.substr(dot + 1);
    t = t.substr(0, dot);
    for (char c : frac) {
      if (!Digit(c)) return std::nullopt;
    }
    tv.frac = std::string(frac);
  }
  auto num = [](std::string_view s, long* out) {
    if (s.empty() || s.size() > 9) return false;
    long v = 0;
    for (char c : s) {
      if (!Digit(c)) return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  };
  long days = 0;
  if (size_t sp = t.find(' '); sp != std::string_view::npos) {
    if (!num(t.substr(0, sp), &days)) return std::nullopt;
    t = t.substr(sp + 1);
  }
  long h = 0, m = 0, s = 0;
  if (t.find(':') != std::string_view::npos) {
    size_t c1 = t.find(':');
    size_t c2 = t.find(':', c1 + 1);
    if (!num(t.substr(0, c1), &h)) return std::nullopt;
    if (c2 == std::string_view::npos) {
      if (!num(t.substr(c1 + 1), &m)) return std::nullopt;
    } else {
      if (!num(t.substr(c1 + 1, c2 - c1 - 1), &m) || !num(t.substr(c2 + 1), &s)) {
        return std::nullopt;
      }
    }
  } else {
    long all = 0;
    if (!num(t, &all) || days) return std::nullopt;
    h = all / 10000;
    m = all / 100 % 100;
    s = all % 100;
  }
  if (m > 59 || s > 59) return std::nullopt;
  tv.hours = days * 24 + h;
  tv.minute = static_cast<int>(m);
  tv.second = static_cast<int>(s);
  return tv;
}

// ---- the checks ----------------------------------------------------------------

ColumnCheck Checker::Strings() {
  const std::string& t = c_.type;
  bool bytes = t == "binary" || t == "varbinary" || t == "tinyblob" || t == "blob" ||
               t == "mediumblob" || t == "longblob";
  uint64_t max;
  if (t == "char" || t == "varchar" || t == "binary" || t == "varbinary") {
    max = c_.length.value_or(1);
  } else if (t == "tinytext" || t == "tinyblob") {
    max = 255;
  } else if (t == "text" || t == "blob") {
    max = 65535;
  } else if (t == "mediumtext" || t == "mediumblob") {
    max = 16777215;
  } else {
    return out_;  // longtext, longblob
  }
  // Text types count bytes, CHAR/VARCHAR characters.
  bool count_chars = !bytes && (t == "char" || t == "varchar");
  std::string text;
  std::string_view v;
  if (v_.kind == Kind::kText || v_.kind == Kind::kBlob) {
    v = v_.s;
  } else {
    text = AsText(v_);
    v = text;
  }
  size_t cut = v.size();
  if (v.size() > max) {
    uint64_t len = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      if (count_chars && (static_cast<unsigned char>(v[i]) & 0xC0) == 0x80) continue;
      if (len == max) {
        cut = i;
        break;
      }
      ++len;
    }
  }
  if (cut < v.size()) {
    bool only_spaces = !bytes && v.find_first_not_of(' ', cut) == std::string_view::npos;
    if (only_spaces) {
      Note(Truncated());
    } else if (m_.strict) {
      out_.action = ColumnCheck::Action::kError;
      out_.code = 1406;
      out_.message = "Data too long for column '" + c_.name + "' at row " + Row();
      return out_;
    } else {
      Problem(1265, Truncated());
    }
    ReplaceText(std::string(v.substr(0, cut)));
    return out_;
  }
  if (t == "binary" && v.size() < max) {
    std::string padded(v);
    padded.resize(max, '\0');
    ReplaceText(std::move(padded));
    out_.kind = Kind::kBlob;
  }
  return out_;
}

ColumnCheck Checker::Integer() {
  const std::string& t = c_.type;
  int bits = t == "tinyint"     ? 8
             : t == "smallint"  ? 16
             : t == "mediumint" ? 24
             : t == "int"       ? 32
                                : 64;
  if (v_.kind == Kind::kInt) {
    int64_t x = v_.i;
    if (c_.is_unsigned) {
      if (x < 0) {
        Problem(1264, OutOfRange());
        ReplaceInt(0);
      } else if (bits < 64 && x > static_cast<int64_t>((1ull << bits) - 1)) {
        Problem(1264, OutOfRange());
        ReplaceInt(static_cast<int64_t>((1ull << bits) - 1));
      }
    } else if (bits < 64) {
      int64_t hi = static_cast<int64_t>((1ull << (bits - 1)) - 1), lo = -hi - 1;
      if (x < lo || x > hi) {
        Problem(1264, OutOfRange());
        ReplaceInt(x < lo ? lo : hi);
      }
    }
    return out_;
  }
  ParsedNumber n = NumberOf(v_);
  std::string shown = AsText(v_);
  if (!n.ok) {
    Problem(1366, Incorrect("integer", shown));
    ReplaceInt(0);
    return out_;
  }
  bool garbage = (v_.kind == Kind::kText || v_.kind == Kind::kBlob) && !n.rest.empty();
  bool garbage_is_spaces = garbage && RestIsSpaces(n.rest);
  std::string digits = n.int_digits.empty() ? "0" : n.int_digits;
  if (v_.kind == Kind::kReal) {
    // A double: to the nearest, ties to even (rint), as MariaDB does.
    double r = std::nearbyint(v_.d);
    if (std::fabs(r) < 1e18) {
      long long whole = static_cast<long long>(std::fabs(r));
      digits = std::to_string(whole);
      n.negative = r < 0;
    }
  } else if (!n.frac_digits.empty() && n.frac_digits[0] >= '5') {
    Increment(digits);  // exact numbers: half away from zero
  }
  long double hi, lo;
  if (c_.is_unsigned) {
    lo = 0;
    hi = bits == 64 ? 18446744073709551615.0L : static_cast<long double>((1ull << bits) - 1);
  } else {
    hi = bits == 64 ? 9223372036854775807.0L : static_cast<long double>((1ull << (bits - 1)) - 1);
    lo = -hi - 1;
  }
  long double x = digits.size() > 30 ? 1e30L : std::strtold(digits.c_str(), nullptr);
  if (n.negative) x = -x;
  if ((v_.kind == Kind::kReal || v_.kind == Kind::kDecimal) && std::fabs(v_.d) >= 1e15) {
    // A double this large is a whole number, which its shortest decimal
    // form may not be exactly (-2^63 is "-9.223372036854776e+18").
    x = v_.d;
  }
  if (x < lo || x > hi) {
    Problem(1264, OutOfRange());
    x = x < lo ? lo : hi;
  } else if (garbage && !garbage_is_spaces) {
    Problem(1265, Truncated());
  } else if (garbage_is_spaces) {
    Note(Truncated());
  }
  if (c_.is_unsigned && x > 9223372036854775807.0L) {
    // Beyond SQLite's integers: kept as the decimal text.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0Lf", x);
    ReplaceText(buf);
    return out_;
  }
  int64_t value = static_cast<int64_t>(x);
  // A string that is the integer already: SQLite's affinity stores it so.
  if (out_.code == 0 && v_.kind == Kind::kText && shown == std::to_string(value)) return out_;
  ReplaceInt(value);
  return out_;
}

ColumnCheck Checker::Decimal() {
  uint32_t m = c_.length.value_or(10), d = c_.scale.value_or(0);
  if (m < d) m = d;
  ParsedNumber n = NumberOf(v_);
  if (!n.ok) {
    Problem(1366, Incorrect("decimal", AsText(v_)));
    ReplaceText("0");
    return out_;
  }
  bool garbage = (v_.kind == Kind::kText || v_.kind == Kind::kBlob) && !RestIsSpaces(n.rest);
  std::string int_part = n.int_digits, frac = n.frac_digits;
  bool lost = false;
  if (frac.size() > d) {
    bool up = frac[d] >= '5';
    lost = frac.find_first_not_of('0', d) != std::string::npos;
    frac.resize(d);
    if (up) {
      std::string all = int_part + frac;
      Increment(all);
      int_part = all.substr(0, all.size() - d);
      frac = all.substr(all.size() - d);
    }
  }
  while (int_part.size() > 1 && int_part[0] == '0') int_part.erase(0, 1);
  if (int_part == "0") int_part.clear();
  frac.resize(d, '0');
  bool negative = n.negative && (int_part.find_first_not_of('0') != std::string::npos ||
                                 frac.find_first_not_of('0') != std::string::npos);
  if (int_part.size() > m - d) {
    Problem(1264, OutOfRange());
    int_part.assign(m - d, '9');
    frac.assign(d, '9');
  } else if (garbage) {
    Problem(1265, Truncated());
  } else if (lost) {
    Note(Truncated());
  }
  if (out_.code == 0 && v_.kind != Kind::kText && v_.kind != Kind::kBlob) return out_;
  std::string text = (negative ? "-" : "") + (int_part.empty() ? "0" : int_part);
  if (d) text += "." + frac;
  ReplaceText(text);
  return out_;
}

ColumnCheck Checker::Real() {
  if (v_.kind != Kind::kText && v_.kind != Kind::kBlob) return out_;
  ParsedNumber n = ParseNumber(v_.s);
  if (!n.ok) {
    Problem(1366, Incorrect("double", v_.s));
    ReplaceInt(0);
  } else if (!RestIsSpaces(n.rest)) {
    Problem(1265, Truncated());
    ReplaceText(std::string(v_.s.substr(0, v_.s.size() - n.rest.size())));
  }
  return out_;
}

ColumnCheck Checker::Enum() {
  const auto& values = c_.values;
  std::optional<size_t> index;  // 1-based; 0 = the error value ''
  if (v_.kind == Kind::kInt || v_.kind == Kind::kReal || v_.kind == Kind::kDecimal) {
    long double x = v_.kind == Kind::kInt ? v_.i : std::llround(v_.d);
    if (x >= 1 && x <= values.size()) index = static_cast<size_t>(x);
  } else {
    std::string_view t = TrimRight(v_.s);
    for (size_t k = 0; k < values.size(); ++k) {
      if (EqualNoCase(TrimRight(values[k]), t)) {
        index = k + 1;
        break;
      }
    }
    if (!index && !t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos &&
        t.size() < 10) {
      size_t k = std::stoul(std::string(t));
      if (k >= 1 && k <= values.size()) index = k;
    }
  }
  if (!index) {
    Problem(1265, Truncated());
    ReplaceText("");
    return out_;
  }
  const std::string& member = values[*index - 1];
  if (v_.kind != Kind::kText || v_.s != member) ReplaceText(member);
  return out_;
}

ColumnCheck Checker::Set() {
  const auto& values = c_.values;
  uint64_t mask = 0;
  bool bad = false;
  if (v_.kind == Kind::kInt || v_.kind == Kind::kReal || v_.kind == Kind::kDecimal) {
    long long x = v_.kind == Kind::kInt ? v_.i : std::llround(v_.d);
    uint64_t all = values.size() >= 64 ? ~0ull : (1ull << values.size()) - 1;
    mask = static_cast<uint64_t>(x);
    if (x < 0 || (mask & ~all)) bad = true;
    mask &= all;
  } else {
    std::string_view t = v_.s;
    size_t start = 0;
    while (!t.empty() && start <= t.size()) {
      size_t comma = t.find(',', start);
      std::string_view part =
          TrimRight(t.substr(start, comma == std::string_view::npos ? t.npos : comma - start));
      bool found = false;
      for (size_t k = 0; k < values.size() && k < 64; ++k) {
        if (EqualNoCase(TrimRight(values[k]), part)) {
          mask |= 1ull << k;
          found = true;
          break;
        }
      }
      if (!found && !part.empty()) bad = true;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  std::string text;
  for (size_t k = 0; k < values.size() && k < 64; ++k) {
    if (mask & (1ull << k)) text += (text.empty() ? "" : ",") + values[k];
  }
  if (bad) Problem(1265, Truncated());
  if (bad || v_.kind != Kind::kText || v_.s != text) ReplaceText(text);
  return out_;
}

std::string Two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

ColumnCheck Checker::DateLike() {
  const std::string& t = c_.type;
  bool is_date = t == "date";
  const char* what = is_date ? "date" : "datetime";
  uint32_t fsp = is_date ? 0 : c_.length.value_or(0);
  std::string shown = AsText(v_);
  std::optional<DateTime> dt;
  if (v_.kind == Kind::kInt && v_.i == 0) {
    dt = DateTime{};
  } else if (v_.kind == Kind::kReal || v_.kind == Kind::kDecimal) {
    double whole = std::trunc(v_.d);
    if (whole == v_.d && whole >= 0) dt = ParseDateTime(RealText(whole));
  } else {
    dt = ParseDateTime(shown);
  }
  bool valid = dt.has_value();
  if (valid) {
    bool zero_date = dt->year == 0 && dt->month == 0 && dt->day == 0;
    if (dt->month > 12 || dt->day > 31 || dt->hour > 23 || dt->minute > 59 || dt->second > 59 ||
        dt->year > 9999) {
      valid = false;
    } else if (dt->month && dt->day && dt->day > DaysInMonth(dt->year, dt->month)) {
      valid = false;
    } else if (zero_date) {
      valid = !m_.no_zero_date || !m_.strict;
      if (m_.no_zero_date && !m_.strict) Problem(1264, OutOfRange());
    } else if ((dt->month == 0 || dt->day == 0) && m_.no_zero_in_date) {
      valid = false;
    } else if (t == "timestamp" && (dt->year < 1970 || dt->year > 2038)) {
      valid = false;
    }
  }
  if (!valid) {
    if (m_.strict) {
      Problem(1292, Incorrect(what, shown));
    } else {
      Problem(1265, Truncated());
    }
    ReplaceText(is_date ? "0000-00-00" : "0000-00-00 00:00:00");
    return out_;
  }
  char ymd[16];
  std::snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
  std::string text = ymd;
  if (is_date) {
    if (dt->has_time && (dt->hour || dt->minute || dt->second)) Note(Truncated());
  } else {
    text += " " + Two(dt->hour) + ":" + Two(dt->minute) + ":" + Two(dt->second);
    if (fsp) {
      std::string f = dt->frac;
      f.resize(fsp, '0');
      text += "." + f;
    }
  }
  if (v_.kind != Kind::kText || v_.s != text) ReplaceText(text);
  return out_;
}

ColumnCheck Checker::Time() {
  std::string shown = AsText(v_);
  std::optional<TimeValue> tv;
  if (v_.kind == Kind::kReal || v_.kind == Kind::kDecimal) {
    tv = ParseTime(RealText(v_.d));
  } else {
    tv = ParseTime(shown);
  }
  if (!tv) {
    if (m_.strict) {
      Problem(1292, Incorrect("time", shown));
    } else {
      Problem(1265, Truncated());
    }
    ReplaceText("00:00:00");
    return out_;
  }
  if (tv->hours > 838) {
    if (m_.strict) {
      Problem(1292, Incorrect("time", shown));
      return out_;
    }
    Problem(1264, OutOfRange());
    tv->hours = 838;
    tv->minute = 59;
    tv->second = 59;
    tv->frac.clear();
  }
  std::string text = (tv->negative ? "-" : "") + Two(static_cast<int>(tv->hours)) + ":" +
                     Two(tv->minute) + ":" + Two(tv->second);
  uint32_t fsp = c_.length.value_or(0);
  if (fsp) {
    std::string f = tv->frac;
    f.resize(fsp, '0');
    text += "." + f;
  }
  if (v_.kind != Kind::kText || v_.s != text) ReplaceText(text);
  return out_;
}

ColumnCheck Checker::Year() {
  long long y;
  bool from_string = v_.kind == Kind::kText || v_.kind == Kind::kBlob;
  if (v_.kind == Kind::kInt) {
    y = v_.i;
  } else if (v_.kind == Kind::kReal || v_.kind == Kind::kDecimal) {
    y = std::llround(v_.d);
  } else {
    ParsedNumber n = ParseNumber(v_.s);
    if (!n.ok) {
      Problem(1366, Incorrect("integer", v_.s));
      ReplaceInt(0);
      return out_;
    }
    y = n.int_digits.size() > 6 ? 99999 : (n.int_digits.empty() ? 0 : std::stoll(n.int_digits));
    if (n.negative) y = -y;
    // '0' and '00' are 2000 when given as strings.
    if (y == 0 && TrimRight(v_.s).size() <= 2) y = 2000;
  }
  if (y > 0 && y < 70) {
    y += 2000;
  } else if (y >= 70 && y < 100) {
    y += 1900;
  }
  if (y != 0 && (y < 1901 || y > 2155)) {
    Problem(1264, OutOfRange());
    ReplaceInt(0);
    return out_;
  }
  if (from_string || v_.kind != Kind::kInt || v_.i != y) ReplaceInt(y);
  return out_;
}

ColumnCheck Checker::Run() {
  if (v_.kind == Kind::kNull) return out_;
  const std::string& t = c_.type;
  if (t == "char" || t == "varchar" || t == "binary" || t == "varbinary" || t == "tinytext" ||
      t == "text" || t == "mediumtext" || t == "longtext" || t == "tinyblob" || t == "blob" ||
      t == "mediumblob" || t == "longblob") {
    return Strings();
  }
  if (t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint") {
    return Integer();
  }
  if (t == "decimal") return Decimal();
  if (t == "float" || t == "double") return Real();
  if (t == "enum") return Enum();
  if (t == "set") return Set();
  if (t == "date" || t == "datetime" || t == "timestamp") return DateLike();
  if (t == "time") return Time();
  if (t == "year") return Year();
  return out_;  // bit: as given
}

}  // namespace

ColumnCheck CheckColumnValue(const ColumnPlace& place, const CellValue& value,
                             const ColumnCheckMode& mode) {
  return Checker(place, value, mode).Run();
}

}  // namespace reptut::sql
