// How a thread cooks one order: it blocks (in a sleep, or in recv() on real I/O). In a fail-fast
// service the wait is Boost.Thread's interruptible sleep, so that the executor can stop its
// threads there (see ThreadCrew); otherwise it is a plain nanosleep, the cheapest way a thread
// can wait. The fiber executors cook with the same cook_blocking, their fetch suspending only
// the fiber.
#pragma once

#include <boost/chrono/duration.hpp>
#include <boost/thread/thread.hpp>

#include "executors/fetcher.hpp"
#include "executors/fiber_asan.hpp"
#include "executors/stop_signal.hpp"
#include "kitchen/cooking.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/ledger.hpp"
#include "pantry/errors.hpp"

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

// Waits on this thread for `cooking`'s next ingredient: a sleep, or on real I/O one blocking
// request and its reply on the chef's own connection, even for a delay of 0 (throws
// PantryError). A blocking recv() is no interruption point: a fail-fast stop waits for the
// reply in flight (one delay) before the thread sees it. The GIL is let go either way.
inline void fetch_on_thread(const Service& service, const Fetcher& fetcher,
                            const Cooking& cooking) {
  if (!fetcher.real_io()) {
    return wait_on_thread(cooking.next_wait(), service.fail_fast, service.gil);
  }
  const GilReleased fetching(service.gil);
  fetcher.fetch_blocking(cooking);
}

// Cooks `order` as `chef` in blocking style, as a thread or a fiber does, and records how it
// ended: served, failed (an ingredient out of stock) or cancelled (the service is stopping).
// `fetch(cooking)` waits for the next ingredient: blocking the thread, or suspending the fiber.
template <class Fetch>
void cook_blocking(const Service& service, const Fetcher& fetcher, Ledger& ledger,
                   StopSignal& stop, std::uint32_t order, std::uint32_t chef, Fetch&& fetch) {
  if (stop.requested()) return ledger.cancel(order);
  ledger.start(order, chef);
  Cooking cooking(service, order, chef);
  try {
    while (!cooking.done()) {
      fetch(cooking);
      if (stop.requested()) return ledger.cancel(cooking);
      cooking.step();
    }
    ledger.serve(cooking);
  } catch (const OutOfStock&) {
    fiber::forget_unwound_frames();
    ledger.fail(cooking);
    if (service.fail_fast) stop.request();
  } catch (const boost::thread_interrupted&) {
    fiber::forget_unwound_frames();
    ledger.cancel(cooking);
  } catch (const pantry::PantryError& e) {
    fiber::forget_unwound_frames();
    // The connection failed: the row's error says how; the kitchen stops.
    fetcher.fault(e.what());
    ledger.cancel(cooking);
    stop.request();
  }
}

// cook_blocking on a thread, each fetch blocking it.
inline void cook_on_thread(const Service& service, const Fetcher& fetcher, Ledger& ledger,
                           StopSignal& stop, std::uint32_t order, std::uint32_t chef) {
  cook_blocking(service, fetcher, ledger, stop, order, chef,
                [&](const Cooking& cooking) { fetch_on_thread(service, fetcher, cooking); });
}

}  // namespace kitchen
