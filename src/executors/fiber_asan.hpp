// AddressSanitizer and fiber stacks. Debian's Boost.Context switches stacks with fcontext, which
// has no sanitizer annotations, and the switches happen inside libboost_fiber, which this suite
// cannot rebuild: ASan never learns where a fiber's stack is. That matters in one case. An
// exception unwinds frames without running their epilogues, which would unpoison their redzones;
// ASan then calls __asan_handle_no_return to unpoison the thread's stack below the throw, but on
// a fiber's stack (a heap block, to ASan) it refuses ("ASan is ignoring requested
// __asan_handle_no_return") and the unwound frames' redzones stay poisoned: the next frames
// built there are reported as stack-buffer-underflow though nothing is wrong.
//
// So under ASan the fiber executors' stacks are registered when allocated (TrackedStack), and
// every handler that catches an exception on a fiber first calls forget_unwound_frames(), which
// unpoisons the part of the current fiber's stack below the handler: the space the unwound frames
// left, which no live frame uses. Without ASan both are nothing, and on a thread's stack the
// registry finds no stack and the call does nothing (ASan's own no-return handling works there).
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>

#include <boost/context/stack_context.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#endif

namespace kitchen::fiber {

#if defined(__SANITIZE_ADDRESS__)

namespace detail {

// Every fiber stack alive, by its top (its highest address), with its size.
struct StackRegistry {
  std::mutex mutex;
  std::map<std::uintptr_t, std::size_t> by_top;
};
inline StackRegistry& stacks() {
  static StackRegistry registry;
  return registry;
}

}  // namespace detail

template <class Allocator>
class TrackedStack {
 public:
  explicit TrackedStack(Allocator allocator) : allocator_(std::move(allocator)) {}
  boost::context::stack_context allocate() {
    boost::context::stack_context stack = allocator_.allocate();
    const std::lock_guard lock(detail::stacks().mutex);
    detail::stacks().by_top[reinterpret_cast<std::uintptr_t>(stack.sp)] = stack.size;
    return stack;
  }
  void deallocate(boost::context::stack_context& stack) noexcept {
    {
      const std::lock_guard lock(detail::stacks().mutex);
      detail::stacks().by_top.erase(reinterpret_cast<std::uintptr_t>(stack.sp));
    }
    allocator_.deallocate(stack);
  }

 private:
  Allocator allocator_;
};

// Never inlined: its own frame lies below its caller's, so all it unpoisons is below the caller.
[[gnu::noinline]] inline void forget_unwound_frames() {
  const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  const std::lock_guard lock(detail::stacks().mutex);
  const auto above = detail::stacks().by_top.upper_bound(here);
  if (above == detail::stacks().by_top.end()) return;
  const std::uintptr_t bottom = above->first - above->second;
  if (here <= bottom) return;
  ASAN_UNPOISON_MEMORY_REGION(reinterpret_cast<void*>(bottom), here - bottom);
}

#else

template <class Allocator>
using TrackedStack = Allocator;

inline void forget_unwound_frames() {}

#endif

}  // namespace kitchen::fiber
