// asio_blocking: an asyncio kitchen whose coroutines never await inside a dish, kept as a named
// pitfall. It has every part of a coroutine kitchen (one thread, an io_context, a coroutine per
// order, a channel of `chefs` tokens), but a coroutine sleeps through each fetch (on real I/O, a
// blocking recv() on the chef's socket) and cooks inline, blocking the only thread the loop has
// (letting the GIL go, as time.sleep and socket.recv do). No other coroutine runs meanwhile, so
// the kitchen serves one dish after another whatever the chefs, like an `async def` that calls
// time.sleep. The arrival schedule of an open loop shares the blocked thread and is late by as
// much as the dishes block it. Compare it with asio_coro, the kitchen it meant to be.
#include "executors/catalogue.hpp"
#include "executors/coro_kitchen.hpp"

namespace kitchen {

// The same kitchen as asio_coro's, but each fetch blocks the loop's thread.
using BlockingKitchen = coro::Kitchen<Chefs, coro::CookInline, coro::BlockingFetch>;

Ledger AsioBlocking::serve(const Service& service, Fetcher fetcher) {
  return coro::serve_on_this_thread<BlockingKitchen>(service, fetcher);
}

}  // namespace kitchen
