#include "executors/asio_offload.hpp"

#include "executors/one_loop.hpp"

namespace kitchen {

Ledger AsioOffload::serve(const Service& service) {
  return serve_on_one_loop<CoroStyle::kOffload>(service);
}

}  // namespace kitchen
