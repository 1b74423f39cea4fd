// asio_coro: an asyncio kitchen that awaits every wait. One thread runs an
// io_context; every order is a coroutine, spawned when the kitchen opens (like
// create_task); a channel of `chefs` tokens is the semaphore. A coroutine
// waits for a free chef, then for each ingredient awaits a steady_timer (the
// loop runs other coroutines meanwhile) and cooks the step inline, on the loop's
// only thread. The loop returns when every coroutine has ended (gather). Its pair
// is the thread pool with a task and a future per order.
#include "executors/catalogue.hpp"
#include "executors/coro_kitchen.hpp"

namespace kitchen {

// A plain channel (one thread), steps cooked inline, every wait awaited.
using AwaitingKitchen = coro::Kitchen<Chefs, coro::CookInline, LoopFetch>;

Ledger AsioCoro::serve(const Service& service, Fetcher fetcher) {
  return coro::serve_on_this_thread<AwaitingKitchen>(service, fetcher);
}

}  // namespace kitchen
