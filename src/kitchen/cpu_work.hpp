// Real CPU work of a calibrated size. A cook step burns through a dependent
// chain of integer hashing rather than spinning on a clock: under
// oversubscription a fixed amount of work then takes longer in wall time,
// exactly as real code does, and the result feeds the order's checksum so the
// compiler cannot drop it.
#pragma once

#include <chrono>
#include <cstdint>

namespace kitchen {

// Runs `units` rounds of a 64-bit mix starting from `seed` and returns the
// final value.
std::uint64_t burn(std::uint64_t units, std::uint64_t seed);

struct Calibration {
  // Wall nanoseconds one unit of burn() costs on an idle core
  double ns_per_unit;
};

// Measured once per process, on first use, and then fixed: every executor in a
// run sees the same unit size.
const Calibration& calibration();

// How many units of burn() take `work` on an idle core (0 for a zero duration).
std::uint64_t units_for(std::chrono::nanoseconds work);

}  // namespace kitchen
