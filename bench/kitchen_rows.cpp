#include "kitchen_rows.hpp"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/flags.hpp"
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

// What a rate's row name carries: printf's %.0f from 1 up, std::to_string's six decimals below.
std::string rate_segment(double rate) {
  char text[48];
  std::snprintf(text, sizeof text, "/rate:%.0f", rate);
  return rate >= 1 ? std::string(text) : "/rate:" + std::to_string(rate);
}

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
  if (p.pantry == PantryMode::kUnlockedAwait) name += "/pantry:unlocked_await";
  if (p.fail_rate > 0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "/fail_rate:%g", p.fail_rate);
    name += rate;
  }
  if (p.fail_fast) name += "/fail_fast";
  if (p.rate > 0) {
    name += rate_segment(p.rate);
    if (p.arrivals == ArrivalPattern::kPoisson) name += "/arrivals:poisson";
  }
  if (p.net) name += "/io:net";
  if (p.default_slack) name += "/slack:default";
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

constexpr double kSecondsPerYear = 365.25 * 24 * 3600;

std::string shown(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string where(const std::string& profile, std::uint32_t chefs) {
  return profile + " with " + std::to_string(chefs) + (chefs == 1 ? " chef" : " chefs");
}

// --arrival-rate's rates name their rows: two that read alike would give rows of one name.
void refuse_rates_named_alike(const Options& o) {
  if (!o.arrival_rate) return;
  const std::vector<double>& rates = *o.arrival_rate;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (rate_segment(rates[i]) != rate_segment(rates[j])) continue;
      throw cli::UsageError(o.open_loop_flag + ": " + shown(rates[j]) + " and " + shown(rates[i]) +
                            " would both name rows " + rate_segment(rates[i]) +
                            " (a rate is named to the whole order per second from 1 up, to six "
                            "decimals below); expected rates that differ in their names");
    }
  }
}

// The arrival rates of one point: those given, those the loads give against the point's
// ideal capacity, or a single 0 (a closed batch). Throws cli::UsageError for a point the
// kitchen cannot serve as asked.
std::vector<double> rates_of(const Options& o, const std::string& profile, const Costs& costs,
                             std::uint32_t chefs, std::uint32_t customers) {
  if (!o.arrival_rate && !o.load) return {0};
  // An open loop offers orders against what the kitchen can take; dishes that cost nothing
  // give it an infinite capacity, and every figure of the row (its load, its lag against a
  // tenth of a dish) would be infinite or 0.
  if (costs.io.count() + costs.cpu.count() == 0) {
    throw cli::UsageError(o.open_loop_flag + ": the " + profile +
                          " profile's dishes cost nothing here (0 us to fetch and 0 us to "
                          "cook), so its kitchen has no finite capacity to offer orders "
                          "against; expected a profile other than overhead, or --io-us or "
                          "--cpu-us above 0");
  }
  const double capacity = ideal_capacity(costs, chefs, os::usable_cores());
  std::vector<double> rates;
  if (o.arrival_rate) {
    rates = *o.arrival_rate;
  } else {
    for (const double load : *o.load) {
      // Rates are whole orders per second (the rows are named by them): a load under one
      // order per second would round to 0, a closed batch that the row would not say it is.
      if (load * capacity < 1) {
        char text[300];
        std::snprintf(text, sizeof text,
                      ": a load of %g at %s (ideal capacity %.4g dishes/s) is %.3g orders per "
                      "second; expected loads of at least %.3g there (1 order per second)",
                      load, where(profile, chefs).c_str(), capacity, load * capacity, 1 / capacity);
        throw cli::UsageError(o.open_loop_flag + text);
      }
      const double rate = std::round(load * capacity);
      for (std::size_t j = 0; j < rates.size(); ++j) {
        if (rates[j] != rate) continue;
        throw cli::UsageError(o.open_loop_flag + ": " + shown((*o.load)[j]) + " and " +
                              shown(load) + " both give " + shown(rate) + " orders per second at " +
                              where(profile, chefs) +
                              "; expected loads that give rates of their own");
      }
      rates.push_back(rate);
    }
  }
  // Arrival times are nanoseconds from the opening on a clock that counts about 146 years.
  for (std::size_t i = 0; i < rates.size(); ++i) {
    const double span_ns = longest_schedule_ns(customers, rates[i], o.arrivals);
    if (span_ns <= kMaxServiceNs) continue;
    char text[300];
    std::snprintf(text, sizeof text,
                  ": %u orders at %g per second could arrive over %.3g years, past the %.0f "
                  "years the clock counts from the opening; expected a rate of at least %.3g "
                  "for %u customers",
                  customers, rates[i], span_ns / 1e9 / kSecondsPerYear,
                  kMaxServiceNs / 1e9 / kSecondsPerYear, rates[i] * span_ns / kMaxServiceNs,
                  customers);
    throw cli::UsageError(o.open_loop_flag + text);
  }
  return rates;
}

// Ledger times are nanoseconds from the opening, on a clock that counts about 146 years: a
// service whose orders, cooked one after another, could outlast it is refused.
void refuse_service_past_the_clock(const Costs& costs, std::uint32_t customers) {
  const double serial_ns = static_cast<double>((costs.io + costs.cpu).count()) *
                           static_cast<double>(max_ingredients()) * customers;
  if (serial_ns <= kMaxServiceNs) return;
  const double per_order_ns = serial_ns / customers;
  char text[300];
  std::snprintf(text, sizeof text,
                "--customers=%u: at %lld us to fetch and %lld us to cook per ingredient, a "
                "service of %u orders could last %.3g years, past the %.0f years the clock "
                "counts; expected at most %.0f customers at these costs",
                customers, static_cast<long long>(in_us(costs.io)),
                static_cast<long long>(in_us(costs.cpu)), customers,
                serial_ns / 1e9 / kSecondsPerYear, kMaxServiceNs / 1e9 / kSecondsPerYear,
                std::floor(kMaxServiceNs / per_order_ns));
  throw cli::UsageError(text);
}

// One row, planned before any is registered.
struct Planned {
  std::string name;
  std::string executor;
  Point point;
};

}  // namespace

int register_kitchen_rows(const Options& o, std::string& notes) {
  int left_out = 0;
  const bool costs_named = o.io_us || o.cpu_us;
  const bool built_in_grid = !o.chefs && !o.customers;
  refuse_rates_named_alike(o);
  std::vector<Planned> planned;
  for (const std::string& profile_name : o.profiles) {
    const Profile profile = *find_profile(profile_name);
    std::vector<Cell> grid = o.quick ? quick_grid(profile.name) : default_grid(profile.name);
    if (o.chefs || o.customers) grid = custom_grid(grid, o.chefs, o.customers);
    for (const Cell& cell : grid) {
      for (const Costs& costs : costs_of(profile, o)) {
        refuse_service_past_the_clock(costs, cell.customers);
        const std::vector<double> rates =
            rates_of(o, profile_name, costs, cell.chefs, cell.customers);
        for (const bool gil : o.gil) {
          for (const std::string& io : o.io) {
            for (const bool default_slack : o.default_slack) {
              for (const double rate : rates) {
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
                                  .net = io == "net",
                                  .default_slack = default_slack};
                for (const std::string& executor : o.executors) {
                  visit_executor(executor, [&]<Executor E>() {
                    // An open loop cannot make a one-dish-at-a-time kitchen faster than
                    // serving one after another: the same budget holds for its rows.
                    if ((built_in_grid || rate > 0) && too_slow_for_a_sweep<E>(point)) {
                      ++left_out;
                      return;
                    }
                    planned.push_back({row_name(executor, point, costs_named), executor, point});
                  });
                }
              }
            }
          }
        }
      }
    }
  }
  // Google Benchmark would mix the repetitions of two rows of one name into one set of
  // aggregates. The flags' own checks leave none; this says so if one slipped through.
  for (std::size_t i = 0; i < planned.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (planned[i].name != planned[j].name) continue;
      throw cli::UsageError("two rows would be named " + planned[i].name +
                            "; expected flags whose values give rows of their own");
    }
  }
  int rows = 0;
  for (const Planned& p : planned) {
    visit_executor(p.executor, [&]<Executor E>() {
      ++rows;
      benchmark::RegisterBenchmark(
          p.name.c_str(),
          [point = p.point, staffing = o.staffing, row = rows, progress = Progress(p.name),
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
