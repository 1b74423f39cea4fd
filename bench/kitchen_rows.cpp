#include "kitchen_rows.hpp"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "executors/catalogue.hpp"
#include "service_bench.hpp"

namespace kitchen::bench {

bool ProgressLog::wanted_here() { return ::isatty(STDERR_FILENO) && !::isatty(STDOUT_FILENO); }

void ProgressLog::starting(const std::string& row) {
  if (!wanted_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!first_) first_ = now;
  const double elapsed = std::chrono::duration<double>(now - *first_).count();
  std::fprintf(stderr, "bench_kitchen: %6.1f s  %s\n", elapsed, row.c_str());
}

namespace {

// One row's function: what it captures is the row's own.
template <Executor E>
void register_row(const PlannedRow& planned, const RowsShare& share) {
  RowRun run;
  if (planned.point.net) {
    run.connections = std::make_unique<RowConnections>(share.pantry, planned.point.chefs);
  }
  benchmark::RegisterBenchmark(
      planned.name.c_str(),
      [point = planned.point, name = planned.name, share, run = std::move(run),
       said = false](benchmark::State& state) mutable {
        // A row's function runs several times: it says once that it started.
        if (!said) share.progress.starting(name);
        said = true;
        // bench_kitchen_uring where io_uring is refused: every row says why.
        if (share.refusal) {
          state.SkipWithError(("io_uring cannot be used: " + *share.refusal).c_str());
          return;
        }
        serve_benchmark<E>(state, point, share.staffing, run);
      })
      ->UseRealTime()
      ->MeasureProcessCPUTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

void register_kitchen_rows(const RowPlan& plan, const RowsShare& share) {
  for (const PlannedRow& row : plan.rows) {
    visit_executor(row.executor, [&]<Executor E>() { register_row<E>(row, share); });
  }
}

}  // namespace kitchen::bench
