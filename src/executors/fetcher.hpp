// How an executor's chefs wait for an ingredient. Not part of the model: whoever runs the service
// (the harness, a test) hands it to the executor beside the Service. By default a timer: a sleep on
// a thread, a steady_timer on a loop, of the ingredient's io cost, a wait of 0 skipped. On real
// I/O, one request and its reply from the pantry server on the connection of the chef cooking the
// order, even for a delay of 0: the chef's blocking connection on a thread, or the same socket
// borrowed by a loop for one service (loop_connections.hpp). A pointer and a branch, no virtual
// call.
#pragma once

#include <string>

#include "kitchen/cooking.hpp"
#include "pantry/net_pantry.hpp"

namespace kitchen {

class Fetcher {
 public:
  // Timers.
  Fetcher() = default;
  // Real I/O on the row's connections, one per chef; null: timers.
  explicit Fetcher(pantry::NetPantry* net) : net_(net) {}

  bool real_io() const { return net_ != nullptr; }
  // The row's connections; null with timers.
  pantry::NetPantry* connections() const { return net_; }

  // Real I/O, on a thread: one blocking request for `cooking`'s next ingredient and its reply, on
  // its chef's own connection. Throws PantryError.
  void fetch_blocking(const Cooking& cooking) const {
    net_->connection(cooking.chef()).fetch(cooking.next_ingredient(), cooking.next_wait());
  }
  // Real I/O: a fetch failed; the harness turns the first fault into the row's error. Thread-safe.
  void fault(const std::string& what) const { net_->fault(what); }

 private:
  pantry::NetPantry* net_ = nullptr;
};

}  // namespace kitchen
