// The ending of a spawn or switch row: it checks its own answer (one unit of
// work done per iteration, no more, no less) and reports the wall time of one.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace kitchen::bench {

// `done` units were counted for state.iterations() asked; if they differ the
// row ends as an error saying "<done> of <asked> <what>", else `counter` is
// the nanoseconds of `elapsed` per unit.
inline void report_per_unit(benchmark::State& state, std::size_t done,
                            std::chrono::steady_clock::duration elapsed, const char* counter,
                            const char* what) {
  if (state.error_occurred()) return;
  const auto asked = static_cast<std::size_t>(state.iterations());
  if (done != asked) {
    const std::string why = std::to_string(done) + " of " + std::to_string(asked) + " " + what;
    state.SkipWithError(why.c_str());
    return;
  }
  state.counters[counter] =
      std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(done);
}

}  // namespace kitchen::bench
