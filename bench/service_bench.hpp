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
#include "point.hpp"

namespace kitchen::bench {

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

// Everything a row's services share: the orders, their failures, the GIL and the pantry.
struct RowKitchen {
  explicit RowKitchen(const Point& point);

  std::vector<Order> orders;
  std::vector<std::int8_t> failures;
  std::vector<std::chrono::nanoseconds> arrivals;
  std::optional<Gil> gil;
  Pantry pantry;
  Service service;
};

// What a kitchen row keeps from one call of its function to the next (Google Benchmark calls it
// once per repetition, and more to size the iterations); its registered function owns it.
struct RowRun {
  // Set once the row's first call has served a service before the clocks start, checked it and
  // discarded it: the first service of a process pays for cold caches, page faults and lazy
  // start-up that later ones do not.
  bool warmed = false;
  // A net row's connections, one per chef; none on a timer row.
  std::unique_ptr<RowConnections> connections;
};

// The readings a row's counters are taken between.
struct Readings {
  os::Usage usage;
  NetReading net;
};

// One service outside the clocks, checked like a timed one and then forgotten; what went wrong,
// if anything.
template <Executor E>
std::optional<std::string> warm_up(E& executor, RowKitchen& kitchen, pantry::NetPantry* net,
                                   const PantryHost* host) {
  try {
    const Ledger ledger = executor.serve(kitchen.service, Fetcher(net));
    if (net) {
      if (std::optional<std::string> fault = net->take_fault()) return host->net_failure(*fault);
    }
    if (std::optional<std::string> problem = ledger.check()) return "warm-up: " + *problem;
    kitchen.pantry.restock();
    if (net) net->reopen_unusable();
  } catch (const std::bad_alloc&) {
    return "not enough memory to serve " + std::to_string(kitchen.orders.size()) + " orders";
  } catch (const std::exception& e) {
    return net ? host->net_failure(e.what()) : std::string(e.what());
  }
  return std::nullopt;
}

// Step 1, before the clocks: the thread budget, a net row's connections (opened, or the
// unusable ones reopened) and the warm-up of the row's first call. Why the row cannot run, or
// nothing; `net` is left pointing at the row's connections.
template <Executor E>
std::optional<std::string> prepare(E& executor, RowKitchen& kitchen, RowRun& row,
                                   pantry::NetPantry*& net) {
  try {
    // The thread budget, read once, outside the clocks
    admit(executor, kitchen.service);
  } catch (const ResourceLimitError& e) {
    return e.what();
  }
  const PantryHost* host = row.connections ? &row.connections->host() : nullptr;
  if (row.connections) {
    try {
      net = &row.connections->open();
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  // The threads alive before the first service (outside the clocks): the base of os_threads.
  census::recount_baseline();
  if (!row.warmed) {
    if (std::optional<std::string> problem = warm_up(executor, kitchen, net, host)) return problem;
    row.warmed = true;
  }
  return std::nullopt;
}

// Step 2, one timed service: served, then checked and added to the tally with the clocks
// stopped (the check and the bookkeeping are not the kitchen's work, so their CPU time and
// context switches are taken off the row's). Why the row ends as an error, or nothing.
template <Executor E>
std::optional<std::string> serve_one(benchmark::State& state, E& executor, RowKitchen& kitchen,
                                     pantry::NetPantry* net, const PantryHost* host, Tally& tally) {
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<Ledger> ledger;
  try {
    // How the chefs wait for an ingredient: timers, or the row's connections.
    ledger.emplace(executor.serve(kitchen.service, Fetcher(net)));
  } catch (const std::bad_alloc&) {
    return "not enough memory to serve " + std::to_string(kitchen.orders.size()) + " orders";
  } catch (const std::exception& e) {
    return e.what();
  }
  const auto wall = std::chrono::steady_clock::now() - t0;
  // A connection failed (the server died, say): the row says how, not the ledger's check.
  if (net) {
    if (const std::optional<std::string> fault = net->take_fault()) {
      return host->net_failure(*fault);
    }
  }
  state.PauseTiming();
  const os::Usage paused = os::process_usage();
  if (std::optional<std::string> problem = ledger->check()) {
    state.ResumeTiming();
    return problem;
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
    return host->net_failure(e.what());
  }
  const os::Usage resumed = os::process_usage();
  tally.outside.cpu_ns += resumed.cpu_ns - paused.cpu_ns;
  tally.outside.ctx_switches += resumed.ctx_switches - paused.ctx_switches;
  state.ResumeTiming();
  return std::nullopt;
}

// Step 3: the row's counters, from the tally and what the readings grew by.
void account(benchmark::State& state, const Point& point, const Tally& tally,
             const Readings& before, const pantry::NetPantry* net, const PantryHost* host);

// One kitchen row's function: prepare, then one service per iteration, then account. A point
// too large for the machine (orders, records) or a refused resource is an error row, not a
// crash.
template <Executor E>
void serve_benchmark(benchmark::State& state, const Point& point, const Staffing& staffing,
                     RowRun& row) {
  // Threads inherit the slack of the thread that starts them, and the event loops run on this
  // one: set here, it holds for every thread of the row's services (0: the system default).
  std::optional<SlackScope> slack;
  if (point.default_slack) slack.emplace(std::chrono::nanoseconds(0));
  std::unique_ptr<RowKitchen> kitchen;
  try {
    kitchen = std::make_unique<RowKitchen>(point);
  } catch (const std::bad_alloc&) {
    state.SkipWithError(
        ("not enough memory for " + std::to_string(point.customers) + " orders").c_str());
    return;
  }
  E executor(staffing);
  pantry::NetPantry* net = nullptr;
  if (std::optional<std::string> problem = prepare(executor, *kitchen, row, net)) {
    state.SkipWithError(problem->c_str());
    return;
  }
  const PantryHost* host = row.connections ? &row.connections->host() : nullptr;
  Tally tally;
  tally.ideal_ns =
      std::chrono::duration<double, std::nano>(ideal_makespan(kitchen->service, os::usable_cores()))
          .count();
  Readings before;
  before.net = net ? host->read(*net) : NetReading{};
  before.usage = os::process_usage();
  for (auto _ : state) {
    if (std::optional<std::string> problem =
            serve_one(state, executor, *kitchen, net, host, tally)) {
      state.SkipWithError(problem->c_str());
      break;
    }
  }
  if (state.error_occurred()) return;
  account(state, point, tally, before, net, host);
}

}  // namespace kitchen::bench
