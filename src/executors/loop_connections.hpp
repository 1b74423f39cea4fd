// The chefs' connections of one event-loop service on real I/O: each borrowed from the row's
// connections (the Fetcher's) the first time its chef fetches (no connect(): the loop adopts the
// open socket, so chefs that never cook cost nothing), and all given back when the kitchen
// closes. Declared after the loop and destroyed before it, once it has stopped. Empty without
// real I/O.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "executors/fetcher.hpp"
#include "pantry/async_connection.hpp"
#include "pantry/net_pantry.hpp"

namespace kitchen {

class LoopConnections {
 public:
  LoopConnections(const Fetcher& fetcher, const boost::asio::any_io_executor& loop)
      : net_(fetcher.connections()), loop_(loop) {
    // Sized once: a chef's slot never moves (a loop run by several threads borrows into
    // different slots at once).
    if (net_) borrowed_ = std::vector<std::optional<pantry::AsyncPantryConnection>>(net_->chefs());
  }
  ~LoopConnections() {
    for (std::uint32_t chef = 0; chef < borrowed_.size(); ++chef) {
      if (borrowed_[chef]) net_->give_back(chef, *borrowed_[chef]);
    }
  }
  LoopConnections(const LoopConnections&) = delete;
  LoopConnections& operator=(const LoopConnections&) = delete;

  // Chef `chef`'s connection, borrowed now if it was not yet; null without real I/O.
  pantry::AsyncPantryConnection* of(std::uint32_t chef) {
    if (!net_) return nullptr;
    if (!borrowed_[chef]) borrowed_[chef].emplace(net_->borrow(loop_, chef));
    return &*borrowed_[chef];
  }
  // A fetch on `connection` failed with `error`: the row's error names the connection and the
  // cause.
  void fault(const pantry::AsyncPantryConnection& connection,
             const boost::system::error_code& error) {
    net_->fault(connection.error(error).what());
  }

 private:
  pantry::NetPantry* net_;
  boost::asio::any_io_executor loop_;
  std::vector<std::optional<pantry::AsyncPantryConnection>> borrowed_;
};

}  // namespace kitchen
