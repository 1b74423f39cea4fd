// The coroutine kitchen that asio_coro, asio_coro_mt, asio_offload and asio_blocking share: one
// io_context, a coroutine per order, a channel of `chefs` tokens as the semaphore. An executor
// picks what makes it what it is, as template arguments, and writes only its own serve():
//
//   Chefs     the chefs' channel: Chefs on a loop run by one thread, SharedChefs (locking) on a
//             loop run by several (chefs_channel.hpp);
//   Where     where a cooking step runs: CookInline, on the thread that resumed the coroutine,
//             or a type of the executor's own with kAwaited = true whose step(cooking) is an
//             operation to co_await (asio_offload's pool);
//   Fetch     how an ingredient is waited for: LoopFetch, which suspends the coroutine on a
//             timer or a borrowed connection, or BlockingFetch, which blocks the loop's thread.
//
// All is resolved at compile time: no virtual call and no allocation per step. An order's life is
// two coroutine frames: a small one that waits for a chef and frees it, and cook()'s, which holds
// the cooking state only while the order has its chef.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdint>
#include <optional>
#include <thread>

#include "executors/chefs_channel.hpp"
#include "executors/fetch_board.hpp"
#include "executors/fetcher.hpp"
#include "executors/loop_arrivals.hpp"
#include "executors/loop_connections.hpp"
#include "executors/loop_fetch.hpp"
#include "executors/stop_signal.hpp"
#include "executors/sync_ops.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/ledger.hpp"
#include "pantry/errors.hpp"

namespace kitchen::coro {

using boost::asio::awaitable;

// A cooking step run inline, on the loop thread that resumed the coroutine.
struct CookInline {
  static constexpr bool kAwaited = false;
};

// The pitfall's fetch: a blocking sleep where an await belonged, or on real I/O a blocking
// recv() on the chef's socket. The loop's only thread blocks, and nothing else runs meanwhile.
// A failed connection throws PantryError.
class BlockingFetch {
 public:
  static constexpr bool kBlocks = true;
  explicit BlockingFetch(const Fetcher& fetcher) : fetcher_(&fetcher) {}

  bool needed(const Cooking& cooking) const {
    return fetcher_->real_io() || cooking.next_wait().count() > 0;
  }
  void block(const Cooking& cooking) const {
    if (fetcher_->real_io()) return fetcher_->fetch_blocking(cooking);
    std::this_thread::sleep_for(cooking.next_wait());
  }

 private:
  const Fetcher* fetcher_;
};

// Whether a Fetch blocks the loop's thread (BlockingFetch) rather than suspending the coroutine.
template <class F>
inline constexpr bool kBlocks = requires {
  requires F::kBlocks;
};

// What the coroutines of one service share; it outlives the loop's run(). Built after the
// loop, and destroyed before it.
template <class Chefs, class Where, class Fetch>
class Kitchen {
 public:
  // `where` is copied: CookInline is empty, a pool's Where holds a few pointers.
  Kitchen(const Service& service, Ledger& ledger, boost::asio::io_context& loop,
          const Fetcher& fetcher, Where where = {})
      : service_(service),
        ledger_(ledger),
        loop_(loop),
        fetcher_(fetcher),
        where_(where),
        chefs_(loop, service.chefs),
        connections_(fetcher, loop.get_executor()) {
    seat_chefs(chefs_, service.chefs);
    // Fail-fast: the fetches to cancel on the first failure; a loop that blocks has none.
    if (service.fail_fast && !kBlocks<Fetch>) board_.emplace(service.customers());
    // A first timer makes Asio build its reactor (epoll, timerfd) now, as part of opening the
    // kitchen, rather than inside the first order: where something will wait on it (a fetch
    // that takes time, a socket, an arrival schedule). Without, the loop never polls a reactor.
    // A loop that blocks waits on no timer.
    const bool waits = service.costs.io.count() > 0 || fetcher.real_io() || service.open_loop();
    if (!kBlocks<Fetch> && waits) reactor_built_.emplace(loop);
  }
  Kitchen(const Kitchen&) = delete;
  Kitchen& operator=(const Kitchen&) = delete;

  // The kitchen is open: every order's coroutine is spawned now (create_task), or at its time
  // by the arrival schedule in an open loop, on the executor `place()` returns.
  template <class Place>
  void open(Place place) {
    ledger_.opened();
    hand_over_orders(
        loop_.get_executor(), ledger_, service_,
        [this, place](std::uint32_t order) {
          boost::asio::co_spawn(place(), take_order(*this, order), boost::asio::detached);
        },
        [this] { return stop_.requested(); });
  }
  void open() {
    open([this] { return loop_.get_executor(); });
  }

  // Runs the loop on this thread until every coroutine has ended (gather), counting the
  // synchronisation this thread did.
  void run() {
    const std::uint64_t sync_before = t_sync_ops;
    loop_.run();
    ledger_.add_sync_ops(t_sync_ops - sync_before);
  }

 private:
  // The first failure of a fail-fast service, or a broken connection: nobody starts an order
  // any more, and every fetch in flight is cancelled.
  void stop_everyone() {
    stop_.request();
    dismiss_chefs(chefs_);
    if (board_) board_->cancel_all();
  }

  Fetch fetch_for(std::uint32_t order, std::uint32_t chef) {
    if constexpr (kBlocks<Fetch>) {
      return Fetch(fetcher_);
    } else {
      return Fetch(board_ ? &*board_ : nullptr, order, connections_, chef);
    }
  }

  // One order, start to end, in two frames: this small one waits for a chef, and only with a
  // chef is cook()'s frame built, which holds the cooking state (the Cooking, the fetch's timer
  // and board entry). When 10,000 orders wait at once, as on the overhead profile, that state
  // exists for at most `chefs` orders at a time instead of being allocated 10,000 times over; on a
  // loop run by one thread Asio's per-thread block cache often serves cook()'s frame from a block
  // an earlier order freed. Free coroutines with a reference to state that outlives the loop,
  // never capturing lambdas: g++ 12 miscompiles a temporary lambda coroutine handed to co_spawn.
  static awaitable<void> take_order(Kitchen& k, std::uint32_t order) {
    Gil* const gil = k.service_.gil;
    // Under the GIL emulation a coroutine holds the GIL while it runs and lets it go whenever
    // it suspends, as asyncio's loop does around select().
    const GilHeld python(gil);
    boost::system::error_code no_chef;
    std::uint32_t chef = 0;
    {
      const GilReleased waiting(gil);
      chef = co_await k.chefs_.async_receive(
          boost::asio::redirect_error(boost::asio::use_awaitable, no_chef));
    }
    // No chef: a fail-fast failure dismissed the chefs; once one has happened, the orders
    // still to start are cancelled too.
    if (no_chef || k.stop_.requested()) {
      k.ledger_.cancel(order);
      if (!no_chef) free_chef(k.chefs_, chef);
      co_return;
    }
    co_await cook(k, order, chef);
    free_chef(k.chefs_, chef);
  }

  // The order with its chef: every step, each fetch waited for as Fetch does it, until the order
  // is served, fails or the kitchen stops. The caller frees the chef.
  static awaitable<void> cook(Kitchen& k, std::uint32_t order, std::uint32_t chef) {
    Gil* const gil = k.service_.gil;
    count_sync_op(kLocksPerOrder<Chefs>);
    k.ledger_.start(order, chef);
    Cooking cooking(k.service_, order, chef);
    Fetch fetch = k.fetch_for(order, chef);
    try {
      while (!cooking.done() && !k.stop_.requested()) {
        // A step that runs elsewhere: the loop thread holds no GIL across the fetch and the
        // step. One that runs here: the GIL is let go for the fetch alone.
        const GilReleased elsewhere(Where::kAwaited ? gil : nullptr);
        if (fetch.needed(cooking)) {
          const GilReleased fetching(Where::kAwaited ? nullptr : gil);
          if constexpr (kBlocks<Fetch>) {
            fetch.block(cooking);
          } else {
            if (!fetch.placed()) fetch.place(co_await boost::asio::this_coro::executor);
            // The loop runs the other coroutines while this one waits for its ingredient.
            co_await fetch.next(cooking);
            // Cancelled by a fail-fast failure, or the connection failed: the kitchen stops.
            if (!fetch.arrived()) {
              if (fetch.broke()) k.stop_everyone();
              break;
            }
          }
        }
        if constexpr (Where::kAwaited) {
          // The loop runs other coroutines while the step runs elsewhere.
          co_await k.where_.step(cooking);
          count_sync_op(Where::kSyncOpsPerStep);
        } else {
          cooking.step();
        }
      }
      // Stopped before its last step: cancelled.
      if (cooking.done()) {
        k.ledger_.serve(cooking);
      } else {
        k.ledger_.cancel(cooking);
      }
    } catch (const OutOfStock&) {
      k.ledger_.fail(cooking);
      if (k.service_.fail_fast) k.stop_everyone();
    } catch (const pantry::PantryError& e) {
      // A blocking fetch's connection failed: the row's error says how; the kitchen stops.
      k.fetcher_.fault(e.what());
      k.ledger_.cancel(cooking);
      k.stop_everyone();
    }
  }

  const Service& service_;
  Ledger& ledger_;
  boost::asio::io_context& loop_;
  const Fetcher& fetcher_;
  Where where_;
  Chefs chefs_;
  std::optional<FetchBoard> board_;
  // Real I/O: the loop adopts each chef's open connection when the chef first cooks (no
  // connect() here).
  LoopConnections connections_;
  std::optional<boost::asio::steady_timer> reactor_built_;
  StopSignal stop_;
};

// A whole service of kitchen K on a loop that this thread alone runs: Asio may skip its internal
// locking.
template <class K>
Ledger serve_on_this_thread(const Service& service, const Fetcher& fetcher) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);
  K kitchen(service, ledger, loop, fetcher);
  kitchen.open();
  kitchen.run();
  ledger.close();
  return ledger;
}

}  // namespace kitchen::coro
