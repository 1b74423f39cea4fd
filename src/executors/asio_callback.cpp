// asio_callback: the event loop written by hand, without coroutines. One thread
// runs an io_context; `chefs` chef objects each loop over the orders as a
// chain of callbacks: take the next order, arm a timer for the fetch, and when
// it fires cook the step and arm the next, until the orders run out. Nothing is
// shared between threads, so nothing is locked. Its pair is the hand-written
// thread loops. On real I/O a chef's fetch is a request and its reply on its own
// connection (an async write and read) instead of a timer.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <vector>

#include "executors/catalogue.hpp"
#include "executors/loop_connections.hpp"
#include "executors/stop_signal.hpp"
#include "executors/sync_ops.hpp"
#include "kitchen/failures.hpp"
#include "kitchen/gil.hpp"

namespace kitchen {
namespace {

class Chef;

// What the chefs share: one thread runs them all, so nothing is locked.
struct Pass {
  const Service& service;
  Ledger& ledger;
  std::vector<Chef>& chefs;
  // Real I/O only: each chef's borrowed connection.
  LoopConnections& connections;
  // Raised by the first failure of a fail-fast service.
  StopSignal stop;
  std::uint32_t next_order = 0;

  void stop_everyone();
};

class Chef {
 public:
  Chef(Pass& pass, boost::asio::io_context& loop, std::uint32_t id)
      : pass_(&pass), fetch_(loop), connection_(pass.connections.of(id)), id_(id) {}

  // Runs this chef until it must wait for an ingredient (then returns with its
  // timer armed) or until the orders run out. A loop, not a recursion: with
  // zero waits it serves order after order. `fetched`: the current order's next
  // ingredient has just arrived.
  void work(bool fetched = false) {
    // Under the GIL emulation a callback holds the GIL while it runs; the loop
    // lets it go while it waits in its reactor.
    const GilHeld python(pass_->service.gil);
    for (;;) {
      if (!cooking_ && !take_order()) return;
      if (cook(fetched)) return;
      fetched = false;
    }
  }

  void cancel_fetch() {
    fetch_.cancel();
    if (connection_ && connection_->fetching()) connection_->cancel();
  }

 private:
  // Takes the next order (true), or finds none left (false). In an open loop an
  // order whose time has not come yet is kept, and the chef's timer is armed for
  // its arrival (false: the chef waits; arrival() goes on).
  bool take_order() {
    Ledger& ledger = pass_->ledger;
    const Service& service = pass_->service;
    const auto customers = static_cast<std::uint32_t>(service.customers());
    // After a fail-fast failure the rest is cancelled.
    if (pass_->stop.requested()) {
      while (pass_->next_order < customers) ledger.cancel(pass_->next_order++);
      return false;
    }
    if (pass_->next_order == customers) return false;
    const std::uint32_t order = pass_->next_order++;
    if (service.open_loop()) {
      if (boost::asio::steady_timer::clock_type::now() < ledger.due(order)) {
        fetch_.expires_at(ledger.due(order));
        fetch_.async_wait(
            [this, order](const boost::system::error_code& error) { arrival(order, error); });
        return false;
      }
      ledger.arrived_before_taken(order);
    }
    begin(order);
    return true;
  }

  void begin(std::uint32_t order) {
    pass_->ledger.start(order, id_);
    cooking_.emplace(pass_->service, order, id_);
  }

  // The order this chef waited for has arrived (or the wait was cancelled by a
  // fail-fast failure).
  void arrival(std::uint32_t order, const boost::system::error_code& error) {
    if (error) {
      pass_->ledger.cancel(order);
      return work();
    }
    pass_->ledger.arrived(order);
    begin(order);
    work();
  }

  // Cooks the current order until it must wait for a fetch (true) or it has
  // ended (false).
  bool cook(bool fetched) {
    Ledger& ledger = pass_->ledger;
    try {
      if (fetched) cooking_->step();
      while (!cooking_->done()) {
        if (pass_->stop.requested()) {
          ledger.cancel(*cooking_);
          cooking_.reset();
          return false;
        }
        if (connection_ || cooking_->next_wait().count() > 0) {
          fetch();
          return true;
        }
        cooking_->step();
      }
      ledger.serve(*cooking_);
    } catch (const OutOfStock&) {
      ledger.fail(*cooking_);
      if (pass_->service.fail_fast) pass_->stop_everyone();
    }
    cooking_.reset();
    return false;
  }

  // Arms the fetch of the next ingredient: a timer, or on real I/O a request and
  // its reply on this chef's connection (even for a delay of 0).
  void fetch() {
    const auto wait = cooking_->next_wait();
    // Each handler captures one pointer: fits Asio's recycled handler memory, no
    // allocation per step.
    if (connection_) {
      return pantry::async_fetch(
          *connection_, cooking_->next_ingredient(), wait,
          [this](const boost::system::error_code& error) { arrived(error); });
    }
    fetch_.expires_after(wait);
    fetch_.async_wait([this](const boost::system::error_code& error) { arrived(error); });
  }

  void arrived(const boost::system::error_code& error) {
    // The connection failed: the row's error says how, and the kitchen stops.
    if (error && connection_ && error != boost::asio::error::operation_aborted) {
      pass_->connections.fault(*connection_, error);
      pass_->stop_everyone();
    }
    // Cancelled by a fail-fast failure, or failed.
    if (error) {
      pass_->ledger.cancel(*cooking_);
      cooking_.reset();
      return work();
    }
    work(true);
  }

  Pass* pass_;
  boost::asio::steady_timer fetch_;
  pantry::AsyncPantryConnection* connection_;
  std::uint32_t id_;
  std::optional<Cooking> cooking_;
};

void Pass::stop_everyone() {
  stop.request();
  for (Chef& chef : chefs) chef.cancel_fetch();
}

}  // namespace

Ledger AsioCallback::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  boost::asio::io_context loop(1);
  std::vector<Chef> chefs;
  // Real I/O: the loop adopts each chef's open connection when the chef first cooks
  // (no connect() here).
  LoopConnections connections(fetcher, loop.get_executor());
  Pass pass{service, ledger, chefs, connections, {}};
  const auto staff =
      std::min<std::size_t>(service.chefs, std::max<std::size_t>(service.customers(), 1));
  // Never grows: handlers hold pointers to the chefs.
  chefs.reserve(staff);
  for (std::uint32_t id = 0; id < staff; ++id) chefs.emplace_back(pass, loop, id);
  ledger.opened();
  for (Chef& chef : chefs) boost::asio::post(loop, [&chef] { chef.work(); });
  const std::uint64_t sync_before = t_sync_ops;
  loop.run();
  ledger.add_sync_ops(t_sync_ops - sync_before);
  ledger.close();
  return ledger;
}

}  // namespace kitchen
