#include "mechanisms/thread_population.hpp"

#include <sys/resource.h>

#include <boost/chrono/duration.hpp>
#include <chrono>
#include <new>
#include <string>
#include <thread>
#include <utility>

#include "executors/executors.hpp"
#include "mechanisms/proc_memory.hpp"
#include "mechanisms/task_state.hpp"
#include "os/limits.hpp"

namespace kitchen::bench {
namespace {

// Long enough never to end on its own during a row; release() interrupts it.
constexpr boost::chrono::hours kSleep(24);

// How long joined threads may take to leave /proc/self/status's count before it is reported.
constexpr std::chrono::seconds kJoinLag(2);

// Every limit that can stop thread creation, for the message of a refusal: the
// OS does not say which one it hit.
std::string limits_in_force() {
  const os::ThreadLimits l = os::read_thread_limits();
  rlimit address_space{};
  const bool as_limited =
      getrlimit(RLIMIT_AS, &address_space) == 0 && address_space.rlim_cur != RLIM_INFINITY;
  const double available = sample_memory().available_bytes;
  return "pid_max=" + std::to_string(l.pid_max) + " threads-max=" + std::to_string(l.threads_max) +
         " max_map_count=" + std::to_string(l.max_map_count) +
         " RLIMIT_NPROC=" + std::to_string(l.rlimit_nproc) +
         " RLIMIT_STACK=" + std::to_string(l.rlimit_stack) +
         " RLIMIT_AS=" + (as_limited ? std::to_string(address_space.rlim_cur) : "-1") +
         " MemAvailable=" + std::to_string(static_cast<long long>(available / 1024)) + "kB";
}

}  // namespace

ThreadPopulation::ThreadPopulation(std::size_t capacity, std::size_t stack_bytes,
                                   std::size_t state_bytes, ThreadCap cap)
    : state_bytes_(state_bytes),
      cap_(std::move(cap)),
      threads_(capacity),
      threads_before_(os::current_threads()) {
  if (stack_bytes > 0) attributes_.set_stack_size(stack_bytes);
}

void ThreadPopulation::grow_to(std::size_t tasks) {
  if (tasks > threads_.size()) refuse("asked for more threads than the row planned");
  while (started_ < tasks) {
    if (static_cast<std::int64_t>(started_) >= cap_.threads) {
      refuse("the limit " + cap_.limit + " allows " + std::to_string(cap_.threads) +
             " threads, thread " + std::to_string(started_ + 1) + " was not started");
    }
    try {
      threads_[started_] = boost::thread(std::as_const(attributes_), [this] { idle(); });
    } catch (const boost::thread_resource_error& e) {
      refuse("the OS refused thread " + std::to_string(started_ + 1) + " (" + e.what() +
             "); limits: " + limits_in_force());
    } catch (const std::bad_alloc&) {
      refuse("out of memory at thread " + std::to_string(started_ + 1) +
             "; limits: " + limits_in_force());
    }
    ++started_;
  }
  // Counted just before each thread goes to sleep: by then its stack pages are
  // touched.
  while (census_.asleep.load(std::memory_order_acquire) < started_) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

void ThreadPopulation::idle() {
  try {
    const TaskState state(state_bytes_);
    census_.asleep.fetch_add(1, std::memory_order_release);
    boost::this_thread::sleep_for(kSleep);
  } catch (const boost::thread_interrupted&) {
    census_.woken.fetch_add(1, std::memory_order_relaxed);
  } catch (const std::bad_alloc&) {
    // No state, no sleep: counted as asleep so that grow_to() goes on, never as
    // woken, so that the row reports it.
    census_.asleep.fetch_add(1, std::memory_order_release);
  }
}

std::size_t ThreadPopulation::release() {
  // An interruption asked for before a thread reaches its sleep is delivered at
  // the sleep, so none can be missed.
  for (std::size_t i = 0; i < started_; ++i) threads_[i].interrupt();
  for (std::size_t i = 0; i < started_; ++i) {
    if (threads_[i].joinable()) threads_[i].join();
  }
  return census_.woken.load(std::memory_order_relaxed);
}

void ThreadPopulation::refuse(const std::string& why) {
  const std::size_t started = started_;
  release();
  throw ResourceLimitError(why + "; the " + std::to_string(started) +
                           " threads started were woken and joined (threads in process now: " +
                           std::to_string(os::current_threads_settled(threads_before_, kJoinLag)) +
                           ")");
}

}  // namespace kitchen::bench
