// One service: the orders of the evening, what each ingredient costs, and how
// many chefs may cook at once. It is what every executor is handed; it says
// nothing about how the work is run.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>

#include "kitchen/orders.hpp"
#include "kitchen/trace.hpp"

namespace kitchen {

class Gil;
class Pantry;

// The cost of one ingredient: `io` of waiting to fetch it (like I/O), then
// `cpu` of real work to cook it.
struct Costs {
  std::chrono::nanoseconds io{0};
  std::chrono::nanoseconds cpu{0};
};

struct Service {
  Service(std::span<const Order> orders, Costs costs, std::uint32_t chefs,
          const Trace* trace = nullptr);

  std::size_t customers() const { return orders.size(); }

  std::span<const Order> orders;
  Costs costs;
  // Units_for(costs.cpu), computed once rather than per step
  std::uint64_t cpu_units;
  // Dishes that may be in preparation at once
  std::uint32_t chefs;
  const Trace* trace;

  // The Python-faithful and error-handling settings; all off by default.
  // CPU work holds this lock (GIL emulation)
  Gil* gil = nullptr;
  // The shared stock every ingredient is taken from (class Pantry)
  Pantry* stock = nullptr;
  // Per order, the ingredient out of stock (failures.hpp)
  std::span<const std::int8_t> failures;
  // The first failure cancels every other order
  bool fail_fast = false;
  // Open loop (arrivals.hpp): per order, when it arrives, counted from the moment
  // the kitchen is open. Empty: every order is placed at open.
  std::span<const std::chrono::nanoseconds> arrivals;

  bool open_loop() const { return !arrivals.empty(); }
};

// The shortest makespan any executor could reach on `cores` cores: the longest
// dish, the dishes shared out evenly between the chefs, and the CPU work shared
// out between the cores that may run it at once. Efficiency is this divided by
// the measured makespan.
std::chrono::nanoseconds ideal_makespan(const Service& service, unsigned cores);

}  // namespace kitchen
