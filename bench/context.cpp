#include "context.hpp"

#include <benchmark/benchmark.h>

#include <boost/version.hpp>
#include <cstdio>

#include "build_info.hpp"
#include "executors/catalogue.hpp"
#include "kitchen/cpu_work.hpp"
#include "mechanisms/slack.hpp"
#include "os/cores.hpp"
#include "os/limits.hpp"
#include "os/timer_slack.hpp"

namespace kitchen::bench {
namespace {

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace

void add_context(const std::string& sweep, unsigned long long seed) {
  using benchmark::AddCustomContext;
  AddCustomContext("kitchen_sweep", sweep);
  AddCustomContext("kitchen_seed", std::to_string(seed));
  AddCustomContext("kitchen_git_revision", git_revision());
  AddCustomContext("kitchen_build_type", build_type());
  AddCustomContext("compiler", std::string("g++ ") + __VERSION__);
  AddCustomContext("boost_version", BOOST_LIB_VERSION);
  // What Asio waits on for sockets and timers: bench_kitchen_uring is built for io_uring.
#ifdef BOOST_ASIO_HAS_IO_URING
  AddCustomContext("asio_reactor", "io_uring");
#else
  AddCustomContext("asio_reactor", "epoll");
#endif
  const auto slack = os::timer_slack();
  AddCustomContext("timer_slack_ns", slack ? std::to_string(slack->count()) : "unknown");
  // What the timer family's slack:default rows run with (50 us unless the
  // parent changed it).
  const auto default_slack = default_timer_slack();
  AddCustomContext("timer_slack_default_ns",
                   default_slack ? std::to_string(default_slack->count()) : "unknown");
  AddCustomContext("cpu_ns_per_unit", number(calibration().ns_per_unit));
  // The cores the ideal makespan and the grids use (sched_getaffinity, cgroup quota).
  AddCustomContext("usable_cores", std::to_string(os::usable_cores()));
  // Every executor, its side, what it is, its Python analogue and its pair: the
  // scripts derive order, colours and the table's pairs from it.
  AddCustomContext("kitchen_catalogue", catalogue_json());
  const os::ThreadLimits limits = os::read_thread_limits();
  AddCustomContext("pid_max", std::to_string(limits.pid_max));
  AddCustomContext("threads_max", std::to_string(limits.threads_max));
  AddCustomContext("max_map_count", std::to_string(limits.max_map_count));
  AddCustomContext("rlimit_nproc", std::to_string(limits.rlimit_nproc));
  AddCustomContext("rlimit_stack", std::to_string(limits.rlimit_stack));
  // How many more threads the process could start when it began, and the limit
  // that says so.
  const os::ThreadBudget budget = os::thread_budget(limits);
  AddCustomContext("thread_budget", std::to_string(budget.threads));
  AddCustomContext("thread_budget_limit", budget.limit);
}

}  // namespace kitchen::bench
