#include "plan.hpp"

#include <algorithm>
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
#include "sweep.hpp"

namespace kitchen::bench {
namespace {

// An executor that serves one dish at a time whatever the chefs (the catalogue says which) runs
// in the built-in sweeps only where that takes at most a quarter of a second: enough to show
// what it is, since its figures do not depend on the chefs (a custom grid runs all).
constexpr std::chrono::milliseconds kSerialBudget{250};

constexpr double kSecondsPerYear = 365.25 * 24 * 3600;

// What a rate's row name carries: printf's %.0f from 1 up, std::to_string's six decimals below.
std::string rate_segment(double rate) {
  char text[48];
  std::snprintf(text, sizeof text, "/rate:%.0f", rate);
  return rate >= 1 ? std::string(text) : "/rate:" + std::to_string(rate);
}

std::string row_name(std::string_view executor, const Point& p, bool costs_named,
                     std::string_view reactor) {
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
  if (reactor != "epoll") name += "/reactor:" + std::string(reactor);
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

bool one_at_a_time(std::string_view executor) {
  const auto it = std::find_if(kCatalogue.begin(), kCatalogue.end(),
                               [&](const Listing& l) { return l.name == executor; });
  return it != kCatalogue.end() && it->one_at_a_time;
}

bool too_slow_for_a_sweep(std::string_view executor, const Point& p) {
  if (!one_at_a_time(executor)) return false;
  const auto serial = (p.costs.io + p.costs.cpu) * static_cast<std::int64_t>(max_ingredients()) *
                      static_cast<std::int64_t>(p.customers);
  return serial > kSerialBudget;
}

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

// The whole orders per second that --load's fractions give against a point's ideal capacity.
std::vector<double> rates_of_loads(const Options& o, const std::string& profile,
                                   std::uint32_t chefs, double capacity) {
  std::vector<double> rates;
  for (const double load : *o.load) {
    // Rates are whole orders per second (the rows are named by them): a load under one order
    // per second would round to 0, a closed batch that the row would not say it is.
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
      throw cli::UsageError(o.open_loop_flag + ": " + shown((*o.load)[j]) + " and " + shown(load) +
                            " both give " + shown(rate) + " orders per second at " +
                            where(profile, chefs) +
                            "; expected loads that give rates of their own");
    }
    rates.push_back(rate);
  }
  return rates;
}

// Arrival times are nanoseconds from the opening on a clock that counts about 146 years.
void refuse_schedules_past_the_clock(const Options& o, const std::vector<double>& rates,
                                     std::uint32_t customers) {
  for (const double rate : rates) {
    const double span_ns = longest_schedule_ns(customers, rate, o.arrivals);
    if (span_ns <= kMaxServiceNs) continue;
    char text[300];
    std::snprintf(text, sizeof text,
                  ": %u orders at %g per second could arrive over %.3g years, past the %.0f "
                  "years the clock counts from the opening; expected a rate of at least %.3g "
                  "for %u customers",
                  customers, rate, span_ns / 1e9 / kSecondsPerYear,
                  kMaxServiceNs / 1e9 / kSecondsPerYear, rate * span_ns / kMaxServiceNs, customers);
    throw cli::UsageError(o.open_loop_flag + text);
  }
}

// The arrival rates of one point: those given, those the loads give against the point's ideal
// capacity, or a single 0 (a closed batch).
std::vector<double> rates_of(const Options& o, const std::string& profile, const Costs& costs,
                             const Cell& cell, unsigned cores) {
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
  const std::vector<double> rates =
      o.arrival_rate
          ? *o.arrival_rate
          : rates_of_loads(o, profile, cell.chefs, ideal_capacity(costs, cell.chefs, cores));
  refuse_schedules_past_the_clock(o, rates, cell.customers);
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

// Where a point sits: its profile, its chefs x customers and its costs.
struct Setting {
  std::string profile;
  Cell cell;
  Costs costs;
};

std::vector<Setting> settings_of(const Options& o, unsigned cores) {
  std::vector<Setting> settings;
  for (const std::string& profile_name : o.profiles) {
    const Profile profile = *find_profile(profile_name);
    std::vector<Cell> grid = o.quick ? quick_grid(profile.name) : default_grid(profile.name, cores);
    if (o.chefs || o.customers) grid = custom_grid(grid, o.chefs, o.customers);
    for (const Cell& cell : grid) {
      for (const Costs& costs : costs_of(profile, o))
        settings.push_back({profile_name, cell, costs});
    }
  }
  return settings;
}

// How a setting is served: with the GIL emulated or not, on timers or sockets, at which slack.
struct Variant {
  bool gil;
  bool net;
  bool default_slack;
};

std::vector<Variant> variants_of(const Options& o) {
  std::vector<Variant> variants;
  for (const bool gil : o.gil) {
    for (const std::string& io : o.io) {
      for (const bool default_slack : o.default_slack) {
        variants.push_back({gil, io == "net", default_slack});
      }
    }
  }
  return variants;
}

Point point_of(const Options& o, const Setting& s, const Variant& v, double rate) {
  return {.profile = s.profile,
          .costs = s.costs,
          .chefs = s.cell.chefs,
          .customers = s.cell.customers,
          .seed = o.seed,
          .gil = v.gil,
          .gil_switch = o.gil_switch,
          .pantry = o.pantry,
          .fail_rate = o.fail_rate,
          .fail_fast = o.fail_fast,
          .rate = rate,
          .arrivals = o.arrivals,
          .net = v.net,
          .default_slack = v.default_slack};
}

// Google Benchmark would mix the repetitions of two rows of one name into one set of
// aggregates. The flags' own checks leave none; this says so if one slipped through.
void refuse_rows_named_alike(const std::vector<PlannedRow>& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (rows[i].name != rows[j].name) continue;
      throw cli::UsageError("two rows would be named " + rows[i].name +
                            "; expected flags whose values give rows of their own");
    }
  }
}

}  // namespace

RowPlan plan_rows(const Options& o, const Machine& machine) {
  const bool costs_named = o.io_us || o.cpu_us;
  const bool built_in_grid = !o.chefs && !o.customers;
  refuse_rates_named_alike(o);
  const std::vector<Variant> variants = variants_of(o);
  RowPlan plan;
  for (const Setting& setting : settings_of(o, machine.cores)) {
    refuse_service_past_the_clock(setting.costs, setting.cell.customers);
    const std::vector<double> rates =
        rates_of(o, setting.profile, setting.costs, setting.cell, machine.cores);
    for (const Variant& variant : variants) {
      for (const double rate : rates) {
        const Point point = point_of(o, setting, variant, rate);
        for (const std::string& executor : o.executors) {
          // An open loop cannot make a one-dish-at-a-time kitchen faster than serving one
          // after another: the same budget holds for its rows.
          if ((built_in_grid || rate > 0) && too_slow_for_a_sweep(executor, point)) {
            ++plan.left_out;
            continue;
          }
          plan.rows.push_back(
              {row_name(executor, point, costs_named, machine.reactor), executor, point});
        }
      }
    }
  }
  refuse_rows_named_alike(plan.rows);
  return plan;
}

std::string left_out_note(const RowPlan& plan) {
  if (plan.left_out == 0) return "";
  char note[200];
  std::snprintf(note, sizeof note,
                "bench_kitchen: left out %d rows of executors that serve one dish at a time, "
                "each of which would take over %lld ms; --chefs/--customers run them\n",
                plan.left_out, static_cast<long long>(kSerialBudget.count()));
  return note;
}

}  // namespace kitchen::bench
