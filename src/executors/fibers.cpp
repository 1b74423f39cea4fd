// fibers: the thread-per-order kitchen on fibers. One thread; a fiber per order, launched as the
// orders come in; at most `chefs` cooking at once, through a fiber semaphore of chef ids; each
// fiber cooks in blocking style, as a thread would, but every wait suspends only the fiber and the
// scheduler runs another. Its pairs: threads_per_order, the same code on OS threads, and
// asio_coro, the same one thread with stackless coroutines.
//
// On timers the scheduler is Boost.Fiber's round_robin, and a wait is the fiber's own sleep. On
// real I/O the scheduler runs Asio's loop whenever no fiber is ready, and a fetch suspends its
// fiber until the loop completes it (fiber_scheduler.hpp, fiber_fetch.hpp): the thread waits in
// epoll_wait (or io_uring_enter), never in a blocking recv().
#include <boost/asio/io_context.hpp>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/operations.hpp>

#include "executors/catalogue.hpp"
#include "executors/fiber_fetch.hpp"
#include "executors/fiber_kitchen.hpp"
#include "executors/fiber_scheduler.hpp"
#include "executors/loop_connections.hpp"

namespace kitchen {

void Fibers::admit(const Service& service) const {
  fiber::check_mapping_budget(name_of<Fibers>(), service.customers(), staffing_);
}

Ledger Fibers::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  if (!fetcher.real_io()) {
    boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
    fiber::serve_on_fibers(service, fetcher, ledger, staffing_, name_of<Fibers>(),
                           [&service](const Cooking& cooking, fiber::FiberStop* stop) {
                             fiber::sleep_on_fiber(cooking.next_wait(), service.gil, stop);
                           });
  } else {
    // One thread runs the loop: Asio may skip its locking.
    boost::asio::io_context loop(1);
    LoopConnections connections(fetcher, loop.get_executor());
    fiber::FiberPool pool(1, &loop);
    // No helper thread: one thread runs the loop and the fibers.
    const fiber::ServingThread serving(pool, [] {});
    fiber::serve_on_fibers(service, fetcher, ledger, staffing_, name_of<Fibers>(),
                           [&](const Cooking& cooking, fiber::FiberStop*) {
                             fiber::fetch_on_fiber<false>(*connections.of(cooking.chef()), cooking,
                                                          loop.get_executor(), service.gil);
                           });
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
