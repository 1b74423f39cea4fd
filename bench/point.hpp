// One point of the kitchen sweep: everything a kitchen row's services are made from.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "kitchen/arrivals.hpp"
#include "kitchen/pantry.hpp"
#include "kitchen/service.hpp"

namespace kitchen::bench {

struct Point {
  std::string profile;
  Costs costs;
  std::uint32_t chefs;
  std::uint32_t customers;
  std::uint64_t seed;
  bool gil = false;
  std::chrono::microseconds gil_switch{5000};
  PantryMode pantry = PantryMode::kLocked;
  double fail_rate = 0;
  bool fail_fast = false;
  // Open loop (kitchen/arrivals.hpp): orders per second; 0 for a closed batch.
  double rate = 0;
  ArrivalPattern arrivals = ArrivalPattern::kFixed;
  // Real I/O (--io=net): each fetch is a request and its reply from the pantry server.
  bool net = false;
  // The system's default timer slack instead of the suite's 1 ns (mechanisms/slack.hpp)
  bool default_slack = false;
};

}  // namespace kitchen::bench
