// threads_pool: the C++ shape of Python's ThreadPoolExecutor(max_workers=chefs)
// and its map(). A pool of `chefs` Boost.Thread workers takes tasks from one
// shared queue (a locked deque, as ThreadPoolExecutor's is). Each order is
// submitted as one task with one future; the futures are gathered in the order
// of the orders, and the pool shuts down like a `with ThreadPoolExecutor(...)`
// block. A worker cooks a task by blocking on each fetch. Every order pays for
// what ThreadPoolExecutor pays for: a task object, a future, a locked push and
// pop. Its pair is the event loop's coroutine per order.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

#include "executors/arrival.hpp"
#include "executors/catalogue.hpp"
#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {
namespace {

using Task = std::packaged_task<void(std::uint32_t worker)>;

// The pool's work queue. A worker blocks in it only when it is empty; under the
// GIL emulation it lets the GIL go just then, as a Python worker blocked in
// queue.get() does, and keeps it while there is work.
class TaskQueue {
 public:
  void submit(Task task) {
    {
      const std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

  // No more tasks: workers return once the queue is empty.
  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

  std::optional<Task> next(Gil* gil) {
    std::unique_lock lock(mutex_);
    while (tasks_.empty() && !closed_) {
      lock.unlock();
      {
        const GilReleased waiting(gil);
        std::unique_lock idle(mutex_);
        ready_.wait(idle, [&] { return !tasks_.empty() || closed_; });
      }
      // The GIL is taken back with the queue's lock released: the holder may be
      // on its way into the queue. Another worker may have taken the task by now.
      lock.lock();
    }
    if (tasks_.empty()) return std::nullopt;
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    return task;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Task> tasks_;
  bool closed_ = false;
};

// Closes the queue when the pool's block ends, whatever happens, so that the
// workers can return and be joined.
struct Shutdown {
  TaskQueue& queue;
  ~Shutdown() { queue.close(); }
};

}  // namespace

void ThreadsPool::admit(const Service& service) const {
  check_thread_budget(name_of<ThreadsPool>(), threads_for(service), staffing_.max_threads);
}

Ledger ThreadsPool::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  const auto customers = static_cast<std::uint32_t>(service.customers());
  const std::uint32_t workers = threads_for(service);
  StopSignal stop;
  TaskQueue queue;
  std::vector<std::future<void>> futures;
  futures.reserve(customers);
  {
    ThreadCrew crew(workers, ledger, service.fail_fast ? &stop : nullptr);
    // After the crew: on an exception the queue closes before the crew joins.
    const Shutdown shutdown{queue};
    const boost::thread::attributes defaults;
    for (std::uint32_t worker = 0; worker < workers; ++worker) {
      crew.start(
          defaults,
          [&queue, &service, worker] {
            // Under the GIL emulation a worker holds it for all it does but wait.
            const GilHeld python(service.gil);
            while (std::optional<Task> task = queue.next(service.gil)) (*task)(worker);
          },
          name_of<ThreadsPool>());
    }
    ledger.opened();
    // submit(): one task and one future per order. In an open loop this thread
    // is the arrival schedule: it submits each order at its time.
    for (std::uint32_t order = 0; order < customers; ++order) {
      if (!stop.requested()) hand_over_when_due(ledger, service, order);
      Task task([&service, &fetcher, &ledger, &stop, order](std::uint32_t worker) {
        cook_on_thread(service, fetcher, ledger, stop, order, worker);
      });
      futures.push_back(task.get_future());
      queue.submit(std::move(task));
    }
    // Per order: the queue's push and pop, the future's hand-over and its get().
    ledger.add_sync_ops(4 * std::uint64_t{customers});
    queue.close();
    // Gathering in order, as map() does. A fail-fast service is gathered after the
    // pool has shut down: the crew must first interrupt the workers still asleep.
    if (!service.fail_fast) {
      for (std::future<void>& f : futures) f.get();
    }
    crew.join();
  }
  for (std::future<void>& f : futures) {
    if (f.valid()) f.get();
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
