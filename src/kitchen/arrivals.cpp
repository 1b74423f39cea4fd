#include "kitchen/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kitchen/menu.hpp"
#include "kitchen/random.hpp"

namespace kitchen {

std::vector<std::chrono::nanoseconds> plan_arrivals(std::size_t customers, double per_second,
                                                    ArrivalPattern pattern, std::uint64_t seed) {
  std::vector<std::chrono::nanoseconds> at;
  at.reserve(customers);
  const double mean_gap_ns = 1e9 / per_second;
  // Its own stream: the arrivals do not shift the orders' or the failures' draws.
  std::uint64_t state = seed ^ 0xa77e5a15u;
  double t = 0;
  for (std::size_t k = 0; k < customers; ++k) {
    at.emplace_back(t <= kMaxServiceNs ? static_cast<std::int64_t>(t) : INT64_MAX);
    if (pattern == ArrivalPattern::kFixed) {
      t = static_cast<double>(k + 1) * mean_gap_ns;
    } else {
      // Inverse transform of a uniform draw in (0, 1].
      t += -std::log(1.0 - split_mix_unit(state)) * mean_gap_ns;
    }
  }
  return at;
}

double longest_schedule_ns(std::size_t customers, double per_second, ArrivalPattern pattern) {
  const double gaps = customers > 0 ? static_cast<double>(customers - 1) : 0.0;
  const double longest_gap = pattern == ArrivalPattern::kPoisson ? 53 * std::log(2.0) : 1.0;
  return gaps * longest_gap * 1e9 / per_second;
}

double ideal_capacity(const Costs& costs, std::uint32_t chefs, unsigned cores) {
  double ingredients = 0;
  for (const Dish& dish : menu()) ingredients += static_cast<double>(dish.ingredients.size());
  ingredients /= static_cast<double>(menu().size());
  const double dish_s = ingredients * std::chrono::duration<double>(costs.io + costs.cpu).count();
  const double cpu_s = ingredients * std::chrono::duration<double>(costs.cpu).count();
  double capacity = std::numeric_limits<double>::infinity();
  if (dish_s > 0) capacity = std::min(capacity, static_cast<double>(chefs) / dish_s);
  if (cpu_s > 0) {
    const double lanes = std::min<double>(chefs, std::max(cores, 1u));
    capacity = std::min(capacity, lanes / cpu_s);
  }
  return capacity;
}

}  // namespace kitchen
