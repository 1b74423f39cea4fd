// Error handling, held to the same contract on every executor: with injected
// failures every order still ends exactly once (served or failed, nothing lost,
// nothing twice); with fail-fast, the first failure stops everyone, the rest is
// cancelled and every thread is joined.
#include "kitchen/failures.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "executors/typed_executors.hpp"
#include "kitchen/census.hpp"
#include "kitchen/orders.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;

// The process's threads, by id, as /proc lists them.
std::set<std::string> task_ids() {
  std::set<std::string> ids;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    ids.insert(task.path().filename().string());
  }
  return ids;
}

// The threads listed now that were not listed in `before`, once they are gone, or after 10 s
// those still listed. A joined thread can stay listed for a moment after the join returns: the
// kernel wakes the joiner when it clears the thread's id, before it removes the task, and on a
// loaded machine that moment is long enough to be read. A thread that was not joined and still
// runs stays listed.
std::set<std::string> threads_left_since(const std::set<std::string>& before) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    std::set<std::string> left;
    for (const std::string& id : task_ids()) {
      if (!before.contains(id)) left.insert(id);
    }
    if (left.empty() || std::chrono::steady_clock::now() > give_up) return left;
    std::this_thread::yield();
  }
}

template <class E>
class FailureTest : public ::testing::Test {};
TYPED_TEST_SUITE(FailureTest, AllExecutorTypes, ExecutorNames);

TYPED_TEST(FailureTest, EveryOrderIsServedOrFailedAtEveryRate) {
  const auto orders = make_orders(120, 3);
  for (const double rate : {0.0, 0.1, 1.0}) {
    const auto plan = plan_failures(orders, rate, 3);
    Service s(orders, {microseconds(20), microseconds(5)}, 4);
    s.failures = plan;
    const Ledger ledger = serve_with<TypeParam>(s);
    ASSERT_EQ(ledger.check(), std::nullopt) << "rate " << rate;
    std::size_t planned = 0;
    for (const std::int8_t f : plan) planned += f != kNoFailure;
    EXPECT_EQ(ledger.count(Outcome::kFailed), planned) << "rate " << rate;
    EXPECT_EQ(ledger.count(Outcome::kServed) + ledger.count(Outcome::kFailed), orders.size());
    EXPECT_EQ(ledger.count(Outcome::kCancelled), 0u);
    if (rate == 1.0) {
      EXPECT_EQ(ledger.count(Outcome::kServed), 0u);
    }
    for (std::uint32_t i = 0; i < orders.size(); ++i) {
      if (plan[i] != kNoFailure) {
        const Dish& dish = menu()[orders[i].dish];
        EXPECT_EQ(ledger.result(i), "Failed " + std::string(dish.name) + ": out of " +
                                        std::string(dish.ingredients[plan[i]]));
      }
    }
  }
}

// One order out of stock at its first ingredient, among many slow ones:
// fail-fast must stop the others long before they could finish, and leave no
// thread behind.
TYPED_TEST(FailureTest, FailFastCancelsTheRestAndJoinsEveryThread) {
  const auto orders = make_orders(60, 8);
  std::vector<std::int8_t> plan(orders.size(), kNoFailure);
  plan[5] = 0;
  Service s(orders, {std::chrono::milliseconds(20), microseconds(0)}, 6);
  s.failures = plan;
  s.fail_fast = true;
  // A sanitizer may start a thread once
  (void)serve_with<TypeParam>(Service(orders, {}, 2));
  const std::set<std::string> threads_before = task_ids();
  const int counted_before = census::counted_now();
  const Ledger ledger = serve_with<TypeParam>(s);
  // Every thread the executor started had ended by the time serve() returned: each counts
  // itself out as its last act.
  EXPECT_EQ(census::counted_now(), counted_before);
  ASSERT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.count(Outcome::kFailed), 1u);
  EXPECT_GT(ledger.count(Outcome::kCancelled), 0u);
  EXPECT_EQ(ledger.count(Outcome::kServed) + ledger.count(Outcome::kFailed) +
                ledger.count(Outcome::kCancelled),
            orders.size());
  // The stop is noticed, then the kitchen is torn down: two spans after the failure, neither
  // negative, and together no longer than the service.
  EXPECT_GE(ledger.cancel_ns(), 0);
  EXPECT_GE(ledger.teardown_ns(), 0);
  EXPECT_LE(ledger.cancel_ns() + ledger.teardown_ns(), ledger.makespan_ns());
  EXPECT_EQ(threads_left_since(threads_before), std::set<std::string>{});
  // Where dishes overlap, the chefs cooking beside the failed order when it
  // failed were stopped in the middle of their dishes, not left to finish.
  if constexpr (kOverlaps<TypeParam>) {
    int stopped_while_cooking = 0;
    for (const OrderRecord& r : ledger.records()) {
      stopped_while_cooking += r.outcome == Outcome::kCancelled && r.started_ns >= 0;
    }
    EXPECT_GT(stopped_while_cooking, 0);
    // Those chefs stopped after the failure: noticing it took some time.
    EXPECT_GT(ledger.cancel_ns(), 0);
  }
}

TEST(FailurePlan, IsSeededAndFollowsTheRate) {
  const auto orders = make_orders(10'000, 1);
  EXPECT_EQ(plan_failures(orders, 0.05, 9), plan_failures(orders, 0.05, 9));
  EXPECT_NE(plan_failures(orders, 0.05, 9), plan_failures(orders, 0.05, 10));
  for (const std::int8_t f : plan_failures(orders, 0.0, 9)) EXPECT_EQ(f, kNoFailure);
  for (const std::int8_t f : plan_failures(orders, 1.0, 9)) EXPECT_EQ(f, 0);
  // Per ingredient p = 0.05 over 5 or 6 ingredients: about 24% of orders fail.
  std::size_t failing = 0;
  for (const std::int8_t f : plan_failures(orders, 0.05, 9)) failing += f != kNoFailure;
  EXPECT_NEAR(static_cast<double>(failing) / 10'000, 0.24, 0.03);
}

}  // namespace
}  // namespace kitchen
