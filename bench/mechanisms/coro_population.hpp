// A population of idle coroutines for the memory family: each one, spawned on
// one io_context, holds its task state and awaits a steady_timer of its own (as
// asio_coro waits for an ingredient) that would expire in a day. The loop is
// run only to bring new coroutines to their wait; release() cancels every timer
// and runs the loop until each coroutine has ended.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <vector>

namespace kitchen::bench {

class CoroPopulation {
 public:
  // `capacity` is the largest population asked for; the registry of timers is
  // allocated and written here, before the first memory sample, so that it is
  // not counted per task.
  CoroPopulation(std::size_t capacity, std::size_t state_bytes);
  CoroPopulation(const CoroPopulation&) = delete;
  CoroPopulation& operator=(const CoroPopulation&) = delete;
  ~CoroPopulation() { release(); }

  // Spawns coroutines until `tasks` of them are awaiting their timer. Throws
  // ResourceLimitError, after releasing every coroutine, when they cannot all
  // be started (memory).
  void grow_to(std::size_t tasks);

  // Cancels every timer and runs the loop dry; returns how many coroutines were
  // woken by the cancellation (all of them, unless something is wrong).
  std::size_t release();

  // What a coroutine reports to the population; public for the coroutine
  // function only.
  struct Census {
    // Each coroutine's timer, by index
    std::vector<boost::asio::steady_timer*> timers;
    std::size_t waiting = 0;
    std::size_t woken = 0;
  };

 private:
  // Run by this thread alone
  boost::asio::io_context loop_{1};
  std::size_t state_bytes_;
  std::size_t spawned_ = 0;
  Census census_;
};

}  // namespace kitchen::bench
