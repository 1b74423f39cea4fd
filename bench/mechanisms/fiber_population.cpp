#include "mechanisms/fiber_population.hpp"

#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/operations.hpp>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <system_error>

#include "executors/executors.hpp"
#include "executors/fiber_stack.hpp"
#include "mechanisms/task_state.hpp"

namespace kitchen::bench {

FiberPopulation::FiberPopulation(std::size_t capacity, std::size_t stack_bytes,
                                 std::size_t state_bytes)
    : stack_bytes_(stack_bytes), state_bytes_(state_bytes) {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  fiber::check_mapping_budget("memory/fiber", capacity, Staffing{.fiber_stack_bytes = stack_bytes});
  fibers_.reserve(capacity);
}

void FiberPopulation::grow_to(std::size_t tasks) {
  try {
    if (tasks > fibers_.capacity()) throw ResourceLimitError("more fibers than planned");
    fiber::with_fiber_stack(Staffing{.fiber_stack_bytes = stack_bytes_}, [&](auto& stack) {
      while (fibers_.size() < tasks) {
        fibers_.emplace_back(std::allocator_arg, stack, [this] {
          const TaskState state(state_bytes_);
          std::unique_lock lock(mutex_);
          ++waiting_;
          released_cv_.wait(lock, [this] { return released_; });
          ++woken_;
        });
      }
    });
    // The new fibers run, each up to its wait, when this one lets them.
    while (waiting_ < fibers_.size()) boost::this_fiber::yield();
  } catch (const std::bad_alloc&) {
    release();
    throw ResourceLimitError("out of memory or mappings at fiber " +
                             std::to_string(fibers_.size() + 1));
  } catch (const std::system_error& e) {
    release();
    throw ResourceLimitError(std::string("fiber ") + std::to_string(fibers_.size() + 1) + ": " +
                             e.what());
  } catch (const ResourceLimitError&) {
    release();
    throw;
  }
}

std::size_t FiberPopulation::release() {
  {
    const std::lock_guard lock(mutex_);
    released_ = true;
  }
  released_cv_.notify_all();
  for (boost::fibers::fiber& f : fibers_) {
    if (f.joinable()) f.join();
  }
  return woken_;
}

}  // namespace kitchen::bench
