// asio_coro: one thread running an io_context, one C++20 coroutine per order, a
// channel of `chefs` tokens as the semaphore: the article's asyncio kitchen,
// create_task + Semaphore(chefs) + gather.
#pragma once

#include "executors/executor.hpp"

namespace kitchen {

class AsioCoro {
 public:
  static constexpr std::string_view kName = "asio_coro";
  explicit AsioCoro(const Staffing&) {}
  Ledger serve(const Service& service);
};

}  // namespace kitchen
