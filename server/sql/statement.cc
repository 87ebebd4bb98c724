// Statement helpers: names, privileges, classification, engine functions.
#include "sql/statement.h"

#include "common/errors.h"

namespace reptut::sql {

std::string_view StatementKindName(StatementKind kind) {
  switch (kind) {
    case StatementKind::kEmpty:
      return "";
    case StatementKind::kSelect:
      return "SELECT";
    case StatementKind::kInsert:
      return "INSERT";
    case StatementKind::kReplace:
      return "REPLACE";
    case StatementKind::kUpdate:
      return "UPDATE";
    case StatementKind::kDelete:
      return "DELETE";
    case StatementKind::kDo:
      return "DO";
    case StatementKind::kSet:
      return "SET";
    case StatementKind::kSetPassword:
      return "SET PASSWORD";
    case StatementKind::kSetTransaction:
      return "SET TRANSACTION";
    case StatementKind::kBegin:
      return "BEGIN";
    case StatementKind::kCommit:
      return "COMMIT";
    case StatementKind::kRollback:
      return "ROLLBACK";
    case StatementKind::kSavepoint:
      return "SAVEPOINT";
    case StatementKind::kRollbackToSavepoint:
      return "ROLLBACK TO SAVEPOINT";
    case StatementKind::kReleaseSavepoint:
      return "RELEASE SAVEPOINT";
    case StatementKind::kCreateDatabase:
      return "CREATE DATABASE";
    case StatementKind::kDropDatabase:
      return "DROP DATABASE";
    case StatementKind::kUse:
      return "USE";
    case StatementKind::kAlterDatabase:
      return "ALTER DATABASE";
    case StatementKind::kCreateTable:
      return "CREATE TABLE";
    case StatementKind::kCreateTrigger:
      return "CREATE TRIGGER";
    case StatementKind::kDropTrigger:
      return "DROP TRIGGER";
    case StatementKind::kShowCreateTrigger:
      return "SHOW CREATE TRIGGER";
    case StatementKind::kDropTable:
      return "DROP TABLE";
    case StatementKind::kTruncate:
      return "TRUNCATE";
    case StatementKind::kRenameTable:
      return "RENAME TABLE";
    case StatementKind::kAlterTable:
      return "ALTER TABLE";
    case StatementKind::kCreateIndex:
      return "CREATE INDEX";
    case StatementKind::kDropIndex:
      return "DROP INDEX";
    case StatementKind::kShowDatabases:
      return "SHOW DATABASES";
    case StatementKind::kShowTables:
      return "SHOW TABLES";
    case StatementKind::kShowColumns:
      return "SHOW COLUMNS";
    case StatementKind::kShowCreateTable:
      return "SHOW CREATE TABLE";
    case StatementKind::kShowCreateDatabase:
      return "SHOW CREATE DATABASE";
    case StatementKind::kShowIndex:
      return "SHOW INDEX";
    case StatementKind::kShowTableStatus:
      return "SHOW TABLE STATUS";
    case StatementKind::kShowVariables:
      return "SHOW VARIABLES";
    case StatementKind::kShowStatus:
      return "SHOW STATUS";
    case StatementKind::kShowProcesslist:
      return "SHOW PROCESSLIST";
    case StatementKind::kShowGrants:
      return "SHOW GRANTS";
    case StatementKind::kShowWarnings:
      return "SHOW WARNINGS";
    case StatementKind::kShowErrors:
      return "SHOW ERRORS";
    case StatementKind::kShowEngines:
      return "SHOW ENGINES";
    case StatementKind::kShowCharset:
      return "SHOW CHARACTER SET";
    case StatementKind::kShowCollation:
      return "SHOW COLLATION";
    case StatementKind::kShowMasterStatus:
      return "SHOW MASTER STATUS";
    case StatementKind::kShowSlaveStatus:
      return "SHOW SLAVE STATUS";
    case StatementKind::kShowBinaryLogs:
      return "SHOW BINARY LOGS";
    case StatementKind::kShowBinlogEvents:
      return "SHOW BINLOG EVENTS";
    case StatementKind::kShowSlaveHosts:
      return "SHOW SLAVE HOSTS";
    case StatementKind::kShowCreateUser:
      return "SHOW CREATE USER";
    case StatementKind::kShowPrivileges:
      return "SHOW PRIVILEGES";
    case StatementKind::kShowCountWarnings:
      return "SHOW COUNT(*) WARNINGS";
    case StatementKind::kShowCountErrors:
      return "SHOW COUNT(*) ERRORS";
    case StatementKind::kCreateUser:
      return "CREATE USER";
    case StatementKind::kDropUser:
      return "DROP USER";
    case StatementKind::kGrant:
      return "GRANT";
    case StatementKind::kRevoke:
      return "REVOKE";
    case StatementKind::kRenameUser:
      return "RENAME USER";
    case StatementKind::kFlush:
      return "FLUSH";
    case StatementKind::kLockTables:
      return "LOCK TABLES";
    case StatementKind::kUnlockTables:
      return "UNLOCK TABLES";
    case StatementKind::kKill:
      return "KILL";
    case StatementKind::kLoadData:
      return "LOAD DATA";
    case StatementKind::kShutdown:
      return "SHUTDOWN";
    case StatementKind::kPurgeBinaryLogs:
      return "PURGE BINARY LOGS";
    case StatementKind::kResetMaster:
      return "RESET MASTER";
    case StatementKind::kResetSlave:
      return "RESET SLAVE";
    case StatementKind::kChangeMaster:
      return "CHANGE MASTER";
    case StatementKind::kStartSlave:
      return "START SLAVE";
    case StatementKind::kStopSlave:
      return "STOP SLAVE";
    case StatementKind::kBinlog:
      return "BINLOG";
    case StatementKind::kShowRelaylogEvents:
      return "SHOW RELAYLOG EVENTS";
    case StatementKind::kShowTriggers:
      return "SHOW TRIGGERS";
    case StatementKind::kShowEvents:
      return "SHOW EVENTS";
    case StatementKind::kShowRoutineStatus:
      return "SHOW PROCEDURE STATUS";
    case StatementKind::kShowPlugins:
      return "SHOW PLUGINS";
    case StatementKind::kExplain:
      return "EXPLAIN";
    case StatementKind::kCheckTable:
      return "CHECK TABLE";
    case StatementKind::kAnalyzeTable:
      return "ANALYZE TABLE";
    case StatementKind::kOptimizeTable:
      return "OPTIMIZE TABLE";
    case StatementKind::kRepairTable:
      return "REPAIR TABLE";
    case StatementKind::kChecksumTable:
      return "CHECKSUM TABLE";
  }
  return "";
}

std::string UserVarParam(std::string_view name) {
  bool plain = !name.empty();
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    if (!ok) plain = false;
  }
  if (plain && name.rfind("_x", 0) != 0) return "@" + std::string(name);
  static const char* kHex = "0123456789abcdef";
  std::string out = "@_x";
  for (unsigned char c : name) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

namespace {

constexpr uint64_t kGlobalOnly = kPrivReload | kPrivShutdown | kPrivProcess | kPrivFile |
                                 kPrivShowDatabases | kPrivSuper | kPrivReplicationSlave |
                                 kPrivReplicationClient | kPrivCreateUser | kPrivCreateTablespace;
constexpr uint64_t kTableLevel = kPrivSelect | kPrivInsert | kPrivUpdate | kPrivDelete |
                                 kPrivCreate | kPrivDrop | kPrivReferences | kPrivIndex |
                                 kPrivAlter | kPrivCreateView | kPrivShowView | kPrivTrigger;

struct PrivName {
  uint64_t bit;
  const char* name;
};
const PrivName kPrivNames[] = {
    {kPrivSelect, "SELECT"},
    {kPrivInsert, "INSERT"},
    {kPrivUpdate, "UPDATE"},
    {kPrivDelete, "DELETE"},
    {kPrivCreate, "CREATE"},
    {kPrivDrop, "DROP"},
    {kPrivReload, "RELOAD"},
    {kPrivShutdown, "SHUTDOWN"},
    {kPrivProcess, "PROCESS"},
    {kPrivFile, "FILE"},
    {kPrivReferences, "REFERENCES"},
    {kPrivIndex, "INDEX"},
    {kPrivAlter, "ALTER"},
    {kPrivShowDatabases, "SHOW DATABASES"},
    {kPrivSuper, "SUPER"},
    {kPrivCreateTemporaryTables, "CREATE TEMPORARY TABLES"},
    {kPrivLockTables, "LOCK TABLES"},
    {kPrivExecute, "EXECUTE"},
    {kPrivReplicationSlave, "REPLICATION SLAVE"},
    {kPrivReplicationClient, "REPLICATION CLIENT"},
    {kPrivCreateView, "CREATE VIEW"},
    {kPrivShowView, "SHOW VIEW"},
    {kPrivCreateRoutine, "CREATE ROUTINE"},
    {kPrivAlterRoutine, "ALTER ROUTINE"},
    {kPrivCreateUser, "CREATE USER"},
    {kPrivEvent, "EVENT"},
    {kPrivTrigger, "TRIGGER"},
    {kPrivCreateTablespace, "CREATE TABLESPACE"},
    {kPrivGrantOption, "GRANT OPTION"},
};

}  // namespace

uint64_t PrivAllForLevel(bool database_level, bool table_level) {
  if (table_level) return kTableLevel;
  if (database_level) return kPrivAllGlobal & ~kGlobalOnly;
  return kPrivAllGlobal;
}

std::string_view PrivilegeName(uint64_t bit) {
  for (const auto& p : kPrivNames)
    if (p.bit == bit) return p.name;
  return "";
}

std::string PrivilegeList(uint64_t mask, bool database_level, bool table_level) {
  mask &= ~static_cast<uint64_t>(kPrivGrantOption);
  uint64_t all = PrivAllForLevel(database_level, table_level);
  if (mask == 0) return "USAGE";
  if ((mask & all) == all) return "ALL PRIVILEGES";
  std::string out;
  for (const auto& p : kPrivNames) {
    if (p.bit == kPrivGrantOption) continue;
    if (mask & p.bit) {
      if (!out.empty()) out += ", ";
      out += p.name;
    }
  }
  return out;
}

Classification Classify(const Statement& stmt) {
  Classification c;
  switch (stmt.kind) {
    case StatementKind::kInsert:
    case StatementKind::kReplace:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kLoadData:
      c.logged = true;
      c.transactional_dml = true;
      break;
    case StatementKind::kSelect:
      c.read_only = stmt.dml.into_vars.empty() && !stmt.dml.into_file;
      break;
    case StatementKind::kCreateDatabase:
    case StatementKind::kDropDatabase:
    case StatementKind::kAlterDatabase:
    case StatementKind::kCreateTable:
    case StatementKind::kDropTable:
    case StatementKind::kTruncate:
    case StatementKind::kRenameTable:
    case StatementKind::kAlterTable:
    case StatementKind::kCreateIndex:
    case StatementKind::kDropIndex:
    case StatementKind::kCreateTrigger:
    case StatementKind::kDropTrigger:
      c.logged = true;
      c.ddl = true;
      // CREATE/DROP TEMPORARY TABLE do not commit (MySQL 5.7).
      c.implicit_commit = !stmt.table.temporary;
      break;
    case StatementKind::kCreateUser:
    case StatementKind::kDropUser:
    case StatementKind::kGrant:
    case StatementKind::kRevoke:
    case StatementKind::kRenameUser:
    case StatementKind::kSetPassword:
      c.logged = true;
      c.implicit_commit = true;
      break;
    case StatementKind::kFlush: {
      bool logged = !stmt.admin.flush_local && !stmt.admin.flush_read_lock;
      for (const auto& w : stmt.admin.flush_what)
        if (w == "logs" || w == "binary logs" || w == "relay logs") logged = false;
      c.logged = logged;
      c.implicit_commit = true;
      break;
    }
    case StatementKind::kAnalyzeTable:
    case StatementKind::kOptimizeTable:
    case StatementKind::kRepairTable: {
      // Binlogged unless LOCAL / NO_WRITE_TO_BINLOG, as MySQL.
      c.logged = true;
      for (const std::string& o : stmt.admin.maintenance_options)
        if (o == "LOCAL" || o == "NO_WRITE_TO_BINLOG") c.logged = false;
      c.implicit_commit = true;
      break;
    }
    case StatementKind::kBegin:
    case StatementKind::kLockTables:
    case StatementKind::kUnlockTables:
    case StatementKind::kChangeMaster:
    case StatementKind::kStartSlave:
    case StatementKind::kStopSlave:
    case StatementKind::kResetSlave:
    case StatementKind::kResetMaster:
    case StatementKind::kPurgeBinaryLogs:
      c.implicit_commit = true;
      break;
    case StatementKind::kShowDatabases:
    case StatementKind::kShowTables:
    case StatementKind::kShowColumns:
    case StatementKind::kShowCreateTable:
    case StatementKind::kShowCreateDatabase:
    case StatementKind::kShowIndex:
    case StatementKind::kShowTableStatus:
    case StatementKind::kShowVariables:
    case StatementKind::kShowStatus:
    case StatementKind::kShowProcesslist:
    case StatementKind::kShowGrants:
    case StatementKind::kShowWarnings:
    case StatementKind::kShowErrors:
    case StatementKind::kShowEngines:
    case StatementKind::kShowCharset:
    case StatementKind::kShowCollation:
    case StatementKind::kShowMasterStatus:
    case StatementKind::kShowSlaveStatus:
    case StatementKind::kShowBinaryLogs:
    case StatementKind::kShowBinlogEvents:
    case StatementKind::kShowSlaveHosts:
    case StatementKind::kShowCreateUser:
    case StatementKind::kShowPrivileges:
    case StatementKind::kShowCountWarnings:
    case StatementKind::kShowCountErrors:
    case StatementKind::kShowRelaylogEvents:
    case StatementKind::kShowTriggers:
    case StatementKind::kShowCreateTrigger:
    case StatementKind::kShowEvents:
    case StatementKind::kShowRoutineStatus:
    case StatementKind::kShowPlugins:
    case StatementKind::kExplain:
    case StatementKind::kChecksumTable:
      c.read_only = true;
      break;
    case StatementKind::kCheckTable:  // commits the open transaction, as MySQL
      c.read_only = true;
      c.implicit_commit = true;
      break;
    default:
      break;
  }
  return c;
}

const std::vector<EngineFunction>& EngineFunctions() {
  static const std::vector<EngineFunction> kFunctions = {
      {"reptut_sysvar", 2, 2,
       "reptut_sysvar(name, scope): value of system variable `name` (lowercase); scope "
       "'global', 'session' or '' (session value if the variable has one, else global). "
       "Unknown variable: raise ER_UNKNOWN_SYSTEM_VARIABLE (1193)."},
      {"regexp", 2, 2,
       "regexp(pattern, text): 1/0/NULL, MySQL REGEXP (case-insensitive, POSIX extended); "
       "SQLite calls it for `x REGEXP y` as regexp(y, x)"},
      {"reptut_date_add", 3, 3,
       "reptut_date_add(date, amount, 'UNIT'): MySQL date + INTERVAL amount UNIT (units "
       "MICROSECOND..YEAR and the compound ones like 'DAY_HOUR' with amount '1 2'); result "
       "as MySQL text (DATE stays DATE when the unit is DAY or larger); NULL on bad input"},
      {"reptut_date_sub", 3, 3, "reptut_date_sub(date, amount, 'UNIT'): date - INTERVAL"},
      {"reptut_extract", 2, 2, "reptut_extract('UNIT', date): EXTRACT(UNIT FROM date)"},
      {"reptut_timestampdiff", 3, 3, "reptut_timestampdiff('UNIT', a, b): TIMESTAMPDIFF"},
      {"reptut_datetime", 1, 1, "reptut_datetime(x): CAST(x AS DATETIME)"},
      {"reptut_cv", 2, 2,
       "reptut_cv(value, slot): the value as the column of `slot` stores it (DmlInfo::"
       "assigned_columns; errors and warnings of strict mode)"},
      {"reptut_format", 2, 3, "reptut_format(x, d[, locale]): MySQL FORMAT(): '1,234.50'"},
      {"NOW", 0, 1,
       "NOW([fsp]): statement start time in the session time zone, honouring SET "
       "TIMESTAMP; 'YYYY-MM-DD HH:MM:SS[.ffffff]'. Also used as DEFAULT (NOW()) in SQLite DDL "
       "for DEFAULT CURRENT_TIMESTAMP columns"},
      {"SYSDATE", 0, 1, "SYSDATE([fsp]): the current time (not the statement's)"},
      {"CURDATE", 0, 0, "CURDATE(): 'YYYY-MM-DD' of NOW()"},
      {"CURTIME", 0, 1, "CURTIME([fsp]): 'HH:MM:SS' of NOW()"},
      {"UTC_TIMESTAMP", 0, 1, "UTC_TIMESTAMP([fsp])"},
      {"UTC_DATE", 0, 0, "UTC_DATE()"},
      {"UTC_TIME", 0, 1, "UTC_TIME([fsp])"},
      {"UNIX_TIMESTAMP", 0, 1, "UNIX_TIMESTAMP([datetime]): seconds since the epoch"},
      {"FROM_UNIXTIME", 1, 2, "FROM_UNIXTIME(n[, format])"},
      {"DATE_FORMAT", 2, 2, "DATE_FORMAT(date, format) with MySQL % specifiers"},
      {"TIME_FORMAT", 2, 2, "TIME_FORMAT(time, format)"},
      {"STR_TO_DATE", 2, 2, "STR_TO_DATE(str, format)"},
      {"DATE", 1, 1, "DATE(x): date part (SQLite's date() is close; override for MySQL rules)"},
      {"TIME", 1, 1, "TIME(x): time part (SQLite's time() is close)"},
      {"YEAR", 1, 1, "YEAR(d)"},
      {"MONTH", 1, 1, "MONTH(d)"},
      {"DAYOFMONTH", 1, 1, "DAYOFMONTH(d) (DAY() maps here)"},
      {"HOUR", 1, 1, "HOUR(t)"},
      {"MINUTE", 1, 1, "MINUTE(t)"},
      {"SECOND", 1, 1, "SECOND(t)"},
      {"MICROSECOND", 1, 1, "MICROSECOND(t)"},
      {"DAYOFWEEK", 1, 1, "DAYOFWEEK(d): 1 = Sunday"},
      {"DAYOFYEAR", 1, 1, "DAYOFYEAR(d)"},
      {"WEEKDAY", 1, 1, "WEEKDAY(d): 0 = Monday"},
      {"WEEK", 1, 2, "WEEK(d[, mode])"},
      {"YEARWEEK", 1, 2, "YEARWEEK(d[, mode])"},
      {"QUARTER", 1, 1, "QUARTER(d)"},
      {"MONTHNAME", 1, 1, "MONTHNAME(d)"},
      {"DAYNAME", 1, 1, "DAYNAME(d)"},
      {"LAST_DAY", 1, 1, "LAST_DAY(d)"},
      {"DATEDIFF", 2, 2, "DATEDIFF(a, b): days"},
      {"TIMEDIFF", 2, 2, "TIMEDIFF(a, b)"},
      {"TO_DAYS", 1, 1, "TO_DAYS(d)"},
      {"FROM_DAYS", 1, 1, "FROM_DAYS(n)"},
      {"TO_SECONDS", 1, 1, "TO_SECONDS(d)"},
      {"TIME_TO_SEC", 1, 1, "TIME_TO_SEC(t)"},
      {"SEC_TO_TIME", 1, 1, "SEC_TO_TIME(n)"},
      {"MAKEDATE", 2, 2, "MAKEDATE(year, dayofyear)"},
      {"MAKETIME", 3, 3, "MAKETIME(h, m, s)"},
      {"CONVERT_TZ", 3, 3, "CONVERT_TZ(dt, from, to)"},
      {"CONCAT", 1, -1, "CONCAT(a, ...): NULL if any argument is NULL"},
      {"CONCAT_WS", 2, -1, "CONCAT_WS(sep, a, ...): skips NULL arguments; NULL if sep is NULL"},
      {"REPEAT", 2, 2, "REPEAT(s, n)"},
      {"LPAD", 3, 3, "LPAD(s, n, pad)"},
      {"RPAD", 3, 3, "RPAD(s, n, pad)"},
      {"SPACE", 1, 1, "SPACE(n)"},
      {"REVERSE", 1, 1, "REVERSE(s)"},
      {"LOCATE", 3, 3, "LOCATE(sub, s, pos) (the 2-argument form is translated to instr(s, sub))"},
      {"FIELD", 2, -1, "FIELD(x, a, b, ...)"},
      {"ELT", 2, -1, "ELT(n, a, b, ...)"},
      {"FIND_IN_SET", 2, 2, "FIND_IN_SET(x, 'a,b,c')"},
      {"STRCMP", 2, 2, "STRCMP(a, b)"},
      {"ASCII", 1, 1, "ASCII(s)"},
      {"ORD", 1, 1, "ORD(s)"},
      {"SUBSTRING_INDEX", 3, 3, "SUBSTRING_INDEX(s, delim, count)"},
      {"INSERT", 4, 4, "INSERT(s, pos, len, new)"},
      {"QUOTE", 1, 1, "QUOTE(s) (SQLite's quote() is close)"},
      {"BIT_LENGTH", 1, 1, "BIT_LENGTH(s)"},
      {"MD5", 1, 1, "MD5(s): 32 lowercase hex digits"},
      {"SHA1", 1, 1, "SHA1(s) (SHA() maps here): 40 lowercase hex digits"},
      {"SHA2", 2, 2, "SHA2(s, bits)"},
      {"PASSWORD", 1, 1, "PASSWORD(s): '*' + uppercase hex SHA1(SHA1(s))"},
      {"ENCRYPT", 1, 2, "ENCRYPT(s[, salt]) (may return NULL)"},
      {"HEX", 1, 1,
       "HEX(x): MySQL semantics for numbers (HEX(255) = 'FF'); SQLite's hex() is right for "
       "strings"},
      {"UNHEX", 1, 1, "UNHEX(s)"},
      {"CONV", 3, 3, "CONV(n, from_base, to_base)"},
      {"BIN", 1, 1, "BIN(n)"},
      {"OCT", 1, 1, "OCT(n)"},
      {"INET_ATON", 1, 1, "INET_ATON(s)"},
      {"INET_NTOA", 1, 1, "INET_NTOA(n)"},
      {"BIT_COUNT", 1, 1, "BIT_COUNT(n)"},
      {"CRC32", 1, 1, "CRC32(s)"},
      {"TO_BASE64", 1, 1, "TO_BASE64(s)"},
      {"FROM_BASE64", 1, 1, "FROM_BASE64(s)"},
      {"SOUNDEX", 1, 1, "SOUNDEX(s)"},
      {"TRUNCATE", 2, 2, "TRUNCATE(x, d)"},
      {"ROUND", 1, 2,
       "ROUND(x[, d]): SQLite's round() returns REAL; override to return an integer for "
       "ROUND(x) and exact decimals"},
      {"CEIL", 1, 1, "CEIL(x) (CEILING maps here): SQLite's ceil() returns REAL"},
      {"FLOOR", 1, 1, "FLOOR(x): SQLite's floor() returns REAL"},
      {"POW", 2, 2, "translated to SQLite pow()"},
      {"RAND", 0, 1, "RAND([seed]): double in [0, 1)"},
      {"UUID", 0, 0, "UUID(): 36-character text"},
      {"UUID_SHORT", 0, 0, "UUID_SHORT()"},
      {"SLEEP", 1, 1, "SLEEP(seconds): 0 (1 when interrupted by KILL QUERY)"},
      {"BENCHMARK", 2, 2, "BENCHMARK(n, expr): 0"},
      {"DATABASE", 0, 0, "DATABASE() (SCHEMA() maps here): current database or NULL"},
      {"USER", 0, 0, "USER() (SESSION_USER, SYSTEM_USER map here): 'user@client_host'"},
      {"CURRENT_USER", 0, 0, "CURRENT_USER(): the matched account 'user@host'"},
      {"VERSION", 0, 0, "VERSION(): mysql::kServerVersion"},
      {"CONNECTION_ID", 0, 0, "CONNECTION_ID()"},
      {"LAST_INSERT_ID", 0, 1,
       "LAST_INSERT_ID(): the session's value; LAST_INSERT_ID(x) sets it to x and returns x"},
      {"ROW_COUNT", 0, 0, "ROW_COUNT()"},
      {"FOUND_ROWS", 0, 0, "FOUND_ROWS()"},
      {"MASTER_POS_WAIT", 2, 4,
       "MASTER_POS_WAIT(file, pos[, timeout[, channel]]): waits until the replica SQL thread "
       "has executed up to (file, pos); events waited, -1 on timeout, NULL if the replica is "
       "not running/configured"},
      {"GET_LOCK", 2, 2, "GET_LOCK(name, timeout)"},
      {"RELEASE_LOCK", 1, 1, "RELEASE_LOCK(name)"},
      {"IS_FREE_LOCK", 1, 1, "IS_FREE_LOCK(name)"},
      {"IS_USED_LOCK", 1, 1, "IS_USED_LOCK(name)"},
      {"CHARSET", 1, 1, "CHARSET(x)"},
      {"COLLATION", 1, 1, "COLLATION(x)"},
      {"COERCIBILITY", 1, 1, "COERCIBILITY(x)"},
      {"CHAR", 1, -1, "CHAR(n, ...): SQLite's char() builds from code points (close)"},
      {"STD", 1, 1, "aggregate STD/STDDEV_POP (engine aggregate)"},
      {"STDDEV", 1, 1, "aggregate STDDEV (engine aggregate)"},
      {"VARIANCE", 1, 1, "aggregate VARIANCE/VAR_POP (engine aggregate)"},
      {"BIT_AND", 1, 1, "aggregate BIT_AND (engine aggregate)"},
      {"BIT_OR", 1, 1, "aggregate BIT_OR (engine aggregate)"},
      {"BIT_XOR", 1, 1, "aggregate BIT_XOR (engine aggregate)"},
      {"reptut_setvar", 2, 2,
       "reptut_setvar(name, value): @name := value inside an expression; returns value"},
      {"reptut_getvar", 1, 1,
       "reptut_getvar(name): @name read live (a statement that also assigns it)"},
  };
  return kFunctions;
}

}  // namespace reptut::sql
