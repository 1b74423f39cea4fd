// asio_offload: the event loop keeps its cheap waits and borrows threads for the
// work, like Python's loop.run_in_executor. One thread runs an io_context with
// a coroutine per order and a channel of `chefs` tokens, as asio_coro does; but
// each cooking step is handed to a pool of `chefs` threads and awaited, so the
// CPU work of different orders runs in parallel while the loop goes on
// waiting. A step's hand-off is two posts: to the pool, then back to the loop.
#include <algorithm>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
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

namespace kitchen {
namespace {

using boost::asio::awaitable;
using boost::asio::use_awaitable;
using Chefs = boost::asio::experimental::channel<void(boost::system::error_code, std::uint32_t)>;

// The pool: `chefs` threads, never more than there are orders.
unsigned pool_size(const Service& service) {
  return static_cast<unsigned>(
      std::max<std::size_t>(1, std::min<std::size_t>(service.chefs, service.customers())));
}

// Runs one cooking step on the pool and resumes the awaiting coroutine on its
// own loop when it is done. Written as an Asio asynchronous operation rather
// than `co_await co_spawn(pool, ...)`, so that a step costs two posts and no
// coroutine frame. An exception from the step (OutOfStock) travels back and is
// rethrown in the coroutine.
template <class Token>
auto async_step_on(boost::asio::io_context& pool, Cooking& cooking, const Service& service,
                   Token&& token) {
  return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
      [&pool, &cooking, &service](auto handler) {
        // Keeps the loop alive while nothing of it is pending but this step.
        auto home = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
        boost::asio::post(pool, [&cooking, &service, handler = std::move(handler),
                                 home = std::move(home)]() mutable {
          std::exception_ptr error;
          try {
            // Under the GIL emulation the pool thread takes the GIL to cook.
            const GilHeld python(service.gil);
            cooking.step();
          } catch (...) {
            error = std::current_exception();
          }
          auto loop = home.get_executor();
          boost::asio::post(loop, boost::asio::append(std::move(handler), error));
          home.reset();
        });
      },
      token);
}

struct Kitchen {
  const Service& service;
  Ledger& ledger;
  Chefs& chefs;
  boost::asio::io_context& pool;
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
  const GilHeld python(k.service.gil);
  const std::optional<std::uint32_t> chef = co_await take_chef(k.chefs, k.service.gil);
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
      // Suspended for the fetch and for the step: the loop thread holds no GIL.
      const GilReleased suspended(k.service.gil);
      if (fetch.needed(cooking)) {
        co_await fetch.next(cooking);
        // Cancelled by a fail-fast failure, or the connection failed: the kitchen stops.
        if (!fetch.arrived()) {
          if (fetch.broke()) k.stop_everyone();
          break;
        }
      }
      // The step runs on the pool; the loop runs other coroutines meanwhile.
      co_await async_step_on(k.pool, cooking, k.service, use_awaitable);
      // The pool's queue, then the loop's.
      count_sync_op(2);
    }
    k.ledger.finish(cooking);
  } catch (const OutOfStock&) {
    k.ledger.fail(cooking);
    if (k.service.fail_fast) k.stop_everyone();
  }
  free_chef(k.chefs, *chef);
}

}  // namespace

void AsioOffload::admit(const Service& service) const {
  check_thread_budget(name_of<AsioOffload>(), pool_size(service), staffing_.max_threads);
}

Ledger AsioOffload::serve(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);
  Chefs chefs(loop, service.chefs);
  seat_chefs(chefs, service.chefs);
  std::optional<FetchBoard> board;
  if (service.fail_fast) board.emplace(service.customers());
  // Real I/O: the loop adopts each chef's open connection when the chef first cooks
  // (no connect() here).
  LoopLines lines(service, loop.get_executor());
  // The pool: an io_context run by `chefs` threads of our own, so that the
  // thread census sees them start and end.
  const unsigned threads = pool_size(service);
  boost::asio::io_context pool(static_cast<int>(threads));
  ThreadCrew crew(threads, ledger, nullptr);
  // After the crew: on an exception the pool closes before the crew joins.
  auto pool_open = boost::asio::make_work_guard(pool);
  const boost::thread::attributes defaults;
  for (unsigned i = 0; i < threads; ++i) {
    crew.start(
        defaults, [&pool] { pool.run(); }, name_of<AsioOffload>());
  }
  Kitchen kitchen{.service = service,
                  .ledger = ledger,
                  .chefs = chefs,
                  .pool = pool,
                  .board = board ? &*board : nullptr,
                  .lines = lines,
                  .stop = {}};
  const boost::asio::steady_timer reactor_built(loop);
  ledger.opened();
  // Spawned at open, or at each order's time by the arrival schedule.
  hand_over_orders(
      loop.get_executor(), ledger, service,
      [&kitchen, &loop](std::uint32_t order) {
        boost::asio::co_spawn(loop, cook(kitchen, order), boost::asio::detached);
      },
      [&kitchen] { return kitchen.stop.requested(); });
  const std::uint64_t sync_before = t_sync_ops;
  loop.run();
  ledger.add_sync_ops(t_sync_ops - sync_before);
  pool_open.reset();
  crew.join();
  ledger.close();
  return ledger;
}

}  // namespace kitchen
