#include "sweep.hpp"

#include <algorithm>
#include <set>

namespace kitchen::bench {
namespace {

// Chefs x customers over decades, without the points where chefs outnumber
// customers (they serve exactly like chefs == customers) or where one chef
// serves more than `max_rounds` customers (the answer is already clear, and one
// service would take seconds).
std::vector<Cell> decades(const std::vector<std::uint32_t>& chefs,
                          const std::vector<std::uint32_t>& customers,
                          std::uint32_t max_rounds) {
  std::vector<Cell> grid;
  for (std::uint32_t n : customers) {
    for (std::uint32_t c : chefs) {
      if (c <= n && n / c <= max_rounds) grid.push_back({c, n});
    }
  }
  return grid;
}

}  // namespace

std::vector<Cell> default_grid(std::string_view profile) {
  if (profile == "io") {
    // ~5.5 ms of waiting per dish, no work: concurrency is everything, so go to
    // 1,000 chefs and 10,000 customers (10,000 threads for threads_per_order).
    return decades({1, 10, 100, 1000}, {1, 10, 100, 1000, 10000}, 100);
  }
  if (profile == "mixed") {
    // ~0.3 ms of work per dish: 10,000 customers would be 3 s of CPU per
    // service on one core.
    return decades({1, 10, 100, 1000}, {1, 10, 100, 1000}, 100);
  }
  if (profile == "cpu") {
    // ~1.1 ms of work per dish and nothing to overlap: 2 chefs fill the 2
    // cores, more only oversubscribe, so chefs 1, 2, 10, 100 show it; more
    // customers only take longer.
    return decades({1, 2, 10, 100}, {1, 10, 100}, 100);
  }
  // overhead: nothing to wait for, nothing to compute: the executor's own cost
  // per dish.
  return decades({1, 3, 100, 1000}, {1, 100, 10000}, 10000);
}

std::vector<Cell> quick_grid(std::string_view /*profile*/) {
  return {{1, 4}, {4, 16}};
}

std::vector<Cell> custom_grid(
    const std::vector<Cell>& base,
    const std::optional<std::vector<std::uint32_t>>& chefs,
    const std::optional<std::vector<std::uint32_t>>& customers) {
  std::set<std::uint32_t> base_chefs, base_customers;
  for (const Cell& cell : base) {
    base_chefs.insert(cell.chefs);
    base_customers.insert(cell.customers);
  }
  const std::vector<std::uint32_t> cs =
      chefs ? *chefs : std::vector(base_chefs.begin(), base_chefs.end());
  const std::vector<std::uint32_t> ns =
      customers ? *customers
                : std::vector(base_customers.begin(), base_customers.end());
  std::vector<Cell> grid;
  for (std::uint32_t n : ns) {
    for (std::uint32_t c : cs) grid.push_back({c, n});
  }
  return grid;
}

}  // namespace kitchen::bench
