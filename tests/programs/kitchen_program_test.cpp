// The kitchen program, for a person to watch: every order placed, every dish
// served, the results in the order of the orders, and one summary line; on
// every executor.
#include <gtest/gtest.h>

#include <sstream>

#include "executors/catalogue.hpp"
#include "kitchen/menu.hpp"
#include "kitchen/orders.hpp"
#include "programs/run_program.hpp"

namespace kitchen {
namespace {

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) found.push_back(line);
  }
  return found;
}

TEST(KitchenProgram, ShowsTheServiceOnEveryExecutor) {
  const auto orders = make_orders(5, 1);
  for (std::string_view executor : kExecutorNames) {
    const testing::Run run =
        testing::run_program("kitchen", {"--executor=" + std::string(executor), "--chefs=3",
                                         "--customers=5", "--seed=1", "--io-us=200"});
    ASSERT_EQ(run.exit_code, 0) << executor << ": " << run.err;
    const auto ordered = lines_starting(run.out, "I- Ordered ");
    const auto results = lines_starting(run.out, "Served ");
    ASSERT_EQ(ordered.size(), 5u) << run.out;
    ASSERT_EQ(results.size(), 5u) << run.out;
    for (std::size_t i = 0; i < 5; ++i) {
      const std::string dish(menu()[orders[i].dish].name);
      EXPECT_EQ(ordered[i], "I- Ordered " + dish);
      // In the order of the orders
      EXPECT_EQ(results[i], "Served " + dish);
    }
    std::size_t served = 0, fetched = 0;
    for (std::size_t at = 0; (at = run.out.find("O- Served ", at)) != std::string::npos; ++at) {
      ++served;
    }
    for (std::size_t at = 0; (at = run.out.find("Fetched ", at)) != std::string::npos; ++at) {
      ++fetched;
    }
    EXPECT_EQ(served, 5u);
    std::size_t ingredients = 0;
    for (const Order& o : orders) ingredients += menu()[o.dish].ingredients.size();
    EXPECT_EQ(fetched, ingredients);
    EXPECT_EQ(lines_starting(run.out, "makespan ").size(), 1u) << run.out;
    EXPECT_NE(run.out.find("of 3 chefs cooking"), std::string::npos);
  }
}

}  // namespace
}  // namespace kitchen
