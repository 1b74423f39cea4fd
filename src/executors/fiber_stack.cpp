#include "executors/fiber_stack.hpp"

#include <boost/context/stack_traits.hpp>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

#include "os/limits.hpp"

namespace kitchen::fiber {
namespace {

// glibc's M_MMAP_THRESHOLD before it adapts: blocks this large are served by mmap.
constexpr std::size_t kMmapThreshold = 128 * 1024;

// The mappings this process has now: the lines of /proc/self/maps; -1 where unknown.
std::int64_t mappings_in_use() {
  std::ifstream maps("/proc/self/maps");
  if (!maps) return -1;
  std::int64_t lines = 0;
  for (std::string line; std::getline(maps, line);) ++lines;
  return lines;
}

}  // namespace

StackChoice stack_of(const Staffing& staffing) {
  const std::size_t bytes = staffing.fiber_stack_bytes > 0
                                ? staffing.fiber_stack_bytes
                                : boost::context::stack_traits::default_size();
  return {.bytes = bytes, .guard_page = staffing.fiber_guard_page};
}

std::string stack_name(const Staffing& staffing) {
  const StackChoice stack = stack_of(staffing);
  return std::string(stack.guard_page ? "protected_fixedsize_stack " : "fixedsize_stack ") +
         std::to_string(stack.bytes / 1024) + " KiB" +
         (staffing.fiber_stack_bytes == 0 ? " (Boost's default size)" : "");
}

unsigned mappings_per_fiber(const StackChoice& stack) {
  if (stack.guard_page) return 2;
  return stack.bytes >= kMmapThreshold ? 1 : 0;
}

std::size_t fibers_within_mappings(const Staffing& staffing) {
  const unsigned each = mappings_per_fiber(stack_of(staffing));
  if (each == 0) return std::numeric_limits<std::size_t>::max();
  const std::int64_t cap = os::read_thread_limits().max_map_count;
  const std::int64_t used = mappings_in_use();
  if (cap < 0 || used < 0) return std::numeric_limits<std::size_t>::max();
  // A margin for what the service maps besides the stacks (heap arenas, the loop's descriptors).
  const std::int64_t left = cap - used - 256;
  return left > 0 ? static_cast<std::size_t>(left) / each : 0;
}

void check_mapping_budget(std::string_view who, std::size_t fibers, const Staffing& staffing) {
  const std::size_t allowed = fibers_within_mappings(staffing);
  if (fibers <= allowed) return;
  const StackChoice stack = stack_of(staffing);
  throw ResourceLimitError(
      std::string(who) + " needs " + std::to_string(fibers) + " fiber stacks (" + stack_name(staffing) +
      ", up to " + std::to_string(mappings_per_fiber(stack)) + " memory mappings each); vm.max_map_count=" +
      std::to_string(os::read_thread_limits().max_map_count) + " leaves room for " +
      std::to_string(allowed) + " (" + std::to_string(mappings_in_use()) +
      " mappings in use); use smaller stacks (--fiber-stack-kib below 128, no guard page) or fewer customers");
}

}  // namespace kitchen::fiber
