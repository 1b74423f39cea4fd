// Registers the kitchen rows of a plan (plan.hpp) with Google Benchmark, in its order. Each
// row's registered function owns what the row keeps between its calls: whether it has warmed
// up, and a net row's connections.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "executors/executors.hpp"
#include "net_rows.hpp"
#include "plan.hpp"

namespace kitchen::bench {

// With stdout redirected (to a JSON file, say) and stderr on a terminal, nothing would show that
// a long sweep is moving: each row then says on stderr when it starts, with the seconds since
// the first row started. On a console run Google Benchmark's own lines are the progress, and
// nothing is added. Owned by main, shared by the rows.
class ProgressLog {
 public:
  explicit ProgressLog(bool wanted) : wanted_(wanted) {}
  // Stderr on a terminal and stdout not.
  static bool wanted_here();
  void starting(const std::string& row);

 private:
  bool wanted_;
  std::optional<std::chrono::steady_clock::time_point> first_;
};

// What the rows use and main owns: it outlives every row (main clears the registered rows
// before it returns).
struct RowsShare {
  const Staffing& staffing;
  // The server of the net rows; started by main once the rows are registered.
  PantryHost& pantry;
  // Why no kitchen row of this binary can run (reactor_refusal()), or nothing.
  const std::optional<std::string>& refusal;
  ProgressLog& progress;
};

void register_kitchen_rows(const RowPlan& plan, const RowsShare& share);

}  // namespace kitchen::bench
