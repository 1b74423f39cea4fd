// bench_kitchen: Google Benchmark's main, with the suite's own flags (see
// --help).
//
// Each kitchen row is one executor serving one service of one profile:
//   kitchen/<executor>/<profile>/chefs:<C>/customers:<N>
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags.hpp"
#include "context.hpp"
#include "executors/registry.hpp"
#include "gb_flags.hpp"
#include "kitchen/cpu_work.hpp"
#include "kitchen/profiles.hpp"
#include "kitchen_rows.hpp"
#include "mechanisms/register.hpp"
#include "options.hpp"
#include "os/timer_slack.hpp"

namespace kitchen::bench {
namespace {

void print_help() {
  benchmark::PrintDefaultHelp();
  std::fputs(kOptionsHelp, stdout);
}

bool has_flag(int argc, char** argv, std::string_view prefix) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]).substr(0, prefix.size()) == prefix)
      return true;
  }
  return false;
}

}  // namespace
}  // namespace kitchen::bench

int main(int argc, char** argv) {
  using namespace kitchen::bench;
  // Our default minimum time per row is shorter than Google Benchmark's 0.5 s:
  // a service is already a long, self-averaging iteration, and the default
  // sweep must fit in minutes.
  std::vector<char*> args(argv, argv + argc);
  std::string min_time = has_flag(argc, argv, "--quick")
                             ? "--benchmark_min_time=0.01"
                             : "--benchmark_min_time=0.2";
  if (!has_flag(argc, argv, "--benchmark_min_time"))
    args.insert(args.begin() + 1, min_time.data());
  int count = static_cast<int>(args.size());
  try {
    validate_benchmark_flags(count, args.data());
  } catch (const kitchen::cli::UsageError& e) {
    std::fprintf(stderr, "bench_kitchen: %s\n", e.what());
    return 2;
  }
  benchmark::Initialize(&count, args.data(), &print_help);

  Options options;
  try {
    options = parse_options(count, args.data());
  } catch (const kitchen::cli::UsageError& e) {
    std::fprintf(stderr, "bench_kitchen: %s\n", e.what());
    return 2;
  }
  // Before any thread exists, so that every executor's threads inherit it (see
  // timer_slack.hpp).
  kitchen::os::set_timer_slack(std::chrono::nanoseconds(1));
  kitchen::calibration();  // measured now, not inside the first benchmark
  const bool custom =
      options.chefs || options.customers || options.io_us || options.cpu_us;
  add_context(options.quick ? "quick"
              : custom      ? "custom"
                            : "default",
              options.seed);
  const int rows = register_kitchen_rows(options);
  register_mechanisms(
      options);  // spawn, switch, timer, memory: only when asked (register.hpp)
  std::fprintf(stderr,
               "bench_kitchen: %d kitchen rows, CPU work %.3g ns per unit\n",
               rows, kitchen::calibration().ns_per_unit);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
