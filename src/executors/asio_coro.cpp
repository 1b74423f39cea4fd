#include "executors/asio_coro.hpp"

#include "executors/one_loop.hpp"

namespace kitchen {

Ledger AsioCoro::serve(const Service& service) {
  return serve_on_one_loop<CoroStyle::kAwait>(service);
}

}  // namespace kitchen
