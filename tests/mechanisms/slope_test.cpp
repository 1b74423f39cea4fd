// The slope fit behind bytes_per_task, on synthetic samples whose answer is
// known. Suites are named mechanisms_* so that `ctest -R mechanisms` selects
// this binary's tests.
#include "mechanisms/slope.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace kitchen::bench {
namespace {

// The fit of samples that lie exactly on y = intercept + slope * x.
std::optional<Line> fit_exact(const std::vector<double>& x, double intercept, double slope) {
  std::vector<double> y;
  for (double n : x) y.push_back(intercept + slope * n);
  return fit_line(x, y);
}

TEST(mechanisms_slope, RecoversAnExactLine) {
  const auto line = fit_exact({0, 250, 500, 750, 1000}, 5'000'000, 9'000);
  ASSERT_TRUE(line);
  EXPECT_NEAR(line->slope, 9'000, 1e-6);
  EXPECT_NEAR(line->intercept, 5'000'000, 1e-3);
  EXPECT_NEAR(line->r2, 1.0, 1e-12);
}

// Gigabytes of resident memory and a small per-task cost: the centred sums keep
// the slope.
TEST(mechanisms_slope, KeepsASmallSlopeOnALargeBase) {
  const auto line = fit_exact({0, 250'000, 500'000, 750'000, 1'000'000}, 3e9, 700);
  ASSERT_TRUE(line);
  EXPECT_NEAR(line->slope, 700, 1e-6);
}

TEST(mechanisms_slope, AveragesNoiseOut) {
  const std::vector<double> x = {0, 100, 200, 300, 400, 500};
  const std::vector<double> noise = {+4096, -4096, 0, +4096, -4096, 0};
  std::vector<double> y;
  for (std::size_t i = 0; i < x.size(); ++i) y.push_back(1e6 + 16'384 * x[i] + noise[i]);
  const auto line = fit_line(x, y);
  ASSERT_TRUE(line);
  EXPECT_NEAR(line->slope, 16'384, 30);
  EXPECT_GT(line->r2, 0.99);
  EXPECT_LT(line->r2, 1.0);
}

TEST(mechanisms_slope, AFlatLineHasSlopeZero) {
  const auto line = fit_line(std::vector<double>{1, 2, 3}, std::vector<double>{7, 7, 7});
  ASSERT_TRUE(line);
  EXPECT_EQ(line->slope, 0);
  EXPECT_EQ(line->intercept, 7);
}

TEST(mechanisms_slope, RefusesWhatDefinesNoLine) {
  EXPECT_FALSE(fit_line(std::vector<double>{}, std::vector<double>{}));
  EXPECT_FALSE(fit_line(std::vector<double>{1}, std::vector<double>{2}));
  EXPECT_FALSE(fit_line(std::vector<double>{1, 2}, std::vector<double>{2}));
  EXPECT_FALSE(fit_line(std::vector<double>{5, 5, 5}, std::vector<double>{1, 2, 3}));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(fit_line(std::vector<double>{1, 2, 3}, std::vector<double>{1, nan, 3}));
}

// The floor behind the memory rows' error rows, on points with no line in them.
TEST(mechanisms_slope, AFitBelowTheFloorIsRefused) {
  const std::vector<double> x = {0, 250, 500, 750, 1000};
  const std::vector<double> y = {1e6, 3e6, 1e6, 3e6, 1.2e6};
  const auto line = fit_line(x, y);
  ASSERT_TRUE(line);
  ASSERT_LT(line->r2, kR2Floor);
  const auto why = refuse_below_floor(*line, kR2Floor, "the total");
  ASSERT_TRUE(why);
  EXPECT_EQ(why->rfind("the total: r2 ", 0), 0u) << *why;
  EXPECT_NE(why->find(" below the floor 0.9: "), std::string::npos) << *why;
}

TEST(mechanisms_slope, AFitAtOrAboveTheFloorIsKept) {
  const auto line = fit_exact({0, 250, 500, 750, 1000}, 5'000'000, 9'000);
  ASSERT_TRUE(line);
  EXPECT_FALSE(refuse_below_floor(*line, kR2Floor, "the total"));
  Line at_floor;
  at_floor.r2 = kR2Floor;
  EXPECT_FALSE(refuse_below_floor(at_floor, kR2Floor, "the total"));
}

TEST(mechanisms_slope, ANanR2IsRefused) {
  Line line;
  line.r2 = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(refuse_below_floor(line, kR2Floor, "the total"));
}

}  // namespace
}  // namespace kitchen::bench
