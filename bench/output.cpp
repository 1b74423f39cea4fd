#include "output.hpp"

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string_view>

namespace kitchen::bench {
namespace {

// The temporary file's name, for the signal handler (which may not allocate).
char g_partial[4096] = {};

extern "C" void remove_partial_and_die(int sig) {
  if (g_partial[0] != '\0') ::unlink(g_partial);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// The last value given to --NAME in args, or nothing.
std::optional<std::string_view> flag_value(const std::vector<char*>& args, std::string_view name) {
  std::optional<std::string_view> value;
  for (char* arg : args) {
    const std::string_view a(arg);
    if (a.size() > name.size() && a.substr(0, name.size()) == name && a[name.size()] == '=') {
      value = a.substr(name.size() + 1);
    }
  }
  return value;
}

// 0/0 (the coefficient of variation of counters that were all 0) becomes 0.
std::vector<benchmark::BenchmarkReporter::Run> without_nan(
    const std::vector<benchmark::BenchmarkReporter::Run>& runs) {
  std::vector<benchmark::BenchmarkReporter::Run> clean = runs;
  for (auto& run : clean) {
    for (auto& [name, counter] : run.counters) {
      if (std::isnan(counter.value)) counter.value = 0;
    }
  }
  return clean;
}

// What a display reporter says before the first row: the note main() leaves
// (how many rows, the calibration). Google Benchmark calls ReportContext only
// when some row matched the filter; otherwise it writes "Failed to match..." to
// the display reporter's error stream, which stays in a buffer until then, so
// that bench_kitchen can say it in its own single line.
std::string g_note;
std::ostringstream g_unmatched;

void announce(benchmark::BenchmarkReporter& reporter) {
  reporter.SetErrorStream(&std::cerr);
  std::fputs(g_note.c_str(), stderr);
  g_note.clear();
}

class JsonReporter : public benchmark::JSONReporter {
 public:
  bool ReportContext(const Context& context) override {
    announce(*this);
    return benchmark::JSONReporter::ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    benchmark::JSONReporter::ReportRuns(without_nan(runs));
  }
};

// Google Benchmark 1.7.1 marks its CSV reporter deprecated; --benchmark_format=csv
// still works there, so it does here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
class CsvReporter : public benchmark::CSVReporter {
 public:
  bool ReportContext(const Context& context) override {
    announce(*this);
    return benchmark::CSVReporter::ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    benchmark::CSVReporter::ReportRuns(without_nan(runs));
  }
};
#pragma GCC diagnostic pop

// On a terminal, a kitchen row keeps the counters a person reads at a glance.
class ConsoleReporter : public benchmark::ConsoleReporter {
 public:
  ConsoleReporter(OutputOptions options, bool brief)
      : benchmark::ConsoleReporter(options), brief_(brief) {}

  bool ReportContext(const Context& context) override {
    announce(*this);
    return benchmark::ConsoleReporter::ReportContext(context);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    if (!brief_) return benchmark::ConsoleReporter::ReportRuns(without_nan(runs));
    std::vector<Run> shown = without_nan(runs);
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

 private:
  bool brief_;
};

bool is_true(std::string_view v) {
  return v == "1" || v == "true" || v == "t" || v == "yes" || v == "y" || v == "on";
}

std::unique_ptr<benchmark::BenchmarkReporter> reporter_for(std::string_view format,
                                                           const std::vector<char*>& args,
                                                           bool terminal) {
  if (format == "json") return std::make_unique<JsonReporter>();
  if (format == "csv") return std::make_unique<CsvReporter>();
  int options = benchmark::ConsoleReporter::OO_None;
  const std::string_view color = flag_value(args, "--benchmark_color").value_or("auto");
  if ((color == "auto" && terminal) || is_true(color)) {
    options |= benchmark::ConsoleReporter::OO_Color;
  }
  const auto tabular = flag_value(args, "--benchmark_counters_tabular");
  if (tabular && is_true(*tabular)) options |= benchmark::ConsoleReporter::OO_Tabular;
  return std::make_unique<ConsoleReporter>(
      static_cast<benchmark::ConsoleReporter::OutputOptions>(options), terminal);
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
    std::snprintf(g_partial, sizeof g_partial, "%s", out.partial.c_str());
    std::signal(SIGINT, remove_partial_and_die);
    std::signal(SIGTERM, remove_partial_and_die);
    return out;
  }
  return std::nullopt;
}

void commit_output(const StagedOutput& out) {
  std::error_code error;
  std::filesystem::rename(out.partial, out.path, error);
  if (error) {
    std::fprintf(stderr, "bench_kitchen: could not write %s: %s\n", out.path.c_str(),
                 error.message().c_str());
  }
  g_partial[0] = '\0';
}

void discard_output(const StagedOutput& out) {
  ::unlink(out.partial.c_str());
  g_partial[0] = '\0';
}

std::unique_ptr<benchmark::BenchmarkReporter> display_reporter(const std::vector<char*>& args,
                                                               std::string note) {
  auto reporter = reporter_for(flag_value(args, "--benchmark_format").value_or("console"), args,
                               ::isatty(STDOUT_FILENO) != 0);
  g_note = std::move(note);
  reporter->SetErrorStream(&g_unmatched);
  return reporter;
}

std::unique_ptr<benchmark::BenchmarkReporter> file_reporter(const std::vector<char*>& args) {
  return reporter_for(flag_value(args, "--benchmark_out_format").value_or("json"), args, false);
}

}  // namespace kitchen::bench
