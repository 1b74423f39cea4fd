#include "kitchen/menu.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kitchen {
namespace {

std::vector<std::string> ingredients_of(const Dish& dish) {
  return {dish.ingredients.begin(), dish.ingredients.end()};
}

// The menu the CPython kitchen serves too, word for word: a service here must be
// comparable dish for dish.
TEST(Menu, IsTheFiveDishesWithTheirIngredientsInOrder) {
  const auto& m = menu();
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].name, "Pizza");
  EXPECT_EQ(ingredients_of(m[0]), (std::vector<std::string>{"Flour", "Yeast", "Tomato Sauce",
                                                            "Mozzarella Cheese", "Pepperoni"}));
  EXPECT_EQ(m[1].name, "Spaghetti");
  EXPECT_EQ(ingredients_of(m[1]),
            (std::vector<std::string>{"Pasta", "Ground Beef", "Tomato Sauce", "Onion", "Garlic"}));
  EXPECT_EQ(m[2].name, "Chicken Stir Fry");
  EXPECT_EQ(ingredients_of(m[2]), (std::vector<std::string>{"Chicken", "Broccoli", "Peppers",
                                                            "Soy Sauce", "Ginger", "Rice"}));
  EXPECT_EQ(m[3].name, "Chicken Biryani");
  EXPECT_EQ(ingredients_of(m[3]),
            (std::vector<std::string>{"Chicken", "Onion", "Garlic", "Rice", "Yogurt", "Spices"}));
  EXPECT_EQ(m[4].name, "Salad");
  EXPECT_EQ(ingredients_of(m[4]), (std::vector<std::string>{"Mixed Greens", "Tomatoes", "Cucumbers",
                                                            "Carrots", "Dressing"}));
  EXPECT_EQ(max_ingredients(), 6u);
}

TEST(Menu, ServingADishSaysServedAndItsName) {
  for (const Dish& dish : menu()) EXPECT_EQ(dish.result, "Served " + std::string(dish.name));
}

}  // namespace
}  // namespace kitchen
