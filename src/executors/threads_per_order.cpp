#include "executors/threads_per_order.hpp"

#include <string>

#include "executors/chef_roster.hpp"
#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"
#include "os/limits.hpp"

namespace kitchen {
namespace {

// Refuses, before starting anything, a service that cannot have its threads.
void check_budget(std::size_t needed, std::int64_t max_threads) {
  if (max_threads > 0) {
    if (needed > static_cast<std::size_t>(max_threads)) {
      throw ResourceLimitError(std::string(ThreadsPerOrder::kName) + " needs " +
                               std::to_string(needed) +
                               " threads, more than --max-threads=" + std::to_string(max_threads));
    }
    return;
  }
  const os::ThreadBudget budget = os::thread_budget(os::read_thread_limits());
  if (needed > static_cast<std::size_t>(budget.threads)) {
    throw ResourceLimitError(std::string(ThreadsPerOrder::kName) + " needs " +
                             std::to_string(needed) + " threads, the OS allows " +
                             std::to_string(budget.threads) + " more (" + budget.limit + ")");
  }
}

}  // namespace

Ledger ThreadsPerOrder::serve(const Service& service) {
  check_budget(service.customers(), staffing_.max_threads);
  Ledger ledger(service);
  ChefRoster roster(service.chefs);
  boost::thread::attributes attributes;
  if (staffing_.stack_bytes > 0) attributes.set_stack_size(staffing_.stack_bytes);
  ledger.staffed();
  const auto customers = static_cast<std::uint32_t>(service.customers());
  {
    ThreadCrew crew(customers, ledger, service.fail_fast);
    for (std::uint32_t order = 0; order < customers; ++order) {
      crew.start(
          attributes,
          [&service, &ledger, &roster, order] {
            std::uint32_t chef = 0;
            try {
              chef = roster.acquire();
            } catch (const boost::thread_interrupted&) {  // stopped while waiting for a chef
              return ledger.cancel(order);
            }
            cook_on_thread(service, ledger, order, chef);
            roster.release(chef);
          },
          kName);
    }
  }
  ledger.close(customers);
  return ledger;
}

}  // namespace kitchen
