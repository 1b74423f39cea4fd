// The Python-faithful mode and the measured half of "complexity", tested by
// mechanism, never by speed: which threads cooked, whether two steps ever
// overlapped under the GIL, whether the GIL changed hands, whether an unlocked
// shared count lost updates. Speed-ups belong to the benchmarks.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "executors/typed_executors.hpp"
#include "kitchen/cooking.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/orders.hpp"
#include "kitchen/pantry.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;

const std::vector<Order>& cpu_orders() {
  static const auto orders = make_orders(40, 6);
  return orders;
}
constexpr Costs kCpuBound{microseconds(0), microseconds(200)};

// Watches the cooking steps through the trace: how many ran at once at most, and
// on which threads.
struct StepWatch {
  std::atomic<int> cooking{0};
  std::atomic<int> most{0};
  std::mutex mutex;
  std::set<std::thread::id> cooks;
  Trace trace{&StepWatch::emit, this};

  static void emit(void* self, const TraceEvent& e) {
    auto& w = *static_cast<StepWatch*>(self);
    if (e.step == Step::kFetched) {
      const int now = w.cooking.fetch_add(1) + 1;
      int most = w.most.load();
      while (now > most && !w.most.compare_exchange_weak(most, now)) {
      }
      const std::lock_guard lock(w.mutex);
      w.cooks.insert(std::this_thread::get_id());
    } else if (e.step == Step::kCooked) {
      w.cooking.fetch_sub(1);
    }
  }
};

// The cpu-bound orders for two chefs who take turns on one GIL, forced over
// after `interval`, with each cooking step watched.
struct TwoChefsUnderGil {
  explicit TwoChefsUnderGil(std::chrono::nanoseconds interval) : gil(interval) {
    service.gil = &gil;
  }
  Gil gil;
  StepWatch watch;
  Service service{cpu_orders(), kCpuBound, 2, &watch.trace};
};

// With a switch interval far longer than the service, nothing forces the GIL
// over: the chef that takes it first cooks every order, and no two steps ever
// overlap.
TEST(Gil, WithoutForcedSwitchesOneChefCooksEverything) {
  TwoChefsUnderGil kitchen(std::chrono::hours(1));
  const Ledger ledger = serve_with<ThreadsChefs>(kitchen.service);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(kitchen.watch.most.load(), 1);
  EXPECT_EQ(ledger.cooking_threads(), 1u);
  EXPECT_EQ(kitchen.watch.cooks.size(), 1u);
}

// With a 1 ms interval and ~45 ms of work, the waiting chef's timed waits run
// out, it asks for the GIL, and gets it: both chefs cook. (A forced switch may
// come in the middle of a step, so steps interleave here by design.)
TEST(Gil, ASwitchIntervalHandsTheGilOver) {
  TwoChefsUnderGil kitchen(std::chrono::milliseconds(1));
  const Ledger ledger = serve_with<ThreadsChefs>(kitchen.service);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.cooking_threads(), 2u);
  EXPECT_GE(kitchen.gil.switches(), 2u);
}

// Without the GIL the same two chefs both cook (on two threads).
TEST(Gil, WithoutTheGilBothChefsCook) {
  StepWatch watch;
  const Service s(cpu_orders(), {microseconds(200), microseconds(200)}, 2, &watch.trace);
  const Ledger ledger = serve_with<ThreadsChefs>(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.cooking_threads(), 2u);
  EXPECT_EQ(watch.cooks.size(), 2u);
}

TEST(Gil, GivesTheSameResultsAsNoGil) {
  Gil gil(microseconds(100));
  Service with(cpu_orders(), kCpuBound, 2), without(cpu_orders(), kCpuBound, 2);
  with.gil = &gil;
  const Ledger a = serve_with<ThreadsPool>(with), b = serve_with<ThreadsPool>(without);
  for (std::size_t i = 0; i < cpu_orders().size(); ++i) {
    EXPECT_EQ(a.records()[i].checksum, b.records()[i].checksum);
  }
}

template <class E>
class GilTypedTest : public ::testing::Test {};
TYPED_TEST_SUITE(GilTypedTest, AllExecutorTypes, ExecutorNames);

// Every executor holds the GIL wherever it cooks (Gil::burn checks it in every
// build: a step cooked without it aborts, see GilDeathTest), serves every order
// under it, and never cooks two steps at once with a switch interval longer
// than the service.
TYPED_TEST(GilTypedTest, CooksOnlyHoldingTheGil) {
  Gil gil(std::chrono::hours(1));
  StepWatch watch;
  const auto orders = make_orders(12, 3);
  Service s(orders, {microseconds(300), microseconds(100)}, 3, &watch.trace);
  s.gil = &gil;
  const Ledger ledger = serve_with<TypeParam>(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(watch.most.load(), 1);
}

// asio_offload's claim: the loop waits and the pool cooks. No step runs on the
// thread that runs the loop, and the steps of two chefs ran on two pool threads.
TEST(Offload, CooksOnThePoolNeverOnTheLoop) {
  StepWatch watch;
  const Service s(cpu_orders(), kCpuBound, 2, &watch.trace);
  const Ledger ledger = serve_with<AsioOffload>(s);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(watch.cooks.count(std::this_thread::get_id()), 0u);
  EXPECT_GE(ledger.cooking_threads(), 2u);
}

// A take spans its step (pantry.hpp). Two takes that overlap, A and B both begun before either
// ends, read the same count: unlocked, the second write covers the first and exactly one update is
// lost; locked, each end is a decrement of its own under one lock. Takes one after the other lose
// nothing either way.
TEST(Pantry, OverlappingTakesLoseExactlyOneUpdateUnlockedAndNoneLocked) {
  for (const PantryMode mode : {PantryMode::kUnlocked, PantryMode::kLocked}) {
    Pantry pantry(mode);
    const std::int64_t a = pantry.begin_take();
    const std::int64_t b = pantry.begin_take();
    pantry.end_take(a);
    pantry.end_take(b);
    EXPECT_EQ(pantry.lost_updates(2), mode == PantryMode::kUnlocked ? 1 : 0);
    pantry.end_take(pantry.begin_take());
    pantry.end_take(pantry.begin_take());
    EXPECT_EQ(pantry.lost_updates(4), mode == PantryMode::kUnlocked ? 1 : 0);
    EXPECT_EQ(pantry.locks(), mode == PantryMode::kLocked ? 4u : 0u);
    pantry.restock();
    EXPECT_EQ(pantry.lost_updates(0), 0);
    EXPECT_EQ(pantry.locks(), 0u);
  }
}

// The same race through Cooking::step, the path every executor cooks by, on two threads that a GIL
// sequences: B's drop request is up before A's step begins, so A's step hands the GIL to B at its
// first check, after its take began and before it ended, and B's whole step (or its start, if A
// asks back) runs inside A's. Python's lost update: a switch in the middle of a read-modify-write.
TEST(Pantry, AStepCutByAGilSwitchLosesTheOtherTakeOnlyUnlocked) {
  const auto orders = make_orders(2, 7);
  for (const PantryMode mode : {PantryMode::kUnlocked, PantryMode::kLocked}) {
    Gil gil(std::chrono::milliseconds(1));
    Pantry pantry(mode);
    Service s(orders, {microseconds(0), microseconds(200)}, 2);
    s.gil = &gil;
    s.stock = &pantry;
    Cooking a(s, 0, 0);
    Cooking b(s, 1, 1);
    gil.take();
    std::thread other([&] {
      const GilHeld held(&gil);
      b.step();
    });
    while (!gil.drop_requested()) std::this_thread::yield();
    a.step();
    gil.drop();
    other.join();
    EXPECT_GE(gil.switches(), 2u);
    EXPECT_EQ(pantry.lost_updates(2), mode == PantryMode::kUnlocked ? 1 : 0);
    EXPECT_EQ(pantry.locks(), mode == PantryMode::kLocked ? 2u : 0u);
  }
}

template <class E>
class PantryTest : public ::testing::Test {};
TYPED_TEST_SUITE(PantryTest, AllExecutorTypes, ExecutorNames);

// Every take is counted when the pantry is locked, whoever takes; and a kitchen
// that cooked on one thread (as measured) never loses one even unlocked.
TYPED_TEST(PantryTest, LockedNeverLosesAndOneCookingThreadNeverLoses) {
  // Enough orders for every chef to take many times; thread-per-order executors start a thread
  // for each.
  const auto orders = make_orders(200, 2);
  for (const PantryMode mode : {PantryMode::kLocked, PantryMode::kUnlocked}) {
    Pantry pantry(mode);
    Service s(orders, {}, 2);
    s.stock = &pantry;
    const Ledger ledger = serve_with<TypeParam>(s);
    ASSERT_EQ(ledger.check(), std::nullopt);
    std::int64_t takes = 0;
    for (const OrderRecord& r : ledger.records()) takes += r.steps;
    if (mode == PantryMode::kLocked || ledger.cooking_threads() == 1) {
      EXPECT_EQ(pantry.lost_updates(takes), 0);
    }
    if (mode == PantryMode::kLocked) {
      EXPECT_EQ(pantry.locks(), static_cast<std::uint64_t>(takes));
    }
  }
}

// An await inside the update races on one thread too: read the stock, wait for the fetch, write
// it back. Two chefs on one loop start both their orders (each reads the stock) before either
// fetch completes, so one of the two writes is lost at the first step already; without the
// await inside, the same one-thread kitchen never loses one.
template <class E>
std::int64_t lost_on(PantryMode mode) {
  const auto orders = make_orders(2, 3);
  Pantry pantry(mode);
  Service s(orders, {std::chrono::milliseconds(2), microseconds(0)}, 2);
  s.stock = &pantry;
  const Ledger ledger = serve_with<E>(s);
  EXPECT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.cooking_threads(), 1u);
  std::int64_t takes = 0;
  for (const OrderRecord& r : ledger.records()) takes += r.steps;
  return pantry.lost_updates(takes);
}

TEST(Pantry, AnAwaitInsideTheUpdateLosesUpdatesOnOneLoopThread) {
  EXPECT_GT(lost_on<AsioCoro>(PantryMode::kUnlockedAwait), 0);
  EXPECT_EQ(lost_on<AsioCoro>(PantryMode::kUnlocked), 0);
  EXPECT_GT(lost_on<AsioCallback>(PantryMode::kUnlockedAwait), 0);
  EXPECT_EQ(lost_on<AsioCallback>(PantryMode::kUnlocked), 0);
}

}  // namespace
}  // namespace kitchen
