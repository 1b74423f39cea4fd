// The single-threaded coroutine kitchens (asio_coro, asio_offload,
// asio_blocking): one io_context run by the calling thread, one coroutine per
// order. They differ only in the CoroStyle of their coroutines, and
// asio_offload in the pool its cooking runs on.
#pragma once

#include <algorithm>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>

#include "executors/coro_cooking.hpp"

namespace kitchen {

// asio_offload's pool: `chefs` threads, never more than there are orders.
inline unsigned pool_threads(const Service& service) {
  return static_cast<unsigned>(std::max<std::size_t>(
      1, std::min<std::size_t>(service.chefs, service.customers())));
}

template <CoroStyle kStyle>
Ledger serve_on_one_loop(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);  // run by this thread alone
  using Chefs = boost::asio::experimental::channel<void(
      boost::system::error_code, std::uint32_t)>;
  Chefs chefs(loop, service.chefs);
  std::optional<FetchBoard> board;
  if (service.fail_fast) board.emplace(service.customers());
  std::optional<boost::asio::thread_pool> pool;
  if constexpr (kStyle == CoroStyle::kOffload)
    pool.emplace(pool_threads(service));
  StopSignal stop;
  CoroKitchen<Chefs> kitchen{service,
                             ledger,
                             stop,
                             chefs,
                             board ? &*board : nullptr,
                             pool ? &*pool : nullptr,
                             false};
  // A first timer makes Asio build its reactor (epoll, timerfd) now, as part of
  // opening the kitchen, rather than inside the first order.
  const boost::asio::steady_timer reactor_built(loop);
  ledger.staffed();
  spawn_orders<kStyle>(kitchen,
                       [&](std::uint32_t) { return loop.get_executor(); });
  const std::uint64_t sync_before = t_sync_ops;
  loop.run();
  ledger.add_sync_ops(t_sync_ops - sync_before);
  if (pool) pool->join();
  ledger.close(pool ? 1 + pool_threads(service) : 1);
  return ledger;
}

}  // namespace kitchen
