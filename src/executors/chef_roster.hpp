// A counting semaphore that hands out chef ids: at most `chefs` threads (or fibers) hold one at a
// time, and the id says which chef cooks. The thread analogue of the channel of chef tokens the
// coroutine executors use. Written once over its lock kind: ChefRoster blocks an OS thread
// (Boost.Thread's mutex and condition variable, so that a wait is an interruption point, which
// is how a fail-fast thread kitchen stops its waiters); FiberRoster suspends only the fiber that
// waits (Boost.Fiber's), and since fibers cannot be interrupted, a fail-fast fiber kitchen
// dismisses its waiters instead.
#pragma once

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "executors/sync_ops.hpp"

namespace kitchen {

template <class Mutex, class Condition, template <class> class Lock>
class BasicChefRoster {
 public:
  explicit BasicChefRoster(std::uint32_t chefs) {
    free_.reserve(chefs);
    for (std::uint32_t id = chefs; id > 0; --id) free_.push_back(id - 1);
  }

  // Waits for a free chef; none once the roster is dismissed (the kitchen is stopping). An
  // answer, not an exception: a fail-fast fiber kitchen dismisses hundreds of waiters at once.
  std::optional<std::uint32_t> acquire() {
    Lock<Mutex> lock(mutex_);
    count_sync_op();
    while (free_.empty() && !dismissed_) available_.wait(lock);
    if (dismissed_) return std::nullopt;
    const std::uint32_t id = free_.back();
    free_.pop_back();
    return id;
  }

  void release(std::uint32_t id) {
    {
      Lock<Mutex> lock(mutex_);
      count_sync_op();
      free_.push_back(id);
    }
    available_.notify_one();
  }

  // Every waiter, now and later, gets no chef.
  void dismiss() {
    {
      Lock<Mutex> lock(mutex_);
      dismissed_ = true;
    }
    available_.notify_all();
  }

 private:
  Mutex mutex_;
  Condition available_;
  // Capacity fixed up front: no allocation after construction
  std::vector<std::uint32_t> free_;
  bool dismissed_ = false;
};

using ChefRoster = BasicChefRoster<boost::mutex, boost::condition_variable, boost::unique_lock>;
using FiberRoster =
    BasicChefRoster<boost::fibers::mutex, boost::fibers::condition_variable, std::unique_lock>;

}  // namespace kitchen
