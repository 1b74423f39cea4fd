// The thread executors' floors: threads that block through each wait (a sleep; none on the
// overhead profile) and cook inline. No ledger, no census, no stop signal, no GIL.
#include <atomic>
#include <boost/thread/thread.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <semaphore>
#include <thread>
#include <utility>
#include <vector>

#include "executors/catalogue.hpp"
#include "executors/thread_crew.hpp"
#include "kitchen/cooking.hpp"
#include "mechanisms/floor.hpp"

namespace kitchen::bench {
namespace {

// One order, start to end, on the calling thread, which sleeps through each wait.
void cook_here(FloorKitchen& kitchen, std::uint32_t order, std::uint32_t chef) {
  cook_in_floor(kitchen, order, chef,
                [](std::chrono::nanoseconds wait) { std::this_thread::sleep_for(wait); });
}

}  // namespace

void floor_serial(FloorKitchen& kitchen) {
  for (std::uint32_t order = 0; order < customers_of(kitchen); ++order)
    cook_here(kitchen, order, 0);
}

// `chefs` threads taking tasks from one locked queue, as ThreadPoolExecutor's workers do; a task
// and a future per order, gathered in order.
void floor_threads_pool(FloorKitchen& kitchen) {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::packaged_task<void(std::uint32_t)>> tasks;
  bool closed = false;
  // Closed, the queue lets each worker end once it is empty.
  const auto close = [&] {
    {
      const std::lock_guard lock(mutex);
      closed = true;
    }
    ready.notify_all();
  };
  Joined<std::thread> workers;
  std::vector<std::future<void>> futures;
  futures.reserve(customers_of(kitchen));
  try {
    for (std::uint32_t worker = 0; worker < kitchen.service.chefs; ++worker) {
      workers.threads.emplace_back([&, worker] {
        for (std::unique_lock lock(mutex);; lock.lock()) {
          ready.wait(lock, [&] { return closed || !tasks.empty(); });
          if (tasks.empty()) return;
          std::packaged_task<void(std::uint32_t)> task = std::move(tasks.front());
          tasks.pop_front();
          lock.unlock();
          // The worker that runs the task is the chef that cooks it.
          task(worker);
        }
      });
    }
    for (std::uint32_t order = 0; order < customers_of(kitchen); ++order) {
      std::packaged_task<void(std::uint32_t)> task(
          [&kitchen, order](std::uint32_t chef) { cook_here(kitchen, order, chef); });
      futures.push_back(task.get_future());
      {
        const std::lock_guard lock(mutex);
        tasks.push_back(std::move(task));
      }
      ready.notify_one();
    }
  } catch (...) {
    // A worker the OS would not start: the others must still end before they are joined.
    close();
    throw;
  }
  close();
  for (std::future<void>& done : futures) done.get();
}

// `chefs` threads, each taking the next order from an atomic index.
void floor_threads_chefs(FloorKitchen& kitchen) {
  std::atomic<std::uint32_t> next{0};
  Joined<std::thread> chefs;
  for (std::uint32_t chef = 0; chef < kitchen.service.chefs; ++chef) {
    chefs.threads.emplace_back([&kitchen, &next, chef] {
      for (std::uint32_t order; (order = next.fetch_add(1)) < customers_of(kitchen);) {
        cook_here(kitchen, order, chef);
      }
    });
  }
}

// A Boost.Thread per order with the kitchen row's stack size, at most `chefs` of them cooking at
// once (a counting semaphore, which hands out no chef ids: every order is chef 0's), after the
// same thread-budget check as the kitchen row's.
void floor_threads_per_order(FloorKitchen& kitchen) {
  check_thread_budget(name_of<ThreadsPerOrder>(), customers_of(kitchen),
                      kitchen.staffing.max_threads);
  boost::thread::attributes attributes;
  if (kitchen.staffing.stack_bytes > 0) attributes.set_stack_size(kitchen.staffing.stack_bytes);
  std::counting_semaphore<> free_chefs(kitchen.service.chefs);
  Joined<boost::thread> threads;
  threads.threads.reserve(customers_of(kitchen));
  for (std::uint32_t order = 0; order < customers_of(kitchen); ++order) {
    threads.threads.emplace_back(std::as_const(attributes), [&kitchen, &free_chefs, order] {
      free_chefs.acquire();
      cook_here(kitchen, order, 0);
      free_chefs.release();
    });
  }
}

}  // namespace kitchen::bench
