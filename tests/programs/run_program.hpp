// Runs one of the suite's programs as a user would, capturing its stdout,
// stderr and exit status.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
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

// The whole of a file, byte for byte; empty when it cannot be read.
std::string read_file(const std::string& path);

// Runs `command` with sh, for a test that sets a shell limit (`ulimit -n 64; exec ...`) before
// the program: its stdout and how it ended; stderr goes where the command sends it.
Run run_shell(const std::string& command);

// One of the suite's programs (as run_program names it) under a shell limit, `limit` being what
// follows `ulimit` ("-n 64"): its stdout and how it ended, its stderr dropped.
Run run_under_limit(const std::string& limit, const std::string& program, const std::string& args);

// One of the suite's programs running in the background, for a test that acts while it runs
// (kills it, or its pantry server). Its stdout goes to `out_path`; its stderr goes to a
// pseudo-terminal that the test reads as it is written, since bench_kitchen says on stderr when
// each row starts only when stderr is a terminal and stdout is not. Every wait ends on what it
// waits for (a line, the program's exit); its timeout only stops a hang.
class Background {
 public:
  Background(const std::string& program, const std::vector<std::string>& args,
             const std::string& out_path = "/dev/null");
  // Kills it (SIGKILL) and reaps it if it still runs.
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  pid_t pid() const { return pid_; }

  // Reads its stderr until a line that contains `part`, and returns that line; nothing if its
  // stderr ends first or `timeout` passes. A later call reads on from the line after.
  std::optional<std::string> line_with(const std::string& part, std::chrono::milliseconds timeout);

  // Waits for it to end, reading its stderr meanwhile, and reaps it: its wait status; nothing if
  // it still runs after `timeout` (it is left running, for the destructor to kill).
  std::optional<int> wait(std::chrono::milliseconds timeout);

  // What it has written on stderr so far, the terminal's "\r\n" as "\n".
  const std::string& err() const { return err_; }

 private:
  // Waits up to `timeout_ms` for output on stderr or for its exit, then reads what is there.
  void read_some(int timeout_ms);

  pid_t pid_ = -1;
  // The pseudo-terminal's master side (-1 once its stderr has ended), and a pidfd that becomes
  // readable when it exits.
  int terminal_ = -1;
  int pidfd_ = -1;
  bool exited_ = false;
  std::optional<int> status_;
  std::string err_;
  // Where line_with() goes on from.
  std::size_t scanned_ = 0;
};

}  // namespace kitchen::testing
