#include "protocol/prepared.h"
#include "common/sql_text.h"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "protocol/wire.h"

namespace reptut::protocol {
namespace {

// Calls f(i) for the position of each placeholder.
template <class F>
void ForEachPlaceholder(std::string_view sql, F f) {
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      char q = c;
      ++i;
      while (i < sql.size()) {
        if (sql[i] == '\\' && q != '`') {
          i += 2;
        } else if (sql[i] == q) {
          if (i + 1 < sql.size() && sql[i + 1] == q) {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
    } else if (c == '#' ||
               (c == '-' && i + 2 < sql.size() + 1 && sql.substr(i, 2) == "--" &&
                (i + 2 == sql.size() || isspace(static_cast<unsigned char>(sql[i + 2]))))) {
      size_t nl = sql.find('\n', i);
      i = nl == std::string_view::npos ? sql.size() : nl + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      if (c == '?') f(i);
      ++i;
    }
  }
}

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
  char buf[128];
  va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return std::string(buf, n > 0 ? std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1) : 0);
}

// A binary DATE/DATETIME/TIMESTAMP/TIME parameter as a literal.
Status ReadTemporal(WireReader& r, mysql::FieldType type, std::string* literal) {
  uint8_t len = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&len));
  std::string_view b;
  REPTUT_RETURN_IF_ERROR(r.ReadBytes(len, &b));
  auto u8 = [&](size_t i) { return i < b.size() ? static_cast<uint8_t>(b[i]) : 0u; };
  auto u32 = [&](size_t i) {
    return static_cast<uint32_t>(u8(i) | (u8(i + 1) << 8) | (u8(i + 2) << 16) |
                                 (static_cast<uint32_t>(u8(i + 3)) << 24));
  };
  if (type == mysql::kTypeTime) {
    bool neg = u8(0) != 0;
    uint64_t hours = static_cast<uint64_t>(u32(1)) * 24 + u8(5);
    std::string s = Format("'%s%02" PRIu64 ":%02u:%02u", neg ? "-" : "", hours, u8(6), u8(7));
    if (len >= 12) s += Format(".%06u", u32(8));
    *literal = s + "'";
    return Status::Ok();
  }
  unsigned year = u8(0) | (u8(1) << 8);
  std::string s = Format("'%04u-%02u-%02u", year, u8(2), u8(3));
  if (type != mysql::kTypeDate || len > 4) {
    s += Format(" %02u:%02u:%02u", u8(4), u8(5), u8(6));
    if (len >= 11) s += Format(".%06u", u32(7));
  }
  *literal = s + "'";
  return Status::Ok();
}

Status ReadParameter(WireReader& r, uint16_t type_word, std::string* literal) {
  auto type = static_cast<mysql::FieldType>(type_word & 0xFF);
  bool is_unsigned = type_word & 0x8000;
  switch (type) {
    case mysql::kTypeNull:
      *literal = "NULL";
      return Status::Ok();
    case mysql::kTypeTiny: {
      uint8_t v = 0;
      REPTUT_RETURN_IF_ERROR(r.ReadInt1(&v));
      *literal = is_unsigned ? std::to_string(v) : std::to_string(static_cast<int8_t>(v));
      return Status::Ok();
    }
    case mysql::kTypeShort:
    case mysql::kTypeYear: {
      uint16_t v = 0;
      REPTUT_RETURN_IF_ERROR(r.ReadInt2(&v));
      *literal = is_unsigned ? std::to_string(v) : std::to_string(static_cast<int16_t>(v));
      return Status::Ok();
    }
    case mysql::kTypeLong:
    case mysql::kTypeInt24: {
      uint32_t v = 0;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&v));
      *literal = is_unsigned ? std::to_string(v) : std::to_string(static_cast<int32_t>(v));
      return Status::Ok();
    }
    case mysql::kTypeLongLong: {
      uint64_t v = 0;
      REPTUT_RETURN_IF_ERROR(r.ReadInt8(&v));
      *literal = is_unsigned ? std::to_string(v) : std::to_string(static_cast<int64_t>(v));
      return Status::Ok();
    }
    case mysql::kTypeFloat: {
      uint32_t v = 0;
      REPTUT_RETURN_IF_ERROR(r.ReadInt4(&v));
      float f;
      std::memcpy(&f, &v, sizeof f);
      *literal = Format("%.9g", static_cast<double>(f));
      return Status::Ok();
    }
    case mysql::kTypeDouble: {
      uint64_t v = 0;
      REPTUT_RETURN_IF_ERROR(r.ReadInt8(&v));
      double d;
      std::memcpy(&d, &v, sizeof d);
      *literal = Format("%.17g", d);
      return Status::Ok();
    }
    case mysql::kTypeDate:
    case mysql::kTypeDateTime:
    case mysql::kTypeTimestamp:
    case mysql::kTypeTime:
      return ReadTemporal(r, type, literal);
    default: {
      std::string_view s;
      REPTUT_RETURN_IF_ERROR(r.ReadLenencString(&s));
      *literal = QuoteSqlString(s);
      return Status::Ok();
    }
  }
}

// Parses up to n unsigned decimal digits at *p.
unsigned Digits(const char** p, const char* end, int n) {
  unsigned v = 0;
  for (int i = 0; i < n && *p < end && **p >= '0' && **p <= '9'; ++i, ++*p)
    v = v * 10 + (**p - '0');
  return v;
}

void AppendTemporal(std::string* out, mysql::FieldType type, const std::string& text) {
  const char* p = text.data();
  const char* end = p + text.size();
  if (type == mysql::kTypeTime) {
    bool neg = p < end && *p == '-';
    if (neg) ++p;
    unsigned hours = Digits(&p, end, 9);
    if (p < end && *p == ':') ++p;
    unsigned minutes = Digits(&p, end, 2);
    if (p < end && *p == ':') ++p;
    unsigned seconds = Digits(&p, end, 2);
    unsigned micro = 0;
    if (p < end && *p == '.') {
      ++p;
      const char* start = p;
      micro = Digits(&p, end, 6);
      for (auto k = p - start; k < 6; ++k) micro *= 10;
    }
    if (!neg && hours == 0 && minutes == 0 && seconds == 0 && micro == 0) {
      PutInt1(out, 0);
      return;
    }
    PutInt1(out, micro ? 12 : 8);
    PutInt1(out, neg ? 1 : 0);
    PutInt4(out, hours / 24);
    PutInt1(out, static_cast<uint8_t>(hours % 24));
    PutInt1(out, static_cast<uint8_t>(minutes));
    PutInt1(out, static_cast<uint8_t>(seconds));
    if (micro) PutInt4(out, micro);
    return;
  }
  unsigned year = Digits(&p, end, 4);
  if (p < end && *p == '-') ++p;
  unsigned month = Digits(&p, end, 2);
  if (p < end && *p == '-') ++p;
  unsigned day = Digits(&p, end, 2);
  unsigned hour = 0, minute = 0, second = 0, micro = 0;
  if (p < end && (*p == ' ' || *p == 'T')) {
    ++p;
    hour = Digits(&p, end, 2);
    if (p < end && *p == ':') ++p;
    minute = Digits(&p, end, 2);
    if (p < end && *p == ':') ++p;
    second = Digits(&p, end, 2);
    if (p < end && *p == '.') {
      ++p;
      const char* start = p;
      micro = Digits(&p, end, 6);
      for (auto k = p - start; k < 6; ++k) micro *= 10;
    }
  }
  uint8_t len = micro ? 11 : (hour || minute || second) ? 7 : (year || month || day) ? 4 : 0;
  PutInt1(out, len);
  if (len == 0) return;
  PutInt2(out, static_cast<uint16_t>(year));
  PutInt1(out, static_cast<uint8_t>(month));
  PutInt1(out, static_cast<uint8_t>(day));
  if (len == 4) return;
  PutInt1(out, static_cast<uint8_t>(hour));
  PutInt1(out, static_cast<uint8_t>(minute));
  PutInt1(out, static_cast<uint8_t>(second));
  if (len == 11) PutInt4(out, micro);
}

void AppendBinaryValue(std::string* out, mysql::FieldType type, bool is_unsigned,
                       const std::string& text) {
  auto as_int = [&]() -> uint64_t {
    if (is_unsigned) return std::strtoull(text.c_str(), nullptr, 10);
    return static_cast<uint64_t>(std::strtoll(text.c_str(), nullptr, 10));
  };
  switch (type) {
    case mysql::kTypeTiny:
      PutInt1(out, static_cast<uint8_t>(as_int()));
      return;
    case mysql::kTypeShort:
    case mysql::kTypeYear:
      PutInt2(out, static_cast<uint16_t>(as_int()));
      return;
    case mysql::kTypeLong:
    case mysql::kTypeInt24:
      PutInt4(out, static_cast<uint32_t>(as_int()));
      return;
    case mysql::kTypeLongLong:
      PutInt8(out, as_int());
      return;
    case mysql::kTypeFloat: {
      float f = std::strtof(text.c_str(), nullptr);
      uint32_t v;
      std::memcpy(&v, &f, sizeof v);
      PutInt4(out, v);
      return;
    }
    case mysql::kTypeDouble: {
      double d = std::strtod(text.c_str(), nullptr);
      uint64_t v;
      std::memcpy(&v, &d, sizeof v);
      PutInt8(out, v);
      return;
    }
    case mysql::kTypeDate:
    case mysql::kTypeDateTime:
    case mysql::kTypeTimestamp:
    case mysql::kTypeTime:
      AppendTemporal(out, type, text);
      return;
    default:
      PutLenencString(out, text);
      return;
  }
}

}  // namespace

size_t CountPlaceholders(std::string_view sql) {
  size_t n = 0;
  ForEachPlaceholder(sql, [&](size_t) { ++n; });
  return n;
}

namespace {

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Whether `before` (the text before a placeholder) ends in LIMIT, OFFSET or
// "LIMIT x," (a row count or offset of LIMIT).
bool IsLimitOperand(std::string_view before) {
  auto ends_with_word = [](std::string_view s, std::string_view word) {
    if (s.size() < word.size()) return false;
    std::string_view tail = s.substr(s.size() - word.size());
    for (size_t i = 0; i < word.size(); ++i) {
      if (toupper(static_cast<unsigned char>(tail[i])) != word[i]) return false;
    }
    if (s.size() == word.size()) return true;
    char c = s[s.size() - word.size() - 1];
    return !isalnum(static_cast<unsigned char>(c)) && c != '_';
  };
  before = TrimRight(before);
  if (ends_with_word(before, "LIMIT") || ends_with_word(before, "OFFSET")) return true;
  if (before.empty() || before.back() != ',') return false;
  before = TrimRight(before.substr(0, before.size() - 1));
  while (!before.empty() &&
         (isdigit(static_cast<unsigned char>(before.back())) || before.back() == '?')) {
    before.remove_suffix(1);
  }
  return ends_with_word(TrimRight(before), "LIMIT");
}

// '2' -> 2: MySQL takes a LIMIT parameter bound as a string of digits (as
// DBD::MariaDB and Node's mysql2 bind numbers) as that number.
std::string LimitLiteral(const std::string& literal) {
  if (literal.size() < 3 || literal.front() != '\'' || literal.back() != '\'') return literal;
  std::string_view digits(literal.data() + 1, literal.size() - 2);
  for (char c : digits) {
    if (!isdigit(static_cast<unsigned char>(c))) return literal;
  }
  return std::string(digits);
}

}  // namespace

std::string SubstitutePlaceholders(std::string_view sql, const std::vector<std::string>& literals) {
  std::string out;
  size_t from = 0, k = 0;
  ForEachPlaceholder(sql, [&](size_t pos) {
    out.append(sql.substr(from, pos - from));
    std::string literal = k < literals.size() ? literals[k] : "NULL";
    out.append(IsLimitOperand(sql.substr(0, pos)) ? LimitLiteral(literal) : literal);
    ++k;
    from = pos + 1;
  });
  out.append(sql.substr(from));
  return out;
}

std::string QuoteSqlString(std::string_view s) {
  return QuoteMysqlString(s);
}

std::string EncodePrepareOk(uint32_t statement_id, uint16_t columns, uint16_t params,
                            uint16_t warnings) {
  std::string out;
  PutInt1(&out, 0x00);
  PutInt4(&out, statement_id);
  PutInt2(&out, columns);
  PutInt2(&out, params);
  PutInt1(&out, 0x00);
  PutInt2(&out, warnings);
  return out;
}

ColumnDefinition ParameterDefinition() {
  ColumnDefinition d;
  d.name = "?";
  d.charset = mysql::kBinary;
  d.type = mysql::kTypeVarString;
  d.flags = mysql::kBinaryFlag;
  return d;
}

Result<uint32_t> PeekStatementId(std::string_view payload) {
  WireReader r(payload);
  uint8_t command = 0;
  uint32_t id = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&command));
  REPTUT_RETURN_IF_ERROR(r.ReadInt4(&id));
  return id;
}

Result<StmtExecute> DecodeStmtExecute(std::string_view payload, size_t param_count,
                                      std::vector<uint16_t>* types,
                                      const std::vector<std::optional<std::string>>& long_data) {
  WireReader r(payload);
  StmtExecute e;
  uint8_t command = 0;
  uint32_t iterations = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&command));
  if (command != mysql::kComStmtExecute) return MalformedPacketError();
  REPTUT_RETURN_IF_ERROR(r.ReadInt4(&e.statement_id));
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&e.flags));
  REPTUT_RETURN_IF_ERROR(r.ReadInt4(&iterations));
  if (param_count == 0) return e;
  std::string_view null_bitmap;
  REPTUT_RETURN_IF_ERROR(r.ReadBytes((param_count + 7) / 8, &null_bitmap));
  uint8_t bound = 0;
  REPTUT_RETURN_IF_ERROR(r.ReadInt1(&bound));
  if (bound) {
    types->assign(param_count, 0);
    for (size_t i = 0; i < param_count; ++i) REPTUT_RETURN_IF_ERROR(r.ReadInt2(&(*types)[i]));
  }
  if (types->size() != param_count) return MalformedPacketError();  // never bound
  e.literals.resize(param_count);
  for (size_t i = 0; i < param_count; ++i) {
    bool is_null = (static_cast<uint8_t>(null_bitmap[i / 8]) >> (i % 8)) & 1;
    if (is_null) {
      e.literals[i] = "NULL";
    } else if (i < long_data.size() && long_data[i]) {
      e.literals[i] = QuoteSqlString(*long_data[i]);
    } else {
      REPTUT_RETURN_IF_ERROR(ReadParameter(r, (*types)[i], &e.literals[i]));
    }
  }
  return e;
}

void AppendBinaryRow(std::string* out, const TextRow& row,
                     const std::vector<mysql::FieldType>& types,
                     const std::vector<bool>& is_unsigned) {
  PutInt1(out, 0x00);
  size_t bitmap_at = out->size();
  out->append((row.size() + 7 + 2) / 8, '\0');
  for (size_t i = 0; i < row.size(); ++i) {
    if (!row[i]) {
      size_t bit = i + 2;
      (*out)[bitmap_at + bit / 8] =
          static_cast<char>((*out)[bitmap_at + bit / 8] | (1 << (bit % 8)));
      continue;
    }
    mysql::FieldType type = i < types.size() ? types[i] : mysql::kTypeVarString;
    bool uns = i < is_unsigned.size() && is_unsigned[i];
    AppendBinaryValue(out, type, uns, *row[i]);
  }
}

std::string EncodeBinaryRow(const TextRow& row, const std::vector<ColumnDefinition>& columns) {
  std::vector<mysql::FieldType> types;
  std::vector<bool> uns;
  for (const ColumnDefinition& c : columns) {
    types.push_back(c.type);
    uns.push_back(c.flags & mysql::kUnsignedFlag);
  }
  std::string out;
  AppendBinaryRow(&out, row, types, uns);
  return out;
}

}  // namespace reptut::protocol
