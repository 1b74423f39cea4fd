// The cost of one more task, read as the slope of a straight line fitted
// through (tasks, bytes) samples. One sample says little: a process's memory
// also holds what it allocated once (the loop, the allocator's pools, the
// registry of tasks) and the kernel's counters move with the rest of the
// machine. The slope over several populations keeps the per-task part only, and
// the fit's r2 says how straight the line was.
#pragma once

#include <optional>
#include <span>
#include <string>

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

// The least r2 a memory row's total fit needs for its slope to be reported as a
// cost per task. Below it the samples are not on a line (a step of the
// allocator's heap, another process's threads moving the machine-wide figures)
// and the row is an error row instead.
inline constexpr double kR2Floor = 0.9;

// Nothing when `line` is at least as straight as `floor`; otherwise the row's
// error message, "<what>: r2 0.42 below the floor 0.9: ...".
std::optional<std::string> refuse_below_floor(const Line& line, double floor,
                                              const std::string& what);

}  // namespace kitchen::bench
