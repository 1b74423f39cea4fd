#include "mechanisms/coro_population.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <new>
#include <string>

#include "executors/executors.hpp"
#include "mechanisms/task_state.hpp"

namespace kitchen::bench {
namespace {

namespace asio = boost::asio;

// A free coroutine function, its parameters by value or referring to objects
// that outlive the loop (a capturing lambda given to co_spawn is miscompiled by
// g++ 12 at -O2).
asio::awaitable<void> idle_coroutine(CoroPopulation::Census& census, std::size_t index,
                                     std::size_t state_bytes) {
  const TaskState state(state_bytes);
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(24));
  census.timers[index] = &timer;
  ++census.waiting;
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  census.timers[index] = nullptr;
  if (ec == asio::error::operation_aborted) ++census.woken;
}

}  // namespace

CoroPopulation::CoroPopulation(std::size_t capacity, std::size_t state_bytes)
    : state_bytes_(state_bytes) {
  census_.timers.assign(capacity, nullptr);
}

void CoroPopulation::grow_to(std::size_t tasks) {
  try {
    if (tasks > census_.timers.size()) throw ResourceLimitError("more coroutines than planned");
    for (; spawned_ < tasks; ++spawned_) {
      asio::co_spawn(loop_, idle_coroutine(census_, spawned_, state_bytes_), asio::detached);
    }
    // poll() runs what is ready and never waits: the timers are a day away.
    while (census_.waiting < spawned_) {
      if (loop_.poll() == 0) {
        throw ResourceLimitError(std::to_string(spawned_ - census_.waiting) + " of " +
                                 std::to_string(spawned_) + " coroutines never reached their wait");
      }
    }
  } catch (const std::bad_alloc&) {
    release();
    throw ResourceLimitError("out of memory at coroutine " + std::to_string(spawned_ + 1));
  } catch (const ResourceLimitError&) {
    release();
    throw;
  }
}

std::size_t CoroPopulation::release() {
  for (asio::steady_timer* timer : census_.timers) {
    if (timer != nullptr) timer->cancel();
  }
  // Returns once every coroutine has ended: nothing else keeps the loop busy
  loop_.run();
  loop_.restart();
  return census_.woken;
}

}  // namespace kitchen::bench
