#include "executors/threads_pool.hpp"

#include <algorithm>
#include <atomic>
#include <latch>

#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {
namespace {

// Holds the workers until every one of them exists, so that the kitchen opens
// (and open_us ends) before any order starts, as on every other executor. If
// starting a worker fails, it still lets the others go, told to stop, so that
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

void ThreadsPool::admit(const Service& service) const {
  check_thread_budget(kName, workers(service), staffing_.max_threads);
}

std::uint32_t ThreadsPool::workers(const Service& service) {
  return std::min(service.chefs,
                  static_cast<std::uint32_t>(service.customers()));
}

Ledger ThreadsPool::serve(const Service& service) {
  Ledger ledger(service);
  const auto customers = static_cast<std::uint32_t>(service.customers());
  const std::uint32_t staff = workers(service);
  StopSignal stop;
  // The queue: every order is placed up front, so taking the next one is one
  // atomic increment.
  std::atomic<std::uint32_t> next{0};
  {
    ThreadCrew crew(staff, ledger, service.fail_fast ? &stop : nullptr);
    Gate gate(stop);  // after the crew: on an exception it opens before the
                      // crew joins
    const boost::thread::attributes defaults;
    for (std::uint32_t chef = 0; chef < staff; ++chef) {
      crew.start(
          defaults,
          [&service, &ledger, &stop, &gate, &next, customers, chef] {
            gate.wait();
            for (std::uint32_t order;
                 (order = next.fetch_add(1, std::memory_order_relaxed)) <
                 customers;) {
              count_sync_op();  // taking an order from the shared queue
              cook_on_thread(service, ledger, stop, order, chef);
            }
          },
          kName);
    }
    ledger.staffed();
    gate.open();
    crew.join();  // the pool shuts down like a `with ThreadPoolExecutor` block
  }
  ledger.close(staff);
  return ledger;
}

}  // namespace kitchen
