#include "kitchen/service.hpp"

#include <gtest/gtest.h>

#include "kitchen/cooking.hpp"
#include "kitchen/menu.hpp"

namespace kitchen {
namespace {

using std::chrono::microseconds;
using std::chrono::nanoseconds;

// One Pizza (5 ingredients) and one Chicken Stir Fry (6).
const std::vector<Order> kTwoOrders = {{0}, {2}};

TEST(IdealMakespan, IsTheLongestDishWhenEveryDishHasAChef) {
  const Service s(kTwoOrders, {microseconds(1000), microseconds(0)}, 2);
  EXPECT_EQ(ideal_makespan(s, 2), microseconds(6000));
}

TEST(IdealMakespan, SharesTheDishesBetweenTheChefs) {
  const Service s(kTwoOrders, {microseconds(1000), microseconds(0)}, 1);
  EXPECT_EQ(ideal_makespan(s, 2), microseconds(11000));
}

TEST(IdealMakespan, SharesTheWorkBetweenTheCoresOnly) {
  // 4 Salads, 5 ingredients each
  const std::vector<Order> four(4, Order{4});
  const Service s(four, {microseconds(0), microseconds(100)}, 4);
  EXPECT_EQ(ideal_makespan(s, 2),
            // 2000 us of work on 2 cores
            microseconds(1000));
  EXPECT_EQ(ideal_makespan(s, 1), microseconds(2000));
}

TEST(IdealMakespan, IsZeroWhenNothingCosts) {
  const Service s(kTwoOrders, {}, 3);
  EXPECT_EQ(ideal_makespan(s, 2), nanoseconds(0));
}

TEST(Cooking, StepsThroughEveryIngredientWaitingBeforeEach) {
  const Service s(kTwoOrders, {microseconds(7), microseconds(0)}, 1);
  Cooking c(s, 1, 0);
  int steps = 0;
  while (!c.done()) {
    EXPECT_EQ(c.next_wait(), microseconds(7));
    c.step();
    ++steps;
  }
  EXPECT_EQ(steps, 6);
  EXPECT_EQ(c.steps_done(), 6u);
}

TEST(Cooking, TheChecksumDependsOnTheOrderNotOnTheChef) {
  const Service s(kTwoOrders, {microseconds(0), microseconds(5)}, 2);
  const auto cook = [&](std::uint32_t order, std::uint32_t chef) {
    Cooking c(s, order, chef);
    while (!c.done()) c.step();
    return c.checksum();
  };
  EXPECT_EQ(cook(0, 0), cook(0, 1));
  EXPECT_NE(cook(0, 0), cook(1, 0));
}

struct Recorder {
  std::vector<TraceEvent> events;
  static void emit(void* self, const TraceEvent& e) {
    static_cast<Recorder*>(self)->events.push_back(e);
  }
};

TEST(Cooking, TracesFetchCookSeasonPerIngredientInThatOrder) {
  Recorder recorder;
  const Trace trace{&Recorder::emit, &recorder};
  const Service s(kTwoOrders, {}, 1, &trace);
  Cooking c(s, 0, 0);
  while (!c.done()) c.step();
  ASSERT_EQ(recorder.events.size(), 15u);
  for (std::uint32_t i = 0; i < 5; ++i) {
    EXPECT_EQ(recorder.events[3 * i].step, Step::kFetched);
    EXPECT_EQ(recorder.events[3 * i + 1].step, Step::kCooked);
    EXPECT_EQ(recorder.events[3 * i + 2].step, Step::kSeasoned);
    EXPECT_EQ(recorder.events[3 * i].ingredient, i);
  }
}

}  // namespace
}  // namespace kitchen
