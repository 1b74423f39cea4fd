// The kitchen benchmark: one iteration is one service (open the kitchen, serve
// every order, close it), on one executor, checked after every iteration. A
// wrong service (an order lost or ended twice, more dishes in preparation than
// chefs) or a refused resource ends the row as an error, never as a number.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "executors/executors.hpp"
#include "kitchen/arrivals.hpp"
#include "kitchen/census.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/orders.hpp"
#include "kitchen/pantry.hpp"
#include "mechanisms/slack.hpp"
#include "net_rows.hpp"
#include "os/cores.hpp"
#include "os/usage.hpp"

namespace kitchen::bench {

struct Point {
  std::string profile;
  Costs costs;
  std::uint32_t chefs;
  std::uint32_t customers;
  std::uint64_t seed;
  bool gil = false;
  std::chrono::microseconds gil_switch{5000};
  PantryMode pantry = PantryMode::kLocked;
  double fail_rate = 0;
  bool fail_fast = false;
  // Open loop (kitchen/arrivals.hpp): orders per second; 0 for a closed batch.
  double rate = 0;
  ArrivalPattern arrivals = ArrivalPattern::kFixed;
  // Real I/O (--io=net): each fetch is a request and its reply from the pantry server.
  bool net = false;
  // The system's default timer slack instead of the suite's 1 ns (mechanisms/slack.hpp)
  bool default_slack = false;
};

// What the iterations of one row add up to; turned into the row's counters at
// the end.
struct Tally {
  // The service's ideal makespan on this machine
  double ideal_ns = 0;
  double wall_ns = 0;
  double p50_ns = 0;
  double p90_ns = 0;
  double p99_ns = 0;
  double p999_ns = 0;
  double lag_p99_ns = 0;
  double achieved = 0;
  int max_backlog = 0;
  double open_ns = 0;
  double cancel_ns = 0;
  double teardown_ns = 0;
  double served = 0;
  double failed = 0;
  double cancelled = 0;
  double lost_updates = 0;
  double sync_ops = 0;
  double pantry_wait_ns = 0;
  double gil_switches = 0;
  std::uint64_t gil_switches_seen = 0;
  int peak = 0;
  unsigned os_threads = 0;
  unsigned cooking_threads = 0;
  double runqueue_wait_ns = 0;
  // Services that lost at least one pantry update, and the most one lost
  int services_with_lost_updates = 0;
  double max_lost_updates = 0;
  // Spent in the paused part of the loop, taken off the totals
  os::Usage outside;

  void add(const Ledger& ledger, const Pantry& pantry, const Gil* gil, double wall);
};

void report(benchmark::State& state, const Point& point, const Tally& tally,
            const os::Usage& before, const os::Usage& after);

// Everything a row's services share: the orders, their failures, the GIL and
// the pantry.
struct Kitchen {
  explicit Kitchen(const Point& point)
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

  std::vector<Order> orders;
  std::vector<std::int8_t> failures;
  std::vector<std::chrono::nanoseconds> arrivals;
  std::optional<Gil> gil;
  Pantry pantry;
  Service service;
};

// One service outside the clocks, checked like a timed one and then forgotten; what went wrong,
// if anything.
template <Executor E>
std::optional<std::string> warm_up(E& executor, Kitchen& kitchen, pantry::NetPantry* net) {
  try {
    const Ledger ledger = executor.serve(kitchen.service, Fetcher(net));
    if (net) {
      if (std::optional<std::string> fault = net->take_fault()) return net_failure(*fault);
    }
    if (std::optional<std::string> problem = ledger.check()) return "warm-up: " + *problem;
    kitchen.pantry.restock();
    if (net) net->reopen_unusable();
  } catch (const std::bad_alloc&) {
    return "not enough memory to serve " + std::to_string(kitchen.orders.size()) + " orders";
  } catch (const std::exception& e) {
    return net ? net_failure(e.what()) : std::string(e.what());
  }
  return std::nullopt;
}

// `row` identifies the benchmark row: a net row's connections are opened on its first call and
// kept for the next ones. `warmed` belongs to the row too: its first call serves one service
// before the clocks start, checks it and discards it (the first service of a process pays for
// cold caches, page faults and lazy start-up that later ones do not), and sets it.
template <Executor E>
void serve_benchmark(benchmark::State& state, const Point& point, const Staffing& staffing,
                     bool& warmed, int row = -1) {
  // Threads inherit the slack of the thread that starts them, and the event loops run on this
  // one: set here, it holds for every thread of the row's services (0: the system default).
  std::optional<SlackScope> slack;
  if (point.default_slack) slack.emplace(std::chrono::nanoseconds(0));
  // A point too large for the machine (orders, records) is an error row, not a
  // crash.
  std::unique_ptr<Kitchen> owned;
  try {
    owned = std::make_unique<Kitchen>(point);
  } catch (const std::bad_alloc&) {
    state.SkipWithError(
        ("not enough memory for " + std::to_string(point.customers) + " orders").c_str());
    return;
  }
  Kitchen& kitchen = *owned;
  E executor(staffing);
  try {
    admit(executor,
          // The thread budget, read once, outside the clocks
          kitchen.service);
  } catch (const ResourceLimitError& e) {
    state.SkipWithError(e.what());
    return;
  }
  // A net row's connections, one per chef: opened (or reopened where unusable) outside the
  // clocks, shared by every service of the row.
  pantry::NetPantry* net = nullptr;
  if (point.net) {
    try {
      net = &row_lines(row, point.chefs);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      return;
    }
  }
  // How the executor's chefs wait for an ingredient: timers, or the row's connections.
  const Fetcher fetcher(net);
  Tally tally;
  tally.ideal_ns =
      std::chrono::duration<double, std::nano>(ideal_makespan(kitchen.service, os::usable_cores()))
          .count();
  // The threads alive before the first service (outside the clocks): the base
  // of os_threads.
  census::recount_baseline();
  std::optional<Ledger> ledger;
  if (!warmed) {
    if (const std::optional<std::string> problem = warm_up(executor, kitchen, net)) {
      state.SkipWithError(problem->c_str());
      return;
    }
    warmed = true;
  }
  const NetReading net_before = net ? read_net(*net) : NetReading{};
  const os::Usage before = os::process_usage();
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    try {
      ledger.emplace(executor.serve(kitchen.service, fetcher));
    } catch (const std::bad_alloc&) {
      state.SkipWithError(
          ("not enough memory to serve " + std::to_string(point.customers) + " orders").c_str());
      break;
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
    const auto wall = std::chrono::steady_clock::now() - t0;
    // A connection failed (the server died, say): the row says how, not the ledger's check.
    if (net) {
      if (const std::optional<std::string> fault = net->take_fault()) {
        state.SkipWithError(net_failure(*fault).c_str());
        break;
      }
    }
    // The check and the bookkeeping are not the kitchen's work: they run with
    // the clocks stopped and their CPU time and context switches are taken off
    // the row's.
    state.PauseTiming();
    const os::Usage paused = os::process_usage();
    if (const std::optional<std::string> problem = ledger->check()) {
      state.ResumeTiming();
      state.SkipWithError(problem->c_str());
      break;
    }
    tally.add(*ledger, kitchen.pantry, kitchen.service.gil,
              std::chrono::duration<double, std::nano>(wall).count());
    ledger.reset();
    kitchen.pantry.restock();
    try {
      // Connections a cancelled fetch left out of step are opened again.
      if (net) net->reopen_unusable();
    } catch (const std::exception& e) {
      state.ResumeTiming();
      state.SkipWithError(net_failure(e.what()).c_str());
      break;
    }
    const os::Usage resumed = os::process_usage();
    tally.outside.cpu_ns += resumed.cpu_ns - paused.cpu_ns;
    tally.outside.ctx_switches += resumed.ctx_switches - paused.ctx_switches;
    state.ResumeTiming();
  }
  if (state.error_occurred()) return;
  report(state, point, tally, before, os::process_usage());
  if (net) {
    report_net(state, net_before, read_net(*net), tally.wall_ns,
               static_cast<double>(state.iterations()) * point.customers);
  }
}

}  // namespace kitchen::bench
