// The rest of the MySQL functions the SQL translator may call (see
// sql::EngineFunctions()): dates, strings, numbers, locks. Registered by
// RegisterFunctions() next to the session-aware ones in functions.cc. A
// function the translator knows but this file does not provide fails with
// 1235 naming it (see MapSqliteError), never with a wrong value.
#include <regex.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <openssl/evp.h>

#include "binlog/crc32.h"
#include "engine/binlogging.h"
#include "engine/functions.h"
#include "engine/server_state.h"
#include "engine/sqlite_values.h"

namespace reptut::engine {
namespace {

#define NULL_IF_ANY_NULL()                                    \
  do {                                                        \
    if (AnyNull(argc, argv)) return sqlite3_result_null(ctx); \
  } while (0)

// ---- dates ----------------------------------------------------------------

struct DateTime {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  bool has_time = false;
};

bool ParseDate(const std::string& text, DateTime* dt) {
  DateTime r;
  int n = std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &r.y, &r.mo, &r.d, &r.h, &r.mi, &r.s);
  if (n < 3) {
    // YYYYMMDD[HHMMSS] as a number.
    std::string digits;
    for (char c : text) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    if (digits.size() != 8 && digits.size() != 14) return false;
    r.y = std::stoi(digits.substr(0, 4));
    r.mo = std::stoi(digits.substr(4, 2));
    r.d = std::stoi(digits.substr(6, 2));
    if (digits.size() == 14) {
      r.h = std::stoi(digits.substr(8, 2));
      r.mi = std::stoi(digits.substr(10, 2));
      r.s = std::stoi(digits.substr(12, 2));
      r.has_time = true;
    }
  } else {
    r.has_time = n > 3;
  }
  if (r.mo < 1 || r.mo > 12 || r.d < 1 || r.d > 31) return false;
  *dt = r;
  return true;
}

// Days since 1970-01-01 (proleptic Gregorian), and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yy + (*m <= 2));
}

int64_t Seconds(const DateTime& t) {
  return DaysFromCivil(t.y, t.mo, t.d) * 86400 + t.h * 3600 + t.mi * 60 + t.s;
}

DateTime FromSeconds(int64_t secs, bool has_time) {
  DateTime t;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rest = secs - days * 86400;
  CivilFromDays(days, &t.y, &t.mo, &t.d);
  t.h = static_cast<int>(rest / 3600);
  t.mi = static_cast<int>(rest / 60 % 60);
  t.s = static_cast<int>(rest % 60);
  t.has_time = has_time;
  return t;
}

std::string Format(const DateTime& t, bool with_time) {
  char buf[40];
  if (with_time) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", t.y, t.mo, t.d, t.h, t.mi, t.s);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.y, t.mo, t.d);
  }
  return buf;
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// date + amount UNIT, as MySQL's DATE_ADD.
bool AddInterval(DateTime* t, const std::string& unit_in, const std::string& amount) {
  std::string unit;
  for (char c : unit_in) unit += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  double n = std::strtod(amount.c_str(), nullptr);
  auto add_months = [&](int64_t months) {
    int64_t total = static_cast<int64_t>(t->y) * 12 + (t->mo - 1) + months;
    t->y = static_cast<int>(total / 12);
    t->mo = static_cast<int>(total % 12) + 1;
    t->d = std::min(t->d, DaysInMonth(t->y, t->mo));
  };
  int64_t secs = 0;
  if (unit == "YEAR") {
    add_months(static_cast<int64_t>(n) * 12);
    return true;
  }
  if (unit == "QUARTER") {
    add_months(static_cast<int64_t>(n) * 3);
    return true;
  }
  if (unit == "MONTH") {
    add_months(static_cast<int64_t>(n));
    return true;
  }
  if (unit == "WEEK")
    secs = static_cast<int64_t>(n) * 7 * 86400;
  else if (unit == "DAY")
    secs = static_cast<int64_t>(n) * 86400;
  else if (unit == "HOUR")
    secs = static_cast<int64_t>(n) * 3600, t->has_time = true;
  else if (unit == "MINUTE")
    secs = static_cast<int64_t>(n) * 60, t->has_time = true;
  else if (unit == "SECOND")
    secs = static_cast<int64_t>(n), t->has_time = true;
  else
    return false;
  bool has_time = t->has_time;
  *t = FromSeconds(Seconds(*t) + secs, has_time);
  return true;
}

void DateAddImpl(sqlite3_context* ctx, int argc, sqlite3_value** argv, int sign) {
  NULL_IF_ANY_NULL();
  DateTime t;
  if (!ParseDate(ArgText(argv[0]), &t)) return sqlite3_result_null(ctx);
  std::string amount = ArgText(argv[1]);
  if (sign < 0) amount = amount[0] == '-' ? amount.substr(1) : "-" + amount;
  if (!AddInterval(&t, ArgText(argv[2]), amount)) return sqlite3_result_null(ctx);
  ResultText(ctx, Format(t, t.has_time));
}

void DateAdd(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  DateAddImpl(ctx, argc, argv, 1);
}
void DateSub(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  DateAddImpl(ctx, argc, argv, -1);
}

// YEAR(), MONTH() ... share one body: `part` picks the field.
template <int kPart>
void DatePart(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  DateTime t;
  if (!ParseDate(ArgText(argv[0]), &t)) {
    // TIME values 'HH:MM:SS' for HOUR/MINUTE/SECOND.
    int h, m, s;
    if (kPart >= 3 && std::sscanf(ArgText(argv[0]).c_str(), "%d:%d:%d", &h, &m, &s) == 3) {
      return sqlite3_result_int(ctx, kPart == 3 ? h : kPart == 4 ? m : s);
    }
    return sqlite3_result_null(ctx);
  }
  int64_t days = DaysFromCivil(t.y, t.mo, t.d);
  int v = 0;
  switch (kPart) {
    case 0:
      v = t.y;
      break;
    case 1:
      v = t.mo;
      break;
    case 2:
      v = t.d;
      break;
    case 3:
      v = t.h;
      break;
    case 4:
      v = t.mi;
      break;
    case 5:
      v = t.s;
      break;
    case 6:
      v = static_cast<int>(((days % 7) + 11) % 7) + 1;
      break;  // DAYOFWEEK: 1 = Sunday
    case 7:
      v = static_cast<int>(days - DaysFromCivil(t.y, 1, 1)) + 1;
      break;  // DAYOFYEAR
    case 8:
      v = static_cast<int>(((days % 7) + 10) % 7);
      break;  // WEEKDAY: 0 = Monday
    case 9:
      v = (t.mo - 1) / 3 + 1;
      break;  // QUARTER
    case 10:
      v = static_cast<int>(days + 719528);
      break;  // TO_DAYS
  }
  sqlite3_result_int64(ctx, v);
}

void DateOnly(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  DateTime t;
  if (!ParseDate(ArgText(argv[0]), &t)) return sqlite3_result_null(ctx);
  ResultText(ctx, Format(t, false));
}

void DateDiff(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  DateTime a, b;
  if (!ParseDate(ArgText(argv[0]), &a) || !ParseDate(ArgText(argv[1]), &b)) {
    return sqlite3_result_null(ctx);
  }
  sqlite3_result_int64(ctx, DaysFromCivil(a.y, a.mo, a.d) - DaysFromCivil(b.y, b.mo, b.d));
}

void LastDay(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  DateTime t;
  if (!ParseDate(ArgText(argv[0]), &t)) return sqlite3_result_null(ctx);
  t.d = DaysInMonth(t.y, t.mo);
  ResultText(ctx, Format(t, false));
}

void DateTimeCast(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  DateTime t;
  if (!ParseDate(ArgText(argv[0]), &t)) return sqlite3_result_null(ctx);
  ResultText(ctx, Format(t, true));
}

void DateFormat(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  DateTime t;
  if (!ParseDate(ArgText(argv[0]), &t)) return sqlite3_result_null(ctx);
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  static const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                "Friday", "Saturday", "Sunday"};
  int64_t days = DaysFromCivil(t.y, t.mo, t.d);
  int wd = static_cast<int>(((days % 7) + 10) % 7);
  std::string fmt = ArgText(argv[1]), out;
  char buf[32];
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%' || i + 1 == fmt.size()) {
      out += fmt[i];
      continue;
    }
    char c = fmt[++i];
    switch (c) {
      case 'Y':
        std::snprintf(buf, sizeof buf, "%04d", t.y);
        break;
      case 'y':
        std::snprintf(buf, sizeof buf, "%02d", t.y % 100);
        break;
      case 'm':
        std::snprintf(buf, sizeof buf, "%02d", t.mo);
        break;
      case 'c':
        std::snprintf(buf, sizeof buf, "%d", t.mo);
        break;
      case 'd':
        std::snprintf(buf, sizeof buf, "%02d", t.d);
        break;
      case 'e':
        std::snprintf(buf, sizeof buf, "%d", t.d);
        break;
      case 'H':
        std::snprintf(buf, sizeof buf, "%02d", t.h);
        break;
      case 'k':
        std::snprintf(buf, sizeof buf, "%d", t.h);
        break;
      case 'h':
      case 'I':
        std::snprintf(buf, sizeof buf, "%02d", (t.h + 11) % 12 + 1);
        break;
      case 'l':
        std::snprintf(buf, sizeof buf, "%d", (t.h + 11) % 12 + 1);
        break;
      case 'i':
        std::snprintf(buf, sizeof buf, "%02d", t.mi);
        break;
      case 's':
      case 'S':
        std::snprintf(buf, sizeof buf, "%02d", t.s);
        break;
      case 'p':
        std::snprintf(buf, sizeof buf, "%s", t.h < 12 ? "AM" : "PM");
        break;
      case 'T':
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", t.h, t.mi, t.s);
        break;
      case 'r':
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d %s", (t.h + 11) % 12 + 1, t.mi, t.s,
                      t.h < 12 ? "AM" : "PM");
        break;
      case 'M':
        std::snprintf(buf, sizeof buf, "%s", kMonths[t.mo - 1]);
        break;
      case 'b':
        std::snprintf(buf, sizeof buf, "%.3s", kMonths[t.mo - 1]);
        break;
      case 'W':
        std::snprintf(buf, sizeof buf, "%s", kDays[wd]);
        break;
      case 'a':
        std::snprintf(buf, sizeof buf, "%.3s", kDays[wd]);
        break;
      case 'w':
        std::snprintf(buf, sizeof buf, "%d", (wd + 1) % 7);
        break;
      case 'j':
        std::snprintf(buf, sizeof buf, "%03d",
                      static_cast<int>(days - DaysFromCivil(t.y, 1, 1)) + 1);
        break;
      case 'f':
        std::snprintf(buf, sizeof buf, "000000");
        break;
      case '%':
        std::snprintf(buf, sizeof buf, "%%");
        break;
      default:
        std::snprintf(buf, sizeof buf, "%c", c);
        break;
    }
    out += buf;
  }
  ResultText(ctx, out);
}

// ---- strings --------------------------------------------------------------

void Repeat(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string s = ArgText(argv[0]), out;
  int64_t n = sqlite3_value_int64(argv[1]);
  if (n > 0 && s.size() * static_cast<size_t>(n) > (64u << 20)) return sqlite3_result_null(ctx);
  for (int64_t i = 0; i < n; ++i) out += s;
  ResultText(ctx, out);
}

void Pad(sqlite3_context* ctx, int argc, sqlite3_value** argv, bool left) {
  NULL_IF_ANY_NULL();
  std::string s = ArgText(argv[0]), pad = ArgText(argv[2]);
  int64_t len = sqlite3_value_int64(argv[1]);
  if (len < 0) return sqlite3_result_null(ctx);
  size_t n = static_cast<size_t>(len);
  if (s.size() >= n) return ResultText(ctx, s.substr(0, n));
  if (pad.empty()) return sqlite3_result_null(ctx);
  std::string fill;
  while (fill.size() < n - s.size()) fill += pad;
  fill.resize(n - s.size());
  ResultText(ctx, left ? fill + s : s + fill);
}
void Lpad(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  Pad(ctx, argc, argv, true);
}
void Rpad(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  Pad(ctx, argc, argv, false);
}

void Space(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  int64_t n = sqlite3_value_int64(argv[0]);
  ResultText(ctx, std::string(static_cast<size_t>(std::clamp<int64_t>(n, 0, 1 << 20)), ' '));
}

void Reverse(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string s = ArgText(argv[0]);
  std::reverse(s.begin(), s.end());
  ResultText(ctx, s);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void Locate3(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string needle = Lower(ArgText(argv[0])), hay = Lower(ArgText(argv[1]));
  int64_t start = sqlite3_value_int64(argv[2]);
  if (start < 1) return sqlite3_result_int(ctx, 0);
  size_t p = hay.find(needle, static_cast<size_t>(start - 1));
  sqlite3_result_int64(ctx, p == std::string::npos ? 0 : static_cast<int64_t>(p) + 1);
}

void Field(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_int(ctx, 0);
  std::string v = Lower(ArgText(argv[0]));
  for (int i = 1; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) != SQLITE_NULL && Lower(ArgText(argv[i])) == v) {
      return sqlite3_result_int(ctx, i);
    }
  }
  sqlite3_result_int(ctx, 0);
}

void Elt(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  int64_t n = sqlite3_value_int64(argv[0]);
  if (n < 1 || n >= argc) return sqlite3_result_null(ctx);
  sqlite3_result_value(ctx, argv[n]);
}

void FindInSet(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string v = Lower(ArgText(argv[0])), list = Lower(ArgText(argv[1]));
  int idx = 1;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (list.compare(start, comma - start, v) == 0 && !list.empty()) {
      return sqlite3_result_int(ctx, idx);
    }
    ++idx;
    start = comma + 1;
  }
  sqlite3_result_int(ctx, 0);
}

void Strcmp(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  int c = Lower(ArgText(argv[0])).compare(Lower(ArgText(argv[1])));
  sqlite3_result_int(ctx, c < 0 ? -1 : c > 0 ? 1 : 0);
}

void Ascii(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string s = ArgText(argv[0]);
  sqlite3_result_int(ctx, s.empty() ? 0 : static_cast<unsigned char>(s[0]));
}

void SubstringIndex(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string s = ArgText(argv[0]), delim = ArgText(argv[1]);
  int64_t count = sqlite3_value_int64(argv[2]);
  if (delim.empty() || count == 0) return ResultText(ctx, "");
  if (count > 0) {
    size_t p = 0;
    for (int64_t i = 0; i < count; ++i) {
      p = s.find(delim, i == 0 ? 0 : p + delim.size());
      if (p == std::string::npos) return ResultText(ctx, s);
    }
    return ResultText(ctx, s.substr(0, p));
  }
  size_t p = s.size();
  for (int64_t i = 0; i < -count; ++i) {
    if (p == 0) return ResultText(ctx, s);
    p = s.rfind(delim, p - 1);
    if (p == std::string::npos) return ResultText(ctx, s);
  }
  ResultText(ctx, s.substr(p + delim.size()));
}

void Regexp(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string pattern = ArgText(argv[0]), text = ArgText(argv[1]);
  regex_t re;
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0) {
    return sqlite3_result_error(ctx, "Got error from regexp", -1);
  }
  int rc = regexec(&re, text.c_str(), 0, nullptr, 0);
  regfree(&re);
  sqlite3_result_int(ctx, rc == 0 ? 1 : 0);
}

// ---- numbers and hashes ----------------------------------------------------

void Truncate(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  double x = sqlite3_value_double(argv[0]);
  int64_t d = sqlite3_value_int64(argv[1]);
  double f = std::pow(10.0, static_cast<double>(d));
  double r = std::trunc(x * f) / f;
  if (d <= 0 && sqlite3_value_type(argv[0]) == SQLITE_INTEGER) {
    return sqlite3_result_int64(ctx, static_cast<int64_t>(r));
  }
  sqlite3_result_double(ctx, r);
}

// A value as MySQL's bit operations and CONV see it: an unsigned 64-bit
// integer (negative numbers in two's complement, reals rounded, text read
// as a number).
uint64_t ArgUnsigned(sqlite3_value* v) {
  auto from_double = [](double d) -> uint64_t {
    d = std::round(d);
    if (d < 0)
      return static_cast<uint64_t>(d < -9.2233720368547758e18 ? INT64_MIN
                                                              : static_cast<int64_t>(d));
    if (d >= 1.8446744073709552e19) return UINT64_MAX;
    return static_cast<uint64_t>(d);
  };
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return static_cast<uint64_t>(sqlite3_value_int64(v));
    case SQLITE_FLOAT:
      return from_double(sqlite3_value_double(v));
    case SQLITE_NULL:
      return 0;
    default:
      break;
  }
  std::string t = ArgText(v);
  size_t i = 0;
  while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
  bool neg = i < t.size() && t[i] == '-';
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  size_t digits = i;
  uint64_t n = 0;
  bool overflow = false;
  for (; i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])); ++i) {
    uint64_t d = static_cast<uint64_t>(t[i] - '0');
    if (n > (UINT64_MAX - d) / 10) overflow = true;
    n = n * 10 + d;
  }
  if (i < t.size() && (t[i] == '.' || t[i] == 'e' || t[i] == 'E') && i > digits) {
    return from_double(std::strtod(t.c_str(), nullptr));
  }
  if (overflow) return neg ? static_cast<uint64_t>(INT64_MIN) : UINT64_MAX;
  return neg ? static_cast<uint64_t>(0) - n : n;
}

// An unsigned result: an integer when SQLite's int64 holds it, else its
// decimal text (MySQL's BIGINT UNSIGNED values above 2^63-1).
void ResultUnsigned(sqlite3_context* ctx, uint64_t v) {
  if (v <= static_cast<uint64_t>(INT64_MAX)) {
    return sqlite3_result_int64(ctx, static_cast<int64_t>(v));
  }
  ResultText(ctx, std::to_string(v));
}

// HEX(x): a number's value in base 16 (HEX(255) = 'FF', negative numbers as
// their 64-bit two's complement), a string's bytes as two hex digits each;
// NULL for NULL (SQLite's own hex() gives '').
void MysqlHex(sqlite3_context* ctx, int, sqlite3_value** argv) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  sqlite3_value* v = argv[0];
  int type = sqlite3_value_type(v);
  if (type == SQLITE_NULL) return sqlite3_result_null(ctx);
  if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
    uint64_t n = type == SQLITE_INTEGER
                     ? static_cast<uint64_t>(sqlite3_value_int64(v))
                     : static_cast<uint64_t>(std::llround(sqlite3_value_double(v)));
    std::string out;
    do {
      out.insert(out.begin(), kDigits[n & 15]);
      n >>= 4;
    } while (n);
    return ResultText(ctx, out);
  }
  const auto* p = static_cast<const unsigned char*>(sqlite3_value_blob(v));
  size_t n = static_cast<size_t>(sqlite3_value_bytes(v));
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  ResultText(ctx, out);
}

// CONV(n, from_base, to_base): bases 2..36; a negative from_base reads n as
// signed, a negative to_base writes the result signed. NULL for a bad base.
void Conv(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  int64_t from = sqlite3_value_int64(argv[1]);
  int64_t to = sqlite3_value_int64(argv[2]);
  if (std::llabs(from) < 2 || std::llabs(from) > 36 || std::llabs(to) < 2 || std::llabs(to) > 36) {
    return sqlite3_result_null(ctx);
  }
  std::string t = ArgText(argv[0]);
  size_t i = 0;
  while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
  bool neg = i < t.size() && t[i] == '-';
  if (neg) ++i;
  uint64_t n = 0;
  uint64_t base = static_cast<uint64_t>(std::llabs(from));
  for (; i < t.size(); ++i) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i])));
    uint64_t d = c >= '0' && c <= '9'   ? static_cast<uint64_t>(c - '0')
                 : c >= 'A' && c <= 'Z' ? static_cast<uint64_t>(c - 'A' + 10)
                                        : 99;
    if (d >= base) break;
    if (n > (UINT64_MAX - d) / base) {
      n = UINT64_MAX;
      break;
    }
    n = n * base + d;
  }
  if (neg) n = static_cast<uint64_t>(0) - n;
  bool signed_out = to < 0 && static_cast<int64_t>(n) < 0;
  if (signed_out) n = static_cast<uint64_t>(0) - n;
  uint64_t out_base = static_cast<uint64_t>(std::llabs(to));
  std::string out;
  do {
    out.insert(out.begin(), "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % out_base]);
    n /= out_base;
  } while (n);
  if (signed_out) out.insert(out.begin(), '-');
  ResultText(ctx, out);
}

// BIT_AND / BIT_OR / BIT_XOR aggregates over unsigned 64-bit values; NULLs
// are skipped; no rows gives all bits set (AND) or 0 (OR, XOR).
template <int kOp>  // 0 AND, 1 OR, 2 XOR
void BitStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* acc = static_cast<uint64_t*>(sqlite3_aggregate_context(ctx, sizeof(uint64_t) * 2));
  if (!acc) return sqlite3_result_error_nomem(ctx);
  if (acc[1] == 0) {
    acc[0] = kOp == 0 ? UINT64_MAX : 0;
    acc[1] = 1;
  }
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  uint64_t v = ArgUnsigned(argv[0]);
  acc[0] = kOp == 0 ? (acc[0] & v) : kOp == 1 ? (acc[0] | v) : (acc[0] ^ v);
}

template <int kOp>
void BitFinal(sqlite3_context* ctx) {
  auto* acc = static_cast<uint64_t*>(sqlite3_aggregate_context(ctx, 0));
  if (!acc || acc[1] == 0) return ResultUnsigned(ctx, kOp == 0 ? UINT64_MAX : 0);
  ResultUnsigned(ctx, acc[0]);
}

void Crc32(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::string s = ArgText(argv[0]);
  sqlite3_result_int64(ctx, static_cast<int64_t>(binlog::Crc32(0, s)));
}

std::string HexOf(const unsigned char* p, size_t n, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

void Sha2(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  int64_t bits = sqlite3_value_int64(argv[1]);
  const EVP_MD* md = bits == 224                ? EVP_sha224()
                     : bits == 256 || bits == 0 ? EVP_sha256()
                     : bits == 384              ? EVP_sha384()
                     : bits == 512              ? EVP_sha512()
                                                : nullptr;
  if (!md) return sqlite3_result_null(ctx);
  std::string s = ArgText(argv[0]);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), out, &len, md, nullptr);
  ResultText(ctx, HexOf(out, len, false));
}

void Password(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  ResultText(ctx, PasswordHash(ArgText(argv[0])));
}

// ---- session state -----------------------------------------------------------

SessionState* S(sqlite3_context* ctx) {
  return static_cast<EngineConn*>(sqlite3_user_data(ctx))->acting;
}

UserValue NewUuidShort(SessionState& s) {
  static std::atomic<uint64_t> next{0};
  uint64_t server_id =
      std::strtoull(s.server->globals.Get("server_id").value_or("0").c_str(), nullptr, 10);
  static const uint64_t start = static_cast<uint64_t>(::time(nullptr)) << 24;
  UserValue v;
  v.type = UserValue::Type::kInt;
  v.i = static_cast<int64_t>(((server_id & 255) << 56) + start + next++);
  return v;
}

// A replay gives the value the statement had (LoggedFunction, binlogging.h).
void UuidShort(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* ec = static_cast<EngineConn*>(sqlite3_user_data(ctx));
  SessionState* s = ec->acting;
  UserValue v =
      LoggedFunctionValue(*s, ec == &s->server->writer, LoggedFunction::kUuidShort, NewUuidShort);
  if (v.type == UserValue::Type::kString) {
    sqlite3_result_int64(ctx, std::strtoll(v.s.c_str(), nullptr, 10));
  } else if (v.type == UserValue::Type::kReal) {
    sqlite3_result_int64(ctx, static_cast<int64_t>(v.d));
  } else if (v.type == UserValue::Type::kNull) {
    sqlite3_result_null(ctx);
  } else {
    sqlite3_result_int64(ctx, v.i);
  }
}

void RowCount(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_int64(ctx, S(ctx)->last_row_count);
}

void FoundRows(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_int64(ctx, S(ctx)->last_found_rows);
}

// GET_LOCK / RELEASE_LOCK: named locks held by sessions, server-wide.
std::mutex g_locks_mu;
std::map<std::string, uint32_t> g_locks;

void GetLock(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  SessionState* s = S(ctx);
  std::string name = Lower(ArgText(argv[0]));
  double timeout = sqlite3_value_double(argv[1]);
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout < 0 ? 1e9 : timeout);
  while (true) {
    {
      std::lock_guard<std::mutex> l(g_locks_mu);
      auto it = g_locks.find(name);
      if (it == g_locks.end() || it->second == s->id) {
        g_locks[name] = s->id;
        return sqlite3_result_int(ctx, 1);
      }
    }
    if (s->killed || s->query_killed) return sqlite3_result_null(ctx);
    if (std::chrono::steady_clock::now() >= deadline) return sqlite3_result_int(ctx, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void ReleaseLock(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::lock_guard<std::mutex> l(g_locks_mu);
  auto it = g_locks.find(Lower(ArgText(argv[0])));
  if (it == g_locks.end()) return sqlite3_result_null(ctx);
  if (it->second != S(ctx)->id) return sqlite3_result_int(ctx, 0);
  g_locks.erase(it);
  sqlite3_result_int(ctx, 1);
}

void IsFreeLock(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  NULL_IF_ANY_NULL();
  std::lock_guard<std::mutex> l(g_locks_mu);
  sqlite3_result_int(ctx, g_locks.count(Lower(ArgText(argv[0]))) ? 0 : 1);
}

}  // namespace

void ReleaseNamedLocks(uint32_t session_id) {
  std::lock_guard<std::mutex> l(g_locks_mu);
  for (auto it = g_locks.begin(); it != g_locks.end();) {
    it = it->second == session_id ? g_locks.erase(it) : std::next(it);
  }
}

void RegisterMoreFunctions(EngineConn& ec) {
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  const Fn fns[] = {
      {"reptut_date_add", 3, DateAdd},
      {"reptut_date_sub", 3, DateSub},
      {"reptut_datetime", 1, DateTimeCast},
      {"DATE_FORMAT", 2, DateFormat},
      {"DATE", 1, DateOnly},
      {"YEAR", 1, DatePart<0>},
      {"MONTH", 1, DatePart<1>},
      {"DAYOFMONTH", 1, DatePart<2>},
      {"DAY", 1, DatePart<2>},
      {"HOUR", 1, DatePart<3>},
      {"MINUTE", 1, DatePart<4>},
      {"SECOND", 1, DatePart<5>},
      {"DAYOFWEEK", 1, DatePart<6>},
      {"DAYOFYEAR", 1, DatePart<7>},
      {"WEEKDAY", 1, DatePart<8>},
      {"QUARTER", 1, DatePart<9>},
      {"TO_DAYS", 1, DatePart<10>},
      {"DATEDIFF", 2, DateDiff},
      {"LAST_DAY", 1, LastDay},
      {"REPEAT", 2, Repeat},
      {"LPAD", 3, Lpad},
      {"RPAD", 3, Rpad},
      {"SPACE", 1, Space},
      {"REVERSE", 1, Reverse},
      {"LOCATE", 3, Locate3},
      {"FIELD", -1, Field},
      {"ELT", -1, Elt},
      {"FIND_IN_SET", 2, FindInSet},
      {"STRCMP", 2, Strcmp},
      {"ASCII", 1, Ascii},
      {"ORD", 1, Ascii},
      {"SUBSTRING_INDEX", 3, SubstringIndex},
      {"regexp", 2, Regexp},
      {"TRUNCATE", 2, Truncate},
      {"CRC32", 1, Crc32},
      {"CONV", 3, Conv},
      {"HEX", 1, MysqlHex},
      {"SHA2", 2, Sha2},
      {"PASSWORD", 1, Password},
      {"UUID_SHORT", 0, UuidShort},
      {"ROW_COUNT", 0, RowCount},
      {"FOUND_ROWS", 0, FoundRows},
      {"GET_LOCK", 2, GetLock},
      {"RELEASE_LOCK", 1, ReleaseLock},
      {"IS_FREE_LOCK", 1, IsFreeLock},
  };
  for (const Fn& f : fns) {
    sqlite3_create_function_v2(ec.conn.db(), f.name, f.args, SQLITE_UTF8, &ec, f.fn, nullptr,
                               nullptr, nullptr);
  }
  struct Agg {
    const char* name;
    void (*step)(sqlite3_context*, int, sqlite3_value**);
    void (*final)(sqlite3_context*);
  };
  const Agg aggs[] = {
      {"BIT_AND", BitStep<0>, BitFinal<0>},
      {"BIT_OR", BitStep<1>, BitFinal<1>},
      {"BIT_XOR", BitStep<2>, BitFinal<2>},
  };
  for (const Agg& a : aggs) {
    sqlite3_create_function_v2(ec.conn.db(), a.name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, &ec,
                               nullptr, a.step, a.final, nullptr);
  }
}

}  // namespace reptut::engine
