// threads_pool: `chefs` Boost.Thread workers pulling orders from a shared
// queue, the C++ shape of Python's ThreadPoolExecutor(max_workers=chefs). Like
// it, it starts no more workers than there are orders.
#pragma once

#include "executors/executor.hpp"

namespace kitchen {

class ThreadsPool {
 public:
  static constexpr std::string_view kName = "threads_pool";
  explicit ThreadsPool(const Staffing& staffing) : staffing_(staffing) {}
  void admit(const Service& service)
      const;  // refuses a service over the thread budget
  Ledger serve(const Service& service);

 private:
  static std::uint32_t workers(const Service& service);

  Staffing staffing_;
};

}  // namespace kitchen
