// memory/<kind>/tasks:<N>: what one more idle task costs. A row grows one
// population of waiting tasks to N in four steps, sampling memory before the
// first task and after each step, and reports the slope of each figure over the
// task count: resident memory, the kernel stacks, the process's page tables
// and, for threads, the task_struct slab, each with its slope, and their total
// with the r2 of its fit. One iteration: the population is the measurement,
// built in a fresh process (see measure_in_child).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "executors/executors.hpp"
#include "mechanisms/coro_population.hpp"
#include "mechanisms/families.hpp"
#include "mechanisms/fiber_population.hpp"
#include "mechanisms/proc_memory.hpp"
#include "mechanisms/slab.hpp"
#include "mechanisms/slope.hpp"
#include "mechanisms/thread_population.hpp"
#include "os/limits.hpp"

namespace kitchen::bench {
namespace {

constexpr int kSteps = 4;

// Coroutines go to a million; threads to 10,000 by default (pid_max is 32768
// here and the machine is shared), further only when --max-threads asks for it.
// Fibers on Boost's default stack, a heap block big enough for glibc to give it a
// mapping of its own, stop short of vm.max_map_count (65,530 here: the largest
// row is refused, naming it, where the cap is lower); on a 16 KiB stack, from
// the heap, they go to 100,000 (about 2 GB of stacks, the most this shared
// machine is asked to hold).
const std::vector<std::size_t> kCoroTasks = {1'000, 10'000, 100'000, 1'000'000};
const std::vector<std::size_t> kThreadTasks = {100, 1'000, 10'000};
const std::vector<std::size_t> kFiberTasks = {1'000, 10'000, 60'000};
const std::vector<std::size_t> kSmallFiberTasks = {1'000, 10'000, 100'000};

enum class TaskKind { kThread, kCoroutine, kFiber };

struct Kind {
  const char* name;
  TaskKind task;
  // Threads and fibers; 0: the system's (Boost.Context's for fibers) default
  std::size_t stack_bytes;
  // A generous guess per task, to refuse a row the machine cannot hold
  double guess_bytes;
  const std::vector<std::size_t>* tasks;
};
const Kind kKinds[] = {
    {"thread", TaskKind::kThread, 0, 64 * 1024, &kThreadTasks},
    {"thread_small_stack", TaskKind::kThread, kSmallStackBytes, 64 * 1024, &kThreadTasks},
    {"coro", TaskKind::kCoroutine, 0, 4 * 1024, &kCoroTasks},
    {"fiber", TaskKind::kFiber, 0, 24 * 1024, &kFiberTasks},
    {"fiber_small_stack", TaskKind::kFiber, kSmallFiberStackBytes, 24 * 1024, &kSmallFiberTasks}};

struct Series {
  std::vector<double> tasks, resident, kernel_stack, pte, slab;

  void add(double n, double resident_bytes, double kernel_bytes, double pte_bytes,
           double slab_bytes) {
    tasks.push_back(n);
    resident.push_back(resident_bytes);
    kernel_stack.push_back(kernel_bytes);
    pte.push_back(pte_bytes);
    slab.push_back(slab_bytes);
  }
};

// Each population is measured in a process of its own, started for it. glibc
// keeps the stacks of ended threads (up to 40 MiB by default) and gives them to
// the next threads started: their pages are resident already, so a second
// population in one process read next to nothing per thread
// (thread_small_stack/tasks:100 gave [8749, 0, 0] B/task). A fork would inherit
// that cache with the rest of the memory, so the row starts bench_kitchen anew
// (posix_spawn of /proc/self/exe). The child finds KITCHEN_MEMORY_CHILD in its
// environment ("<kind>:<tasks>:<fd>"), builds the population when the memory
// rows are registered, before any row runs, writes its samples to the pipe <fd>
// and exits. Its environment also sets glibc.pthread.stack_cache_size=0, so
// that not even a thread its own start-up ended can lend a stack. The lines on
// the pipe:
//   sample <tasks> <resident> <kernel stack> <VmPTE> <task_struct slab>
//   slab_unreadable <why>
//   woken <tasks woken and ended>
//   error <message>
constexpr const char* kChildVariable = "KITCHEN_MEMORY_CHILD";

const Kind* find_kind(const std::string& name) {
  for (const Kind& kind : kKinds) {
    if (name == kind.name) return &kind;
  }
  return nullptr;
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

template <class Population, class Sample>
void grow(Population& population, std::size_t tasks, Sample& sample) {
  sample(0);
  for (int step = 1; step <= kSteps; ++step) {
    const std::size_t n = tasks * step / kSteps;
    population.grow_to(n);
    sample(n);
  }
}

[[noreturn]] void run_child(const std::string& job, const MemoryPlan& plan) {
  const std::size_t colon = job.find(':');
  const std::size_t last = job.rfind(':');
  const Kind* kind = find_kind(job.substr(0, colon));
  std::FILE* out = fdopen(std::atoi(job.c_str() + last + 1), "w");
  if (kind == nullptr || out == nullptr || colon == last) {
    std::fprintf(stderr, "bench_kitchen: %s=%s is not <kind>:<tasks>:<fd>\n", kChildVariable,
                 job.c_str());
    std::_Exit(2);
  }
  const auto tasks = static_cast<std::size_t>(std::stoull(job.substr(colon + 1, last - colon - 1)));
  std::string slab_why;
  auto sample = [&](std::size_t n) {
    const MemorySample m = sample_memory();
    // Threads only: a coroutine is a frame, and a fiber a stack, on the heap
    // of the one thread that runs them, and the kernel allocates no
    // task_struct for either, so their slab share is 0 by construction and
    // the file is not read.
    const bool threads = kind->task == TaskKind::kThread;
    double slab = threads ? std::nan("") : 0.0;
    if (threads) {
      const SlabReading reading = read_task_struct_slab();
      if (reading.why_not.empty()) {
        slab = reading.bytes;
      } else {
        slab_why = reading.why_not;
      }
    }
    std::fprintf(out, "sample %zu %.17g %.17g %.17g %.17g\n", n, m.resident_bytes,
                 m.kernel_stack_bytes, m.pte_bytes, slab);
  };
  std::size_t woken = 0;
  release_free_memory();
  try {
    if (kind->task == TaskKind::kCoroutine) {
      CoroPopulation population(tasks, plan.task_state_bytes);
      grow(population, tasks, sample);
      woken = population.release();
    } else if (kind->task == TaskKind::kFiber) {
      FiberPopulation population(tasks, kind->stack_bytes, plan.task_state_bytes);
      grow(population, tasks, sample);
      woken = population.release();
    } else {
      ThreadPopulation population(tasks, kind->stack_bytes, plan.task_state_bytes,
                                  os::thread_allowance(plan.max_threads));
      grow(population, tasks, sample);
      woken = population.release();
    }
    std::fprintf(out, "woken %zu\n", woken);
  } catch (const ResourceLimitError& e) {
    std::fprintf(out, "error %s\n", one_line(e.what()).c_str());
  }
  if (!slab_why.empty()) std::fprintf(out, "slab_unreadable %s\n", one_line(slab_why).c_str());
  std::fclose(out);
  std::_Exit(0);
}

struct ChildReadings {
  Series series;
  std::optional<std::size_t> woken;
  // The child's ResourceLimitError, or why the child gave no readings
  std::string error;
  // Why the task_struct slab could not be read; empty when it was
  std::string slab_why;
};

void parse_child_output(const std::string& text, ChildReadings& readings) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "sample") {
      // strtod, unlike operator>>, reads "nan"
      const char* p = rest.c_str();
      char* end = nullptr;
      double v[5];
      for (double& x : v) {
        x = std::strtod(p, &end);
        p = end;
      }
      readings.series.add(v[0], v[1], v[2], v[3], v[4]);
    } else if (key == "woken") {
      readings.woken = static_cast<std::size_t>(std::stoull(rest));
    } else if (key == "error") {
      readings.error = rest;
    } else if (key == "slab_unreadable") {
      readings.slab_why = rest;
    }
  }
}

ChildReadings measure_in_child(const Kind& kind, std::size_t tasks, const MemoryPlan& plan) {
  ChildReadings readings;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    readings.error = std::string("pipe2: ") + std::strerror(errno);
    return readings;
  }
  // The write end alone goes to the child
  fcntl(fds[1], F_SETFD, 0);
  std::vector<std::string> args = {"/proc/self/exe", std::string("--benchmark_filter=^memory/") +
                                                         kind.name +
                                                         "/tasks:" + std::to_string(tasks) + "/"};
  if (plan.task_state_bytes > 0) {
    args.push_back("--task-state-bytes=" + std::to_string(plan.task_state_bytes));
  }
  if (plan.max_threads > 0) args.push_back("--max-threads=" + std::to_string(plan.max_threads));
  std::vector<std::string> env;
  std::string tunables = "GLIBC_TUNABLES=glibc.pthread.stack_cache_size=0";
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (entry.rfind("GLIBC_TUNABLES=", 0) == 0) {
      tunables += ":" + entry.substr(15);
    } else if (entry.rfind(std::string(kChildVariable) + "=", 0) != 0) {
      env.push_back(entry);
    }
  }
  env.push_back(tunables);
  env.push_back(std::string(kChildVariable) + "=" + kind.name + ":" + std::to_string(tasks) + ":" +
                std::to_string(fds[1]));
  const auto pointers = [](std::vector<std::string>& strings) {
    std::vector<char*> p;
    for (std::string& s : strings) p.push_back(s.data());
    p.push_back(nullptr);
    return p;
  };
  std::vector<char*> argv = pointers(args);
  std::vector<char*> envp = pointers(env);
  // Its stdout would mix with this run's report; it prints nothing there, as
  // it exits before any row runs, but to be sure.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    readings.error = std::string("posix_spawn /proc/self/exe: ") + std::strerror(spawned);
    return readings;
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  parse_child_output(text, readings);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFSIGNALED(status)
                                ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                : "exited with status " + std::to_string(WEXITSTATUS(status));
    readings.error = "the process measuring the population " + how +
                     (readings.error.empty() ? "" : " (" + readings.error + ")");
  }
  return readings;
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
  ChildReadings readings;
  for (auto _ : state) readings = measure_in_child(kind, tasks, plan);
  if (!readings.error.empty()) {
    state.SkipWithError(readings.error.c_str());
    return;
  }
  const std::size_t woken = readings.woken.value_or(0);
  if (woken != tasks) {
    const std::string why = std::to_string(woken) + " of " + std::to_string(tasks) +
                            " tasks woke from their wait and ended";
    state.SkipWithError(why.c_str());
    return;
  }
  const Series& series = readings.series;
  const bool slab_read = kind.task != TaskKind::kThread || readings.slab_why.empty();
  // The total per sample, so that its fit has an r2 of its own; its slope is
  // the sum of the parts' slopes (least squares is linear in y).
  std::vector<double> total;
  for (std::size_t i = 0; i < series.tasks.size(); ++i) {
    total.push_back(series.resident[i] + series.kernel_stack[i] + series.pte[i] +
                    (slab_read ? series.slab[i] : 0.0));
  }
  const auto resident = fit_line(series.tasks, series.resident);
  const auto kernel = fit_line(series.tasks, series.kernel_stack);
  const auto tables = fit_line(series.tasks, series.pte);
  const auto slab = slab_read ? fit_line(series.tasks, series.slab) : std::optional<Line>(Line{});
  const auto whole = fit_line(series.tasks, total);
  if (!resident || !kernel || !tables || !slab || !whole) {
    state.SkipWithError(
        "/proc/self/statm, /proc/self/status, /proc/meminfo or /proc/slabinfo could not be read");
    return;
  }
  auto& c = state.counters;
  c["tasks"] = static_cast<double>(tasks);
  c["task_state_bytes"] = static_cast<double>(plan.task_state_bytes);
  c["bytes_per_task"] = resident->slope;
  c["bytes_fit_r2"] = resident->r2;
  // Machine-wide figures, KernelStack and the task_struct slab: another process
  // starting threads meanwhile moves them a little.
  c["kernel_bytes_per_task"] = kernel->slope;
  c["pte_bytes_per_task"] = tables->slope;
  double total_per_task = resident->slope + kernel->slope + tables->slope;
  if (slab_read) {
    c["slab_bytes_per_task"] = slab->slope;
    total_per_task += slab->slope;
  } else {
    // No figure rather than a 0 that would read as measured: the total leaves
    // the task_struct out, and the label says why.
    c["slab_unreadable"] = 1;
    state.SetLabel("no task_struct slab share (" + readings.slab_why +
                   "): the total leaves it out");
  }
  c["total_bytes_per_task"] = total_per_task;
  c["r2"] = whole->r2;
  if (const auto why = refuse_below_floor(*whole, kR2Floor, "the total bytes over tasks")) {
    state.SkipWithError(why->c_str());
  }
}

}  // namespace

void register_memory(const MemoryPlan& plan) {
  // A process started by a memory row: measure, report, exit (see run_child).
  if (const char* job = std::getenv(kChildVariable)) run_child(job, plan);
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
    for (std::size_t tasks : kind.task == TaskKind::kThread ? thread_tasks : *kind.tasks) {
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
