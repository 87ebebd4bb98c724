// MySQL's AUTO_INCREMENT values under auto_increment_increment /
// auto_increment_offset, as MySQL 5.7 and MariaDB 10.11 with InnoDB (the
// default innodb_autoinc_lock_mode=1) hand them out: the arithmetic of the
// SQL layer (handler::update_auto_increment, compute_next_insert_id) and of
// InnoDB's table counter (get_auto_increment, innobase_next_autoinc,
// write_row), down to its wrap-arounds when the offset is greater than the
// increment. The engine uses it for statements of a session whose
// auto_increment_increment is greater than 1; with an increment of 1 SQLite's
// own AUTOINCREMENT (max + 1) gives the same values and this is not used.
//
// One AutoIncSequence lives for one statement on one table: it starts from
// the table's counter (the next value it would hand out), takes each row's
// AUTO_INCREMENT value in order (Generate for a NULL or 0, Explicit for a
// value given) and ends with the counter the table keeps.
#pragma once

#include <cstdint>
#include <string_view>

namespace reptut::engine {

// MySQL's ER_AUTOINC_READ_FAILED: no AUTO_INCREMENT value is left.
inline constexpr uint16_t kErAutoIncReadFailed = 1467;
inline constexpr std::string_view kAutoIncReadFailed =
    "Failed to read auto-increment value from storage engine";

// compute_next_insert_id: the smallest value of the form
// offset + N * increment greater than `nr`, computed in unsigned 64-bit
// arithmetic as MySQL does (so an offset greater than the increment wraps
// around: increment 3, offset 5 gives 1, 4, 5, 8, ...). UINT64_MAX when the
// result would not be greater than `nr`.
uint64_t ComputeNextInsertId(uint64_t nr, uint64_t increment, uint64_t offset);

// InnoDB's innobase_next_autoinc: the table counter after `current` with
// `need` values reserved (an offset greater than the step counts as 0).
// UINT64_MAX on overflow.
uint64_t InnodbNextAutoinc(uint64_t current, uint64_t need, uint64_t step, uint64_t offset);

class AutoIncSequence {
 public:
  // counter: the table's next AUTO_INCREMENT value (1 for a new table);
  // forced: SET INSERT_ID for this statement, 0 if none; estimated_rows: the
  // rows of INSERT ... VALUES (what MySQL reserves at the first generated
  // value), 0 when unknown (INSERT ... SELECT). An increment or offset of 0
  // counts as 1.
  AutoIncSequence(uint64_t counter, uint64_t increment, uint64_t offset, uint64_t forced,
                  uint64_t estimated_rows);

  // The value of the next row whose AUTO_INCREMENT column is NULL or 0;
  // UINT64_MAX when the values are exhausted.
  uint64_t Generate();
  // The next row gives its own value.
  void Explicit(int64_t value);

  // The table's counter now (its next AUTO_INCREMENT value).
  uint64_t counter() const { return counter_; }
  // The first value Generate returned (LAST_INSERT_ID), 0 if none.
  uint64_t first_generated() const { return first_generated_; }
  uint64_t generated() const { return generated_; }

 private:
  void Written(uint64_t value);

  uint64_t increment_, offset_;
  uint64_t counter_;         // InnoDB's dict_table autoinc
  uint64_t forced_;          // SET INSERT_ID not used yet
  uint64_t estimated_rows_;  // handler::estimation_rows_to_insert
  uint64_t next_insert_id_ = 0;
  uint64_t interval_max_ = 0;  // end of the values reserved (exclusive)
  uint64_t intervals_ = 0;     // auto_inc_intervals_count
  uint64_t rows_left_ = 0;     // trx->n_autoinc_rows
  uint64_t last_value_ = 0;    // m_prebuilt->autoinc_last_value
  uint64_t first_generated_ = 0;
  uint64_t generated_ = 0;
};

}  // namespace reptut::engine
