// asio_callback: one thread, an io_context, and `chefs` chef loops written by
// hand as callbacks: each chef takes the next order, arms a timer for the
// fetch, and cooks in the timer's completion handler. What coroutines compile
// down to, without the coroutine frames.
#pragma once

#include "executors/executor.hpp"

namespace kitchen {

class AsioCallback {
 public:
  static constexpr std::string_view kName = "asio_callback";
  explicit AsioCallback(const Staffing&) {}
  Ledger serve(const Service& service);
};

}  // namespace kitchen
