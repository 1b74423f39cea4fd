// threads_chefs: `chefs` hand-written Boost.Thread loops. Every order is placed
// when the kitchen opens, so the queue is just an atomic index: a chef takes the
// next order with one relaxed increment, cooks it by blocking on each fetch,
// and takes the next, until the orders run out. In an open loop a chef takes
// the next order when its time has come, sleeping until then if it must. No task object, no future:
// the leanest a thread kitchen can be. Its pair is the event loop's chef loops
// written as callbacks.
#include <algorithm>
#include <atomic>
#include <latch>

#include "executors/arrival.hpp"
#include "executors/catalogue.hpp"
#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {
namespace {

// Holds the chefs until every one of them exists, so that the kitchen opens
// (and open_us ends) before any order starts, as on every other executor. If
// starting a chef fails, it still lets the others go, told to stop, so that
// they can be joined.
class Gate {
 public:
  explicit Gate(StopSignal& stop) : stop_(&stop) {}
  ~Gate() {
    if (!opened_) {
      stop_->request();
      latch_.count_down();
    }
  }
  void open() {
    opened_ = true;
    latch_.count_down();
  }
  void wait() { latch_.wait(); }

 private:
  StopSignal* stop_;
  std::latch latch_{1};
  bool opened_ = false;
};

}  // namespace

void ThreadsChefs::admit(const Service& service) const {
  check_thread_budget(name_of<ThreadsChefs>(), threads_for(service), staffing_.max_threads);
}

Ledger ThreadsChefs::serve(const Service& service, Fetcher fetcher) {
  Ledger ledger(service);
  // The next order to take, shared by the chefs
  std::atomic<std::uint32_t> next{0};
  const auto customers = static_cast<std::uint32_t>(service.customers());
  const std::uint32_t staff = threads_for(service);
  StopSignal stop;
  {
    ThreadCrew crew(staff, ledger, service.fail_fast ? &stop : nullptr);
    // Declared after the crew, so that on an exception it opens before the crew joins.
    Gate gate(stop);
    const boost::thread::attributes defaults;
    for (std::uint32_t chef = 0; chef < staff; ++chef) {
      crew.start(
          defaults,
          [&service, &fetcher, &ledger, &stop, &gate, &next, customers, chef] {
            gate.wait();
            // Under the GIL emulation, a chef holds it for all it does but wait.
            const GilHeld python(service.gil);
            for (std::uint32_t order;
                 (order = next.fetch_add(1, std::memory_order_relaxed)) < customers;) {
              // Taking an order from the shared queue, and in an open loop
              // waiting for it to arrive if it is not there yet.
              count_sync_op();
              try {
                take_when_due(ledger, service, order);
              } catch (const boost::thread_interrupted&) {
                ledger.cancel(order);
                continue;
              }
              cook_on_thread(service, fetcher, ledger, stop, order, chef);
            }
          },
          name_of<ThreadsChefs>());
    }
    ledger.opened();
    gate.open();
    crew.join();
  }
  ledger.close();
  return ledger;
}

}  // namespace kitchen
