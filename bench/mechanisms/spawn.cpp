// spawn/<kind>: create, start and finish one unit of work that does nothing,
// and learn that it finished. A thread is created and joined (clone, a kernel
// stack, a wake-up, exit); a coroutine is spawned on the io_context this thread
// runs (a frame allocated from Asio's recycling allocator, a few queue pushes
// and pops); a posted handler is the least a loop can run; a fiber is launched
// and joined on this thread's round_robin scheduler (a stack from its allocator,
// two context switches, no kernel). One iteration is one
// spawn; ns_per_spawn is the wall time per iteration.
#include <benchmark/benchmark.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/context/stack_traits.hpp>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/fixedsize_stack.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/thread/thread.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "mechanisms/families.hpp"
#include "mechanisms/per_unit.hpp"

namespace kitchen::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

boost::thread::attributes stack_of(std::size_t stack_bytes) {
  boost::thread::attributes attributes;
  if (stack_bytes > 0) attributes.set_stack_size(stack_bytes);
  return attributes;
}

void spawn_thread(benchmark::State& state, std::size_t stack_bytes) {
  // Const: only the const overload of boost::thread's constructor takes
  // attributes.
  const boost::thread::attributes attributes = stack_of(stack_bytes);
  // Written by one thread at a time; join() orders each write
  std::size_t ran = 0;
  const auto t0 = Clock::now();
  for (auto _ : state) {
    try {
      boost::thread worker(attributes, [&ran] { ++ran; });
      worker.join();
    } catch (const boost::thread_resource_error& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  report_per_unit(state, ran, Clock::now() - t0, "ns_per_spawn", "spawned units of work ran");
}

asio::awaitable<void> nothing(std::size_t& ran) {
  ++ran;
  co_return;
}

// The loop is run by this thread, one handler at a time, until the unit of work
// has run. What a spawn leaves queued behind it (the coroutine's completion)
// runs at the start of the next iteration, so every iteration pays for one
// whole spawn.
template <class Spawn>
void spawn_on_loop(benchmark::State& state, Spawn spawn) {
  asio::io_context loop(1);
  // Run_one() must wait, never stop, when idle
  auto busy = asio::make_work_guard(loop);
  std::size_t ran = 0;
  std::size_t expected = 0;
  const auto t0 = Clock::now();
  for (auto _ : state) {
    spawn(loop, ran);
    ++expected;
    while (ran != expected) loop.run_one();
  }
  const auto elapsed = Clock::now() - t0;
  busy.reset();
  loop.run();
  report_per_unit(state, ran, elapsed, "ns_per_spawn", "spawned units of work ran");
}

// The fiber runs when this thread's main fiber waits for it in join(): every
// iteration pays for a stack, the fiber's start, its end and the switch back.
void spawn_fiber(benchmark::State& state, std::size_t stack_bytes) {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  boost::fibers::fixedsize_stack stack(
      stack_bytes > 0 ? stack_bytes : boost::context::stack_traits::default_size());
  std::size_t ran = 0;
  const auto t0 = Clock::now();
  for (auto _ : state) {
    boost::fibers::fiber unit(std::allocator_arg, stack, [&ran] { ++ran; });
    unit.join();
  }
  report_per_unit(state, ran, Clock::now() - t0, "ns_per_spawn", "spawned units of work ran");
}

struct Nothing {
  std::size_t* ran;
  void operator()() const { ++*ran; }
};

}  // namespace

void register_spawn() {
  benchmark::RegisterBenchmark("spawn/thread", [](benchmark::State& s) {
    spawn_thread(s, 0);
  })->UseRealTime();
  benchmark::RegisterBenchmark("spawn/thread_small_stack", [](benchmark::State& s) {
    spawn_thread(s, kSmallStackBytes);
  })->UseRealTime();
  benchmark::RegisterBenchmark("spawn/coro", [](benchmark::State& s) {
    spawn_on_loop(s, [](asio::io_context& loop, std::size_t& ran) {
      asio::co_spawn(loop, nothing(ran), asio::detached);
    });
  })->UseRealTime();
  benchmark::RegisterBenchmark("spawn/fiber", [](benchmark::State& s) {
    spawn_fiber(s, 0);
  })->UseRealTime();
  benchmark::RegisterBenchmark("spawn/fiber_small_stack", [](benchmark::State& s) {
    spawn_fiber(s, kSmallFiberStackBytes);
  })->UseRealTime();
  benchmark::RegisterBenchmark("spawn/post", [](benchmark::State& s) {
    spawn_on_loop(
        s, [](asio::io_context& loop, std::size_t& ran) { asio::post(loop, Nothing{&ran}); });
  })->UseRealTime();
}

}  // namespace kitchen::bench
