#include "kitchen/census.hpp"

#include <atomic>

#include "os/limits.hpp"

namespace kitchen::census {
namespace {

// Threads the executors started and that have not finished yet, and the most at
// once since the current service opened.
std::atomic<int> g_live{0};
std::atomic<int> g_peak{0};
// Threads the process has that no executor started; -1 until first read.
std::atomic<int> g_baseline{-1};
// Each service gets a new epoch: a thread counts itself as a cook once per epoch.
std::atomic<std::uint64_t> g_epoch{0};
std::atomic<unsigned> g_cooks{0};
thread_local std::uint64_t t_cooked_in = ~std::uint64_t{0};

}  // namespace

void thread_started() {
  const int now = g_live.fetch_add(1, std::memory_order_relaxed) + 1;
  int peak = g_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void thread_ended() { g_live.fetch_sub(1, std::memory_order_relaxed); }

void cooking_here() {
  const std::uint64_t epoch = g_epoch.load(std::memory_order_relaxed);
  if (t_cooked_in == epoch) return;
  t_cooked_in = epoch;
  g_cooks.fetch_add(1, std::memory_order_relaxed);
}

void recount_baseline() {
  const std::int64_t now = os::current_threads();
  const int started = g_live.load(std::memory_order_relaxed);
  g_baseline.store(now > 0 ? static_cast<int>(now) - started : 1, std::memory_order_relaxed);
}

int counted_now() {
  return g_baseline.load(std::memory_order_relaxed) + g_live.load(std::memory_order_relaxed);
}

void open() {
  if (g_baseline.load(std::memory_order_relaxed) < 0) recount_baseline();
  g_cooks.store(0, std::memory_order_relaxed);
  g_peak.store(g_live.load(std::memory_order_relaxed), std::memory_order_relaxed);
  // Release: a thread that sees the new epoch also sees the reset counter.
  g_epoch.fetch_add(1, std::memory_order_release);
}

Count close() {
  const int peak = g_peak.load(std::memory_order_relaxed);
  const int baseline = g_baseline.load(std::memory_order_relaxed);
  return {.os_threads = static_cast<unsigned>(baseline + peak),
          .cooking_threads = g_cooks.load(std::memory_order_relaxed)};
}

}  // namespace kitchen::census
