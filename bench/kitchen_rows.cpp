#include "kitchen_rows.hpp"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "executors/catalogue.hpp"
#include "kitchen/arrivals.hpp"
#include "kitchen/menu.hpp"
#include "kitchen/profiles.hpp"
#include "net_rows.hpp"
#include "os/cores.hpp"
#include "pantry/uring_probe.hpp"
#include "service_bench.hpp"
#include "sweep.hpp"

namespace kitchen::bench {
namespace {

std::string row_name(std::string_view executor, const Point& p, bool costs_named) {
  std::string name = "kitchen/" + std::string(executor) + "/" + p.profile +
                     "/chefs:" + std::to_string(p.chefs) +
                     "/customers:" + std::to_string(p.customers);
  if (costs_named) {
    name += "/io_us:" + std::to_string(p.costs.io.count() / 1000) +
            "/cpu_us:" + std::to_string(p.costs.cpu.count() / 1000);
  }
  if (p.gil) name += "/gil";
  if (p.pantry == PantryMode::kUnlocked) name += "/pantry:unlocked";
  if (p.fail_rate > 0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "/fail_rate:%g", p.fail_rate);
    name += rate;
  }
  if (p.fail_fast) name += "/fail_fast";
  if (p.rate > 0) {
    char rate[48];
    std::snprintf(rate, sizeof rate, "/rate:%.0f", p.rate);
    name += p.rate >= 1 ? std::string(rate) : "/rate:" + std::to_string(p.rate);
    if (p.arrivals == ArrivalPattern::kPoisson) name += "/arrivals:poisson";
  }
  if (p.net) name += "/io:net";
  // bench_kitchen_uring's rows never share a name with bench_kitchen's.
  if (pantry::asio_reactor() != "epoll") name += "/reactor:" + std::string(pantry::asio_reactor());
  return name;
}

std::uint64_t in_us(std::chrono::nanoseconds d) {
  return static_cast<std::uint64_t>(d.count() / 1000);
}

// The profile's costs, with --io-us / --cpu-us crossed in where given.
std::vector<Costs> costs_of(const Profile& profile, const Options& o) {
  const std::vector<std::uint64_t> io = o.io_us ? *o.io_us : std::vector{in_us(profile.costs.io)};
  const std::vector<std::uint64_t> cpu =
      o.cpu_us ? *o.cpu_us : std::vector{in_us(profile.costs.cpu)};
  std::vector<Costs> all;
  for (std::uint64_t i : io) {
    for (std::uint64_t c : cpu) {
      all.push_back({std::chrono::microseconds(i), std::chrono::microseconds(c)});
    }
  }
  return all;
}

// With stdout redirected (to a JSON file, say) and stderr on a terminal,
// nothing would show that a long sweep is moving: each row then says on stderr
// when it starts. On a console run Google Benchmark's own lines are the
// progress, and nothing is added.
class Progress {
 public:
  explicit Progress(std::string name) : name_(std::move(name)) {}
  void starting() {
    if (said_ || !wanted()) return;
    said_ = true;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start()).count();
    std::fprintf(stderr, "bench_kitchen: %6.1f s  %s\n", elapsed, name_.c_str());
  }

 private:
  using Clock = std::chrono::steady_clock;
  static Clock::time_point start() {
    static const Clock::time_point at = Clock::now();
    return at;
  }
  static bool wanted() {
    static const bool wanted = ::isatty(STDERR_FILENO) && !::isatty(STDOUT_FILENO);
    return wanted;
  }
  std::string name_;
  // A row's function runs several times: say it once
  bool said_ = false;
};

// An executor that serves one dish at a time whatever the chefs (the
// catalogue says which) runs in the built-in sweeps only where that takes at
// most a quarter of a second: enough to show what it is, since its figures do
// not depend on the chefs (a custom grid runs all).
constexpr std::chrono::milliseconds kSerialBudget{250};

template <Executor E>
bool too_slow_for_a_sweep(const Point& p) {
  if (!kListingOf<E>.one_at_a_time) return false;
  const auto serial = (p.costs.io + p.costs.cpu) * static_cast<std::int64_t>(max_ingredients()) *
                      static_cast<std::int64_t>(p.customers);
  return serial > kSerialBudget;
}

// The arrival rates of one point: those given, those the loads give against the
// point's ideal capacity, or a single 0 (a closed batch).
std::vector<double> rates_of(const Options& o, const Costs& costs, std::uint32_t chefs) {
  if (o.arrival_rate) return *o.arrival_rate;
  if (!o.load) return {0};
  const double capacity = ideal_capacity(costs, chefs, os::usable_cores());
  std::vector<double> rates;
  for (const double load : *o.load) rates.push_back(std::round(load * capacity));
  return rates;
}

}  // namespace

int register_kitchen_rows(const Options& o, std::string& notes) {
  int rows = 0;
  int left_out = 0;
  const bool costs_named = o.io_us || o.cpu_us;
  const bool built_in_grid = !o.chefs && !o.customers;
  for (const std::string& profile_name : o.profiles) {
    const Profile profile = *find_profile(profile_name);
    std::vector<Cell> grid = o.quick ? quick_grid(profile.name) : default_grid(profile.name);
    if (o.chefs || o.customers) grid = custom_grid(grid, o.chefs, o.customers);
    for (const Cell& cell : grid) {
      for (const Costs& costs : costs_of(profile, o)) {
        for (const bool gil : o.gil) {
          for (const std::string& io : o.io) {
            for (const double rate : rates_of(o, costs, cell.chefs)) {
              const Point point{.profile = profile_name,
                                .costs = costs,
                                .chefs = cell.chefs,
                                .customers = cell.customers,
                                .seed = o.seed,
                                .gil = gil,
                                .gil_switch = o.gil_switch,
                                .pantry = o.pantry,
                                .fail_rate = o.fail_rate,
                                .fail_fast = o.fail_fast,
                                .rate = rate,
                                .arrivals = o.arrivals,
                                .net = io == "net"};
              for (const std::string& executor : o.executors) {
                visit_executor(executor, [&]<Executor E>() {
                  // An open loop cannot make a one-dish-at-a-time kitchen faster than
                  // serving one after another: the same budget holds for its rows.
                  if ((built_in_grid || rate > 0) && too_slow_for_a_sweep<E>(point)) {
                    ++left_out;
                    return;
                  }
                  ++rows;
                  const std::string name = row_name(executor, point, costs_named);
                  benchmark::RegisterBenchmark(
                      name.c_str(),
                      [point, staffing = o.staffing, row = rows, progress = Progress(name),
                       warmed = false](benchmark::State& state) mutable {
                        progress.starting();
                        // bench_kitchen_uring where io_uring is refused: every row says why.
                        if (const std::optional<std::string>& why = reactor_refusal()) {
                          state.SkipWithError(("io_uring cannot be used: " + *why).c_str());
                          return;
                        }
                        serve_benchmark<E>(state, point, staffing, warmed, row);
                      })
                      ->UseRealTime()
                      ->MeasureProcessCPUTime()
                      ->Unit(benchmark::kMillisecond);
                });
              }
            }
          }
        }
      }
    }
  }
  if (left_out > 0) {
    char note[200];
    std::snprintf(note, sizeof note,
                  "bench_kitchen: left out %d rows of executors that serve one dish at a time, "
                  "each of which would take over %lld ms; --chefs/--customers run them\n",
                  left_out, static_cast<long long>(kSerialBudget.count()));
    notes += note;
  }
  return rows;
}

}  // namespace kitchen::bench
