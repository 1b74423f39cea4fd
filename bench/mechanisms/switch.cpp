// switch/<kind>: ping-pong between two parties; one iteration is one round trip
// (ping there, pong back: two hand-overs), and ns_per_switch is the wall time
// per round trip.
//   thread_cv, thread_sem  each hand-over wakes a thread blocked in the kernel
//   (a futex), unless
//                          it has not gone to sleep yet: libstdc++'s semaphore
//                          spins briefly first
//   coro                   each hand-over resumes a coroutine suspended on a
//   channel: a queue
//                          push and pop in the same thread, no kernel
//   handler                each hand-over posts the other party's handler: a
//   queue push and pop
//   fiber                  each hand-over resumes a fiber suspended on a channel:
//                          coro's work with stackful fibers (round_robin)
//   fiber_yield            each hand-over is a bare yield between two fibers
// The benchmark's thread is the pinger (for fibers, a fiber it joins); the ponger counts the round
// trips it answered, and the row checks that count.
#include <benchmark/benchmark.h>

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>

#include "mechanisms/families.hpp"
#include "mechanisms/per_unit.hpp"

namespace kitchen::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// Each party notifies after unlocking, so that the woken thread does not wake
// only to block again on the mutex its waker still holds.
void switch_thread_cv(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable turn_changed;
  bool pong_to_play = false;
  bool over = false;
  std::size_t answered = 0;
  std::thread ponger([&] {
    for (;;) {
      {
        std::unique_lock lock(mutex);
        turn_changed.wait(lock, [&] { return pong_to_play || over; });
        if (!pong_to_play) return;
        pong_to_play = false;
        ++answered;
      }
      turn_changed.notify_one();
    }
  });
  const auto t0 = Clock::now();
  for (auto _ : state) {
    {
      std::lock_guard lock(mutex);
      pong_to_play = true;
    }
    turn_changed.notify_one();
    std::unique_lock lock(mutex);
    turn_changed.wait(lock, [&] { return !pong_to_play; });
  }
  const auto elapsed = Clock::now() - t0;
  {
    std::lock_guard lock(mutex);
    over = true;
  }
  turn_changed.notify_one();
  ponger.join();
  report_per_unit(state, answered, elapsed, "ns_per_switch", "round trips were answered");
}

void switch_thread_sem(benchmark::State& state) {
  std::binary_semaphore ping(0);
  std::binary_semaphore pong(0);
  std::atomic<bool> over{false};
  // Read after join()
  std::size_t answered = 0;
  std::thread ponger([&] {
    for (;;) {
      ping.acquire();
      if (over.load(std::memory_order_relaxed)) return;
      ++answered;
      pong.release();
    }
  });
  const auto t0 = Clock::now();
  for (auto _ : state) {
    ping.release();
    pong.acquire();
  }
  const auto elapsed = Clock::now() - t0;
  over.store(true, std::memory_order_relaxed);
  ping.release();
  ponger.join();
  report_per_unit(state, answered, elapsed, "ns_per_switch", "round trips were answered");
}

// Not thread-safe, and need not be: both coroutines run on the one thread
// running the loop.
using Channel = asio::experimental::channel<void(boost::system::error_code, int)>;

asio::awaitable<void> pinger(benchmark::State& state, Channel& ping, Channel& pong,
                             Clock::duration& elapsed) {
  const auto t0 = Clock::now();
  for (auto _ : state) {
    co_await ping.async_send(boost::system::error_code{}, 0, asio::use_awaitable);
    co_await pong.async_receive(asio::use_awaitable);
  }
  elapsed = Clock::now() - t0;
  // The ponger's next receive fails, and it ends
  ping.close();
}

asio::awaitable<void> ponger(Channel& ping, Channel& pong, std::size_t& answered) {
  for (;;) {
    boost::system::error_code closed;
    co_await ping.async_receive(asio::redirect_error(asio::use_awaitable, closed));
    if (closed) co_return;
    ++answered;
    co_await pong.async_send(boost::system::error_code{}, 0, asio::use_awaitable);
  }
}

void switch_coro(benchmark::State& state) {
  asio::io_context loop(1);
  Channel ping(loop, 1);
  Channel pong(loop, 1);
  std::size_t answered = 0;
  Clock::duration elapsed{};
  asio::co_spawn(loop, ponger(ping, pong, answered), asio::detached);
  asio::co_spawn(loop, pinger(state, ping, pong, elapsed), asio::detached);
  loop.run();
  report_per_unit(state, answered, elapsed, "ns_per_switch", "round trips were answered");
}

// Two handlers that post each other; the pinger's decides whether the rally
// goes on.
struct Rally {
  benchmark::State& state;
  asio::io_context& loop;
  std::size_t answered = 0;
};
struct Pong {
  Rally* rally;
  void operator()() const;
};
struct Ping {
  Rally* rally;
  void operator()() const {
    if (rally->state.KeepRunning()) asio::post(rally->loop, Pong{rally});
  }
};
void Pong::operator()() const {
  ++rally->answered;
  asio::post(rally->loop, Ping{rally});
}

void switch_handler(benchmark::State& state) {
  asio::io_context loop(1);
  Rally rally{state, loop};
  asio::post(loop, Ping{&rally});
  const auto t0 = Clock::now();
  loop.run();
  report_per_unit(state, rally.answered, Clock::now() - t0, "ns_per_switch",
                  "round trips were answered");
}

// Two fibers on one thread (round_robin) hand a message back and forth through two channels, as
// switch/coro's coroutines do: the pinger sends and waits for the answer, the ponger counts
// what it received and answers. Each hand-over suspends one fiber and resumes the other.
void switch_fiber(benchmark::State& state) {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  // The smallest capacity Boost allows: a power of two, one slot usable.
  boost::fibers::buffered_channel<int> ping(2);
  boost::fibers::buffered_channel<int> pong(2);
  std::size_t answered = 0;
  Clock::duration elapsed{};
  boost::fibers::fiber ponger([&] {
    int ball = 0;
    while (ping.pop(ball) == boost::fibers::channel_op_status::success) {
      ++answered;
      pong.push(ball);
    }
  });
  boost::fibers::fiber pinger([&] {
    int ball = 0;
    const auto t0 = Clock::now();
    for (auto _ : state) {
      ping.push(ball);
      pong.pop(ball);
    }
    elapsed = Clock::now() - t0;
    // The ponger's next pop fails, and it ends.
    ping.close();
  });
  pinger.join();
  ponger.join();
  report_per_unit(state, answered, elapsed, "ns_per_switch", "round trips were answered");
}

// The least a fiber switch can be: two fibers that yield to each other, no message. The ponger
// counts its turns, the pinger's loop its own.
void switch_fiber_yield(benchmark::State& state) {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  bool over = false;
  std::size_t answered = 0;
  Clock::duration elapsed{};
  boost::fibers::fiber pinger([&] {
    const auto t0 = Clock::now();
    for (auto _ : state) boost::this_fiber::yield();
    elapsed = Clock::now() - t0;
    over = true;
  });
  boost::fibers::fiber ponger([&] {
    while (!over) {
      ++answered;
      boost::this_fiber::yield();
    }
  });
  pinger.join();
  ponger.join();
  report_per_unit(state, answered, elapsed, "ns_per_switch", "round trips were answered");
}

}  // namespace

void register_switch() {
  benchmark::RegisterBenchmark("switch/thread_cv", switch_thread_cv)->UseRealTime();
  benchmark::RegisterBenchmark("switch/thread_sem", switch_thread_sem)->UseRealTime();
  benchmark::RegisterBenchmark("switch/coro", switch_coro)->UseRealTime();
  benchmark::RegisterBenchmark("switch/handler", switch_handler)->UseRealTime();
  benchmark::RegisterBenchmark("switch/fiber", switch_fiber)->UseRealTime();
  benchmark::RegisterBenchmark("switch/fiber_yield", switch_fiber_yield)->UseRealTime();
}

}  // namespace kitchen::bench
