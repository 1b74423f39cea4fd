// The cost of one more task, read as the slope of a straight line fitted
// through (tasks, bytes) samples. One sample says little: a process's memory
// also holds what it allocated once (the loop, the allocator's pools, the
// registry of tasks) and the kernel's counters move with the rest of the
// machine. The slope over several populations keeps the per-task part only, and
// the fit's r2 says how straight the line was.
#pragma once

#include <optional>
#include <span>

namespace kitchen::bench {

struct Line {
  // Y per unit of x
  double slope = 0;
  // Y at x = 0
  double intercept = 0;
  // 1: every sample on the line; 0: the line explains nothing
  double r2 = 0;
};

// Ordinary least squares. Nothing when there are fewer than two samples, when
// the spans differ in size, when every x is the same, or when a value is not
// finite.
std::optional<Line> fit_line(std::span<const double> x, std::span<const double> y);

}  // namespace kitchen::bench
