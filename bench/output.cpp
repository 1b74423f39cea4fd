#include "output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string_view>

#include "gb_flags.hpp"

namespace kitchen::bench {
namespace {

// The temporary file's name: the one state a signal handler must reach, set before the handler
// is installed and cleared once the file is renamed or removed (the handler may not allocate).
char signal_handler_partial_path[4096] = {};

extern "C" void remove_partial_and_die(int sig) {
  if (signal_handler_partial_path[0] != '\0') ::unlink(signal_handler_partial_path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

bool finite(double value) { return std::isfinite(value); }

// The counter `name` of the aggregate `aggregate` in `runs`, or nothing.
std::optional<double> aggregate_counter(const std::vector<benchmark::BenchmarkReporter::Run>& runs,
                                        const benchmark::BenchmarkReporter::Run& of,
                                        std::string_view aggregate, const std::string& name) {
  for (const auto& run : runs) {
    if (run.run_type != benchmark::BenchmarkReporter::Run::RT_Aggregate ||
        run.aggregate_name != aggregate || run.run_name.str() != of.run_name.str()) {
      continue;
    }
    if (const auto it = run.counters.find(name); it != run.counters.end()) return it->second.value;
  }
  return std::nullopt;
}

// JSON has no NaN or Infinity, and Google Benchmark 1.7.1 writes them for a double that has no
// finite value (the coefficient of variation of a counter whose repetitions average 0, say).
// Every reporter writes what this leaves: a counter without a finite value is left out of its
// row (a reader takes a missing counter for unknown), except the coefficient of variation of a
// counter that is 0 in every repetition, 0/0, which is 0: no spread. A run whose own time is
// not finite is left out whole, as it has no number to stand on.
std::vector<benchmark::BenchmarkReporter::Run> finite_only(
    const std::vector<benchmark::BenchmarkReporter::Run>& runs) {
  std::vector<benchmark::BenchmarkReporter::Run> kept;
  for (const auto& run : runs) {
    if (!finite(run.real_accumulated_time) || !finite(run.cpu_accumulated_time)) continue;
    auto& clean = kept.emplace_back(run);
    for (auto it = clean.counters.begin(); it != clean.counters.end();) {
      double& value = it->second.value;
      if (std::isnan(value) && run.aggregate_name == "cv" &&
          aggregate_counter(runs, run, "mean", it->first) == 0.0 &&
          aggregate_counter(runs, run, "stddev", it->first) == 0.0) {
        value = 0;
      }
      it = finite(value) ? std::next(it) : clean.counters.erase(it);
    }
  }
  return kept;
}

}  // namespace

// What the reporters of one run share with each other and with main.
struct Reporters::Shared {
  // What the display reporter says before the first row: the note main() leaves (how many
  // rows, the calibration). Google Benchmark calls ReportContext only when some row matched the
  // filter; otherwise it writes "Failed to match..." to the display reporter's error stream,
  // which stays in `unmatched` until then, so that bench_kitchen can say it in its own single
  // line.
  std::string note;
  std::ostringstream unmatched;
  // Google Benchmark opens the file itself and never says that a write to it failed (a full
  // disk, say): the file reporter checks its stream once it has written everything, so that a
  // file cut short is never renamed over F.
  bool file_failed = false;
  int file_errno = 0;
};

namespace {

using Shared = Reporters::Shared;

// What every reporter of the suite does around Google Benchmark's: the note before the first
// row, and the file reporter's check of its stream at the end.
class Hooks {
 public:
  Hooks(Shared& shared, bool is_file) : shared_(shared), is_file_(is_file) {}

  void announce(benchmark::BenchmarkReporter& reporter) {
    reporter.SetErrorStream(&std::cerr);
    std::fputs(shared_.note.c_str(), stderr);
    shared_.note.clear();
  }

  void check_written(benchmark::BenchmarkReporter& reporter) {
    if (!is_file_) return;
    errno = 0;
    reporter.GetOutputStream().flush();
    if (!reporter.GetOutputStream().good()) {
      shared_.file_failed = true;
      shared_.file_errno = errno;
    }
  }

 private:
  Shared& shared_;
  bool is_file_;
};

class JsonReporter : public benchmark::JSONReporter {
 public:
  explicit JsonReporter(Hooks hooks) : hooks_(hooks) {}
  bool ReportContext(const Context& context) override {
    hooks_.announce(*this);
    return benchmark::JSONReporter::ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    benchmark::JSONReporter::ReportRuns(finite_only(runs));
  }
  void Finalize() override {
    benchmark::JSONReporter::Finalize();
    hooks_.check_written(*this);
  }

 private:
  Hooks hooks_;
};

// Google Benchmark 1.7.1 marks its CSV reporter deprecated; --benchmark_format=csv
// still works there, so it does here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
class CsvReporter : public benchmark::CSVReporter {
 public:
  explicit CsvReporter(Hooks hooks) : hooks_(hooks) {}
  bool ReportContext(const Context& context) override {
    hooks_.announce(*this);
    return benchmark::CSVReporter::ReportContext(context);
  }
  // Google Benchmark 1.7.1 takes the CSV header from the first row's counters and aborts at a
  // later row with one more (a net row after a timer row, say), leaving the output cut short:
  // the rows are kept until the end and written at once, under a header of all their counters.
  void ReportRuns(const std::vector<Run>& runs) override {
    const std::vector<Run> finite = finite_only(runs);
    runs_.insert(runs_.end(), finite.begin(), finite.end());
  }
  void Finalize() override {
    if (!runs_.empty()) benchmark::CSVReporter::ReportRuns(runs_);
    benchmark::CSVReporter::Finalize();
    hooks_.check_written(*this);
  }

 private:
  Hooks hooks_;
  std::vector<Run> runs_;
};
#pragma GCC diagnostic pop

// On a terminal, a kitchen row keeps the counters a person reads at a glance.
class ConsoleReporter : public benchmark::ConsoleReporter {
 public:
  ConsoleReporter(Hooks hooks, OutputOptions options, bool brief)
      : benchmark::ConsoleReporter(options), hooks_(hooks), brief_(brief) {}

  bool ReportContext(const Context& context) override {
    hooks_.announce(*this);
    return benchmark::ConsoleReporter::ReportContext(context);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    if (!brief_) return benchmark::ConsoleReporter::ReportRuns(finite_only(runs));
    std::vector<Run> shown = finite_only(runs);
    for (Run& run : shown) {
      if (run.run_name.function_name.rfind("kitchen/", 0) != 0) continue;
      benchmark::UserCounters kept;
      for (const char* name :
           {"dishes_per_s", "efficiency", "p99_ms", "peak_in_preparation", "os_threads"}) {
        if (const auto it = run.counters.find(name); it != run.counters.end()) kept.insert(*it);
      }
      run.counters = std::move(kept);
    }
    benchmark::ConsoleReporter::ReportRuns(shown);
  }

  void Finalize() override {
    benchmark::ConsoleReporter::Finalize();
    hooks_.check_written(*this);
  }

 private:
  Hooks hooks_;
  bool brief_;
};

std::unique_ptr<benchmark::BenchmarkReporter> reporter_for(std::string_view format,
                                                           const std::vector<char*>& args,
                                                           bool terminal, Hooks hooks) {
  if (format == "json") return std::make_unique<JsonReporter>(hooks);
  if (format == "csv") return std::make_unique<CsvReporter>(hooks);
  int options = benchmark::ConsoleReporter::OO_None;
  const std::string_view color = benchmark_flag(args, "--benchmark_color").value_or("auto");
  if (color == "auto" ? terminal : benchmark_flag_true(args, "--benchmark_color")) {
    options |= benchmark::ConsoleReporter::OO_Color;
  }
  if (benchmark_flag_true(args, "--benchmark_counters_tabular")) {
    options |= benchmark::ConsoleReporter::OO_Tabular;
  }
  return std::make_unique<ConsoleReporter>(
      hooks, static_cast<benchmark::ConsoleReporter::OutputOptions>(options), terminal);
}

}  // namespace

std::optional<StagedOutput> stage_output(std::vector<char*>& args, std::string& storage) {
  constexpr std::string_view kFlag = "--benchmark_out=";
  for (char*& arg : args) {
    const std::string_view a(arg);
    if (a.substr(0, kFlag.size()) != kFlag) continue;
    StagedOutput out;
    out.path = std::string(a.substr(kFlag.size()));
    const std::filesystem::path p(out.path);
    out.partial =
        (p.parent_path() / ("." + p.filename().string() + ".partial." + std::to_string(::getpid())))
            .string();
    storage = std::string(kFlag) + out.partial;
    arg = storage.data();
    std::snprintf(signal_handler_partial_path, sizeof signal_handler_partial_path, "%s",
                  out.partial.c_str());
    std::signal(SIGINT, remove_partial_and_die);
    std::signal(SIGTERM, remove_partial_and_die);
    return out;
  }
  return std::nullopt;
}

std::optional<std::string> open_output(const StagedOutput& out) {
  const int fd = ::open(out.partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return std::string(std::strerror(errno));
  ::close(fd);
  return std::nullopt;
}

bool commit_output(const StagedOutput& out, const Reporters& reporters) {
  std::string failure;
  if (const Shared& shared = reporters.shared(); shared.file_failed) {
    failure =
        std::string("writing its rows failed") +
        (shared.file_errno != 0 ? std::string(" (") + std::strerror(shared.file_errno) + ")" : "");
  } else {
    std::error_code error;
    std::filesystem::rename(out.partial, out.path, error);
    if (error) failure = error.message();
  }
  if (!failure.empty()) {
    ::unlink(out.partial.c_str());
    std::fprintf(stderr,
                 "bench_kitchen: could not write %s: %s; the results of this run are lost, and "
                 "%s is left as it was\n",
                 out.path.c_str(), failure.c_str(), out.path.c_str());
  }
  signal_handler_partial_path[0] = '\0';
  return failure.empty();
}

void discard_output(const StagedOutput& out) {
  ::unlink(out.partial.c_str());
  signal_handler_partial_path[0] = '\0';
}

Reporters::Reporters(const std::vector<char*>& args, std::string note, bool with_file)
    : shared_(std::make_unique<Shared>()) {
  shared_->note = std::move(note);
  display_ = reporter_for(benchmark_flag(args, "--benchmark_format").value_or("console"), args,
                          ::isatty(STDOUT_FILENO) != 0, Hooks(*shared_, false));
  display_->SetErrorStream(&shared_->unmatched);
  if (with_file) {
    file_ = reporter_for(benchmark_flag(args, "--benchmark_out_format").value_or("json"), args,
                         false, Hooks(*shared_, true));
  }
}

Reporters::~Reporters() = default;

}  // namespace kitchen::bench
