// How a thread cooks one order: it blocks. In a fail-fast service the wait is
// Boost.Thread's interruptible sleep, so that the executor can stop its threads
// there (see ThreadCrew); otherwise it is a plain nanosleep, the cheapest way a
// thread can wait.
#pragma once

#include <boost/chrono/duration.hpp>
#include <boost/thread/thread.hpp>

#include "executors/stop_signal.hpp"
#include "kitchen/cooking.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen {

// Under the GIL emulation the sleeping thread gives the GIL up, as CPython's
// time.sleep does, and takes it back when it wakes.
inline void wait_on_thread(std::chrono::nanoseconds wait, bool interruptible, Gil* gil) {
  if (wait.count() <= 0) return;
  const GilReleased sleeping(gil);
  const boost::chrono::nanoseconds d(wait.count());
  if (interruptible) {
    // A timed wait on a condition variable
    boost::this_thread::sleep_for(d);
  } else {
    boost::this_thread::no_interruption_point::sleep_for(d);
  }
}

// Cooks `order` as `chef` and records how it ended: served, failed (an
// ingredient out of stock) or cancelled (the service is stopping).
inline void cook_on_thread(const Service& service, Ledger& ledger, StopSignal& stop,
                           std::uint32_t order, std::uint32_t chef) {
  if (stop.requested()) return ledger.cancel(order);
  ledger.start(order, chef);
  Cooking cooking(service, order, chef);
  try {
    while (!cooking.done()) {
      wait_on_thread(cooking.next_wait(), service.fail_fast, service.gil);
      if (stop.requested()) return ledger.cancel(cooking);
      cooking.step();
    }
    ledger.serve(cooking);
  } catch (const OutOfStock&) {
    ledger.fail(cooking);
    if (service.fail_fast) stop.request();
  } catch (const boost::thread_interrupted&) {
    ledger.cancel(cooking);
  }
}

}  // namespace kitchen
