#include "engine/functions.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <string_view>
#include <thread>

#include "common/mysql_types.h"
#include "engine/auto_increment.h"
#include "engine/binlogging.h"
#include "engine/column_checks.h"
#include "engine/server_state.h"
#include "engine/sqlite_values.h"
#include "sql/lexer.h"

namespace reptut::engine {
namespace {

SessionState* S(sqlite3_context* ctx) {
  return static_cast<EngineConn*>(sqlite3_user_data(ctx))->acting;
}

// The statement runs on the writer connection: it may be logged.
bool OnWriter(sqlite3_context* ctx) {
  auto* ec = static_cast<EngineConn*>(sqlite3_user_data(ctx));
  return ec->acting && ec == &ec->acting->server->writer;
}

UserValue TextValue(std::string text) {
  UserValue v;
  v.type = UserValue::Type::kString;
  v.s = std::move(text);
  v.charset = "utf8mb4";
  return v;
}

void ResultUserValue(sqlite3_context* ctx, const UserValue& v) {
  switch (v.type) {
    case UserValue::Type::kNull:
      return sqlite3_result_null(ctx);
    case UserValue::Type::kInt:
      return sqlite3_result_int64(ctx, v.i);
    case UserValue::Type::kReal:
      return sqlite3_result_double(ctx, v.d);
    case UserValue::Type::kString:
      return ResultText(ctx, v.s);
  }
}

// USER() and the others of LoggedFunction (binlogging.h): a replay gives
// the value the statement had.
void Logged(sqlite3_context* ctx, LoggedFunction fn, UserValue (*compute)(SessionState&)) {
  SessionState* s = S(ctx);
  ResultUserValue(ctx, LoggedFunctionValue(*s, OnWriter(ctx), fn, compute));
}

time_t StatementTime(SessionState* s) {
  std::string ts = s->SessionVar("timestamp");
  if (!ts.empty() && ts != "0") return static_cast<time_t>(std::strtoll(ts.c_str(), nullptr, 10));
  return s->statement_time ? s->statement_time : ::time(nullptr);
}

void Now(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, FormatDateTime(StatementTime(S(ctx))));
}

void SysDate(sqlite3_context* ctx, int, sqlite3_value**) {
  Logged(ctx, LoggedFunction::kSysdate,
         [](SessionState&) { return TextValue(FormatDateTime(::time(nullptr))); });
}

void CurDate(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, FormatDateTime(StatementTime(S(ctx))).substr(0, 10));
}

void CurTime(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, FormatDateTime(StatementTime(S(ctx))).substr(11));
}

void UtcTimestamp(sqlite3_context* ctx, int, sqlite3_value**) {
  time_t t = StatementTime(S(ctx));
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  ResultText(ctx, buf);
}

// Seconds since the epoch of a 'YYYY-MM-DD[ HH:MM:SS]' text, local time.
bool ParseDateTime(const std::string& s, time_t* out) {
  struct tm tm = {};
  int n = std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                      &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
  if (n < 3) return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_isdst = -1;
  *out = mktime(&tm);
  return true;
}

void UnixTimestamp(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc == 0) {
    sqlite3_result_int64(ctx, StatementTime(S(ctx)));
    return;
  }
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  time_t t;
  if (!ParseDateTime(ArgText(argv[0]), &t)) return sqlite3_result_int64(ctx, 0);
  sqlite3_result_int64(ctx, t);
}

void FromUnixtime(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(ctx);
  ResultText(ctx, FormatDateTime(static_cast<time_t>(sqlite3_value_int64(argv[0]))));
}

void Database(sqlite3_context* ctx, int, sqlite3_value**) {
  SessionState* s = S(ctx);
  if (s->db.empty()) return sqlite3_result_null(ctx);
  ResultText(ctx, s->db);
}

void User(sqlite3_context* ctx, int, sqlite3_value**) {
  Logged(ctx, LoggedFunction::kUser,
         [](SessionState& s) { return TextValue(s.user + "@" + s.client_host); });
}

void CurrentUser(sqlite3_context* ctx, int, sqlite3_value**) {
  Logged(ctx, LoggedFunction::kCurrentUser,
         [](SessionState& s) { return TextValue(s.account.user + "@" + s.account.host); });
}

void Version(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, mysql::kServerVersion);
}

void ConnectionId(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_int64(ctx, PseudoThreadId(*S(ctx)));
}

// reptut_setvar(name, value): @name := value inside a statement; gives
// the value. reptut_getvar(name): @name as it is now (NULL when unset).
void SetVar(sqlite3_context* ctx, int, sqlite3_value** argv) {
  UserValue v;
  switch (sqlite3_value_type(argv[1])) {
    case SQLITE_NULL:
      break;
    case SQLITE_INTEGER:
      v.type = UserValue::Type::kInt;
      v.i = sqlite3_value_int64(argv[1]);
      break;
    case SQLITE_FLOAT:
      v.type = UserValue::Type::kReal;
      v.d = sqlite3_value_double(argv[1]);
      break;
    default:
      v.type = UserValue::Type::kString;
      v.s = ArgText(argv[1]);
      break;
  }
  S(ctx)->user_vars[ArgText(argv[0])] = std::move(v);
  sqlite3_result_value(ctx, argv[1]);
}

void GetVar(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto& vars = S(ctx)->user_vars;
  auto it = vars.find(ArgText(argv[0]));
  if (it == vars.end()) return sqlite3_result_null(ctx);
  ResultUserValue(ctx, it->second);
}

void LastInsertId(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  SessionState* s = S(ctx);
  if (argc == 1) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    s->last_insert_id = static_cast<uint64_t>(sqlite3_value_int64(argv[0]));
    s->last_insert_id_set = true;
    sqlite3_result_int64(ctx, static_cast<int64_t>(s->last_insert_id));
    return;
  }
  sqlite3_result_int64(ctx, static_cast<int64_t>(s->last_insert_id));
}

// reptut_autoinc(v): the AUTO_INCREMENT column's value of one row of an
// INSERT whose session has an auto_increment_increment above 1 (exec_dml.cc
// wraps the column's values in it): a NULL or 0 becomes the next generated
// value, any other value is the row's own and moves the sequence on.
// Outside such a statement it returns v.
void AutoIncValue(sqlite3_context* ctx, int, sqlite3_value** argv) {
  SessionState* s = S(ctx);
  AutoIncSequence* seq = s ? s->auto_inc_sequence : nullptr;
  sqlite3_value* v = argv[0];
  if (!seq) return sqlite3_result_value(ctx, v);
  int type = sqlite3_value_type(v);
  if (type == SQLITE_TEXT || type == SQLITE_BLOB) type = sqlite3_value_numeric_type(v);
  bool generate = type == SQLITE_NULL || (type == SQLITE_INTEGER && sqlite3_value_int64(v) == 0) ||
                  (type == SQLITE_FLOAT && sqlite3_value_double(v) == 0.0);
  if (generate) {
    uint64_t id = seq->Generate();
    if (id > static_cast<uint64_t>(INT64_MAX)) {
      return sqlite3_result_error(ctx, kAutoIncReadFailed.data(),
                                  static_cast<int>(kAutoIncReadFailed.size()));
    }
    return sqlite3_result_int64(ctx, static_cast<int64_t>(id));
  }
  if (type == SQLITE_INTEGER) {
    seq->Explicit(sqlite3_value_int64(v));
  } else if (type == SQLITE_FLOAT) {
    seq->Explicit(static_cast<int64_t>(std::llround(sqlite3_value_double(v))));
  }
  sqlite3_result_value(ctx, v);
}

UserValue NewUuid(SessionState&) {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x10);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char buf[40];
  std::snprintf(buf, sizeof buf,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return TextValue(buf);
}

void Uuid(sqlite3_context* ctx, int, sqlite3_value**) {
  Logged(ctx, LoggedFunction::kUuid, NewUuid);
}

void Rand(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  SessionState* s = S(ctx);
  if (argc == 1) {
    // RAND(N): a generator seeded by N for this call site; MySQL reseeds per
    // statement, we reseed per call, which gives the same first value.
    uint64_t n = static_cast<uint64_t>(sqlite3_value_int64(argv[0]));
    uint32_t s1 = static_cast<uint32_t>((n * 0x10001 + 55555555) % 0x3FFFFFFF);
    uint32_t s2 = static_cast<uint32_t>((n * 0x10000001) % 0x3FFFFFFF);
    sqlite3_result_double(ctx, NextRand(s1, s2));
    return;
  }
  if (!s->rand_used) {
    s->rand_used = true;
    s->rand_used_seed1 = s->rand_seed1;
    s->rand_used_seed2 = s->rand_seed2;
  }
  sqlite3_result_double(ctx, NextRand(s->rand_seed1, s->rand_seed2));
}

void Sleep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  SessionState* s = S(ctx);
  double secs = sqlite3_value_double(argv[0]);
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(secs);
  while (std::chrono::steady_clock::now() < until) {
    if (s->killed || s->query_killed) return sqlite3_result_int64(ctx, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sqlite3_result_int64(ctx, 0);
}

void Concat(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(ctx);
  std::string out;
  for (int i = 0; i < argc; ++i) out += ArgText(argv[i]);
  ResultText(ctx, out);
}

void ConcatWs(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::string sep = ArgText(argv[0]), out;
  bool first = true;
  for (int i = 1; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    if (!first) out += sep;
    out += ArgText(argv[i]);
    first = false;
  }
  ResultText(ctx, out);
}

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

void Md5(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::string in = ArgText(argv[0]);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(in.data(), in.size(), md, &len, EVP_md5(), nullptr);
  ResultText(ctx, Hex(md, len));
}

void Sha1Fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  std::string in = ArgText(argv[0]);
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), md);
  ResultText(ctx, Hex(md, sizeof md));
}

void SysVar(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  SessionState* s = S(ctx);
  std::string name = sql::ToLower(ArgText(argv[0]));
  std::string scope = argc > 1 ? sql::ToLower(ArgText(argv[1])) : "";
  const VarDef* def = s->server->globals.Find(name);
  if (!def) {
    std::string msg = "Unknown system variable '" + name + "'";
    sqlite3_result_error(ctx, msg.c_str(), -1);
    sqlite3_result_error_code(ctx, SQLITE_ERROR);
    return;
  }
  std::optional<std::string> v;
  if (scope == "global") {
    if (def->scope == VarScope::kSession) {
      std::string msg = "Variable '" + name + "' is a SESSION variable";
      sqlite3_result_error(ctx, msg.c_str(), -1);
      return;
    }
    v = s->server->globals.Get(name);
  } else {
    auto it = s->vars.find(name);
    if (it != s->vars.end())
      v = it->second;
    else
      v = s->server->globals.Get(name);
  }
  if (name == "timestamp" && (!v || *v == "0")) {
    return sqlite3_result_int64(ctx, StatementTime(s));
  }
  if (name == "last_insert_id" || name == "identity") {
    return sqlite3_result_int64(ctx, static_cast<int64_t>(s->last_insert_id));
  }
  if (!v) return sqlite3_result_null(ctx);
  if (def->type == VarType::kString) return ResultText(ctx, *v);
  return sqlite3_result_int64(ctx, std::strtoll(v->c_str(), nullptr, 10));
}

// MASTER_POS_WAIT(file, pos[, timeout[, channel]]): waits for the replica's
// SQL thread (ReplicaService::MasterPosWait); NULL when this server does not
// replicate or an argument is NULL, as MySQL answers.
void MasterPosWait(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto* ec = static_cast<EngineConn*>(sqlite3_user_data(ctx));
  SessionState* s = ec ? ec->acting : nullptr;
  if (!s || !s->server->replica) return sqlite3_result_null(ctx);
  for (int i = 0; i < argc && i < 3; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  }
  const unsigned char* file = sqlite3_value_text(argv[0]);
  int64_t pos = sqlite3_value_int64(argv[1]);
  double timeout = argc >= 3 ? sqlite3_value_double(argv[2]) : 0;
  {
    std::lock_guard<std::mutex> l(s->info_mu);
    s->state = "Waiting for the slave SQL thread to advance position";
  }
  std::optional<int64_t> r = s->server->replica->MasterPosWait(
      file ? reinterpret_cast<const char*>(file) : "", pos, timeout, s->query_killed);
  {
    std::lock_guard<std::mutex> l(s->info_mu);
    s->state.clear();
  }
  if (!r) return sqlite3_result_null(ctx);
  sqlite3_result_int64(ctx, *r);
}

}  // namespace

std::string FormatDateTime(time_t t) {
  struct tm tm;
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

double NextRand(uint32_t& seed1, uint32_t& seed2) {
  const uint64_t max = 0x3FFFFFFFull;
  seed1 = static_cast<uint32_t>((static_cast<uint64_t>(seed1) * 3 + seed2) % max);
  seed2 = static_cast<uint32_t>((static_cast<uint64_t>(seed1) + seed2 + 33) % max);
  return static_cast<double>(seed1) / static_cast<double>(max);
}

void RegisterFunctions(EngineConn& ec) {
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
    bool deterministic;
  };
  const Fn fns[] = {
      {"NOW", 0, Now, false},
      {"NOW", 1, Now, false},
      {"SYSDATE", 0, SysDate, false},
      {"SYSDATE", 1, SysDate, false},
      {"CURDATE", 0, CurDate, false},
      {"CURTIME", 0, CurTime, false},
      {"CURTIME", 1, CurTime, false},
      {"UTC_TIMESTAMP", 0, UtcTimestamp, false},
      {"UNIX_TIMESTAMP", 0, UnixTimestamp, false},
      {"UNIX_TIMESTAMP", 1, UnixTimestamp, false},
      {"FROM_UNIXTIME", 1, FromUnixtime, true},
      {"DATABASE", 0, Database, false},
      {"SCHEMA", 0, Database, false},
      {"USER", 0, User, false},
      {"SESSION_USER", 0, User, false},
      {"SYSTEM_USER", 0, User, false},
      {"CURRENT_USER", 0, CurrentUser, false},
      {"VERSION", 0, Version, true},
      {"CONNECTION_ID", 0, ConnectionId, false},
      {"LAST_INSERT_ID", 0, LastInsertId, false},
      {"LAST_INSERT_ID", 1, LastInsertId, false},
      {"reptut_autoinc", 1, AutoIncValue, false},
      {"reptut_cv", 2, ColumnCheckFunction, false},
      {"UUID", 0, Uuid, false},
      {"RAND", 0, Rand, false},
      {"RAND", 1, Rand, false},
      {"SLEEP", 1, Sleep, false},
      {"CONCAT", -1, Concat, true},
      {"CONCAT_WS", -1, ConcatWs, true},
      {"MD5", 1, Md5, true},
      {"SHA1", 1, Sha1Fn, true},
      {"SHA", 1, Sha1Fn, true},
      {"reptut_setvar", 2, SetVar, false},
      {"reptut_getvar", 1, GetVar, false},
      {"reptut_sysvar", 1, SysVar, false},
      {"reptut_sysvar", 2, SysVar, false},
      {"MASTER_POS_WAIT", 2, MasterPosWait, false},
      {"MASTER_POS_WAIT", 3, MasterPosWait, false},
      {"MASTER_POS_WAIT", 4, MasterPosWait, false},
  };
  RegisterMoreFunctions(ec);
  for (const Fn& f : fns) {
    int flags = SQLITE_UTF8 | (f.deterministic ? SQLITE_DETERMINISTIC : 0);
    sqlite3_create_function_v2(ec.conn.db(), f.name, f.args, flags, &ec, f.fn, nullptr, nullptr,
                               nullptr);
  }
}

}  // namespace reptut::engine
