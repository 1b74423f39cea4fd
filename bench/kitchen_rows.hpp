// Registers the kitchen rows the options ask for:
//   kitchen/<executor>/<profile>/chefs:<C>/customers:<N>[/io_us:<I>/cpu_us:<W>][/gil]
//       [/pantry:unlocked|/pantry:unlocked_await][/fail_rate:<P>][/fail_fast]
//       [/rate:<R>[/arrivals:poisson]][/io:net][/slack:default][/reactor:io_uring]
// The optional segments appear only when the setting differs from the default,
// so the default sweep's names stay the short ones.
#pragma once

#include <string>

#include "options.hpp"

namespace kitchen::bench {

// Returns how many rows it registered.
// Notes for the user (rows left out) are appended to `notes`, printed when the
// run starts.
int register_kitchen_rows(const Options& options, std::string& notes);

}  // namespace kitchen::bench
