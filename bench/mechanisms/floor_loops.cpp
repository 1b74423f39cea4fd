// The event-loop executors' floors: an io_context, a coroutine per order (or `chefs` callback
// chains), a channel of `chefs` tokens as the semaphore, a timer for each wait (none on the
// overhead profile). No ledger, no census, no fetch board, no stop signal, no GIL.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "executors/catalogue.hpp"
#include "executors/thread_crew.hpp"
#include "kitchen/cooking.hpp"
#include "mechanisms/floor.hpp"
#include "os/cores.hpp"

namespace kitchen::bench {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using Tokens = asio::experimental::channel<void(boost::system::error_code, std::uint32_t)>;
using SharedTokens =
    asio::experimental::concurrent_channel<void(boost::system::error_code, std::uint32_t)>;

// How a floor's coroutine waits and where it cooks.
enum class Way { kAwait, kBlock, kOffload };

// An order with its chef, in a frame of its own as the kitchen's cook() is: built once the
// order has a chef, so that the orders waiting for one hold only order_floor()'s small frame.
template <Way kWay>
awaitable<void> cook_floor(FloorKitchen& kitchen, asio::thread_pool* pool, std::uint32_t order,
                           std::uint32_t chef) {
  kitchen.begin(chef);
  Cooking cooking(kitchen.service, order, chef);
  std::optional<asio::steady_timer> timer;
  while (!cooking.done()) {
    if (cooking.next_wait().count() > 0) {
      if constexpr (kWay == Way::kBlock) {
        std::this_thread::sleep_for(cooking.next_wait());
      } else {
        if (!timer) timer.emplace(co_await asio::this_coro::executor);
        timer->expires_after(cooking.next_wait());
        co_await timer->async_wait(use_awaitable);
      }
    }
    if constexpr (kWay == Way::kOffload) {
      // Two posts: resumed on a pool thread, which cooks, then back on the loop.
      const auto loop = co_await asio::this_coro::executor;
      co_await asio::post(asio::bind_executor(*pool, use_awaitable));
      cooking.step();
      co_await asio::post(asio::bind_executor(loop, use_awaitable));
    } else {
      cooking.step();
    }
  }
  kitchen.served(order);
}

template <class Channel, Way kWay>
awaitable<void> order_floor(FloorKitchen& kitchen, Channel& chefs, asio::thread_pool* pool,
                            std::uint32_t order) {
  const std::uint32_t chef = co_await chefs.async_receive(use_awaitable);
  co_await cook_floor<kWay>(kitchen, pool, order, chef);
  chefs.try_send(boost::system::error_code{}, chef);
}

template <class Channel, Way kWay>
void serve_coroutines(FloorKitchen& kitchen, asio::io_context& loop, asio::thread_pool* pool,
                      unsigned loop_threads) {
  Channel chefs(loop, kitchen.service.chefs);
  for (std::uint32_t chef = 0; chef < kitchen.service.chefs; ++chef) {
    chefs.try_send(boost::system::error_code{}, chef);
  }
  for (std::uint32_t order = 0; order < kitchen.orders.size(); ++order) {
    asio::co_spawn(loop, order_floor<Channel, kWay>(kitchen, chefs, pool, order), asio::detached);
  }
  Joined<std::thread> helpers;
  try {
    for (unsigned i = 1; i < loop_threads; ++i) {
      helpers.threads.emplace_back([&loop] { loop.run(); });
    }
    loop.run();
  } catch (...) {
    // Stopped, the loop lets its helper threads return before they are joined.
    loop.stop();
    throw;
  }
}

// A chef of the callback kitchen: takes the next order and cooks it, arming its timer for each
// wait and going on from the timer's handler.
struct CallbackChef {
  FloorKitchen* kitchen;
  std::uint32_t* next;
  std::uint32_t id;
  asio::steady_timer timer;
  std::optional<Cooking> cooking;

  void work() {
    for (;;) {
      if (!cooking) {
        if (*next == kitchen->orders.size()) return;
        kitchen->begin(id);
        cooking.emplace(kitchen->service, (*next)++, id);
      }
      while (!cooking->done()) {
        if (cooking->next_wait().count() > 0) {
          timer.expires_after(cooking->next_wait());
          timer.async_wait([this](const boost::system::error_code&) {
            cooking->step();
            work();
          });
          return;
        }
        cooking->step();
      }
      kitchen->served(cooking->order());
      cooking.reset();
    }
  }
};

}  // namespace

void floor_asio_coro(FloorKitchen& kitchen) {
  asio::io_context loop(1);
  serve_coroutines<Tokens, Way::kAwait>(kitchen, loop, nullptr, 1);
}

void floor_asio_blocking(FloorKitchen& kitchen) {
  asio::io_context loop(1);
  serve_coroutines<Tokens, Way::kBlock>(kitchen, loop, nullptr, 1);
}

void floor_asio_coro_mt(FloorKitchen& kitchen) {
  // --loop-threads, as the kitchen row's loop gets it.
  const unsigned threads =
      kitchen.staffing.loop_threads > 0 ? kitchen.staffing.loop_threads : os::usable_cores();
  asio::io_context loop(static_cast<int>(threads));
  serve_coroutines<SharedTokens, Way::kAwait>(kitchen, loop, nullptr, threads);
}

void floor_asio_offload(FloorKitchen& kitchen) {
  asio::io_context loop(1);
  check_thread_budget(name_of<AsioOffload>(), kitchen.service.chefs, kitchen.staffing.max_threads);
  asio::thread_pool pool(kitchen.service.chefs);
  serve_coroutines<Tokens, Way::kOffload>(kitchen, loop, &pool, 1);
  pool.join();
}

void floor_asio_callback(FloorKitchen& kitchen) {
  asio::io_context loop(1);
  std::uint32_t next = 0;
  std::vector<CallbackChef> chefs;
  chefs.reserve(kitchen.service.chefs);
  for (std::uint32_t id = 0; id < kitchen.service.chefs; ++id) {
    chefs.push_back({&kitchen, &next, id, asio::steady_timer(loop), std::nullopt});
  }
  for (CallbackChef& chef : chefs) asio::post(loop, [&chef] { chef.work(); });
  loop.run();
}

}  // namespace kitchen::bench
