// The stacks the fiber executors' fibers run on (--fiber-stack-kib, --fiber-stack-guard): a plain
// heap block of Boost.Context's default size unless told otherwise (fixedsize_stack: one malloc
// each, no guard), or one with a guard page below it (protected_fixedsize_stack: an mmap and an
// mprotect each). The allocator and the size decide what an order costs, so a row names them
// (stack_name, in the JSON context).
//
// Every stack with a guard page is its own memory mapping, split in two by the guard, and a heap
// block at or above glibc's mmap threshold (128 KiB until the first such block is freed) may be
// one too: vm.max_map_count (65,530 here) caps how many fibers can live at once. A service that
// could pass the cap is refused before it starts (check_mapping_budget), as a thread executor
// refuses one past the thread budget, rather than failing an allocation half way.
#pragma once

#include <boost/fiber/fixedsize_stack.hpp>
#include <boost/fiber/protected_fixedsize_stack.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "executors/executors.hpp"
#include "executors/fiber_asan.hpp"

namespace kitchen::fiber {

struct StackChoice {
  std::size_t bytes = 0;
  bool guard_page = false;
};

// The stack a fiber gets under `staffing`, its size resolved (Boost.Context's default for 0).
StackChoice stack_of(const Staffing& staffing);

// "fixedsize_stack 128 KiB (Boost's default size)", "protected_fixedsize_stack 16 KiB".
std::string stack_name(const Staffing& staffing);

// The memory mappings one fiber's stack may cost, at most: 2 with a guard page, 1 for a heap
// block at or above glibc's initial mmap threshold, 0 below it.
unsigned mappings_per_fiber(const StackChoice& stack);

// Throws ResourceLimitError, naming vm.max_map_count, the mappings in use and what `fibers`
// stacks would need, when they might not fit.
void check_mapping_budget(std::string_view who, std::size_t fibers, const Staffing& staffing);

// The most fibers alive at once that the mappings left allow under `staffing`; SIZE_MAX when the
// stacks need none.
std::size_t fibers_within_mappings(const Staffing& staffing);

// Calls f(allocator) with the stack allocator `staffing` chooses; returns what f returns.
template <class F>
decltype(auto) with_fiber_stack(const Staffing& staffing, F&& f) {
  const StackChoice choice = stack_of(staffing);
  // Handed over as a modifiable lvalue: a fiber's constructor allocates through it. Registered
  // with ASan's help in sanitizer builds (fiber_asan.hpp), the allocator itself otherwise.
  if (choice.guard_page) {
    TrackedStack<boost::fibers::protected_fixedsize_stack> stack(
        boost::fibers::protected_fixedsize_stack(choice.bytes));
    return f(stack);
  }
  TrackedStack<boost::fibers::fixedsize_stack> stack(boost::fibers::fixedsize_stack(choice.bytes));
  return f(stack);
}

}  // namespace kitchen::fiber
