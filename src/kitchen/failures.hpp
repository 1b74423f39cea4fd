// Injected failures: an ingredient is out of stock with a given probability,
// decided up front from a seed, so every executor meets the same failures at
// the same steps. Cooking that ingredient throws OutOfStock; the executor must
// report the order as failed and serve the rest.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "kitchen/orders.hpp"

namespace kitchen {

class OutOfStock : public std::runtime_error {
 public:
  OutOfStock(std::uint32_t order, std::uint32_t ingredient);
  std::uint32_t order;
  std::uint32_t ingredient;
};

inline constexpr std::int8_t kNoFailure = -1;

// Per order, the first ingredient that is out of stock, or kNoFailure.
std::vector<std::int8_t> plan_failures(const std::vector<Order>& orders, double rate,
                                       std::uint64_t seed);

}  // namespace kitchen
