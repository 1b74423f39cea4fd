#include "mechanisms/floor.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "executors/catalogue.hpp"
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

const std::array<Floor, 9>& floors() {
  static constexpr std::array<Floor, 9> kFloors = {{
      {name_of<ThreadsPool>(), floor_threads_pool},
      {name_of<ThreadsChefs>(), floor_threads_chefs},
      {name_of<ThreadsPerOrder>(), floor_threads_per_order},
      {name_of<AsioCoro>(), floor_asio_coro},
      {name_of<AsioCallback>(), floor_asio_callback},
      {name_of<AsioCoroMt>(), floor_asio_coro_mt},
      {name_of<AsioOffload>(), floor_asio_offload},
      {name_of<AsioBlocking>(), floor_asio_blocking},
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

// One iteration is one service, like a kitchen row's, after one untimed checked service as the
// warm-up (the kitchen rows discard theirs too); the check and the reset run with the clocks
// stopped. us_per_dish is read as the kitchen row's is: the wall time of the services alone over
// the dishes served.
void floor_row(benchmark::State& state, FloorServe serve, std::uint64_t seed,
               const Staffing& staffing) {
  FloorKitchen kitchen(kFloorChefs, kFloorCustomers, seed, staffing);
  if (const std::optional<std::string> problem = checked(kitchen, serve_caught(serve, kitchen))) {
    state.SkipWithError(("warm-up service: " + *problem).c_str());
    return;
  }
  std::chrono::steady_clock::duration wall{};
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<std::string> thrown = serve_caught(serve, kitchen);
    wall += std::chrono::steady_clock::now() - t0;
    state.PauseTiming();
    const std::optional<std::string> problem = checked(kitchen, std::move(thrown));
    state.ResumeTiming();
    if (problem) {
      state.SkipWithError(problem->c_str());
      break;
    }
  }
  if (state.error_occurred()) return;
  const double dishes = static_cast<double>(state.iterations()) * kFloorCustomers;
  const double wall_ns = std::chrono::duration<double, std::nano>(wall).count();
  state.counters["chefs"] = kFloorChefs;
  state.counters["customers"] = kFloorCustomers;
  state.counters["dishes_per_s"] = dishes / (wall_ns / 1e9);
  state.counters["us_per_dish"] = wall_ns / dishes / 1e3;
}

}  // namespace

void register_floor(std::uint64_t seed, const Staffing& staffing) {
  static_assert(std::tuple_size_v<AllExecutors> == 9, "every executor has a floor");
  for (const Floor& floor : floors()) {
    const std::string name = "floor/" + std::string(floor.executor) +
                             "/chefs:" + std::to_string(kFloorChefs) +
                             "/customers:" + std::to_string(kFloorCustomers);
    benchmark::RegisterBenchmark(name.c_str(), floor_row, floor.serve, seed, staffing)
        ->UseRealTime()
        ->MeasureProcessCPUTime();
  }
}

}  // namespace kitchen::bench
