#include "kitchen/cpu_work.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <vector>

namespace kitchen {
namespace {

double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

TEST(CpuWork, IsDeterministic) {
  EXPECT_EQ(burn(1000, 5), burn(1000, 5));
  EXPECT_NE(burn(1000, 5), burn(1000, 6));
  EXPECT_NE(burn(1000, 5), burn(1001, 5));
}

TEST(CpuWork, CalibrationIsPositiveAndStable) {
  const double ns = calibration().ns_per_unit;
  EXPECT_GT(ns, 0.0);
  EXPECT_LT(ns, 1000.0);
  EXPECT_EQ(calibration().ns_per_unit, ns);  // measured once per process
  EXPECT_EQ(units_for(std::chrono::nanoseconds(0)), 0u);
}

// Asked for 2 ms of work, it does 2 ms of work, +-20%. Measured in this
// thread's CPU time, which a busy machine stretches far less than wall time;
// the median of several runs drops outliers.
TEST(CpuWork, CalibratedWorkLastsWhatWasAsked) {
  const auto asked = std::chrono::milliseconds(2);
  const std::uint64_t units = units_for(asked);
  std::vector<double> took;
  std::uint64_t sink = 0;
  for (int i = 0; i < 9; ++i) {
    const double t0 = thread_cpu_ns();
    sink += burn(units, sink + static_cast<std::uint64_t>(i));
    took.push_back(thread_cpu_ns() - t0);
  }
  std::nth_element(took.begin(), took.begin() + 4, took.end());
  EXPECT_NEAR(took[4], 2e6, 0.2 * 2e6);
  EXPECT_NE(sink, 0u);
}

}  // namespace
}  // namespace kitchen
