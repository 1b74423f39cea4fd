#include "executors/asio_coro_mt.hpp"

#include <boost/asio/experimental/concurrent_channel.hpp>
#include <thread>

#include "executors/coro_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {

AsioCoroMt::AsioCoroMt(const Staffing& staffing)
    : threads_(staffing.loop_threads > 0 ? staffing.loop_threads
                                         : std::max(1u, std::thread::hardware_concurrency())) {}

Ledger AsioCoroMt::serve(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(static_cast<int>(threads_));
  using Chefs =
      boost::asio::experimental::concurrent_channel<void(boost::system::error_code, std::uint32_t)>;
  Chefs chefs(loop, service.chefs);
  // Orders are spawned before the helpers start, so no thread finds the loop empty and returns.
  spawn_orders(service, ledger, chefs, loop);
  {
    ThreadCrew helpers(threads_ - 1);
    const boost::thread::attributes defaults;
    for (unsigned i = 1; i < threads_; ++i)
      helpers.start(
          defaults, [&loop] { loop.run(); }, kName);
    ledger.staffed();
    loop.run();
  }
  ledger.close(threads_);
  return ledger;
}

}  // namespace kitchen
