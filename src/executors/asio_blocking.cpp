#include "executors/asio_blocking.hpp"

#include "executors/one_loop.hpp"

namespace kitchen {

Ledger AsioBlocking::serve(const Service& service) {
  return serve_on_one_loop<CoroStyle::kBlock>(service);
}

}  // namespace kitchen
