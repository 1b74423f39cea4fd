// How a thread cooks one order: it blocks. The wait is a Boost.Thread sleep, which is also an
// interruption point: a fail-fast service stops a thread executor by interrupting its threads
// there (see ThreadCrew).
#pragma once

#include <boost/chrono/duration.hpp>
#include <boost/thread/thread.hpp>

#include "kitchen/cooking.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen {

inline void wait_on_thread(std::chrono::nanoseconds wait) {
  if (wait.count() > 0) boost::this_thread::sleep_for(boost::chrono::nanoseconds(wait.count()));
}

// Cooks `order` as `chef` and records how it ended: served, failed (an ingredient out of stock)
// or cancelled (the service is stopping).
inline void cook_on_thread(const Service& service, Ledger& ledger, std::uint32_t order,
                           std::uint32_t chef) {
  if (ledger.stopping()) return ledger.cancel(order);
  ledger.start(order, chef);
  Cooking cooking(service, order, chef);
  try {
    while (!cooking.done()) {
      wait_on_thread(cooking.next_wait());
      if (ledger.stopping()) return ledger.cancel(cooking);
      cooking.step();
    }
    ledger.serve(cooking);
  } catch (const OutOfStock&) {
    ledger.fail(cooking);
    if (service.fail_fast) ledger.stop().request();
  } catch (const boost::thread_interrupted&) {
    ledger.cancel(cooking);
  }
}

}  // namespace kitchen
