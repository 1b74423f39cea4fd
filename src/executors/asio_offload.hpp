// asio_offload: coroutines on one io_context do the waiting; each cooking step
// is handed to a pool of `chefs` threads and awaited, like Python's
// loop.run_in_executor. The event loop keeps its cheap waits and gets the cores
// for the work.
#pragma once

#include "executors/executor.hpp"

namespace kitchen {

class AsioOffload {
 public:
  static constexpr std::string_view kName = "asio_offload";
  explicit AsioOffload(const Staffing& staffing) : staffing_(staffing) {}
  void admit(
      const Service& service) const;  // refuses a pool over the thread budget
  Ledger serve(const Service& service);

 private:
  Staffing staffing_;
};

}  // namespace kitchen
