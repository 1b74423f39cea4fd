// The restaurant's menu: five dishes and the ingredients each one is made of,
// in the order the kitchen fetches them. The CPython kitchen has the same menu,
// word for word, so that a service here can be put next to the Python one dish
// for dish.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace kitchen {

struct Dish {
  std::string_view name;
  std::span<const std::string_view> ingredients;
  // What serving it returns: "Served <name>"
  std::string_view result;
};

inline constexpr std::size_t kMenuSize = 5;

// The menu in its fixed order; an order refers to a dish by its index here.
const std::array<Dish, kMenuSize>& menu();

// The largest number of ingredients of any dish: bounds the work of one order.
std::size_t max_ingredients();

}  // namespace kitchen
