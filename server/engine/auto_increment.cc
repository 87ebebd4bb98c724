#include "engine/auto_increment.h"

#include <algorithm>

namespace reptut::engine {
namespace {

constexpr uint64_t kMax = UINT64_MAX;
// handler.h: AUTO_INC_DEFAULT_NB_ROWS, _NB_MAX_BITS, _NB_MAX.
constexpr uint64_t kDefaultRows = 1;
constexpr uint64_t kDefaultMaxBits = 16;
constexpr uint64_t kDefaultMax = (uint64_t{1} << kDefaultMaxBits) - 1;

}  // namespace

uint64_t ComputeNextInsertId(uint64_t nr, uint64_t increment, uint64_t offset) {
  uint64_t next;
  if (increment == 1) {
    next = nr + 1;
  } else {
    next = (nr + increment - offset) / increment;
    next = next * increment + offset;
  }
  return next <= nr ? kMax : next;
}

uint64_t InnodbNextAutoinc(uint64_t current, uint64_t need, uint64_t step, uint64_t offset) {
  if (need == 0 || step == 0) return kMax;
  if (need > kMax / step) return kMax;
  uint64_t block = need * step;
  // "If the offset is greater than the step then the offset is ignored."
  if (offset > step) offset = 0;
  uint64_t next = current > offset ? current - offset : offset - current;
  next -= next % step;
  next += offset;
  if (next < offset) return kMax;
  next += block;
  if (next < block) return kMax;
  return next;
}

AutoIncSequence::AutoIncSequence(uint64_t counter, uint64_t increment, uint64_t offset,
                                 uint64_t forced, uint64_t estimated_rows)
    : increment_(increment ? increment : 1),
      offset_(offset ? offset : 1),
      counter_(counter ? counter : 1),
      forced_(forced),
      estimated_rows_(estimated_rows) {}

uint64_t AutoIncSequence::Generate() {
  uint64_t nr = next_insert_id_;
  if (nr >= interval_max_) {
    // Beyond what is reserved: reserve more.
    uint64_t reserved;
    if (forced_) {
      // SET INSERT_ID: an interval without an end (Discrete_interval with
      // ULONGLONG_MAX values), so the next rows step on from it.
      nr = forced_;
      forced_ = 0;
      reserved = kMax;
    } else {
      uint64_t desired;
      if (intervals_ == 0 && estimated_rows_ > 0) {
        desired = estimated_rows_;
      } else if (intervals_ <= kDefaultMaxBits) {
        desired = std::min(kDefaultRows << intervals_, kDefaultMax);
      } else {
        desired = kDefaultMax;
      }
      // ha_innobase::get_auto_increment.
      uint64_t autoinc = counter_;
      if (increment_ > 1 && increment_ <= ~autoinc) {
        autoinc = ((autoinc - 1) + increment_ - offset_) / increment_;
        autoinc = autoinc * increment_ + offset_;
      }
      uint64_t first = nr;
      if (rows_left_ == 0) {
        rows_left_ = desired ? desired : 1;
        first = std::max(first, autoinc);
      } else if (last_value_ == 0) {
        first = std::max(first, autoinc);
      }
      reserved = rows_left_;
      uint64_t next = InnodbNextAutoinc(first, reserved, increment_, offset_);
      last_value_ = next;
      if (next < first) return kMax;
      counter_ = std::max(counter_, next);
      // handler::update_auto_increment rounds what the engine gave.
      nr = ComputeNextInsertId(first - 1, increment_, offset_);
      if (nr == kMax) return kMax;
    }
    interval_max_ = reserved == kMax ? kMax : nr + reserved * increment_;
    ++intervals_;
  }
  next_insert_id_ = ComputeNextInsertId(nr, increment_, offset_);
  if (!first_generated_) first_generated_ = nr;
  ++generated_;
  Written(nr);
  return nr;
}

void AutoIncSequence::Explicit(int64_t value) {
  if (value > 0) {
    uint64_t v = static_cast<uint64_t>(value);
    // adjust_next_insert_id_after_explicit_value.
    if (next_insert_id_ > 0 && v >= next_insert_id_) {
      next_insert_id_ = ComputeNextInsertId(v, increment_, offset_);
    }
    Written(v);
  } else if (rows_left_ > 0) {
    --rows_left_;  // a negative value leaves the counter alone
  }
}

// ha_innobase::write_row: the counter follows a value at or past the end
// of the values reserved.
void AutoIncSequence::Written(uint64_t value) {
  if (rows_left_ > 0) --rows_left_;
  if (value >= last_value_) {
    counter_ = std::max(counter_, InnodbNextAutoinc(value, 1, increment_, offset_));
  }
}

}  // namespace reptut::engine
