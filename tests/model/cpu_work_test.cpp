#include "kitchen/cpu_work.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <vector>

namespace kitchen {
namespace {

// A fixed function of its inputs: the same value on every machine, whoever
// runs it, and one round is the mix written out by hand.
TEST(CpuWork, IsAFixedFunctionOfItsInputs) {
  EXPECT_EQ(burn(0, 5), 5u);
  std::uint64_t x = 5;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 29;
  EXPECT_EQ(burn(1, 5), x);
  EXPECT_EQ(burn(1000, 5), 16465007417727736856ULL);
  EXPECT_NE(burn(1000, 5), burn(1000, 6));
}

// Work cut into slices gives the result of the work done at once: what the GIL
// emulation relies on when it hands the GIL over in the middle of a step.
TEST(CpuWork, SlicesComposeIntoTheWhole) {
  EXPECT_EQ(burn(700, burn(300, 9)), burn(1000, 9));
  EXPECT_EQ(burn(0, burn(1000, 9)), burn(1000, 9));
}

// How many units a duration needs: none for nothing, and in proportion to the
// duration (to within one unit of rounding).
TEST(CpuWork, UnitsAreProportionalToTheWorkAsked) {
  EXPECT_GT(calibration().ns_per_unit, 0.0);
  EXPECT_EQ(units_for(std::chrono::nanoseconds(0)), 0u);
  const auto one = static_cast<double>(units_for(std::chrono::milliseconds(1)));
  const auto four = static_cast<double>(units_for(std::chrono::milliseconds(4)));
  EXPECT_GT(one, 0.0);
  EXPECT_NEAR(four, 4 * one, 4.0);
}

}  // namespace
}  // namespace kitchen
