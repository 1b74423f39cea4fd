#include "options.hpp"

#include <string>

#include "cli/flags.hpp"
#include "executors/registry.hpp"
#include "kitchen/profiles.hpp"

namespace kitchen::bench {

const char* const kOptionsHelp = R"(
kitchen bench flags (each list is comma-separated):
  --executors=LIST   threads_pool,threads_per_order,asio_coro,asio_callback,asio_coro_mt (default: all)
  --profiles=LIST    io,cpu,mixed,overhead (default: io,cpu,mixed); per ingredient:
                     io = 1000 us wait / 0 us work, cpu = 0 / 200, mixed = 500 / 50, overhead = 0 / 0
  --chefs=LIST       dishes in preparation at once, 1..100000 (default: the profile's grid)
  --customers=LIST   orders per service, 1..100000000 (default: the profile's grid)
  --io-us=LIST       override the profile's wait per ingredient, 0..10000000 us
  --cpu-us=LIST      override the profile's work per ingredient, 0..10000000 us
  --seed=N           seed of the orders, 0..2^64-1 (default 1)
  --quick            a small sweep (under 30 s on 2 cores) with --benchmark_min_time=0.01
  --max-threads=N    threads threads_per_order may start, 1..10000000 (default: what the OS allows)
  --stack-kib=N      stack of each threads_per_order thread, 16..1048576 KiB (default: system)
  --loop-threads=N   threads running asio_coro_mt's loop, 1..1024 (default: one per core)
Rows are named kitchen/<executor>/<profile>/chefs:<C>/customers:<N>; see the README for counters.
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
    if (!flag) throw UsageError(std::string("unexpected argument '") + argv[i] + "' (see --help)");
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
    } else if (name == "--quick") {
      expect_no_value(*flag);
      o.quick = true;
    } else if (name == "--max-threads") {
      o.staffing.max_threads = static_cast<std::int64_t>(parse_uint(*flag, 1, 10'000'000));
    } else if (name == "--stack-kib") {
      o.staffing.stack_bytes = parse_uint(*flag, 16, 1 << 20) * 1024;
    } else if (name == "--loop-threads") {
      o.staffing.loop_threads = static_cast<unsigned>(parse_uint(*flag, 1, 1024));
    } else {
      throw UsageError("unknown flag '" + std::string(name) + "' (see --help)");
    }
  }
  return o;
}

}  // namespace kitchen::bench
