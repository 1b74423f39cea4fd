// The threads of a service, counted as they come and go rather than declared by
// the executor. Two figures:
//
//   os_threads       the peak number of the process's live OS threads during the
//                    service: the threads alive when it opened (read from /proc
//                    once, outside any timed path) plus the most threads the
//                    executors had started and not yet finished at any moment;
//   cooking_threads  the distinct OS threads that ran at least one cooking step.
//
// Every thread an executor starts reports its start and its end (ThreadCrew does
// it for all of them), and Cooking::step() reports the thread it runs on. Both
// cost a relaxed atomic or a thread-local compare: nothing the chefs would feel.
// The census is process-wide, like the OS's thread table: one service at a time.
#pragma once

#include <cstdint>

namespace kitchen::census {

// Called first and last by every thread an executor starts; the last also adds the thread's
// run-queue wait (os::thread_runqueue_wait_ns) to the service's.
void thread_started();
void thread_ended();

// What a thread an executor starts holds for its whole life.
class CountedThread {
 public:
  CountedThread() { thread_started(); }
  ~CountedThread() { thread_ended(); }
  CountedThread(const CountedThread&) = delete;
  CountedThread& operator=(const CountedThread&) = delete;
};

// Called by the thread about to cook a step; counts it once per service.
void cooking_here();

// Re-reads, outside the timed path, how many threads the process has that no
// executor started (the main thread, a test runner's). Done once on first use.
void recount_baseline();

// How many threads the census counts as alive right now: the baseline plus the threads the
// executors started that have not ended. For tests, which hold it against /proc.
int counted_now();

struct Count {
  unsigned os_threads = 0;
  unsigned cooking_threads = 0;
  // Time the service's threads spent runnable but waiting for a CPU, in nanoseconds: each
  // thread an executor started, over its whole life (read as it ends), plus the thread that
  // opened and closed the service, over the service.
  std::int64_t runqueue_wait_ns = 0;
};

// A service opens the census when it opens and reads it when it closes.
void open();
Count close();

}  // namespace kitchen::census
