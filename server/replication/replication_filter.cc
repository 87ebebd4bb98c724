// The replicate-* rules for statement-based replication (see
// replication_filter.h for the decision).
#include "replication/replication_filter.h"

#include <algorithm>

#include "common/errors.h"

namespace reptut::replication {
namespace {

using sql::StatementKind;

// Bytes of the UTF-8 character starting at s[i] (1 for a stray byte).
size_t CharLen(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
  return std::min(n, s.size() - i);
}

// Where a wild pattern's database part ends: the first dot not escaped.
size_t PatternDot(std::string_view p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '.') {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool IsTransactionControl(StatementKind k) {
  return k == StatementKind::kBegin || k == StatementKind::kCommit ||
         k == StatementKind::kRollback || k == StatementKind::kSavepoint ||
         k == StatementKind::kRollbackToSavepoint || k == StatementKind::kReleaseSavepoint;
}

// The tables `st` updates, qualified with `current_db` where it named none.
std::vector<sql::TableName> UpdatedTables(const sql::Statement& st, std::string_view current_db) {
  std::vector<sql::TableName> out;
  auto add = [&](const sql::TableName& t) {
    sql::TableName q = t;
    if (q.db.empty()) q.db = std::string(current_db);
    out.push_back(std::move(q));
  };
  switch (st.kind) {
    case StatementKind::kInsert:
    case StatementKind::kReplace:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
      if (st.dml.target) add(*st.dml.target);
      break;
    case StatementKind::kCreateTable:
    case StatementKind::kTruncate:
    case StatementKind::kCreateIndex:
    case StatementKind::kDropIndex:
      if (!st.table.tables.empty()) add(st.table.tables[0]);
      break;
    case StatementKind::kDropTable:
      for (const sql::TableName& t : st.table.tables) add(t);
      break;
    case StatementKind::kRenameTable:
      for (const auto& [from, to] : st.table.renames) {
        add(from);
        add(to);
      }
      break;
    case StatementKind::kAlterTable:
      add(st.alter.table);
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

bool WildMatch(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0;
  size_t star_p = std::string_view::npos;  // pattern index after the last %
  size_t star_t = 0;                       // text index that % is tried from
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '%') {
      star_p = ++pi;
      star_t = ti;
      continue;
    }
    if (pi < p.size() && p[pi] == '_') {
      ++pi;
      ti += CharLen(t, ti);
      continue;
    }
    if (pi < p.size()) {
      size_t plen = (p[pi] == '\\' && pi + 1 < p.size()) ? 2 : 1;
      if (p[pi + plen - 1] == t[ti]) {
        pi += plen;
        ++ti;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    // Let the last % take one more character and try again from there.
    star_t += CharLen(t, star_t);
    pi = star_p;
    ti = star_t;
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi == p.size();
}

Result<ReplicationFilter> ReplicationFilter::Make(const FilterOptions& o) {
  ReplicationFilter f;
  f.do_db_ = o.do_db;
  f.ignore_db_ = o.ignore_db;
  auto add = [](const std::vector<std::string>& specs, std::vector<TableRule>& rules,
                const char* option, const char* kind, bool wild) -> Status {
    for (const std::string& spec : specs) {
      size_t dot = wild ? PatternDot(spec) : spec.find('.');
      if (dot == std::string::npos) {
        return MakeErrorMsg(ER_UNKNOWN_ERROR, std::string("Could not add ") + kind +
                                                  " table rule '" + spec + "'! (--" + option +
                                                  " takes db_name.tbl_name" +
                                                  (wild ? " patterns" : "") + ")");
      }
      rules.push_back({spec, spec.substr(0, dot), spec.substr(dot + 1)});
    }
    return Status::Ok();
  };
  REPTUT_RETURN_IF_ERROR(add(o.do_table, f.do_table_, "replicate-do-table", "do", false));
  REPTUT_RETURN_IF_ERROR(
      add(o.ignore_table, f.ignore_table_, "replicate-ignore-table", "ignore", false));
  REPTUT_RETURN_IF_ERROR(
      add(o.wild_do_table, f.wild_do_table_, "replicate-wild-do-table", "do", true));
  REPTUT_RETURN_IF_ERROR(add(o.wild_ignore_table, f.wild_ignore_table_,
                             "replicate-wild-ignore-table", "ignore", true));
  return f;
}

bool ReplicationFilter::empty() const {
  return do_db_.empty() && ignore_db_.empty() && do_table_.empty() && ignore_table_.empty() &&
         wild_do_table_.empty() && wild_ignore_table_.empty();
}

bool ReplicationFilter::DbOk(std::string_view db) const {
  if (!do_db_.empty()) return Contains(do_db_, db);
  if (!ignore_db_.empty()) return !Contains(ignore_db_, db);
  return true;
}

bool ReplicationFilter::DbOkWithWildTables(std::string_view db) const {
  // MySQL matches "db." against the patterns: the table part must match "".
  for (const TableRule& r : wild_do_table_) {
    if (WildMatch(r.db, db) && WildMatch(r.table, "")) return true;
  }
  for (const TableRule& r : wild_ignore_table_) {
    if (WildMatch(r.db, db) && WildMatch(r.table, "")) return false;
  }
  return wild_do_table_.empty();
}

int ReplicationFilter::TableVerdict(std::string_view db, std::string_view table) const {
  for (const TableRule& r : do_table_) {
    if (r.db == db && r.table == table) return 1;
  }
  for (const TableRule& r : ignore_table_) {
    if (r.db == db && r.table == table) return 0;
  }
  for (const TableRule& r : wild_do_table_) {
    if (WildMatch(r.db, db) && WildMatch(r.table, table)) return 1;
  }
  for (const TableRule& r : wild_ignore_table_) {
    if (WildMatch(r.db, db) && WildMatch(r.table, table)) return 0;
  }
  return -1;
}

bool ReplicationFilter::Allows(const sql::Statement& st, std::string_view current_db) const {
  if (IsTransactionControl(st.kind)) return true;

  // Database statements: the database they name, no table rules.
  if (st.kind == StatementKind::kCreateDatabase || st.kind == StatementKind::kDropDatabase ||
      st.kind == StatementKind::kAlterDatabase) {
    std::string_view db = st.db.name.empty() ? current_db : std::string_view(st.db.name);
    if (!do_db_.empty() || !ignore_db_.empty()) return DbOk(db);
    return DbOkWithWildTables(db);
  }

  // 1. Database rules, on the default database.
  if (!DbOk(current_db)) return false;

  // 2. Table rules, on the tables the statement updates.
  if (do_table_.empty() && ignore_table_.empty() && wild_do_table_.empty() &&
      wild_ignore_table_.empty()) {
    return true;
  }
  if (st.kind == StatementKind::kDropTable && st.table.temporary && st.table.if_exists) {
    return true;
  }
  std::vector<sql::TableName> tables = UpdatedTables(st, current_db);
  if (tables.empty()) return true;
  for (const sql::TableName& t : tables) {
    int verdict = TableVerdict(t.db, t.name);
    if (verdict >= 0) return verdict == 1;
  }
  return do_table_.empty() && wild_do_table_.empty();
}

std::string ReplicationFilter::DoDb() const {
  return Join(do_db_);
}

std::string ReplicationFilter::IgnoreDb() const {
  return Join(ignore_db_);
}

namespace {

std::string JoinRules(const auto& rules) {
  std::string out;
  for (const auto& r : rules) {
    if (!out.empty()) out += ',';
    out += r.text;
  }
  return out;
}

}  // namespace

std::string ReplicationFilter::DoTable() const {
  return JoinRules(do_table_);
}

std::string ReplicationFilter::IgnoreTable() const {
  return JoinRules(ignore_table_);
}

std::string ReplicationFilter::WildDoTable() const {
  return JoinRules(wild_do_table_);
}

std::string ReplicationFilter::WildIgnoreTable() const {
  return JoinRules(wild_ignore_table_);
}

}  // namespace reptut::replication
