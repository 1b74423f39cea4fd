#include <string>

#include "executors/fiber_kitchen.hpp"
#include "os/limits.hpp"

namespace kitchen::fiber {

void FiberCrew::refused(std::string_view who, const Staffing& staffing) const {
  throw ResourceLimitError(
      std::string(who) + ": the system refused the stack of fiber " +
      std::to_string(fibers_.size() + 1) + " (" + stack_name(staffing) +
      "); vm.max_map_count=" + std::to_string(os::read_thread_limits().max_map_count));
}

}  // namespace kitchen::fiber
