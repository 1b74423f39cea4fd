// The Python-faithful mode and the measured half of "complexity": what the GIL
// emulation does to CPU-bound threads, what offloading does for an event loop,
// and what an unlocked shared count loses. Timing is compared within one test,
// between two services, with generous margins.
#include <gtest/gtest.h>

#include <thread>

#include "executors/typed_executors.hpp"
#include "kitchen/cpu_work.hpp"
#include "kitchen/gil.hpp"
#include "kitchen/orders.hpp"
#include "kitchen/pantry.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;

// The best of three services: a fair makespan on a shared, noisy machine.
template <class E>
std::int64_t best_makespan(const Service& s) {
  std::int64_t best = INT64_MAX;
  for (int i = 0; i < 3; ++i) {
    const Ledger ledger = serve_with<E>(s);
    EXPECT_EQ(ledger.check(), std::nullopt);
    best = std::min(best, ledger.makespan_ns());
  }
  return best;
}

// Whether two threads really run at once right now: two cores, and not both
// taken by something else (a parallel build, say). A test of parallel speed-up
// is skipped, saying why, when not.
bool has_two_cores() {
  if (std::thread::hardware_concurrency() < 2) return false;
  const std::uint64_t units = units_for(std::chrono::milliseconds(30));
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t a = 0, b = 0;
  std::thread other([&] { a = burn(units, 1); });
  b = burn(units, 2);
  other.join();
  const auto wall = std::chrono::steady_clock::now() - t0;
  EXPECT_NE(a, b);
  return wall < std::chrono::milliseconds(45);
}

#define SKIP_UNLESS_TWO_FREE_CORES() \
  if (!has_two_cores())              \
  GTEST_SKIP() << "two cores are not free to run in parallel right now"

const std::vector<Order>& cpu_orders() {
  static const auto orders = make_orders(40, 6);
  return orders;
}
constexpr Costs kCpuBound{microseconds(0), microseconds(200)};

TEST(Gil, TwoChefsAreNoFasterThanOneWithTheGil) {
  Gil gil(std::chrono::milliseconds(5));
  Service one(cpu_orders(), kCpuBound, 1), two(cpu_orders(), kCpuBound, 2);
  one.gil = two.gil = &gil;
  const double speedup = static_cast<double>(best_makespan<ThreadsPool>(one)) /
                         static_cast<double>(best_makespan<ThreadsPool>(two));
  EXPECT_LT(speedup, 1.25) << "speedup " << speedup;
}

TEST(Gil, TwoChefsAreFasterThanOneWithoutIt) {
  SKIP_UNLESS_TWO_FREE_CORES();
  const Service one(cpu_orders(), kCpuBound, 1),
      two(cpu_orders(), kCpuBound, 2);
  const double speedup = static_cast<double>(best_makespan<ThreadsPool>(one)) /
                         static_cast<double>(best_makespan<ThreadsPool>(two));
  EXPECT_GT(speedup, 1.3) << "speedup " << speedup;
}

TEST(Gil, GivesTheSameResultsAsNoGil) {
  Gil gil(microseconds(100));
  Service with(cpu_orders(), kCpuBound, 2), without(cpu_orders(), kCpuBound, 2);
  with.gil = &gil;
  const Ledger a = serve_with<ThreadsPool>(with),
               b = serve_with<ThreadsPool>(without);
  for (std::size_t i = 0; i < cpu_orders().size(); ++i) {
    EXPECT_EQ(a.records()[i].checksum, b.records()[i].checksum);
  }
}

TEST(Offload, RunsTheCpuStepsInParallel) {
  SKIP_UNLESS_TWO_FREE_CORES();
  const Service two(cpu_orders(), kCpuBound, 2);
  const double speedup = static_cast<double>(best_makespan<AsioCoro>(two)) /
                         static_cast<double>(best_makespan<AsioOffload>(two));
  EXPECT_GT(speedup, 1.3) << "speedup " << speedup;
}

// Racing takes on two threads lose some of their updates, given enough of them;
// the odds of none in a few hundred thousand are nil, but a service is repeated
// a few times to be sure.
TEST(Pantry, UnlockedLosesUpdatesOnThreads) {
  SKIP_UNLESS_TWO_FREE_CORES();
  const auto orders = make_orders(100'000, 2);
  Pantry pantry(PantryMode::kUnlocked);
  Service s(orders, {}, 2);
  s.pantry = &pantry;
  std::int64_t lost = 0;
  for (int attempt = 0; attempt < 10 && lost == 0; ++attempt) {
    pantry.restock();
    const Ledger ledger = serve_with<ThreadsPool>(s);
    std::int64_t takes = 0;
    for (const OrderRecord& r : ledger.records()) takes += r.steps;
    lost = pantry.lost_updates(takes);
  }
  EXPECT_GT(lost, 0);
}

template <class E>
class PantryTest : public ::testing::Test {};
TYPED_TEST_SUITE(PantryTest, AllExecutorTypes, ExecutorNames);

// Every take is counted when the pantry is locked, whoever takes; and an event
// loop on one thread never loses one even unlocked.
TYPED_TEST(PantryTest, LockedNeverLosesAndSingleThreadedLoopsNeverLose) {
  const auto orders =
      make_orders(2'000, 2);  // threads_per_order: as many threads
  for (const PantryMode mode : {PantryMode::kLocked, PantryMode::kUnlocked}) {
    Pantry pantry(mode);
    Service s(orders, {}, 2);
    s.pantry = &pantry;
    const Ledger ledger = serve_with<TypeParam>(s);
    ASSERT_EQ(ledger.check(), std::nullopt);
    std::int64_t takes = 0;
    for (const OrderRecord& r : ledger.records()) takes += r.steps;
    // Chosen by type, not by what the executor reports of itself.
    constexpr bool one_thread = std::is_same_v<TypeParam, AsioCoro> ||
                                std::is_same_v<TypeParam, AsioCallback> ||
                                std::is_same_v<TypeParam, AsioBlocking>;
    if (mode == PantryMode::kLocked || one_thread) {
      EXPECT_EQ(pantry.lost_updates(takes), 0);
    }
    if (mode == PantryMode::kLocked) {
      EXPECT_EQ(pantry.locks(), static_cast<std::uint64_t>(takes));
    }
  }
}

}  // namespace
}  // namespace kitchen
