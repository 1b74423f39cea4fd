// A population of idle fibers for the memory family: each one, launched on this thread's
// round_robin scheduler with a stack of the row's size (Boost's fixedsize_stack, as the fiber
// executors use by default), holds its task state and waits on a fiber condition variable (as a
// fiber of the kitchen waits for an ingredient: suspended, its stack kept). release() wakes
// them all and joins each one.
#pragma once

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <cstddef>
#include <vector>

namespace kitchen::bench {

class FiberPopulation {
 public:
  // `capacity` is the largest population asked for; the fibers' handles are allocated here,
  // before the first memory sample. `stack_bytes`: 0 for Boost.Context's default size. Throws
  // ResourceLimitError when `capacity` stacks could pass vm.max_map_count.
  FiberPopulation(std::size_t capacity, std::size_t stack_bytes, std::size_t state_bytes);
  FiberPopulation(const FiberPopulation&) = delete;
  FiberPopulation& operator=(const FiberPopulation&) = delete;
  ~FiberPopulation() { release(); }

  // Launches fibers until `tasks` of them are waiting. Throws ResourceLimitError, after
  // releasing every fiber, when they cannot all be started.
  void grow_to(std::size_t tasks);

  // Wakes every fiber and joins it; returns how many woke from their wait (all of them, unless
  // something is wrong).
  std::size_t release();

 private:
  std::size_t stack_bytes_;
  std::size_t state_bytes_;
  std::vector<boost::fibers::fiber> fibers_;
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable released_cv_;
  bool released_ = false;
  std::size_t waiting_ = 0;
  std::size_t woken_ = 0;
};

}  // namespace kitchen::bench
