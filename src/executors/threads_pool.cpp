// threads_pool: the C++ shape of Python's ThreadPoolExecutor(max_workers=chefs)
// and its map(). A pool of `chefs` Boost.Thread workers runs a shared task
// queue (an io_context that only they run). Each order is submitted as one
// task with one future; the futures are gathered in the order of the orders,
// and the pool shuts down like a `with ThreadPoolExecutor(...)` block. A worker
// cooks a task by blocking on each fetch. Every order pays for what
// ThreadPoolExecutor pays for: a task object, a future, a queue push and pop.
// Its pair is the event loop's coroutine per order.
#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <vector>

#include "executors/catalogue.hpp"
#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {
namespace {

// Which worker of the pool this thread is: the chef that cooks its tasks.
thread_local std::uint32_t t_worker = 0;

// Like ThreadPoolExecutor, start no more workers than there are orders.
std::uint32_t workers_for(const Service& service) {
  return std::min(service.chefs, static_cast<std::uint32_t>(service.customers()));
}

}  // namespace

void ThreadsPool::admit(const Service& service) const {
  check_thread_budget(name_of<ThreadsPool>(), workers_for(service), staffing_.max_threads);
}

Ledger ThreadsPool::serve(const Service& service) {
  Ledger ledger(service);
  const auto customers = static_cast<std::uint32_t>(service.customers());
  const std::uint32_t workers = workers_for(service);
  StopSignal stop;
  boost::asio::io_context queue(static_cast<int>(workers));
  std::vector<std::future<void>> futures;
  futures.reserve(customers);
  {
    ThreadCrew crew(workers, ledger, service.fail_fast ? &stop : nullptr);
    // Keeps the workers waiting for tasks until the last one is submitted.
    // After the crew: on an exception the queue closes before the crew joins.
    auto accepting = boost::asio::make_work_guard(queue);
    const boost::thread::attributes defaults;
    for (std::uint32_t worker = 0; worker < workers; ++worker) {
      crew.start(
          defaults,
          [&queue, worker] {
            t_worker = worker;
            queue.run();
          },
          name_of<ThreadsPool>());
    }
    ledger.staffed();
    // submit(): one task and one future per order.
    for (std::uint32_t order = 0; order < customers; ++order) {
      std::packaged_task<void()> task([&service, &ledger, &stop, order] {
        // Under the GIL emulation a worker holds it for all of a task but its
        // waits; waiting in the queue for the next task holds nothing.
        const GilHeld python(service.gil);
        // The queue's pop and the future's hand-over.
        count_sync_op(2);
        cook_on_thread(service, ledger, stop, order, t_worker);
      });
      futures.push_back(task.get_future());
      boost::asio::post(queue, std::move(task));
    }
    // The queue's pushes (one per order) and the gathering of the futures.
    ledger.add_sync_ops(2 * std::uint64_t{customers});
    accepting.reset();
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
