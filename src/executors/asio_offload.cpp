#include "executors/asio_offload.hpp"

#include "executors/one_loop.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {

void AsioOffload::admit(const Service& service) const {
  check_thread_budget(kName, pool_threads(service), staffing_.max_threads);
}

Ledger AsioOffload::serve(const Service& service) {
  return serve_on_one_loop<CoroStyle::kOffload>(service);
}

}  // namespace kitchen
