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
                          const std::vector<std::uint32_t>& customers, std::uint32_t max_rounds) {
  std::vector<Cell> grid;
  for (std::uint32_t n : customers) {
    for (std::uint32_t c : chefs) {
      if (c <= n && n / c <= max_rounds) grid.push_back({c, n});
    }
  }
  return grid;
}

// Chefs 1, 2, the usable cores and 4 x the cores: below, at and past what the
// machine can run at once (duplicates dropped, so 2 cores give 1, 2, 8).
std::vector<std::uint32_t> core_steps(std::uint32_t cores) {
  std::set<std::uint32_t> steps = {1, 2, cores, 4 * cores};
  return {steps.begin(), steps.end()};
}

}  // namespace

std::vector<Cell> default_grid(std::string_view profile, unsigned cores) {
  if (profile == "io") {
    // ~5.5 ms of waiting per dish, no work: concurrency is everything, so go to
    // 1,000 chefs and 10,000 customers. At most 10 rounds of dishes per chef: a
    // service stays under ~60 ms, so that every row can be repeated.
    return decades({1, 10, 100, 1000}, {1, 10, 100, 1000, 10000}, 10);
  }
  if (profile == "mixed") {
    // ~3 ms of waiting and ~0.3 ms of work per dish: the waits overlap until the
    // cores fill with work; chefs from 1 to 4 x the cores, then 100 and 1,000.
    std::vector<std::uint32_t> chefs = core_steps(cores);
    chefs.push_back(100);
    chefs.push_back(1000);
    std::set<std::uint32_t> unique(chefs.begin(), chefs.end());
    return decades({unique.begin(), unique.end()}, {10, 100, 1000}, 50);
  }
  if (profile == "cpu") {
    // ~1.1 ms of work per dish and nothing to overlap: the cores are the limit,
    // so chefs go 1, 2, the cores and 4 x the cores (oversubscribed).
    return decades(core_steps(cores), {10, 100}, 100);
  }
  // overhead: nothing to wait for, nothing to compute: the executor's own cost
  // per dish.
  return decades({1, 3, 100, 1000}, {1, 100, 10000}, 10000);
}

std::vector<Cell> quick_grid(std::string_view /*profile*/) { return {{1, 4}, {4, 16}}; }

std::vector<Cell> custom_grid(const std::vector<Cell>& base,
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
      customers ? *customers : std::vector(base_customers.begin(), base_customers.end());
  std::vector<Cell> grid;
  for (std::uint32_t n : ns) {
    for (std::uint32_t c : cs) grid.push_back({c, n});
  }
  return grid;
}

}  // namespace kitchen::bench
