#include "kitchen/orders.hpp"

#include "kitchen/menu.hpp"

namespace kitchen {
namespace {

// SplitMix64: tiny, well mixed, and specified bit for bit, unlike the standard distributions.
std::uint64_t split_mix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<Order> make_orders(std::size_t customers, std::uint64_t seed) {
  std::vector<Order> orders;
  orders.reserve(customers);
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < customers; ++i) {
    // The modulo bias over 64 random bits is about 2^-61: far below anything a service can show.
    orders.push_back(Order{static_cast<std::uint32_t>(split_mix(state) % kMenuSize)});
  }
  return orders;
}

}  // namespace kitchen
