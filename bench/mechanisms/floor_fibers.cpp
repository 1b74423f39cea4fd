// The fiber executors' floors: a fiber per order, at most `chefs` cooking at once (a fiber
// semaphore that hands out no chef ids: every order is chef 0's), each fiber sleeping as a fiber
// through each wait (none on the overhead profile) and cooking inline. No ledger, no census, no
// stop signal, no GIL. fibers_blocking's floor is fibers': on the overhead profile there is no
// wait for it to block in, which is all that sets the two apart.
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/operations.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "executors/catalogue.hpp"
#include "executors/fiber_scheduler.hpp"
#include "executors/fiber_stack.hpp"
#include "executors/thread_crew.hpp"
#include "mechanisms/floor.hpp"
#include "os/cores.hpp"

namespace kitchen::bench {
namespace {

// A counting semaphore for fibers: Boost.Fiber has none.
class FiberSemaphore {
 public:
  explicit FiberSemaphore(std::uint32_t count) : count_(count) {}
  void acquire() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [this] { return count_ > 0; });
    --count_;
  }
  void release() {
    {
      const std::lock_guard lock(mutex_);
      ++count_;
    }
    freed_.notify_one();
  }

 private:
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable freed_;
  std::uint32_t count_;
};

// Every order on a fiber of its own, launched from this thread, which already runs the
// scheduler; returns when all have ended. The kitchen row's stacks and mapping check.
void serve_fibers(FloorKitchen& kitchen, std::string_view who) {
  fiber::check_mapping_budget(who, customers_of(kitchen), kitchen.staffing);
  FiberSemaphore free_chefs(kitchen.service.chefs);
  fiber::with_fiber_stack(kitchen.staffing, [&](auto& stack) {
    Joined<boost::fibers::fiber> fibers;
    fibers.threads.reserve(customers_of(kitchen));
    for (std::uint32_t order = 0; order < customers_of(kitchen); ++order) {
      fibers.threads.emplace_back(std::allocator_arg, stack, [&kitchen, &free_chefs, order] {
        free_chefs.acquire();
        cook_in_floor(kitchen, order, 0,
                      [](std::chrono::nanoseconds wait) { boost::this_fiber::sleep_for(wait); });
        free_chefs.release();
      });
    }
  });
}

}  // namespace

void floor_fibers(FloorKitchen& kitchen) {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  serve_fibers(kitchen, name_of<Fibers>());
}

void floor_fibers_blocking(FloorKitchen& kitchen) {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  serve_fibers(kitchen, name_of<FibersBlocking>());
}

// The kitchen row's scheduler: one thread per usable core (or --loop-threads) sharing one queue
// of ready fibers.
void floor_fibers_mt(FloorKitchen& kitchen) {
  const unsigned threads =
      kitchen.staffing.loop_threads > 0 ? kitchen.staffing.loop_threads : os::usable_cores();
  check_thread_budget(name_of<FibersMt>(), threads - 1, kitchen.staffing.max_threads);
  fiber::FiberPool pool(threads, nullptr);
  Joined<boost::thread> helpers;
  try {
    for (unsigned i = 1; i < threads; ++i) {
      helpers.threads.emplace_back([&pool] {
        pool.join_this_thread();
        pool.serve_until_closed();
      });
    }
  } catch (...) {
    // The helpers started must end before they are joined.
    pool.close();
    throw;
  }
  const fiber::ServingThread serving(pool, [&helpers] {
    for (boost::thread& helper : helpers.threads) helper.join();
  });
  serve_fibers(kitchen, name_of<FibersMt>());
}

}  // namespace kitchen::bench
