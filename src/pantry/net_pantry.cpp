#include "pantry/net_pantry.hpp"

namespace kitchen::pantry {

NetPantry::NetPantry(std::uint16_t port, std::uint32_t chefs)
    : port_(port), lines_(open_connections(port, chefs)) {}

AsyncPantryConnection NetPantry::borrow(const AsyncPantryConnection::executor_type& loop,
                                        std::uint32_t chef) {
  PantryConnection& line = lines_[chef];
  return AsyncPantryConnection(loop, line.native_handle(),
                               Hello{.payload_bytes = line.payload_bytes()}, line.name());
}

void NetPantry::give_back(std::uint32_t chef, AsyncPantryConnection& borrowed) {
  carried_ += borrowed.traffic();
  const bool usable = borrowed.usable();
  if (borrowed.release() < 0 || !usable) lines_[chef].mark_unusable();
}

std::size_t NetPantry::reopen_unusable() {
  std::size_t reopened = 0;
  for (std::uint32_t chef = 0; chef < lines_.size(); ++chef) {
    if (lines_[chef].usable()) continue;
    carried_ += lines_[chef].traffic();
    lines_[chef].close();
    lines_[chef] = PantryConnection(port_, chef);
    ++reopened;
  }
  return reopened;
}

Traffic NetPantry::traffic() const {
  Traffic total = carried_;
  for (const PantryConnection& line : lines_) total += line.traffic();
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
