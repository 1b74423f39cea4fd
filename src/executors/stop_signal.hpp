// A one-way stop flag for one service of an executor, raised by the first
// failure of a fail-fast service, with a way for a supervising thread to sleep
// until it is raised or until its workers are done. The flag itself is a plain
// atomic, cheap to poll from the cooking path; the mutex and condition variable
// are touched only by request() and poke(), which the executors use only in
// fail-fast services.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace kitchen {

class StopSignal {
 public:
  void request() {
    {
      std::lock_guard lock(mutex_);
      stop_.store(true, std::memory_order_release);
    }
    changed_.notify_all();
  }

  bool requested() const { return stop_.load(std::memory_order_acquire); }

  // Wakes a waiter so that it looks at its condition again (a worker finished,
  // say).
  void poke() {
    { std::lock_guard lock(mutex_); }
    changed_.notify_all();
  }

  // Sleeps until a stop is requested or done() holds; true if a stop was
  // requested.
  template <class Done>
  bool wait_until_stop_or(Done done) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return requested() || done(); });
    return requested();
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
};

}  // namespace kitchen
