// asio_blocking: the article's asyncio kitchen as it was written. Its
// coroutines never suspend while cooking: they sleep and work inline, blocking
// the one thread that runs the loop, so no two dishes overlap, whatever the
// chefs' semaphore allows. A named pitfall, measured.
#pragma once

#include "executors/executor.hpp"

namespace kitchen {

class AsioBlocking {
 public:
  static constexpr std::string_view kName = "asio_blocking";
  explicit AsioBlocking(const Staffing&) {}
  Ledger serve(const Service& service);
};

}  // namespace kitchen
