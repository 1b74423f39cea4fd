// fibers_blocking: the fiber kitchen's pitfall, kept as asio_blocking keeps async's. Fibers on one
// thread (Boost.Fiber's round_robin) whose fetch is a plain blocking call: a sleep of the thread
// (on real I/O, a blocking recv() on the chef's socket), where the fiber's own sleep belonged. A
// fiber switches only when it waits on something the scheduler knows of, so the one cooking
// keeps the thread through every fetch: the kitchen serves one dish after another whatever the
// chefs, like gevent code that calls an unpatched blocking function. Compare it with fibers, the
// kitchen it meant to be.
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/operations.hpp>

#include "executors/catalogue.hpp"
#include "executors/fiber_kitchen.hpp"
#include "executors/thread_cooking.hpp"

namespace kitchen {

void FibersBlocking::admit(const Service& service) const {
  fiber::check_mapping_budget(name_of<FibersBlocking>(), service.customers(), staffing_);
}

Ledger FibersBlocking::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  fiber::serve_on_fibers(service, fetcher, ledger, staffing_, name_of<FibersBlocking>(),
                         [&](const Cooking& cooking, fiber::FiberStop*) {
                           // The thread's own sleep: interruptible in a fail-fast service, but
                           // by Boost.Thread, which no one here interrupts.
                           fetch_on_thread(service, fetcher, cooking);
                         });
  ledger.close();
  return ledger;
}

}  // namespace kitchen
