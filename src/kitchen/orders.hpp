// The orders of one service: which dish each customer asks for. They are drawn
// uniformly from the menu by a seeded generator of our own (not
// std::uniform_int_distribution, whose output differs between standard
// libraries), so every executor, and every machine, serves the very same
// orders.
#pragma once

#include <cstdint>
#include <vector>

namespace kitchen {

struct Order {
  // Index into menu()
  std::uint32_t dish;
};

std::vector<Order> make_orders(std::size_t customers, std::uint64_t seed);

}  // namespace kitchen
