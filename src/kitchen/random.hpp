// SplitMix64: tiny, well mixed, and specified bit for bit, unlike the standard
// distributions, so that seeded orders and failures are the same with every
// standard library and on every machine.
#pragma once

#include <cstdint>

namespace kitchen {

inline std::uint64_t split_mix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in [0, 1), from the top 53 bits.
inline double split_mix_unit(std::uint64_t& state) {
  return static_cast<double>(split_mix(state) >> 11) * 0x1.0p-53;
}

}  // namespace kitchen
