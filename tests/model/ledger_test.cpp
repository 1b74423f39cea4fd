#include "kitchen/ledger.hpp"

#include <gtest/gtest.h>

namespace kitchen {
namespace {

const std::vector<Order> kOrders = {{0}, {1}, {4}};

void cook_fully(const Service& s, Ledger& ledger, std::uint32_t order, std::uint32_t chef) {
  ledger.start(order, chef);
  Cooking c(s, order, chef);
  while (!c.done()) c.step();
  ledger.serve(c);
}

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

}  // namespace
}  // namespace kitchen
