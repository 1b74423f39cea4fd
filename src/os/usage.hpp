// What the process as a whole spends: CPU time over all its threads, and
// context switches. Read around a whole benchmark so that every executor is
// accounted the same way, whatever threads it starts and ends.
#pragma once

#include <cstdint>

namespace kitchen::os {

struct Usage {
  // User + system, all threads, including ended ones
  std::int64_t cpu_ns = 0;
  // Voluntary + involuntary
  std::int64_t ctx_switches = 0;
};

Usage process_usage();

// How long the calling thread has waited, runnable, for a CPU since it started: the second field
// of /proc/thread-self/schedstat, in nanoseconds; -1 where the kernel does not keep it.
std::int64_t thread_runqueue_wait_ns();

}  // namespace kitchen::os
