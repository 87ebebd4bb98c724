#include "engine/column_checks.h"

#include "common/errors.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

#include "engine/server_state.h"
#include "engine/statement_cache.h"

namespace reptut::engine {
namespace {

using sql::CellValue;
using sql::ColumnCheck;
using Kind = CellValue::Kind;

std::string SqliteLiteral(const ColumnCheck& r) {
  if (r.kind == Kind::kInt) return std::to_string(r.i);
  if (r.kind == Kind::kBlob) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "X'";
    for (unsigned char c : r.s) {
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
    return out + "'";
  }
  std::string out = "'";
  for (char c : r.s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// A plain literal of the SQLite text (what the parser leaves unwrapped):
// 'text', a number, or null for anything else.
struct Literal {
  CellValue cell;
  std::string text;  // a decoded string with quotes, or a number's digits
};

// Sets out->cell (its s pointing into `v` or into out->text).
bool DecodeLiteral(std::string_view v, Literal* out) {
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
    out->cell.kind = Kind::kText;
    std::string_view inner = v.substr(1, v.size() - 2);
    if (inner.find('\'') == std::string_view::npos) {
      out->cell.s = inner;  // the common case: nothing to decode
      return true;
    }
    out->text.clear();
    out->text.reserve(inner.size());
    for (size_t k = 0; k < inner.size(); ++k) {
      out->text += inner[k];
      if (inner[k] == '\'' && k + 1 < inner.size() && inner[k + 1] == '\'') ++k;
    }
    out->cell.s = out->text;
    return true;
  }
  if (v.size() >= 3 && v[0] == 'X' && v[1] == '\'' && v.back() == '\'') {
    // X'6162': a binary string (_binary'ab' as the parser writes it).
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string_view hex = v.substr(2, v.size() - 3);
    if (hex.size() % 2) return false;
    out->text.clear();
    for (size_t k = 0; k < hex.size(); k += 2) {
      out->text += static_cast<char>(nibble(hex[k]) * 16 + nibble(hex[k + 1]));
    }
    out->cell.kind = Kind::kBlob;
    out->cell.s = out->text;
    return true;
  }
  if (v.empty() || !((v[0] >= '0' && v[0] <= '9') || v[0] == '.')) return false;
  bool integer = v.find_first_not_of("0123456789") == std::string_view::npos;
  if (integer && v.size() <= 18) {
    out->cell.kind = Kind::kInt;
    std::from_chars(v.data(), v.data() + v.size(), out->cell.i);
    return true;
  }
  out->text.assign(v);
  if (integer) {
    out->cell.kind = Kind::kText;  // beyond int64: exact, as digits
    out->cell.s = out->text;
    return true;
  }
  char* end = nullptr;
  out->cell.d = std::strtod(out->text.c_str(), &end);
  if (end != out->text.c_str() + out->text.size()) return false;
  // 1e3 is a double, 1.5 an exact decimal (its digits kept in text).
  out->cell.kind = v.find_first_of("eE") == std::string_view::npos ? Kind::kDecimal : Kind::kReal;
  out->cell.s = out->text;
  return true;
}

// `text`: where a number's decimal form is kept.
CellValue CellOf(const UserValue& u, std::string* text) {
  CellValue c;
  switch (u.type) {
    case UserValue::Type::kNull:
      break;
    case UserValue::Type::kInt:
      c.kind = Kind::kInt;
      c.i = u.i;
      break;
    case UserValue::Type::kReal: {
      c.kind = Kind::kDecimal;  // a literal 1.5 (exact, as MySQL reads it)
      c.d = u.d;
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, u.d);
      text->assign(buf, r.ptr);
      c.s = *text;
      break;
    }
    case UserValue::Type::kString:
      c.kind = u.charset == "binary" ? Kind::kBlob : Kind::kText;
      c.s = u.s;
      break;
  }
  return c;
}

void Replace(UserValue& u, const ColumnCheck& r) {
  if (r.kind == Kind::kInt) {
    u.type = UserValue::Type::kInt;
    u.i = r.i;
    u.is_unsigned = false;
  } else {
    u.type = UserValue::Type::kString;
    u.s = r.s;
  }
}

// ALTER TABLE's wording of a failed value (ColumnChecks::alter_copy).
void AsConversion(const sql::ColumnPlace& place, const CellValue& cell, ColumnCheck* r) {
  if (r->code == ER_DATA_TOO_LONG) {
    r->code = WARN_DATA_TRUNCATED;
    r->message = "Data truncated for column '" + place.column->name + "' at row " +
                 std::to_string(place.row);
  } else if (r->code == ER_TRUNCATED_WRONG_VALUE_FOR_FIELD) {
    // "Incorrect integer value: 'x' for column ..." -> "Truncated incorrect
    // INTEGER value: 'x'".
    std::string word = r->message.substr(10, r->message.find(' ', 10) - 10);
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    r->code = ER_TRUNCATED_WRONG_VALUE;
    r->message = "Truncated incorrect " + word + " value: '" + std::string(cell.s) + "'";
  }
}

}  // namespace

ColumnChecks::ColumnChecks(SessionState& session, const sql::TableDef& table, std::string database,
                           const sql::DmlInfo& statement)
    : s(session), def(table), db(std::move(database)), dml(statement) {
  const auto& hot = s.Hot();
  mode.strict = hot.strict_mode && !dml.ignore;
  mode.no_zero_date = hot.no_zero_date;
  mode.no_zero_in_date = hot.no_zero_in_date;
}

const sql::ColumnDef* ColumnChecks::Column(int slot) {
  if (!resolved_) {
    resolved_ = true;
    if (dml.insert_columns.empty()) {
      for (const auto& c : def.columns) insert_slots_.push_back(&c);
    } else {
      for (const auto& name : dml.insert_columns) {
        int k = def.FindColumn(name);
        insert_slots_.push_back(k < 0 ? nullptr : &def.columns[static_cast<size_t>(k)]);
      }
    }
    for (const auto& name : dml.assigned_columns) {
      int k = def.FindColumn(name);
      assigned_slots_.push_back(k < 0 ? nullptr : &def.columns[static_cast<size_t>(k)]);
    }
    insert_rows_.assign(insert_slots_.size(), 0);
    assigned_rows_.assign(assigned_slots_.size(), 0);
  }
  if (slot < 0) return nullptr;
  size_t k = static_cast<size_t>(slot);
  if (slot >= sql::DmlInfo::kAssignedSlotBase) {
    k -= sql::DmlInfo::kAssignedSlotBase;
    return k < assigned_slots_.size() ? assigned_slots_[k] : nullptr;
  }
  return k < insert_slots_.size() ? insert_slots_[k] : nullptr;
}

uint64_t ColumnChecks::NextRow(int slot) {
  size_t k = static_cast<size_t>(slot);
  if (slot >= sql::DmlInfo::kAssignedSlotBase) {
    k -= sql::DmlInfo::kAssignedSlotBase;
    return k < assigned_rows_.size() ? ++assigned_rows_[k] : 1;
  }
  return k < insert_rows_.size() ? ++insert_rows_[k] : 1;
}

Status CheckLiteralValues(ColumnChecks& checks, std::optional<std::string>* rebuilt) {
  const sql::DmlInfo& dml = checks.dml;
  SessionState& s = checks.s;
  bool changed = false;
  std::vector<std::vector<std::string>> values;  // a copy, once one changes
  Literal lit;
  for (size_t r = 0; r < dml.insert_values.size(); ++r) {
    const auto& row = dml.insert_values[r];
    for (size_t c = 0; c < row.size(); ++c) {
      std::string_view v = row[c];
      if (v.empty() || v[0] == 'r' || v[0] == 'N' || v[0] == 'n' || v[0] == 'D' || v[0] == 'd') {
        continue;  // reptut_cv(...) (checked as it runs), NULL, DEFAULT
      }
      const sql::ColumnDef* col = checks.Column(static_cast<int>(c));
      if (!col) continue;
      UserValue* bound = nullptr;
      CellValue cell;
      if (v[0] == '@') {
        // A cached statement's literal (statement_cache.h): checked and
        // changed where it is bound.
        std::string_view name = v.substr(1);
        if (!s.shaped || !IsLiteralVar(name)) continue;
        size_t n =
            std::strtoul(std::string(name.substr(kLiteralVarPrefix.size())).c_str(), nullptr, 10);
        if (n >= s.stmt_literals.size()) continue;
        bound = &s.stmt_literals[n];
        cell = CellOf(*bound, &lit.text);
      } else {
        if (!DecodeLiteral(v, &lit)) continue;
        cell = lit.cell;
      }
      sql::ColumnPlace place{checks.db, checks.def.name, col, r + 1};
      ColumnCheck result = sql::CheckColumnValue(place, cell, checks.mode);
      if (result.action == ColumnCheck::Action::kError) {
        return MakeErrorMsg(result.code, std::move(result.message));
      }
      if (result.code) s.AddWarning(result.level, result.code, result.message);
      if (result.action != ColumnCheck::Action::kReplace) continue;
      if (bound) {
        Replace(*bound, result);
        continue;
      }
      if (!changed) {
        values = dml.insert_values;
        changed = true;
      }
      values[r][c] = SqliteLiteral(result);
    }
  }
  if (!changed) return Status::Ok();
  // The statement again from its pieces (statement.h: insert_sql_head, the
  // rows, insert_sql_tail).
  std::string sql = dml.insert_sql_head;
  for (size_t r = 0; r < values.size(); ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < values[r].size(); ++c) {
      if (c) sql += ", ";
      sql += values[r][c];
    }
    sql += ")";
  }
  sql += dml.insert_sql_tail;
  *rebuilt = std::move(sql);
  return Status::Ok();
}

void ColumnCheckFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* ec = static_cast<EngineConn*>(sqlite3_user_data(ctx));
  SessionState* s = ec ? ec->acting : nullptr;
  ColumnChecks* checks = s ? s->column_checks : nullptr;
  sqlite3_value* v = argv[0];
  if (!checks) return sqlite3_result_value(ctx, v);
  int slot = sqlite3_value_int(argv[1]);
  const sql::ColumnDef* col = checks->Column(slot);
  if (!col) return sqlite3_result_value(ctx, v);
  CellValue cell;
  char real_text[64];
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return sqlite3_result_value(ctx, v);
    case SQLITE_INTEGER:
      cell.kind = Kind::kInt;
      cell.i = sqlite3_value_int64(v);
      break;
    case SQLITE_FLOAT: {
      // Most REALs are MySQL's exact numbers (1.5, 2 * 1.25): their
      // shortest decimal form, rounded as a DECIMAL.
      cell.kind = Kind::kDecimal;
      cell.d = sqlite3_value_double(v);
      auto r = std::to_chars(real_text, real_text + sizeof real_text, cell.d);
      cell.s = std::string_view(real_text, static_cast<size_t>(r.ptr - real_text));
      break;
    }
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
      cell.kind = Kind::kText;
      cell.s = std::string_view(text ? text : "", static_cast<size_t>(sqlite3_value_bytes(v)));
      break;
    }
    default: {
      const auto* blob = static_cast<const char*>(sqlite3_value_blob(v));
      cell.kind = Kind::kBlob;
      cell.s = std::string_view(blob ? blob : "", static_cast<size_t>(sqlite3_value_bytes(v)));
      break;
    }
  }
  sql::ColumnPlace place{checks->db, checks->def.name, col, checks->NextRow(slot)};
  ColumnCheck result = sql::CheckColumnValue(place, cell, checks->mode);
  if (result.action == ColumnCheck::Action::kError) {
    if (checks->alter_copy) AsConversion(place, cell, &result);
    if (!checks->failure) checks->failure = MakeErrorMsg(result.code, result.message);
    return sqlite3_result_error(ctx, result.message.c_str(),
                                static_cast<int>(result.message.size()));
  }
  if (result.code) s->AddWarning(result.level, result.code, result.message);
  if (result.action == ColumnCheck::Action::kKeep) return sqlite3_result_value(ctx, v);
  if (result.kind == Kind::kInt) return sqlite3_result_int64(ctx, result.i);
  if (result.kind == Kind::kBlob) {
    return sqlite3_result_blob64(ctx, result.s.data(), result.s.size(), SQLITE_TRANSIENT);
  }
  sqlite3_result_text64(ctx, result.s.data(), result.s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace reptut::engine
