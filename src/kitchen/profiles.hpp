// Named cost profiles: what one ingredient costs to fetch (waiting) and to cook
// (CPU work).
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "kitchen/service.hpp"

namespace kitchen {

struct Profile {
  std::string_view name;
  // Per ingredient
  Costs costs;
};

using std::chrono::microseconds;

inline constexpr std::array<Profile, 4> kProfiles = {{
    // Waiting dominates
    {"io", {microseconds(1000), microseconds(0)}},
    // Computing only
    {"cpu", {microseconds(0), microseconds(200)}},
    // Mostly waiting, some computing
    {"mixed", {microseconds(500), microseconds(50)}},
    // What the executor itself costs
    {"overhead", {microseconds(0), microseconds(0)}},
}};

inline constexpr std::array<std::string_view, 4> kProfileNames = {"io", "cpu", "mixed", "overhead"};

inline std::optional<Profile> find_profile(std::string_view name) {
  for (const Profile& p : kProfiles) {
    if (p.name == name) return p;
  }
  return std::nullopt;
}

}  // namespace kitchen
