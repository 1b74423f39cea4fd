#include "service_bench.hpp"

#include <algorithm>

namespace kitchen::bench {

void Tally::add(const Ledger& ledger, const Pantry& pantry, const Gil* gil, double wall) {
  wall_ns += wall;
  p50_ns += static_cast<double>(ledger.latency_ns(0.50));
  p99_ns += static_cast<double>(ledger.latency_ns(0.99));
  open_ns += static_cast<double>(ledger.open_ns());
  cancel_ns += static_cast<double>(ledger.cancel_ns());
  served += static_cast<double>(ledger.count(Outcome::kServed));
  failed += static_cast<double>(ledger.count(Outcome::kFailed));
  cancelled += static_cast<double>(ledger.count(Outcome::kCancelled));
  // One per ingredient cooked
  std::int64_t takes = 0;
  for (const OrderRecord& r : ledger.records()) takes += r.steps;
  lost_updates += static_cast<double>(pantry.lost_updates(takes));
  sync_ops += static_cast<double>(ledger.sync_ops() + pantry.locks());
  pantry_wait_ns += static_cast<double>(pantry.wait_ns());
  peak = std::max(peak, ledger.peak_in_preparation());
  os_threads = std::max(os_threads, ledger.os_threads());
  cooking_threads = std::max(cooking_threads, ledger.cooking_threads());
  // The GIL lives as long as the row: its count runs on, so each service adds
  // what it grew by.
  if (gil) {
    gil_switches += static_cast<double>(gil->switches() - gil_switches_seen);
    gil_switches_seen = gil->switches();
  }
}

void report(benchmark::State& state, const Point& point, const Tally& tally,
            const os::Usage& before, const os::Usage& after) {
  const auto iterations = static_cast<double>(state.iterations());
  if (iterations == 0 || tally.wall_ns <= 0) return;
  const double dishes = iterations * point.customers;
  const double cpu_ns = static_cast<double>(after.cpu_ns - before.cpu_ns - tally.outside.cpu_ns);
  const double switches =
      static_cast<double>(after.ctx_switches - before.ctx_switches - tally.outside.ctx_switches);
  auto& c = state.counters;
  c["chefs"] = point.chefs;
  c["customers"] = point.customers;
  c["io_us"] = std::chrono::duration<double, std::micro>(point.costs.io).count();
  c["cpu_us"] = std::chrono::duration<double, std::micro>(point.costs.cpu).count();
  // Dishes served: with injected failures, failed and cancelled orders are not
  // dishes.
  c["dishes_per_s"] = tally.served / (tally.wall_ns / 1e9);
  c["us_per_dish"] = tally.wall_ns / dishes / 1e3;
  // 0 on the overhead profile, where the ideal service takes no time at all.
  c["efficiency"] = tally.ideal_ns / (tally.wall_ns / iterations);
  c["p50_ms"] = tally.p50_ns / iterations / 1e6;
  c["p99_ms"] = tally.p99_ns / iterations / 1e6;
  c["open_us"] = tally.open_ns / iterations / 1e3;
  c["peak_in_preparation"] = tally.peak;
  // Measured by the thread census (kitchen/census.hpp): the peak of live OS
  // threads during a service, and the distinct threads that cooked.
  c["os_threads"] = tally.os_threads;
  c["cooking_threads"] = tally.cooking_threads;
  c["gil_switches_per_s"] = tally.gil_switches / (tally.wall_ns / 1e9);
  c["pantry_wait_us_per_dish"] = tally.pantry_wait_ns / dishes / 1e3;
  c["ctx_switches_per_dish"] = std::max(0.0, switches) / dishes;
  c["cpu_util"] = std::max(0.0, cpu_ns) / tally.wall_ns;
  c["gil"] = point.gil ? 1 : 0;
  c["lost_updates"] = tally.lost_updates / iterations;
  c["sync_ops_per_dish"] = tally.sync_ops / dishes;
  c["served"] = tally.served / iterations;
  c["failed"] = tally.failed / iterations;
  c["cancelled"] = tally.cancelled / iterations;
  c["cancel_ms"] = tally.cancel_ns / iterations / 1e6;
}

}  // namespace kitchen::bench
