// Validation of Google Benchmark's own flags, before benchmark::Initialize sees
// them. Version 1.7.1 prints its usage and exits 0 on `--benchmark_format=xml`,
// aborts on
// `--benchmark_repetitions=-1` and runs nothing, successfully, on a filter that
// is not a regular expression; here each of those is one line naming the flag
// and what it accepts, and exit 2.
#pragma once

namespace kitchen::bench {

// Throws cli::UsageError for the first --benchmark_* (or --v) flag with a bad
// value.
void validate_benchmark_flags(int argc, char** argv);

}  // namespace kitchen::bench
