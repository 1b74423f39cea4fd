// bench_kitchen's own flags, read from what Google Benchmark's Initialize()
// leaves of argv.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "executors/executors.hpp"
#include "kitchen/arrivals.hpp"
#include "kitchen/pantry.hpp"

namespace kitchen::bench {

// What bench_kitchen's flags ask for. The defaults are the flag table's (cli/flag_table.hpp),
// applied by parse_options; an axis left empty here is one the flags did not give.
struct Options {
  std::vector<std::string> executors;
  std::vector<std::string> profiles;
  std::optional<std::vector<std::uint32_t>> chefs;
  std::optional<std::vector<std::uint32_t>> customers;
  // Override the profile's costs
  std::optional<std::vector<std::uint64_t>> io_us;
  std::optional<std::vector<std::uint64_t>> cpu_us;
  std::uint64_t seed = 0;
  bool quick = false;
  // Python-faithful mode and the measured halves of "complexity" and "error
  // handling".
  // --gil=off,on
  std::vector<bool> gil;
  std::chrono::microseconds gil_switch{0};
  PantryMode pantry = PantryMode::kLocked;
  double fail_rate = 0;
  bool fail_fast = false;
  // Register every mechanism family, memory included
  bool mechanisms = false;
  // Live state each idle task of the memory rows holds
  std::uint64_t task_state_bytes = 0;
  Staffing staffing;
  // Open loop: orders per second, absolute (--arrival-rate) or as fractions of
  // each point's ideal capacity (--load); neither: a closed batch.
  std::optional<std::vector<double>> arrival_rate;
  std::optional<std::vector<double>> load;
  // The one of them given, as given ("--load=0.5,1"), for the refusals of points it cannot
  // serve.
  std::string open_loop_flag;
  ArrivalPattern arrivals = ArrivalPattern::kFixed;
  // How a fetch waits: "timer" (a sleep or a timer) and/or "net" (a request to the pantry
  // server); --io=timer,net
  std::vector<std::string> io;
  // The size of each reply's payload on net rows
  std::uint32_t payload_bytes = 0;
  // The timer slack each row runs with: false for the suite's 1 ns, true for the system's
  // default (rows /slack:default); --timer-slack=1ns,default
  std::vector<bool> default_slack;
};

// Throws cli::UsageError on the first bad flag.
Options parse_options(int argc, char** argv);

// The suite's flags and executors, for --help (printed after Google Benchmark's own).
std::string options_help();

}  // namespace kitchen::bench
