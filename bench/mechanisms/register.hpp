// The mechanism families behind the kitchen rows: spawn, switch, memory per task, timer
// accuracy, and each executor's floor. They answer "why" and are run on purpose, not as part of
// the kitchen sweep:
//   - spawn, switch, timer and floor (a few seconds each) are registered whenever
//     --benchmark_filter is given (the filter then picks among all rows) or --mechanisms is;
//   - memory (a million coroutines, ten thousand threads, about a minute) only when
//     --mechanisms is given or the filter names it ("memory").
// So `bench_kitchen` with no filter runs the kitchen sweep alone, and
// `bench_kitchen --benchmark_filter='^(spawn|switch|memory|timer|floor)/'` runs every family.
#pragma once

#include "options.hpp"

namespace kitchen::bench {

// Returns how many families were registered. Call after
// benchmark::Initialize().
int register_mechanisms(const Options& options);

}  // namespace kitchen::bench
