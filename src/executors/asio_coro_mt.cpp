// asio_coro_mt: the coroutine kitchen of asio_coro on one io_context run by
// several threads (one per usable core unless --loop-threads says otherwise),
// so that coroutines of different orders cook in parallel: Python's answer
// would be several event loops. Everything the coroutines share must now be
// thread-safe: the chefs are Asio's concurrent_channel, which locks on every
// send and receive, and in a fail-fast service each coroutine runs on its own
// strand, so that the cancellation of its fetch runs in its context (on real I/O
// too, so that a fetch's deadline and its reply never run at once).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "executors/catalogue.hpp"
#include "executors/coro_kitchen.hpp"
#include "executors/thread_crew.hpp"
#include "os/cores.hpp"

namespace kitchen {

// The locking channel; steps cooked on whichever loop thread resumed the coroutine.
using SharedKitchen = coro::Kitchen<SharedChefs, coro::CookInline, LoopFetch>;

AsioCoroMt::AsioCoroMt(const Staffing& staffing)
    : staffing_(staffing),
      threads_(staffing.loop_threads > 0 ? staffing.loop_threads : os::usable_cores()) {}

void AsioCoroMt::admit(const Service&) const {
  check_thread_budget(name_of<AsioCoroMt>(), threads_ - 1, staffing_.max_threads);
}

Ledger AsioCoroMt::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  boost::asio::io_context loop(static_cast<int>(threads_));
  SharedKitchen kitchen(service, ledger, loop, fetcher);
  {
    ThreadCrew helpers(threads_ - 1, ledger, nullptr);
    // The helpers run the loop from the start; the guard keeps them from finding
    // it empty and returning before the orders are spawned. After the crew: on
    // an exception the guard goes first and the helpers can return.
    auto keep_running = boost::asio::make_work_guard(loop);
    const boost::thread::attributes defaults;
    for (unsigned i = 1; i < threads_; ++i) {
      helpers.start(
          defaults, [&loop] { loop.run(); }, name_of<AsioCoroMt>());
    }
    // A coroutine touches only its own state, so it needs no strand; except in a
    // fail-fast service, where another thread cancels its fetch, and on real I/O,
    // where a fetch's deadline must not race its reply on another thread.
    const bool own_strand = service.fail_fast || fetcher.real_io();
    kitchen.open([&loop, own_strand] {
      return own_strand ? boost::asio::any_io_executor(boost::asio::make_strand(loop))
                        : boost::asio::any_io_executor(loop.get_executor());
    });
    keep_running.reset();
    // This thread is one of the loop's threads too.
    kitchen.run();
    helpers.join();
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
