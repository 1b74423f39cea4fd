#include "kitchen/ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <span>
#include <thread>
#include <vector>

namespace kitchen {
namespace {

const std::vector<Order> kOrders = {{0}, {1}, {4}};

void cook_fully(const Service& s, Ledger& ledger, std::uint32_t order, std::uint32_t chef) {
  ledger.start(order, chef);
  Cooking c(s, order, chef);
  while (!c.done()) c.step();
  ledger.serve(c);
}

// The first two orders, the first placed at open and the second `second` after
// it, in a ledger that has opened and served order 0 on chef 0.
struct SecondPlacedAt {
  explicit SecondPlacedAt(std::chrono::nanoseconds second)
      : arrivals{std::chrono::nanoseconds(0), second} {
    service.arrivals = arrivals;
    ledger.opened();
    cook_fully(service, ledger, 0, 0);
  }
  const std::vector<std::chrono::nanoseconds> arrivals;
  Service service{std::span(kOrders).first(2), {}, 2};
  // Keeps the service by address, so the arrivals set in the body are the ones
  // it reads.
  Ledger ledger{service};
};

TEST(Ledger, AcceptsACorrectService) {
  const Service s(kOrders, {}, 2);
  Ledger ledger(s);
  for (std::uint32_t i = 0; i < 3; ++i) cook_fully(s, ledger, i, i % 2);
  ledger.close();
  EXPECT_EQ(ledger.check(), std::nullopt);
  EXPECT_EQ(ledger.peak_in_preparation(), 1);
  EXPECT_EQ(ledger.result(2), "Served Salad");
}

TEST(Ledger, RefusesAnOrderNeverServed) {
  const Service s(kOrders, {}, 2);
  Ledger ledger(s);
  cook_fully(s, ledger, 0, 0);
  cook_fully(s, ledger, 2, 0);
  ASSERT_TRUE(ledger.check().has_value());
  EXPECT_NE(ledger.check()->find("order 1 ended 0 times"), std::string::npos);
}

TEST(Ledger, RefusesAnOrderServedTwice) {
  const Service s(kOrders, {}, 2);
  Ledger ledger(s);
  for (std::uint32_t i = 0; i < 3; ++i) cook_fully(s, ledger, i, 0);
  cook_fully(s, ledger, 1, 0);
  ASSERT_TRUE(ledger.check().has_value());
  EXPECT_NE(ledger.check()->find("ended 2 times"), std::string::npos);
}

TEST(Ledger, RefusesADishServedHalfCooked) {
  const Service s(kOrders, {}, 2);
  Ledger ledger(s);
  cook_fully(s, ledger, 0, 0);
  cook_fully(s, ledger, 2, 0);
  ledger.start(1, 0);
  Cooking c(s, 1, 0);
  c.step();
  ledger.serve(c);
  ASSERT_TRUE(ledger.check().has_value());
  EXPECT_NE(ledger.check()->find("after 1 of its 5 ingredients"), std::string::npos);
}

TEST(Ledger, RefusesMoreDishesInPreparationThanChefs) {
  const Service s(kOrders, {}, 1);
  Ledger ledger(s);
  ledger.start(0, 0);
  ledger.start(1,
               // A second dish while the only chef still cooks the first
               0);
  Cooking a(s, 0, 0), b(s, 1, 0);
  while (!a.done()) a.step();
  while (!b.done()) b.step();
  ledger.serve(a);
  ledger.serve(b);
  cook_fully(s, ledger, 2, 0);
  EXPECT_EQ(ledger.peak_in_preparation(), 2);
  ASSERT_TRUE(ledger.check().has_value());
  EXPECT_NE(ledger.check()->find("2 dishes were in preparation at once"), std::string::npos);
}

TEST(Ledger, LatencyQuantilesAreNearestRank) {
  const std::vector<Order> many(100, Order{4});
  const Service s(many, {}, 1);
  Ledger ledger(s);
  for (std::uint32_t i = 0; i < 100; ++i) cook_fully(s, ledger, i, 0);
  // Served one after another: latencies are increasing, so the quantiles follow
  // the order.
  EXPECT_LE(ledger.latency_ns(0.5), ledger.latency_ns(0.99));
  EXPECT_EQ(ledger.latency_ns(1.0), ledger.records().back().ended_ns);
  EXPECT_EQ(ledger.latency_ns(0.0), ledger.records().front().ended_ns);
}

// Open loop: an order's latency runs from its arrival time t_k (counted from
// the moment the kitchen opened), not from when a chef took it.
TEST(Ledger, OpenLoopLatencyRunsFromEachArrivalTime) {
  using std::chrono::milliseconds;
  const std::vector<std::chrono::nanoseconds> arrivals = {milliseconds(0), milliseconds(5),
                                                          milliseconds(10)};
  Service s(kOrders, {}, 1);
  s.arrivals = arrivals;
  Ledger ledger(s);
  ledger.opened();
  // One chef, served late: order 2 waits for the two before it.
  for (std::uint32_t i = 0; i < 3; ++i) {
    std::this_thread::sleep_until(ledger.due(i));
    ledger.arrived(i);
    cook_fully(s, ledger, i, 0);
  }
  ledger.close();
  ASSERT_EQ(ledger.check(), std::nullopt);
  const auto& r = ledger.records();
  const std::int64_t placed2 = ledger.open_ns() + milliseconds(10).count() * 1'000'000;
  EXPECT_EQ(ledger.latency_ns(1.0),
            std::max({r[0].ended_ns - ledger.open_ns(),
                      r[1].ended_ns - ledger.open_ns() - 5'000'000, r[2].ended_ns - placed2}));
  EXPECT_GE(ledger.arrival_lag_ns(0.0), 0);
  EXPECT_GE(r[2].started_ns, placed2);
}

TEST(Ledger, RefusesAnOrderStartedBeforeItArrived) {
  SecondPlacedAt two(std::chrono::seconds(3600));
  Ledger& ledger = two.ledger;
  cook_fully(two.service, ledger, 1, 1);
  ledger.close();
  ASSERT_TRUE(ledger.check().has_value());
  EXPECT_NE(ledger.check()->find("before it arrived"), std::string::npos) << *ledger.check();
  // Order 1 was due in an hour: it counts as waiting from then on.
  EXPECT_EQ(ledger.max_backlog(), 1);
}

// An arrival time that overflowed (a rate too low for the clock) reads as a huge
// negative time: the service is refused, never reported with a negative latency.
TEST(Ledger, RefusesAnArrivalTimeOutsideTheClock) {
  for (const std::int64_t t : {INT64_MIN, std::int64_t{-1}, INT64_MAX}) {
    SecondPlacedAt two{std::chrono::nanoseconds(t)};
    Ledger& ledger = two.ledger;
    cook_fully(two.service, ledger, 1, 1);
    ledger.close();
    ASSERT_TRUE(ledger.check().has_value()) << t;
    EXPECT_NE(ledger.check()->find("order 1 has an arrival time of " + std::to_string(t)),
              std::string::npos)
        << *ledger.check();
  }
}

TEST(Ledger, RefusesANegativeLatency) {
  SecondPlacedAt two(std::chrono::seconds(3600));
  Ledger& ledger = two.ledger;
  // Served (never started) before its arrival time, an hour from now.
  Cooking c(two.service, 1, 1);
  while (!c.done()) c.step();
  ledger.serve(c);
  ledger.close();
  ASSERT_TRUE(ledger.check().has_value());
  EXPECT_NE(ledger.check()->find("order 1 was served"), std::string::npos) << *ledger.check();
  EXPECT_NE(ledger.check()->find("(a negative latency)"), std::string::npos) << *ledger.check();
}

}  // namespace
}  // namespace kitchen
