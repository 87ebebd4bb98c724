// The MySQL model of a table (what CREATE TABLE says and SHOW CREATE TABLE
// prints), its translation to SQLite DDL, and the column metadata the
// protocol and DESCRIBE / SHOW COLUMNS / SHOW INDEX need.
//
// Persistence: the engine stores ToShowCreate(def) and re-reads it with
// Parse(); Parse(ToShowCreate(def)).create_table.def == def for any def
// produced by Parse() and normalised by the engine (charset filled in).
//
// Accepted and ignored: FOREIGN KEY / REFERENCES clauses, CHECK clauses,
// index options (USING BTREE/HASH, KEY_BLOCK_SIZE, index COMMENT),
// PARTITION BY, column STORAGE/COLUMN_FORMAT, generated columns are
// unsupported (1235).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/mysql_types.h"
#include "common/status.h"

namespace reptut::sql {

struct ColumnDef {
  std::string name;
  // Normalised lowercase MySQL type name: tinyint smallint mediumint int
  // bigint decimal float double bit char varchar binary varbinary tinytext
  // text mediumtext longtext tinyblob blob mediumblob longblob enum set date
  // datetime timestamp time year. Aliases are mapped when parsed:
  // integer->int, numeric/fixed/dec->decimal, real/double precision->double,
  // bool/boolean->tinyint(1), json->longtext, long varchar->mediumtext,
  // character varying->varchar, nchar/national char->char (charset utf8).
  std::string type;
  // Display width (integers: int(11)), length (char/varchar/binary/bit),
  // precision M (decimal(M,D), float(M,D)), fractional seconds (datetime(6)),
  // year(4). Empty when not written; ToShowCreate and the metadata helpers
  // fill MySQL's defaults (int -> 11, int unsigned -> 10, decimal -> 10,0,
  // char -> 1, bit -> 1 ...). Parse() stores the defaults explicitly for
  // integer, decimal, char, binary and bit types so that round trips
  // compare equal.
  std::optional<uint32_t> length;
  std::optional<uint32_t> scale;    // D of decimal(M,D), float(M,D), double(M,D)
  std::vector<std::string> values;  // enum/set members, decoded
  bool is_unsigned = false;
  bool zerofill = false;  // implies unsigned (set by the parser)
  std::string charset;    // lowercase; empty = the table's
  std::string collation;  // lowercase; empty = the charset's default
  bool not_null = false;  // NOT NULL (also set for PRIMARY KEY columns)

  enum class Default : uint8_t {
    kNone,              // no DEFAULT clause (NULL for nullable columns)
    kNull,              // DEFAULT NULL (Parse() stores it as kNone: same meaning)
    kLiteral,           // DEFAULT 'text' / 0 / -1.5 / b'1' (default_value)
    kCurrentTimestamp,  // DEFAULT CURRENT_TIMESTAMP / NOW() / LOCALTIME...
  };
  Default default_kind = Default::kNone;
  // kLiteral: the value as MySQL prints it inside quotes ('0', 'abc',
  // '1.50' for decimal(3,2) as written). Bit defaults keep "b'1'" form.
  std::string default_value;
  std::optional<uint32_t> default_fsp;  // CURRENT_TIMESTAMP(6)
  bool on_update_current_timestamp = false;
  std::optional<uint32_t> on_update_fsp;
  bool auto_increment = false;
  std::string comment;

  bool operator==(const ColumnDef&) const = default;
};

struct IndexPart {
  std::string column;
  std::optional<uint32_t> prefix_length;  // KEY (c(10)); SQLite ignores it
  bool operator==(const IndexPart&) const = default;
};

struct IndexDef {
  enum class Kind : uint8_t { kPrimary, kUnique, kKey, kFulltext };
  Kind kind = Kind::kKey;
  std::string name;  // "PRIMARY" for the primary key; generated when omitted
  std::vector<IndexPart> parts;
  std::string comment;
  bool operator==(const IndexDef&) const = default;
};

struct TableDef {
  std::string name;
  bool temporary = false;
  std::vector<ColumnDef> columns;
  // In MySQL's order: PRIMARY first, then UNIQUE, then the others (MySQL
  // sorts them so; Parse() and ApplyAlter() keep this order).
  std::vector<IndexDef> indexes;
  std::string engine = "InnoDB";           // as MySQL names it: InnoDB, MyISAM, MEMORY
  std::string charset;                     // lowercase; empty = not yet known (engine fills)
  std::string collation;                   // lowercase; empty = the charset's default
  std::optional<uint64_t> auto_increment;  // AUTO_INCREMENT=n table option
  std::string comment;
  std::string row_format;  // uppercase (DYNAMIC, COMPACT...), empty if none

  bool operator==(const TableDef&) const = default;

  // Index of the column named `name` (case-insensitive), or -1.
  int FindColumn(std::string_view column_name) const;
  // Index of the index named `name` (case-insensitive), or -1.
  int FindIndex(std::string_view index_name) const;
};

// ---- charsets ----------------------------------------------------------

// The default collation of a charset ("latin1" -> "latin1_swedish_ci",
// "utf8" / "utf8mb3" -> "utf8_general_ci", "utf8mb4" -> "utf8mb4_general_ci",
// "binary" -> "binary", "ascii" -> "ascii_general_ci"); empty if unknown.
std::string DefaultCollationFor(std::string_view charset);
// The charset of a collation ("latin1_bin" -> "latin1"); empty if unknown.
std::string CharsetOfCollation(std::string_view collation);
// MySQL's collation id (latin1_swedish_ci 8, utf8_general_ci 33,
// utf8mb4_general_ci 45, binary 63, ...); 0 if unknown.
uint16_t CollationId(std::string_view collation);
// Maximum bytes per character of a charset (latin1 1, utf8 3, utf8mb4 4).
uint32_t MaxBytesPerChar(std::string_view charset);
// Canonical charset name: "utf8mb3" -> "utf8", lowercase.
std::string NormalizeCharset(std::string_view charset);

// Normalises a def once its charset is known (the engine calls this after
// filling def.charset from the database default): drops column charsets and
// collations that equal the table's / the charset's default, so that
// Parse(ToShowCreate(def)) == def. Parse() calls it for CREATE TABLE.
void NormalizeTableDef(TableDef& def);

// ---- SHOW CREATE TABLE -------------------------------------------------

// The text MySQL 5.7 prints in SHOW CREATE TABLE's "Create Table" column,
// e.g. "CREATE TABLE `tbl` (\n  `a` char(20) DEFAULT NULL\n)
// ENGINE=InnoDB DEFAULT CHARSET=latin1". An empty def.charset prints as
// latin1 (the server default).
std::string ToShowCreate(const TableDef& def);

// The column's type as SHOW COLUMNS / SHOW CREATE print it:
// "int(11)", "int(10) unsigned", "varchar(50)", "decimal(10,2)",
// "enum('a','b')", "tinyint(1)", "timestamp", "datetime(6)".
std::string ColumnTypeText(const ColumnDef& column);

// ---- SQLite DDL ----------------------------------------------------------

// What ToSqliteDdl produced besides the statements.
struct SqliteDdl {
  // CREATE TABLE first, then one CREATE [UNIQUE] INDEX per non-primary
  // index, named "<table>__<index>" (quoted with backticks).
  std::vector<std::string> statements;
  // Columns whose DEFAULT is CURRENT_TIMESTAMP: the SQLite DEFAULT calls the
  // engine function NOW() / NOW(fsp) (DEFAULT (NOW())), so the engine must
  // have NOW registered on every connection that inserts. Listed for
  // information.
  std::vector<std::string> now_default_columns;
  // Columns with ON UPDATE CURRENT_TIMESTAMP: the engine sets them to NOW()
  // itself on UPDATE when the row changes and the statement does not set
  // them (SQLite cannot).
  std::vector<std::string> on_update_now_columns;
  // CHAR columns: MySQL strips trailing spaces when reading CHAR values; the
  // engine strips them when it reads them.
  std::vector<std::string> char_columns;
};

// Maps the table to SQLite:
//  - integer types, bit, year -> INTEGER; decimal -> NUMERIC; float, double
//    -> REAL; char/varchar/text/enum/set/date/time types -> TEXT (with
//    COLLATE NOCASE unless the column's collation is binary or *_bin);
//    binary/varbinary/blobs -> BLOB.
//  - NOT NULL; DEFAULT literal as a SQLite literal; DEFAULT
//    CURRENT_TIMESTAMP as DEFAULT (NOW()).
//  - the AUTO_INCREMENT column must be the single-column PRIMARY KEY and
//    then becomes "INTEGER PRIMARY KEY AUTOINCREMENT" (SQLite's rowid);
//    `contact_id INT AUTO_INCREMENT KEY` qualifies (MySQL reads a column's
//    KEY as PRIMARY KEY). An AUTO_INCREMENT column that is only in a UNIQUE
//    or ordinary key, or part of a composite PRIMARY KEY, gives
//    ER_NOT_SUPPORTED_YET. The engine must turn 0/NULL inserted into the
//    auto column into NULL (SQLite then assigns max+1) and honour SET
//    INSERT_ID / auto_increment_increment itself if needed.
//  - composite PRIMARY KEY (a, b) as a table constraint.
// `sqlite_table_name` is the name to create (the engine may prefix it for
// the database); index names are "<sqlite_table_name>__<index name>".
Result<SqliteDdl> ToSqliteDdl(const TableDef& def, std::string_view sqlite_table_name);
// The same with def.name as the SQLite table name (as the brief asked).
Result<SqliteDdl> ToSqliteDdl(const TableDef& def);
// The same in an ATTACHed SQLite schema: "CREATE TABLE `schema`.`name`",
// "CREATE INDEX `schema`.`name__idx` ON `name` (...)" (SQLite's syntax puts
// the schema on the index name). Empty schema = none.
Result<SqliteDdl> ToSqliteDdl(const TableDef& def, std::string_view sqlite_table_name,
                              std::string_view sqlite_schema);

// SQLite's name for the index `index_name` of `sqlite_table_name`.
std::string SqliteIndexName(std::string_view sqlite_table_name, std::string_view index_name);

// ---- column metadata -------------------------------------------------------

struct ColumnMeta {
  mysql::FieldType type = mysql::kTypeVarString;
  uint16_t flags = 0;      // mysql::ColumnFlag bits
  uint32_t length = 0;     // display length in bytes (chars x MaxBytesPerChar)
  uint8_t decimals = 0;    // 0 for integers/strings, 31 (0x1f) for float/double
                           // without (M,D), D otherwise
  uint16_t charsetnr = 0;  // collation id; 63 (binary) for numbers/blobs
};

// Metadata of column `index` of `def` as MySQL 5.7 sends it in a result-set
// column definition (for SELECT of a plain column): type (int -> LONG,
// varchar -> VAR_STRING, char -> STRING, text -> BLOB ...), flags
// (NOT_NULL, PRI_KEY, UNIQUE_KEY, MULTIPLE_KEY, UNSIGNED, ZEROFILL, BINARY,
// AUTO_INCREMENT, BLOB, ENUM, SET, TIMESTAMP, NUM, ON_UPDATE_NOW,
// NO_DEFAULT_VALUE), display length (int(11) -> 11, char(20) latin1 -> 20,
// varchar(50) utf8 -> 150) and decimals. `table_charset` is used when the
// def's charset is empty.
ColumnMeta ColumnMetadata(const TableDef& def, size_t index,
                          std::string_view table_charset = "latin1");

// One row of DESCRIBE / SHOW [FULL] COLUMNS.
struct DescribeRow {
  std::string field;
  std::string type;                          // ColumnTypeText
  std::optional<std::string> collation;      // FULL only: NULL for non-text columns
  std::string null;                          // "YES" / "NO"
  std::string key;                           // "PRI", "UNI", "MUL" or ""
  std::optional<std::string> default_value;  // NULL when none
  std::string extra;                         // "auto_increment", "on update CURRENT_TIMESTAMP"
  std::string privileges = "select,insert,update,references";  // FULL only
  std::string comment;                                         // FULL only
};
std::vector<DescribeRow> DescribeRows(const TableDef& def,
                                      std::string_view table_charset = "latin1");

// One row of SHOW INDEX (columns Table, Non_unique, Key_name, Seq_in_index,
// Column_name, Collation, Cardinality, Sub_part, Packed, Null, Index_type,
// Comment, Index_comment).
struct ShowIndexRow {
  std::string table;
  int non_unique = 0;
  std::string key_name;
  int seq_in_index = 1;
  std::string column_name;
  std::string collation = "A";          // "A"; NULL for FULLTEXT (empty here)
  std::optional<uint64_t> cardinality;  // engine may fill; NULL by default
  std::optional<uint32_t> sub_part;
  std::string null;                  // "YES" or ""
  std::string index_type = "BTREE";  // "BTREE" / "FULLTEXT"
  std::string comment;
  std::string index_comment;
};
std::vector<ShowIndexRow> ShowIndexRows(const TableDef& def);

}  // namespace reptut::sql
