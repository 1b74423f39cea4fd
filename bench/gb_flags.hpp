// Google Benchmark's own flags, as bench_kitchen reads and checks them. Version 1.7.1 prints its
// usage and exits 0 on `--benchmark_format=xml`, aborts on `--benchmark_repetitions=-1` and
// runs nothing, successfully, on a filter that is not a regular expression; here each of those
// is one line naming the flag and what it accepts, and exit 2, before benchmark::Initialize
// sees them.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace kitchen::bench {

// Throws cli::UsageError for the first --benchmark_* (or --v) flag with a bad value, or one
// given twice.
void validate_benchmark_flags(const std::vector<char*>& args);

// The value of --NAME in `args` as Google Benchmark reads it: the text after '=', "true" for a
// boolean flag given bare; nothing when it is not given. The one reader of those flags.
std::optional<std::string_view> benchmark_flag(const std::vector<char*>& args,
                                               std::string_view name);

// Whether the boolean flag --NAME is given and true, by Google Benchmark's rule (anything but
// 0, f, n, false, no and off, in any case).
bool benchmark_flag_true(const std::vector<char*>& args, std::string_view name);

// Whether a flag of any program is given, with or without a value (--quick).
bool flag_given(const std::vector<char*>& args, std::string_view name);

}  // namespace kitchen::bench
