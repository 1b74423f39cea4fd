// Provenance written into the JSON context of every run: what built the binary,
// how the process waits and computes, which revision. A result file must say
// where it came from.
#pragma once

#include <string>

namespace kitchen::bench {

void add_context(const std::string& sweep, unsigned long long seed);

}  // namespace kitchen::bench
