#include "executors/asio_coro.hpp"

#include <boost/asio/experimental/channel.hpp>

#include "executors/coro_cooking.hpp"

namespace kitchen {

Ledger AsioCoro::serve(const Service& service) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);  // run by this thread alone
  using Chefs = boost::asio::experimental::channel<void(boost::system::error_code, std::uint32_t)>;
  Chefs chefs(loop, service.chefs);
  ledger.staffed();
  spawn_orders(service, ledger, chefs, loop);
  loop.run();
  ledger.close(1);
  return ledger;
}

}  // namespace kitchen
