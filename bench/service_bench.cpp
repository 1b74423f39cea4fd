#include "service_bench.hpp"

#include <algorithm>
#include <cstdio>

namespace kitchen::bench {

RowKitchen::RowKitchen(const Point& point)
    : orders(make_orders(point.customers, point.seed)),
      failures(plan_failures(orders, point.fail_rate, point.seed)),
      arrivals(point.rate > 0
                   ? plan_arrivals(point.customers, point.rate, point.arrivals, point.seed)
                   : std::vector<std::chrono::nanoseconds>{}),
      pantry(point.pantry),
      service(orders, point.costs, point.chefs) {
  if (point.gil) gil.emplace(point.gil_switch);
  service.gil = gil ? &*gil : nullptr;
  service.stock = &pantry;
  if (point.fail_rate > 0) service.failures = failures;
  service.fail_fast = point.fail_fast;
  service.arrivals = arrivals;
}

void Tally::add(const Ledger& ledger, const Pantry& pantry, const Gil* gil, double wall) {
  wall_ns += wall;
  p50_ns += static_cast<double>(ledger.latency_ns(0.50));
  p90_ns += static_cast<double>(ledger.latency_ns(0.90));
  p99_ns += static_cast<double>(ledger.latency_ns(0.99));
  p999_ns += static_cast<double>(ledger.latency_ns(0.999));
  lag_p99_ns += static_cast<double>(ledger.arrival_lag_ns(0.99));
  max_backlog = std::max(max_backlog, ledger.max_backlog());
  // The service clock of an open loop starts when the kitchen is open (its first arrival is
  // then due), not when the ledger was made: the opening is reported on its own, as open_us.
  achieved +=
      static_cast<double>(ledger.count(Outcome::kServed)) /
      (static_cast<double>(std::max<std::int64_t>(ledger.makespan_ns() - ledger.open_ns(), 1)) /
       1e9);
  open_ns += static_cast<double>(ledger.open_ns());
  cancel_ns += static_cast<double>(ledger.cancel_ns());
  teardown_ns += static_cast<double>(ledger.teardown_ns());
  served += static_cast<double>(ledger.count(Outcome::kServed));
  failed += static_cast<double>(ledger.count(Outcome::kFailed));
  cancelled += static_cast<double>(ledger.count(Outcome::kCancelled));
  // One per ingredient cooked
  std::int64_t takes = 0;
  for (const OrderRecord& r : ledger.records()) takes += r.steps;
  const auto lost = static_cast<double>(pantry.lost_updates(takes));
  lost_updates += lost;
  // A race is proved by one lost update in any service: the row keeps how many services lost
  // any, and the most one lost, not only a mean.
  if (lost > 0) ++services_with_lost_updates;
  max_lost_updates = std::max(max_lost_updates, lost);
  sync_ops += static_cast<double>(ledger.sync_ops() + pantry.locks());
  pantry_wait_ns += static_cast<double>(pantry.wait_ns());
  peak = std::max(peak, ledger.peak_in_preparation());
  os_threads = std::max(os_threads, ledger.os_threads());
  cooking_threads = std::max(cooking_threads, ledger.cooking_threads());
  runqueue_wait_ns += static_cast<double>(ledger.runqueue_wait_ns());
  // The GIL lives as long as the row: its count runs on, so each service adds
  // what it grew by.
  if (gil) {
    gil_switches += static_cast<double>(gil->switches() - gil_switches_seen);
    gil_switches_seen = gil->switches();
  }
}

namespace {

// The average dish's time on the nominal costs, in milliseconds.
double dish_ms(const Costs& costs) { return 1e3 / ideal_capacity(costs, 1, 1u << 30); }

// Open loop: what was offered against what the kitchen could ideally take, what it served, how
// far behind it fell, and how late the schedule itself handed orders over. A schedule later than
// a tenth of a dish makes the row suspect: the kitchen was not offered what the row says.
void report_open_loop(benchmark::UserCounters& c, const Point& point, const Tally& tally,
                      double iterations) {
  const double capacity = ideal_capacity(point.costs, point.chefs, os::usable_cores());
  c["offered_per_s"] = point.rate;
  c["ideal_capacity_per_s"] = capacity;
  c["load"] = point.rate / capacity;
  c["achieved_per_s"] = tally.achieved / iterations;
  c["max_backlog"] = tally.max_backlog;
  const double lag_ms = tally.lag_p99_ns / iterations / 1e6;
  c["arrival_lag_ms"] = lag_ms;
  const bool suspect = lag_ms > dish_ms(point.costs) / 10;
  c["arrival_lag_suspect"] = suspect ? 1 : 0;
  if (suspect) {
    std::fprintf(stderr,
                 "bench_kitchen: %s, %u chefs, %u customers at %.0f/s: the arrival schedule "
                 "handed orders over %.3g ms late (p99), more than a tenth of a dish: the "
                 "kitchen was offered less than the row says (arrival_lag_suspect=1)\n",
                 point.profile.c_str(), point.chefs, point.customers, point.rate, lag_ms);
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
  c["p90_ms"] = tally.p90_ns / iterations / 1e6;
  c["p99_ms"] = tally.p99_ns / iterations / 1e6;
  c["p999_ms"] = tally.p999_ns / iterations / 1e6;
  if (point.rate > 0) report_open_loop(c, point, tally, iterations);
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
  c["services"] = iterations;
  c["services_with_lost_updates"] = tally.services_with_lost_updates;
  c["lost_updates_max"] = tally.max_lost_updates;
  // Time the service's threads spent runnable but waiting for a CPU, per dish: large when a
  // thread kitchen loses to the scheduler rather than to its own code.
  c["runqueue_wait_us_per_dish"] = tally.runqueue_wait_ns / dishes / 1e3;
  c["sync_ops_per_dish"] = tally.sync_ops / dishes;
  c["served"] = tally.served / iterations;
  c["failed"] = tally.failed / iterations;
  c["cancelled"] = tally.cancelled / iterations;
  // Fail-fast: until the last cooking chef noticed the stop, then the teardown (waking and
  // joining every thread, draining the loop), apart, so that neither hides in the other.
  c["cancel_ms"] = tally.cancel_ns / iterations / 1e6;
  c["teardown_ms"] = tally.teardown_ns / iterations / 1e6;
}

}  // namespace

void account(benchmark::State& state, const Point& point, const Tally& tally,
             const Readings& before, const pantry::NetPantry* net, const PantryHost* host) {
  report(state, point, tally, before.usage, os::process_usage());
  if (net) {
    report_net(state, before.net, host->read(*net), tally.wall_ns,
               static_cast<double>(state.iterations()) * point.customers);
  }
}

}  // namespace kitchen::bench
