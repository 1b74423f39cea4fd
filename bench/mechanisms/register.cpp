#include "mechanisms/register.hpp"

#include <benchmark/benchmark.h>

#include <string>

#include "mechanisms/families.hpp"

namespace kitchen::bench {
namespace {

void add_mechanism_context(const MemoryPlan& plan) {
  // The limits and slacks are in every run's context (context.cpp); these are
  // the memory rows'.
  benchmark::AddCustomContext("mechanisms_max_threads",
                              plan.max_threads > 0 ? std::to_string(plan.max_threads) : "os");
  benchmark::AddCustomContext("mechanisms_task_state_bytes", std::to_string(plan.task_state_bytes));
}

}  // namespace

int register_mechanisms(const Options& options) {
  const std::string filter = benchmark::GetBenchmarkFilter();
  const bool cheap = options.mechanisms || !filter.empty();
  const bool memory = options.mechanisms || filter.find("memory") != std::string::npos;
  const MemoryPlan plan{options.task_state_bytes, options.staffing.max_threads};
  int families = 0;
  if (cheap) {
    register_spawn();
    register_switch();
    register_timer();
    register_floor(options.seed, options.staffing);
    families += 4;
  }
  if (memory) {
    register_memory(plan);
    ++families;
  }
  if (families > 0) add_mechanism_context(plan);
  return families;
}

}  // namespace kitchen::bench
