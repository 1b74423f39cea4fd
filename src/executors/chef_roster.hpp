// A counting semaphore that hands out chef ids: at most `chefs` threads hold
// one at a time, and the id says which chef cooks. The thread analogue of the
// channel of chef tokens the coroutine executors use.
#pragma once

#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <cstdint>
#include <vector>

#include "executors/sync_ops.hpp"

namespace kitchen {

class ChefRoster {
 public:
  explicit ChefRoster(std::uint32_t chefs) {
    free_.reserve(chefs);
    for (std::uint32_t id = chefs; id > 0; --id) free_.push_back(id - 1);
  }

  // Waits for a free chef; an interruption point (Boost.Thread), like a sleep.
  std::uint32_t acquire() {
    boost::unique_lock<boost::mutex> lock(mutex_);
    count_sync_op();
    while (free_.empty()) available_.wait(lock);
    const std::uint32_t id = free_.back();
    free_.pop_back();
    return id;
  }

  void release(std::uint32_t id) {
    {
      boost::lock_guard<boost::mutex> lock(mutex_);
      count_sync_op();
      free_.push_back(id);
    }
    available_.notify_one();
  }

 private:
  boost::mutex mutex_;
  boost::condition_variable available_;
  // Capacity fixed up front: no allocation after construction
  std::vector<std::uint32_t> free_;
};

}  // namespace kitchen
