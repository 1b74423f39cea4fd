// bench_kitchen: Google Benchmark's main, with the suite's own flags (see --help).
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
#include "kitchen/cpu_work.hpp"
#include "kitchen/profiles.hpp"
#include "options.hpp"
#include "os/timer_slack.hpp"
#include "service_bench.hpp"
#include "sweep.hpp"

namespace kitchen::bench {
namespace {

void print_help() {
  benchmark::PrintDefaultHelp();
  std::fputs(kOptionsHelp, stdout);
}

std::string row_name(std::string_view executor, const Point& p, bool costs_named) {
  std::string name = "kitchen/" + std::string(executor) + "/" + p.profile +
                     "/chefs:" + std::to_string(p.chefs) +
                     "/customers:" + std::to_string(p.customers);
  if (costs_named) {
    name += "/io_us:" + std::to_string(p.costs.io.count() / 1000) +
            "/cpu_us:" + std::to_string(p.costs.cpu.count() / 1000);
  }
  return name;
}

// Every profile's costs, with --io-us / --cpu-us crossing in where given.
std::vector<Costs> costs_of(const Profile& profile, const Options& o) {
  std::vector<Costs> all;
  const std::vector<std::uint64_t> io =
      o.io_us
          ? *o.io_us
          : std::vector<std::uint64_t>{static_cast<std::uint64_t>(profile.costs.io.count() / 1000)};
  const std::vector<std::uint64_t> cpu =
      o.cpu_us ? *o.cpu_us
               : std::vector<std::uint64_t>{
                     static_cast<std::uint64_t>(profile.costs.cpu.count() / 1000)};
  for (std::uint64_t i : io) {
    for (std::uint64_t c : cpu) {
      all.push_back({std::chrono::microseconds(i), std::chrono::microseconds(c)});
    }
  }
  return all;
}

int register_rows(const Options& o) {
  int rows = 0;
  const bool costs_named = o.io_us || o.cpu_us;
  for (const std::string& profile_name : o.profiles) {
    const Profile profile = *find_profile(profile_name);
    std::vector<Cell> grid = o.quick ? quick_grid(profile.name) : default_grid(profile.name);
    if (o.chefs || o.customers) grid = custom_grid(grid, o.chefs, o.customers);
    for (const Cell& cell : grid) {
      for (const Costs& costs : costs_of(profile, o)) {
        const Point point{profile_name, costs, cell.chefs, cell.customers, o.seed};
        for (const std::string& executor : o.executors) {
          visit_executor(executor, [&]<Executor E>() {
            benchmark::RegisterBenchmark(row_name(executor, point, costs_named).c_str(),
                                         [point, staffing = o.staffing](benchmark::State& state) {
                                           serve_benchmark<E>(state, point, staffing);
                                         })
                ->UseRealTime()
                ->MeasureProcessCPUTime()
                ->Unit(benchmark::kMillisecond);
          });
          ++rows;
        }
      }
    }
  }
  return rows;
}

bool has_flag(int argc, char** argv, std::string_view prefix) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]).substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

}  // namespace
}  // namespace kitchen::bench

int main(int argc, char** argv) {
  using namespace kitchen::bench;
  // Our default minimum time per row is shorter than Google Benchmark's 0.5 s: a service is
  // already a long, self-averaging iteration, and the default sweep must fit in minutes.
  std::vector<char*> args(argv, argv + argc);
  std::string min_time =
      has_flag(argc, argv, "--quick") ? "--benchmark_min_time=0.01" : "--benchmark_min_time=0.2";
  if (!has_flag(argc, argv, "--benchmark_min_time")) args.insert(args.begin() + 1, min_time.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data(), &print_help);

  Options options;
  try {
    options = parse_options(count, args.data());
  } catch (const kitchen::cli::UsageError& e) {
    std::fprintf(stderr, "bench_kitchen: %s\n", e.what());
    return 2;
  }
  // Before any thread exists, so that every executor's threads inherit it (see timer_slack.hpp).
  kitchen::os::set_timer_slack(std::chrono::nanoseconds(1));
  kitchen::calibration();  // measured now, not inside the first benchmark
  const bool custom = options.chefs || options.customers || options.io_us || options.cpu_us;
  add_context(options.quick ? "quick" : custom ? "custom" : "default", options.seed);
  const int rows = register_rows(options);
  std::fprintf(stderr, "bench_kitchen: %d kitchen rows, CPU work %.3g ns per unit\n", rows,
               kitchen::calibration().ns_per_unit);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
