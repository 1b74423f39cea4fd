// `kitchen advise ...`: threads or async for one workload. The advisor is the Python package
// scripts/kitchen_advise; this program hands its arguments over to it.
#pragma once

namespace kitchen::cli {

// Replaces this process by the advisor with argv[1..argc) (argv[0] is "advise") and the
// bench_kitchen built beside this program; returns only when no interpreter could be started
// (after one line on stderr), with exit status 2.
int run_advise(int argc, char** argv);

}  // namespace kitchen::cli
