// memory/<kind>/tasks:<N>: what one more idle task costs. A row grows one
// population of waiting tasks to N in four steps, sampling memory before the
// first task and after each step, and reports the slope of each figure over the
// task count. One iteration: the population is the measurement, and repeating
// it would only reuse the pages the first one left behind.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "executors/executors.hpp"
#include "mechanisms/coro_population.hpp"
#include "mechanisms/families.hpp"
#include "mechanisms/proc_memory.hpp"
#include "mechanisms/slope.hpp"
#include "mechanisms/thread_population.hpp"
#include "os/limits.hpp"

namespace kitchen::bench {
namespace {

constexpr int kSteps = 4;

// Coroutines go to a million; threads to 10,000 by default (pid_max is 32768
// here and the machine is shared), further only when --max-threads asks for it.
const std::vector<std::size_t> kCoroTasks = {1'000, 10'000, 100'000, 1'000'000};
const std::vector<std::size_t> kThreadTasks = {100, 1'000, 10'000};

struct Kind {
  const char* name;
  bool coroutines;
  // Threads only; 0: the system default
  std::size_t stack_bytes;
  // A generous guess per task, to refuse a row the machine cannot hold
  double guess_bytes;
};
constexpr Kind kKinds[] = {{"thread", false, 0, 64 * 1024},
                           {"thread_small_stack", false, kSmallStackBytes, 64 * 1024},
                           {"coro", true, 0, 4 * 1024}};

struct Series {
  std::vector<double> tasks, resident, kernel_stack, page_tables;

  void add(std::size_t n, const MemorySample& s) {
    tasks.push_back(static_cast<double>(n));
    resident.push_back(s.resident_bytes);
    kernel_stack.push_back(s.kernel_stack_bytes);
    page_tables.push_back(s.page_table_bytes);
  }
};

template <class Population>
Series grow(Population& population, std::size_t tasks) {
  Series series;
  series.add(0, sample_memory());
  for (int step = 1; step <= kSteps; ++step) {
    const std::size_t n = tasks * step / kSteps;
    population.grow_to(n);
    series.add(n, sample_memory());
  }
  return series;
}

void memory_row(benchmark::State& state, const Kind& kind, std::size_t tasks,
                const MemoryPlan& plan) {
  const double needed = static_cast<double>(tasks) * (kind.guess_bytes + plan.task_state_bytes);
  const double available = sample_memory().available_bytes;
  if (!(needed < 0.8 * available)) {
    const auto mib = [](double bytes) {
      return std::to_string(static_cast<long long>(bytes / (1 << 20)));
    };
    const std::string why =
        "needs about " + mib(needed) +
        " MiB, more than 80% of the memory left (MemAvailable=" + mib(available) + " MiB)";
    state.SkipWithError(why.c_str());
    return;
  }
  Series series;
  std::size_t woken = 0;
  for (auto _ : state) {
    release_free_memory();
    try {
      if (kind.coroutines) {
        CoroPopulation population(tasks, plan.task_state_bytes);
        series = grow(population, tasks);
        woken = population.release();
      } else {
        ThreadPopulation population(tasks, kind.stack_bytes, plan.task_state_bytes,
                                    os::thread_allowance(plan.max_threads));
        series = grow(population, tasks);
        woken = population.release();
      }
    } catch (const ResourceLimitError& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  if (state.error_occurred()) return;
  if (woken != tasks) {
    const std::string why = std::to_string(woken) + " of " + std::to_string(tasks) +
                            " tasks woke from their wait and ended";
    state.SkipWithError(why.c_str());
    return;
  }
  const auto resident = fit_line(series.tasks, series.resident);
  const auto kernel = fit_line(series.tasks, series.kernel_stack);
  const auto tables = fit_line(series.tasks, series.page_tables);
  if (!resident || !kernel || !tables) {
    state.SkipWithError("/proc/self/statm or /proc/meminfo could not be read");
    return;
  }
  auto& c = state.counters;
  c["tasks"] = static_cast<double>(tasks);
  c["task_state_bytes"] = static_cast<double>(plan.task_state_bytes);
  c["bytes_per_task"] = resident->slope;
  c["bytes_fit_r2"] = resident->r2;
  // Machine-wide figures: another process starting threads meanwhile moves them
  // a little.
  c["kernel_bytes_per_task"] = kernel->slope;
  c["page_table_bytes_per_task"] = tables->slope;
}

}  // namespace

void register_memory(const MemoryPlan& plan) {
  std::vector<std::size_t> thread_tasks = kThreadTasks;
  if (plan.max_threads > 0) {
    // The cap itself is a row: "as far as the machine allows" when it is
    // raised, and a row measured just under it when it is lowered (the rows
    // above it then end at the limit).
    const auto cap = static_cast<std::size_t>(plan.max_threads);
    if (std::find(thread_tasks.begin(), thread_tasks.end(), cap) == thread_tasks.end()) {
      thread_tasks.push_back(cap);
      std::sort(thread_tasks.begin(), thread_tasks.end());
    }
  }
  for (const Kind& kind : kKinds) {
    for (std::size_t tasks : kind.coroutines ? kCoroTasks : thread_tasks) {
      const std::string name =
          std::string("memory/") + kind.name + "/tasks:" + std::to_string(tasks);
      benchmark::RegisterBenchmark(
          name.c_str(),
          [&kind, tasks, plan](benchmark::State& state) { memory_row(state, kind, tasks, plan); })
          ->Iterations(1)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace kitchen::bench
