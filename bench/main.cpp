// bench_kitchen: Google Benchmark's main, with the suite's own flags (see
// --help).
//
// Each kitchen row is one executor serving one service of one profile:
//   kitchen/<executor>/<profile>/chefs:<C>/customers:<N>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags.hpp"
#include "context.hpp"
#include "executors/catalogue.hpp"
#include "gb_flags.hpp"
#include "kitchen/cpu_work.hpp"
#include "kitchen/profiles.hpp"
#include "kitchen_rows.hpp"
#include "mechanisms/register.hpp"
#include "net_rows.hpp"
#include "options.hpp"
#include "os/cores.hpp"
#include "os/timer_slack.hpp"
#include "output.hpp"
#include "pantry/uring_probe.hpp"
#include "plan.hpp"

namespace kitchen::bench {
namespace {

// Google Benchmark's own usage line names a program called "benchmark": this
// one names bench_kitchen and lists the Google Benchmark flags it checks.
void print_help() {
  std::fputs(R"(usage: bench_kitchen [Google Benchmark flags] [kitchen bench flags]
Google Benchmark flags (version 1.7.1; each value is checked before anything runs):
  --benchmark_filter=REGEX        rows whose name matches (default: all registered)
  --benchmark_list_tests          list the rows' names and exit
  --benchmark_repetitions=N       repetitions of each row, 1..1000, with their aggregates
                                  (default here: 3)
  --benchmark_min_time=SECONDS    minimum time of each repetition, above 0 and up to 3600
                                  (default here: 0.2; --quick 0.01)
  --benchmark_min_warmup_time=SECONDS  0..3600
  --benchmark_report_aggregates_only, --benchmark_display_aggregates_only
  --benchmark_enable_random_interleaving
  --benchmark_format=console|json|csv       stdout (default console)
  --benchmark_out=FILE            also write the results to FILE, replaced whole at the end
                                  (a regular file in a folder that can be written)
  --benchmark_out_format=console|json|csv   FILE's format (default json)
  --benchmark_color=auto|true|false, --benchmark_counters_tabular, --benchmark_time_unit=ns|us|ms|s
  --benchmark_context=KEY=VALUE   an extra key of the JSON context
  --v=N                           Google Benchmark's verbosity
)",
             stdout);
  std::fputs(options_help().c_str(), stdout);
}

// --benchmark_list_tests, with no value or a true one.
bool listing(const std::vector<char*>& args) {
  bool listed = false;
  for (char* arg : args) {
    const std::string_view a(arg);
    if (a == "--benchmark_list_tests") listed = true;
    constexpr std::string_view kFlag = "--benchmark_list_tests=";
    if (a.substr(0, kFlag.size()) == kFlag) {
      std::string v(a.substr(kFlag.size()));
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      // Google Benchmark's reading of a boolean flag; validate_benchmark_flags has already
      // refused anything but these and their true counterparts.
      listed = v != "0" && v != "f" && v != "n" && v != "false" && v != "no" && v != "off";
    }
  }
  return listed;
}

// Clears the registered rows when main returns, before what they share (declared earlier) is
// destroyed.
struct RowsCleared {
  ~RowsCleared() { benchmark::ClearRegisteredBenchmarks(); }
};

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
  // Our default minimum time per row is shorter than Google Benchmark's 0.5 s:
  // a service is already a long, self-averaging iteration, and the default
  // sweep must fit in minutes.
  std::vector<char*> args(argv, argv + argc);
  std::string min_time =
      has_flag(argc, argv, "--quick") ? "--benchmark_min_time=0.01" : "--benchmark_min_time=0.2";
  if (!has_flag(argc, argv, "--benchmark_min_time")) args.insert(args.begin() + 1, min_time.data());
  // Every row is repeated (3 times unless told otherwise), so that the JSON holds
  // medians and their spread, not one cold number.
  std::string repetitions = "--benchmark_repetitions=3";
  if (!has_flag(argc, argv, "--benchmark_repetitions"))
    args.insert(args.begin() + 1, repetitions.data());
  int count = static_cast<int>(args.size());
  try {
    validate_benchmark_flags(count, args.data());
  } catch (const kitchen::cli::UsageError& e) {
    std::fprintf(stderr, "bench_kitchen: %s\n", e.what());
    return 2;
  }
  // Read before Initialize, which consumes them: which reporters to build.
  const std::vector<char*> given = args;
  // The file asked for is replaced whole when the run completes, never written
  // row by row (output.hpp). Nothing is created before the run starts.
  std::string staged_flag;
  const std::optional<StagedOutput> out = stage_output(args, staged_flag);
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
  // Measured now, not inside the first benchmark.
  kitchen::calibration();
  const bool custom = options.chefs || options.customers || options.io_us || options.cpu_us;
  add_context(options.quick ? "quick" : custom ? "custom" : "default", options.seed);
  RowPlan plan;
  try {
    // Every row is planned and checked before the first is registered: a point the kitchen
    // cannot honour (an open loop on dishes that cost nothing, a schedule past the clock's
    // range) is refused here, before anything runs.
    plan = plan_rows(options, {.cores = kitchen::os::usable_cores(),
                               .reactor = kitchen::pantry::asio_reactor()});
  } catch (const kitchen::cli::UsageError& e) {
    std::fprintf(stderr, "bench_kitchen: %s\n", e.what());
    return 2;
  }
  // What the rows share, declared before the rows and so outliving them: the rows are cleared
  // (their connections closed) before the pantry server stops.
  PantryHost pantry;
  const std::optional<std::string> refusal = reactor_refusal();
  ProgressLog progress(ProgressLog::wanted_here());
  const RowsCleared rows_cleared;
  register_kitchen_rows(
      plan,
      {.staffing = options.staffing, .pantry = pantry, .refusal = refusal, .progress = progress});
  std::string notes = left_out_note(plan);
  const auto rows = static_cast<int>(plan.rows.size());
  // The temporary file is created now, so that an output that cannot be written is refused
  // before the sweep, not found out at its end.
  if (out) {
    if (const std::optional<std::string> why = open_output(*out)) {
      std::fprintf(stderr,
                   "bench_kitchen: --benchmark_out=%s: cannot create %s there: %s; expected a "
                   "file name in a folder that exists and can be written\n",
                   out->path.c_str(), out->partial.c_str(), why->c_str());
      return 2;
    }
  }
  // Net rows: the pantry server starts now, and its capacity goes into the context, which must
  // be complete before the run starts. Its capacity probe uses as many connections as the
  // largest net row has chefs (at most the largest chefs level given; the built-in grids'
  // largest otherwise).
  const bool net = std::any_of(plan.rows.begin(), plan.rows.end(),
                               [](const PlannedRow& row) { return row.point.net; });
  if (net) {
    const std::uint32_t widest =
        options.chefs ? *std::max_element(options.chefs->begin(), options.chefs->end()) : 1000;
    pantry.start(options.payload_bytes, widest);
  }
  if (refusal) {
    benchmark::AddCustomContext("io_uring_refusal", *refusal);
    notes += "bench_kitchen: io_uring cannot be used (" + *refusal +
             "): every kitchen row is an error row\n";
  }
  // Spawn, switch, timer, memory: only when asked (register.hpp).
  register_mechanisms(options);
  char note[160];
  std::snprintf(note, sizeof note, "bench_kitchen: %d kitchen rows, CPU work %.3g ns per unit\n",
                rows, kitchen::calibration().ns_per_unit);
  const Reporters reporters(given, notes + note, out.has_value());
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks(reporters.display(), reporters.file());
  benchmark::Shutdown();
  // The rows close their connections, then the server stops.
  benchmark::ClearRegisteredBenchmarks();
  pantry.stop();
  if (ran == 0) {
    if (out) discard_output(*out);
    std::string filter = "the filter";
    for (char* arg : given) {
      if (std::string_view(arg).rfind("--benchmark_filter=", 0) == 0) filter = arg;
    }
    std::fprintf(stderr,
                 "bench_kitchen: no benchmark matches %s; rows are named "
                 "kitchen/<executor>/<profile>/..., spawn/, switch/, memory/, timer/ "
                 "(see --benchmark_list_tests)%s\n",
                 filter.c_str(), out ? "; the output file was left as it was" : "");
    return 2;
  }
  // A listing writes no rows: the file is left as it was.
  if (out && listing(given)) {
    discard_output(*out);
  } else if (out && !commit_output(*out, reporters)) {
    return 1;
  }
  // Stdout may be a file too (--benchmark_format=json > F): a failed write there is a failed
  // run, not a success with half a document.
  std::cout.flush();
  if (!std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "bench_kitchen: could not write the results to standard output\n");
    return 1;
  }
  return 0;
}
