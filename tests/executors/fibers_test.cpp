// What the fiber executors claim of their mechanism, beyond the contract the typed suites hold
// every executor to: where they cook, which threads they start, that idle scheduler threads
// sleep, and that a service past the mapping cap is refused before a fiber starts.
#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <string>

#include "executors/catalogue.hpp"
#include "executors/fiber_stack.hpp"
#include "executors/typed_executors.hpp"
#include "kitchen/census.hpp"
#include "kitchen/orders.hpp"
#include "os/limits.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;

std::chrono::nanoseconds process_cpu_time() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

TEST(Fibers, CookOnTheServingThreadAndStartNoThread) {
  const auto orders = make_orders(40, 2);
  const Service s(orders, {microseconds(200), microseconds(20)}, 8);
  census::recount_baseline();
  const int before = census::counted_now();
  Fibers executor(Staffing{});
  const Ledger ledger = executor.serve(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.cooking_threads(), 1u);
  EXPECT_EQ(ledger.os_threads(), static_cast<unsigned>(before));
  // Eight fibers waited at once on the one thread.
  EXPECT_EQ(ledger.peak_in_preparation(), 8);
}

// What ThreadSanitizer cannot check (typed_executors.hpp says why, and leaves fibers_mt out of
// the typed suites there), reported as a skip with the reason rather than passed over.
#define KITCHEN_SKIP_MIGRATING_FIBERS_UNDER_TSAN()                                            \
  if (!kMigratingFibersChecked)                                                               \
  GTEST_SKIP() << "fibers_mt under ThreadSanitizer: its fibers move between threads through " \
                  "libboost_fiber's uninstrumented queues, which TSan reads as races"

TEST(FibersMt, CookOnAtMostItsSchedulerThreadsAndStartOnlyThem) {
  KITCHEN_SKIP_MIGRATING_FIBERS_UNDER_TSAN();
  const auto orders = make_orders(60, 4);
  const Service s(orders, {microseconds(100), microseconds(50)}, 6);
  census::recount_baseline();
  const int before = census::counted_now();
  FibersMt executor(Staffing{.loop_threads = 3});
  const Ledger ledger = executor.serve(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_GE(ledger.cooking_threads(), 1u);
  EXPECT_LE(ledger.cooking_threads(), 3u);
  // Two helpers beside the serving thread, all ended when serve() returned.
  EXPECT_EQ(ledger.os_threads(), static_cast<unsigned>(before) + 2);
  EXPECT_EQ(census::counted_now(), before);
}

// Boost.Fiber's own multi-thread schedulers spin when idle unless told not to. Here the orders
// wait 20 ms each and cook nothing: three scheduler threads that spun would burn about three
// cores for the whole service, and even squeezed by other processes well over a quarter of one;
// threads that sleep burn next to nothing.
TEST(FibersMt, IdleSchedulerThreadsSleep) {
  KITCHEN_SKIP_MIGRATING_FIBERS_UNDER_TSAN();
  const auto orders = make_orders(6, 5);
  const Service s(orders, {std::chrono::milliseconds(20), microseconds(0)}, 6);
  FibersMt executor(Staffing{.loop_threads = 3});
  const auto cpu0 = process_cpu_time();
  const auto wall0 = std::chrono::steady_clock::now();
  const Ledger ledger = executor.serve(s);
  const auto wall = std::chrono::steady_clock::now() - wall0;
  const auto cpu = process_cpu_time() - cpu0;
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_LT(cpu * 4, wall) << "CPU " << cpu.count() << " ns over " << wall.count() << " ns wall";
}

TEST(FiberStacks, AServicePastTheMappingCapIsRefusedBeforeAnyFiberStarts) {
  const Staffing guarded{.fiber_stack_bytes = 16 * 1024, .fiber_guard_page = true};
  const std::size_t allowed = fiber::fibers_within_mappings(guarded);
  ASSERT_LT(allowed, 1'000'000u) << "guard-page stacks cost a mapping each";
  const auto orders = make_orders(allowed + 1, 1);
  const Service s(orders, {}, 2);
  for (const bool mt : {false, true}) {
    // Refused in admit(), before any fiber or thread starts: safe under every sanitizer.
    try {
      if (mt) {
        admit(FibersMt(guarded), s);
      } else {
        admit(Fibers(guarded), s);
      }
      FAIL() << "a service of " << orders.size() << " fibers with guard pages was admitted";
    } catch (const ResourceLimitError& e) {
      EXPECT_NE(std::string(e.what()).find("vm.max_map_count="), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("protected_fixedsize_stack 16 KiB"), std::string::npos)
          << e.what();
    }
  }
  // Heap stacks below glibc's mmap threshold cost no mapping: no such cap.
  EXPECT_NO_THROW(admit(Fibers(Staffing{.fiber_stack_bytes = 16 * 1024}), s));
}

TEST(FiberStacks, AreNamedByAllocatorAndSize) {
  EXPECT_EQ(fiber::stack_name(Staffing{.fiber_stack_bytes = 64 * 1024}), "fixedsize_stack 64 KiB");
  EXPECT_EQ(fiber::stack_name(Staffing{.fiber_stack_bytes = 32 * 1024, .fiber_guard_page = true}),
            "protected_fixedsize_stack 32 KiB");
  EXPECT_NE(fiber::stack_name(Staffing{}).find("(Boost's default size)"), std::string::npos);
}

}  // namespace
}  // namespace kitchen
