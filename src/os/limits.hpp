// The operating system's limits on how many threads (and files) a process may have.
// An executor that starts threads checks its need against them before it starts one, so
// a sweep point past them ends as an error row that names the limit instead of
// a crash half-way.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kitchen::os {

struct ThreadLimits {
  // /proc/sys/kernel/pid_max
  std::int64_t pid_max = -1;
  // /proc/sys/kernel/threads-max
  std::int64_t threads_max = -1;
  // /proc/sys/vm/max_map_count (two maps per thread stack)
  std::int64_t max_map_count = -1;
  // RLIMIT_NPROC, soft; -1 when unlimited
  std::int64_t rlimit_nproc = -1;
  // RLIMIT_STACK, soft, bytes; -1 when unlimited
  std::int64_t rlimit_stack = -1;
};

ThreadLimits read_thread_limits();

// Threads this process has now (/proc/self/status), or -1 where unknown.
std::int64_t current_threads();

// current_threads() once it is at most `expected`, or its last reading after `give_up`. A thread
// whose join has returned can still be listed for a moment (the kernel lets the joiner go
// before it removes the task), so a count read right after joins can include them.
std::int64_t current_threads_settled(std::int64_t expected, std::chrono::milliseconds give_up);

// How many more threads this process may start, and which limit says so
// ("pid_max=32768").
struct ThreadBudget {
  std::int64_t threads;
  std::string limit;
};
ThreadBudget thread_budget(const ThreadLimits& limits);

// The files this process may have open at once (RLIMIT_NOFILE, soft; -1 when
// unlimited or unknown) and those it has open now (/proc/self/fd; -1 where
// unknown). A net row holds a socket per chef, and so does the pantry server.
struct FileBudget {
  std::int64_t limit = -1;
  std::int64_t open = -1;
};
FileBudget file_budget();

// The threads a run may start: the tighter of --max-threads (0: not given) and
// what the OS limits leave, naming which ("--max-threads=50", "pid_max=32768").
ThreadBudget thread_allowance(std::int64_t max_threads);

}  // namespace kitchen::os
