#include "executors/threads_pool.hpp"

#include <algorithm>
#include <atomic>

#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {

Ledger ThreadsPool::serve(const Service& service) {
  const auto customers = static_cast<std::uint32_t>(service.customers());
  const std::uint32_t workers = std::min(service.chefs, customers);
  check_thread_budget(kName, workers, staffing_.max_threads);
  Ledger ledger(service);
  // The queue: every order is placed up front, so taking the next one is one atomic increment.
  std::atomic<std::uint32_t> next{0};
  {
    ThreadCrew crew(workers, ledger, service.fail_fast);
    const boost::thread::attributes defaults;
    for (std::uint32_t chef = 0; chef < workers; ++chef) {
      crew.start(
          defaults,
          [&service, &ledger, &next, customers, chef] {
            for (std::uint32_t order;
                 (order = next.fetch_add(1, std::memory_order_relaxed)) < customers;) {
              count_sync_op();  // taking an order from the shared queue
              cook_on_thread(service, ledger, order, chef);
            }
          },
          kName);
    }
    ledger.staffed();
    crew.join();  // the pool shuts down like a `with ThreadPoolExecutor` block
  }
  ledger.close(workers);
  return ledger;
}

}  // namespace kitchen
