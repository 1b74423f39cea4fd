#include "options.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flag_table.hpp"
#include "cli/flags.hpp"
#include "executors/catalogue.hpp"

namespace kitchen::bench {

namespace {

std::vector<std::uint32_t> narrow(const std::vector<std::uint64_t>& values) {
  return std::vector<std::uint32_t>(values.begin(), values.end());
}

std::vector<bool> is_each(const std::vector<std::string>& names, std::string_view yes) {
  std::vector<bool> each;
  for (const std::string& name : names) each.push_back(name == yes);
  return each;
}

PantryMode pantry_mode(const std::string& mode) {
  return mode == "locked"     ? PantryMode::kLocked
         : mode == "unlocked" ? PantryMode::kUnlocked
                              : PantryMode::kUnlockedAwait;
}

// bench_kitchen's flags, in the order of its --help, each applied to `o`; their names, ranges
// and defaults are the flag table's (cli/flag_table.hpp).
std::vector<cli::FlagUse> uses(Options& o) {
  using V = cli::FlagValue;
  return {
      {"--executors", [&o](const V& v) { o.executors = v.names; }},
      {"--profiles", [&o](const V& v) { o.profiles = v.names; }},
      {"--chefs", [&o](const V& v) { o.chefs = narrow(v.wholes); }},
      {"--customers", [&o](const V& v) { o.customers = narrow(v.wholes); }},
      {"--io-us", [&o](const V& v) { o.io_us = v.wholes; }},
      {"--cpu-us", [&o](const V& v) { o.cpu_us = v.wholes; }},
      {"--seed", [&o](const V& v) { o.seed = v.wholes.front(); }},
      {"--quick", [&o](const V&) { o.quick = true; }},
      {"--gil", [&o](const V& v) { o.gil = is_each(v.names, "on"); }},
      {"--gil-switch-us",
       [&o](const V& v) { o.gil_switch = std::chrono::microseconds(v.wholes.front()); }},
      {"--pantry", [&o](const V& v) { o.pantry = pantry_mode(v.names.front()); }},
      {"--fail-rate", [&o](const V& v) { o.fail_rate = v.numbers.front(); }},
      {"--fail-fast", [&o](const V&) { o.fail_fast = true; }},
      {"--max-threads",
       [&o](const V& v) { o.staffing.max_threads = static_cast<std::int64_t>(v.wholes.front()); }},
      {"--stack-kib", [&o](const V& v) { o.staffing.stack_bytes = v.wholes.front() * 1024; }},
      {"--loop-threads",
       [&o](const V& v) { o.staffing.loop_threads = static_cast<unsigned>(v.wholes.front()); }},
      {"--fiber-stack-kib",
       [&o](const V& v) { o.staffing.fiber_stack_bytes = v.wholes.front() * 1024; }},
      {"--fiber-stack-guard", [&o](const V&) { o.staffing.fiber_guard_page = true; }},
      {"--arrival-rate",
       [&o](const V& v) {
         o.arrival_rate = v.numbers;
         o.open_loop_flag = v.shown;
       }},
      {"--load",
       [&o](const V& v) {
         o.load = v.numbers;
         o.open_loop_flag = v.shown;
       }},
      {"--arrivals",
       [&o](const V& v) {
         o.arrivals =
             v.names.front() == "fixed" ? ArrivalPattern::kFixed : ArrivalPattern::kPoisson;
       }},
      {"--io", [&o](const V& v) { o.io = v.names; }},
      {"--payload-bytes",
       [&o](const V& v) { o.payload_bytes = static_cast<std::uint32_t>(v.wholes.front()); }},
      {"--timer-slack", [&o](const V& v) { o.default_slack = is_each(v.names, "default"); }},
      {"--mechanisms", [&o](const V&) { o.mechanisms = true; }},
      {"--task-state-bytes", [&o](const V& v) { o.task_state_bytes = v.wholes.front(); }},
  };
}

}  // namespace

std::string options_help() {
  Options unused;
  return "\nkitchen bench flags (each list is comma-separated, no value twice):\n" +
         cli::flags_help(uses(unused)) +
         R"(  --flags-json       print this table of flags as JSON and exit (given alone)
Rows are named kitchen/<executor>/<profile>/chefs:<C>/customers:<N> (docs/bench_kitchen.md).
Mechanism rows: spawn/<kind>, switch/<kind>, timer/<kind>/wait_us:<W>/slack:<S> (registered when
--benchmark_filter or --mechanisms is given) and memory/<kind>/tasks:<N> (registered when the
filter names "memory" or --mechanisms is given; threads up to 10000, or to --max-threads, never
past the OS thread budget). All of them: --benchmark_filter='^(spawn|switch|memory|timer)/'
Executors:
)" + executor_table();
}

Options parse_options(int argc, char** argv) {
  Options o;
  // --executors defaults to the whole catalogue, which the table cannot write as a value.
  for (std::string_view name : kExecutorNames) o.executors.emplace_back(name);
  const std::vector<cli::FlagUse> flags = uses(o);
  cli::parse_flags(argc, argv, flags);
  if (o.arrival_rate && o.load) {
    throw cli::UsageError("--arrival-rate and --load both set the arrival rate; give one of them");
  }
  // The fiber stack flags shape only the fiber executors' rows (and their floors).
  const bool fibers = std::any_of(o.executors.begin(), o.executors.end(), [](const auto& name) {
    return std::any_of(kCatalogue.begin(), kCatalogue.end(),
                       [&](const Listing& e) { return e.name == name && e.side == "fibers"; });
  });
  if (!fibers && (o.staffing.fiber_stack_bytes > 0 || o.staffing.fiber_guard_page)) {
    throw cli::UsageError(
        std::string(o.staffing.fiber_stack_bytes > 0 ? "--fiber-stack-kib"
                                                     : "--fiber-stack-guard") +
        " shapes only the fiber executors' stacks, and --executors names none of them; add one "
        "of the side 'fibers' or drop the flag");
  }
  return o;
}

}  // namespace kitchen::bench
