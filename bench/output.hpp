// Where bench_kitchen's results go, so that nothing is half-written or lost.
//
// Google Benchmark writes --benchmark_out=F row by row: a run killed half-way
// would leave F truncated, and a run that matches nothing would empty it. Here F
// is only ever replaced whole: the rows go to a temporary file beside F, renamed
// over F when the run completes. SIGINT and SIGTERM remove the temporary file
// and leave F as it was; a kill -9 leaves F as it was and a stray temporary
// file (".F.partial.PID"). The reporters are the suite's own for two reasons:
// Google Benchmark 1.7.1 writes a double without a finite value as NaN or
// Infinity, which are not JSON (here such a counter is left out of its row,
// and the coefficient of variation of counters that are all 0 is 0: no
// spread); and on a terminal a kitchen row shows the few counters a person
// reads there, not all twenty-odd (JSON and files keep them all).
#pragma once

#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kitchen::bench {

struct StagedOutput {
  // What the user asked for (--benchmark_out).
  std::string path;
  // Where the rows are written meanwhile, in the same folder.
  std::string partial;
};

// Points --benchmark_out in `args` at a temporary file beside the one asked for
// (`storage` keeps the rewritten argument alive), and makes SIGINT and SIGTERM
// remove that file. Nothing when there is no --benchmark_out.
std::optional<StagedOutput> stage_output(std::vector<char*>& args, std::string& storage);

// Creates the temporary file, before anything runs, so that a path that cannot be written is
// refused up front rather than after the whole sweep. Why it could not, or nothing.
std::optional<std::string> open_output(const StagedOutput& out);

// The reporter for stdout (--benchmark_format) and, `with_file`, the one for the file
// (--benchmark_out_format), read from the arguments as Google Benchmark reads them. `note` goes
// to stderr when the first row is about to run; if no row matches the filter, it is never
// printed. Main owns them for the run.
class Reporters {
 public:
  struct Shared;
  Reporters(const std::vector<char*>& args, std::string note, bool with_file);
  ~Reporters();
  benchmark::BenchmarkReporter* display() const { return display_.get(); }
  // Null without --benchmark_out.
  benchmark::BenchmarkReporter* file() const { return file_.get(); }
  const Shared& shared() const { return *shared_; }

 private:
  std::unique_ptr<Shared> shared_;
  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  std::unique_ptr<benchmark::BenchmarkReporter> file_;
};

// The run completed: the temporary file replaces F in one rename. If that fails, or a write
// to the temporary file failed (the file reporter says), it is removed, F stays as it was, one
// line on stderr says why, and the answer is false.
bool commit_output(const StagedOutput& out, const Reporters& reporters);

// The run produced nothing to keep: the temporary file goes, F stays as it was.
void discard_output(const StagedOutput& out);

}  // namespace kitchen::bench
