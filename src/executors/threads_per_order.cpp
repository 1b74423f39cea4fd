#include "executors/threads_per_order.hpp"

#include "executors/chef_roster.hpp"
#include "executors/thread_cooking.hpp"
#include "executors/thread_crew.hpp"

namespace kitchen {
void ThreadsPerOrder::admit(const Service& service) const {
  check_thread_budget(kName, service.customers(), staffing_.max_threads);
}

Ledger ThreadsPerOrder::serve(const Service& service) {
  Ledger ledger(service);
  StopSignal stop;
  ChefRoster roster(service.chefs);
  boost::thread::attributes attributes;
  if (staffing_.stack_bytes > 0)
    attributes.set_stack_size(staffing_.stack_bytes);
  ledger.staffed();
  const auto customers = static_cast<std::uint32_t>(service.customers());
  {
    ThreadCrew crew(customers, ledger, service.fail_fast ? &stop : nullptr);
    for (std::uint32_t order = 0; order < customers; ++order) {
      crew.start(
          attributes,
          [&service, &ledger, &roster, &stop, order] {
            std::uint32_t chef = 0;
            try {
              chef = roster.acquire();
            } catch (const boost::thread_interrupted&) {  // stopped while
                                                          // waiting for a chef
              return ledger.cancel(order);
            }
            cook_on_thread(service, ledger, stop, order, chef);
            roster.release(chef);
          },
          kName);
    }
  }
  ledger.close(customers);
  return ledger;
}

}  // namespace kitchen
