#include "kitchen/census.hpp"

#include <atomic>

#include "os/limits.hpp"
#include "os/usage.hpp"

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
// The run-queue wait of the threads that ended since the service opened, and the opening
// thread's own reading at open.
std::atomic<std::int64_t> g_runqueue_ns{0};
std::int64_t g_opener_runqueue_ns = -1;
// The epoch a thread opened, so that close() knows whether it runs on the opening thread.
thread_local std::uint64_t t_opened = ~std::uint64_t{0};

}  // namespace

void thread_started() {
  const int now = g_live.fetch_add(1, std::memory_order_relaxed) + 1;
  int peak = g_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void thread_ended() {
  const std::int64_t waited = os::thread_runqueue_wait_ns();
  if (waited > 0) g_runqueue_ns.fetch_add(waited, std::memory_order_relaxed);
  g_live.fetch_sub(1, std::memory_order_relaxed);
}

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
  g_runqueue_ns.store(0, std::memory_order_relaxed);
  g_opener_runqueue_ns = os::thread_runqueue_wait_ns();
  // Release: a thread that sees the new epoch also sees the reset counter.
  t_opened = g_epoch.fetch_add(1, std::memory_order_release) + 1;
}

Count close() {
  const int peak = g_peak.load(std::memory_order_relaxed);
  const int baseline = g_baseline.load(std::memory_order_relaxed);
  std::int64_t waited = g_runqueue_ns.load(std::memory_order_relaxed);
  // The thread that closes the service is normally the one that opened it (the ledger's owner);
  // where it is not, its reading is no difference over the service, and it is left out.
  const std::int64_t closer = os::thread_runqueue_wait_ns();
  if (t_opened == g_epoch.load(std::memory_order_relaxed) && g_opener_runqueue_ns >= 0 &&
      closer >= g_opener_runqueue_ns) {
    waited += closer - g_opener_runqueue_ns;
  }
  return {.os_threads = static_cast<unsigned>(baseline + peak),
          .cooking_threads = g_cooks.load(std::memory_order_relaxed),
          .runqueue_wait_ns = waited};
}

}  // namespace kitchen::census
