#include "kitchen/failures.hpp"

#include <string>

#include "kitchen/menu.hpp"
#include "kitchen/random.hpp"

namespace kitchen {

OutOfStock::OutOfStock(std::uint32_t order_in, std::uint32_t ingredient_in)
    : std::runtime_error("out of stock"), order(order_in), ingredient(ingredient_in) {}

std::vector<std::int8_t> plan_failures(const std::vector<Order>& orders, double rate,
                                       std::uint64_t seed) {
  std::vector<std::int8_t> plan(orders.size(), kNoFailure);
  if (rate <= 0) return plan;
  // A stream of its own (not the orders'), so failures never change which
  // dishes are ordered.
  std::uint64_t state = seed ^ 0x6a09e667f3bcc909ULL;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const auto n = menu()[orders[i].dish].ingredients.size();
    for (std::size_t k = 0; k < n; ++k) {
      if (split_mix_unit(state) < rate) {
        plan[i] = static_cast<std::int8_t>(k);
        break;
      }
    }
  }
  return plan;
}

}  // namespace kitchen
