// The GIL emulation's mechanism: one holder at a time, drop requests after a switch interval,
// hand-over to the thread that waits, the scopes. No test asserts a duration or a speed: each
// holds on a loaded machine and under TSan. Waits for another thread are spins that a broken
// mechanism turns into a hang, which ctest's timeout reports.
#include "kitchen/gil.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

#include "kitchen/cooking.hpp"
#include "kitchen/cpu_work.hpp"
#include "kitchen/orders.hpp"
#include "kitchen/service.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

void spin_until(const std::function<bool()>& done) {
  while (!done()) std::this_thread::yield();
}

TEST(GilTest, OneHolderAtATime) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 2000;
  // A short interval, so that drop requests and check() hand-overs happen too.
  Gil gil(microseconds(50));
  std::atomic<bool> inside{false};
  std::atomic<int> overlaps{0};
  // Plain: only the GIL protects it.
  std::int64_t count = 0;
  auto enter = [&] { overlaps += inside.exchange(true) ? 1 : 0; };
  auto leave = [&] { inside.store(false); };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        gil.take();
        EXPECT_TRUE(gil.held_by_this_thread());
        enter();
        ++count;
        leave();
        // May hand the GIL over in the middle and take it back.
        gil.burn(200, static_cast<std::uint64_t>(t));
        enter();
        leave();
        gil.drop();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(count, kThreads * kRounds);
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_FALSE(gil.held_by_this_thread());
}

// Thread A holds the GIL; B asks for it. B never gets it while A does not check; once B's drop
// request is up, A's check() hands the GIL to B, and A gets it back after B drops it.
TEST(GilTest, CheckHandsTheGilToTheThreadThatAsked) {
  Gil gil(milliseconds(1));
  // Both written and read under the GIL only.
  bool b_held = false;
  bool a_waiting_while_b_held = false;
  gil.take();
  std::thread b([&] {
    gil.take();
    b_held = true;
    // A is still in check(), waiting to take it back.
    spin_until([&] { return gil.waiting() == 1; });
    a_waiting_while_b_held = true;
    gil.drop();
  });
  spin_until([&] { return gil.drop_requested(); });
  EXPECT_FALSE(b_held);
  EXPECT_EQ(gil.waiting(), 1);
  gil.check();
  EXPECT_TRUE(gil.held_by_this_thread());
  EXPECT_TRUE(b_held);
  EXPECT_TRUE(a_waiting_while_b_held);
  EXPECT_FALSE(gil.drop_requested());
  // A to B, then B to A.
  EXPECT_EQ(gil.switches(), 2u);
  gil.drop();
  b.join();
}

// No forced switch can come within the hour: a plain drop() still lets the waiter in before the
// dropper retakes the GIL.
TEST(GilTest, DropThenRetakeLetsTheWaiterInFirst) {
  Gil gil(std::chrono::hours(1));
  bool b_held = false;
  gil.take();
  std::thread b([&] {
    gil.take();
    b_held = true;
    gil.drop();
  });
  spin_until([&] { return gil.waiting() == 1; });
  gil.drop();
  gil.take();
  EXPECT_TRUE(b_held);
  EXPECT_FALSE(gil.drop_requested());
  EXPECT_EQ(gil.switches(), 2u);
  gil.drop();
  b.join();
}

// Dropping and retaking with nobody waiting is no switch, however short the interval; a check()
// with no request keeps the GIL. Another thread's take is one.
TEST(GilTest, NoSwitchWhenOnlyOneThreadRuns) {
  Gil gil(microseconds(10));
  const std::uint64_t units = units_for(microseconds(200));
  for (int i = 0; i < 50; ++i) {
    GilHeld held(&gil);
    gil.burn(units, static_cast<std::uint64_t>(i));
    gil.check();
    EXPECT_TRUE(gil.held_by_this_thread());
  }
  EXPECT_EQ(gil.switches(), 0u);
  std::thread([&] { GilHeld held(&gil); }).join();
  EXPECT_EQ(gil.switches(), 1u);
  GilHeld held(&gil);
  EXPECT_EQ(gil.switches(), 2u);
}

// With an interval longer than the test, nothing can force a switch: each of three threads takes
// the GIL, burns and drops it once, so the GIL passes from one to the next exactly twice, whatever
// order they come in and however long each waits. A forced switch would hand it back to a thread
// that already held it, which counts again.
TEST(GilTest, WithoutForcedSwitchesOnlyTheHandOversCount) {
  constexpr int kThreads = 3;
  Gil gil(std::chrono::hours(1));
  const std::uint64_t units = units_for(milliseconds(2));
  std::latch start(kThreads);
  std::uint64_t results[kThreads] = {};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      GilHeld held(&gil);
      results[t] = gil.burn(units, static_cast<std::uint64_t>(t) + 1);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(gil.switches(), static_cast<std::uint64_t>(kThreads - 1));
  EXPECT_FALSE(gil.drop_requested());
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(results[t], burn(units, static_cast<std::uint64_t>(t) + 1));
  }
}

// A holds the GIL and blocks, in a GilReleased scope, until B has run under it.
TEST(GilTest, ReleasedScopeLetsAnotherThreadRun) {
  Gil gil(std::chrono::hours(1));
  std::atomic<bool> b_ran{false};
  GilHeld held(&gil);
  std::thread b([&] {
    GilHeld b_held(&gil);
    b_ran = gil.held_by_this_thread();
  });
  {
    GilReleased blocked(&gil);
    EXPECT_FALSE(gil.held_by_this_thread());
    spin_until([&] { return b_ran.load(); });
  }
  EXPECT_TRUE(gil.held_by_this_thread());
  b.join();
  EXPECT_EQ(gil.switches(), 2u);
}

// Sliced and checked, the work is the same: sizes around and across slice boundaries.
TEST(GilTest, BurnGivesTheSameResultAsWithoutIt) {
  Gil gil(milliseconds(1));
  GilHeld held(&gil);
  const std::uint64_t slice = units_for(microseconds(20));
  for (const std::uint64_t units : {std::uint64_t{0}, std::uint64_t{1}, slice - 1, slice, slice + 1,
                                    7 * slice + 3, units_for(milliseconds(5))}) {
    EXPECT_EQ(gil.burn(units, units + 17), burn(units, units + 17)) << units << " units";
  }
}

// Two threads burn 20 ms each under a 100 us interval, so with many hand-overs in the middle of
// the work: each gets kitchen::burn's result whatever the interleaving. And whatever the load, a
// forced switch needs a waiter to have seen a whole interval pass with no switch, so two of them
// are at least an interval apart: over the run, at most elapsed / interval of them, plus the
// hand-over when the first thread is done, plus one spare.
TEST(GilTest, TwoThreadsGetTheSameResultsAndSwitchAtMostOncePerInterval) {
  const auto interval = microseconds(100);
  Gil gil(interval);
  const std::uint64_t units = units_for(milliseconds(20));
  std::latch start(3);
  std::uint64_t results[2] = {};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      GilHeld held(&gil);
      results[t] = gil.burn(units, static_cast<std::uint64_t>(t) + 1);
    });
  }
  const auto t0 = std::chrono::steady_clock::now();
  start.arrive_and_wait();
  for (std::thread& t : threads) t.join();
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  for (int t = 0; t < 2; ++t) {
    EXPECT_EQ(results[t], burn(units, static_cast<std::uint64_t>(t) + 1));
  }
  EXPECT_GE(gil.switches(), 1u);
  EXPECT_LE(gil.switches(), static_cast<std::uint64_t>(elapsed / interval) + 2);
}

// The GIL's preconditions are checked in every build, release and sanitizers included. The
// threadsafe style re-runs the test in a fresh process, which works with TSan's threads.
TEST(GilDeathTest, BurnDropOrCheckWithoutHoldingAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Gil gil(milliseconds(1));
  EXPECT_DEATH(gil.burn(10, 1), "Gil::burn\\(\\) by a thread that does not hold the GIL");
  EXPECT_DEATH(gil.drop(), "drop\\(\\) by a thread that does not hold the GIL");
  EXPECT_DEATH(gil.check(), "check\\(\\) by a thread that does not hold the GIL");
}

TEST(GilDeathTest, TakeByTheHolderAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Gil gil(milliseconds(1));
  GilHeld held(&gil);
  EXPECT_DEATH(gil.take(), "take\\(\\) by the holder");
}

// What CooksOnlyHoldingTheGil (python_faithful_test.cpp) relies on: a cooking step of a service
// with a GIL, run by a thread that does not hold it, aborts.
TEST(GilDeathTest, ACookingStepWithoutTheGilAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Gil gil(milliseconds(1));
  const auto orders = make_orders(1, 1);
  Service s(orders, {microseconds(0), microseconds(50)}, 1);
  s.gil = &gil;
  Cooking cooking(s, 0, 0);
  EXPECT_DEATH(cooking.step(), "does not hold the GIL");
  GilHeld held(&gil);
  cooking.step();
  EXPECT_EQ(cooking.steps_done(), 1u);
}

}  // namespace
}  // namespace kitchen
