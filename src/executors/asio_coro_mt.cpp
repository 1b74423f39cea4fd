#include "executors/asio_coro_mt.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <optional>
#include <thread>

#include "executors/coro_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {

AsioCoroMt::AsioCoroMt(const Staffing& staffing)
    : threads_(staffing.loop_threads > 0
                   ? staffing.loop_threads
                   : std::max(1u, std::thread::hardware_concurrency())) {}

Ledger AsioCoroMt::serve(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(static_cast<int>(threads_));
  using Chefs = boost::asio::experimental::concurrent_channel<void(
      boost::system::error_code, std::uint32_t)>;
  Chefs chefs(loop, service.chefs);
  std::optional<FetchBoard> board;
  if (service.fail_fast) board.emplace(service.customers());
  StopSignal stop;
  CoroKitchen<Chefs> kitchen{
      service, ledger, stop, chefs, board ? &*board : nullptr, nullptr, true};
  {
    // The helpers run the loop from the start; the guard keeps them from
    // finding it empty and returning before the orders are spawned.
    auto keep_running = boost::asio::make_work_guard(loop);
    const boost::asio::steady_timer reactor_built(
        loop);  // Asio's reactor, built at opening
    ThreadCrew helpers(threads_ - 1, ledger, nullptr);
    const boost::thread::attributes defaults;
    for (unsigned i = 1; i < threads_; ++i) {
      helpers.start(
          defaults, [&loop] { loop.run(); }, kName);
    }
    ledger.staffed();
    // A coroutine touches only its own state, so it needs no strand; except in
    // a fail-fast service, where another thread cancels its fetch and that must
    // run in its context.
    spawn_orders<CoroStyle::kAwait>(kitchen, [&](std::uint32_t) {
      return service.fail_fast
                 ? boost::asio::any_io_executor(boost::asio::make_strand(loop))
                 : boost::asio::any_io_executor(loop.get_executor());
    });
    keep_running.reset();
    const std::uint64_t sync_before = t_sync_ops;
    loop.run();
    ledger.add_sync_ops(t_sync_ops - sync_before);
    helpers.join();
  }
  ledger.close(threads_);
  return ledger;
}

}  // namespace kitchen
