// timer/<kind>/wait_us:<W>/slack:<S>: how late a requested wait ends.
// thread_sleep is the wait of the thread executors (a Boost.Thread sleep);
// asio_timer is the wait of the event-loop ones (a steady_timer on an
// io_context run by this thread); fiber_sleep is the fiber executors' (a
// fiber's sleep under Boost.Fiber's round_robin, which waits on a condition
// variable until the sleeper is due). Each is measured with the thread's default
// timer slack and with the 1 ns the suite runs with. Every sample is kept (the
// count is fixed up front, so nothing is allocated while timing) for the
// overshoot percentiles.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/thread/thread.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "executors/thread_cooking.hpp"
#include "mechanisms/families.hpp"
#include "mechanisms/slack.hpp"

namespace kitchen::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

// About this long per row, and never fewer samples than this (a p99 of 40
// samples is nearly the worst one: the 10 ms rows say so by their sample
// count).
constexpr auto kRowTime = std::chrono::milliseconds(400);
constexpr std::size_t kMinSamples = 40;

std::size_t samples_for(microseconds wait) {
  return std::max<std::size_t>(kMinSamples, static_cast<std::size_t>(kRowTime / wait));
}

double percentile(std::vector<double>& values, double p) {
  const auto k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

// Each sample: the wall time from asking for the wait to being back at work,
// minus the wait. The samples are taken on a Boost.Thread with the sleep the
// thread executors use outside fail-fast services (a plain nanosleep). The new
// thread inherits the slack in force in the one that starts it.
void sleep_samples(benchmark::State& state, microseconds wait, std::vector<double>& late_us) {
  boost::thread sleeper([&state, wait, &late_us] {
    for (auto _ : state) {
      const auto t0 = Clock::now();
      wait_on_thread(wait, false, nullptr);
      const auto late = Clock::now() - t0 - wait;
      late_us.push_back(std::chrono::duration<double, std::micro>(late).count());
    }
  });
  sleeper.join();
}

void asio_samples(benchmark::State& state, microseconds wait, std::vector<double>& late_us) {
  asio::io_context loop(1);
  auto busy = asio::make_work_guard(loop);
  asio::steady_timer timer(loop);
  Clock::time_point fired;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    timer.expires_after(wait);
    timer.async_wait([&fired](boost::system::error_code) { fired = Clock::now(); });
    loop.run_one();
    late_us.push_back(std::chrono::duration<double, std::micro>(fired - t0 - wait).count());
  }
}

// The benchmark's thread sleeps as a fiber: its main fiber is one, and with no other fiber ready
// the scheduler sleeps until it is due.
void fiber_samples(benchmark::State& state, microseconds wait, std::vector<double>& late_us) {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
  for (auto _ : state) {
    const auto t0 = Clock::now();
    boost::this_fiber::sleep_for(wait);
    late_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0 - wait).count());
  }
}

enum class Waiter { kThreadSleep, kAsioTimer, kFiberSleep };

void timer_row(benchmark::State& state, Waiter waiter, microseconds wait, bool default_slack) {
  const SlackScope slack(std::chrono::nanoseconds(default_slack ? 0 : 1));
  std::vector<double> late_us;
  late_us.reserve(static_cast<std::size_t>(state.max_iterations));
  switch (waiter) {
    case Waiter::kThreadSleep:
      sleep_samples(state, wait, late_us);
      break;
    case Waiter::kAsioTimer:
      asio_samples(state, wait, late_us);
      break;
    case Waiter::kFiberSleep:
      fiber_samples(state, wait, late_us);
      break;
  }
  if (late_us.size() != static_cast<std::size_t>(state.iterations()) || late_us.empty()) {
    state.SkipWithError("a wait was not sampled");
    return;
  }
  // A wait may end late, never early: one that did means the clock or the code
  // is wrong.
  if (*std::min_element(late_us.begin(), late_us.end()) < 0) {
    state.SkipWithError("a wait ended before the time requested");
    return;
  }
  auto& c = state.counters;
  c["wait_us"] = static_cast<double>(wait.count());
  c["slack_ns"] = slack.in_force() ? static_cast<double>(slack.in_force()->count()) : -1;
  c["overshoot_us_p50"] = percentile(late_us, 0.50);
  c["overshoot_us_p99"] = percentile(late_us, 0.99);
}

}  // namespace

void register_timer() {
  const std::pair<const char*, Waiter> kinds[] = {{"thread_sleep", Waiter::kThreadSleep},
                                                  {"asio_timer", Waiter::kAsioTimer},
                                                  {"fiber_sleep", Waiter::kFiberSleep}};
  for (const auto& [kind, waiter] : kinds) {
    for (const int wait_us : {100, 1'000, 10'000}) {
      for (const bool default_slack : {true, false}) {
        const std::string name = std::string("timer/") + kind +
                                 "/wait_us:" + std::to_string(wait_us) +
                                 (default_slack ? "/slack:default" : "/slack:1ns");
        const microseconds wait(wait_us);
        benchmark::RegisterBenchmark(
            name.c_str(),
            [waiter = waiter, wait, default_slack](benchmark::State& state) {
              timer_row(state, waiter, wait, default_slack);
            })
            ->Iterations(static_cast<benchmark::IterationCount>(samples_for(wait)))
            ->UseRealTime()
            ->Unit(benchmark::kMicrosecond);
      }
    }
  }
}

}  // namespace kitchen::bench
