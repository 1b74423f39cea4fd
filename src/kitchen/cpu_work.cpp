#include "kitchen/cpu_work.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace kitchen {

// Composable: burn(a + b, s) == burn(b, burn(a, s)), so work cut into slices
// (as the GIL emulation does) gives the same result as work done at once.
std::uint64_t burn(std::uint64_t units, std::uint64_t seed) {
  std::uint64_t x = seed;
  for (std::uint64_t i = 0; i < units; ++i) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 29;
    // Keeps every round in the loop: without it the optimiser may fold or
    // vectorise the chain.
    asm volatile("" : "+r"(x));
  }
  return x;
}

namespace {

Calibration measure() {
  using clock = std::chrono::steady_clock;
  // Grow the batch until one run lasts ~5 ms, long enough that clock resolution
  // does not matter.
  std::uint64_t units = 1 << 12;
  std::uint64_t sink = 0;
  for (;;) {
    const auto t0 = clock::now();
    sink += burn(units, units);
    const auto took = clock::now() - t0;
    if (took >= std::chrono::milliseconds(5)) break;
    units *= 2;
  }
  // The fastest of several runs is the one least disturbed by the rest of the
  // machine.
  std::array<double, 7> runs{};
  for (double& ns : runs) {
    const auto t0 = clock::now();
    sink += burn(units, sink);
    ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count();
  }
  asm volatile("" : : "r"(sink));
  return Calibration{*std::min_element(runs.begin(), runs.end()) / static_cast<double>(units)};
}

}  // namespace

const Calibration& calibration() {
  static const Calibration measured = measure();
  return measured;
}

std::uint64_t units_for(std::chrono::nanoseconds work) {
  if (work.count() <= 0) return 0;
  return static_cast<std::uint64_t>(
      std::llround(static_cast<double>(work.count()) / calibration().ns_per_unit));
}

}  // namespace kitchen
