// The kitchen rows a run measures, planned from the options before any is registered: the twin
// of the CPython kitchen's plan() (scripts/cpython_kitchen/main.py). A row is named
//   kitchen/<executor>/<profile>/chefs:<C>/customers:<N>[/io_us:<I>/cpu_us:<W>][/gil]
//       [/pantry:unlocked|/pantry:unlocked_await][/fail_rate:<P>][/fail_fast]
//       [/rate:<R>[/arrivals:poisson]][/io:net][/slack:default][/reactor:io_uring]
// (Google Benchmark appends /process_time/real_time). An optional segment appears only when its
// setting differs from the default, so the default sweep's names stay the short ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"
#include "point.hpp"

namespace kitchen::bench {

// What the plan reads of the machine, passed in so that planning stays a pure function.
struct Machine {
  // Usable cores (os::usable_cores): the grids and the open loop's ideal capacity use them.
  unsigned cores = 1;
  // Asio's reactor, "epoll" or "io_uring" (pantry::asio_reactor): named in the rows of the
  // io_uring twin.
  std::string_view reactor = "epoll";
};

struct PlannedRow {
  std::string name;
  std::string executor;
  Point point;
};

struct RowPlan {
  // In registration order: profile, chefs x customers, costs, GIL, I/O, timer slack, rate, then
  // executor in the order given.
  std::vector<PlannedRow> rows;
  // Rows of executors that serve one dish at a time, left out of a built-in sweep or an open
  // loop because each would take over kSerialBudget.
  int left_out = 0;
};

// Throws cli::UsageError for a point the kitchen cannot serve as asked (an open loop on dishes
// that cost nothing, a schedule or a service past the clock's range, rates that would name two
// rows alike), with the one line the program prints.
RowPlan plan_rows(const Options& options, const Machine& machine);

// What the user is told of the rows left out ("" when none were).
std::string left_out_note(const RowPlan& plan);

}  // namespace kitchen::bench
