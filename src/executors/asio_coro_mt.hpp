// asio_coro_mt: the asio_coro kitchen on one io_context run by several threads
// (one per core by default), so coroutines of different orders cook in
// parallel. The chef channel is then Asio's thread-safe concurrent_channel.
#pragma once

#include "executors/executor.hpp"

namespace kitchen {

class AsioCoroMt {
 public:
  static constexpr std::string_view kName = "asio_coro_mt";
  explicit AsioCoroMt(const Staffing& staffing);
  Ledger serve(const Service& service);

 private:
  unsigned threads_;
};

}  // namespace kitchen
