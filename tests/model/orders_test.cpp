#include "kitchen/orders.hpp"

#include <gtest/gtest.h>

#include <array>

#include "kitchen/menu.hpp"

namespace kitchen {
namespace {

std::vector<std::uint32_t> dishes(const std::vector<Order>& orders) {
  std::vector<std::uint32_t> d;
  for (const Order& o : orders) d.push_back(o.dish);
  return d;
}

// The orders of a seed are fixed for good: the same on every machine, in every
// run, and in the CPython kitchen, which draws them with the same SplitMix64.
TEST(Orders, ASeedGivesFixedOrders) {
  EXPECT_EQ(dishes(make_orders(10, 42)),
            (std::vector<std::uint32_t>{3, 1, 3, 4, 0, 2, 0, 3, 0, 4}));
}

TEST(Orders, DifferentSeedsGiveDifferentOrders) {
  EXPECT_NE(dishes(make_orders(500, 1)), dishes(make_orders(500, 2)));
}

TEST(Orders, ALongerServiceStartsWithTheShorterOne) {
  const auto short_service = dishes(make_orders(10, 7));
  const auto long_service = dishes(make_orders(100, 7));
  EXPECT_TRUE(std::equal(short_service.begin(), short_service.end(), long_service.begin()));
}

TEST(Orders, AreDrawnUniformlyFromTheMenu) {
  constexpr int kOrders = 50'000;
  std::array<int, kMenuSize> count{};
  for (const Order& o : make_orders(kOrders, 3)) {
    ASSERT_LT(o.dish, kMenuSize);
    ++count[o.dish];
  }
  // Each dish expects 10,000; five standard deviations is about +-450.
  for (int c : count) EXPECT_NEAR(c, kOrders / static_cast<int>(kMenuSize), 450);
}

TEST(Orders, NoCustomersNoOrders) { EXPECT_TRUE(make_orders(0, 1).empty()); }

}  // namespace
}  // namespace kitchen
