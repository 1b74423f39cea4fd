// When customers arrive, for an open-loop service. By default every order is
// placed when the kitchen opens (a closed batch, as the article's map and gather
// do). With an arrival rate, order k arrives at a time t_k fixed before the
// service starts, counted from the moment the kitchen is open: the schedule
// never waits for the kitchen, and an order's latency runs from t_k, not from
// when a chef got round to it (no coordinated omission).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "kitchen/service.hpp"

namespace kitchen {

enum class ArrivalPattern : std::uint8_t {
  // t_k = k / rate: evenly spaced.
  kFixed,
  // Exponential gaps of mean 1 / rate, drawn with SplitMix64 from the seed, so
  // every executor meets the same arrivals.
  kPoisson,
};

std::vector<std::chrono::nanoseconds> plan_arrivals(std::size_t customers, double per_second,
                                                    ArrivalPattern pattern, std::uint64_t seed);

// The most dishes per second the kitchen could serve, the ideal makespan's
// formula inverted: min(chefs / dish time, cores / CPU time per dish), with the
// dish time averaged over the menu. Infinite when a dish costs nothing.
double ideal_capacity(const Costs& costs, std::uint32_t chefs, unsigned cores);

}  // namespace kitchen
