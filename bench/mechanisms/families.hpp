// The mechanism families, each registered by its own file. Rows are named
//   spawn/<kind>   switch/<kind>   memory/<kind>/tasks:<N>
//   timer/<kind>/wait_us:<W>/slack:<S>   floor/<executor>/chefs:3/customers:10000
// register.cpp decides which families a run registers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kitchen {
struct Staffing;
}

namespace kitchen::bench {

// Boost.Thread's stack for the *_small_stack kinds: 64 KiB instead of
// RLIMIT_STACK (8 MiB here).
inline constexpr std::size_t kSmallStackBytes = 64 * 1024;
// A fiber's stack for the fiber_small_stack kinds: 16 KiB instead of Boost.Context's default
// 128 KiB, a heap block below glibc's mmap threshold (no mapping of its own).
inline constexpr std::size_t kSmallFiberStackBytes = 16 * 1024;

void register_spawn();
void register_switch();
void register_timer();
// The executors' floors (floor.hpp), on the orders of `seed`, staffed as the kitchen rows are.
void register_floor(std::uint64_t seed, const Staffing& staffing);

struct MemoryPlan {
  // --task-state-bytes
  std::size_t task_state_bytes = 0;
  // --max-threads; 0: what the OS allows
  std::int64_t max_threads = 0;
};
void register_memory(const MemoryPlan& plan);

}  // namespace kitchen::bench
