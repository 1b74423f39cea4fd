#include "options.hpp"

#include <array>
#include <string>

#include "cli/flags.hpp"
#include "executors/catalogue.hpp"
#include "kitchen/profiles.hpp"

namespace kitchen::bench {

std::string options_help() {
  return R"(
kitchen bench flags (each list is comma-separated):
  --executors=LIST   )" +
         executor_list() + R"( (default: all)
  --profiles=LIST    io,cpu,mixed,overhead (default: io,cpu,mixed); per ingredient:
                     io = 1000 us wait / 0 us work, cpu = 0 / 200, mixed = 500 / 50, overhead = 0 / 0
  --chefs=LIST       dishes in preparation at once, 1..100000 (default: the profile's grid);
                     no value twice in any list
  --customers=LIST   orders per service, 1..100000000 (default: the profile's grid)
  --io-us=LIST       override the profile's wait per ingredient, 0..10000000 us
  --cpu-us=LIST      override the profile's work per ingredient, 0..10000000 us
  --seed=N           seed of the orders, 0..2^64-1 (default 1)
  --quick            a small sweep (under 30 s on 2 cores) with --benchmark_min_time=0.01
  --gil=LIST         off,on: emulate CPython's GIL around the CPU work (default: off)
  --gil-switch-us=N  the emulated GIL's switch interval, 1..1000000 us (default 5000, CPython's)
  --pantry=MODE      locked, unlocked or unlocked_await: how the shared pantry stock is updated
                     (default: locked); unlocked_await reads it before the ingredient's fetch
                     and writes it after its step, as a coroutine awaiting inside the update
  --fail-rate=P      probability 0..1 that an ingredient is out of stock (default 0)
  --fail-fast        the first failure cancels every order still waiting or cooking
  --max-threads=N    threads an executor or the memory rows may start, 1..10000000
                     (default: what the OS allows)
  --stack-kib=N      stack of each thread of a thread-per-order executor, 16..1048576 KiB
                     (default: system)
  --loop-threads=N   threads running a multi-threaded event loop, 1..1024 (default: one per
                     usable core)
  --arrival-rate=LIST  open loop: orders arrive at this rate, per second, 0.000001..10000000
                     (rows carry /rate:R); latency runs from each order's arrival time
                     (default: every order is placed at open); the schedule must fit in the
                     clock's 146 years, and the dishes must cost something (not overhead)
  --load=LIST        open loop at these fractions of each point's ideal capacity (0.5: half),
                     above 0 and up to 100, each giving at least 1 order per second and a
                     rate of its own; not with --arrival-rate
  --arrivals=KIND    fixed (evenly spaced, the default) or poisson (seeded exponential gaps)
  --io=LIST          timer,net: how a fetch waits: a sleep or a timer (timer, the default), or a
                     request and its reply from the pantry server over loopback TCP (net: rows
                     carry /io:net; the server is started for them)
  --payload-bytes=N  the payload of each reply on net rows, 1..1048576 (default 64)
  --timer-slack=LIST 1ns,default: the timer slack the kitchen's threads run with: the suite's
                     1 ns for every executor alike (the default), or the system's default that
                     real programs get (rows carry /slack:default)
  --mechanisms       also run the mechanism families, memory included (see below)
  --task-state-bytes=N
                     live state each idle task of the memory rows holds, 0..1048576 (default 0)
Rows are named kitchen/<executor>/<profile>/chefs:<C>/customers:<N>; see the README for counters.
Mechanism rows: spawn/<kind>, switch/<kind>, timer/<kind>/wait_us:<W>/slack:<S> (registered when
--benchmark_filter or --mechanisms is given) and memory/<kind>/tasks:<N> (registered when the
filter names "memory" or --mechanisms is given; threads up to 10000, or to --max-threads, never
past the OS thread budget). All of them: --benchmark_filter='^(spawn|switch|memory|timer)/'
Executors:
)" + executor_table();
}

namespace {

std::vector<std::uint32_t> narrow(const std::vector<std::uint64_t>& values) {
  return std::vector<std::uint32_t>(values.begin(), values.end());
}

std::string shown(const cli::Flag& f) { return std::string(f.name) + "=" + std::string(f.value); }

}  // namespace

Options parse_options(int argc, char** argv) {
  using namespace cli;
  Options o;
  for (std::string_view name : kExecutorNames) o.executors.emplace_back(name);
  o.profiles = {"io", "cpu", "mixed"};
  constexpr std::array<std::string_view, 2> kOnOff = {"off", "on"};
  constexpr std::array<std::string_view, 3> kPantryModes = {"locked", "unlocked", "unlocked_await"};
  constexpr std::array<std::string_view, 2> kArrivals = {"fixed", "poisson"};
  constexpr std::array<std::string_view, 2> kIoModes = {"timer", "net"};
  constexpr std::array<std::string_view, 2> kSlacks = {"1ns", "default"};
  const FlagRule rules[] = {
      {"--executors", [&](const Flag& f) { o.executors = parse_name_list(f, kExecutorNames); }},
      {"--profiles", [&](const Flag& f) { o.profiles = parse_name_list(f, kProfileNames); }},
      {"--chefs", [&](const Flag& f) { o.chefs = narrow(parse_uint_list(f, 1, 100'000)); }},
      {"--customers",
       [&](const Flag& f) { o.customers = narrow(parse_uint_list(f, 1, 100'000'000)); }},
      {"--io-us", [&](const Flag& f) { o.io_us = parse_uint_list(f, 0, 10'000'000); }},
      {"--cpu-us", [&](const Flag& f) { o.cpu_us = parse_uint_list(f, 0, 10'000'000); }},
      {"--seed", [&](const Flag& f) { o.seed = parse_uint(f, 0, UINT64_MAX); }},
      {"--gil",
       [&](const Flag& f) {
         o.gil.clear();
         for (const std::string& mode : parse_name_list(f, kOnOff)) o.gil.push_back(mode == "on");
       }},
      {"--gil-switch-us",
       [&](const Flag& f) {
         o.gil_switch = std::chrono::microseconds(parse_uint(f, 1, 1'000'000));
       }},
      {"--pantry",
       [&](const Flag& f) {
         const std::string mode = parse_name(f, kPantryModes);
         o.pantry = mode == "locked"     ? PantryMode::kLocked
                    : mode == "unlocked" ? PantryMode::kUnlocked
                                         : PantryMode::kUnlockedAwait;
       }},
      {"--fail-rate", [&](const Flag& f) { o.fail_rate = parse_fraction(f, 0.0, 1.0); }},
      {"--fail-fast",
       [&](const Flag& f) {
         expect_no_value(f);
         o.fail_fast = true;
       }},
      {"--quick",
       [&](const Flag& f) {
         expect_no_value(f);
         o.quick = true;
       }},
      {"--max-threads",
       [&](const Flag& f) {
         o.staffing.max_threads = static_cast<std::int64_t>(parse_uint(f, 1, 10'000'000));
       }},
      {"--stack-kib",
       [&](const Flag& f) { o.staffing.stack_bytes = parse_uint(f, 16, 1 << 20) * 1024; }},
      {"--mechanisms",
       [&](const Flag& f) {
         expect_no_value(f);
         o.mechanisms = true;
       }},
      {"--task-state-bytes",
       [&](const Flag& f) { o.task_state_bytes = parse_uint(f, 0, 1 << 20); }},
      {"--loop-threads",
       [&](const Flag& f) {
         o.staffing.loop_threads = static_cast<unsigned>(parse_uint(f, 1, 1024));
       }},
      // From one order in a million seconds: a row names a rate below 1 to six decimals
      // (/rate:0.000001), and a smaller one would be named /rate:0.000000.
      {"--arrival-rate",
       [&](const Flag& f) {
         o.arrival_rate = parse_number_list(f, 1e-6, 1e7);
         o.open_loop_flag = shown(f);
       }},
      {"--load",
       [&](const Flag& f) {
         o.load = parse_positive_list(f, 100);
         o.open_loop_flag = shown(f);
       }},
      {"--io", [&](const Flag& f) { o.io = parse_name_list(f, kIoModes); }},
      {"--timer-slack",
       [&](const Flag& f) {
         o.default_slack.clear();
         for (const std::string& slack : parse_name_list(f, kSlacks)) {
           o.default_slack.push_back(slack == "default");
         }
       }},
      {"--payload-bytes",
       [&](const Flag& f) {
         o.payload_bytes = static_cast<std::uint32_t>(parse_uint(f, 1, 1 << 20));
       }},
      {"--arrivals",
       [&](const Flag& f) {
         o.arrivals = parse_name(f, kArrivals) == "fixed" ? ArrivalPattern::kFixed
                                                          : ArrivalPattern::kPoisson;
       }},
  };
  parse_flags(argc, argv, rules);
  if (o.arrival_rate && o.load) {
    throw UsageError("--arrival-rate and --load both set the arrival rate; give one of them");
  }
  return o;
}

}  // namespace kitchen::bench
