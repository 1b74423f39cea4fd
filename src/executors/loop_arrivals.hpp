// The arrival schedule of an event-loop kitchen in an open-loop service: a
// coroutine on the kitchen's own loop that hands each order over at its time,
// like create_task called from a loop.call_at callback. It shares the loop's
// thread(s) with the cooking, so a loop kept busy makes it late, and the
// ledger's hand-over times show it (arrival_lag_ms).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kitchen/gil.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen {

// `hand_over(order)` starts the order's own coroutine (co_spawn). Stops early,
// handing the rest over at once, when `stopping()` says a fail-fast failure
// happened: those orders are then cancelled by their coroutines.
template <class HandOver, class Stopping>
boost::asio::awaitable<void> arrival_schedule(Ledger& ledger, const Service& service,
                                              HandOver hand_over, Stopping stopping) {
  // The schedule is Python-level code too: under the GIL emulation it holds the
  // GIL while it runs and lets it go while it waits.
  const GilHeld python(service.gil);
  boost::asio::steady_timer clock(co_await boost::asio::this_coro::executor);
  const auto customers = static_cast<std::uint32_t>(service.customers());
  for (std::uint32_t order = 0; order < customers; ++order) {
    if (!stopping()) {
      clock.expires_at(ledger.due(order));
      boost::system::error_code ignored;
      const GilReleased waiting(service.gil);
      co_await clock.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
    ledger.arrived(order);
    hand_over(order);
  }
}

// Hands every order over to an event-loop kitchen: all at once when it opens
// (a closed batch), or each at its time by the arrival schedule, a coroutine on
// `loop` (an open loop).
template <class HandOver, class Stopping>
void hand_over_orders(const boost::asio::any_io_executor& loop, Ledger& ledger,
                      const Service& service, HandOver hand_over, Stopping stopping) {
  if (service.open_loop()) {
    boost::asio::co_spawn(loop, arrival_schedule(ledger, service, hand_over, stopping),
                          boost::asio::detached);
    return;
  }
  const auto customers = static_cast<std::uint32_t>(service.customers());
  for (std::uint32_t order = 0; order < customers; ++order) hand_over(order);
}

}  // namespace kitchen
