// bench_kitchen: Google Benchmark's main, with the suite's own flags (see
// --help).
//
// Each kitchen row is one executor serving one service of one profile:
//   kitchen/<executor>/<profile>/chefs:<C>/customers:<N>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flag_table.hpp"
#include "cli/flags.hpp"
#include "context.hpp"
#include "executors/catalogue.hpp"
#include "executors/fiber_stack.hpp"
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

// Clears the registered rows when main returns, before what they share (declared earlier) is
// destroyed.
struct RowsCleared {
  ~RowsCleared() { benchmark::ClearRegisteredBenchmarks(); }
};

// The arguments with bench_kitchen's defaults of two Google Benchmark flags put in front where
// they are not given (`storage` keeps the added arguments alive). A minimum time per row
// shorter than Google Benchmark's 0.5 s: a service is already a long, self-averaging iteration,
// and the default sweep must fit in minutes. Every row repeated 3 times unless told otherwise,
// so that the JSON holds medians and their spread, not one cold number.
std::vector<char*> with_our_defaults(int argc, char** argv, std::array<std::string, 2>& storage) {
  std::vector<char*> args(argv, argv + argc);
  storage = {flag_given(args, "--quick") ? "--benchmark_min_time=0.01" : "--benchmark_min_time=0.2",
             "--benchmark_repetitions=3"};
  const std::vector<char*> given = args;
  if (!flag_given(given, "--benchmark_min_time")) args.insert(args.begin() + 1, storage[0].data());
  if (!flag_given(given, "--benchmark_repetitions")) {
    args.insert(args.begin() + 1, storage[1].data());
  }
  return args;
}

int refuse(const kitchen::cli::UsageError& e) {
  std::fprintf(stderr, "bench_kitchen: %s\n", e.what());
  return 2;
}

// Net rows: the pantry server starts before the run, and its capacity goes into the context,
// which must be complete by then. Its capacity probe uses as many connections as the largest
// net row has chefs (at most the largest chefs level given; the built-in grids' largest
// otherwise).
void start_pantry_for(const RowPlan& plan, const Options& options, PantryHost& pantry) {
  const bool net = std::any_of(plan.rows.begin(), plan.rows.end(),
                               [](const PlannedRow& row) { return row.point.net; });
  if (!net) return;
  const std::uint32_t widest =
      options.chefs ? *std::max_element(options.chefs->begin(), options.chefs->end()) : 1000;
  pantry.start(options.payload_bytes, widest);
}

// Nothing matched the filter: one line saying so, the output file left as it was.
int nothing_matched(const std::vector<char*>& given, const std::optional<StagedOutput>& out) {
  if (out) discard_output(*out);
  const std::optional<std::string_view> filter = benchmark_flag(given, "--benchmark_filter");
  const std::string shown =
      filter ? "--benchmark_filter=" + std::string(*filter) : std::string("the filter");
  std::fprintf(stderr,
               "bench_kitchen: no benchmark matches %s; rows are named "
               "kitchen/<executor>/<profile>/..., spawn/, switch/, memory/, timer/ "
               "(see --benchmark_list_tests)%s\n",
               shown.c_str(), out ? "; the output file was left as it was" : "");
  return 2;
}

// Stdout may be a file too (--benchmark_format=json > F): a failed write there is a failed run,
// not a success with half a document.
int flushed() {
  std::cout.flush();
  if (!std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "bench_kitchen: could not write the results to standard output\n");
    return 1;
  }
  return 0;
}

// Registers the rows, runs them and keeps or discards the output file; the exit status.
int run(const Options& options, const RowPlan& plan, const std::vector<char*>& given,
        const std::optional<StagedOutput>& out) {
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
  start_pantry_for(plan, options, pantry);
  if (refusal) {
    benchmark::AddCustomContext("io_uring_refusal", *refusal);
    notes += "bench_kitchen: io_uring cannot be used (" + *refusal +
             "): every kitchen row is an error row\n";
  }
  // Spawn, switch, timer, memory: only when asked (register.hpp).
  register_mechanisms(options);
  char note[160];
  std::snprintf(note, sizeof note, "bench_kitchen: %zu kitchen rows, CPU work %.3g ns per unit\n",
                plan.rows.size(), kitchen::calibration().ns_per_unit);
  const Reporters reporters(given, notes + note, out.has_value());
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks(reporters.display(), reporters.file());
  benchmark::Shutdown();
  // The rows close their connections, then the server stops.
  benchmark::ClearRegisteredBenchmarks();
  pantry.stop();
  if (ran == 0) return nothing_matched(given, out);
  // A listing writes no rows: the file is left as it was.
  if (out && benchmark_flag_true(given, "--benchmark_list_tests")) {
    discard_output(*out);
  } else if (out && !commit_output(*out, reporters)) {
    return 1;
  }
  return flushed();
}

}  // namespace
}  // namespace kitchen::bench

int main(int argc, char** argv) {
  using namespace kitchen::bench;
  // The flag table, for the CPython kitchen's test of its own.
  if (argc == 2 && std::string_view(argv[1]) == "--flags-json") {
    std::fputs(kitchen::cli::flags_json().c_str(), stdout);
    return 0;
  }
  std::array<std::string, 2> storage;
  std::vector<char*> args = with_our_defaults(argc, argv, storage);
  try {
    validate_benchmark_flags(args);
  } catch (const kitchen::cli::UsageError& e) {
    return refuse(e);
  }
  // Read before Initialize, which consumes them: which reporters to build.
  const std::vector<char*> given = args;
  // The file asked for is replaced whole when the run completes, never written
  // row by row (output.hpp). Nothing is created before the run starts.
  std::string staged_flag;
  const std::optional<StagedOutput> out = stage_output(args, staged_flag);
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data(), &print_help);

  Options options;
  RowPlan plan;
  try {
    options = parse_options(count, args.data());
    // Every row is planned and checked before the first is registered: a point the kitchen
    // cannot honour (an open loop on dishes that cost nothing, a schedule past the clock's
    // range) is refused here, before anything runs.
    plan = plan_rows(options, {.cores = kitchen::os::usable_cores(),
                               .reactor = kitchen::pantry::asio_reactor()});
  } catch (const kitchen::cli::UsageError& e) {
    return refuse(e);
  }
  // Before any thread exists, so that every executor's threads inherit it (see
  // timer_slack.hpp).
  kitchen::os::set_timer_slack(std::chrono::nanoseconds(1));
  // Measured now, not inside the first benchmark.
  kitchen::calibration();
  const bool custom = options.chefs || options.customers || options.io_us || options.cpu_us;
  add_context(options.quick ? "quick" : custom ? "custom" : "default", options.seed);
  // What every fiber row's fibers run on: the allocator and the size decide what an order costs.
  benchmark::AddCustomContext("fiber_stack", kitchen::fiber::stack_name(options.staffing));
  return run(options, plan, given, out);
}
