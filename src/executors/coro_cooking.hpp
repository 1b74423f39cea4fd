// How a coroutine cooks one order. Shared by every coroutine executor, which
// differ only in how a coroutine waits for an ingredient and where the cooking
// runs:
//   kAwait    co_await a steady_timer, cook inline          (asio_coro,
//   asio_coro_mt) kOffload  co_await a steady_timer, cook on a pool
//   (asio_offload) kBlock    sleep and cook inline, never suspending
//   (asio_blocking: the article's code)
//
// The chefs are a channel holding `chefs` tokens, each a chef id: taking one is
// waiting for a free chef, sending it back frees the chef. A channel of
// capacity N is Asio's idiom for a limit of N.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <optional>

#include "executors/fetch_board.hpp"
#include "executors/pool_step.hpp"
#include "executors/stop_signal.hpp"
#include "executors/sync_ops.hpp"
#include "executors/thread_cooking.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen {

enum class CoroStyle { kAwait, kOffload, kBlock };

// What every coroutine of one service shares; it outlives the loop's run().
template <class Chefs>
struct CoroKitchen {
  const Service& service;
  Ledger& ledger;
  StopSignal& stop;  // raised by the first failure of a fail-fast service
  Chefs& chefs;
  FetchBoard* board;  // fail-fast services only: what to cancel on a failure
  boost::asio::thread_pool* pool;  // kOffload only
  bool locked_chefs;  // the channel takes a lock per send and receive

  // The first failure of a fail-fast service: wake every order waiting for a
  // chef or a fetch.
  void stop_everyone() {
    stop.request();
    chefs.cancel();
    if (board) board->cancel_all();
  }
};

// A free coroutine with reference parameters to objects that outlive the loop's
// run(), as g++ 12 wants (a temporary capturing lambda given to co_spawn is
// miscompiled; DESIGN.md, pitfalls).
template <CoroStyle kStyle, class Chefs>
boost::asio::awaitable<void> cook_in_coroutine(CoroKitchen<Chefs>& k,
                                               std::uint32_t order) {
  using boost::asio::redirect_error;
  using boost::asio::use_awaitable;
  boost::system::error_code error;
  const std::uint32_t chef =
      co_await k.chefs.async_receive(redirect_error(use_awaitable, error));
  if (error) {  // the chefs' channel was cancelled: the service is stopping
    k.ledger.cancel(order);
    co_return;
  }
  if (k.locked_chefs) count_sync_op(2);  // this receive and the send below
  if (k.stop.requested()) {
    k.ledger.cancel(order);
  } else {
    k.ledger.start(order, chef);
    Cooking cooking(k.service, order, chef);
    boost::asio::steady_timer fetch(co_await boost::asio::this_coro::executor);
    std::optional<FetchBoard::Entry> on_board;
    if (k.board) on_board.emplace(*k.board, order, fetch);
    try {
      while (!cooking.done() && !k.stop.requested()) {
        const auto wait = cooking.next_wait();
        if constexpr (kStyle == CoroStyle::kBlock) {
          wait_on_thread(
              wait, false);  // blocks the loop: nothing else runs meanwhile
        } else if (wait.count() > 0) {
          fetch.expires_after(wait);
          co_await fetch.async_wait(redirect_error(use_awaitable, error));
          if (error) break;  // cancelled by a fail-fast failure
        }
        if constexpr (kStyle == CoroStyle::kOffload) {
          co_await async_step_on(*k.pool, cooking, use_awaitable);
          count_sync_op(2);  // the pool's queue, then the loop's queue
        } else {
          cooking.step();
        }
      }
      if (cooking.done()) {
        k.ledger.serve(cooking);
      } else {
        k.ledger.cancel(cooking);
      }
    } catch (const OutOfStock&) {
      k.ledger.fail(cooking);
      if (k.service.fail_fast) k.stop_everyone();
    }
  }
  // Never fails: there are exactly as many tokens as places in the channel.
  k.chefs.try_send(boost::system::error_code{}, chef);
}

// Fills the channel with the chefs' tokens and spawns one coroutine per order,
// each on the executor `place(order)` gives; the caller then runs the loop
// until every order has ended.
template <CoroStyle kStyle, class Chefs, class Place>
void spawn_orders(CoroKitchen<Chefs>& k, Place&& place) {
  for (std::uint32_t chef = 0; chef < k.service.chefs; ++chef) {
    k.chefs.try_send(boost::system::error_code{}, chef);
  }
  const auto customers = static_cast<std::uint32_t>(k.service.customers());
  for (std::uint32_t order = 0; order < customers; ++order) {
    boost::asio::co_spawn(place(order), cook_in_coroutine<kStyle>(k, order),
                          boost::asio::detached);
  }
}

}  // namespace kitchen
