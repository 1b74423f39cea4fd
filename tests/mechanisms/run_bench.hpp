// Runs bench_kitchen (from KITCHEN_BIN_DIR) with the given arguments and
// collects what it wrote on stdout and its exit status; stderr goes to the
// test's log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kitchen::bench::bench_run {

struct BenchRun {
  // The exit code; -1 when the program did not exit normally
  int status = -1;
  // Stdout
  std::string output;
};

// `arguments` is given to /bin/sh as written: quote what the shell must not
// touch. `shell_before` runs in the same shell first (e.g. "ulimit -v
// 1000000;"), to lower a limit for that run alone. `runner` is put before the
// program on its command line (e.g. "setpriv --reuid=65534 ..."), to run it
// under another identity.
BenchRun run_bench(const std::string& arguments, const std::string& shell_before = "",
                   const std::string& runner = "");

// The benchmark rows of a --benchmark_format=json run, by the name the suite
// registered.
nlohmann::json rows_by_name(const BenchRun& run);

}  // namespace kitchen::bench::bench_run
