// Runs one of the suite's programs as a user would, capturing its stdout,
// stderr and exit status.
#pragma once

#include <string>
#include <vector>

namespace kitchen::testing {

struct Run {
  // -1 when it did not exit normally
  int exit_code = -1;
  // The signal that ended it, if any
  int signal = 0;
  std::string out;
  std::string err;
};

// `program` is a file name in KITCHEN_BIN_DIR (bench_kitchen, kitchen), or a
// path to any other program.
Run run_program(const std::string& program, const std::vector<std::string>& args);

std::string program_path(const std::string& program);

}  // namespace kitchen::testing
