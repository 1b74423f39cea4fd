// Which services a run of bench_kitchen measures: the default sweep, the quick
// one, or the grid the user's flags describe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kitchen::bench {

struct Cell {
  std::uint32_t chefs;
  std::uint32_t customers;
};

// The default grid of a profile: chefs x customers over decades, keeping the
// points that say something and finish in well under a second each (see
// docs/bench_kitchen.md, "The default sweep"), on a machine of `cores` usable cores.
std::vector<Cell> default_grid(std::string_view profile, unsigned cores);

// A few small points per profile, for tests and a first look: the whole --quick
// run stays under 30 s on 2 cores.
std::vector<Cell> quick_grid(std::string_view profile);

// The grid when --chefs and/or --customers are given: their cross product; an
// axis not given takes the values the base grid uses.
std::vector<Cell> custom_grid(const std::vector<Cell>& base,
                              const std::optional<std::vector<std::uint32_t>>& chefs,
                              const std::optional<std::vector<std::uint32_t>>& customers);

}  // namespace kitchen::bench
