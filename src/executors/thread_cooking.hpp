// How a thread cooks one order: it blocks. The wait is a Boost.Thread sleep, which is also an
// interruption point, so a thread executor can be stopped at the sleep.
#pragma once

#include <boost/chrono/duration.hpp>
#include <boost/thread/thread.hpp>

#include "kitchen/cooking.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen {

inline void wait_on_thread(std::chrono::nanoseconds wait) {
  if (wait.count() > 0) boost::this_thread::sleep_for(boost::chrono::nanoseconds(wait.count()));
}

inline void cook_on_thread(const Service& service, Ledger& ledger, std::uint32_t order,
                           std::uint32_t chef) {
  ledger.start(order, chef);
  Cooking cooking(service, order, chef);
  while (!cooking.done()) {
    wait_on_thread(cooking.next_wait());
    cooking.step();
  }
  ledger.serve(cooking);
}

}  // namespace kitchen
