// fibers_mt: the fiber kitchen on several threads, one per usable core (or --loop-threads), each
// running a fiber scheduler over one shared queue of ready fibers (work sharing,
// fiber_scheduler.hpp): a fiber made ready runs on whichever thread is free, and an idle thread
// sleeps until a fiber is ready or due, never spinning. A sleeping fiber stays in the sleep queue
// of the thread it slept on (Boost.Fiber keeps one per thread): it becomes ready only when that
// thread next schedules, so one due while its thread cooks waits for the step to end. Fibers on several threads race like
// threads: what they share is locked (the fiber semaphore of chefs, the ledger).
//
// On real I/O the idle threads take turns running one event loop, and a chef's fetches run on the
// chef's own strand, so that a fetch never runs beside its previous one's deadline on another
// thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <optional>
#include <vector>

#include "executors/catalogue.hpp"
#include "executors/fiber_fetch.hpp"
#include "executors/fiber_kitchen.hpp"
#include "executors/fiber_scheduler.hpp"
#include "executors/loop_connections.hpp"
#include "executors/thread_crew.hpp"
#include "os/cores.hpp"

namespace kitchen {

FibersMt::FibersMt(const Staffing& staffing)
    : staffing_(staffing),
      threads_(staffing.loop_threads > 0 ? staffing.loop_threads : os::usable_cores()) {}

void FibersMt::admit(const Service& service) const {
  check_thread_budget(name_of<FibersMt>(), threads_ - 1, staffing_.max_threads);
  fiber::check_mapping_budget(name_of<FibersMt>(), service.customers(), staffing_);
}

Ledger FibersMt::serve(const Service& service, Fetcher fetcher) {
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  Ledger ledger(service);
  std::optional<boost::asio::io_context> loop;
  if (fetcher.real_io()) loop.emplace(static_cast<int>(threads_));
  std::optional<LoopConnections> connections;
  std::vector<Strand> strands;
  if (loop) {
    connections.emplace(fetcher, loop->get_executor());
    strands.reserve(service.chefs);
    for (std::uint32_t chef = 0; chef < service.chefs; ++chef) {
      strands.push_back(boost::asio::make_strand(*loop));
    }
  }
  fiber::FiberPool pool(threads_, loop ? &*loop : nullptr);
  {
    ThreadCrew helpers(threads_ - 1, ledger, nullptr);
    const boost::thread::attributes defaults;
    try {
      for (unsigned i = 1; i < threads_; ++i) {
        helpers.start(
            defaults,
            [&pool] {
              pool.join_this_thread();
              pool.serve_until_closed();
            },
            name_of<FibersMt>());
      }
    } catch (...) {
      // A helper the OS would not start: those started must end before the crew joins them.
      pool.close();
      throw;
    }
    // This thread launches the fibers and serves with the helpers; when it is done, they end.
    const fiber::ServingThread serving(pool, [&helpers] { helpers.join(); });
    if (!loop) {
      fiber::serve_on_fibers(service, fetcher, ledger, staffing_, name_of<FibersMt>(),
                             [&service](const Cooking& cooking, fiber::FiberStop* stop) {
                               fiber::sleep_on_fiber(cooking.next_wait(), service.gil, stop);
                             });
    } else {
      fiber::serve_on_fibers(service, fetcher, ledger, staffing_, name_of<FibersMt>(),
                             [&](const Cooking& cooking, fiber::FiberStop*) {
                               fiber::fetch_on_fiber<true>(*connections->of(cooking.chef()),
                                                           cooking, strands[cooking.chef()],
                                                           service.gil);
                             });
    }
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
