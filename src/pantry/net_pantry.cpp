#include "pantry/net_pantry.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <type_traits>

#include "pantry/async_connection.hpp"

namespace kitchen::pantry {

// The header declares the loop's executor as a class of its own rather than including Asio.
static_assert(std::is_same_v<AsyncPantryConnection::executor_type, boost::asio::any_io_executor>);

NetPantry::NetPantry(std::uint16_t port, std::uint32_t chefs)
    : port_(port), connections_(open_connections(port, chefs)) {}

AsyncPantryConnection NetPantry::borrow(const boost::asio::any_io_executor& loop,
                                        std::uint32_t chef) {
  PantryConnection& own = connections_[chef];
  return AsyncPantryConnection(loop, own.native_handle(),
                               Hello{.payload_bytes = own.payload_bytes()}, own.name());
}

void NetPantry::give_back(std::uint32_t chef, AsyncPantryConnection& borrowed) {
  carried_ += borrowed.traffic();
  const bool usable = borrowed.usable();
  if (borrowed.release() < 0 || !usable) connections_[chef].mark_unusable();
}

std::size_t NetPantry::reopen_unusable() {
  std::size_t reopened = 0;
  for (std::uint32_t chef = 0; chef < connections_.size(); ++chef) {
    if (connections_[chef].usable()) continue;
    carried_ += connections_[chef].traffic();
    connections_[chef].close();
    connections_[chef] = PantryConnection(port_, chef);
    ++reopened;
  }
  return reopened;
}

Traffic NetPantry::traffic() const {
  Traffic total = carried_;
  for (const PantryConnection& c : connections_) total += c.traffic();
  return total;
}

void NetPantry::fault(const std::string& what) {
  const std::lock_guard lock(fault_mutex_);
  if (faulted_.load()) return;
  fault_ = what;
  faulted_.store(true);
}

std::optional<std::string> NetPantry::take_fault() {
  if (!faulted_.load()) return std::nullopt;
  const std::lock_guard lock(fault_mutex_);
  faulted_.store(false);
  return std::move(fault_);
}

}  // namespace kitchen::pantry
