// serial: the baseline. No executor at all: the calling thread takes the orders
// one after another and cooks each to the end, sleeping through every fetch, as
// a plain loop over the orders would. Whatever the chefs, one dish is in
// preparation at a time. Every other executor's gain or loss is measured against
// this: on CPU-bound work it is the cost of doing nothing clever.
#include <boost/thread/thread.hpp>

#include "executors/arrival.hpp"
#include "executors/catalogue.hpp"
#include "executors/stop_signal.hpp"
#include "executors/thread_cooking.hpp"

namespace kitchen {

Ledger Serial::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  // A fail-fast failure stops the loop; the orders after it are cancelled.
  StopSignal stop;
  const GilHeld python(service.gil);
  ledger.opened();
  const auto customers = static_cast<std::uint32_t>(service.customers());
  for (std::uint32_t order = 0; order < customers; ++order) {
    // In an open loop, the next order is taken when it has arrived.
    try {
      take_when_due(ledger, service, order);
    } catch (const boost::thread_interrupted&) {
      ledger.cancel(order);
      continue;
    }
    cook_on_thread(service, fetcher, ledger, stop, order, 0);
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
