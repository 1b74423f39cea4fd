// asio_blocking: an asyncio kitchen whose coroutines never await inside a dish,
// kept as a named pitfall. It has every part of a coroutine kitchen (one thread, an io_context,
// a coroutine per order, a channel of `chefs` tokens) but a coroutine never
// awaits inside a dish: it sleeps through each fetch and cooks inline, blocking
// the only thread the loop has. No other coroutine runs meanwhile, so the
// kitchen serves one dish after another whatever the chefs, like an
// `async def` that calls time.sleep. Compare it with asio_coro, the kitchen it
// meant to be.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "executors/catalogue.hpp"
#include "executors/chefs_channel.hpp"
#include "executors/loop_arrivals.hpp"
#include "executors/stop_signal.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"
#include "pantry/net_pantry.hpp"

namespace kitchen {
namespace {

using boost::asio::awaitable;
using Chefs = boost::asio::experimental::channel<void(boost::system::error_code, std::uint32_t)>;

struct Kitchen {
  const Service& service;
  Ledger& ledger;
  Chefs& chefs;
  StopSignal stop;
};

awaitable<void> cook(Kitchen& k, std::uint32_t order) {
  const GilHeld python(k.service.gil);
  const std::optional<std::uint32_t> chef = co_await take_chef(k.chefs, k.service.gil);
  // Once a fail-fast failure has happened, the orders still to start are cancelled.
  if (!chef || k.stop.requested()) {
    k.ledger.cancel(order);
    if (chef) free_chef(k.chefs, *chef);
    co_return;
  }
  k.ledger.start(order, *chef);
  Cooking cooking(k.service, order, *chef);
  try {
    while (!cooking.done()) {
      // The pitfall: a blocking sleep where an await belonged, or on real I/O a
      // blocking recv() on the chef's socket. The loop's only thread blocks (letting
      // the GIL go, as time.sleep and socket.recv do) and nothing else runs.
      if (k.service.net) {
        const GilReleased reading(k.service.gil);
        k.service.net->line(*chef).fetch(cooking.next_ingredient(), cooking.next_wait());
      } else if (const auto wait = cooking.next_wait(); wait.count() > 0) {
        const GilReleased sleeping(k.service.gil);
        std::this_thread::sleep_for(wait);
      }
      cooking.step();
    }
    k.ledger.serve(cooking);
  } catch (const OutOfStock&) {
    k.ledger.fail(cooking);
    if (k.service.fail_fast) {
      k.stop.request();
      dismiss_chefs(k.chefs);
    }
  } catch (const pantry::PantryError& e) {
    // The connection failed: the row's error says how; the kitchen stops.
    k.service.net->fault(e.what());
    k.ledger.cancel(cooking);
    k.stop.request();
    dismiss_chefs(k.chefs);
  }
  free_chef(k.chefs, *chef);
}

}  // namespace

Ledger AsioBlocking::serve(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);
  Chefs chefs(loop, service.chefs);
  seat_chefs(chefs, service.chefs);
  Kitchen kitchen{.service = service, .ledger = ledger, .chefs = chefs, .stop = {}};
  ledger.opened();
  // Spawned at open, or at each order's time by the arrival schedule, which
  // shares the loop's blocked thread and is late by as much as the dishes block it.
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
