#include "kitchen/service.hpp"

#include <algorithm>

#include "kitchen/cpu_work.hpp"
#include "kitchen/menu.hpp"

namespace kitchen {

Service::Service(std::span<const Order> orders_in, Costs costs_in, std::uint32_t chefs_in,
                 const Trace* trace_in)
    : orders(orders_in),
      costs(costs_in),
      cpu_units(units_for(costs_in.cpu)),
      chefs(chefs_in),
      trace(trace_in) {}

std::chrono::nanoseconds ideal_makespan(const Service& service, unsigned cores) {
  using std::chrono::nanoseconds;
  const nanoseconds per_ingredient = service.costs.io + service.costs.cpu;
  nanoseconds longest{0};
  nanoseconds total{0};
  nanoseconds total_cpu{0};
  for (const Order& order : service.orders) {
    const auto steps = static_cast<nanoseconds::rep>(menu()[order.dish].ingredients.size());
    longest = std::max(longest, per_ingredient * steps);
    total += per_ingredient * steps;
    total_cpu += service.costs.cpu * steps;
  }
  const auto chefs = static_cast<nanoseconds::rep>(std::max<std::uint32_t>(service.chefs, 1));
  const auto cpu_lanes = std::min<nanoseconds::rep>(chefs, std::max(cores, 1u));
  return std::max({longest, total / chefs, total_cpu / cpu_lanes});
}

}  // namespace kitchen
