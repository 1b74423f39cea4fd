// threads_per_order: one Boost.Thread per order, all started at once, at most
// `chefs` of them cooking (the others wait for a chef), like a Python program
// that starts a threading.Thread per customer behind a Semaphore. Its stack
// size is a Staffing setting. A service that needs more threads than the OS
// allows is refused by admit() with a ResourceLimitError naming the limit. Its
// kitchen has no staff to hire before the first order (each order brings its
// own thread), so its opening cost is about nothing.
#pragma once

#include "executors/executor.hpp"

namespace kitchen {

class ThreadsPerOrder {
 public:
  static constexpr std::string_view kName = "threads_per_order";
  explicit ThreadsPerOrder(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service)
      const;  // refuses a service over the thread budget
  Ledger serve(const Service& service);

 private:
  Staffing staffing_;
};

}  // namespace kitchen
