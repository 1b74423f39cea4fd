// A population of idle threads for the memory family: each one holds its task
// state and sleeps (Boost.Thread's interruptible sleep, as the thread executors
// wait in fail-fast services) until it is interrupted. Growing it stops at the
// first refusal, by the OS or by the cap the suite sets (--max-threads, the
// thread budget left under pid_max and friends): every thread already started
// is then woken and joined, and the refusal becomes a ResourceLimitError that
// names the limit, so the row ends as an error and the process goes on.
#pragma once

#include <atomic>
#include <boost/thread/thread.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "os/limits.hpp"

namespace kitchen::bench {

// How many threads a row may start, and which limit says so
// ("--max-threads=50", "pid_max=...").
using ThreadCap = os::ThreadBudget;

class ThreadPopulation {
 public:
  // `capacity` is the largest population asked for; its bookkeeping is
  // allocated and written here, before the first memory sample, so that it is
  // not counted per task.
  ThreadPopulation(std::size_t capacity, std::size_t stack_bytes, std::size_t state_bytes,
                   ThreadCap cap);
  ThreadPopulation(const ThreadPopulation&) = delete;
  ThreadPopulation& operator=(const ThreadPopulation&) = delete;
  ~ThreadPopulation() { release(); }

  // Starts threads until `tasks` of them are alive and asleep. Throws
  // ResourceLimitError, after releasing every thread, when the cap or the OS
  // refuses one.
  void grow_to(std::size_t tasks);

  // Interrupts every thread's sleep and joins it; returns how many were woken
  // from their sleep (all of them, unless something is wrong).
  std::size_t release();

  std::size_t alive() const { return started_; }

 private:
  // The body of every thread: hold the task state, sleep until interrupted.
  void idle();
  [[noreturn]] void refuse(const std::string& why);

  struct Census {
    std::atomic<std::size_t> asleep{0};
    std::atomic<std::size_t> woken{0};
  };

  boost::thread::attributes attributes_;
  std::size_t state_bytes_;
  ThreadCap cap_;
  std::vector<boost::thread> threads_;
  std::size_t started_ = 0;
  // The process's threads before any of this population's, which the refusal message expects
  // to be back to once they are joined.
  std::int64_t threads_before_;
  Census census_;
};

}  // namespace kitchen::bench
