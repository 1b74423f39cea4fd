// The kitchen benchmark: one iteration is one service (open the kitchen, serve every order, close
// it), on one executor, checked after every iteration. A wrong service (an order lost or served
// twice, more dishes in preparation than chefs) or a refused resource ends the row as an error,
// never as a number.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "executors/executor.hpp"
#include "kitchen/orders.hpp"
#include "os/usage.hpp"

namespace kitchen::bench {

struct Point {
  std::string profile;
  Costs costs;
  std::uint32_t chefs;
  std::uint32_t customers;
  std::uint64_t seed;
};

// What the iterations of one row add up to; turned into the row's counters at the end.
struct Tally {
  double ideal_ns = 0;  // the service's ideal makespan on this machine
  double wall_ns = 0;
  double p50_ns = 0;
  double p99_ns = 0;
  double open_ns = 0;
  int peak = 0;
  unsigned os_threads = 0;
  os::Usage outside;  // spent in the paused part of the loop, taken off the totals

  void add(const Ledger& ledger, double wall);
};

unsigned cores();

void report(benchmark::State& state, const Point& point, const Tally& tally,
            const os::Usage& before, const os::Usage& after);

template <Executor E>
void serve_benchmark(benchmark::State& state, const Point& point, const Staffing& staffing) {
  const std::vector<Order> orders = make_orders(point.customers, point.seed);
  const Service service(orders, point.costs, point.chefs);
  E executor(staffing);
  Tally tally;
  tally.ideal_ns =
      std::chrono::duration<double, std::nano>(ideal_makespan(service, cores())).count();
  std::optional<Ledger> ledger;
  const os::Usage before = os::process_usage();
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    try {
      ledger.emplace(executor.serve(service));
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
    const auto wall = std::chrono::steady_clock::now() - t0;
    // The check and the bookkeeping are not the kitchen's work: they run with the clocks stopped
    // and their CPU time and context switches are taken off the row's.
    state.PauseTiming();
    const os::Usage paused = os::process_usage();
    if (const std::optional<std::string> problem = ledger->check()) {
      state.ResumeTiming();
      state.SkipWithError(problem->c_str());
      break;
    }
    tally.add(*ledger, std::chrono::duration<double, std::nano>(wall).count());
    ledger.reset();
    const os::Usage resumed = os::process_usage();
    tally.outside.cpu_ns += resumed.cpu_ns - paused.cpu_ns;
    tally.outside.ctx_switches += resumed.ctx_switches - paused.ctx_switches;
    state.ResumeTiming();
  }
  if (!state.error_occurred()) report(state, point, tally, before, os::process_usage());
}

}  // namespace kitchen::bench
