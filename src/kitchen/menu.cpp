#include "kitchen/menu.hpp"

#include <algorithm>

namespace kitchen {
namespace {

constexpr std::array<std::string_view, 5> kPizza = {"Flour", "Yeast", "Tomato Sauce",
                                                    "Mozzarella Cheese", "Pepperoni"};
constexpr std::array<std::string_view, 5> kSpaghetti = {"Pasta", "Ground Beef", "Tomato Sauce",
                                                        "Onion", "Garlic"};
constexpr std::array<std::string_view, 6> kStirFry = {"Chicken",   "Broccoli", "Peppers",
                                                      "Soy Sauce", "Ginger",   "Rice"};
constexpr std::array<std::string_view, 6> kBiryani = {"Chicken", "Onion",  "Garlic",
                                                      "Rice",    "Yogurt", "Spices"};
constexpr std::array<std::string_view, 5> kSalad = {"Mixed Greens", "Tomatoes", "Cucumbers",
                                                    "Carrots", "Dressing"};

constexpr std::array<Dish, kMenuSize> kMenu = {{
    {"Pizza", kPizza, "Served Pizza"},
    {"Spaghetti", kSpaghetti, "Served Spaghetti"},
    {"Chicken Stir Fry", kStirFry, "Served Chicken Stir Fry"},
    {"Chicken Biryani", kBiryani, "Served Chicken Biryani"},
    {"Salad", kSalad, "Served Salad"},
}};

}  // namespace

const std::array<Dish, kMenuSize>& menu() { return kMenu; }

std::size_t max_ingredients() {
  std::size_t most = 0;
  for (const Dish& d : kMenu) most = std::max(most, d.ingredients.size());
  return most;
}

}  // namespace kitchen
