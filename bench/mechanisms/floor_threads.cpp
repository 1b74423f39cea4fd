// The thread executors' floors: threads that block through each wait (a sleep; none on the
// overhead profile) and cook inline. No ledger, no census, no stop signal, no GIL.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

#include "kitchen/cooking.hpp"
#include "mechanisms/floor.hpp"

namespace kitchen::bench {
namespace {

// One order, start to end, on the calling thread.
void cook_here(FloorKitchen& kitchen, std::uint32_t order, std::uint32_t chef) {
  Cooking cooking(kitchen.service, order, chef);
  for (; !cooking.done(); cooking.step()) {
    if (cooking.next_wait().count() > 0) std::this_thread::sleep_for(cooking.next_wait());
  }
  kitchen.served(order);
}

std::uint32_t customers_of(const FloorKitchen& kitchen) {
  return static_cast<std::uint32_t>(kitchen.orders.size());
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
  std::deque<std::packaged_task<void()>> tasks;
  bool closed = false;
  std::vector<std::thread> workers;
  for (std::uint32_t worker = 0; worker < kitchen.service.chefs; ++worker) {
    workers.emplace_back([&] {
      for (std::unique_lock lock(mutex);; lock.lock()) {
        ready.wait(lock, [&] { return closed || !tasks.empty(); });
        if (tasks.empty()) return;
        std::packaged_task<void()> task = std::move(tasks.front());
        tasks.pop_front();
        lock.unlock();
        task();
      }
    });
  }
  std::vector<std::future<void>> futures;
  futures.reserve(customers_of(kitchen));
  for (std::uint32_t order = 0; order < customers_of(kitchen); ++order) {
    std::packaged_task<void()> task([&kitchen, order] { cook_here(kitchen, order, 0); });
    futures.push_back(task.get_future());
    {
      const std::lock_guard lock(mutex);
      tasks.push_back(std::move(task));
    }
    ready.notify_one();
  }
  {
    const std::lock_guard lock(mutex);
    closed = true;
  }
  ready.notify_all();
  for (std::future<void>& done : futures) done.get();
  for (std::thread& worker : workers) worker.join();
}

// `chefs` threads, each taking the next order from an atomic index.
void floor_threads_chefs(FloorKitchen& kitchen) {
  std::atomic<std::uint32_t> next{0};
  std::vector<std::thread> chefs;
  for (std::uint32_t chef = 0; chef < kitchen.service.chefs; ++chef) {
    chefs.emplace_back([&kitchen, &next, chef] {
      for (std::uint32_t order; (order = next.fetch_add(1)) < customers_of(kitchen);) {
        cook_here(kitchen, order, chef);
      }
    });
  }
  for (std::thread& chef : chefs) chef.join();
}

// A thread per order, at most `chefs` of them cooking at once (a counting semaphore).
void floor_threads_per_order(FloorKitchen& kitchen) {
  std::counting_semaphore<> free_chefs(kitchen.service.chefs);
  std::vector<std::thread> threads;
  threads.reserve(customers_of(kitchen));
  for (std::uint32_t order = 0; order < customers_of(kitchen); ++order) {
    threads.emplace_back([&kitchen, &free_chefs, order] {
      free_chefs.acquire();
      cook_here(kitchen, order, 0);
      free_chefs.release();
    });
  }
  for (std::thread& thread : threads) thread.join();
}

}  // namespace kitchen::bench
