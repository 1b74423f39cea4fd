// asio_coro_mt: the coroutine kitchen of asio_coro on one io_context run by
// several threads (one per usable core unless --loop-threads says otherwise),
// so that coroutines of different orders cook in parallel: Python's answer
// would be several event loops. Everything the coroutines share must now be
// thread-safe: the chefs are Asio's concurrent_channel, which locks on every
// send and receive, and in a fail-fast service each coroutine runs on its own
// strand, so that the cancellation of its fetch runs in its context (on real I/O
// too, so that a fetch's deadline and its reply never run at once).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <optional>

#include "executors/catalogue.hpp"
#include "executors/chefs_channel.hpp"
#include "executors/fetch_board.hpp"
#include "executors/loop_arrivals.hpp"
#include "executors/stop_signal.hpp"
#include "executors/sync_ops.hpp"
#include "executors/thread_crew.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "os/cores.hpp"

namespace kitchen {
namespace {

using boost::asio::awaitable;
using Chefs =
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code, std::uint32_t)>;

struct Kitchen {
  const Service& service;
  Ledger& ledger;
  Chefs& chefs;
  FetchBoard* board;
  // Real I/O only: each chef's borrowed connection.
  LoopLines& lines;
  StopSignal stop;

  void stop_everyone() {
    stop.request();
    dismiss_chefs(chefs);
    if (board) board->cancel_all();
  }
};

awaitable<void> cook(Kitchen& k, std::uint32_t order) {
  // Several loop threads: the GIL, when emulated, is contended between them.
  const GilHeld python(k.service.gil);
  const std::optional<std::uint32_t> chef = co_await take_chef(k.chefs, k.service.gil);
  if (!chef || k.stop.requested()) {
    k.ledger.cancel(order);
    if (chef) free_chef(k.chefs, *chef);
    co_return;
  }
  // This receive and the send that frees the chef: each takes the channel's lock.
  count_sync_op(2);
  k.ledger.start(order, *chef);
  Cooking cooking(k.service, order, *chef);
  LoopFetch fetch(co_await boost::asio::this_coro::executor, k.board, order, k.lines, *chef);
  try {
    while (!cooking.done() && !k.stop.requested()) {
      if (fetch.needed(cooking)) {
        const GilReleased suspended(k.service.gil);
        co_await fetch.next(cooking);
        // Cancelled by a fail-fast failure, or the connection failed: the kitchen stops.
        if (!fetch.arrived()) {
          if (fetch.broke()) k.stop_everyone();
          break;
        }
      }
      // Cooked on whichever of the loop's threads resumed the coroutine.
      cooking.step();
    }
    k.ledger.finish(cooking);
  } catch (const OutOfStock&) {
    k.ledger.fail(cooking);
    if (k.service.fail_fast) k.stop_everyone();
  }
  free_chef(k.chefs, *chef);
}

}  // namespace

AsioCoroMt::AsioCoroMt(const Staffing& staffing)
    : staffing_(staffing),
      threads_(staffing.loop_threads > 0 ? staffing.loop_threads : os::usable_cores()) {}

void AsioCoroMt::admit(const Service&) const {
  check_thread_budget(name_of<AsioCoroMt>(), threads_ - 1, staffing_.max_threads);
}

Ledger AsioCoroMt::serve(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(static_cast<int>(threads_));
  Chefs chefs(loop, service.chefs);
  seat_chefs(chefs, service.chefs);
  std::optional<FetchBoard> board;
  if (service.fail_fast) board.emplace(service.customers());
  // Real I/O: the loop adopts each chef's open connection when the chef first cooks
  // (no connect() here).
  LoopLines lines(service, loop.get_executor());
  Kitchen kitchen{.service = service,
                  .ledger = ledger,
                  .chefs = chefs,
                  .board = board ? &*board : nullptr,
                  .lines = lines,
                  .stop = {}};
  {
    ThreadCrew helpers(threads_ - 1, ledger, nullptr);
    // The helpers run the loop from the start; the guard keeps them from finding
    // it empty and returning before the orders are spawned. After the crew: on
    // an exception the guard goes first and the helpers can return.
    auto keep_running = boost::asio::make_work_guard(loop);
    const boost::asio::steady_timer reactor_built(loop);
    const boost::thread::attributes defaults;
    for (unsigned i = 1; i < threads_; ++i) {
      helpers.start(
          defaults, [&loop] { loop.run(); }, name_of<AsioCoroMt>());
    }
    ledger.opened();
    // Spawned at open, or at each order's time by the arrival schedule. A
    // coroutine touches only its own state, so it needs no strand; except in a
    // fail-fast service, where another thread cancels its fetch, and on real I/O,
    // where a fetch's deadline must not race its reply on another thread.
    hand_over_orders(
        loop.get_executor(), ledger, service,
        [&kitchen, &loop, &service](std::uint32_t order) {
          const auto place = service.fail_fast || service.net
                                 ? boost::asio::any_io_executor(boost::asio::make_strand(loop))
                                 : boost::asio::any_io_executor(loop.get_executor());
          boost::asio::co_spawn(place, cook(kitchen, order), boost::asio::detached);
        },
        [&kitchen] { return kitchen.stop.requested(); });
    keep_running.reset();
    // This thread is one of the loop's threads too.
    const std::uint64_t sync_before = t_sync_ops;
    loop.run();
    ledger.add_sync_ops(t_sync_ops - sync_before);
    helpers.join();
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
