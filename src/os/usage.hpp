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

}  // namespace kitchen::os
