#include "kitchen/orders.hpp"

#include "kitchen/menu.hpp"
#include "kitchen/random.hpp"

namespace kitchen {

std::vector<Order> make_orders(std::size_t customers, std::uint64_t seed) {
  std::vector<Order> orders;
  orders.reserve(customers);
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < customers; ++i) {
    // The modulo bias over 64 random bits is about 2^-61: far below anything a
    // service can show.
    orders.push_back(Order{static_cast<std::uint32_t>(split_mix(state) % kMenuSize)});
  }
  return orders;
}

}  // namespace kitchen
