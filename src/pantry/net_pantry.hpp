// The chefs' connections of one benchmark row on real I/O (--io=net), handed to the executors
// through their Fetcher (executors/fetcher.hpp). The harness opens one blocking connection per
// chef before the row's first service (outside the clocks) and keeps them for every service of
// the row:
//
//   // thread executors: the chef's own blocking socket
//   net.connection(chef).fetch(ingredient, wait);
//   // event-loop executors: the loop borrows each socket for one service (no connect() then)
//   pantry::AsyncPantryConnection borrowed = net.borrow(loop.get_executor(), chef);
//   ...
//   net.give_back(chef, borrowed);
//
// A fetch that fails (refused, reset, closed, timed out) is reported with fault(); the executor
// then stops its kitchen and the harness turns the first fault (take_fault()) into the row's
// error. Between
// services the harness reopens the connections that became unusable (a cancelled or failed
// fetch leaves a socket out of step).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pantry/connection.hpp"

// Declared, not included: every executor reaches this header through its Fetcher, and only the
// event-loop ones need Asio, whose headers are most of a thread executor's compile time.
// net_pantry.cpp checks that this is the executor type AsyncPantryConnection runs on.
namespace boost::asio {
class any_io_executor;
}  // namespace boost::asio

namespace kitchen::pantry {

class AsyncPantryConnection;

class NetPantry {
 public:
  // Opens `chefs` connections to 127.0.0.1:`port`, numbered by chef. Throws PantryError.
  NetPantry(std::uint16_t port, std::uint32_t chefs);

  std::uint16_t port() const { return port_; }
  std::uint32_t chefs() const { return static_cast<std::uint32_t>(connections_.size()); }
  PantryConnection& connection(std::uint32_t chef) { return connections_[chef]; }

  // An event loop's loan of chef `chef`'s socket for one service.
  AsyncPantryConnection borrow(const boost::asio::any_io_executor& loop, std::uint32_t chef);
  // Takes the socket back once the loop has stopped, with what it carried; an unusable
  // borrowed connection leaves the chef's connection unusable.
  void give_back(std::uint32_t chef, AsyncPantryConnection& borrowed);

  // Reopens every connection that is no longer usable; returns how many. Throws PantryError.
  std::size_t reopen_unusable();

  // Everything sent and received over the row's connections so far, both ways of fetching.
  Traffic traffic() const;

  // A fetch failed: the first message is kept for the row's error. Thread-safe.
  void fault(const std::string& what);
  // The first fault since the last call, if any.
  std::optional<std::string> take_fault();

 private:
  std::uint16_t port_;
  std::vector<PantryConnection> connections_;
  // Traffic of the loops' loans and of connections reopened since.
  Traffic carried_;
  std::atomic<bool> faulted_{false};
  std::mutex fault_mutex_;
  std::string fault_;
};

}  // namespace kitchen::pantry
