// threads_per_order: one Boost.Thread per order, all started as the orders come
// in, at most `chefs` of them cooking at once. A thread first waits for a free
// chef (a counting semaphore that hands out chef ids), then cooks by blocking
// on each fetch, then gives the chef back and ends. Its stack size is settable
// (--stack-kib), since stacks are what a thread per task costs in memory.
#include "executors/arrival.hpp"
#include "executors/catalogue.hpp"
#include "executors/chef_roster.hpp"
#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {

void ThreadsPerOrder::admit(const Service& service) const {
  check_thread_budget(name_of<ThreadsPerOrder>(), service.customers(), staffing_.max_threads);
}

Ledger ThreadsPerOrder::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  StopSignal stop;
  ChefRoster roster(service.chefs);
  boost::thread::attributes attributes;
  if (staffing_.stack_bytes > 0) attributes.set_stack_size(staffing_.stack_bytes);
  // Nothing to open: each order brings its own thread.
  ledger.opened();
  const auto customers = static_cast<std::uint32_t>(service.customers());
  {
    ThreadCrew crew(customers, ledger, service.fail_fast ? &stop : nullptr);
    for (std::uint32_t order = 0; order < customers; ++order) {
      // In an open loop this thread is the arrival schedule: each order's thread
      // starts at the order's time.
      if (!stop.requested()) hand_over_when_due(ledger, service, order);
      crew.start(
          attributes,
          [&service, &fetcher, &ledger, &roster, &stop, order] {
            const GilHeld python(service.gil);
            std::uint32_t chef = 0;
            try {
              // Waiting on a semaphore is a blocking call: the GIL is let go meanwhile.
              const GilReleased waiting(service.gil);
              // Never dismissed: a fail-fast stop interrupts the wait instead.
              chef = *roster.acquire();
            } catch (const boost::thread_interrupted&) {
              // Stopped by a fail-fast failure while waiting for a chef.
              return ledger.cancel(order);
            }
            cook_on_thread(service, fetcher, ledger, stop, order, chef);
            roster.release(chef);
          },
          name_of<ThreadsPerOrder>());
    }
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
