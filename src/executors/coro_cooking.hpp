// How a coroutine cooks one order: it suspends. Shared by asio_coro and asio_coro_mt, which differ
// only in how many threads run the loop and in the channel type that must then be thread-safe.
//
// The chefs are a channel holding `chefs` tokens, each a chef id: taking one is waiting for a free
// chef, sending it back frees the chef. A channel of capacity N is Asio's idiom for a limit of N.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include "kitchen/cooking.hpp"
#include "kitchen/ledger.hpp"

namespace kitchen {

// A free coroutine with reference parameters to objects that outlive the loop's run(), as g++ 12
// wants (a temporary capturing lambda given to co_spawn is miscompiled; DESIGN.md, pitfalls).
template <class Chefs>
boost::asio::awaitable<void> cook_in_coroutine(const Service& service, Ledger& ledger, Chefs& chefs,
                                               std::uint32_t order) {
  using boost::asio::use_awaitable;
  const std::uint32_t chef = co_await chefs.async_receive(use_awaitable);
  ledger.start(order, chef);
  Cooking cooking(service, order, chef);
  boost::asio::steady_timer fetch(co_await boost::asio::this_coro::executor);
  while (!cooking.done()) {
    if (const auto wait = cooking.next_wait(); wait.count() > 0) {
      fetch.expires_after(wait);
      co_await fetch.async_wait(use_awaitable);
    }
    cooking.step();
  }
  ledger.serve(cooking);
  // Never fails: there are exactly as many tokens as places in the channel.
  chefs.try_send(boost::system::error_code{}, chef);
}

// Fills the channel with the chefs' tokens and spawns one coroutine per order on `loop`; the
// caller then runs the loop until every order is served.
template <class Chefs>
void spawn_orders(const Service& service, Ledger& ledger, Chefs& chefs,
                  boost::asio::io_context& loop) {
  for (std::uint32_t chef = 0; chef < service.chefs; ++chef) {
    chefs.try_send(boost::system::error_code{}, chef);
  }
  const auto customers = static_cast<std::uint32_t>(service.customers());
  for (std::uint32_t order = 0; order < customers; ++order) {
    boost::asio::co_spawn(loop, cook_in_coroutine(service, ledger, chefs, order),
                          boost::asio::detached);
  }
}

}  // namespace kitchen
