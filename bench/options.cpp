#include "options.hpp"

#include <array>
#include <string>

#include "cli/flags.hpp"
#include "executors/registry.hpp"
#include "kitchen/profiles.hpp"

namespace kitchen::bench {

const char* const kOptionsHelp = R"(
kitchen bench flags (each list is comma-separated):
  --executors=LIST   threads_pool,threads_per_order,asio_coro,asio_callback,asio_coro_mt,
                     asio_offload,asio_blocking (default: all)
  --profiles=LIST    io,cpu,mixed,overhead (default: io,cpu,mixed); per ingredient:
                     io = 1000 us wait / 0 us work, cpu = 0 / 200, mixed = 500 / 50, overhead = 0 / 0
  --chefs=LIST       dishes in preparation at once, 1..100000 (default: the profile's grid)
  --customers=LIST   orders per service, 1..100000000 (default: the profile's grid)
  --io-us=LIST       override the profile's wait per ingredient, 0..10000000 us
  --cpu-us=LIST      override the profile's work per ingredient, 0..10000000 us
  --seed=N           seed of the orders, 0..2^64-1 (default 1)
  --quick            a small sweep (under 30 s on 2 cores) with --benchmark_min_time=0.01
  --gil=LIST         off,on: emulate CPython's GIL around the CPU work (default: off)
  --gil-switch-us=N  the emulated GIL's switch interval, 1..1000000 us (default 5000, CPython's)
  --pantry=MODE      locked or unlocked: how the shared pantry stock is updated (default: locked)
  --fail-rate=P      probability 0..1 that an ingredient is out of stock (default 0)
  --fail-fast        the first failure cancels every order still waiting or cooking
  --max-threads=N    threads an executor (threads_pool, threads_per_order, asio_offload's
                     pool) or the memory rows may start, 1..10000000
                     (default: what the OS allows)
  --stack-kib=N      stack of each threads_per_order thread, 16..1048576 KiB (default: system)
  --loop-threads=N   threads running asio_coro_mt's loop, 1..1024 (default: one per core)
  --mechanisms       also run the mechanism families, memory included (see below)
  --task-state-bytes=N
                     live state each idle task of the memory rows holds, 0..1048576 (default 0)
Rows are named kitchen/<executor>/<profile>/chefs:<C>/customers:<N>; see the README for counters.
Mechanism rows: spawn/<kind>, switch/<kind>, timer/<kind>/wait_us:<W>/slack:<S> (registered when
--benchmark_filter or --mechanisms is given) and memory/<kind>/tasks:<N> (registered when the
filter names "memory" or --mechanisms is given; threads up to 10000, or to --max-threads, never
past the OS thread budget). All of them: --benchmark_filter='^(spawn|switch|memory|timer)/'
)";

namespace {

std::vector<std::uint32_t> narrow(const std::vector<std::uint64_t>& values) {
  return std::vector<std::uint32_t>(values.begin(), values.end());
}

}  // namespace

Options parse_options(int argc, char** argv) {
  using namespace cli;
  Options o;
  for (std::string_view name : kExecutorNames) o.executors.emplace_back(name);
  o.profiles = {"io", "cpu", "mixed"};
  for (int i = 1; i < argc; ++i) {
    const std::optional<Flag> flag = split_flag(argv[i]);
    if (!flag)
      throw UsageError(std::string("unexpected argument '") + argv[i] +
                       "' (see --help)");
    const std::string_view name = flag->name;
    if (name == "--executors") {
      o.executors = parse_name_list(*flag, kExecutorNames);
    } else if (name == "--profiles") {
      o.profiles = parse_name_list(*flag, kProfileNames);
    } else if (name == "--chefs") {
      o.chefs = narrow(parse_uint_list(*flag, 1, 100'000));
    } else if (name == "--customers") {
      o.customers = narrow(parse_uint_list(*flag, 1, 100'000'000));
    } else if (name == "--io-us") {
      o.io_us = parse_uint_list(*flag, 0, 10'000'000);
    } else if (name == "--cpu-us") {
      o.cpu_us = parse_uint_list(*flag, 0, 10'000'000);
    } else if (name == "--seed") {
      o.seed = parse_uint(*flag, 0, UINT64_MAX);
    } else if (name == "--gil") {
      constexpr std::array<std::string_view, 2> kModes = {"off", "on"};
      o.gil.clear();
      for (const std::string& mode : parse_name_list(*flag, kModes))
        o.gil.push_back(mode == "on");
    } else if (name == "--gil-switch-us") {
      o.gil_switch = std::chrono::microseconds(parse_uint(*flag, 1, 1'000'000));
    } else if (name == "--pantry") {
      constexpr std::array<std::string_view, 2> kModes = {"locked", "unlocked"};
      o.pantry = parse_name(*flag, kModes) == "locked" ? PantryMode::kLocked
                                                       : PantryMode::kUnlocked;
    } else if (name == "--fail-rate") {
      o.fail_rate = parse_fraction(*flag, 0.0, 1.0);
    } else if (name == "--fail-fast") {
      expect_no_value(*flag);
      o.fail_fast = true;
    } else if (name == "--quick") {
      expect_no_value(*flag);
      o.quick = true;
    } else if (name == "--max-threads") {
      o.staffing.max_threads =
          static_cast<std::int64_t>(parse_uint(*flag, 1, 10'000'000));
    } else if (name == "--stack-kib") {
      o.staffing.stack_bytes = parse_uint(*flag, 16, 1 << 20) * 1024;
    } else if (name == "--mechanisms") {
      expect_no_value(*flag);
      o.mechanisms = true;
    } else if (name == "--task-state-bytes") {
      o.task_state_bytes = parse_uint(*flag, 0, 1 << 20);
    } else if (name == "--loop-threads") {
      o.staffing.loop_threads =
          static_cast<unsigned>(parse_uint(*flag, 1, 1024));
    } else {
      throw UsageError("unknown flag '" + std::string(name) + "' (see --help)");
    }
  }
  return o;
}

}  // namespace kitchen::bench
