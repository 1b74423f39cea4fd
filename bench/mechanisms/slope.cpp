#include "mechanisms/slope.hpp"

#include <cmath>
#include <cstddef>
#include <cstdio>

namespace kitchen::bench {

std::optional<Line> fit_line(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  if (n < 2 || y.size() != n) return std::nullopt;
  double mean_x = 0;
  double mean_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) return std::nullopt;
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= static_cast<double>(n);
  mean_y /= static_cast<double>(n);
  // Centred sums: the samples are byte counts in the gigabytes, whose squares
  // would lose the per-task signal to rounding in the textbook sum-of-squares
  // form.
  double sxx = 0;
  double sxy = 0;
  double syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx == 0) return std::nullopt;
  Line line;
  line.slope = sxy / sxx;
  line.intercept = mean_y - line.slope * mean_x;
  line.r2 = syy == 0 ? 1.0 : (sxy * sxy) / (sxx * syy);
  return line;
}

std::optional<std::string> refuse_below_floor(const Line& line, double floor,
                                              const std::string& what) {
  // Written so that a NaN r2 is refused too
  if (line.r2 >= floor) return std::nullopt;
  char figures[96];
  std::snprintf(figures, sizeof figures, "r2 %.2f below the floor %.2g", line.r2, floor);
  return what + ": " + figures +
         ": the samples do not lie on a straight line, so its slope is no cost per task";
}

}  // namespace kitchen::bench
