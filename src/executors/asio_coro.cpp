// asio_coro: an asyncio kitchen that awaits every wait. One thread runs an
// io_context; every order is a coroutine, spawned when the kitchen opens (like
// create_task); a channel of `chefs` tokens is the semaphore. A coroutine
// waits for a free chef, then for each ingredient awaits a steady_timer (the
// loop runs other coroutines meanwhile) and cooks the step inline, on the loop's
// only thread. The loop returns when every coroutine has ended (gather). Its pair
// is the thread pool with a task and a future per order.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>

#include "executors/catalogue.hpp"
#include "executors/chefs_channel.hpp"
#include "executors/fetch_board.hpp"
#include "executors/loop_arrivals.hpp"
#include "executors/stop_signal.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"

namespace kitchen {
namespace {

using boost::asio::awaitable;
using boost::asio::steady_timer;
using Chefs = boost::asio::experimental::channel<void(boost::system::error_code, std::uint32_t)>;

// What the coroutines of one service share; it outlives the loop's run().
struct Kitchen {
  const Service& service;
  Ledger& ledger;
  Chefs& chefs;
  // Fail-fast services only: the fetches to cancel on the first failure.
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

// One order, start to end. A free coroutine with a reference to state that
// outlives the loop, never a capturing lambda: g++ 12 miscompiles a temporary
// lambda coroutine handed to co_spawn.
awaitable<void> cook(Kitchen& k, std::uint32_t order) {
  // Under the GIL emulation a coroutine holds the GIL while it runs and lets it go
  // whenever it suspends, as asyncio's loop does around select().
  const GilHeld python(k.service.gil);
  const std::optional<std::uint32_t> chef = co_await take_chef(k.chefs, k.service.gil);
  // No chef: a fail-fast failure dismissed the chefs; once one has happened,
  // the orders still to start are cancelled too.
  if (!chef || k.stop.requested()) {
    k.ledger.cancel(order);
    if (chef) free_chef(k.chefs, *chef);
    co_return;
  }
  k.ledger.start(order, *chef);
  Cooking cooking(k.service, order, *chef);
  LoopFetch fetch(co_await boost::asio::this_coro::executor, k.board, order, k.lines, *chef);
  try {
    while (!cooking.done() && !k.stop.requested()) {
      // The loop runs the other coroutines while this one waits for its ingredient.
      if (fetch.needed(cooking)) {
        const GilReleased suspended(k.service.gil);
        co_await fetch.next(cooking);
        // Cancelled by a fail-fast failure, or the connection failed: the kitchen stops.
        if (!fetch.arrived()) {
          if (fetch.broke()) k.stop_everyone();
          break;
        }
      }
      // Cooked inline, on the loop's only thread.
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

Ledger AsioCoro::serve(const Service& service) {
  Ledger ledger(service);
  // Run by this thread alone: Asio may skip its internal locking.
  boost::asio::io_context loop(1);
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
  // A first timer makes Asio build its reactor (epoll, timerfd) now, as part of
  // opening the kitchen, rather than inside the first order.
  const steady_timer reactor_built(loop);
  ledger.opened();
  // Every order's coroutine is spawned at open (create_task), or at its time by
  // the arrival schedule in an open loop.
  hand_over_orders(
      loop.get_executor(), ledger, service,
      [&kitchen, &loop](std::uint32_t order) {
        boost::asio::co_spawn(loop, cook(kitchen, order), boost::asio::detached);
      },
      [&kitchen] { return kitchen.stop.requested(); });
  loop.run();
  ledger.close();
  return ledger;
}

}  // namespace kitchen
