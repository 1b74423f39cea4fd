// When customers arrive, for an open-loop service. By default every order is
// placed when the kitchen opens (a closed batch, as executor.map and gather
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

// The latest time since the opening that a service may need: arrival times and ledger times are
// int64 nanoseconds on a steady clock that already counts the time since boot, so half of the
// int64 range (about 146 years) is what they may use.
inline constexpr double kMaxServiceNs = 4.6e18;

// An upper bound of the last arrival time of `customers` orders at `per_second`: (customers - 1)
// mean gaps for fixed arrivals; for poisson, 53 ln 2 (about 37) times that, the longest gap a
// draw of 53 bits can give.
double longest_schedule_ns(std::size_t customers, double per_second, ArrivalPattern pattern);

// Times past kMaxServiceNs (a schedule nobody checked) are written as INT64_MAX, which the
// ledger's check refuses, never as an overflowed cast.
std::vector<std::chrono::nanoseconds> plan_arrivals(std::size_t customers, double per_second,
                                                    ArrivalPattern pattern, std::uint64_t seed);

// The most dishes per second the kitchen could serve, the ideal makespan's
// formula inverted: min(chefs / dish time, cores / CPU time per dish), with the
// dish time averaged over the menu. Infinite when a dish costs nothing.
double ideal_capacity(const Costs& costs, std::uint32_t chefs, unsigned cores);

}  // namespace kitchen
