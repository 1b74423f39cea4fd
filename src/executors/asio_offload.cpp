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
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "executors/catalogue.hpp"
#include "executors/coro_kitchen.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {
namespace {

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

// Where asio_offload's steps run: on the pool, awaited. The loop thread holds no GIL meanwhile.
struct OnThePool {
  static constexpr bool kAwaited = true;
  // The pool's queue, then the loop's.
  static constexpr std::uint64_t kSyncOpsPerStep = 2;
  boost::asio::io_context* pool;
  const Service* service;

  auto step(Cooking& cooking) const {
    return async_step_on(*pool, cooking, *service, boost::asio::use_awaitable);
  }
};

using OffloadingKitchen = coro::Kitchen<Chefs, OnThePool, LoopFetch>;

}  // namespace

void AsioOffload::admit(const Service& service) const {
  check_thread_budget(name_of<AsioOffload>(), pool_size(service), staffing_.max_threads);
}

Ledger AsioOffload::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);
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
  OffloadingKitchen kitchen(service, ledger, loop, fetcher, {&pool, &service});
  kitchen.open();
  kitchen.run();
  pool_open.reset();
  crew.join();
  ledger.close();
  return ledger;
}

}  // namespace kitchen
