// AutoIncSequence against what MariaDB 10.11 (InnoDB, innodb_autoinc_lock_mode
// 1) hands out for the same statements: each case is one statement on a
// table whose counter the previous statement left.
#include "engine/auto_increment.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace reptut::engine {
namespace {

constexpr uint64_t kMax = UINT64_MAX;

// One statement: each row's value (nullopt: NULL, generated); returns the
// values the rows get and updates *counter.
struct Statement {
  std::vector<uint64_t> values;
  uint64_t first_generated = 0;
};
Statement RunStatement(uint64_t* counter, uint64_t increment, uint64_t offset,
                       const std::vector<std::optional<int64_t>>& rows, bool values_form = true,
                       uint64_t insert_id = 0) {
  AutoIncSequence seq(*counter, increment, offset, insert_id, values_form ? rows.size() : 0);
  Statement out;
  for (const auto& row : rows) {
    if (row && *row != 0) {
      seq.Explicit(*row);
      out.values.push_back(static_cast<uint64_t>(*row));
    } else {
      out.values.push_back(seq.Generate());
    }
  }
  *counter = seq.counter();
  out.first_generated = seq.first_generated();
  return out;
}

using V = std::vector<uint64_t>;
const std::nullopt_t N = std::nullopt;

TEST(ComputeNextInsertId, StepsFromTheOffset) {
  EXPECT_EQ(ComputeNextInsertId(0, 2, 2), 2u);
  EXPECT_EQ(ComputeNextInsertId(2, 2, 2), 4u);
  EXPECT_EQ(ComputeNextInsertId(3, 2, 2), 4u);
  EXPECT_EQ(ComputeNextInsertId(0, 2, 1), 1u);
  EXPECT_EQ(ComputeNextInsertId(100, 2, 1), 101u);
  EXPECT_EQ(ComputeNextInsertId(2, 10, 3), 3u);
  EXPECT_EQ(ComputeNextInsertId(3, 10, 3), 13u);
  EXPECT_EQ(ComputeNextInsertId(41, 1, 5), 42u);  // increment 1: the offset does nothing
}

TEST(ComputeNextInsertId, OffsetAboveIncrementWrapsAsInMysql) {
  // Increment 3, offset 5: MySQL's unsigned arithmetic gives 1, 4, 5, 8.
  EXPECT_EQ(ComputeNextInsertId(0, 3, 5), 1u);
  EXPECT_EQ(ComputeNextInsertId(1, 3, 5), 4u);
  EXPECT_EQ(ComputeNextInsertId(4, 3, 5), 5u);
  EXPECT_EQ(ComputeNextInsertId(5, 3, 5), 8u);
  EXPECT_EQ(ComputeNextInsertId(kMax - 1, 2, 2), kMax);  // nothing greater
}

TEST(InnodbNextAutoinc, CounterOnTheGrid) {
  EXPECT_EQ(InnodbNextAutoinc(6, 1, 2, 2), 8u);
  EXPECT_EQ(InnodbNextAutoinc(5, 1, 2, 1), 7u);
  EXPECT_EQ(InnodbNextAutoinc(100, 1, 2, 1), 101u);
  EXPECT_EQ(InnodbNextAutoinc(3, 4, 10, 3), 43u);  // four values reserved
  EXPECT_EQ(InnodbNextAutoinc(10, 1, 3, 5), 12u);  // offset above the step: 0
  EXPECT_EQ(InnodbNextAutoinc(7, 1, 1, 1), 8u);
  EXPECT_EQ(InnodbNextAutoinc(kMax - 1, 1, 2, 1), kMax);  // overflow
}

TEST(AutoIncSequence, IncrementTwoOffsetTwo) {
  uint64_t counter = 1;
  EXPECT_EQ(RunStatement(&counter, 2, 2, {N}).values, V({2}));
  EXPECT_EQ(RunStatement(&counter, 2, 2, {N}).values, V({4}));
  EXPECT_EQ(RunStatement(&counter, 2, 2, {N}).values, V({6}));
  Statement multi = RunStatement(&counter, 2, 2, {N, N, N});
  EXPECT_EQ(multi.values, V({8, 10, 12}));
  EXPECT_EQ(multi.first_generated, 8u);
  EXPECT_EQ(counter, 14u);
}

TEST(AutoIncSequence, ExplicitValuesMoveTheCounter) {
  // MariaDB, increment 2 offset 1: (NULL) (6) (NULL) then
  // (NULL), (20), (NULL), (0) -> 1, 6, 7, 9 20 21 23.
  uint64_t counter = 1;
  EXPECT_EQ(RunStatement(&counter, 2, 1, {N}).values, V({1}));
  Statement explicit_only = RunStatement(&counter, 2, 1, {6});
  EXPECT_EQ(explicit_only.first_generated, 0u);
  EXPECT_EQ(counter, 7u);
  EXPECT_EQ(RunStatement(&counter, 2, 1, {N}).values, V({7}));
  Statement mixed = RunStatement(&counter, 2, 1, {N, 20, N, 0});
  EXPECT_EQ(mixed.values, V({9, 20, 21, 23}));
  EXPECT_EQ(mixed.first_generated, 9u);
}

TEST(AutoIncSequence, ExplicitInsideTheReservedValuesAndNegative) {
  // MariaDB: (NULL),(NULL),(4),(NULL),(-3),(NULL) -> 1 3 4 5 -3 7, counter 13.
  uint64_t counter = 1;
  Statement s = RunStatement(&counter, 2, 1, {N, N, 4, N, -3, N});
  EXPECT_EQ(s.values, V({1, 3, 4, 5, static_cast<uint64_t>(-3), 7}));
  EXPECT_EQ(counter, 13u);
  EXPECT_EQ(RunStatement(&counter, 2, 1, {N}).values, V({13}));
}

TEST(AutoIncSequence, OffsetAboveIncrement) {
  // MariaDB, increment 3 offset 5: 1 4 5 (counter 9), 10 (counter 12), 14.
  uint64_t counter = 1;
  EXPECT_EQ(RunStatement(&counter, 3, 5, {N, N, N}).values, V({1, 4, 5}));
  EXPECT_EQ(counter, 9u);
  RunStatement(&counter, 3, 5, {10});
  EXPECT_EQ(counter, 12u);
  EXPECT_EQ(RunStatement(&counter, 3, 5, {N}).values, V({14}));
  EXPECT_EQ(counter, 15u);
}

TEST(AutoIncSequence, InsertSelectReservesOneTwoFour) {
  // MariaDB, increment 10 offset 3: VALUES of four rows, then INSERT ...
  // SELECT of four: 43 53 63 73 and the counter at 113.
  uint64_t counter = 1;
  EXPECT_EQ(RunStatement(&counter, 10, 3, {N, N, N, N}).values, V({3, 13, 23, 33}));
  EXPECT_EQ(counter, 43u);
  Statement s = RunStatement(&counter, 10, 3, {N, N, N, N}, /*values_form=*/false);
  EXPECT_EQ(s.values, V({43, 53, 63, 73}));
  EXPECT_EQ(s.first_generated, 43u);
  EXPECT_EQ(counter, 113u);
}

TEST(AutoIncSequence, InsertIdComesFirstThenTheSteps) {
  // MariaDB: a row 500, then increment 2 offset 2 with SET INSERT_ID=100:
  // 100 102 104 (the forced interval has no end); the counter stays 501.
  uint64_t counter = 501;
  Statement s = RunStatement(&counter, 2, 2, {N, N, N}, true, 100);
  EXPECT_EQ(s.values, V({100, 102, 104}));
  EXPECT_EQ(s.first_generated, 100u);
  EXPECT_EQ(counter, 501u);
  // Increment 2 offset 1, SET INSERT_ID=100 on an empty table: 100 101.
  counter = 1;
  EXPECT_EQ(RunStatement(&counter, 2, 1, {N, N}, true, 100).values, V({100, 101}));
}

TEST(AutoIncSequence, ReplicaGetsTheMastersValues) {
  // The master generates a multi-row statement and logs INSERT_ID with its
  // first value; the replica, with the master's increment and offset and
  // any counter not above it, gets the same values.
  uint64_t master = 8;
  Statement m = RunStatement(&master, 2, 1, {N, 30, N, N});
  uint64_t replica = 1;
  Statement r = RunStatement(&replica, 2, 1, {N, 30, N, N}, true, m.first_generated);
  EXPECT_EQ(r.values, m.values);
  EXPECT_EQ(replica, master);
}

TEST(AutoIncSequence, ExhaustedValues) {
  // Past a signed BIGINT: the engine refuses the value (reptut_autoinc).
  uint64_t counter = INT64_MAX;
  EXPECT_GT(RunStatement(&counter, 2, 2, {N}).values[0], static_cast<uint64_t>(INT64_MAX));
  counter = kMax;
  EXPECT_EQ(RunStatement(&counter, 2, 2, {N}).values, V({kMax}));
}

}  // namespace
}  // namespace reptut::engine
