#include "mechanisms/floor.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>

#include "executors/catalogue.hpp"
#include "kitchen/census.hpp"
#include "kitchen/ledger.hpp"
#include "mechanisms/families.hpp"

namespace kitchen::bench {

FloorKitchen::FloorKitchen(std::uint32_t chefs, std::uint32_t customers, std::uint64_t seed,
                           const Staffing& staffing)
    : orders(make_orders(customers, seed)),
      service(orders, Costs{}, chefs),
      staffing(staffing),
      served_(customers, 0) {
  service.stock = &stock;
}

void FloorKitchen::reset() {
  stock.restock();
  std::fill(served_.begin(), served_.end(), 0);
  in_preparation_.store(0, std::memory_order_relaxed);
  peak_.store(0, std::memory_order_relaxed);
  bad_chef_.store(false, std::memory_order_relaxed);
}

std::optional<std::string> FloorKitchen::check() const {
  const auto once = static_cast<std::size_t>(std::count(served_.begin(), served_.end(), 1));
  if (once != served_.size()) {
    return std::to_string(once) + " of " + std::to_string(served_.size()) +
           " orders served exactly once";
  }
  const std::uint32_t peak = peak_.load(std::memory_order_relaxed);
  if (peak > service.chefs) {
    return std::to_string(peak) + " orders in preparation at once, over the " +
           std::to_string(service.chefs) + " chefs";
  }
  if (bad_chef_.load(std::memory_order_relaxed)) {
    return "an order was cooked by a chef id outside 0.." + std::to_string(service.chefs - 1);
  }
  return std::nullopt;
}

const std::array<Floor, 12>& floors() {
  static constexpr std::array<Floor, 12> kFloors = {{
      {name_of<ThreadsPool>(), floor_threads_pool},
      {name_of<ThreadsChefs>(), floor_threads_chefs},
      {name_of<ThreadsPerOrder>(), floor_threads_per_order},
      {name_of<AsioCoro>(), floor_asio_coro},
      {name_of<AsioCallback>(), floor_asio_callback},
      {name_of<AsioCoroMt>(), floor_asio_coro_mt},
      {name_of<AsioOffload>(), floor_asio_offload},
      {name_of<AsioBlocking>(), floor_asio_blocking},
      {name_of<Fibers>(), floor_fibers},
      {name_of<FibersMt>(), floor_fibers_mt},
      {name_of<FibersBlocking>(), floor_fibers_blocking},
      {name_of<Serial>(), floor_serial},
  }};
  return kFloors;
}

namespace {

// One service: the message of what it threw (a thread the OS would not start, say), or
// nothing. A floor that throws is an error row, as a kitchen row's failure is.
std::optional<std::string> serve_caught(FloorServe serve, FloorKitchen& kitchen) {
  try {
    serve(kitchen);
  } catch (const std::exception& e) {
    return e.what();
  }
  return std::nullopt;
}

// What went wrong in the service just served: what it threw, else what its check found; the
// kitchen is reset for the next either way.
std::optional<std::string> checked(FloorKitchen& kitchen, std::optional<std::string> thrown) {
  if (!thrown) thrown = kitchen.check();
  kitchen.reset();
  return thrown;
}

// The time each side's services took, added up over the row's iterations.
struct PairedWalls {
  std::chrono::steady_clock::duration floor{};
  std::chrono::steady_clock::duration kitchen{};
};

// Runs the services `order` names ('f' the floor, 'k' the executor), each timed into `walls`;
// the first wrong one ends it.
template <Executor E>
std::optional<std::string> serve_in_order(std::string_view order, FloorServe serve, E& executor,
                                          FloorKitchen& kitchen, PairedWalls& walls) {
  for (const char side : order) {
    std::optional<std::string> problem;
    if (side == 'f') {
      const auto t0 = std::chrono::steady_clock::now();
      std::optional<std::string> thrown = serve_caught(serve, kitchen);
      walls.floor += std::chrono::steady_clock::now() - t0;
      problem = checked(kitchen, std::move(thrown));
    } else {
      problem = serve_kitchen(executor, kitchen, walls.kitchen);
    }
    if (problem) return problem;
  }
  return std::nullopt;
}

// Each iteration serves the orders four times: floor, executor, executor, floor. Each side is
// then as often first as second (a steady drift of the machine within the iteration falls on
// both alike), and, since the warm-up ends with the floor, each side's services follow the
// floor's as often as the executor's, whose freed memory the next service reuses.
constexpr std::string_view kWarmUp = "kf";
constexpr std::string_view kIteration = "fkkf";

// floor/<executor>: a warm-up service of each side, checked and untimed, then the iterations.
// The row's time is both sides' services and checks; its counters are each side's per dish and
// their ratio in this repetition. A wrong service of either side ends the row as an error.
template <Executor E>
void floor_row(benchmark::State& state, FloorServe serve, std::uint64_t seed,
               const Staffing& staffing) {
  FloorKitchen kitchen(kFloorChefs, kFloorCustomers, seed, staffing);
  E executor(staffing);
  try {
    admit(executor, kitchen.service);
  } catch (const ResourceLimitError& e) {
    state.SkipWithError(e.what());
    return;
  }
  census::recount_baseline();
  PairedWalls warm_up;
  if (const std::optional<std::string> problem =
          serve_in_order(kWarmUp, serve, executor, kitchen, warm_up)) {
    state.SkipWithError(("warm-up service: " + *problem).c_str());
    return;
  }
  PairedWalls walls;
  for (auto _ : state) {
    if (const std::optional<std::string> problem =
            serve_in_order(kIteration, serve, executor, kitchen, walls)) {
      state.SkipWithError(problem->c_str());
      break;
    }
  }
  if (state.error_occurred()) return;
  // Two services of each side an iteration.
  const double dishes = 2.0 * static_cast<double>(state.iterations()) * kFloorCustomers;
  const auto per_dish_us = [dishes](std::chrono::steady_clock::duration wall) {
    return std::chrono::duration<double, std::micro>(wall).count() / dishes;
  };
  state.counters["chefs"] = kFloorChefs;
  state.counters["customers"] = kFloorCustomers;
  state.counters["us_per_dish"] = per_dish_us(walls.floor);
  state.counters["dishes_per_s"] = 1e6 / per_dish_us(walls.floor);
  state.counters["kitchen_us_per_dish"] = per_dish_us(walls.kitchen);
  state.counters["kitchen_over_floor"] = per_dish_us(walls.kitchen) / per_dish_us(walls.floor);
}

}  // namespace

void register_floor(std::uint64_t seed, const Staffing& staffing) {
  static_assert(std::tuple_size_v<AllExecutors> == 12, "every executor has a floor");
  for (const Floor& floor : floors()) {
    const std::string name = "floor/" + std::string(floor.executor) +
                             "/chefs:" + std::to_string(kFloorChefs) +
                             "/customers:" + std::to_string(kFloorCustomers);
    visit_executor(floor.executor, [&]<Executor E>() {
      benchmark::RegisterBenchmark(name.c_str(), floor_row<E>, floor.serve, seed, staffing)
          ->UseRealTime()
          ->MeasureProcessCPUTime();
    });
  }
}

}  // namespace kitchen::bench
